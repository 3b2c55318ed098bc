"""Display tables: no row index, no truncated cell, numbers at the precision their interval supports, every word in
the reader's language and no raw identifier."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from conftest import DATA, DISTRICT
from helpers.core import relations
from helpers.core.intervals import Interval
from helpers.reader import amounts, escape, explain, labels, params, tables

CJK = re.compile(r"[\u3400-\u9fff]")
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def all_tables(ctx):
    """Every display table a notebook shows, by name."""
    found = {f"figures_table {s}": tables.figures_table(ctx, s) for s in range(1, 6)}
    found |= {f"derived_table {s}": tables.derived_table(ctx, s) for s in range(1, 6)}
    found |= {
        "checks_table": tables.checks_table(ctx),
        "status_counts": tables.status_counts(ctx),
        "sections_table": tables.sections_table(ctx),
        "money_table": tables.money_table(ctx),
        "glossary": tables.glossary(ctx),
        "extract_scores": tables.extract_scores(ctx),
        "extract_draft_table": tables.extract_draft_table(ctx),
        "extract_confusion": tables.extract_confusion(ctx),
    }
    found |= {f"counts_by {c}": tables.counts_by(ctx, c) for c in ("measure", "qualifier", "unit_zh", "base_unit")}
    return found


@pytest.fixture(
    scope="module",
    params=[("zh", DATA), ("en", DATA), ("zh", DISTRICT), ("en", DISTRICT)],
    ids=["zh", "en", "district-zh", "district-en"],
)
def shown(request):
    lang, data = request.param
    ctx = params.setup(lang=lang, data_dir=str(data))
    return ctx, all_tables(ctx)


def words(t) -> list[str]:
    return [str(c) for c in t.columns] + [str(v) for v in t.to_numpy().ravel()] + [getattr(t, "note", "")]


def test_no_raw_identifier_reaches_a_reader(shown):
    ctx, found = shown
    ids = set(ctx.package.figures["id"]) | set(ctx.package.relations["id"])
    codes = set(labels.QUALIFIER_LABELS["en"]) | set(labels.MEASURE_LABELS["en"]) | set(labels.KIND_LABELS["en"])
    codes -= {"level", "count", "stock", "flow", "area", "length", "rate", "sum", "other", "range"}  # plain words too
    for name, t in found.items():
        for w in words(t):
            if "approx_tolerance" in w:  # the parameter is named on purpose, as in the parameters cell
                w = w.replace("approx_tolerance", "")
            assert not SNAKE.search(w), f"{name}: {w!r}"
            assert not (set(re.findall(r"[A-Za-z_]+", w)) & (ids | codes)), f"{name}: {w!r}"


def test_english_tables_keep_chinese_to_official_names_printed_values_and_the_glossary(shown):
    ctx, found = shown
    if ctx.lang != "en":
        pytest.skip("English pages only")
    chinese_columns = {labels.heading(k, "en") for k in ("official_name", "value", "term", "guessed_indicator", "unit")}
    for name, t in found.items():
        if name == "glossary":  # explains Chinese terms by naming them
            continue
        for col in t.columns:
            if col in chinese_columns:
                continue
            cells = [str(v) for v in t[col]]
            assert not [c for c in cells if CJK.search(c)], f"{name}, column {col}"
        assert not CJK.search("".join(map(str, t.columns))), name


def test_chinese_headings_have_no_english(shown):
    ctx, found = shown
    if ctx.lang != "zh":
        pytest.skip("Chinese pages only")
    for name, t in found.items():
        for col in t.columns:
            assert not re.search(r"[A-Za-z]{2,}", str(col)), f"{name}: {col!r}"


def test_html_has_no_row_index_and_no_truncated_cell(shown):
    _, found = shown
    for name, t in found.items():
        html = t._repr_html_()
        bodies = re.findall(r"<tbody>(.*?)</tbody>", html, re.DOTALL)
        assert bodies and "<th></th>" not in html and not any(re.search(r"<tr>\s*<th", b) for b in bodies), name
        assert "..." not in html and "…" not in html, name
        assert "..." not in repr(t), name
        longest = max((str(v) for v in t.to_numpy().ravel()), key=len, default="")
        assert escape.text(longest, "html") in html, name


def test_every_cell_is_labelled_with_its_heading_and_base_units_and_qualifiers_are_on_demand(shown):
    ctx, found = shown
    lang = ctx.lang
    for name, t in found.items():
        html = t._repr_html_()
        cells = re.findall(r'<td style="text-align:left"(?: class="helpers-short")? data-label="([^"]*)">', html)
        assert len(cells) >= t.size, name  # every cell of the table (and of its details) carries its heading
        assert set(cells) <= {escape.text(c, "attribute") for c in t.columns}, name
    figures = next(t for name, t in found.items() if name.startswith("figures_table"))
    main, _, more = figures._repr_html_().partition("<details")
    base, qualifier = (labels.heading(k, lang) for k in ("base_value", "qualifier"))
    th = '<th style="text-align:left">'
    assert f"{th}{base}</th>" not in main and f"{th}{qualifier}</th>" not in main
    assert f"{th}{base}</th>" in more and f"{th}{qualifier}</th>" in more and "<summary>" in more
    for key in ("indicator", "value", "interval", "period"):
        assert f"{th}{escape.text(labels.heading(key, lang), 'html')}</th>" in main, key
    assert not re.search(r"<t[dh](?![^>]*text-align:left)[ >]", figures._repr_html_())  # left-aligned in JupyterLab


def test_numbers_carry_no_false_precision(shown):
    _, found = shown
    for name, t in found.items():
        for w in words(t):
            assert not re.search(r"\d\.\d*0000", w), f"{name}: {w!r}"


def test_english_units_are_words_a_reader_knows(shown):
    ctx, found = shown
    if ctx.lang != "en":
        pytest.skip("English pages only")
    for name, t in found.items():
        text = " ".join(words(t))
        assert "10 thousand" not in text and not re.search(r"\d unit\b", text), name


def test_format_interval_examples():
    assert amounts.format_interval(Interval(Fraction(3200 * 10**8), None), "CNY", "zh") == "≥ 3,200 亿元"
    assert amounts.format_interval(Interval(Fraction(3000 * 10**4), None), "CNY", "zh") == "≥ 3,000 万元"
    # English counts money in millions and billions, not in 万 and 亿
    assert amounts.format_interval(Interval(Fraction(3000 * 10**4), None), "CNY", "en") == "≥ 30 million yuan"
    assert amounts.format_interval(Interval(Fraction(3200 * 10**8), None), "CNY", "en") == "≥ 320 billion yuan"
    assert amounts.format_interval(Interval(Fraction(56000), None), "CNY", "en") == "≥ 56,000 yuan"
    assert amounts.format_interval(Interval.closed(0, 100), "percent", "en") == "[0, 100]%"
    assert amounts.format_interval(Interval.point(21), "家", "en") == "21"
    # 户 counts households and businesses (市场主体) alike: English leaves the noun to the indicator
    assert amounts.format_interval(Interval.point(21), "户", "en") == "21"
    assert amounts.format_interval(Interval.point(21), "栋", "en") == "21 buildings"
    assert amounts.format_interval(Interval.point(1), "栋", "en") == "1 building"
    assert amounts.format_interval(Interval.point(125400 * 1000), "kg", "en") == "125,400 tonnes"
    assert (
        amounts.format_interval(Interval(Fraction("83.5"), Fraction("84.5"), True, False) * 10**8, "CNY", "zh")
        == "[83.5, 84.5) 亿元"
    )
    assert amounts.format_interval(Interval(None, None), "percent", "en") == "no bound (any value)"


def test_a_ratio_of_two_counts_has_no_english_unit_word():
    """Residents per grid worker (人/名) is not "people per person"; a count per person keeps "per person" only
    where its head is a thing with a unit (yuan per person)."""
    assert amounts.format_interval(Interval.point(1060), "人/名", "en") == "1,060"
    assert amounts.format_interval(Interval.point(1060), "人/名", "zh") == "1,060 人/名"
    assert amounts.format_interval(Interval.point(20), "CNY/人", "en") == "20 yuan per person"


def test_tolerance_is_noted_where_an_approximate_figure_is_used():
    ctx = params.setup(lang="en", data_dir=str(DATA))
    approx = ctx.package.figures[ctx.package.figures["qualifier"].isin(["approx", "estimate"])]
    with_approx = sorted(set(approx["section"]))
    for section in range(1, 6):
        note = tables.figures_table(ctx, section).note
        assert ("±5%" in note) == (section in with_approx), section
    assert "±5%" in tables.money_table(ctx).note  # the money table shows every amount, 约/预计 ones included
    used = relations.derive_all(ctx.package, ctx.relation_params)
    for d in used:
        shown_note = tables.derived_table(ctx, ids=[d.id]).note
        assert bool(shown_note) == bool(set(d.inputs) & set(approx["id"])), d.id


def test_tolerance_parameter_changes_intervals_and_notes():
    narrow = params.setup(lang="en", data_dir=str(DATA), approx_tolerance=0)
    wide = params.setup(lang="en", data_dir=str(DATA), approx_tolerance=0.1)
    row = narrow.package.figure("rural_water_investment")
    assert narrow.figure_interval(row).width < wide.figure_interval(row).width
    assert "±10%" in tables.figures_table(wide, int(row["section"])).note


@pytest.mark.parametrize("value", [-0.1, 1, 1.5, "abc", True])
def test_bad_tolerance_parameter_fails_naming_it(value):
    with pytest.raises(params.ParameterError, match="approx_tolerance"):
        params.setup(data_dir=str(DATA), approx_tolerance=value)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_arithmetic_names_the_figures_in_the_page_language(lang):
    from helpers.core import checks

    ctx = params.setup(lang=lang, data_dir=str(DATA))
    found = {c.id: c for c in checks.check_all(tables.derived_values(ctx), ctx.package.figures)}
    text = explain.explain(found["good_air_days_calendar_check"], ctx.package.figures, lang)
    name = ctx.package.figure("good_air_days")["indicator_zh" if lang == "zh" else "indicator_en"]
    assert name in text and "good_air_days" not in text
    assert labels.STATUS_LABELS[lang][found["good_air_days_calendar_check"].status] in text
    bound = explain.explain(found["coupon_share_of_retail"], ctx.package.figures, lang)
    assert "= >" not in bound and "> " in bound  # a lower bound is shown as one, not "equal to"


CITY = DATA / "jinan_2022"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_figure_of_a_text_less_source_is_shown_with_its_publisher_date_and_where_it_was_read(lang):
    ctx = params.setup(lang=lang, data_dir=str(CITY))
    figs = ctx.package.figures
    sources = {s["id"]: s for s in ctx.package.sources}
    others = figs[figs["source"].fillna("") != ""]
    assert not others.empty and all("path" not in sources[sid] for sid in others["source"])
    for section in sorted(set(others["section"])):
        t = tables.figures_table(ctx, section)
        in_section = figs[figs["section"] == section]
        shown = dict(zip(in_section["id"], t[labels.heading("source", lang)]))
        for f in others[others["section"] == section].itertuples(index=False):
            s = sources[f.source]
            for field in ("publisher", "date", "read_in"):
                wanted = s.get(f"{field}_en") or s[field] if lang == "en" else s[field]
                assert wanted in shown[f.id], (f.id, field)
            assert f.source not in shown[f.id]  # the id is the package's, not the reader's
        for fid in set(in_section["id"]) - set(others["id"]):
            assert shown[fid] == labels.heading("source_text", lang)


def test_a_table_of_one_source_has_no_source_column():
    ctx = params.setup(lang="en", data_dir=str(DATA))
    for section in sorted(set(ctx.package.figures["section"])):
        assert labels.heading("source", "en") not in tables.figures_table(ctx, section).columns


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_figures_of_one_indicator_are_told_apart_by_topic_then_period(lang):
    """The city's GDP and each district's share one indicator name: each row names its topic (and its period
    where the topic repeats), so no two rows of the table or of the money chart read the same."""
    ctx = params.setup(lang=lang, data_dir=str(CITY))
    names = list(tables.money_frame(ctx)["label"])
    assert len(names) == len(set(names))
    t = tables.figures_table(ctx, 1)
    assert t.iloc[:, 0].is_unique
    gdp = ctx.package.figure("gdp")
    assert (gdp.topic_zh if lang == "zh" else gdp.topic_en) in t.iloc[0, 0]


def test_the_extractor_is_compared_with_the_figures_of_the_text_only():
    """The city's draft is compared with the communiqué's figures: the district releases' (no offsets) are not
    counted as figures the extractor missed."""
    ctx = params.setup(lang="en", data_dir=str(CITY))
    if ctx.report is None:
        pytest.skip("the communiqué excerpt is not on this machine (sources[0].path)")
    draft, comparison = tables.extraction(ctx)
    others = set(ctx.package.figures.loc[ctx.package.figures["source"].fillna("") != "", "id"])
    assert others and not others & set(comparison.missed["id"])
    assert len(comparison.matched) + len(comparison.missed) == len(ctx.package.figures) - len(others)


def test_derived_values_are_computed_once_per_context_and_section(monkeypatch):
    ctx = params.setup(lang="en", data_dir=str(DATA))
    calls = []
    real = relations.derive_all
    monkeypatch.setattr(relations, "derive_all", lambda *a, **k: calls.append(a[2:]) or real(*a, **k))
    first = tables.derived_values(ctx, 3)
    first.clear()  # a caller's list is its own: clearing it changes no later answer
    again = tables.derived_values(ctx, 3)
    assert [d.id for d in again] == [d.id for d in real(ctx.package, ctx.relation_params, 3)] and again
    assert len(tables.derived_values(ctx)) == len(real(ctx.package, ctx.relation_params))
    assert calls == [(3,), (None,)]  # section 3 once, then all sections (None) once


def test_derived_values_of_a_changed_context_are_computed_afresh():
    import dataclasses

    ctx = params.setup(lang="en", data_dir=str(DATA))
    tables.derived_values(ctx)
    other_rate = dataclasses.replace(ctx, fx_usd_cny=ctx.fx * 2)
    here = {d.id: d.interval for d in tables.derived_values(ctx)}
    there = {d.id: d.interval for d in tables.derived_values(other_rate)}
    assert [k for k in here if here[k] != there[k]], "a context with another rate got the first context's values"
