"""Tables the notebooks display and the build writes: figures, derived values and checks, formatted for reading.

Display tables are DataFrames of strings: every number is rounded and
formatted here, with its interval, in the reader's language, so that notebook
outputs are stable.  :func:`derived_frame` and :func:`checks_frame` are the
machine-readable versions the build writes to CSV.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from helpers.core import checks, relations
from helpers.core.intervals import Interval
from helpers.core.langs import LANGS
from helpers.reader import explain, labels, naming, tablehtml, words
from helpers.reader.amounts import (
    format_interval,
    money_scale,
    period_label,
    period_text,
    printed_unit_label,
    unit_label,
)


class Table(pd.DataFrame):
    """A display table: a DataFrame of strings shown without its row index, every cell in full, with a note.

    ``_repr_html_`` and ``repr`` set what pandas needs (no column-width limit, no
    row or column elision) so that no cell is cut with "..."; ``note`` (in the
    reader's language, may be empty) is printed under the table, e.g. the
    tolerance given to 约/预计 figures.  Slicing gives plain DataFrames.
    """

    _metadata = ["note", "secondary", "more"]

    @property
    def _constructor(self):
        return pd.DataFrame

    def _options(self):
        return pd.option_context(
            "display.max_colwidth", None, "display.max_rows", None, "display.max_columns", None, "display.width", None
        )

    def _repr_html_(self) -> str:
        """Every cell labelled with its heading (a card per row on a phone), the ``secondary`` columns (e.g. a
        figure's value in base units and qualifier) in a ``<details>`` under the table (:mod:`.tablehtml`)."""
        secondary = tuple(getattr(self, "secondary", ()) or ())
        more = getattr(self, "more", "")
        return tablehtml.html(pd.DataFrame(self), secondary, more, getattr(self, "note", ""))

    def __repr__(self) -> str:
        with self._options():
            text = pd.DataFrame(self).to_string(index=False, na_rep="")
        note = getattr(self, "note", "")
        return f"{text}\n{note}" if note else text


def table(rows, columns: list[str] | None = None, note: str = "") -> Table:
    """A :class:`Table` of ``rows`` under ``columns`` (strings, in the reader's language), with an optional note;
    ``rows`` may be a dict of columns (its keys are the headings: ``columns`` is then None)."""
    t = Table(rows, columns=columns) if not isinstance(rows, dict) else Table(rows)
    t.note = note
    return t


def _not_reported(ctx, columns: list[str]) -> Table:
    word = labels.heading("not_reported", ctx.lang)
    return table([[word] * len(columns)], columns)


def figures_table(ctx, section: int) -> Table:
    """A section's figures: indicator, value as printed, base value, interval, qualifier, period; and, when some
    of them come from a source other than the first, each figure's source (:func:`source_label`).

    On English pages the official Chinese name follows the English one; Chinese
    pages show the Chinese name only.
    """
    L = ctx.lang
    h = lambda k: labels.heading(k, L)  # noqa: E731
    cols = (
        [h("indicator")]
        + ([h("official_name")] if L == "en" else [])
        + [h("value"), h("base_value"), h("interval"), h("qualifier"), h("period")]
    )
    figs = ctx.package.figures[ctx.package.figures["section"] == section]
    if figs.empty:
        return _not_reported(ctx, cols)
    sources = [naming.figure_source(ctx, f) for f in figs.itertuples(index=False)]
    several = any(s != ctx.package.source for s in sources)
    if several:
        cols.append(h("source"))
    rows = []
    for f, src in zip(figs.itertuples(index=False), sources):
        i = relations.figure_input(f, ctx.approx_tolerance)
        unit = i.unit if f.base_unit == "count" else f.base_unit
        base = Interval.point(Fraction(str(f.base_value)).limit_denominator(10**6))
        if relations.is_down(f) and not str(f.value).startswith("-"):
            base = -base  # the signed change, as the interval beside it
        rows.append(
            [naming.name(ctx, f)]
            + ([f.indicator_zh] if L == "en" else [])
            + [
                naming.printed(ctx, f),
                format_interval(base, unit, L),
                format_interval(i.interval, unit, L),
                naming.qualifier_label(ctx, f.qualifier),
                period_text(f.period, L),
            ]
            + ([naming.source_label(ctx, src)] if several else [])
        )
    shown = table(rows, cols, naming.tolerance_note(ctx, figs["id"]))
    shown.secondary = (h("base_value"), h("qualifier"))  # on demand, under the table
    shown.more = words.say("table.more", L)
    return shown


def derived_values(ctx, section: int | None = None) -> list[relations.Derived]:
    """The derived values of one section (or all), computed with the notebook's parameters: once per (frozen)
    context and section, since a notebook asks many times, and handed out as a new list each time."""
    memo = ctx.__dict__.setdefault("_derived_memo", {})  # a frozen dataclass: its __dict__ still takes a cache
    if section not in memo:
        memo[section] = tuple(relations.derive_all(ctx.package, ctx.relation_params, section))
    return list(memo[section])


def formula_text(ctx, derived: relations.Derived) -> str:
    """A derived value's formula in words: the figures' names (and parameters) in the reader's language.

    ``x / (y / 100)`` for finance_city_total reads 「金融业增加值」 ÷ (「…占比」 ÷ 100).
    """
    import re

    kind = relations.KINDS[derived.kind]
    by_id = ctx.package.figures.set_index("id")
    L = ctx.lang
    names = {"x": words.say("quote.name", L, name=by_id.loc[derived.inputs[0], f"indicator_{L}"])}
    if kind.binary:
        names["y"] = words.say("quote.name", L, name=by_id.loc[derived.inputs[1], f"indicator_{L}"])
    for word in labels.FORMULA_WORDS[ctx.lang]:
        names[word] = labels.FORMULA_WORDS[ctx.lang][word]
    pattern = "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True))
    text = re.sub(rf"(?<![\w])({pattern})(?![\w])", lambda m: names[m.group(1)], kind.formula)
    return (
        text.replace(" / ", " ÷ ")
        .replace("(", words.say("punct.open_paren", L))
        .replace(")", words.say("punct.close_paren", L))
    )


def derived_table(ctx, section: int | None = None, ids: list[str] | None = None) -> Table:
    """Derived values (of a section, or the relations named in ``ids``): label, kind, formula, interval, period."""
    L = ctx.lang
    h = lambda k: labels.heading(k, L)  # noqa: E731
    cols = [h("derived"), h("kind"), h("formula"), h("interval"), h("period")]
    derived = [d for d in derived_values(ctx, section) if ids is None or d.id in ids]
    if not derived:
        return _not_reported(ctx, cols)
    rows = [
        [
            getattr(d, f"label_{L}"),
            labels.KIND_LABELS[L][d.kind],
            formula_text(ctx, d),
            format_interval(d.interval, d.unit, L),
            period_label(d.period, L),
        ]
        for d in derived
    ]
    return table(rows, cols, naming.tolerance_note(ctx, {i for d in derived for i in d.inputs}))


def checks_table(ctx, section: int | None = None) -> Table:
    """The consistency checks (of one section or all): recomputed interval, what it must overlap, verdict, working."""
    L = ctx.lang
    h = lambda k: labels.heading(k, L)  # noqa: E731
    cols = [h("derived"), h("expected"), h("observed"), h("status"), h("explanation")]
    derived = derived_values(ctx, section)
    found = checks.check_all(derived, ctx.package.figures, ctx.approx_tolerance)
    if not found:
        return _not_reported(ctx, cols)
    names = {d.id: getattr(d, f"label_{L}") for d in derived}
    units_of = {d.id: d.unit for d in derived}
    rows = [
        [
            names[c.id],
            format_interval(c.expected, units_of[c.id], L),
            format_interval(c.observed, units_of[c.id], L),
            labels.STATUS_LABELS[L][c.status],
            explain.explain(c, ctx.package.figures, L, ctx.approx_tolerance),
        ]
        for c in found
    ]
    return table(rows, cols, naming.tolerance_note(ctx, {i for c in found for i in c.inputs}))


def status_counts(ctx) -> Table:
    """How many of the checks that could have failed reached each verdict; the bookkeeping checks (a part within its
    whole: :func:`helpers.core.checks.bookkeeping`) are counted in the note, not among them."""
    found = checks.check_all(derived_values(ctx), ctx.package.figures, ctx.approx_tolerance)
    real, kept = checks.findings(found), checks.bookkeeping(found)
    counts = {s: sum(c.status == s for c in real) for s in checks.STATUSES}
    note = words.say(f"table.bookkeeping_{'one' if len(kept) == 1 else 'many'}", ctx.lang, n=len(kept)) if kept else ""
    return table(
        {
            labels.heading("status", ctx.lang): [labels.STATUS_LABELS[ctx.lang][s] for s in counts],
            labels.heading("count", ctx.lang): [str(n) for n in counts.values()],
        },
        None,
        note,
    )


def _float(x: Fraction | None) -> float | None:
    return None if x is None else round(float(x), 6)


def derived_frame(ctx) -> pd.DataFrame:
    """Every derived value, machine-readable: value is the midpoint (the bound when one end is open)."""
    rows = []
    for d in derived_values(ctx):
        i = d.interval
        value = i.midpoint if i.is_bounded else (i.lo if i.lo is not None else i.hi)
        rows.append(
            {
                "id": d.id,
                "section": d.section,
                "kind": d.kind,
                "formula": d.formula,
                "inputs": ";".join(d.inputs),
                "value": _float(value),
                "low": _float(i.lo),
                "high": _float(i.hi),
                "unit": d.unit,
                "period": d.period.iso if d.period else "",
                "label_zh": d.label_zh,
                "label_en": d.label_en,
                **{f"interval_{lang}": format_interval(i, d.unit, lang) for lang in LANGS},  # as the pages print it
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "section",
            "kind",
            "formula",
            "inputs",
            "value",
            "low",
            "high",
            "unit",
            "period",
            "label_zh",
            "label_en",
            *(f"interval_{lang}" for lang in LANGS),
        ],
    )


def checks_frame(ctx) -> pd.DataFrame:
    """Every consistency check, machine-readable."""
    tol = ctx.approx_tolerance
    found = checks.check_all(derived_values(ctx), ctx.package.figures, tol)
    return pd.DataFrame(
        [
            {
                "id": c.id,
                "section": c.section,
                "inputs": ";".join(c.inputs),
                "expected_low": _float(c.expected.lo),
                "expected_high": _float(c.expected.hi),
                "observed_low": _float(c.observed.lo),
                "observed_high": _float(c.observed.hi),
                "status": c.status,
                "explanation": c.explanation,
                **{f"explanation_{lang}": explain.explain(c, ctx.package.figures, lang, tol) for lang in LANGS},
            }
            for c in found
        ],
        columns=[
            "id",
            "section",
            "inputs",
            "expected_low",
            "expected_high",
            "observed_low",
            "observed_high",
            "status",
            "explanation",
            *(f"explanation_{lang}" for lang in LANGS),
        ],
    )


# ---- the overview ----------------------------------------------------------------


def sections_table(ctx) -> Table:
    """The lead and sections: title, subtitle, number of figures and of relations."""
    from helpers.core.package import summary

    L = ctx.lang
    s = summary(ctx.package).merge(ctx.package.sections[["section", "subtitle_zh", "subtitle_en"]], on="section")
    return table(
        {
            labels.heading("section", L): [str(n) for n in s["section"]],
            labels.heading("title", L): s[f"title_{L}"],
            labels.heading("subtitle", L): s[f"subtitle_{L}"].fillna(""),
            labels.heading("figures", L): [str(n) for n in s["figures"]],
            labels.heading("relations", L): [str(n) for n in s["relations"]],
        },
        None,
    )


def counts_by(ctx, column: str) -> Table:
    """How many figures of each value of ``column`` (measure, base_unit, qualifier or unit_zh), largest first.

    Measures, qualifiers and base units are named in the reader's language; printed
    units (``unit_zh``) are shown as printed, with their meaning in English pages.
    """
    allowed = {
        "measure": labels.MEASURE_LABELS,
        "qualifier": labels.QUALIFIER_LABELS,
        "base_unit": None,
        "unit_zh": None,
    }
    if column not in allowed:
        raise ValueError(f"counts_by: column must be one of {', '.join(allowed)}, got {column!r}")
    counts = ctx.package.figures[column].value_counts().sort_index().sort_values(ascending=False, kind="stable")
    names = allowed[column]
    if names:
        keys = [names[ctx.lang][k] for k in counts.index]
    elif column == "base_unit":
        keys = [unit_label(k, ctx.lang) or labels.heading("things", ctx.lang) for k in counts.index]
    else:
        keys = [printed_unit_label(k, ctx.lang) for k in counts.index]
    key_heading = labels.heading("unit" if column in ("base_unit", "unit_zh") else column.split("_")[0], ctx.lang)
    return table({key_heading: keys, labels.heading("count", ctx.lang): [str(n) for n in counts.to_numpy()]}, None)


def money_frame(ctx) -> pd.DataFrame:
    """Every money amount (CNY or USD) in yuan, as numbers for charts: id, label, section, low, high, yuan, bound."""
    rows = []
    for f in ctx.package.figures.itertuples(index=False):
        if f.base_unit not in ("CNY", "USD"):
            continue
        i = _in_yuan(ctx, f)
        lo, hi = i.to_floats()
        mid = i.midpoint
        rows.append(
            {
                "id": f.id,
                "label": naming.name(ctx, f),
                "section": int(f.section),
                "low": lo,
                "high": hi,
                "yuan": float(mid) if mid is not None else lo,
                "lower_bound_only": not i.is_bounded,
                "period": f.period if not pd.isna(f.period) else "",
            }
        )
    return pd.DataFrame(rows).sort_values("yuan", ascending=False, kind="stable").reset_index(drop=True)


def _in_yuan(ctx, f) -> Interval:
    i = relations.figure_input(f, ctx.approx_tolerance).interval
    return i * ctx.fx if f.base_unit == "USD" else i


def money_table(ctx) -> Table:
    """Every money amount on one scale: its interval in yuan and in US dollars at ``fx_usd_cny``, each at the page's
    money scale (亿元 / 亿美元 in Chinese, billion yuan / billion US dollars in English: ``amounts.money_scale``)."""
    L = ctx.lang
    m = money_frame(ctx)
    by_id = ctx.package.figures.set_index("id", drop=False)
    yuan = [_in_yuan(ctx, by_id.loc[i]) for i in m["id"]]
    fx = ctx.fx_usd_cny  # None: the package states no exchange rate, and the dollar column is left out
    t = (
        table(
            {
                labels.heading("indicator", L): m["label"],
                labels.heading("section", L): [str(n) for n in m["section"]],
                labels.heading("in_yuan", L): [format_interval(i, "CNY", L, money_scale(L)[0]) for i in yuan],
                **(
                    {labels.heading("in_usd", L): [format_interval(i / fx, "USD", L, money_scale(L)[0]) for i in yuan]}
                    if fx is not None
                    else {}
                ),
                labels.heading("period", L): [period_text(p, L) for p in m["period"]],
            },
            None,
        )
        if len(m)
        else _not_reported(ctx, [labels.heading("indicator", L)])
    )
    t.note = naming.tolerance_note(ctx, m["id"]) if len(m) else ""
    return t


def glossary(ctx) -> Table:
    """The glossary with headings in the reader's language."""
    g = labels.glossary_frame(ctx.lang)
    return table(
        g.to_numpy().tolist(),
        [labels.heading("term", ctx.lang), labels.heading("term_en", ctx.lang), labels.heading("meaning", ctx.lang)],
    )


# ---- the extractor (07_extract) ------------------------------------------------------


def extraction(ctx):
    """The draft of ``ctx.report`` and its comparison with the package's figures of the text (those with offsets:
    figures of a release without a text here cannot be drafted); (None, None) without a report."""
    from helpers.drafting import extract

    if ctx.report is None:
        return None, None
    draft = extract.extract_text(
        extract.read_report(ctx.report), year=ctx.package.descriptor.get("x_report_year", 2022)
    )
    printed = ctx.package.figures.dropna(subset=["char_start", "char_end"])
    return draft, extract.compare(draft, printed)


def extract_scores(ctx) -> Table:
    """Recall and precision on (offsets, value, unit), and agreement on qualifier and period, as percentages."""
    L = ctx.lang
    h = lambda k: labels.heading(k, L)  # noqa: E731
    cols = [h("score"), h("percent"), h("of_how_many")]
    draft, comparison = extraction(ctx)
    if comparison is None:
        return _not_reported(ctx, cols)
    c = comparison
    m, missed, added = len(c.matched), len(c.missed), len(c.added)
    rows = [
        ("recall", c.recall, f"{m} / {m + missed}"),
        ("precision", c.precision, f"{m} / {m + added}"),
        ("qualifier_agrees", c.qualifier_accuracy, str(m)),
        ("period_agrees", c.period_accuracy, str(m)),
        ("measure_agrees", c.measure_accuracy, str(m)),
    ]
    return table([(labels.SCORE_LABELS[L][name], f"{100 * rate:.1f}", n) for name, rate, n in rows], cols)


def extract_draft_table(ctx, rows: int = 15) -> Table:
    """The first ``rows`` rows of the draft: printed number, unit, qualifier, period, measure, guessed indicator."""
    L = ctx.lang
    h = lambda k: labels.heading(k, L)  # noqa: E731
    cols = [h("value"), h("unit"), h("qualifier"), h("period"), h("measure"), h("guessed_indicator")]
    draft, _ = extraction(ctx)
    if draft is None or draft.empty:
        return _not_reported(ctx, cols)
    d = draft.head(rows)
    return table(
        {
            cols[0]: list(d["printed"]),
            cols[1]: [printed_unit_label(u, L) for u in d["unit_zh"]],
            cols[2]: [naming.coded(L, "qualifier", q) for q in d["qualifier"]],
            cols[3]: [naming.coded(L, "period", p) for p in d["period"]],
            cols[4]: [labels.MEASURE_LABELS[L][m] for m in d["measure"]],
            cols[5]: list(d["indicator_zh"]),
        },
        None,
    )


def extract_confusion(ctx) -> Table:
    """Every disagreement between draft and package: missed, added, or a different qualifier or period.

    Headings and the kind of disagreement are in the reader's language; qualifiers,
    measures and periods are named, not given as codes.
    """
    L = ctx.lang
    _, comparison = extraction(ctx)
    if comparison is None:
        return _not_reported(ctx, [labels.heading("disagreement", L)])
    raw = comparison.confusion()
    if raw.empty:
        return table([[labels.heading("no_disagreements", L)]], [labels.heading("disagreement", L)])
    names = dict(zip(ctx.package.figures["id"], ctx.package.figures[f"indicator_{L}"]))

    h = lambda k: labels.heading(k, L)  # noqa: E731
    rows = [
        [
            labels.CONFUSION_LABELS[L][r.kind],
            f"{r.char_start}–{r.char_end}",
            names.get(r.id, ""),
            naming.coded(L, r.kind, str(r.curated)),
            naming.coded(L, r.kind, str(r.draft)),
        ]
        for r in raw.itertuples(index=False)
    ]
    return table(rows, [h("disagreement"), h("offsets"), h("indicator"), h("curated"), h("draft")])
