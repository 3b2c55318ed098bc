"""Tables the notebooks display and the build writes: figures, derived values and checks, formatted for reading.

Display tables are DataFrames of strings: every number is rounded and
formatted here, with its interval, in the reader's language, so that notebook
outputs are stable.  :func:`derived_frame` and :func:`checks_frame` are the
machine-readable versions the build writes to CSV.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from helpers import checks, labels, periods, relations
from helpers.intervals import Interval

#: Display scales: (base unit, smallest magnitude) → (divisor, zh label, en label), largest first.
_SCALES = {
    "CNY": [(10**8, "亿元", "100 million yuan"), (10**4, "万元", "10 thousand yuan"), (1, "元", "yuan")],
    "USD": [(10**8, "亿美元", "100 million US dollars"), (10**4, "万美元", "10 thousand US dollars"),
            (1, "美元", "US dollars")],
    "m2": [(10**4, "万平方米", "10 thousand m²"), (1, "平方米", "m²")],
}


def display_scale(base_unit: str, magnitude: Fraction | None, lang: str) -> tuple[int, str]:
    """(divisor, unit label) that shows a base value of about ``magnitude`` readably.

    Chinese magnitudes are kept in both languages (亿 = 10**8, 万 = 10**4) so the
    numbers match the report's; English names them in words.  A composite unit
    (``CNY/m2``) is scaled by its first part and labelled part by part.
    """
    head, *rest = base_unit.split("/")
    divisor, label = 1, unit_label(head, lang)
    for d, zh, en in _SCALES.get(head, []):
        if magnitude is not None and abs(magnitude) >= d:
            divisor, label = d, (zh if lang == "zh" else en)
            break
    for part in rest:
        label += f"/{unit_label(part, lang)}" if lang == "zh" else f" per {unit_label(part, lang)}"
    return divisor, label


#: Names of base units and counters, (zh, en).
_UNIT_NAMES = {"CNY": ("元", "yuan"), "USD": ("美元", "US dollars"), "percent": ("%", "%"), "days": ("天", "days"),
               "count": ("", ""), "ha": ("公顷", "ha"), "m": ("米", "m"), "m2": ("平方米", "m²"),
               "month": ("月", "month"), "CNY per person per month": ("元/人·月", "yuan per person per month"),
               "CNY per person per year": ("元/人·年", "yuan per person per year"),
               "人": ("人", "person"), "户": ("户", "household"), "个": ("个", "unit"), "名": ("名", "person"),
               "栋": ("栋", "building"), "条": ("条", "record"), "家": ("家", "firm"), "处": ("处", "site"),
               "套": ("套", "dwelling"), "所": ("所", "school")}


def unit_label(unit: str, lang: str) -> str:
    """A base unit or counter in the reader's language (unknown units as they are)."""
    return _UNIT_NAMES.get(unit, (unit, unit))[0 if lang == "zh" else 1]


def _places(interval: Interval, divisor: int, places: int) -> int:
    """Enough decimals that a bounded interval's two ends print differently (at most 6)."""
    if not interval.is_bounded or interval.is_point:
        if interval.is_point and interval.lo.denominator == 1 and divisor == 1:
            return 0
        return places
    width = float(interval.width / divisor)
    needed = places
    while needed < 6 and width < 10 ** (-needed) * 2:
        needed += 1
    return needed


def format_interval(interval: Interval, base_unit: str, lang: str, places: int = 2) -> str:
    """An interval in a readable scale with its unit: ``[83.50, 84.50) 亿元``; lower bounds as ``≥ 3,200.00 亿元``.

    Whole-number points (counts) print without decimals; a bounded interval gets
    as many decimals as it takes for its two ends to differ.
    """
    anchor = interval.lo if interval.lo is not None else interval.hi
    divisor, unit = display_scale(base_unit, anchor, lang)
    unit = f" {unit}" if unit and unit != "%" else unit
    p = _places(interval, divisor, places)
    if interval.lo is not None and interval.hi is None:
        sign = "≥" if interval.lo_closed else ">"
        return f"{sign} {Interval.point(interval.lo).format(p, divisor)}{unit}"
    return f"{interval.format(p, divisor)}{unit}"


def _not_reported(ctx, columns: list[str]) -> pd.DataFrame:
    word = labels.heading("not_reported", ctx.lang)
    return pd.DataFrame([[word] * len(columns)], columns=columns)


def figures_table(ctx, section: int) -> pd.DataFrame:
    """A section's figures: indicator (zh, en), value as printed, base value, interval, qualifier, period."""
    L = ctx.lang
    h = lambda k: labels.heading(k, L)  # noqa: E731
    cols = [h("indicator"), "indicator (en)" if L == "zh" else "指标（中文）", h("value"), h("base_value"),
            h("interval"), h("qualifier"), h("period")]
    figs = ctx.package.figures[ctx.package.figures["section"] == section]
    if figs.empty:
        return _not_reported(ctx, cols)
    rows = []
    for f in figs.itertuples(index=False):
        i = relations.figure_input(f)
        base = Interval.point(Fraction(str(f.base_value)).limit_denominator(10**6))
        rows.append([
            f.indicator_zh if L == "zh" else f.indicator_en,
            f.indicator_en if L == "zh" else f.indicator_zh,
            f"{f.value} {f.unit_zh}",
            format_interval(base, f.base_unit, L),
            format_interval(i.interval, f.base_unit, L),
            labels.QUALIFIER_LABELS[L][f.qualifier],
            periods.label(periods.parse_period(None if pd.isna(f.period) else f.period), L),
        ])
    return pd.DataFrame(rows, columns=cols)


def derived_values(ctx, section: int | None = None) -> list[relations.Derived]:
    """The derived values of one section (or all), computed with the notebook's parameters."""
    return relations.derive_all(ctx.package, ctx.relation_params, section)


def derived_table(ctx, section: int | None = None, ids: list[str] | None = None) -> pd.DataFrame:
    """Derived values (of a section, or the relations named in ``ids``): label, formula, interval and period."""
    L = ctx.lang
    h = lambda k: labels.heading(k, L)  # noqa: E731
    cols = [h("derived"), h("kind"), h("formula"), h("interval"), h("period")]
    derived = [d for d in derived_values(ctx, section) if ids is None or d.id in ids]
    if not derived:
        return _not_reported(ctx, cols)
    return pd.DataFrame([[d.label_zh if L == "zh" else d.label_en, labels.KIND_LABELS[L][d.kind], d.formula,
                          format_interval(d.interval, d.unit, L), periods.label(d.period, L)]
                         for d in derived], columns=cols)


def checks_table(ctx, section: int | None = None) -> pd.DataFrame:
    """The consistency checks (of one section or all): recomputed interval, what it must overlap, verdict."""
    L = ctx.lang
    h = lambda k: labels.heading(k, L)  # noqa: E731
    cols = [h("derived"), h("expected"), h("observed"), h("status"), h("explanation")]
    derived = derived_values(ctx, section)
    found = checks.check_all(derived, ctx.package.figures)
    if not found:
        return _not_reported(ctx, cols)
    names = {d.id: (d.label_zh if L == "zh" else d.label_en) for d in derived}
    units_of = {d.id: d.unit for d in derived}
    return pd.DataFrame([[names[c.id], format_interval(c.expected, units_of[c.id], L, 4),
                          format_interval(c.observed, units_of[c.id], L, 4),
                          labels.STATUS_LABELS[L][c.status], c.explanation] for c in found], columns=cols)


def status_counts(ctx) -> pd.DataFrame:
    """How many checks reached each verdict."""
    found = checks.check_all(derived_values(ctx), ctx.package.figures)
    counts = {s: sum(c.status == s for c in found) for s in checks.STATUSES}
    return pd.DataFrame({labels.heading("status", ctx.lang): [labels.STATUS_LABELS[ctx.lang][s] for s in counts],
                         labels.heading("count", ctx.lang): list(counts.values())})


def _float(x: Fraction | None) -> float | None:
    return None if x is None else round(float(x), 6)


def derived_frame(ctx) -> pd.DataFrame:
    """Every derived value, machine-readable: value is the midpoint (the bound when one end is open)."""
    rows = []
    for d in derived_values(ctx):
        i = d.interval
        value = i.midpoint if i.is_bounded else (i.lo if i.lo is not None else i.hi)
        rows.append({"id": d.id, "section": d.section, "kind": d.kind, "formula": d.formula,
                     "inputs": ";".join(d.inputs), "value": _float(value), "low": _float(i.lo),
                     "high": _float(i.hi), "unit": d.unit, "period": d.period.iso if d.period else "",
                     "label_zh": d.label_zh, "label_en": d.label_en})
    return pd.DataFrame(rows, columns=["id", "section", "kind", "formula", "inputs", "value", "low", "high",
                                       "unit", "period", "label_zh", "label_en"])


def checks_frame(ctx) -> pd.DataFrame:
    """Every consistency check, machine-readable."""
    found = checks.check_all(derived_values(ctx), ctx.package.figures)
    return pd.DataFrame([{"id": c.id, "section": c.section, "inputs": ";".join(c.inputs),
                          "expected_low": _float(c.expected.lo), "expected_high": _float(c.expected.hi),
                          "observed_low": _float(c.observed.lo), "observed_high": _float(c.observed.hi),
                          "status": c.status, "explanation": c.explanation} for c in found],
                        columns=["id", "section", "inputs", "expected_low", "expected_high", "observed_low",
                                 "observed_high", "status", "explanation"])


# ---- the overview ----------------------------------------------------------------


def sections_table(ctx) -> pd.DataFrame:
    """The lead and sections: title, subtitle, number of figures and of relations."""
    from helpers.package import summary

    L = ctx.lang
    s = summary(ctx.package).merge(ctx.package.sections[["section", "subtitle_zh", "subtitle_en"]], on="section")
    return pd.DataFrame({
        labels.heading("section", L): s["section"],
        labels.heading("title", L): s["title_zh"] if L == "zh" else s["title_en"],
        labels.heading("subtitle", L): (s["subtitle_zh"] if L == "zh" else s["subtitle_en"]).fillna(""),
        labels.heading("figures", L): s["figures"],
        labels.heading("relations", L): s["relations"],
    })


def counts_by(ctx, column: str) -> pd.DataFrame:
    """How many figures of each value of ``column`` (measure, base_unit, qualifier or unit_zh), largest first."""
    allowed = {"measure": labels.MEASURE_LABELS, "qualifier": labels.QUALIFIER_LABELS, "base_unit": None,
               "unit_zh": None}
    if column not in allowed:
        raise ValueError(f"counts_by: column must be one of {', '.join(allowed)}, got {column!r}")
    counts = ctx.package.figures[column].value_counts().sort_index().sort_values(ascending=False, kind="stable")
    names = allowed[column]
    keys = [names[ctx.lang].get(k, k) if names else k for k in counts.index]
    key_heading = labels.heading("unit" if column in ("base_unit", "unit_zh") else column.split("_")[0], ctx.lang)
    return pd.DataFrame({key_heading: keys, labels.heading("count", ctx.lang): counts.to_numpy()})


def money_frame(ctx) -> pd.DataFrame:
    """Every money amount (CNY or USD) in yuan, as numbers for charts: id, label, section, low, high, yuan, bound."""
    rows = []
    for f in ctx.package.figures.itertuples(index=False):
        if f.base_unit not in ("CNY", "USD"):
            continue
        i = relations.figure_input(f).interval
        if f.base_unit == "USD":
            i = i * ctx.fx_usd_cny
        lo, hi = i.to_floats()
        rows.append({"id": f.id, "label": f.indicator_zh if ctx.lang == "zh" else f.indicator_en,
                     "section": int(f.section), "low": lo, "high": hi,
                     "yuan": float(i.midpoint) if i.is_bounded else lo,
                     "lower_bound_only": not i.is_bounded, "period": f.period if not pd.isna(f.period) else ""})
    return pd.DataFrame(rows).sort_values("yuan", ascending=False, kind="stable").reset_index(drop=True)


def money_table(ctx) -> pd.DataFrame:
    """Every money amount on one scale: 亿元 (10**8 yuan) and the same in US dollars at ``fx_usd_cny``."""
    L = ctx.lang
    m = money_frame(ctx)
    fx = float(ctx.fx_usd_cny)
    return pd.DataFrame({
        labels.heading("indicator", L): m["label"],
        labels.heading("section", L): m["section"],
        ("亿元" if L == "zh" else "100 million yuan"): [
            (">= " if b else "") + f"{y / 1e8:,.4f}" for y, b in zip(m["yuan"], m["lower_bound_only"])],
        ("亿美元" if L == "zh" else "100 million US$"): [
            (">= " if b else "") + f"{y / fx / 1e8:,.4f}" for y, b in zip(m["yuan"], m["lower_bound_only"])],
        labels.heading("period", L): [periods.label(periods.parse_period(p or None), L) for p in m["period"]],
    })


def glossary(ctx) -> pd.DataFrame:
    """The glossary with headings in the reader's language."""
    g = labels.glossary_frame(ctx.lang)
    return g.set_axis([labels.heading("term", ctx.lang), labels.heading("term_en", ctx.lang),
                       labels.heading("meaning", ctx.lang)], axis=1)


# ---- the extractor (07_extract) ------------------------------------------------------


def extraction(ctx):
    """The draft of ``ctx.report`` and its comparison with the package's figures; (None, None) without a report."""
    from helpers import extract

    if ctx.report is None:
        return None, None
    draft = extract.extract_text(extract.read_report(ctx.report), year=ctx.package.descriptor.get("x_report_year",
                                                                                                  2022))
    return draft, extract.compare(draft, ctx.package.figures)


def extract_scores(ctx) -> pd.DataFrame:
    """Recall and precision on (offsets, value, unit), and agreement on qualifier and period, as percentages."""
    L = ctx.lang
    cols = ["measure" if L == "en" else "指标", "%" , "n"]
    draft, comparison = extraction(ctx)
    if comparison is None:
        return _not_reported(ctx, cols)
    c = comparison
    m, missed, added = len(c.matched), len(c.missed), len(c.added)
    rows = [("recall" if L == "en" else "召回率", c.recall, f"{m} / {m + missed}"),
            ("precision" if L == "en" else "准确率", c.precision, f"{m} / {m + added}"),
            ("qualifier agrees" if L == "en" else "限定词一致", c.qualifier_accuracy, f"of {m}"),
            ("period agrees" if L == "en" else "时期一致", c.period_accuracy, f"of {m}"),
            ("measure agrees (a guess)" if L == "en" else "类型一致（猜测）", c.measure_accuracy, f"of {m}")]
    return pd.DataFrame([(name, f"{100 * rate:.1f}", n) for name, rate, n in rows], columns=cols)


def extract_draft_table(ctx, rows: int = 15) -> pd.DataFrame:
    """The first ``rows`` rows of the draft: printed number, unit, qualifier, period, measure, guessed indicator."""
    L = ctx.lang
    h = lambda k: labels.heading(k, L)  # noqa: E731
    cols = [h("value"), h("unit"), h("qualifier"), h("period"), h("measure"), h("indicator")]
    draft, _ = extraction(ctx)
    if draft is None or draft.empty:
        return _not_reported(ctx, cols)
    d = draft.head(rows)
    return pd.DataFrame({cols[0]: d["printed"], cols[1]: d["unit_zh"],
                         cols[2]: [labels.QUALIFIER_LABELS[L].get(q, q) for q in d["qualifier"]],
                         cols[3]: [periods.label(periods.parse_period(p or None), L) for p in d["period"]],
                         cols[4]: [labels.MEASURE_LABELS[L].get(m, m) for m in d["measure"]],
                         cols[5]: d["indicator_zh"]})


def extract_confusion(ctx) -> pd.DataFrame:
    """Every disagreement between draft and package: missed, added, or a different qualifier or period."""
    _, comparison = extraction(ctx)
    if comparison is None:
        return _not_reported(ctx, ["kind"])
    table = comparison.confusion()
    if table.empty:
        word = "no disagreements" if ctx.lang == "en" else "无差异"
        return pd.DataFrame({"kind": [word]})
    return table


# ---- city branch (additions only): the per-mille unit of the city's birth, death and natural growth rates ----
_UNIT_NAMES.setdefault("per_mille", ("‰", "‰"))
