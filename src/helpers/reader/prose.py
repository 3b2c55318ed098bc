"""Sentences that state findings, written from the data in the reader's language (never typed into a notebook).

Each function returns a :class:`Text` (Markdown in a notebook, plain text in a
terminal) whose every number, name and verdict is computed from the package, so
that changed data changes the sentence instead of leaving a false one.  The
tests flip each finding on a modified package and check that the sentence
follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers.core import checks, intervals, periods, relations
from helpers.core.intervals import Interval
from helpers.reader import amounts, escape, labels, naming, tables, words
from helpers.reader.amounts import period_label

HUNDRED = 100


@dataclass(frozen=True)
class Text:
    """A paragraph in one language (Markdown in a notebook, the same text as its plain repr, so notebook outputs
    are stable); ``findings`` names what it asserts, for tests (e.g. ``{"above": [...]}``)."""

    text: str
    findings: dict = field(default_factory=dict)

    @property
    def markdown(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def _w(ctx, key: str, **fields: object) -> str:
    return words.say(f"prose.{key}", ctx.lang, **fields)


def _name(ctx, f) -> str:
    return words.say("quote.name", ctx.lang, name=escape.markdown(f[f"indicator_{ctx.lang}"]))


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
        _w(ctx, "name_qualifier", name=_name(ctx, r), qualifier=labels.QUALIFIER_LABELS[ctx.lang][r["qualifier"]])
        for _, r in f.iterrows()
    )
    key = "approx_one" if len(f) == 1 else "approx_many"
    return Text(_w(ctx, key, n=len(f), names=names, tol=naming.tolerance_text(ctx)), {"approximate": list(f["id"])})


def plan_completion(ctx, section: int | None = None) -> Text:
    """Each completion rate (完成…计划) against 100%: above the plan, below it, or cannot tell."""
    f = _figures(ctx, section, "completion_pct")
    if f.empty:
        return Text(_w(ctx, "none"), {})
    hundred = Interval.point(HUNDRED)
    parts: list[str] = []
    found: dict[str, list[str]] = {"above": [], "below": [], "at": []}
    for _, r in f.iterrows():
        i = _interval(ctx, r)
        verdict = "at" if i.overlaps(hundred) else ("above" if i.lo is not None and i.lo > HUNDRED else "below")
        found[verdict].append(r["id"])
        parts.append(_w(ctx, verdict, name=_name(ctx, r), value=_fmt(ctx, i, "percent")))
    end = words.say("punct.stop", ctx.lang)
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
    parts: list[str] = []
    found: dict[str, list[str] | int] = {}
    for iso, group in stated.groupby("period", sort=True):
        found[iso] = list(group["id"])
        parts.append(
            _w(
                ctx,
                "periods",
                label=period_label(periods.parse_period(iso), ctx.lang),
                names=_w(ctx, "and").join(_name(ctx, r) for _, r in group.iterrows()),
            )
        )
    missing = len(f) - len(stated)
    if missing:
        parts.append(_w(ctx, "no_period_one" if missing == 1 else "no_period_many", n=missing))
    found["none"] = missing
    end = words.say("punct.stop", ctx.lang)
    return Text(_w(ctx, "list_sep").join(parts) + end, found)


def period_counts(ctx) -> Text:
    """How many figures cover each stated period, and how many state none (over the whole package)."""
    f = ctx.package.figures
    stated = f[f["period"].notna() & (f["period"].astype(str) != "")]
    counts = stated["period"].value_counts().sort_index()
    parts = [
        _w(ctx, "period_count", label=period_label(periods.parse_period(iso), ctx.lang), n=int(n))
        for iso, n in counts.items()
    ]
    missing = len(f) - len(stated)
    if missing:
        parts.append(_w(ctx, "no_period_one" if missing == 1 else "no_period_many", n=missing))
    end = words.say("punct.stop", ctx.lang)
    return Text(_w(ctx, "list_sep").join(parts) + end, {**{k: int(v) for k, v in counts.items()}, "none": missing})


def _kind(i: Interval) -> str:
    """bound_kind, where a lower bound of 0 (or below) on a quotient of positive things counts as no bound."""
    k = intervals.bound_kind(i)
    if k == "lower_bound" and i.lo is not None and i.lo <= 0:
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
    label = words.say("quote.name", ctx.lang, name=escape.markdown(getattr(d, f"label_{ctx.lang}")))
    y_part = _w(ctx, "y_part", y=_name(ctx, rows[1]), ky=_w(ctx, f"kind_{kinds[1]}")) if len(rows) > 1 else ""
    value = _fmt(ctx, d.interval, d.unit) if result != "unbounded" else ""
    inputs = _w(ctx, "bound_inputs", names=_w(ctx, "inputs_and").join(_name(ctx, r) for r in rows))
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
            text += _w(ctx, "mixed", xp=period_label(px, ctx.lang), yp=period_label(py, ctx.lang))
    return Text(text, {"kind": result, "inputs": dict(zip(d.inputs, kinds))})


def check_findings(ctx, section: int | None = None) -> Text:
    """How many checks reach each verdict, and which are inconsistent, with their intervals."""
    derived = tables.derived_values(ctx, section)
    found = checks.check_all(derived, ctx.package.figures, ctx.approx_tolerance)
    if not found:
        return Text(_w(ctx, "none"), {"inconsistent": []})
    by = {s: [c.id for c in found if c.status == s] for s in checks.STATUSES}
    real = checks.findings(found)  # the checks that could have failed; bookkeeping is said apart
    text = _w(
        ctx,
        "checks_one" if len(real) == 1 else "checks_many",
        n=len(real),
        consistent=sum(c.status == "consistent" for c in real),
        inconsistent=sum(c.status == "inconsistent" for c in real),
        cannot=sum(c.status == "cannot tell" for c in real),
    )
    kept = checks.bookkeeping(found)
    if kept:
        bad_kept = sum(c.status == "inconsistent" for c in kept)
        text += _w(ctx, "sentence_gap") + words.say(
            f"prose.bookkeeping_{'one' if len(kept) == 1 else 'many'}", ctx.lang, n=len(kept), bad=bad_kept
        )
    labels_of = {
        d.id: words.say("quote.name", ctx.lang, name=escape.markdown(getattr(d, f"label_{ctx.lang}"))) for d in derived
    }
    units = {d.id: d.unit for d in derived}
    bad = [c for c in found if c.status == "inconsistent"]
    for c in bad:
        text += _w(ctx, "sentence_gap") + _w(
            ctx,
            "inconsistent",
            label=labels_of[c.id],
            expected=_fmt(ctx, c.expected, units[c.id]),
            observed=_fmt(ctx, c.observed, units[c.id]),
        )
    if not bad:
        text += _w(ctx, "sentence_gap") + _w(ctx, "all_consistent")
    return Text(
        text, {"inconsistent": by["inconsistent"], "cannot tell": by["cannot tell"], "consistent": by["consistent"]}
    )


def lead(ctx) -> Text:
    """The source (headline, outlet, date, reporters, where it was read, sha256, from the package's first source) and
    the headline result: how many checks, how many inconsistent, and the likeliest reason for each."""
    src = ctx.package.source
    lang = ctx.lang

    def field(name: str) -> str:  # a package string: escaped for the Markdown it lands in
        return escape.markdown(str(src.get(f"{name}_{lang}") or src.get(name) or words.say("period.none", lang)))

    text = _w(
        ctx,
        "lead_source",
        title=escape.markdown(src.get("title", "")),
        title_en=field("title"),
        series=escape.markdown(src.get("series", "")),
        publisher=field("publisher"),
        date=escape.markdown(amounts.period_text(src.get("date"), lang)),
        reporter=field("reporter"),
        correspondents=field("correspondents"),
        read_in=field("read_in"),
        sha=escape.markdown(src.get("sha256", "")),
    )
    derived = tables.derived_values(ctx)
    found = checks.check_all(derived, ctx.package.figures, ctx.approx_tolerance)
    bad = [c for c in found if c.status == "inconsistent"]
    labels_of = {
        d.id: words.say("quote.name", lang, name=escape.markdown(getattr(d, f"label_{lang}"))) for d in derived
    }
    names = _w(ctx, "and").join(labels_of[c.id] for c in bad)
    key = "lead_none_bad" if not bad else "lead_result_one" if len(bad) == 1 else "lead_result_many"
    n = len(checks.findings(found))  # the checks that could have failed (bookkeeping is not a finding)
    text += "\n\n" + _w(ctx, key, n=n, bad=len(bad), names=names)  # the finding: its own paragraph
    for c in bad:
        text += _w(ctx, "sentence_gap") + _reason(ctx, c, derived)
    return Text(text, {"checks": n, "inconsistent": [c.id for c in bad]})


def reason(ctx, check, derived) -> str | None:
    """The likeliest reason a check fails, or None when none is found: for a share of a period's days, the base the
    printed share implies (an ``implied_whole`` relation on the same figures) short of the calendar's days."""
    rels = ctx.package.relations.set_index("id", drop=False)
    r = rels.loc[check.id]
    whole = next(
        (
            d
            for d in derived
            if d.kind == "implied_whole" and rels.loc[d.id, "x"] == r["x"] and rels.loc[d.id, "y"] == r["y"]
        ),
        None,
    )
    if r["kind"] != "share_of_period" or whole is None or whole.period is None:
        return None
    days = whole.period.days
    short = days - whole.interval
    if short.lo is None or short.lo <= 0:
        return None
    return _w(
        ctx,
        "lead_reason_days",
        base=amounts.range_text(whole.interval, ctx.lang),
        short=amounts.range_text(short, ctx.lang),
        days=days,
        period=period_label(whole.period, ctx.lang),
    )


def _reason(ctx, check, derived) -> str:
    """:func:`reason`, or the sentence that no likely explanation was found (naming the check)."""
    found = reason(ctx, check, derived)
    if found is not None:
        return found
    rels = ctx.package.relations.set_index("id", drop=False)
    label = escape.markdown(rels.loc[check.id, f"label_{ctx.lang}"])
    return _w(ctx, "lead_reason_none", label=words.say("quote.name", ctx.lang, name=label))


def round_numbers(ctx, section: int | None = None) -> Text:
    """How this page reads the trailing zeros of round numbers (the ``round_numbers`` parameter), which figures it
    concerns, and which checks' verdicts would change under the other reading."""
    import dataclasses

    f = _figures(ctx, section)
    zeros = relations.round_to(f)
    rows = [r for _, r in zeros.iterrows() if r["round_to"] and not _isnan(r["round_to"])]
    if not rows:
        return Text(_w(ctx, "round_numbers_none"), {"round": [], "depends": []})
    names = _w(ctx, "and").join(
        _w(ctx, "name_printed", name=_name(ctx, r), printed=amounts.printed_text(r["value"], r["unit_zh"], ctx.lang))
        for r in rows
    )
    text = _w(ctx, f"round_numbers_{ctx.round_numbers}", names=names)
    figures = ctx.package.figures
    other = figures.drop(columns="round_to") if "round_to" in figures else relations.round_to(figures)
    there = dataclasses.replace(ctx, package=dataclasses.replace(ctx.package, figures=other))
    here_v = {c.id: c.status for c in checks.check_all(tables.derived_values(ctx), figures, ctx.approx_tolerance)}
    there_v = {c.id: c.status for c in checks.check_all(tables.derived_values(there), other, ctx.approx_tolerance)}
    depends = [i for i in here_v if there_v.get(i) != here_v[i]]
    labels_of = {
        d.id: words.say("quote.name", ctx.lang, name=getattr(d, f"label_{ctx.lang}"))
        for d in tables.derived_values(ctx)
    }
    if depends:
        text += _w(ctx, "sentence_gap") + _w(
            ctx, "round_depends", names=_w(ctx, "and").join(labels_of[i] for i in depends)
        )
    else:
        text += _w(ctx, "sentence_gap") + _w(ctx, "round_depends_none")
    return Text(text, {"round": [r["id"] for r in rows], "depends": depends})


def _isnan(x: object) -> bool:
    return isinstance(x, float) and x != x
