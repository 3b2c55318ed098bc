"""The district within the city (helpers.within) and the shape of the notebooks the city branch adds."""

from __future__ import annotations

import nbformat
import pytest

from conftest import DATA, DISTRICT, ROOT
from helpers import within
from helpers.params import ParameterError, setup
from helpers.relations import figure_input

CITY = DATA / "jinan_2022"
CITY_NOTEBOOKS = [ROOT / "notebooks" / "08_district_in_city.ipynb",
                  *sorted((ROOT / "notebooks" / "generic").glob("*.ipynb"))]


@pytest.fixture(scope="module", params=["zh", "en"])
def ctx(request):
    return setup(lang=request.param, data_dir=str(DATA), city_dir=str(CITY))


def test_each_share_is_the_district_over_the_city_from_both_intervals(ctx):
    found = within.comparisons(ctx)
    assert [c.pairing.id for c in found] == [p.id for p in within.COMPARISONS]
    for c in found:
        assert c.share == 100 * figure_input(c.district_row).interval / figure_input(c.city_row).interval


def test_a_comparison_is_mixed_exactly_when_the_periods_differ(ctx):
    table = within.comparisons_table(ctx)
    mixed_word = "不同（混合时期）" if ctx.lang == "zh" else "mixed"
    flags = [c.same_period for c in within.comparisons(ctx)]
    assert [v == mixed_word for v in table.iloc[:, -1]] == [not f for f in flags]
    for c in within.comparisons(ctx):
        text = within.sentence(ctx, c.pairing.id).markdown
        assert (("混合时期" if ctx.lang == "zh" else "mixed-period") in text) == (not c.same_period)


def test_a_lower_bound_gives_a_share_open_above_and_says_so(ctx):
    c = within.compare(ctx, next(p for p in within.COMPARISONS if p.id == "market_entities_share"))
    assert c.district_row["qualifier"] == "more_than" and not c.share.is_bounded
    assert ("下限" if ctx.lang == "zh" else "lower bound") in within.sentence(ctx, "market_entities_share").markdown


def test_a_package_without_the_figure_leaves_the_comparison_out():
    ctx = setup(lang="en", data_dir=str(DISTRICT), city_dir=str(CITY))
    ids = [c.pairing.id for c in within.comparisons(ctx)]
    assert "residents_share" not in ids
    assert "nothing to compare" in within.sentence(ctx, "residents_share").markdown


def test_unknown_comparison_is_a_key_error_listing_the_known(ctx):
    with pytest.raises(KeyError, match="known: gdp_share"):
        within.sentence(ctx, "population_share")


def test_missing_city_package_names_the_parameter(tmp_path):
    ctx = setup(lang="en", data_dir=str(DATA), city_dir=str(tmp_path))
    with pytest.raises(ParameterError, match="parameter city_dir: no datapackage.json"):
        within.comparisons(ctx)


def test_leading_districts_are_ranked_by_gdp_with_the_district_among_them(ctx):
    table = within.leading_table(ctx)
    rows = within._gdp_rows(ctx)
    assert list(table.iloc[:, 0]) == list(range(1, len(rows) + 1))
    values = [float(v) for v in rows["base_value"]]
    assert values == sorted(values, reverse=True)
    rank = list(rows["id"]).index(within.DISTRICT_GDP) + 1
    assert (f"排第{rank}位" if ctx.lang == "zh" else f"ranks {rank}") in within.leading_sentence(ctx).markdown


def test_district_figures_have_their_own_sources_and_no_offsets():
    from helpers import package

    city = package.load(CITY)
    rows = within.district_figures(city)
    sources = {s["id"]: s for s in city.descriptor["sources"]}
    assert not rows.empty
    assert rows["char_start"].isna().all() and rows["char_end"].isna().all()
    for r in rows.itertuples(index=False):
        assert r.source in sources and "path" not in sources[r.source]
        assert {"title", "publisher", "date", "read_in"} <= set(sources[r.source])


def test_charts_carry_the_comparisons(ctx):
    assert f"({len(within.comparisons(ctx))})" in within.shares_chart(ctx).alt
    assert f"({len(within._gdp_rows(ctx))})" in within.leading_chart(ctx).alt


@pytest.mark.parametrize("notebook", CITY_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_markdown_cell_is_one_of_an_adjacent_zh_en_pair(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    i = 0
    while i < len(cells):
        c = cells[i]
        if c.cell_type == "markdown":
            assert c.metadata.get("tags") == ["lang-zh"], (notebook.name, i)
            assert cells[i + 1].cell_type == "markdown" and cells[i + 1].metadata.get("tags") == ["lang-en"]
            i += 2
            continue
        assert not {"lang-zh", "lang-en"} & set(c.metadata.get("tags", [])), (notebook.name, i)
        i += 1


@pytest.mark.parametrize("notebook", CITY_NOTEBOOKS, ids=lambda p: p.stem)
def test_the_parameters_cell_follows_the_title_pair(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [2]


def test_a_stated_district_period_is_named_against_the_citys_full_year(tmp_path):
    """With the district's new jobs dated Jan-Nov, the comparison names both periods and says it mixes them."""
    import csv
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("jinan_2022"))
    path = data / "figures.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    for r in rows:
        if r["id"] in ("new_urban_jobs", "new_urban_jobs_completion"):
            r["period"] = "2022-01/2022-11"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    ctx = setup(lang="zh", data_dir=str(data), city_dir=str(CITY))
    text = within.sentence(ctx, "new_jobs_share").markdown
    assert "区：2022年1-11月；全市：2022年" in text and "混合时期" in text


def test_a_package_without_a_source_column_has_no_district_figures():
    from helpers import package

    assert within.district_figures(package.load(DISTRICT)).empty
