"""The extractor's report card (notebook 07): its draft of the report's text beside the curated package.

:func:`extraction` drafts the text and compares the draft with the package's figures; :func:`scores` gives
recall, precision and agreement (percent), :func:`draft_table` the draft's first rows and :func:`confusion` every
disagreement, all in the reader's language with codes named.
"""

from __future__ import annotations

from helpers.drafting import extract
from helpers.reader import labels
from helpers.reader.amounts import period_text, printed_unit_label
from helpers.reader.tables import Table, not_reported, table


def extraction(ctx):
    """The draft of ``ctx.report`` and its comparison with the package's figures of the text (those with offsets:
    figures of a release without a text here cannot be drafted); (None, None) without a report."""
    if ctx.report is None:
        return None, None
    draft = extract.extract_text(
        extract.read_report(ctx.report), year=ctx.package.descriptor.get("x_report_year", 2022)
    )
    printed = ctx.package.figures.dropna(subset=["char_start", "char_end"])
    return draft, extract.compare(draft, printed)


def scores(ctx) -> Table:
    """Recall and precision on (offsets, value, unit), and agreement on qualifier and period, as percentages."""
    L = ctx.lang
    h = lambda k: labels.heading(k, L)  # noqa: E731
    cols = [h("score"), h("percent"), h("of_how_many")]
    draft, comparison = extraction(ctx)
    if comparison is None:
        return not_reported(ctx, cols)
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


def draft_table(ctx, rows: int = 15) -> Table:
    """The first ``rows`` rows of the draft: printed number, unit, qualifier, period, measure, guessed indicator."""
    L = ctx.lang
    h = lambda k: labels.heading(k, L)  # noqa: E731
    cols = [h("value"), h("unit"), h("qualifier"), h("period"), h("measure"), h("guessed_indicator")]
    draft, _ = extraction(ctx)
    if draft is None or draft.empty:
        return not_reported(ctx, cols)
    d = draft.head(rows)
    return table(
        {
            cols[0]: list(d["printed"]),
            cols[1]: [printed_unit_label(u, L) for u in d["unit_zh"]],
            cols[2]: [_coded(L, "qualifier", q) for q in d["qualifier"]],
            cols[3]: [_coded(L, "period", p) for p in d["period"]],
            cols[4]: [labels.MEASURE_LABELS[L][m] for m in d["measure"]],
            cols[5]: list(d["indicator_zh"]),
        },
        None,
    )


def _coded(lang: str, column: str, value: str) -> str:
    """A draft's (or the package's) coded value named for readers: a qualifier by its label (an unknown code as
    it is), a period in words ("" and the comparison's "(none)": not stated); other columns' values as they are."""
    if column == "qualifier":
        return labels.QUALIFIER_LABELS[lang].get(value, value)
    if column == "period":
        return period_text(None if value == "(none)" else value, lang)
    return value


def confusion(ctx) -> Table:
    """Every disagreement between draft and package: missed, added, or a different qualifier or period.

    Headings and the kind of disagreement are in the reader's language; qualifiers,
    measures and periods are named, not given as codes.
    """
    L = ctx.lang
    _, comparison = extraction(ctx)
    if comparison is None:
        return not_reported(ctx, [labels.heading("disagreement", L)])
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
            _coded(L, r.kind, str(r.curated)),
            _coded(L, r.kind, str(r.draft)),
        ]
        for r in raw.itertuples(index=False)
    ]
    return table(rows, [h("disagreement"), h("offsets"), h("indicator"), h("curated"), h("draft")])
