"""A package states its own parameters (``x_defaults`` in datapackage.json: exchange rate, population base); the
notebooks read them through ``params.setup``, and nothing of this report's defaults reaches another package."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from helpers.core import relations
from helpers.reader import params, walk

PACKAGES = Path(__file__).parent / "packages"


def with_defaults(district: Path, defaults: dict) -> Path:
    descriptor = json.loads((district / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["x_defaults"] = defaults
    (district / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return district


def test_a_package_without_defaults_has_no_rate_and_no_population_base(district):
    ctx = params.setup(lang="en", data_dir=district)
    assert ctx.fx_usd_cny is None and ctx.population is None


def test_the_package_rate_and_population_base_are_read(district):
    ctx = params.setup(lang="en", data_dir=with_defaults(district, {"fx_usd_cny": "7.1", "population": 913000}))
    assert ctx.fx_usd_cny == Fraction("7.1") and ctx.population is not None and ctx.population.lo == 913000


def test_a_parameter_given_overrides_the_package(district):
    ctx = params.setup(lang="en", data_dir=with_defaults(district, {"fx_usd_cny": "7.1"}), fx_usd_cny=6.5)
    assert ctx.fx_usd_cny == Fraction("6.5")


def test_an_unknown_default_is_named(district):
    with pytest.raises(params.ParameterError, match="x_defaults.lang is not a parameter a package states"):
        params.setup(lang="en", data_dir=with_defaults(district, {"lang": "en"}))


def test_this_reports_defaults_are_its_own():
    ctx = params.setup(lang="en", data_dir=Path(__file__).parents[1] / "data")
    assert ctx.fx_usd_cny == Fraction("6.7261") and ctx.population is not None


@pytest.mark.parametrize("package", sorted(p.name for p in PACKAGES.iterdir() if p.is_dir()))
def test_another_package_gets_only_what_it_states(package):
    data_dir = PACKAGES / package
    own = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8")).get("x_defaults", {})
    ctx = params.setup(lang="en", data_dir=data_dir)
    assert ctx.fx_usd_cny == (Fraction(str(own["fx_usd_cny"])) if "fx_usd_cny" in own else None)
    assert (ctx.population is None) == ("population" not in own)


def test_a_relation_without_its_parameter_is_listed_with_the_reason(district):
    path = district / "relations.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "revenue_per_resident,per_capita,1,park_revenue,,population,false,人均园区营收,Park revenue per resident\n",
        encoding="utf-8",
    )
    ctx = params.setup(lang="en", data_dir=district)
    (skipped,) = relations.not_computed(ctx.package, ctx.relation_params)
    assert (skipped.id, skipped.parameter) == ("revenue_per_resident", "population")
    text = str(walk.section_derived(ctx, 1))
    assert "Park revenue per resident (the package states no population base)" in text


def test_a_relation_with_its_parameter_is_not_listed(district):
    path = district / "relations.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "revenue_per_resident,per_capita,1,park_revenue,,population,false,人均园区营收,Park revenue per resident\n",
        encoding="utf-8",
    )
    ctx = params.setup(lang="en", data_dir=with_defaults(district, {"population": 1000}))
    assert relations.not_computed(ctx.package, ctx.relation_params) == []
    assert "states no population base" not in str(walk.section_derived(ctx, 1))


def test_the_page_foot_names_no_rate_or_population_base_the_run_was_not_given():
    from helpers.build import modes

    shown = modes.shown_parameters({"data_dir": str(PACKAGES / "yuhuan_2019")})
    assert "fx_usd_cny" not in shown and "population" not in shown
    assert modes.shown_parameters({"fx_usd_cny": 7.1})["fx_usd_cny"] == 7.1


def test_this_reports_default_base_passed_to_another_package_gives_that_packages_own(district):
    assert params.setup(lang="en", data_dir=district, population="platform_residents").population is None
    ctx = params.setup(
        lang="en", data_dir=with_defaults(district, {"population": 1000}), population="platform_residents"
    )
    assert ctx.population is not None and ctx.population.lo == 1000
