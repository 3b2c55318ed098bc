"""Framing from the data (issue 24): a plan only where the package holds completion rates, changes named by their
sign, charts grouping only what can share a scale, and checks that could not have failed kept apart from findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.core import checks
from helpers.reader import params, plots, tables, walk

ROOT = Path(__file__).resolve().parents[1]
CITY = ROOT / "tests" / "packages" / "city_2020q3"
YUHUAN = ROOT / "tests" / "packages" / "yuhuan_2019"
ALL_PERCENT = ("change_yoy_pct", "share_pct", "completion_pct")


def ctx_of(data_dir: Path, lang: str = "en", **more):
    return params.setup(lang=lang, data_dir=data_dir, **more)


@pytest.mark.parametrize("lang, word", [("en", "plan"), ("zh", "计划")])
def test_a_percent_chart_without_completion_rates_names_no_plan(lang, word):
    chart = plots.percentages(ctx_of(CITY, lang), 3, ALL_PERCENT, "百分比", "Percentages")
    assert word not in chart.caption and word not in chart.alt


def test_a_percent_chart_with_completion_rates_draws_the_plan_line():
    ctx = ctx_of(ROOT / "data", fx_usd_cny=6.7261, population="platform_residents")
    section = int(ctx.package.figures.loc[ctx.package.figures["measure"] == "completion_pct", "section"].iloc[0])
    chart = plots.percentages(ctx, section, ALL_PERCENT, "百分比", "Percentages")
    assert "plan" in chart.caption


def test_the_percent_chart_is_titled_by_the_kinds_it_draws():
    titles = [c.alt.split(".")[0] for c in walk.section_charts(ctx_of(CITY), 6)]
    assert "Percentages (shares)" in titles and not any("completion" in t for t in titles)


def test_amounts_per_person_are_charted_apart_from_totals():
    groups = walk.money_groups(ctx_of(YUHUAN), 1)
    assert "gdp" in groups["totals"] and "gdp_per_resident" in groups["per_person"]
    assert "gdp_per_registered_resident_usd" in groups["per_person"]
    assert not set(groups["totals"]) & set(groups["per_person"])
    assert "usd_cny_rate_2019" not in groups["totals"] + groups["per_person"]  # an exchange rate is no amount


def test_a_section_of_totals_only_has_one_money_chart():
    assert list(walk.money_groups(ctx_of(CITY), 4)) == ["totals"]


@pytest.mark.parametrize(
    "lang, decline, growth", [("en", "a decline of 21.7%", "growth of 5.0%"), ("zh", "下降21.7%", "增长5.0%")]
)
def test_changes_are_named_by_their_sign(lang, decline, growth):
    text = str(walk.section_extremes(ctx_of(YUHUAN, lang), 2))
    assert decline in text and growth in text
    assert "growth of 21.7" not in text and "增长21.7" not in text and "-21.7" not in text


def test_a_part_within_its_whole_is_bookkeeping_and_a_printed_share_a_finding():
    ctx = ctx_of(CITY)
    found = {c.id: c for c in checks.check_all(tables.derived_values(ctx), ctx.package.figures)}
    assert checks.is_bookkeeping(found["exports_share_of_trade"])
    assert not checks.is_bookkeeping(found["projects_over_100m_share_check"])
    assert not checks.is_bookkeeping(found["projects_over_100m_from_share"])
    real = checks.findings(list(found.values()))
    assert walk.page_summary(ctx, page="consistency").startswith(f"{len(real)} checks that could have failed")


def test_a_running_total_of_parts_is_bookkeeping_and_the_full_sum_a_finding():
    ctx = ctx_of(YUHUAN)
    found = {c.id: c for c in checks.check_all(tables.derived_values(ctx), ctx.package.figures)}
    assert checks.is_bookkeeping(found["gdp_parts_primary"]) and not checks.is_bookkeeping(found["gdp_parts_all"])
