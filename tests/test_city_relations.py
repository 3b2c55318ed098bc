"""The relation kinds added for the city: parts summing to a whole, printed shares recomputed, shares a year earlier."""

from __future__ import annotations

import csv
import shutil

import pytest

from conftest import ROOT
from helpers.core import checks, package, relations
from helpers.core.intervals import from_printed
from helpers.reader.params import setup

CITY = ROOT / "data" / "jinan_2022"


@pytest.fixture(scope="module")
def ctx():
    return setup(data_dir=str(CITY))


@pytest.fixture(scope="module")
def derived(ctx):
    return {d.id: d for d in relations.derive_all(ctx.package, ctx.relation_params)}


@pytest.fixture(scope="module")
def found(ctx, derived):
    return {c.id: c for c in checks.check_all(list(derived.values()), ctx.package.figures)}


def interval(ctx, fid):
    f = ctx.package.figure(fid)
    return from_printed(f["value"], f["unit_zh"], f["qualifier"], bool(f["rounded"]))


def copy_city(tmp_path):
    target = tmp_path / "jinan_2022"
    shutil.copytree(CITY, target)
    descriptor = (target / "datapackage.json").read_text(encoding="utf-8")
    (target / "datapackage.json").write_text(
        descriptor.replace('"path": "../../../shared', '"path": "../shared'), encoding="utf-8"
    )
    return target


def rewrite(path, change):
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    fields = list(rows[0])
    rows = [r for r in (change(dict(r)) for r in rows) if r is not None]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_sum_of_parts_last_row_adds_every_part_of_the_whole(ctx, derived):
    parts = relations.group_parts(ctx.package.relations, "gdp")
    expected = interval(ctx, parts[0])
    for p in parts[1:]:
        expected = expected + interval(ctx, p)
    last = [d for d in derived.values() if d.kind == "sum_of_parts" and d.inputs[-1] == "gdp"][-1]
    assert last.interval == expected
    assert last.inputs == (*parts, "gdp")


def test_sum_of_parts_earlier_rows_hold_a_running_total(ctx, derived):
    first = next(d for d in derived.values() if d.kind == "sum_of_parts")
    assert first.interval == interval(ctx, first.inputs[0])
    assert "so far" in first.formula


def test_the_three_sectors_make_gdp_within_rounding(found):
    sums = [c for c in found.values() if c.inputs[-1] == "gdp" and "together must make" in c.explanation]
    assert [c.status for c in sums] == ["consistent"]


def test_the_birth_rate_is_the_natural_growth_rate_plus_the_death_rate_within_rounding(ctx, found):
    parts = relations.group_parts(ctx.package.relations, "declared_birth_rate")
    total = [c for c in found.values() if c.inputs == (*parts, "declared_birth_rate")]
    assert len(total) == 1 and total[0].status == "consistent"
    assert total[0].expected == interval(ctx, parts[0]) + interval(ctx, parts[1])


def test_parts_exceeding_their_whole_are_inconsistent(tmp_path):
    data = copy_city(tmp_path)
    rewrite(
        data / "figures.csv",
        lambda r: {**r, "value": "10027.5", "base_value": "1002750000000"} if r["id"] == "gdp" else r,
    )
    ctx = setup(data_dir=str(data))
    got = checks.check_all(relations.derive_all(ctx.package, ctx.relation_params), ctx.package.figures)
    verdicts = {c.id: c.status for c in got}
    assert verdicts["gdp_parts_all_sectors"] == "inconsistent"


def test_printed_share_recomputes_part_over_the_whole_it_is_related_to(ctx, derived):
    d = derived["urbanisation_rate_check"]
    assert d.inputs == ("urbanisation_rate", "urban_population", "resident_population")
    assert d.interval == 100 * interval(ctx, "urban_population") / interval(ctx, "resident_population")


def test_printed_shares_of_the_city_agree_with_their_parts(found):
    shares = [c for c in found.values() if c.id.endswith("_check")]
    assert shares and all(c.status == "consistent" for c in shares)


def test_a_printed_share_off_by_a_point_is_inconsistent(tmp_path):
    data = copy_city(tmp_path)
    rewrite(
        data / "figures.csv",
        lambda r: {**r, "value": "75.3", "base_value": "75.3"} if r["id"] == "urbanisation_rate" else r,
    )
    ctx = setup(data_dir=str(data))
    got = {
        c.id: c for c in checks.check_all(relations.derive_all(ctx.package, ctx.relation_params), ctx.package.figures)
    }
    assert got["urbanisation_rate_check"].status == "inconsistent"


def test_printed_share_without_a_whole_names_the_relation(tmp_path):
    data = copy_city(tmp_path)
    rewrite(data / "relations.csv", lambda r: None if r["id"] == "urban_share_of_residents" else r)
    pkg = package.load(data)
    with pytest.raises(relations.RelationError, match="urbanisation_rate_check.*no share_of_whole or sum_of_parts"):
        relations.derive_all(pkg, {"fx_usd_cny": None, "population": None})


def test_sibling_kinds_need_the_relations_table(ctx):
    row = next(ctx.package.relations[ctx.package.relations["kind"] == "sum_of_parts"].itertuples(index=False))
    with pytest.raises(relations.RelationError, match="reads the other rows of relations.csv"):
        relations.derive(row, ctx.package.figures, ctx.relation_params)


def test_a_part_of_two_wholes_is_refused_by_printed_share(ctx):
    rels = ctx.package.relations.copy()
    rels.loc[rels["id"] == "urban_share_of_residents", "y"] = "registered_population"
    extra = rels[rels["id"] == "urban_share_of_residents"].assign(id="urban_twice", y="resident_population")
    import pandas as pd

    with pytest.raises(relations.RelationError, match="several wholes"):
        relations.whole_of(pd.concat([rels, extra]), "urban_population")


def test_prior_share_subtracts_the_change_in_points(ctx, derived):
    d = derived["urbanisation_rate_prior_year"]
    assert d.interval == interval(ctx, "urbanisation_rate") - interval(ctx, "urbanisation_rate_change")
    assert d.unit == "percent"


def test_per_mille_rates_load_with_their_sign(ctx):
    f = ctx.package.figure("natural_growth_rate")
    assert f["base_unit"] == "per_mille" and f["value"].startswith("-")
    assert interval(ctx, "natural_growth_rate").hi < 0


def test_every_check_of_the_city_package_is_consistent(found):
    """README: the package's checks (sums, printed shares, shares of wholes) are all consistent."""
    assert found and {c.status for c in found.values()} == {"consistent"}
