"""The charts the notebooks show: figures and derived values of the package as marks, with alt text and captions.

Every function takes the notebook's ``ctx`` (:func:`helpers.reader.params.setup`) and returns a
:class:`~helpers.reader.plots.grammar.Chart`; every word it shows is in ``ctx.lang``, every number comes from
the package, and units are the ones the tables beside the charts use (:func:`helpers.reader.amounts.display_scale`).
Captions are one sentence saying what to look at, computed from the same marks the chart draws.
"""

from __future__ import annotations

from fractions import Fraction

from helpers.core import relations
from helpers.reader import amounts, labels, naming, tables, words
from helpers.reader.amounts import period_label
from helpers.reader.plots.grammar import (
    Chart,
    Mark,
    alt_text,
    interval_text,
    mark_text,
    number_text,
    render,
    unit_suffix,
    value_text,
)
from helpers.reader.plots.layout import (
    bar_figure,
    decade_gridlines,
    dot_figure,
    narrow_marks,
    new_figure,
    pair_figure,
)
from helpers.reader.plots.marks import (  # noqa: F401 (figure_mark, printed_places: this module's API too)
    derived_kind,
    derived_mark,
    figure_mark,
    inputs_printed,
    printed,
    printed_places,
)
from helpers.reader.plots.panels import panel_figure

HUNDRED = Fraction(100)


def _t(ctx, key: str, **fields: object) -> str:
    return words.say(f"chart.{key}", ctx.lang, **fields)


def _name(ctx, row) -> str:
    return getattr(row, f"indicator_{ctx.lang}")


def _empty(ctx, title: str) -> Chart:
    fig, (ax,) = new_figure(1, title, ctx.lang)
    ax.set_axis_off()
    word = labels.heading("not_reported", ctx.lang)
    ax.text(0.5, 0.5, word, ha="center", va="center", fontsize=14, transform=ax.transAxes)
    return render(fig, f"{title}: {word}", f"{title}: {word}")


def empty(ctx, title: str) -> Chart:
    """The chart for nothing to show: its title and the words for "not reported" (alt text and caption too)."""
    return _empty(ctx, title)


def _scale(unit: str, marks: list[Mark], lang: str) -> tuple[int, str]:
    """The divisor and unit label the tables would use for these marks (scaled by the smallest magnitude)."""
    magnitude = min((abs(m.value) for m in marks), default=None)
    return amounts.display_scale(unit, magnitude, lang)


def _v(mark: Mark, divisor, unit: str | dict[str, str], lang: str = "") -> str:
    """A mark's value in a caption: as printed, or for a derived value its whole interval as a range (no point)."""
    suffix = unit_suffix(unit.get(mark.label, "") if isinstance(unit, dict) else unit)
    return f"{value_text(mark, divisor, lang) if lang else mark_text(mark, divisor)}{suffix}"


def _extremes(ctx, marks: list[Mark], divisor, unit: str | dict[str, str]) -> str:
    hi = max(marks, key=lambda m: m.value)
    lo = min(marks, key=lambda m: m.value)
    if len(marks) == 1:
        return _t(ctx, "one_is", name=hi.label, value=_v(hi, divisor, unit, ctx.lang))
    hv, lv = _v(hi, divisor, unit, ctx.lang), _v(lo, divisor, unit, ctx.lang)
    return _t(ctx, "extremes", hi=hi.label, hv=hv, lo=lo.label, lv=lv)


def _narrow_note(ctx, fig, divisor=1, unit: str | dict[str, str] = "") -> str:
    """A clause saying how many bands the figure drew too thin to see (their half-width is written), or nothing.

    The half-width is in the value's own unit: percentage points on a percentage axis, else the axis unit."""
    marks = narrow_marks(fig)
    if not marks:
        return ""
    widest = max(marks, key=lambda m: m.half_width() or 0)
    label = unit.get(widest.label, "") if isinstance(unit, dict) else unit
    base = "percent" if label.strip() == "%" else ""
    text = amounts.half_width_text(widest.interval, base, ctx.lang, divisor, "" if base else label)
    return _t(ctx, "narrow_one" if len(marks) == 1 else "narrow_many", n=len(marks), widest=text)


def _approx_inputs(ctx, found: list[relations.Derived]) -> str:
    """A clause naming the 约/预计 inputs of derived values (their results are as rough as they are), or nothing."""
    figs = ctx.package.figures.set_index("id", drop=False)
    ids = dict.fromkeys(i for d in found for i in d.inputs if i in figs.index)
    rough = [figs.loc[i] for i in ids if figs.loc[i, "qualifier"] in ("approx", "estimate")]
    if not rough:
        return ""
    names = words.say("prose.and", ctx.lang).join(_name(ctx, r) for r in rough)
    return _t(ctx, "approx_inputs", names=names, tol=naming.tolerance_text(ctx))


def _sentence(ctx, *parts: str) -> str:
    """A caption's clauses (the finding, the gridlines, the thin intervals) as one sentence: each clause stands on
    its own, so they are joined by semicolons, never spliced with commas."""
    text = words.say("punct.semicolon", ctx.lang).join(p for p in parts if p)
    text = text[0].upper() + text[1:] if ctx.lang == "en" else text  # a Latin sentence starts with a capital
    return text + words.say("punct.stop", ctx.lang)


# ---- charts of printed figures ---------------------------------------------------------------


def money(ctx, section: int | None = None, ids: list[str] | None = None, per_person: bool = False) -> Chart:
    """Money amounts on one scale (亿元 in Chinese, billion yuan in English: :func:`amounts.money_scale`; US dollars
    converted at fx_usd_cny, drawn as derived) on a log scale: every one of the section (or package), or the figures
    ``ids``; ``per_person`` amounts are drawn in yuan, under their own title (a total and an amount per person never
    share a chart: see :func:`helpers.reader.plots.groups.money_groups`)."""
    figs = ctx.package.figures
    figs = figs[figs["base_unit"].isin(["CNY", "USD"])]
    if section is not None:
        figs = figs[figs["section"] == section]
    if ids is not None:
        figs = figs[figs["id"].isin(ids)]
    title = _t(ctx, "per_person_title" if per_person else "money_title")
    if figs.empty:
        return _empty(ctx, title)
    divisor, unit = (
        (1, _t(ctx, "per_person_axis")) if per_person else (amounts.money_scale(ctx.lang)[0], _t(ctx, "money_axis"))
    )
    marks = sorted(
        (figure_mark(ctx, f, divisor, fx=True) for f in figs.itertuples(index=False)), key=lambda m: -m.value
    )
    hi, lo = marks[0], marks[-1]
    short = _t(ctx, "per_person_unit" if per_person else "money_unit")
    if len(marks) > 1:
        ratio = hi.interval / lo.interval
        bounded = ratio.lo is not None and ratio.lo > 0
        finding = _t(
            ctx,
            "money_ratio" if bounded else "money_ratio_unbounded",
            hi=hi.label,
            hv=_v(hi, divisor, short, ctx.lang),
            lo=lo.label,
            lv=_v(lo, divisor, short, ctx.lang),
            ratio=amounts.ratio_text(ratio, ctx.lang),
        )
    else:
        finding = _extremes(ctx, marks, divisor, short)
    fig = dot_figure(ctx.lang, marks, title, unit, divisor, log=True, zero=False)
    grid = _t(ctx, "log_gridlines") if decade_gridlines(fig) else ""
    alt = alt_text(title, marks, short, divisor, ctx.lang, _t(ctx, "money_what"))
    return render(fig, alt, _sentence(ctx, finding, grid, _narrow_note(ctx, fig, divisor, short)))


def counts(ctx, section: int) -> Chart:
    """The counts of things a section reports: bars from zero on a linear axis, or, when they span more than 100
    times, dots on a log axis (a bar's length would say nothing there)."""
    figs = ctx.package.figures
    figs = figs[(figs["section"] == section) & (figs["base_unit"] == "count")]
    title = _t(ctx, "counts_title")
    if figs.empty:
        return _empty(ctx, title)
    marks = sorted((figure_mark(ctx, f, 1) for f in figs.itertuples(index=False)), key=lambda m: -m.value)
    log = marks[0].value > 100 * max(marks[-1].value, Fraction(1))
    unit = _t(ctx, "count_axis_log" if log else "count_axis")
    fig = (
        dot_figure(ctx.lang, marks, title, unit, log=True, zero=False)
        if log
        else bar_figure(ctx.lang, marks, title, unit)
    )
    return render(
        fig,
        alt_text(title, marks, "", 1, ctx.lang, _t(ctx, "counts_what")),
        _sentence(
            ctx,
            _extremes(ctx, marks, 1, ""),
            _t(ctx, "log_gridlines") if decade_gridlines(fig) else "",
        ),
    )


def measure_marks(ctx, section: int | None, measures: tuple[str, ...]) -> list[Mark]:
    """Figures of the given measures (e.g. change_yoy_pct) as marks, in file order."""
    figs = ctx.package.figures
    figs = figs[figs["measure"].isin(measures)]
    if section is not None:
        figs = figs[figs["section"] == section]
    return [figure_mark(ctx, f, 1) for f in figs.itertuples(index=False)]


def percentages(ctx, section: int | None, measures: tuple[str, ...], title_zh: str, title_en: str) -> Chart:
    """Percent figures (growth, shares, completion rates) with their rounding intervals.

    Where completion rates are drawn (the package holds some, in this section) they get a dashed line at 100 %
    (the plan) and the caption counts those over it; without one, no plan is drawn or named.  Changes are drawn
    from zero, a decline below it.
    """
    marks = measure_marks(ctx, section, measures)
    title = words.pick(ctx.lang, zh=title_zh, en=title_en)
    if not marks:
        return _empty(ctx, title)
    completion = measure_marks(ctx, section, ("completion_pct",)) if "completion_pct" in measures else []
    reference = (100.0, _t(ctx, "plan_line")) if completion else None
    finding = _extremes(ctx, marks, 1, "%")
    if reference:
        over = [m for m in completion if m.interval.lo is not None and m.interval.lo >= 100]
        finding = _t(ctx, "over_plan", n=len(over), total=len(completion)) + _t(ctx, "then") + finding
    fig = dot_figure(ctx.lang, marks, title, "%", 1, zero=True, reference=reference)
    return render(
        fig,
        alt_text(title, marks, "%", 1, ctx.lang, _t(ctx, "percent_what")),
        _sentence(ctx, finding, _narrow_note(ctx, fig, 1, "%")),
    )


# ---- charts of derived values ---------------------------------------------------------------


def _derived_values(ctx, ids: list[str]) -> list[relations.Derived]:
    by_id = {d.id: d for d in tables.derived_values(ctx)}
    return [by_id[i] for i in ids if i in by_id]


def _unit_label(ctx, found: list[relations.Derived], marks: list[Mark], fallback: str) -> tuple[int, str]:
    divisor, label = _scale(found[0].unit, marks, ctx.lang)
    others = []
    for d in found[1:]:
        _, other = amounts.display_scale(d.unit, abs(marks[0].value), ctx.lang)
        if other != label and other not in others:
            others.append(other)
    label = " · ".join([label, *others]) if others else label
    return divisor, (label or fallback)


def derived(
    ctx,
    ids: list[str],
    title_zh: str,
    title_en: str,
    xlabel_zh: str = "",
    xlabel_en: str = "",
    scale: float | None = None,
) -> Chart:
    """Chosen derived values (by relation id) with their intervals, in the unit the derived-value table uses.

    The axis unit and its magnitude come from :func:`helpers.reader.amounts.display_scale` (land prices in
    万元/平方米, levels in 亿元); ``xlabel_zh``/``xlabel_en`` are used only where the unit has no name
    (counts), and ``scale`` is accepted for existing calls but no longer needed.
    """
    found = _derived_values(ctx, ids)
    title = words.pick(ctx.lang, zh=title_zh, en=title_en)
    missing = len(set(ids) - {d.id for d in found})
    if missing:
        title += f" — {labels.heading('not_reported', ctx.lang)}: {missing}"
    if not found:
        return _empty(ctx, title)
    marks = [derived_mark(ctx, d) for d in found]
    divisor, unit = _unit_label(ctx, found, marks, words.pick(ctx.lang, zh=xlabel_zh, en=xlabel_en))
    each = {
        m.label: amounts.display_scale(d.unit, abs(marks[0].value), ctx.lang)[1] or unit for m, d in zip(marks, found)
    }  # a unit for each mark where the units differ
    fig = dot_figure(ctx.lang, marks, title, unit, divisor, zero=True)
    return render(
        fig,
        alt_text(title, marks, each, divisor, ctx.lang, _t(ctx, "derived_what")),
        _sentence(
            ctx,
            _extremes(ctx, marks, divisor, each),
            _t(ctx, "hollow"),
            _narrow_note(ctx, fig, divisor, each),
            _approx_inputs(ctx, found),
        ),
    )


def prior_and_current(ctx, section: int | None = None) -> Chart:
    """Each level now against the level a year earlier that its growth rate implies (prior_level relations).

    On the log scale the line joining the two marks is as long as the growth: ``log(x) − log(x/(1+g))``.
    """
    rels = ctx.package.relations
    rels = rels[rels["kind"] == "prior_level"]
    if section is not None:
        rels = rels[rels["section"] == section]
    title = _t(ctx, "prior_title")
    found = {d.id: d for d in tables.derived_values(ctx, section)}
    figs = ctx.package.figures.set_index("id", drop=False)
    rows = [r for r in rels.itertuples(index=False) if r.id in found]
    if not rows:
        return _empty(ctx, title)
    divisor, unit = amounts.money_scale(ctx.lang)[0], _t(ctx, "money_axis_log")
    pairs, growth = [], []
    for r in rows:
        now = figure_mark(ctx, figs.loc[r.x], divisor)
        pairs.append((now.label, derived_mark(ctx, found[r.id]), now))
        g = figs.loc[r.y]
        growth.append((relations.figure_input(g).interval.midpoint, now.label, f"{g.value}%"))
    fast, slow = max(growth), min(growth)
    finding = _t(ctx, "prior_finding", fast=fast[1], fv=fast[2], slow=slow[1], sv=slow[2])
    fig = pair_figure(ctx.lang, pairs, title, unit, divisor, log=True)
    marks = [m for _, a, b in pairs for m in (a, b)]
    return render(
        fig,
        alt_text(title, marks, _t(ctx, "money_unit"), divisor, ctx.lang, _t(ctx, "levels_what")),
        _sentence(ctx, finding),
    )


WHOLE_KINDS = ("sum", "implied_whole", "implied_plan")


def whole(ctx, relation_id: str) -> Chart:
    """Parts and the whole they imply, as lollipops from zero on one scale.

    ``sum``: the two parts and their total; ``implied_whole``: a part and the whole its share implies,
    ``x / (y/100)``; ``implied_plan``: an outcome and the plan its completion rate implies.
    """
    rel = ctx.package.relations.set_index("id", drop=False)
    found = {d.id: d for d in tables.derived_values(ctx)}
    if relation_id not in rel.index or relation_id not in found:
        return _empty(ctx, relation_id)
    r = rel.loc[relation_id]
    if r.kind not in WHOLE_KINDS:
        raise ValueError(
            f"plots.whole: relation {relation_id!r} is a {r.kind!r}; it must be one of {', '.join(WHOLE_KINDS)}"
        )
    d = found[relation_id]
    figs = ctx.package.figures.set_index("id", drop=False)
    x = figs.loc[r.x]
    whole_mark = derived_mark(ctx, d)
    divisor, unit = _scale(d.unit, [whole_mark], ctx.lang)
    part = figure_mark(ctx, x, divisor)
    title = getattr(d, f"label_{ctx.lang}")
    if r.kind == "sum":
        y = figs.loc[r.y]
        other = figure_mark(ctx, y, divisor)
        marks = [part, other, whole_mark]
        bigger = max(part, other, key=lambda m: m.value)
        share = amounts.range_text(bigger.interval / whole_mark.interval * 100, ctx.lang)
        total = _v(whole_mark, divisor, unit, ctx.lang)
        finding = _t(ctx, "sum_finding", total=total, name=bigger.label, share=share)
    else:
        y = figs.loc[r.y]
        marks = [part, whole_mark]
        rate = relations.figure_input(y, ctx.approx_tolerance).interval  # the share or completion rate, in %
        if r.kind == "implied_whole":
            finding = _t(
                ctx,
                "implied_whole_finding",
                part=part.label,
                pv=_v(part, divisor, unit, ctx.lang),
                share=y.value,
                whole=_v(whole_mark, divisor, unit, ctx.lang),
                ratio=amounts.ratio_text(HUNDRED / rate, ctx.lang),  # whole ÷ part = 100 ÷ share, exactly
            )
        else:
            over = part.interval * (1 - HUNDRED / rate)  # outcome − plan, with the outcome counted once
            plan = _v(whole_mark, divisor, unit, ctx.lang)
            if over.lo is not None and over.lo >= 0 or over.hi is not None and over.hi <= 0:
                up = over.lo is not None and over.lo >= 0
                gap = amounts.range_text(over if up else -over, ctx.lang, divisor)
                word = _t(ctx, "exceeds" if up else "falls_short")
                finding = _t(ctx, "plan_finding", rate=y.value, plan=plan, word=word, gap=f"{gap}{unit_suffix(unit)}")
            else:
                finding = _t(ctx, "plan_unclear", rate=y.value, plan=plan)
    reference = None
    if d.unit == "days" and d.period is not None:  # a whole of days: against the days the period has
        days = d.period.days
        reference = (float(days), _t(ctx, "calendar_days", period=period_label(d.period, ctx.lang), days=days))
        short = Fraction(days) - whole_mark.interval
        if short.lo is not None and short.lo > 0:
            finding += _t(ctx, "fewer_days", n=amounts.range_text(short, ctx.lang))
        elif short.hi is not None and short.hi < 0:
            finding += _t(ctx, "more_days", n=amounts.range_text(-short, ctx.lang))
        else:
            finding += _t(ctx, "days_unclear")
    fig = dot_figure(ctx.lang, marks, title, unit, divisor, zero=True, stems=True, reference=reference)
    return render(
        fig,
        alt_text(title, marks, unit, divisor, ctx.lang, _t(ctx, "whole_what")),
        _sentence(ctx, finding, _narrow_note(ctx, fig, divisor, unit), _approx_inputs(ctx, [d])),
    )


# ---- checks ----------------------------------------------------------------------------------


def checks(ctx, section: int | None = None) -> Chart:
    """Each check as two intervals, each panel on its own scale: recomputed (hollow) and printed or required.

    An inconsistent check is drawn in red; its recomputed interval stands visibly apart from the band.
    """
    from helpers.core import checks as checks_mod

    derived_all = tables.derived_values(ctx, section)
    found = checks_mod.check_all(derived_all, ctx.package.figures)
    title = _t(ctx, "checks_title")
    if not found:
        return _empty(ctx, title)
    by_id = {d.id: d for d in derived_all}
    figs = ctx.package.figures.set_index("id", drop=False)
    L = ctx.lang
    panels, marks = [], []
    for c in found:
        d = by_id[c.id]
        recomputed = Mark(
            labels.heading("expected", L),
            c.expected,
            derived_kind(d, ctx.package.figures),
            derived=True,
            printed=inputs_printed(ctx, d.inputs),
            relation=d.id,
        )
        if d.kind == "share_of_period":
            y = figs.loc[c.inputs[1]]
            observed = Mark(
                _t(ctx, "printed"), c.observed, y.qualifier, places=printed_places(y, 1), printed=(printed(ctx, y),)
            )
        else:
            observed = Mark(labels.heading("observed", L), c.observed, "exact", requirement=True, relation=d.id)
        unit = (
            amounts.unit_label(d.unit, L)
            if d.unit == "percent"
            else amounts.unit_label(d.unit, L) or _t(ctx, "count_axis")
        )
        panels.append(
            {
                "name": getattr(d, f"label_{L}"),
                "marks": [recomputed, observed],
                "unit_label": unit,
                "bad": c.status == "inconsistent",
                "note": labels.STATUS_LABELS[L][c.status],
            }
        )
        marks += [recomputed, observed]
    bad = [(c, p) for c, p in zip(found, panels) if p["bad"]]
    n_ok = sum(c.status == "consistent" for c in found)
    if bad:
        c, p = bad[0]
        e, o = c.expected, c.observed
        if e.hi is not None and o.lo is not None and e.hi < o.lo:
            gap = o.lo - e.hi
        elif e.lo is not None and o.hi is not None:
            gap = e.lo - o.hi
        else:  # an inconsistent check's intervals lie apart, so each has an end facing the other
            raise ValueError(f"check {c.id!r} is inconsistent but its intervals do not lie apart")
        unit = p["unit_label"]
        word = amounts.unit_label("percentage_points", L) if unit == "%" else unit
        gap_text = f"{number_text(abs(gap), None, -1)} {word}"  # the smallest distance, rounded down
        finding = _t(
            ctx,
            "checks_bad_one" if n_ok == 1 else "checks_bad_many",
            n=len(found),
            ok=n_ok,
            name=p["name"],
            gap=gap_text,
        )
    else:
        finding = _t(ctx, "checks_ok_one" if n_ok == 1 else "checks_ok_many", n=len(found), ok=n_ok)
    fig = panel_figure(L, panels, title)
    listed = "; ".join(
        f"{p['name']}: {mark_text(p['marks'][0], 1)} / {interval_text(p['marks'][1].interval)} ({p['note']})"
        for p in panels
    )
    alt = _t(ctx, "checks_alt", title=title, listed=listed)
    return render(fig, alt, _sentence(ctx, finding))
