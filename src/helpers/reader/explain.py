"""A check's arithmetic written out for readers: figures by name, intervals at their precision, the verdict."""

from __future__ import annotations

from fractions import Fraction

from helpers.core.checks import Check
from helpers.core.relations import figure_input
from helpers.reader import labels, words
from helpers.reader.amounts import format_interval, period_label


def _equals(shown: str) -> str:
    """``= 10.17%``, or the bound itself (``> 0.09%``) when the value is only a bound."""
    return shown if shown[:1] in "≥>≤<" else f"= {shown}"


def explain(c: Check, figures, lang: str, tolerance: Fraction | None = None) -> str:
    """The check's arithmetic in ``lang``: figures by their indicator names, intervals at their precision."""
    by_id = figures.set_index("id", drop=False)
    rows = [by_id.loc[i] for i in c.inputs]

    def name(r) -> str:
        return words.say("quote.name", lang, name=r[f"indicator_{lang}"])

    if c.kind in ("printed_share", "sum_of_parts", "partial_sum"):
        return _explain_group(c, rows, [figure_input(r, tolerance) for r in rows], name, lang)
    x, y = (figure_input(r, tolerance) for r in rows)
    unit = "percent" if c.kind in ("share_of_period", "share_of_whole") else x.unit
    text = words.say(
        f"explain.{c.kind}",
        lang,
        x=name(rows[0]),
        y=name(rows[1]),
        xv=format_interval(x.interval, x.unit, lang),
        yv=format_interval(y.interval, y.unit, lang),
        e=_equals(format_interval(c.expected, unit, lang)),
        days=x.period.days if x.period else "",
        xp=period_label(x.period, lang),
    )
    text += words.say("explain.verdict", lang, status=labels.STATUS_LABELS[lang][c.status])
    if x.period != y.period:
        text += words.say(
            "explain.periods",
            lang,
            x=name(rows[0]),
            y=name(rows[1]),
            xp=period_label(x.period, lang),
            yp=period_label(y.period, lang),
        )
    return text


def _explain_group(c: Check, rows: list, inputs: list, name, lang: str) -> str:
    """:func:`explain` for the kinds with more than two inputs: a printed share, a (running) sum of parts."""
    shown = [format_interval(i.interval, i.unit, lang) for i in inputs]
    if c.kind == "printed_share":
        text = words.say(
            "explain.printed_share",
            lang,
            part=name(rows[1]),
            whole=name(rows[2]),
            share=name(rows[0]),
            sv=shown[0],
            e=_equals(format_interval(c.expected, "percent", lang)),
        )
    else:
        plus = " + ".join(name(r) for r in rows[:-1])
        text = words.say(
            f"explain.{c.kind}",
            lang,
            parts=plus,
            whole=name(rows[-1]),
            wv=shown[-1],
            e=_equals(format_interval(c.expected, inputs[0].unit, lang)),
        )
    return text + words.say("explain.verdict", lang, status=labels.STATUS_LABELS[lang][c.status])
