"""The district within the city (helpers.reader.within) and the shape of the notebooks the city branch adds."""

from __future__ import annotations

from fractions import Fraction

import nbformat
import pytest

from conftest import DATA, DISTRICT, ROOT
from helpers.core.relations import figure_input
from helpers.reader import amounts, within
from helpers.reader.params import ParameterError, setup
from helpers.reader.plots.charts import printed_places

CITY = DATA / "jinan_2022"
CITY_NOTEBOOKS = [
    ROOT / "notebooks" / "08_district_in_city.ipynb",
    *sorted((ROOT / "notebooks" / "generic").glob("*.ipynb")),
]


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
    with pytest.raises(ParameterError, match="parameter city_dir: no datapackage.json"):  # up front, in setup
        setup(lang="en", data_dir=str(DATA), city_dir=str(tmp_path))


def test_leading_districts_are_ranked_by_gdp_with_the_district_among_them(ctx):
    table = within.leading_table(ctx)
    rows = within._gdp_rows(ctx)
    assert list(table.iloc[:, 0]) == list(range(1, len(rows) + 1))
    values = [float(v) for v in rows["base_value"]]
    assert values == sorted(values, reverse=True)
    rank = list(rows["id"]).index(within.DISTRICT_GDP) + 1
    assert (f"排第{rank}位" if ctx.lang == "zh" else f"ranks {rank}") in within.leading_sentence(ctx).markdown


def test_district_figures_have_their_own_sources_and_no_offsets():
    from helpers.core import package

    city = package.load(CITY)
    rows = within.district_figures(city)
    sources = {s["id"]: s for s in city.descriptor["sources"]}
    assert not rows.empty
    assert rows["char_start"].isna().all() and rows["char_end"].isna().all()
    for r in rows.itertuples(index=False):
        assert r.source in sources and "path" not in sources[r.source]
        assert {"title", "publisher", "date", "read_in"} <= set(sources[r.source])


def _pct(ctx, share):
    """A share as a reader reads it: a range with its ends rounded outward, or a bound rounded down."""
    from helpers.reader import amounts

    return amounts.range_text(share, ctx.lang) + "%"


def _label(ctx, c):
    return c.pairing.label_zh if ctx.lang == "zh" else c.pairing.label_en


def test_shares_are_hollow_marks_and_only_an_open_share_is_a_bound(ctx):
    found = within.comparisons(ctx)
    marks = within.share_marks(ctx, found)
    assert all(m.derived for m in marks)
    assert [m.kind == "more_than" for m in marks] == [not c.share.is_bounded for c in found]
    assert [("混合时期" if ctx.lang == "zh" else "mixed periods") in m.label for m in marks] == [
        not c.same_period for c in found
    ]


def test_both_charts_draw_every_character_in_both_languages(ctx):
    """render() raises GlyphError on a missing glyph (and the suite makes matplotlib's UserWarnings errors)."""
    import html

    for chart in (within.shares_chart(ctx), within.leading_chart(ctx)):
        assert b"<svg" in chart.svg and b"<svg" in chart.small_svg
        assert f'<figcaption>{html.escape(chart.caption)}<span class="helpers-chart-source">' in chart.html()


def test_a_label_the_fonts_cannot_draw_fails_the_shares_chart(monkeypatch):
    from dataclasses import replace

    from helpers.reader.plots import GlyphError

    first, *rest = within.COMPARISONS
    monkeypatch.setattr(within, "COMPARISONS", (replace(first, label_en=first.label_en + "\ue000"), *rest))
    with pytest.raises(GlyphError):
        within.shares_chart(setup(lang="en", data_dir=str(DATA), city_dir=str(CITY)))


def test_charts_carry_the_comparisons(ctx):
    """The alt text names how many shares are compared and every one with the value written at its mark."""
    found = within.comparisons(ctx)
    alt = within.shares_chart(ctx).alt
    assert (f"比较{len(found)}项" if ctx.lang == "zh" else f"Compares {len(found)} shares") in alt
    for c in found:
        assert f"{_label(ctx, c)}" in alt and _pct(ctx, c.share) in alt
    rows = within._gdp_rows(ctx)
    alt = within.leading_chart(ctx).alt
    assert (f"比较{len(rows)}个区" if ctx.lang == "zh" else f"Compares {len(rows)} districts") in alt
    divisor = amounts.money_scale(ctx.lang)[0]
    for r in rows.itertuples(index=False):
        places = printed_places(r, divisor)
        shown = f"{float(Fraction(str(r.base_value)) / divisor):,.{places}f}"
        assert f"{r.topic_zh if ctx.lang == 'zh' else r.topic_en}" in alt and shown in alt


def test_the_shares_caption_names_the_highest_the_lowest_the_bound_and_the_mixed_periods(ctx):
    found = within.comparisons(ctx)
    caption = within.shares_chart(ctx).caption
    bounded = [c for c in found if c.share.is_bounded]
    hi = max(bounded, key=lambda c: c.share.midpoint)
    lo = min(bounded, key=lambda c: c.share.midpoint)
    zh = ctx.lang == "zh"
    top, bottom = _pct(ctx, hi.share), _pct(ctx, lo.share)
    assert (f"{_label(ctx, hi)}最高（{top}" if zh else f"{_label(ctx, hi)} is the highest ({top}") in caption
    assert (f"{_label(ctx, lo)}最低（{bottom}）" if zh else f"{_label(ctx, lo)} the lowest ({bottom})") in caption
    clear = all(hi.share.lo >= c.share.hi for c in bounded if c is not hi)
    assert (("不重叠" if zh else "clear of the others") in caption) == clear
    for c in found:
        if not c.share.is_bounded:
            assert (
                f"{_label(ctx, c)}只有下限（{_pct(ctx, c.share)}"
                if zh
                else f"{_label(ctx, c)} has only a lower bound ({_pct(ctx, c.share)}"
            ) in caption
    mixed = sum(not c.same_period for c in found)
    assert (f"{len(found)}项中{mixed}项混合" if zh else f"{mixed} of the {len(found)} mix two periods") in caption
    assert caption.count("。" if zh else ". ") == (1 if zh else 0) and caption.endswith("。" if zh else ".")


def test_an_overlapping_highest_share_is_not_called_clear(ctx):
    from dataclasses import replace

    from helpers.core.intervals import Interval

    found = within.comparisons(ctx)
    bounded = sorted((c for c in found if c.share.is_bounded), key=lambda c: c.share.midpoint)
    top, second = bounded[-1], bounded[-2]
    widened = replace(top, share=Interval(second.share.lo, top.share.hi, True, False))
    caption = within.shares_finding(ctx, [widened if c is top else c for c in found])
    assert ("区间与其他项重叠" if ctx.lang == "zh" else "overlapping another") in caption
    assert ("不重叠" if ctx.lang == "zh" else "clear of the others") not in caption


def test_the_shares_chart_leaves_out_what_the_package_lacks():
    ctx = setup(lang="en", data_dir=str(DISTRICT), city_dir=str(CITY))
    chart = within.shares_chart(ctx)
    residents = next(p for p in within.COMPARISONS if p.id == "residents_share")
    assert residents.label_en not in chart.alt and residents.label_en not in chart.caption
    n = len(within.comparisons(ctx))
    assert f"Compares {n} share{'s' if n != 1 else ''}:" in chart.alt


def test_the_leading_caption_gives_the_districts_rank_and_neighbours(ctx):
    table = within.leading_table(ctx)
    caption = within.leading_chart(ctx).caption
    names = list(table.iloc[:, 1])
    rank = list(within._gdp_rows(ctx)["id"]).index(within.DISTRICT_GDP)
    assert caption.startswith(names[rank])
    assert (
        f"在报道的{len(names)}个区中排第{rank + 1}位"
        if ctx.lang == "zh"
        else f"ranks {rank + 1} of the {len(names)} districts reported"
    ) in caption
    if 0 < rank < len(names) - 1:
        assert names[rank - 1] in caption and names[rank + 1] in caption
    assert all(n not in caption for i, n in enumerate(names) if abs(i - rank) > 1)


def test_the_leading_caption_without_the_district_names_the_highest_and_lowest(ctx, monkeypatch):
    monkeypatch.setattr(within, "DISTRICT_GDP", "no_such_figure")
    names = list(within.leading_table(ctx).iloc[:, 1])
    caption = within.leading_chart(ctx).caption
    assert ("排第" if ctx.lang == "zh" else "ranks") not in caption
    assert names[0] in caption and names[-1] in caption


def test_english_counts_are_written_in_full_with_an_english_noun_or_none():
    """Chinese keeps 万 and the printed counter (万户); English writes the count in full, never "× 10,000" or a
    Chinese counter, and never calls market entities (户) households."""
    en = setup(lang="en", data_dir=str(DATA), city_dir=str(CITY))
    text = " ".join(within.comparisons_table(en).astype(str).to_numpy().ravel())
    assert "10,000" not in text and "households" not in text and "peoples" not in text
    assert not any(c in text for c in "万户人名个")
    assert " people" in text  # the residents: 人 has an English noun
    zh = setup(lang="zh", data_dir=str(DATA), city_dir=str(CITY))
    assert "万户" in " ".join(within.comparisons_table(zh).astype(str).to_numpy().ravel())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_comparison_tables_show_every_cell_in_full_without_an_index(lang):
    ctx = setup(lang=lang, data_dir=str(DATA), city_dir=str(CITY))
    for t in (within.comparisons_table(ctx), within.leading_table(ctx)):
        html = t._repr_html_()
        assert "<th>0</th>" not in html and "...</td>" not in html


@pytest.mark.parametrize("notebook", CITY_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_markdown_cell_is_one_of_an_adjacent_zh_en_pair(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    i = 0
    while i < len(cells):
        c = cells[i]
        if c.cell_type == "markdown":
            extra = [t for t in c.metadata.get("tags", []) if t == "jupyterlab-only"]  # prose about code, off the site
            assert c.metadata.get("tags") == ["lang-zh", *extra], (notebook.name, i)
            assert cells[i + 1].cell_type == "markdown" and cells[i + 1].metadata.get("tags") == ["lang-en", *extra]
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
    from helpers.core import package

    assert within.district_figures(package.load(DISTRICT)).empty


def test_english_printed_gdp_says_what_its_chinese_unit_means():
    from helpers.reader.amounts import printed_unit_label

    ctx = setup(lang="en", data_dir=str(DATA), city_dir=str(CITY))
    rows = within._gdp_rows(ctx)
    gdp = list(within.leading_table(ctx).iloc[:, 2])
    assert gdp == [f"{r.value} {printed_unit_label(r.unit_zh, 'en')}" for r in rows.itertuples(index=False)]
    assert all(r.unit_zh != printed_unit_label(r.unit_zh, "en") for r in rows.itertuples(index=False))


def test_the_city_package_is_the_one_the_district_package_names_when_city_dir_is_empty(tmp_path):
    """08 runs wherever its notebook is: an empty city_dir is the package's x_city_package, relative to data_dir."""
    ctx = setup(lang="zh", data_dir=str(DATA))
    assert ctx.city_dir is not None and ctx.city_dir.resolve() == CITY.resolve()
    assert within.comparisons(ctx)


def test_a_package_that_names_no_city_package_leaves_city_dir_empty_and_the_comparison_says_so():
    ctx = setup(lang="en", data_dir=str(DISTRICT))
    assert ctx.city_dir is None
    with pytest.raises(ParameterError, match="parameter city_dir"):
        within.comparisons_table(ctx)


def test_the_city_source_is_named_by_title_publisher_and_date(ctx):
    src = within.city_package(ctx).source
    text = within.city_source(ctx).text
    assert src["title"] in text and src[f"publisher_{ctx.lang}"] in text
    assert ("2023年4月12日" if ctx.lang == "zh" else "12 Apr 2023") in text and src["date"] == "2023-04-12"
