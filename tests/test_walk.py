"""Generated prose of the generic walkthroughs: every sentence follows the package's data, in ctx.lang."""

from __future__ import annotations

import csv
import shutil

import pytest

from conftest import DATA, DISTRICT
from helpers.core import checks, relations
from helpers.reader import walk
from helpers.reader.params import setup

CITY = DATA / "jinan_2022"


@pytest.fixture(scope="module", params=["zh", "en"])
def city(request):
    return setup(data_dir=str(CITY), lang=request.param)


def test_overview_states_the_packages_own_counts(city):
    pkg = city.package
    text = walk.overview(city).markdown
    found = checks.check_all(relations.derive_all(pkg, city.relation_params), pkg.figures)
    findings, kept = len(checks.findings(found)), len(checks.bookkeeping(found))
    for number in (len(pkg.figures), len(pkg.non_figures), len(pkg.relations), findings, kept):
        assert str(number) in text
    assert str(findings + kept) not in text  # the bookkeeping checks are not counted among the findings


def test_overview_of_a_package_without_non_figures_says_it_records_none():
    ctx = setup(data_dir=str(DISTRICT), lang="en")
    assert ctx.package.non_figures.empty
    assert "records no digit run that is not a figure" in walk.overview(ctx).markdown


def test_section_summary_counts_that_sections_figures(city):
    figs = city.package.figures
    printed = figs["source"].fillna("") == ""
    for section in sorted(set(figs["section"])):
        n = int(((figs["section"] == section) & printed).sum())
        text = walk.section_summary(city, section).markdown
        assert (f"这一部分有{n}个数字" if city.lang == "zh" else f"This section prints {n} figure") in text


def test_figures_of_other_releases_are_counted_apart_with_their_sources(city):
    """The overview and the section say how many figures come from other releases, and name those releases."""
    figs = city.package.figures
    others = figs[figs["source"].fillna("") != ""]
    assert not others.empty
    overview = walk.overview(city).markdown
    assert (
        f"原文中的{len(figs) - len(others)}个数字"
        if city.lang == "zh"
        else f"It records {len(figs) - len(others)} figures printed in the source"
    ) in overview
    assert (
        f"还有{len(others)}个数字来自其他发布"
        if city.lang == "zh"
        else f"Another {len(others)} figures come from other releases"
    ) in overview
    for source in (s for s in city.package.sources if s["id"] in set(others["source"])):
        title = source["title"] if city.lang == "zh" else source["title_en"]
        assert title in overview and source["date"] in overview
    for section in sorted(set(others["section"])):
        n = int((others["section"] == section).sum())
        text = walk.section_summary(city, section).markdown
        assert (f"还有{n}个数字来自其他发布" if city.lang == "zh" else f"Another {n} figures") in text


def test_a_package_of_one_source_says_nothing_of_other_releases():
    ctx = setup(data_dir=str(DISTRICT), lang="en")
    assert "other releases" not in walk.overview(ctx).markdown
    assert "other releases" not in walk.section_summary(ctx, 1).markdown


def test_section_summary_of_a_section_without_figures_is_refused(city):
    empty = set(city.package.sections["section"]) - set(city.package.figures["section"])
    with pytest.raises(KeyError, match="holds no figures"):
        walk.section_summary(city, min(empty))


def test_sentences_follow_the_language():
    zh = walk.overview(setup(data_dir=str(CITY), lang="zh")).markdown
    en = walk.overview(setup(data_dir=str(CITY), lang="en")).markdown
    assert "数据包" in zh and "package" not in zh
    assert "package" in en and "数据包" not in en


def test_extremes_name_the_largest_amount_of_the_section(city):
    figs = city.package.figures
    money = figs[(figs["section"] == 1) & figs["base_unit"].isin(["CNY", "USD"])]
    top = money.loc[money["base_value"].astype(float).idxmax()]
    name = top["indicator_zh"] if city.lang == "zh" else top["indicator_en"]
    assert f"{name}" in walk.section_extremes(city, 1).markdown
    assert top["value"] in walk.section_extremes(city, 1).markdown


def test_charts_only_for_what_a_section_holds():
    ctx = setup(data_dir=str(CITY), lang="en")
    pop = ctx.package.figures[ctx.package.figures["section"] == 2]
    assert not pop["base_unit"].isin(["CNY", "USD"]).any()
    alts = [c.alt for c in walk.section_charts(ctx, 2)]
    assert alts and not any("Money" in a for a in alts)


def test_consistency_names_an_inconsistent_check(tmp_path):
    data = tmp_path / "jinan_2022"
    shutil.copytree(CITY, data)
    path = data / "figures.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    for r in rows:
        if r["id"] == "urbanisation_rate":
            r["value"], r["base_value"] = "75.3", "75.3"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    ctx = setup(data_dir=str(data), lang="en")
    label = ctx.package.relations.set_index("id").loc["urbanisation_rate_check", "label_en"]
    assert f"Inconsistent: {label}." in walk.consistency(ctx).markdown


def test_rates_per_thousand_are_not_called_rates_per_month():
    ctx = setup(data_dir=str(CITY), lang="en")
    assert "rate per thousand" in walk.measure_counts(ctx).iloc[:, 0].tolist()
    assert "per person per month" not in walk.overview(ctx).markdown


def test_text_shows_as_its_markdown():
    t = walk.Text("**x**")
    assert repr(t) == t._repr_markdown_() == "**x**"
