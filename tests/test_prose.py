"""Prose: every markdown cell has its counterpart in the other language, each language reads as itself, and the
sentences helpers write follow the data (each finding flips on a package where the data says otherwise)."""

from __future__ import annotations

import dataclasses
import re

import nbformat
import pytest

from conftest import DATA, DISTRICT, ROOT
from helpers.core import checks, units
from helpers.reader import amounts, labels, params, prose, tables, words

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
LATIN = re.compile(r"[A-Za-z]")
LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
CODE = re.compile(r"`[^`]*`")


def markdown_cells(notebook):
    return [c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown"]


def pairs(notebook):
    cells = markdown_cells(notebook)
    return list(zip(cells[0::2], cells[1::2]))


def reader_text(source: str) -> str:
    """What a reader reads of a markdown cell: link texts without targets, no code spans."""
    return CODE.sub("", LINK.sub(lambda m: m.group(1), source))


def explained_terms() -> set[str]:
    """Chinese an English cell may contain: glossary terms, printed units and magnitudes, and section titles."""
    terms = {t.strip() for g in labels.GLOSSARY for t in g[0].split("/")}
    terms |= set(units.UNITS) | set(units.MAGNITUDES) | set(units.COUNTERS)
    terms |= {m + u for m in units.MAGNITUDES for u in units.UNITS}
    return terms | {run for t in terms for run in CJK.findall(t)}  # "1-11月份" is read as 月份


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_markdown_cells_come_in_adjacent_zh_en_pairs(notebook):
    nb = nbformat.read(notebook, as_version=4)
    cells = nb.cells
    for i, c in enumerate(cells):
        if c.cell_type != "markdown":
            assert not {"lang-zh", "lang-en"} & set(c.metadata.get("tags", [])), f"{notebook.name} cell {i}"
            continue
        tags = c.metadata.get("tags", [])
        extra = [t for t in tags if t == "jupyterlab-only"]  # prose about the code: the site leaves the pair out
        assert tags in (["lang-zh", *extra], ["lang-en", *extra]), f"{notebook.name} cell {i}: tags {tags}"
        if tags[0] == "lang-zh":
            assert i + 1 < len(cells) and cells[i + 1].metadata.get("tags") == ["lang-en", *extra], (
                f"{notebook.name} cell {i}: no English cell right after, tagged alike"
            )
        else:
            assert cells[i - 1].metadata.get("tags") == ["lang-zh", *extra], (
                f"{notebook.name} cell {i}: no Chinese before"
            )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_pair_has_the_same_links_code_and_headings(notebook):
    for zh, en in pairs(notebook):
        assert [t for _, t in LINK.findall(zh.source)] == [t for _, t in LINK.findall(en.source)], en.source[:60]
        assert sorted(CODE.findall(zh.source)) == sorted(CODE.findall(en.source)), en.source[:60]
        heading = lambda s: [ln.split(" ", 1)[0] for ln in s.splitlines() if ln.startswith("#")]  # noqa: E731
        assert heading(zh.source) == heading(en.source), en.source[:60]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_chinese_cells_are_mostly_chinese(notebook):
    for zh, _ in pairs(notebook):
        text = reader_text(zh.source)
        cjk, latin = sum(map(len, CJK.findall(text))), len(LATIN.findall(text))
        assert cjk > 2 * latin, f"{notebook.name}: {cjk} CJK against {latin} Latin in {zh.source[:60]!r}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_english_cells_use_chinese_only_for_the_terms_they_explain(notebook):
    allowed = explained_terms()
    for _, en in pairs(notebook):
        stray = [run for run in CJK.findall(reader_text(en.source)) if run not in allowed]
        assert stray == [], f"{notebook.name}: {stray} in {en.source[:60]!r}"


def test_the_allowance_is_not_everything():
    assert "中央活力区" not in explained_terms() and "亿元" in explained_terms() and "规上" in explained_terms()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_links_point_at_notebooks_of_the_collection(notebook):
    names = {p.name for p in NOTEBOOKS}
    for cell in markdown_cells(notebook):
        for _, target in LINK.findall(cell.source):
            assert target.split("#")[0] in names, f"{notebook.name}: link to {target}"


# ---- sentences written from the data -------------------------------------------------------------------


@pytest.fixture(scope="module", params=["zh", "en"])
def ctx(request):
    return params.setup(data_dir=str(DATA), lang=request.param)


def with_figure(ctx, figure_id: str, **changes):
    """The context over a copy of the package in which one figure's fields are changed."""
    figures = ctx.package.figures.copy()
    row = figures["id"] == figure_id
    assert row.any(), figure_id
    for field, value in changes.items():
        figures.loc[row, field] = value
    return dataclasses.replace(ctx, package=dataclasses.replace(ctx.package, figures=figures))


def test_plan_completion_says_above_when_the_interval_is_above_100(ctx):
    t = prose.plan_completion(ctx, 5)
    assert t.findings["above"] == ["new_urban_jobs_completion"]


def test_plan_completion_flips_below_and_cannot_tell(ctx):
    below = prose.plan_completion(with_figure(ctx, "new_urban_jobs_completion", value="95"), 5)
    assert below.findings["below"] == ["new_urban_jobs_completion"] and below.findings["above"] == []
    at = prose.plan_completion(with_figure(ctx, "new_urban_jobs_completion", value="100"), 5)
    assert at.findings["at"] == ["new_urban_jobs_completion"]
    assert below.text != at.text


def test_fastest_growth_is_the_one_whose_interval_lies_above_the_others(ctx):
    figures = ctx.package.figures
    growth = figures[(figures["section"] == 3) & (figures["measure"] == "change_yoy_pct")]
    top = max(growth.itertuples(), key=lambda f: float(f.value))
    assert prose.fastest_growth(ctx, 3).findings["fastest"] == top.id
    other = next(f for f in growth.itertuples() if f.id != top.id)
    flipped = prose.fastest_growth(with_figure(ctx, other.id, value=str(float(top.value) + 10)), 3)
    assert flipped.findings["fastest"] == other.id


def test_fastest_growth_refuses_to_rank_overlapping_intervals(ctx):
    figures = ctx.package.figures
    growth = figures[(figures["section"] == 3) & (figures["measure"] == "change_yoy_pct")]
    top = max(growth.itertuples(), key=lambda f: float(f.value))
    other = next(f for f in growth.itertuples() if f.id != top.id)
    tied = prose.fastest_growth(with_figure(ctx, other.id, value=top.value), 3)
    assert tied.findings["fastest"] is None and set(tied.findings["tied"]) == {top.id, other.id}


def test_lower_bound_over_a_bounded_value_is_a_lower_bound(ctx):
    t = prose.bound_rule(ctx, "coupon_share_of_retail")
    assert t.findings["inputs"] == {"coupon_driven_consumption": "lower_bound", "retail_sales": "bounded"}
    assert t.findings["kind"] == "lower_bound"


def test_lower_bound_over_a_lower_bound_has_no_bound(ctx):
    t = prose.bound_rule(with_figure(ctx, "retail_sales", qualifier="more_than"), "coupon_share_of_retail")
    assert t.findings["kind"] == "unbounded"
    assert t.text != prose.bound_rule(ctx, "coupon_share_of_retail").text


def test_bounded_inputs_give_a_bounded_result(ctx):
    t = prose.bound_rule(with_figure(ctx, "coupon_driven_consumption", qualifier="exact"), "coupon_share_of_retail")
    assert t.findings["kind"] == "bounded"


def test_check_findings_name_the_inconsistent_check_and_follow_the_data(ctx):
    assert prose.check_findings(ctx).findings["inconsistent"] == ["good_air_days_calendar_check"]
    days = ctx.package.figure("good_air_days")
    share = int(days["value"]) * 100 / 334  # the share the calendar days would give
    fixed = prose.check_findings(with_figure(ctx, "good_air_days_share", value=f"{share:.1f}"))
    assert fixed.findings["inconsistent"] == []


def test_the_lead_names_the_source_from_the_package_and_its_finding(ctx):
    src = ctx.package.source
    text = prose.lead(ctx).text
    assert src["title"] in text and src["sha256"] in text and src["reporter"] in text
    assert (src.get(f"read_in_{ctx.lang}") or src["read_in"]) in text
    found = checks.check_all(tables.derived_values(ctx), ctx.package.figures, ctx.approx_tolerance)
    findings = len(checks.findings(found))  # the bookkeeping checks (a part within its whole) are not counted
    assert 0 < findings < len(found)
    assert prose.lead(ctx).findings == {"checks": findings, "inconsistent": ["good_air_days_calendar_check"]}


def test_the_lead_gives_the_base_the_printed_share_implies_as_the_likeliest_reason(ctx):
    implied = {d.id: d for d in tables.derived_values(ctx)}["good_air_days_implied_base"]
    short = implied.period.days - implied.interval
    text = prose.lead(ctx).text
    assert amounts.range_text(implied.interval, ctx.lang) in text and amounts.range_text(short, ctx.lang) in text


def test_the_lead_follows_the_data_when_every_check_holds(ctx):
    days = ctx.package.figure("good_air_days")
    share = int(days["value"]) * 100 / 334  # the share the calendar days would give
    fixed = prose.lead(with_figure(ctx, "good_air_days_share", value=f"{share:.1f}"))
    assert fixed.findings["inconsistent"] == []
    assert words.say("prose.lead_none_bad", ctx.lang, n=fixed.findings["checks"]) in fixed.text


def test_approximate_lists_the_qualified_figures_with_the_tolerance(ctx):
    t = prose.approximate(ctx, 2)
    assert set(t.findings["approximate"]) == set(
        ctx.package.figures.query("section == 2 and qualifier in ['approx', 'estimate']")["id"]
    )
    assert "±5%" in t.text
    wider = prose.approximate(dataclasses.replace(ctx, approx_tolerance=params._tolerance(0.1)), 2)
    assert "±10%" in wider.text


def test_overview_counts_come_from_the_package(ctx):
    f = prose.overview(ctx).findings
    assert f["figures"] == len(ctx.package.figures) and f["relations"] == len(ctx.package.relations)


def test_sentences_are_in_the_page_language(ctx):
    for t in (
        prose.overview(ctx),
        prose.plan_completion(ctx, 2),
        prose.check_findings(ctx),
        prose.bound_rule(ctx, "coupon_share_of_retail"),
        prose.periods_summary(ctx, 3),
    ):
        text = re.sub(r"「[^」]*」|“[^”]*”|\([^)]*\)|（[^）]*）", "", t.text)
        cjk, latin = sum(map(len, CJK.findall(text))), len(LATIN.findall(text))
        assert (cjk > latin) if ctx.lang == "zh" else (cjk == 0), t.text


def test_missing_relation_says_so_instead_of_failing():
    ctx = params.setup(data_dir=str(DISTRICT), lang="en")
    assert prose.bound_rule(ctx, "coupon_share_of_retail").findings["kind"] is None


def test_period_counts_add_up_to_every_figure(ctx):
    f = prose.period_counts(ctx).findings
    assert sum(f.values()) == len(ctx.package.figures)
    moved = prose.period_counts(with_figure(ctx, "imports_exports", period="2022-01/2022-09")).findings
    assert moved["2022-01/2022-09"] == f["2022-01/2022-09"] + 1


#: What the notebooks' markdown says about this package's data, by notebook, as checks on the data.
STATEMENTS = {
    "01: the section's money amounts are total investments (总投资)": lambda p: (
        set(p.figures.query("section == 1 and base_unit in ['CNY', 'USD']")["measure"]) == {"investment_total"}
    ),
    "02: foreign investment is in US dollars and converted at fx_usd_cny": lambda p: (
        p.figure("fdi_actual_use")["base_unit"] == "USD"
        and "fx_usd_cny" in set(p.relations.query("x == 'fdi_actual_use'")["parameter"])
    ),
    "03: the coupon share combines different periods on purpose": lambda p: bool(
        p.relations.set_index("id").loc["coupon_share_of_retail", "allow_mixed_periods"]
    ),
    "04: good-air days and their share are printed for the same period": lambda p: (
        p.figure("good_air_days")["period"] == p.figure("good_air_days_share")["period"]
    ),
    "05: the default population base is the grid platform's residents": lambda p: (
        params.DEFAULTS["population"] == "platform_residents" and "platform_residents" in set(p.figures["id"])
    ),
    "06: the implied base of the good-air share is derived from the count and the share": lambda p: (
        tuple(p.relations.set_index("id").loc["good_air_days_implied_base", ["x", "y"]])
        == ("good_air_days", "good_air_days_share")
    ),
}


@pytest.mark.parametrize("statement", STATEMENTS)
def test_statements_the_prose_makes_about_the_data_hold(statement):
    from helpers.core import package

    assert STATEMENTS[statement](package.load(DATA)), statement


def test_round_numbers_names_the_convention_and_the_figures_it_concerns(ctx):
    found = prose.round_numbers(ctx)
    assert "retail_sales" in found.findings["round"] and "energy_cluster_output" not in found.findings["round"]  # 超
    assert words.say("prose.round_depends_none", ctx.lang) in found.text and found.findings["depends"] == []


def test_reading_round_numbers_to_the_last_nonzero_digit_widens_their_intervals():
    sig = params.setup(data_dir=str(DATA), lang="en")
    wide = params.setup(data_dir=str(DATA), lang="en", round_numbers="last_nonzero")
    a, b = (c.figure_interval(c.package.figure("retail_sales")) for c in (sig, wide))
    assert (a.lo, a.hi) == (3695 * 10**7, 3705 * 10**7) and (b.lo, b.hi) == (365 * 10**8, 375 * 10**8)
    assert words.say("prose.round_numbers_last_nonzero", "en", names="")[:40] in prose.round_numbers(wide).text


def test_a_verdict_that_depends_on_the_reading_of_round_numbers_is_named(ctx):
    # the good-air-days share printed as a round number that only the wider reading brings to the calendar's share
    changed = with_figure(ctx, "good_air_days", value="220", rounded=True)
    found = prose.round_numbers(changed)
    assert found.findings["depends"] == ["good_air_days_calendar_check"]
    assert words.say("prose.round_depends_none", ctx.lang) not in found.text


def test_an_unknown_reading_of_round_numbers_is_refused_naming_the_parameter():
    with pytest.raises(params.ParameterError, match="parameter round_numbers: 'tens'"):
        params.setup(data_dir=str(DATA), lang="en", round_numbers="tens")
