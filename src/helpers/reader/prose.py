"""Sentences that state findings, written from the data in the reader's language (never typed into a notebook).

Each function returns a :class:`Text` (Markdown in a notebook, plain text in a
terminal) whose every number, name and verdict is computed from the package, so
that changed data changes the sentence instead of leaving a false one.  The
tests flip each finding on a modified package and check that the sentence
follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.core import checks, intervals, periods, relations
from helpers.core.intervals import Interval
from helpers.reader import amounts, labels, tables

HUNDRED = 100


@dataclass(frozen=True)
class Text:
    """A paragraph in one language; ``findings`` names what it asserts, for tests (e.g. ``{"above": [...]}``)."""

    text: str
    findings: dict

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


_S = {
    "zh": {
        "none": "本部分没有这类数字。",
        "list_sep": "；",
        "and": "、",
        "overview": "报道在导语之后分为{sections}个部分，共印有{figures}个数字，其中{counts}个是事物的个数；"
        "本项目记录了它们之间的{relations}条关系。",
        "approx": "本部分有{n}个数字带“约”或“预计”：{names}。它们的区间按相对误差{tol}放宽（参数 approx_tolerance）。",
        "above": "{name}的完成率为{value}，整个区间都高于100%：完成量超过计划",
        "below": "{name}的完成率为{value}，整个区间都低于100%：未完成计划",
        "at": "{name}的完成率为{value}，区间包含100%：无法判断是否超额",
        "fastest": "同比增速最快的是{name}（{value}），其区间整体高于其他各项增速的区间。",
        "no_fastest": "同比增速最高的几项区间相互重叠（{names}），无法判定哪一项最快。",
        "periods": "{label}：{names}",
        "no_period": "未注明时期的数字有{n}个",
        "period_count": "{label}：{n}个",
        "kind_point": "是确切的数",
        "kind_bounded": "是印刷数字（四舍五入，有上下界）",
        "kind_lower_bound": "只是下限（超、余、突破）",
        "kind_upper_bound": "只是上限",
        "kind_unbounded": "没有界",
        "bound": "{label}由{inputs}推算：{x}{kx}{y_part}；因此它{kr}。",
        "y_part": "，{y}{ky}",
        "rule_lower_over_bounded": "下限除以一个有界的正数，结果仍是下限；",
        "rule_lower_over_lower": "下限除以下限没有界：除数可以任意大，商可以任意接近0；",
        "rule_lower_times_bounded": "下限乘以（或加上）一个有界的正数，结果仍是下限；",
        "result_lower_bound": "只是下限（{value}），上不封顶",
        "result_bounded": "有上下界（{value}）",
        "result_point": "是确切的数（{value}）",
        "result_unbounded": "没有可用的界",
        "result_upper_bound": "只是上限（{value}）",
        "mixed": "两项数字的时期不同（{xp}与{yp}），合并只是为了给出量级。",
        "checks": "共{n}项核验：{consistent}项一致，{inconsistent}项不一致，{cannot}项无法判断。",
        "inconsistent": "不一致的是{label}：由其他数字推算得{expected}，而应满足{observed}，四舍五入无法弥合这一差距。",
        "all_consistent": "没有发现不一致：四舍五入可以解释每一处差异。",
        "missing": "本数据包中没有这项关系，此处不作说明。",
    },
    "en": {
        "none": "No figure of this kind in this section.",
        "list_sep": "; ",
        "and": ", ",
        "overview": "After its lead the report has {sections} sections; they print {figures} figures, {counts} of them "
        "counts of things, and this project records {relations} relations between them.",
        "approx": "{n} figure(s) in this section carry 约 (about) or 预计 (expected): {names}. Their intervals are "
        "widened by a relative tolerance of {tol} (parameter approx_tolerance).",
        "above": "{name} completed {value} of its plan: the whole interval lies above 100%, so more was done "
        "than planned",
        "below": "{name} completed {value} of its plan: the whole interval lies below 100%, so the plan was missed",
        "at": "{name} completed {value} of its plan: the interval contains 100%, so it cannot tell whether the plan "
        "was exceeded",
        "fastest": "The fastest growth year on year is {name} ({value}): its interval lies above every other.",
        "no_fastest": "The highest growth rates overlap ({names}), so none of them is clearly the fastest.",
        "periods": "{label}: {names}",
        "no_period": "{n} figure(s) state no period",
        "period_count": "{label}: {n}",
        "kind_point": "is exact",
        "kind_bounded": "is a printed value (rounded, bounded on both sides)",
        "kind_lower_bound": "is only a lower bound (超, 余, 突破)",
        "kind_upper_bound": "is only an upper bound",
        "kind_unbounded": "has no bound",
        "bound": "{label} is computed from {x}, which {kx}{y_part}; so it {kr}.{inputs}",
        "y_part": ", and {y}, which {ky}",
        "rule_lower_over_bounded": "A lower bound divided by a bounded positive number is still a lower bound. ",
        "rule_lower_over_lower": "A lower bound divided by a lower bound has no bound: the divisor may be "
        "arbitrarily large, so the quotient may be arbitrarily close to 0. ",
        "rule_lower_times_bounded": "A lower bound multiplied by (or added to) a bounded positive number is still "
        "a lower bound. ",
        "result_lower_bound": "is only a lower bound ({value}), open above",
        "result_bounded": "is bounded ({value})",
        "result_point": "is exact ({value})",
        "result_unbounded": "has no useful bound",
        "result_upper_bound": "is only an upper bound ({value})",
        "mixed": " Its inputs cover different periods ({xp} and {yp}); they are combined only for the order of "
        "magnitude.",
        "checks": "{n} checks: {consistent} consistent, {inconsistent} inconsistent, {cannot} cannot tell.",
        "inconsistent": "Inconsistent: {label}. The other figures give {expected}, but it must overlap {observed}, "
        "and no rounding closes the gap.",
        "all_consistent": "No inconsistency: rounding explains every difference.",
        "missing": "This package has no such relation; nothing to say here.",
    },
}


def _w(ctx, key: str, **fields) -> str:
    return _S[ctx.lang][key].format(**fields)


def _name(ctx, f) -> str:
    name = f["indicator_zh"] if ctx.lang == "zh" else f["indicator_en"]
    return f"「{name}」" if ctx.lang == "zh" else f"“{name}”"


def _figures(ctx, section: int | None, measure: str | None = None):
    f = ctx.package.figures
    if section is not None:
        f = f[f["section"] == section]
    if measure is not None:
        f = f[f["measure"] == measure]
    return f


def _interval(ctx, f) -> Interval:
    return relations.figure_input(f, ctx.approx_tolerance).interval


def _fmt(ctx, interval: Interval, unit: str) -> str:
    return amounts.format_interval(interval, unit, ctx.lang)


def overview(ctx) -> Text:
    """How many sections (after the lead), figures, counts of things and relations the package holds."""
    pkg = ctx.package
    n = {
        "sections": int((pkg.sections["section"] > 0).sum()),
        "figures": len(pkg.figures),
        "counts": int((pkg.figures["base_unit"] == "count").sum()),
        "relations": len(pkg.relations),
    }
    return Text(_w(ctx, "overview", **n), n)


def approximate(ctx, section: int | None = None) -> Text:
    """The 约/预计 figures of a section (or all), and the tolerance their intervals are given."""
    f = _figures(ctx, section)
    f = f[f["qualifier"].isin(intervals.APPROXIMATE)]
    if f.empty:
        return Text(_w(ctx, "none"), {"approximate": []})
    names = _w(ctx, "and").join(
        f"{_name(ctx, r)}（{labels.QUALIFIER_LABELS[ctx.lang][r['qualifier']]}）"
        if ctx.lang == "zh"
        else f"{_name(ctx, r)} ({labels.QUALIFIER_LABELS[ctx.lang][r['qualifier']]})"
        for _, r in f.iterrows()
    )
    return Text(
        _w(ctx, "approx", n=len(f), names=names, tol=tables.tolerance_text(ctx)), {"approximate": list(f["id"])}
    )


def plan_completion(ctx, section: int | None = None) -> Text:
    """Each completion rate (完成…计划) against 100%: above the plan, below it, or cannot tell."""
    f = _figures(ctx, section, "completion_pct")
    if f.empty:
        return Text(_w(ctx, "none"), {})
    hundred = Interval.point(HUNDRED)
    parts, found = [], {"above": [], "below": [], "at": []}
    for _, r in f.iterrows():
        i = _interval(ctx, r)
        verdict = "at" if i.overlaps(hundred) else ("above" if i.lo is not None and i.lo > HUNDRED else "below")
        found[verdict].append(r["id"])
        parts.append(_w(ctx, verdict, name=_name(ctx, r), value=_fmt(ctx, i, "percent")))
    end = "。" if ctx.lang == "zh" else "."
    return Text(_w(ctx, "list_sep").join(parts) + end, found)


def fastest_growth(ctx, section: int | None = None) -> Text:
    """Which growth rate (同比) is fastest: the one whose interval lies above all others, if there is one."""
    f = _figures(ctx, section, "change_yoy_pct")
    if f.empty:
        return Text(_w(ctx, "none"), {"fastest": None})
    rows = [(r, _interval(ctx, r)) for _, r in f.iterrows()]
    top_r, top_i = max(rows, key=lambda ri: (ri[1].hi is None, ri[1].hi or 0, ri[1].lo or 0))
    others = [i for r, i in rows if r["id"] != top_r["id"]]
    if all(not top_i.overlaps(i) and (i.hi is not None and top_i.lo is not None and top_i.lo >= i.hi) for i in others):
        return Text(
            _w(ctx, "fastest", name=_name(ctx, top_r), value=_fmt(ctx, top_i, "percent")), {"fastest": top_r["id"]}
        )
    tied = [r for r, i in rows if i.overlaps(top_i)]
    return Text(
        _w(ctx, "no_fastest", names=_w(ctx, "and").join(_name(ctx, r) for r in tied)),
        {"fastest": None, "tied": [r["id"] for r in tied]},
    )


def periods_summary(ctx, section: int | None = None) -> Text:
    """The figures of a section grouped by the period they cover, and how many state none."""
    f = _figures(ctx, section)
    if f.empty:
        return Text(_w(ctx, "none"), {})
    stated = f[f["period"].notna() & (f["period"].astype(str) != "")]
    parts, found = [], {}
    for iso, group in stated.groupby("period", sort=True):
        found[iso] = list(group["id"])
        parts.append(
            _w(
                ctx,
                "periods",
                label=periods.label(periods.parse_period(iso), ctx.lang),
                names=_w(ctx, "and").join(_name(ctx, r) for _, r in group.iterrows()),
            )
        )
    missing = len(f) - len(stated)
    if missing:
        parts.append(_w(ctx, "no_period", n=missing))
    found["none"] = missing
    end = "。" if ctx.lang == "zh" else "."
    return Text(_w(ctx, "list_sep").join(parts) + end, found)


def period_counts(ctx) -> Text:
    """How many figures cover each stated period, and how many state none (over the whole package)."""
    f = ctx.package.figures
    stated = f[f["period"].notna() & (f["period"].astype(str) != "")]
    counts = stated["period"].value_counts().sort_index()
    parts = [
        _w(ctx, "period_count", label=periods.label(periods.parse_period(iso), ctx.lang), n=int(n))
        for iso, n in counts.items()
    ]
    missing = len(f) - len(stated)
    if missing:
        parts.append(_w(ctx, "no_period", n=missing))
    end = "。" if ctx.lang == "zh" else "."
    return Text(_w(ctx, "list_sep").join(parts) + end, {**{k: int(v) for k, v in counts.items()}, "none": missing})


def _kind(i: Interval) -> str:
    """bound_kind, where a lower bound of 0 (or below) on a quotient of positive things counts as no bound."""
    k = intervals.bound_kind(i)
    if k == "lower_bound" and i.lo <= 0:
        return "unbounded"
    return k


_RATIOS = {
    "per_unit",
    "share_of_whole",
    "implied_whole",
    "prior_level",
    "implied_plan",
    "stock_growth",
    "per_capita",
    "monthly_average",
    "share_of_period",
    "to_hectares",
}


def bound_rule(ctx, relation_id: str) -> Text:
    """What kind of number a derived value is (exact, bounded, lower bound, no bound) and the rule that makes it so.

    The rule is read off the inputs' intervals: a lower bound over a bounded value is
    a lower bound; a lower bound over a lower bound has no bound; a lower bound times
    or plus a bounded positive value is a lower bound.
    """
    derived = {d.id: d for d in tables.derived_values(ctx)}
    if relation_id not in derived:
        return Text(_w(ctx, "missing"), {"kind": None})
    d = derived[relation_id]
    by_id = ctx.package.figures.set_index("id", drop=False)
    rows = [by_id.loc[i] for i in d.inputs]
    kinds = [_kind(_interval(ctx, r)) for r in rows]
    result = _kind(d.interval)
    label = f"「{d.label_zh}」" if ctx.lang == "zh" else f"“{d.label_en}”"
    y_part = _w(ctx, "y_part", y=_name(ctx, rows[1]), ky=_w(ctx, f"kind_{kinds[1]}")) if len(rows) > 1 else ""
    value = _fmt(ctx, d.interval, d.unit) if result != "unbounded" else ""
    inputs = "和".join(_name(ctx, r) for r in rows) if ctx.lang == "zh" else ""
    text = _w(
        ctx,
        "bound",
        label=label,
        inputs=inputs,
        x=_name(ctx, rows[0]),
        kx=_w(ctx, f"kind_{kinds[0]}"),
        y_part=y_part,
        kr=_w(ctx, f"result_{result}", value=value),
    )
    rule = ""
    if kinds[0] == "lower_bound":
        if d.kind in _RATIOS and len(kinds) > 1:
            rule = _w(ctx, "rule_lower_over_lower" if kinds[1] == "lower_bound" else "rule_lower_over_bounded")
        elif len(kinds) > 1 and kinds[1] in ("bounded", "point"):
            rule = _w(ctx, "rule_lower_times_bounded")
    text = rule + text
    if len(rows) > 1:
        px, py = (periods.parse_period(None if not isinstance(r["period"], str) else r["period"]) for r in rows)
        if px != py:
            text += _w(ctx, "mixed", xp=periods.label(px, ctx.lang), yp=periods.label(py, ctx.lang))
    return Text(text, {"kind": result, "inputs": dict(zip(d.inputs, kinds))})


def check_findings(ctx, section: int | None = None) -> Text:
    """How many checks reach each verdict, and which are inconsistent, with their intervals."""
    derived = tables.derived_values(ctx, section)
    found = checks.check_all(derived, ctx.package.figures, ctx.approx_tolerance)
    if not found:
        return Text(_w(ctx, "none"), {"inconsistent": []})
    by = {s: [c.id for c in found if c.status == s] for s in checks.STATUSES}
    text = _w(
        ctx,
        "checks",
        n=len(found),
        consistent=len(by["consistent"]),
        inconsistent=len(by["inconsistent"]),
        cannot=len(by["cannot tell"]),
    )
    labels_of = {d.id: (f"「{d.label_zh}」" if ctx.lang == "zh" else f"“{d.label_en}”") for d in derived}
    units = {d.id: d.unit for d in derived}
    bad = [c for c in found if c.status == "inconsistent"]
    for c in bad:
        text += (" " if ctx.lang == "en" else "") + _w(
            ctx,
            "inconsistent",
            label=labels_of[c.id],
            expected=_fmt(ctx, c.expected, units[c.id]),
            observed=_fmt(ctx, c.observed, units[c.id]),
        )
    if not bad:
        text += (" " if ctx.lang == "en" else "") + _w(ctx, "all_consistent")
    return Text(
        text, {"inconsistent": by["inconsistent"], "cannot tell": by["cannot tell"], "consistent": by["consistent"]}
    )
