"""Charts: every chart renders in both languages with alt text and a caption tied to the data, in one visual grammar.

Image comparisons: each chart kind (tests/plot_baselines.py) against its committed reference in
tests/baseline_images/, with matplotlib.testing.compare.compare_images at ``TOLERANCE`` (RMS of the
pixel difference, 0-255 scale): enough for anti-aliasing differences between FreeType builds, far below
what a moved mark, label or band produces.  Regenerate after an intended change of the drawing with
``.venv/bin/python tests/plot_baselines.py``.
"""

from __future__ import annotations

import inspect
import re
from fractions import Fraction
from urllib.parse import unquote

import plot_baselines
import pytest

from conftest import DATA, DISTRICT
from helpers.core import checks, relations
from helpers.core.intervals import Interval
from helpers.reader import amounts, labels, params, plots, tables
from helpers.reader.plots import fit, grammar, layout
from helpers.reader.plots.grammar import Mark

TOLERANCE = 2.0

#: Every chart the notebooks show (and the ones proposed for them), by a short name.
CALLS = {
    "money": lambda c: plots.money(c),
    "money_2": lambda c: plots.money(c, 2),
    "counts_5": lambda c: plots.counts(c, 5),
    "land_price": lambda c: plots.derived(
        c, ["land_price_per_m2"], "出让土地每平方米价格", "Land sale value per square metre", "元/平方米", "yuan per m²"
    ),
    "completion": lambda c: plots.percentages(
        c, 2, ("completion_pct",), "完成年度投资计划", "Completion of annual investment plans"
    ),
    "growth": lambda c: plots.percentages(c, 3, ("change_yoy_pct",), "同比增速", "Growth year on year"),
    "prior": lambda c: plots.derived(
        c,
        ["finance_prior_year", "it_services_prior_year", "retail_prior_year", "energy_output_prior_year"],
        "上年同期水平（推算）",
        "Level a year earlier (implied)",
        "亿元",
        "100 million yuan",
        scale=1e8,
    ),
    "prior_and_current": lambda c: plots.prior_and_current(c, 3),
    "caz_total": lambda c: plots.whole(c, "caz_named_investment_total"),
    "finance_city": lambda c: plots.whole(c, "finance_city_total"),
    "jobs_plan": lambda c: plots.whole(c, "jobs_annual_target"),
    "livelihood_total": lambda c: plots.whole(c, "livelihood_total_spending"),
    "air_days_base": lambda c: plots.whole(c, "good_air_days_implied_base"),
    "checks": lambda c: plots.checks(c),
    "checks_4": lambda c: plots.checks(c, 4),
}


@pytest.fixture(scope="module")
def zh():
    return params.setup(data_dir=str(DATA), lang="zh")


@pytest.fixture(scope="module")
def en():
    return params.setup(data_dir=str(DATA), lang="en")


@pytest.fixture(scope="module")
def drawn(zh, en):
    """Every chart in both languages, drawn once (a missing glyph would raise GlyphError here)."""
    return {(name, lang): call(ctx) for name, call in CALLS.items() for lang, ctx in (("zh", zh), ("en", en))}


# ---- display -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(CALLS))
def test_every_chart_has_alt_text_and_a_caption_in_its_language(drawn, name, lang):
    chart = drawn[name, lang]
    assert chart.svg.startswith(b"<svg") and chart.svg.endswith(b"</svg>")
    assert "No description" not in chart.alt and len(chart.alt) > 20
    cjk = re.compile(r"[\u4e00-\u9fff]")
    ends = "。" if lang == "zh" else "."
    assert chart.caption.endswith(ends)  # one sentence: no sentence ends inside it
    assert not re.search(r"。." if lang == "zh" else r"[.!?]\s+[A-Z]", chart.caption)
    if lang == "zh":
        assert cjk.search(chart.caption)
    else:
        assert not re.search(r"[，。；（）]", chart.caption + chart.alt)


def test_display_is_a_figure_with_alt_and_figcaption_and_text_plain_is_the_alt(drawn):
    chart = drawn["money", "zh"]
    bundle = chart._repr_mimebundle_()
    assert bundle["text/plain"] == chart.alt == repr(chart)
    page = bundle["text/html"]
    assert page.startswith("<figure") and f'<figcaption>{chart.caption}<span class="helpers-chart-source">' in page
    assert page.endswith("</span></figcaption></figure>")  # the source line and its CSV link close the caption
    src = re.search(r'src="data:image/svg\+xml,([^" ]+)"', page).group(1)
    assert unquote(src.replace("'", "%22")) == chart.svg.decode()
    assert re.search(r'alt="金额（对数刻度）。', page)


@pytest.mark.parametrize("name", list(CALLS))
def test_every_chart_carries_a_small_variant_for_a_phone_chosen_by_the_screen_width(drawn, name):
    chart = drawn[name, "en"]
    width = float(re.search(rb'<svg[^>]* width="([0-9.]+)pt"', chart.small_svg).group(1)) / 72  # inches
    assert fit.SMALL_WIDTH <= width < fit.SMALL_WIDTH + 0.3  # drawn for the column, not the desktop's 8 inches
    page = chart.html()
    source = re.search(r'<source media="\(max-width: ([0-9.]+)px\)" srcset="data:image/svg\+xml,([^" ]+)"', page)
    assert source and float(source.group(1)) < grammar.SMALL_SCREEN
    assert unquote(source.group(2).replace("'", "%22")) == chart.small_svg.decode()  # one URL: no space in it
    assert "min-width" not in page and "overflow-x" not in page  # scaled to its column, never scrolled sideways


@pytest.mark.parametrize("kind", [plot_baselines.dot, plot_baselines.pair, plot_baselines.bar, plot_baselines.panel])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_drawn_lies_outside_the_saved_picture_in_either_variant(kind, lang):
    wide = kind(lang)
    for fig in (wide, wide.helpers_small):
        renderer = _draw(fig)
        area = grammar.saved_area(fig)
        texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_visible()) if t.get_text()]
        assert texts
        for t in texts:
            e = t.get_window_extent(renderer).transformed(fig.dpi_scale_trans.inverted())
            assert area.x0 <= e.x0 and e.x1 <= area.x1 and area.y0 <= e.y0 and e.y1 <= area.y1, t.get_text()
        grammar.pyplot().close(fig)


@pytest.mark.parametrize("kind", [plot_baselines.dot, plot_baselines.pair, plot_baselines.bar])
def test_the_small_variant_writes_each_name_whole_above_its_row_and_its_tick_labels_do_not_overlap(kind):
    fig = kind("en").helpers_small
    renderer = _draw(fig)
    ax = fig.axes[0]
    names = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_va() == "top"]
    assert names and all("…" not in n for n in names)
    labels_drawn = sorted(
        (t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()), key=lambda e: e.x0
    )
    assert len(labels_drawn) >= 2
    assert all(a.x1 < b.x0 for a, b in zip(labels_drawn, labels_drawn[1:]))
    grammar.pyplot().close(fig)


def test_alt_text_is_escaped_in_the_html():
    chart = grammar.render(
        layout.bar_figure("en", [Mark('a "quoted" <b>', Interval.point(3))], "t", "n"), 'a "quoted" <b>', "c & d."
    )
    assert 'alt="a &quot;quoted&quot; &lt;b&gt;"' in chart.html() and "c &amp; d." in chart.html()


def test_same_chart_twice_gives_identical_bytes(zh):
    first, second = plots.checks(zh), plots.checks(zh)
    assert first.svg == second.svg and first.html() == second.html() and first.small_svg == second.small_svg
    assert b"<dc:date>" not in first.svg


def test_the_notebook_display_is_byte_stable_across_processes():
    """What nbval compares: the html of one chart drawn in two processes with different hash seeds."""
    import hashlib
    import os
    import subprocess
    import sys

    code = (
        "import hashlib, sys; from helpers.reader import params, plots; "
        f"ctx = params.setup(data_dir={str(DATA)!r}, lang='en'); "
        "print(hashlib.sha256(plots.money(ctx)._repr_mimebundle_()['text/html'].encode()).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1 and len(digests.pop()) == len(hashlib.sha256().hexdigest())


def test_english_labels_on_request(drawn):
    assert drawn["money", "en"].alt.startswith("Money amounts (log scale). Compares ")
    assert drawn["money", "zh"].alt.startswith("金额（对数刻度）。比较")


def test_empty_section_draws_not_reported(zh):
    assert "未报告" in plots.counts(zh, section=99).alt


@pytest.mark.parametrize("call", ["money", "counts_5", "land_price", "checks", "prior_and_current"])
def test_charts_render_for_the_fictional_district(call):
    chart = CALLS[call](params.setup(data_dir=str(DISTRICT), lang="en"))
    assert chart.alt and chart.caption


# ---- the grammar ---------------------------------------------------------------------------------


def _draw(fig):
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def test_a_lower_bound_is_an_arrow_pointing_right_inside_the_axes_with_its_label():
    fig = plot_baselines.dot("zh")
    renderer = _draw(fig)
    ax = fig.axes[0]
    box = ax.get_window_extent(renderer)
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert arrows, "no arrow drawn"
    for a in arrows:
        (x0, _), (x1, _) = a.xyann, a.xy
        assert x1 > x0  # points right, away from the bound
        extent = a.arrow_patch.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1
    bound = [t for t in ax.texts if t.get_text() == "≥ 3,200"]
    assert len(bound) == 1
    extent = bound[0].get_window_extent(renderer)
    assert box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1
    assert bound[0].get_fontsize() >= grammar.FONT_SIZE
    grammar.pyplot().close(fig)


@pytest.mark.parametrize("kind", [plot_baselines.dot, plot_baselines.pair, plot_baselines.bar])
def test_every_value_label_lies_inside_the_axes(kind):
    fig = kind("en")
    renderer = _draw(fig)
    ax = fig.axes[0]
    box = ax.get_window_extent(renderer)
    for t in ax.texts:
        if t.get_text():
            e = t.get_window_extent(renderer)
            assert box.x0 - 1 <= e.x0 and e.x1 <= box.x1 + 1, t.get_text()
    grammar.pyplot().close(fig)


def test_tick_labels_are_plain_numbers_without_offset_or_exponents():
    marks = [Mark("a", Interval.closed(Fraction(11297), Fraction(11307))), Mark("b", Interval.point(11310))]
    for log in (False, True):
        fig = layout.dot_figure("en", marks, "land price", "yuan per m²", log=log, zero=False)
        _draw(fig)
        ax = fig.axes[0]
        texts = [t.get_text() for t in ax.get_xticklabels()]
        assert ax.xaxis.get_offset_text().get_text() == ""
        assert texts and all(re.fullmatch(r"[0-9,]+(\.[0-9]+)?", t) for t in texts), texts
        assert any("," in t for t in texts)  # 11,300: the thousands are visible, not "+1.13e4"
        grammar.pyplot().close(fig)


def test_narrow_bands_carry_their_half_width_in_the_axis_unit_and_wide_ones_do_not():
    narrow = Mark("narrow", Interval(Fraction("83.99"), Fraction("84.01")))
    wide = Mark("wide", Interval(Fraction(20), Fraction(60)))
    fig = layout.dot_figure("en", [narrow, wide], "t", "u")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "84 (± 0.01)" in texts and "40" in texts
    assert layout.narrow_marks(fig) == [narrow]
    grammar.pyplot().close(fig)


def test_a_narrow_band_on_a_percentage_axis_gives_percentage_points_never_a_relative_width():
    growth = Mark("retail", Interval(Fraction("2.25"), Fraction("2.35"), True, False))
    wide = Mark("wide", Interval(Fraction(0), Fraction(60)))
    texts = [t.get_text() for t in layout.dot_figure("en", [growth, wide], "t", "%").axes[0].texts]
    assert "2.3 (± 0.05 pp)" in texts
    zh = [t.get_text() for t in layout.dot_figure("zh", [growth, wide], "t", "%").axes[0].texts]
    assert "2.3 (±0.05个百分点)" in zh
    grammar.pyplot().close("all")


def test_log_gridlines_are_decades_only_when_the_ticks_are_powers_of_ten():
    small = [Mark("a", Interval.point(80)), Mark("b", Interval.point(160))]
    wide = [Mark("a", Interval.point(1)), Mark("b", Interval.point(100000))]
    assert not layout.decade_gridlines(layout.dot_figure("en", small, "t", "u", log=True))
    assert layout.decade_gridlines(layout.dot_figure("en", wide, "t", "u", log=True))
    grammar.pyplot().close("all")


def test_each_kind_of_figure_has_its_own_marker_and_a_legend_entry():
    fig = plot_baselines.dot("en")
    legend = fig.legends[0]
    words = [t.get_text() for t in legend.get_texts()]
    for kind in ("exact", "approx", "estimate", "more_than"):
        assert labels.QUALIFIER_LABELS["en"][kind] in words
    assert layout.LEGEND_WORDS["en"]["derived"] in words
    markers = {line.get_marker() for line in fig.axes[0].lines if line.get_marker() not in (None, "None", "")}
    assert {layout.STYLE[k][0] for k in ("exact", "approx", "estimate", "more_than")} <= markers
    hollow = [line for line in fig.axes[0].lines if line.get_markerfacecolor() == "white"]
    assert len(hollow) == 1  # the derived mark
    grammar.pyplot().close(fig)


def test_long_names_wrap_and_leave_the_plotting_area_the_same_in_both_languages():
    zh_fig, en_fig = plot_baselines.dot("zh"), plot_baselines.dot("en")
    assert zh_fig.axes[0].get_position().bounds == en_fig.axes[0].get_position().bounds
    assert zh_fig.get_size_inches().tolist() == en_fig.get_size_inches().tolist()
    for label in en_fig.axes[0].get_yticklabels():
        assert label.get_text().count("\n") < grammar.MAX_LINES
        assert all(len(line) <= grammar.WRAP["en"] for line in label.get_text().split("\n"))
    assert grammar.wrap("x" * 200, "en").endswith("…")
    for f in (zh_fig, en_fig):
        grammar.pyplot().close(f)


def test_a_dollar_sign_renders_as_text_not_mathtext():
    fig = layout.bar_figure(
        "en",
        [Mark("$x$", Interval.point(1)), Mark("x", Interval.point(2)), Mark(r"$\frac{1}$", Interval.point(3))],
        "US$ 3.2 bn of US$ 100 mn",
        "US$",
    )
    renderer = _draw(fig)
    ticks = {t.get_text(): t.get_window_extent(renderer).width for t in fig.axes[0].get_yticklabels()}
    assert ticks["$x$"] > 2 * ticks["x"]  # the two dollar signs are drawn
    grammar.pyplot().close(fig)
    chart = grammar.render(
        layout.bar_figure("en", [Mark(r"$\frac{1}$", Interval.point(3))], r"$\frac{1}$", "$"), "alt", "caption."
    )
    assert chart.svg


def test_a_log_axis_asked_for_zero_or_negative_values_falls_back_to_linear():
    marks = [Mark("zero", Interval.point(0)), Mark("minus", Interval.point(-5)), Mark("ten", Interval.point(10))]
    fig = layout.dot_figure("en", marks, "t", "u", log=True)
    assert fig.axes[0].get_xscale() == "linear"
    assert grammar.render(fig, "alt", "caption.").svg


def test_bars_are_drawn_on_a_linear_axis_from_zero_and_counts_spanning_decades_as_dots_on_a_log_axis(zh):
    marks = [Mark("many", Interval.point(900_000)), Mark("few", Interval.point(3))]
    fig = layout.bar_figure("en", marks, "t", "u")
    assert fig.axes[0].get_xscale() == "linear" and fig.axes[0].get_xlim()[0] == 0
    assert "log" not in inspect.signature(layout.bar_figure).parameters
    assert grammar.render(fig, "alt", "caption.").svg
    spans = [s for s in sorted(set(zh.package.figures["section"])) if _count_span(zh, s) > 100]
    assert spans, "the package has a section whose counts span decades"
    assert _counts_scale(zh, spans[0]) == "log"


def _count_span(ctx, section) -> float:
    figs = ctx.package.figures
    values = [float(v) for v in figs[(figs["section"] == section) & (figs["base_unit"] == "count")]["base_value"]]
    return max(values) / max(min(values), 1) if values else 0.0


def _counts_scale(ctx, section) -> str:
    """The x scale of the counts chart of ``section``, read from the figure the chart draws."""
    from unittest import mock

    drawn = []
    real = layout.dot_figure

    def spy(*args, **kwargs):
        fig = real(*args, **kwargs)
        drawn.append(fig)
        return fig

    with mock.patch("helpers.reader.plots.charts.dot_figure", spy):
        plots.counts(ctx, section)
    return drawn[0].axes[0].get_xscale() if drawn else "linear"


def test_missing_glyph_is_an_error():
    fig = layout.bar_figure("zh", [Mark("\U0001f980 crab", Interval.point(1))], "title", "x")
    with pytest.raises(plots.GlyphError, match="missing from"):
        grammar.render(fig, "alt", "caption")


def test_a_whole_of_the_wrong_kind_is_refused_naming_the_relation(zh):
    with pytest.raises(ValueError, match="land_price_per_m2.*per_unit"):
        plots.whole(zh, "land_price_per_m2")


def test_number_text_formats_like_the_tables():
    assert grammar.number_text(Fraction(3200)) == "3,200"
    assert grammar.number_text(Fraction(113021, 100000)) == "1.13"
    assert grammar.number_text(Fraction(4557, 10000), 4) == "0.4557"
    assert grammar.number_text(Fraction(-5, 2), 1) == "−2.5"
    assert grammar.number_text(Fraction("475.76"), 0, -1) == "475"  # a lower bound rounds down
    assert grammar.number_text(Fraction("53.891"), 1, 1) == "53.9"  # an upper bound rounds up


# ---- captions and alt text tied to the data ------------------------------------------------------


def test_the_axis_unit_is_the_one_the_derived_table_uses(zh, drawn):
    table = tables.derived_table(zh, ids=["land_price_per_m2"])
    unit = table.iloc[0][labels.heading("interval", "zh")].split(" ")[-1]
    assert unit == "万元/平方米"  # what the issue asks for: the table's 万元, not 元 with an offset
    d = {x.id: x for x in tables.derived_values(zh)}["land_price_per_m2"]
    divisor, _ = amounts.display_scale(d.unit, d.interval.midpoint, "zh")
    assert f"{amounts.range_text(d.interval, 'zh', divisor)} {unit}" in drawn["land_price", "zh"].alt


def test_checks_caption_names_the_one_inconsistent_check_and_counts_the_rest(en, drawn):
    found = checks.check_all(tables.derived_values(en), en.package.figures)
    bad = [c for c in found if c.status == "inconsistent"]
    labels_en = {d.id: d.label_en for d in tables.derived_values(en)}
    caption = drawn["checks", "en"].caption
    assert len(bad) == 1 and labels_en[bad[0].id] in caption
    assert f"{sum(c.status == 'consistent' for c in found)} of {len(found)} checks" in caption
    gap = bad[0].observed.lo - bad[0].expected.hi
    assert grammar.number_text(gap) in caption


def test_prior_and_current_caption_names_the_fastest_and_slowest_growth(en, drawn):
    figs = en.package.figures.set_index("id")
    rels = en.package.relations[
        (en.package.relations["kind"] == "prior_level") & (en.package.relations["section"] == 3)
    ]
    growth = {figs.loc[r.x, "indicator_en"]: figs.loc[r.y, "value"] for r in rels.itertuples()}
    caption = drawn["prior_and_current", "en"].caption
    fastest = max(growth, key=lambda k: Fraction(growth[k]))
    slowest = min(growth, key=lambda k: Fraction(growth[k]))
    assert f"{fastest} grew fastest ({growth[fastest]}%)" in caption
    assert f"{slowest} slowest ({growth[slowest]}%)" in caption


def test_plan_caption_says_exceeds_exactly_when_completion_is_over_100(en, drawn):
    figs = en.package.figures.set_index("id")
    completion = Fraction(figs.loc["new_urban_jobs_completion", "value"])
    caption = drawn["jobs_plan", "en"].caption
    assert ("exceeds" in caption) == (completion > 100) and ("falls short" in caption) == (completion < 100)


def test_a_whole_of_days_is_compared_with_the_days_its_period_has(en, drawn):
    d = {x.id: x for x in tables.derived_values(en)}["good_air_days_implied_base"]
    short = d.period.days - d.interval  # an interval: the caption gives it as a range, never a point
    assert short.lo is not None and short.lo > 0
    caption = drawn["air_days_base", "en"].caption
    assert f"{amounts.range_text(short, 'en')} days fewer than the calendar" in caption


def test_money_caption_and_alt_name_the_largest_and_smallest_amount(zh, drawn):
    m = tables.money_frame(zh)
    chart = drawn["money", "zh"]
    for label in (m.iloc[0]["label"], m.iloc[-1]["label"]):
        assert label in chart.caption and label in chart.alt


def test_growth_alt_names_the_extremes_from_the_figures(zh, drawn):
    figs = zh.package.figures
    growth = figs[(figs["measure"] == "change_yoy_pct") & (figs["section"] == 3)]
    values = {r.indicator_zh: Fraction(r.value) for r in growth.itertuples()}
    alt = drawn["growth", "zh"].alt
    top, bottom = max(values, key=values.get), min(values, key=values.get)
    assert f"最高：{top} {figs.set_index('indicator_zh').loc[top, 'value']}%" in alt
    assert f"最低：{bottom} " in alt


def test_share_and_whole_caption_uses_the_derived_whole(zh, drawn):
    d = {x.id: x for x in tables.derived_values(zh)}["finance_city_total"]
    assert amounts.range_text(d.interval, "zh", 10**8) in drawn["finance_city", "zh"].caption
    assert relations.KINDS["implied_whole"].formula == "x / (y / 100)"


# ---- image comparison ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(plot_baselines.KINDS))
def test_chart_kind_matches_its_reference_image(name, tmp_path):
    from matplotlib.testing.compare import compare_images

    reference = plot_baselines.FOLDER / f"{name}.png"
    assert reference.is_file(), f"missing {reference}; run .venv/bin/python tests/plot_baselines.py"
    actual = tmp_path / f"{name}.png"
    actual.write_bytes(plot_baselines.draw(name))
    result = compare_images(str(reference), str(actual), TOLERANCE, in_decorator=True)
    assert result is None, f"{name} differs from {reference} (RMS {result and result['rms']:.2f}); see {tmp_path}"


def test_image_comparison_notices_a_moved_mark(tmp_path):
    """The tolerance is tight enough to fail when one value changes."""
    from matplotlib.testing.compare import compare_images

    fig = layout.dot_figure("zh", [Mark("a", Interval.point(10)), Mark("b", Interval.point(20))], "t", "u")
    moved = layout.dot_figure("zh", [Mark("a", Interval.point(10)), Mark("b", Interval.point(19))], "t", "u")
    (tmp_path / "a.png").write_bytes(grammar.render(fig, "a", "a", raster=True).png)
    (tmp_path / "b.png").write_bytes(grammar.render(moved, "b", "b", raster=True).png)
    result = compare_images(str(tmp_path / "a.png"), str(tmp_path / "b.png"), TOLERANCE, in_decorator=True)
    assert result is not None and result["rms"] > TOLERANCE


def test_a_font_cache_older_than_the_cjk_font_is_rebuilt(zh):
    from matplotlib import font_manager

    fm = font_manager.fontManager
    fm.ttflist = [f for f in fm.ttflist if "CJK" not in f.name]  # as if cached before fonts-noto-cjk
    chart = plots.counts(zh, section=1)
    assert chart.svg.startswith(b"<svg")
    assert any(f.name == plots.FONT for f in fm.ttflist)


def test_a_chart_is_drawn_as_png_only_when_asked():
    """Pages and notebooks show the SVGs; the PNG (image comparisons) costs a third draw, so it is opt-in."""
    marks = [Mark("a", Interval.point(3)), Mark("b", Interval.point(5))]
    shown = grammar.render(layout.bar_figure("en", marks, "t", "n"), "alt", "caption.")
    compared = grammar.render(layout.bar_figure("en", marks, "t", "n"), "alt", "caption.", raster=True)
    assert shown.png == b"" and shown.svg.startswith(b"<svg")
    assert compared.png.startswith(b"\x89PNG") and compared.svg == shown.svg


@pytest.mark.parametrize("lo,hi", [(0, 15), (0, 1), (0, 0.5), (0, 2500), (2.3, 2.7)])
def test_tick_labels_show_every_tick_exactly(lo, hi):
    from helpers.reader.plots.layout import _nice_ticks

    ticks, places = _nice_ticks(lo, hi)
    assert len(ticks) >= 2
    assert all(abs(round(t, places) - t) < 1e-9 for t in ticks)  # no tick is rounded to a neighbour's label
    assert len({f"{t:.{places}f}" for t in ticks}) == len(ticks)


def _absolute(d: str) -> list[float]:
    """The absolute coordinates of a path written with relative commands (m, l, q, c, z), in order."""
    out, x, y, start = [], 0.0, 0.0, (0.0, 0.0)
    for command, args in re.findall(r"([mlqcz])([^mlqcz]*)", d):
        if command == "z":
            x, y = start
            continue
        values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", args)]
        for k in range(0, len(values), 2):
            px, py = (values[k], values[k + 1]) if command == "m" and not out else (x + values[k], y + values[k + 1])
            out += [px, py]
        x, y = out[-2], out[-1]
        if command == "m":
            start = (x, y)
    return out


def test_compacted_path_data_draws_the_same_outline_without_accumulating_rounding():
    d = "M 0.004 0 L 10.004 0.004 L 20.004 0.008 C 20.5 1.5 21.25 3.125 22.004 4.004 Z M 30 30 L 31.5 30.25 z"
    wanted = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    compact = grammar._relative(d)
    assert " " not in compact and compact.startswith("m")
    assert all(abs(a - b) <= 0.005 + 1e-9 for a, b in zip(_absolute(compact), wanted))
    glyph = grammar._relative("M 3136 3443 L 3136 3014 L 5466 3014 z", 0, 64)
    assert [v * 64 for v in _absolute(glyph)] == [round(v / 64) * 64 for v in (3136, 3443, 3136, 3014, 5466, 3014)]


def test_a_compacted_svg_keeps_every_glyph_and_drops_what_is_not_drawn():
    fig = plot_baselines.dot("zh")
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    grammar.pyplot().close(fig)
    raw = buf.getvalue().decode()
    compact = grammar.compact_svg(buf.getvalue()).decode()
    assert len(compact) < 0.6 * len(raw)
    assert compact.startswith("<svg") and "<metadata>" not in compact and "<!--" not in compact
    assert len(re.findall(r"<path id=", compact)) == len(re.findall(r"<path id=", raw))
    assert len(re.findall(r"<use ", compact)) == len(re.findall(r"<use ", raw))
    for href in set(re.findall(r'href="#([^"]+)"', compact)):
        assert f'id="{href}"' in compact
    assert "NotoSansCJKsc-" in raw and "NotoSansCJKsc-" not in compact and "xlink" not in compact  # short ids


def _measured_texts(monkeypatch) -> list[str]:
    """The texts Agg's FreeType measures from now on, in order (a counting wrapper around the renderer's method)."""
    from matplotlib.backends.backend_agg import RendererAgg

    seen: list[str] = []
    measure = RendererAgg.get_text_width_height_descent

    def counted(self, s, prop, ismath):
        seen.append(s)
        return measure(self, s, prop, ismath)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", counted)
    return seen


def _label_extent(text: str) -> tuple[float, float]:
    """The width and height (px) of ``text`` as a label of a new figure."""
    plt = grammar.pyplot()
    fig = plt.figure(figsize=(2, 1))
    try:
        box = fig.text(0.1, 0.5, text, fontsize=grammar.FONT_SIZE).get_window_extent(fig.canvas.get_renderer())
        return box.width, box.height
    finally:
        plt.close(fig)


def test_a_text_is_measured_once_for_every_figure_that_shows_it(monkeypatch):
    seen = _measured_texts(monkeypatch)
    first, second = _label_extent("本合集 shared label 1"), _label_extent("本合集 shared label 1")
    assert first == second and seen.count("本合集 shared label 1") == 1


def test_a_text_is_measured_again_when_freetype_hinting_changes(monkeypatch):
    import matplotlib

    seen = _measured_texts(monkeypatch)
    _label_extent("hinted label 2")
    with matplotlib.rc_context({"text.hinting": "no_hinting"}):
        _label_extent("hinted label 2")
    assert seen.count("hinted label 2") == 2


def test_a_shared_measure_is_the_one_matplotlib_computes():
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    grammar.pyplot()
    prop = FontProperties(family=grammar.FONT, size=grammar.FONT_SIZE)
    direct = RendererAgg(200, 100, 100).get_text_width_height_descent("直接 measured 3", prop, False)
    assert _label_extent("直接 measured 3")[0] == pytest.approx(direct[0])


def _text_to_path():
    """The text-to-path converter the SVG backend lays texts out with, and the charts' font as it opens it."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    grammar.pyplot()
    font = text_to_path._get_font(FontProperties(family=grammar.FONT, size=grammar.FONT_SIZE))
    return text_to_path, font


def test_a_text_is_laid_out_as_glyphs_once_for_every_svg_that_shows_it(monkeypatch):
    from matplotlib import _text_helpers

    laid: list[str] = []
    layout_once = _text_helpers.layout

    def counted(string, font, **kwargs):
        laid.append(string)
        return layout_once(string, font, **kwargs)

    monkeypatch.setattr(_text_helpers, "layout", counted)
    plt = grammar.pyplot()
    drawn = []
    for _ in range(2):
        fig = plt.figure(figsize=(2, 1))
        fig.text(0.1, 0.5, "两张图 shared glyphs 4", fontsize=grammar.FONT_SIZE)
        drawn.append(grammar._saved(fig, "svg", grammar.saved_area(fig)))
        plt.close(fig)
    assert drawn[0] == drawn[1] and drawn[1].count(b"<use ") == len("两张图 shared glyphs 4")  # spaces are glyphs
    assert laid.count("两张图 shared glyphs 4") == 1


def test_a_shared_glyph_layout_is_the_one_matplotlib_computes():
    from collections import OrderedDict

    import numpy as np

    converter, font = _text_to_path()
    lay_out = type(converter).get_glyphs_with_font.helpers_original
    seen = OrderedDict({"NotoSansCJKsc-Regular-4e00": None})  # a glyph this SVG has already defined
    for text in ("一致 the same 5", "一致 the same 5"):  # laid out, then taken from what is kept
        shared = converter.get_glyphs_with_font(font, text, OrderedDict(seen), return_new_glyphs_only=True)
        direct = lay_out(converter, font, text, OrderedDict(seen), return_new_glyphs_only=True)
        assert shared[0] == direct[0] and list(shared[1]) == list(direct[1]) and shared[2] == direct[2]
        for name, (vertices, codes) in shared[1].items():
            assert np.array_equal(vertices, direct[1][name][0]) and np.array_equal(codes, direct[1][name][1])
            assert not vertices.flags.writeable  # shared by every SVG: nobody may change it


def test_a_missing_glyph_is_an_error_in_every_chart_that_shows_it():
    for _ in range(2):  # the second chart's text was measured before: it must not pass unnoticed
        fig = layout.bar_figure("zh", [Mark("\U0001f980 crab 6", Interval.point(1))], "title", "x")
        with pytest.raises(plots.GlyphError, match="missing from"):
            grammar.render(fig, "alt", "caption")


def test_looking_up_glyphs_imports_neither_pyplot_nor_seaborn():
    """validate and a run check every name's glyphs before drawing anything: with the font manager alone."""
    import subprocess
    import sys

    code = (
        "import sys; from helpers.reader.plots import grammar; print(grammar.missing_glyphs('市中区 \\U0001f980'), "
        "'matplotlib.pyplot' in sys.modules, 'seaborn' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["['\U0001f980']", "False", "False"]


@pytest.mark.parametrize(
    "svg",
    [
        bytes(range(128)),  # every ASCII character, "%" and both quotes among them
        b'<svg width="8" style="fill:#fff"><path d="m1,2l-3,4z"/></svg>',
        b"100%25 is not an escape",  # a "%" followed by hex digits: encoded, not kept
        "<text>\u5e02\u4e2d\u533a 50%</text>".encode(),  # non-ASCII: quote's own encoding of UTF-8
        b"",
    ],
    ids=["ascii", "svg", "percent", "non-ascii", "empty"],
)
def test_a_data_uri_encodes_as_urllib_quote_does_with_double_quotes_made_single(svg):
    from urllib.parse import quote

    wanted = "data:image/svg+xml," + quote(svg.decode("utf-8"), safe=grammar.URI_SAFE).replace("%22", "'")
    assert grammar.data_uri(svg) == wanted
    assert unquote(grammar.data_uri(svg).split(",", 1)[1].replace("'", '"')) == svg.decode("utf-8")  # reversible


def test_a_data_uri_refuses_bytes_that_are_not_utf8():
    with pytest.raises(UnicodeDecodeError):
        grammar.data_uri(b"<svg>\xff</svg>")
