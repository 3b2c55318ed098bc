"""Relations, checks and parameters: formulas on intervals, period refusal, verdicts, parameter errors."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from conftest import DATA, DISTRICT
from helpers.core import checks, relations
from helpers.core.intervals import Interval
from helpers.core.periods import PeriodMismatch, parse_period
from helpers.reader import amounts, params, tables


@pytest.fixture(scope="module")
def ctx():
    return params.setup(data_dir=str(DATA))


def derived(ctx, rid):
    return {d.id: d for d in relations.derive_all(ctx.package, ctx.relation_params)}[rid]


def test_every_recorded_relation_derives_a_value(ctx):
    assert len(relations.derive_all(ctx.package, ctx.relation_params)) == len(ctx.package.relations)


def test_prior_level_divides_by_one_plus_growth(ctx):
    d = derived(ctx, "finance_prior_year")
    level = relations.figure_input(ctx.package.figure("finance_value_added")).interval
    growth = relations.figure_input(ctx.package.figure("finance_value_added_yoy")).interval
    assert d.interval == level / (1 + growth / 100)
    assert d.formula == "finance_value_added / (1 + finance_value_added_yoy / 100)"


def test_yoy_increment_is_level_minus_prior_but_tighter(ctx):
    inc = derived(ctx, "retail_increment").interval
    level = relations.figure_input(ctx.package.figure("retail_sales")).interval
    naive = level - derived(ctx, "retail_prior_year").interval
    assert naive.lo <= inc.lo and inc.hi <= naive.hi and inc.width < naive.width


def test_lower_bound_input_gives_a_lower_bound(ctx):
    d = derived(ctx, "livelihood_total_spending")
    assert d.interval.hi is None and d.interval.lo > 0


def test_mixed_periods_are_refused_unless_the_relation_allows_them(ctx):
    rel = ctx.package.relations.set_index("id").loc["coupon_share_of_retail"]
    row = pd.Series({**rel.to_dict(), "id": "coupon_share_of_retail", "allow_mixed_periods": False})
    with pytest.raises(PeriodMismatch, match="coupon_driven_consumption not stated, retail_sales 2022-01/2022-09"):
        relations.derive(row, ctx.package.figures, ctx.relation_params)
    assert derived(ctx, "coupon_share_of_retail").period is None


def test_usd_conversion_follows_the_fx_parameter():
    a = params.setup(data_dir=str(DATA), fx_usd_cny=7)
    b = params.setup(data_dir=str(DATA), fx_usd_cny=7.5)
    da, db = derived(a, "fdi_in_cny").interval, derived(b, "fdi_in_cny").interval
    assert db.lo / da.lo == Fraction(15, 14)


def test_good_air_share_is_inconsistent_with_calendar_days(ctx):
    found = {
        c.id: c for c in checks.check_all(relations.derive_all(ctx.package, ctx.relation_params), ctx.package.figures)
    }
    c = found["good_air_days_calendar_check"]
    days = ctx.package.figure("good_air_days")
    calendar_days = parse_period(days["period"]).days
    assert c.expected == Interval.point(Fraction(100 * int(days["value"]), calendar_days))
    assert c.status == "inconsistent"


def test_share_of_whole_within_100_is_consistent(ctx):
    found = {
        c.id: c for c in checks.check_all(relations.derive_all(ctx.package, ctx.relation_params), ctx.package.figures)
    }
    assert found["new_base_stations_share"].status == "consistent"


def test_verdict_cannot_tell_when_expected_is_unbounded_and_misses():
    assert checks.verdict(Interval(Fraction(150), None), Interval.closed(0, 100)) == "cannot tell"
    assert checks.verdict(Interval.closed(1, 2), Interval.closed(3, 4)) == "inconsistent"
    assert checks.verdict(Interval(Fraction(1), Fraction(3), True, False), Interval.closed(2, 4)) == "consistent"


def test_part_from_share_requires_a_whole_number():
    assert (
        checks._whole_numbers_in(Interval(Fraction(22304, 100), Fraction(22337, 100))).overlaps(
            Interval(Fraction(22304, 100), Fraction(22337, 100))
        )
        is False
    )
    assert checks._whole_numbers_in(Interval.closed(Fraction(299, 100), Fraction(301, 100))) == Interval.point(3)


def test_unknown_parameter_fails_naming_it():
    with pytest.raises(params.ParameterError, match="unknown parameter\\(s\\): colour"):
        params.setup(colour="red")


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("lang", "fr", "lang: 'fr' is not one of zh, en"),
        ("fx_usd_cny", -1, "fx_usd_cny: must be positive"),
        ("fx_usd_cny", "abc", "fx_usd_cny: expected a positive number"),
        ("population", "grids_per_cell", "population: 'grids_per_cell' is neither a number nor a figure id"),
        ("population", "dibao_standard", "population: figure 'dibao_standard' is not a count of people"),
        ("data_dir", "/nonexistent", "data_dir: no datapackage.json in /nonexistent"),
    ],
)
def test_bad_parameter_value_fails_naming_it(name, value, message):
    kwargs = {"data_dir": str(DATA), name: value}
    with pytest.raises(params.ParameterError, match=message.replace("(", "\\(").replace(")", "\\)")):
        params.setup(**kwargs)


def test_population_as_a_number_is_a_point():
    ctx = params.setup(data_dir=str(DATA), population=1_000_000)
    assert ctx.population == Interval.point(1_000_000)


def test_fixture_without_population_base_reports_per_resident_values_as_absent():
    ctx = params.setup(data_dir=str(DISTRICT))
    assert ctx.population is None
    assert tables.derived_table(ctx, 1).shape[0] == 1


def test_missing_section_shows_not_reported():
    ctx = params.setup(data_dir=str(DISTRICT), lang="en")
    assert tables.figures_table(ctx, 4).iloc[0, 0] == "not reported"
    assert tables.derived_table(ctx, 5).iloc[0, 0] == "not reported"


def test_derived_frame_has_one_row_per_relation_with_bounds(ctx):
    frame = tables.derived_frame(ctx)
    assert list(frame["id"]) == list(ctx.package.relations["id"])
    bounded = frame.dropna(subset=["high"])
    assert (bounded["low"] <= bounded["value"]).all() and (bounded["value"] <= bounded["high"]).all()


def test_downloads_carry_both_languages_beside_the_ids(ctx):
    derived = tables.derived_frame(ctx)
    d = {x.id: x for x in tables.derived_values(ctx)}
    row = derived.set_index("id").loc["market_entities_per_resident"]
    for lang in ("zh", "en"):
        assert row[f"interval_{lang}"] == amounts.format_interval(d[row.name].interval, d[row.name].unit, lang)
    found = tables.checks_frame(ctx).set_index("id")
    assert "「" in found.loc["good_air_days_calendar_check", "explanation_zh"]
    assert "“" in found.loc["good_air_days_calendar_check", "explanation_en"]


def test_format_interval_shows_lower_bounds_and_scales():
    lower = Interval(Fraction(3200 * 10**8), None)
    assert amounts.format_interval(lower, "CNY", "zh") == "≥ 3,200 亿元"
    assert amounts.format_interval(Interval.point(2274), "count", "en") == "2,274"
