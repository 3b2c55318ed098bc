"""Each chart's source and data (helpers.reader.plots.sources): the line under a chart names the figures it draws and
where they were printed, and its CSV holds exactly the marks drawn, in the page's language, with the codebook's
columns."""

from __future__ import annotations

import base64
import csv
import html
import io
import re
from fractions import Fraction

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from conftest import DATA
from helpers.build import codebook
from helpers.core import relations
from helpers.reader import amounts, params, plots, tables, words
from helpers.reader.plots import sources
from helpers.reader.plots.grammar import Chart


@pytest.fixture(scope="module", params=["zh", "en"])
def ctx(request):
    return params.setup(data_dir=str(DATA), lang=request.param)


def table(chart: Chart) -> list[dict[str, str]]:
    assert chart.data.startswith("\ufeff".encode())  # a byte-order mark: Excel on Windows reads the Chinese
    text = chart.data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == sources.COLUMNS
    return list(reader)


def number(x: Fraction | None, divisor) -> str:
    return "" if x is None else format(float(Fraction(x) / divisor), ".12g")


def test_the_money_chart_offers_each_figure_it_draws_at_the_axis_unit_with_where_it_was_printed(ctx):
    chart = plots.money(ctx, section=3)
    figs = ctx.package.figures
    drawn = figs[(figs["section"] == 3) & figs["base_unit"].isin(["CNY", "USD"])]
    rows = {r["figure_ids"]: r for r in table(chart)}
    assert set(rows) == set(drawn["id"])
    divisor, _ = amounts.money_scale(ctx.lang)
    title = ctx.package.sections.set_index("section").loc[3, f"title_{ctx.lang}"]
    for f in drawn.itertuples(index=False):
        i = relations.figure_input(f).interval * (ctx.fx if f.base_unit == "USD" else 1)
        row = rows[f.id]
        assert (row["low"], row["high"]) == (number(i.lo, divisor), number(i.hi, divisor)), f.id
        assert row["row"] == getattr(f, f"indicator_{ctx.lang}")
        assert title in row["printed_in"] and str(3) in row["printed_in"]
        assert getattr(f, f"indicator_{ctx.lang}") in chart.source  # the line names every figure drawn
    assert title in chart.source


def test_many_printed_figures_of_one_place_drawn_as_rows_are_counted_and_each_kept_in_the_csv(ctx):
    chart = plots.counts(ctx, section=5)
    printed = [r for r in table(chart) if r["kind"] == words.say("chart_source.kind_printed", ctx.lang)]
    places = {r["printed_in"] for r in printed}
    assert len(places) == 1 and len(printed) > sources.LISTED  # one place, more figures than are listed by name
    said = words.say("chart_source.printed_rows", ctx.lang, where=places.pop(), n=len(printed))
    assert said in chart.source
    assert not any(words.say("quote.name", ctx.lang, name=r["row"]) in chart.source for r in printed)


def test_many_printed_figures_that_are_not_rows_of_the_chart_are_each_named():
    from helpers.core.intervals import Interval
    from helpers.reader.plots import grammar

    fig = grammar.pyplot().figure()
    sources.set_lang(fig, "en")
    names = [f"input {k}" for k in range(sources.LISTED + 1)]
    printed = tuple(sources.Printed(f"f{k}", name, "the report, section 1", 1) for k, name in enumerate(names))
    for k in range(len(names)):
        mark = grammar.Mark(f"value {k}", Interval(Fraction(k), Fraction(k)), printed=printed[k : k + 1])
        sources.record(fig, f"row {k}", mark, 1, "")
    line = sources.source_line(fig)
    grammar.pyplot().close(fig)
    assert all(f"“{name}”" in line for name in names)


def test_a_few_printed_figures_of_one_place_are_each_named(ctx):
    chart = plots.money(ctx, section=3)
    printed = [r for r in table(chart) if r["kind"] == words.say("chart_source.kind_printed", ctx.lang)]
    assert 1 < len(printed) <= sources.LISTED
    assert all(words.say("quote.name", ctx.lang, name=r["row"]) in chart.source for r in printed)


def test_derived_values_are_named_as_derived_with_their_relation_and_inputs(ctx):
    chart = plots.prior_and_current(ctx, 3)
    rels = ctx.package.relations
    prior = rels[(rels["kind"] == "prior_level") & (rels["section"] == 3)]
    found = {d.id: d for d in tables.derived_values(ctx, 3)}
    rows = table(chart)
    derived = [r for r in rows if r["relation_id"]]
    assert {r["relation_id"] for r in derived} == {i for i in prior["id"] if i in found}
    for r in derived:
        d = found[r["relation_id"]]
        assert r["kind"] == words.say("chart_source.kind_derived", ctx.lang)
        assert r["figure_ids"].split(";") == list(
            dict.fromkeys(i for i in d.inputs if i in set(ctx.package.figures["id"]))
        )
        assert getattr(d, f"label_{ctx.lang}") in chart.source
    title = ctx.package.sections.set_index("section").loc[3, f"title_{ctx.lang}"]
    where = words.say("chart_source.in_report", ctx.lang, n=3, title=words.say("quote.name", ctx.lang, name=title))
    names = words.say("chart_source.sep", ctx.lang).join(
        words.say("quote.name", ctx.lang, name=getattr(found[r["relation_id"]], f"label_{ctx.lang}")) for r in derived
    )
    said = words.say("chart_source.derived_from", ctx.lang, where=where, names=names)
    assert said[0].upper() + said[1:] in chart.source if ctx.lang == "en" else said in chart.source


def test_the_checks_chart_offers_one_recomputed_row_per_check_and_the_range_it_must_lie_in(ctx):
    from helpers.core import checks
    from helpers.reader import tables

    found = checks.check_all(tables.derived_values(ctx), ctx.package.figures)
    rows = table(plots.checks(ctx))
    recomputed = [r for r in rows if r["kind"] == words.say("chart_source.kind_derived", ctx.lang)]
    assert [r["relation_id"] for r in recomputed] == [c.id for c in found]
    for r, c in zip(recomputed, found):
        assert (r["low"], r["high"]) == (number(c.expected.lo, 1), number(c.expected.hi, 1))
    required = [r for r in rows if r["kind"] == words.say("chart_source.kind_required", ctx.lang)]
    assert all(r["figure_ids"] == "" and r["value"] == "" for r in required)


def test_a_chart_says_what_it_draws_and_links_its_csv_in_its_figure(ctx):
    chart = plots.counts(ctx, 2)
    page = chart.html()
    line = re.search(
        r'<span class="helpers-chart-source">(.*?) <a class="helpers-chart-data" download="([^"]+)" '
        r'href="data:text/csv;charset=utf-8;base64,([^"]+)">([^<]+)</a></span></figcaption>',
        page,
    )
    assert line, page[-400:]
    assert html.unescape(line[1]) == chart.source
    assert line[2] == html.escape(chart.data_name) and line[2].endswith(".csv")
    assert base64.b64decode(line[3]) == chart.data
    assert line[4] == html.escape(words.say("chart_source.download", ctx.lang))
    assert chart.source.startswith(words.say("chart_source.lead", ctx.lang))
    assert chart.source.endswith(words.say("punct.stop", ctx.lang))


def test_a_line_and_a_file_name_from_hostile_names_stay_text():
    assert sources.file_name('a/b:c*?"<x>|') == "a b c x.csv"
    assert sources.file_name("  ") == "chart.csv"
    part = sources.html("<script>alert(1)</script>", b"x", 'n"><img onerror=1>.csv', "en")
    assert "<script>" not in part and "<img" not in part and "&lt;script&gt;" in part


def test_an_empty_chart_offers_no_line_and_no_file(ctx):
    chart = plots.charts.empty(ctx, "t")
    assert chart.source == "" and chart.data == b"" and "helpers-chart-source" not in chart.html()


def _chart_notebook(chart: Chart):
    nb = new_notebook()
    nb.cells.append(
        new_code_cell("plots.counts(ctx, 2)", outputs=[new_output("display_data", data={"text/html": chart.html()})])
    )
    return nb


def test_the_codebook_describes_every_column_the_charts_offer(ctx):
    chart = plots.counts(ctx, 2)
    charts = codebook.chart_tables(_chart_notebook(chart), "02_new_foundations.ipynb")
    assert charts == {f"02_new_foundations.ipynb: {chart.data_name}": list(sources.COLUMNS)}
    page = codebook.page(ctx.lang, [], charts)
    assert f"## {words.say('codebook.charts', ctx.lang)}" in page
    for column in sources.COLUMNS:
        assert f"| `{column}` |" in page


def test_a_chart_column_without_a_description_fails_naming_the_notebook_and_the_file(ctx):
    chart = plots.counts(ctx, 2)
    data = chart.data.decode("utf-8-sig").replace("relation_id", "surprise", 1).encode("utf-8")
    odd = Chart(chart.svg, chart.alt, chart.caption, b"", b"", chart.source, data, chart.data_name, ctx.lang)
    charts = codebook.chart_tables(_chart_notebook(odd), "02_new_foundations.ipynb")
    with pytest.raises(
        codebook.CodebookError, match=r"02_new_foundations\.ipynb: .*\.csv: chart data column 'surprise'"
    ):
        codebook.page(ctx.lang, [], charts)


def test_the_csv_follows_the_data(ctx, tmp_path):
    """A figure's value changed in the package changes the row of the chart's CSV (nothing is typed in)."""
    import shutil

    import pandas as pd

    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("jinan_2022"))
    figures = pd.read_csv(tmp_path / "data" / "figures.csv", dtype=str, keep_default_na=False)
    k = figures.index[figures["id"] == "relocated_households"][0]
    figures.loc[k, ["value", "base_value"]] = "3001"
    figures.to_csv(tmp_path / "data" / "figures.csv", index=False, lineterminator="\n")
    other = params.setup(data_dir=str(tmp_path / "data"), lang=ctx.lang)
    row = next(r for r in table(plots.counts(other, 2)) if r["figure_ids"] == "relocated_households")
    assert (row["value"], row["low"], row["high"]) == ("3001", "3001", "3001")
