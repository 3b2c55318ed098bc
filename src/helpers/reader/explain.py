"""A check's arithmetic written out for readers: figures by name, intervals at their precision, the verdict."""

from __future__ import annotations

from fractions import Fraction

from helpers.core import periods
from helpers.core.checks import Check
from helpers.core.relations import figure_input
from helpers.reader import labels
from helpers.reader.amounts import format_interval

#: The arithmetic of each checked kind, for readers: figures by name, numbers at the precision they support.
_EXPLAIN = {
    "zh": {
        "share_of_period": "100 × {x}（{xv}）÷ {days} 天（{xp}）{e}；原文所印占比{y}为 {yv}",
        "share_of_whole": "100 × {x} ÷ {y} {e}；部分不大于整体，占比应在 [0, 100]% 之内",
        "part_from_share": "{x}（{xv}）× {y}（{yv}）÷ 100 {e}；个数必须是整数",
        "printed_share": "100 × {part} ÷ {whole} {e}；原文所印占比{share}为 {sv}",
        "sum_of_parts": "{parts} {e}；各部分合计应为{whole}（{wv}）",
        "partial_sum": "{parts} {e}；部分之和不超过整体{whole}（{wv}）",
        "verdict": "：{status}。",
        "periods": "两项数字时期不同（{x}：{xp}；{y}：{yp}），是有意合并的。",
    },
    "en": {
        "share_of_period": "100 × {x} ({xv}) ÷ {days} days ({xp}) {e}; {y} is printed as {yv}",
        "share_of_whole": "100 × {x} ÷ {y} {e}; a part is at most its whole, so the share must lie in [0, 100]%",
        "part_from_share": "{x} ({xv}) × {y} ({yv}) ÷ 100 {e}; a count of things must be a whole number",
        "printed_share": "100 × {part} ÷ {whole} {e}; {share} is printed as {sv}",
        "sum_of_parts": "{parts} {e}; the parts together must make {whole} ({wv})",
        "partial_sum": "{parts} {e}; parts of {whole} ({wv}) add up to at most the whole",
        "verdict": ": {status}.",
        "periods": " The inputs cover different periods ({x}: {xp}; {y}: {yp}), combined deliberately.",
    },
}


def _equals(shown: str) -> str:
    """``= 10.17%``, or the bound itself (``> 0.09%``) when the value is only a bound."""
    return shown if shown[:1] in "≥>≤<" else f"= {shown}"


def explain(c: Check, figures, lang: str, tolerance: Fraction | None = None) -> str:
    """The check's arithmetic in ``lang``: figures by their indicator names, intervals at their precision."""
    words = _EXPLAIN[lang]
    by_id = figures.set_index("id", drop=False)
    rows = [by_id.loc[i] for i in c.inputs]
    name = (lambda r: f"「{r['indicator_zh']}」") if lang == "zh" else (lambda r: f"“{r['indicator_en']}”")  # noqa: E731
    if c.kind in ("printed_share", "sum_of_parts", "partial_sum"):
        return _explain_group(c, rows, [figure_input(r, tolerance) for r in rows], name, lang)
    x, y = (figure_input(r, tolerance) for r in rows)
    unit = "percent" if c.kind in ("share_of_period", "share_of_whole") else x.unit
    text = words[c.kind].format(
        x=name(rows[0]),
        y=name(rows[1]),
        xv=format_interval(x.interval, x.unit, lang),
        yv=format_interval(y.interval, y.unit, lang),
        e=_equals(format_interval(c.expected, unit, lang)),
        days=x.period.days if x.period else "",
        xp=periods.label(x.period, lang),
    )
    text += words["verdict"].format(status=labels.STATUS_LABELS[lang][c.status])
    if x.period != y.period:
        text += words["periods"].format(
            x=name(rows[0]), y=name(rows[1]), xp=periods.label(x.period, lang), yp=periods.label(y.period, lang)
        )
    return text


def _explain_group(c: Check, rows: list, inputs: list, name, lang: str) -> str:
    """:func:`explain` for the kinds with more than two inputs: a printed share, a (running) sum of parts."""
    words = _EXPLAIN[lang]
    shown = [format_interval(i.interval, i.unit, lang) for i in inputs]
    if c.kind == "printed_share":
        text = words["printed_share"].format(
            part=name(rows[1]),
            whole=name(rows[2]),
            share=name(rows[0]),
            sv=shown[0],
            e=_equals(format_interval(c.expected, "percent", lang)),
        )
    else:
        plus = " + ".join(name(r) for r in rows[:-1])
        text = words[c.kind].format(
            parts=plus,
            whole=name(rows[-1]),
            wv=shown[-1],
            e=_equals(format_interval(c.expected, inputs[0].unit, lang)),
        )
    return text + words["verdict"].format(status=labels.STATUS_LABELS[lang][c.status])
