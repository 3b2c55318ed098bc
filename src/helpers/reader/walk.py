"""Generated prose of the generic walkthroughs: every sentence built from a package's own data, in ctx.lang.

The generic notebooks (``notebooks/generic/``) hold no sentence about any particular report: what they say
about a package comes from here, computed from its tables (sources, sections, figures, relations, checks),
so that no page states what the data does not hold.  Each function returns a :class:`Text` (Markdown, with
the same text as its plain repr, so notebook outputs are stable) or a table from :mod:`helpers.reader.tables`.
"""

from __future__ import annotations

import pandas as pd

from helpers.core import checks, relations
from helpers.reader import escape, labels, naming, tables, words
from helpers.reader.amounts import period_text, printed_text
from helpers.reader.prose import Text


def _say(ctx, key: str, **fields: object) -> str:
    return words.say(f"walk.{key}", ctx.lang, **fields)


def _say_n(ctx, key: str, n: int, **fields: object) -> str:
    """``key_one`` for one, ``key_many`` otherwise (English agrees in number; Chinese words both alike)."""
    return words.say(f"{key}_{'one' if n == 1 else 'many'}", ctx.lang, n=n, **fields)


def _count(ctx, what: str, n: int) -> str:
    """``3 figures``, ``3个数字``: the ``count.<what>`` words."""
    return _say_n(ctx, f"count.{what}", n)


def _join(ctx, items: list[str]) -> str:
    """``a、b、c``; ``a, b and c``."""
    if len(items) < 2:
        return "".join(items)
    return words.say("punct.list", ctx.lang).join(items[:-1]) + words.say("punct.last", ctx.lang) + items[-1]


def _figures(ctx, section: int | None = None) -> pd.DataFrame:
    f = ctx.package.figures
    return f if section is None else f[f["section"] == section]


def _from_text(figs: pd.DataFrame, ctx) -> pd.Series:
    """True for the figures of the first source (the text the offsets point into), False for other releases'."""
    if "source" not in figs.columns:
        return pd.Series(True, index=figs.index)
    named = figs["source"].fillna("")
    return (named == "") | (named == (ctx.package.source.get("id") or ""))


def _others(ctx, figs: pd.DataFrame) -> str:
    """The other releases some of ``figs`` come from: title, publisher, date and where each was read, in ctx.lang."""
    parts = []
    for sid in dict.fromkeys(figs["source"]):
        src = naming.figure_source(ctx, figs[figs["source"] == sid].iloc[0])
        title = naming.source_field(src, "title", ctx.lang)
        label = naming.source_label(ctx, src)
        parts.append(_say(ctx, "titled_source", title=escape.markdown(title), label=escape.markdown(label)))
    return words.say("punct.semicolon", ctx.lang).join(parts)


def _section_row(ctx, section: int):
    rows = ctx.package.sections[ctx.package.sections["section"] == section]
    if rows.empty:
        raise KeyError(f"no section {section} in {ctx.data_dir / 'sections.csv'}")
    return rows.iloc[0]


#: Measures whose label depends on the unit: a rate per thousand residents is not a rate per person per month
#: (named by ``measure_unit.<measure>:<unit>`` in words.csv).
_UNIT_MEASURES = {("rate", "per_mille")}


def _measure_key(row) -> str:
    special = (row["measure"], row["base_unit"]) in _UNIT_MEASURES
    return f"{row['measure']}:{row['base_unit']}" if special else row["measure"]


def _measure_names(lang: str) -> dict[str, str]:
    return {**labels.MEASURE_LABELS[lang], **words.family("measure_unit", lang)}


def _measures(ctx, figs: pd.DataFrame) -> str:
    keys = figs.apply(_measure_key, axis=1) if not figs.empty else pd.Series(dtype=str)
    counts = keys.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    names = _measure_names(ctx.lang)
    return words.say("punct.list", ctx.lang).join(
        _say(ctx, "measure_count", name=names.get(m, m), n=n) for m, n in counts.items()
    )


def measure_counts(ctx) -> tables.Table:
    """How many figures of each kind, largest first (as ``tables.counts_by(ctx, "measure")``, with a rate per
    thousand named as such rather than as a rate per person per month)."""
    figs = _figures(ctx)
    keys = figs.apply(_measure_key, axis=1) if not figs.empty else pd.Series(dtype=str)
    counts = keys.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    names = _measure_names(ctx.lang)
    return tables.table(
        {
            labels.heading("measure", ctx.lang): [names.get(k, k) for k in counts.index],
            labels.heading("count", ctx.lang): [str(n) for n in counts.to_numpy()],
        },
        None,
    )


def _periods(ctx, figs: pd.DataFrame) -> str:
    found = sorted({"" if pd.isna(p) else p for p in figs["period"]})
    return _join(ctx, [period_text(p, ctx.lang) for p in found])


def _verdicts(ctx, found: list) -> str:
    counts = {s: sum(c.status == s for c in found) for s in checks.STATUSES}
    names = labels.STATUS_LABELS[ctx.lang]
    return _join(ctx, [_say(ctx, "verdict_count", status=names[s], n=n) for s, n in counts.items() if n])


def _bookkeeping(ctx, found: list) -> str:
    """A sentence on the bookkeeping checks among ``found`` (a part within its whole: they could not have failed
    for a package entered as it says), with their verdicts; "" when there are none."""
    kept = checks.bookkeeping(found)
    return _say_n(ctx, "walk.bookkeeping", len(kept), verdicts=_verdicts(ctx, kept)) if kept else ""


def _checks_sentence(ctx, found: list, key: str, none_key: str) -> str:
    """``key`` (``walk.checks_among``, ``walk.section_checks``) on the findings, then the bookkeeping sentence;
    ``none_key`` when no check could have failed."""
    real = checks.findings(found)
    head = _say_n(ctx, key, len(real), verdicts=_verdicts(ctx, real)) if real else words.say(none_key, ctx.lang)
    extra = _bookkeeping(ctx, found)
    return head + (words.say("punct.space", ctx.lang) + extra if extra else "")


def not_computed(ctx, section: int | None = None) -> Text:
    """The relations that cannot be computed here (the package states no population base, no exchange rate), each
    with its reason; empty text when every relation is computed."""
    skipped = relations.not_computed(ctx.package, ctx.relation_params, section)
    if not skipped:
        return Text("")
    items = [_say(ctx, f"lacks.{s.parameter}", name=escape.markdown(getattr(s, f"label_{ctx.lang}"))) for s in skipped]
    return Text(_say_n(ctx, "walk.not_computed", len(skipped), items=_join(ctx, items)))


def _derived(ctx, section: int | None = None) -> list:
    return tables.derived_values(ctx, section)


def title(ctx) -> Text:
    """A heading (zh: the figures of the source; en: the package's title) and a line naming the first source."""
    src = ctx.package.source
    name = escape.markdown(src.get("title", ""))
    en = escape.markdown(src.get("title_en") or "")
    who = escape.markdown(src.get("publisher", ""))
    date = escape.markdown(src.get("date", ""))
    comma = words.say("punct.comma", ctx.lang)
    line = (
        _say(ctx, "source_title", name=name)
        + (_say(ctx, "english_title", title=en) if en else "")
        + (f"{comma}{who}" if who else "")
        + (f"{comma}{date}" if date else "")
        + words.say("punct.stop", ctx.lang)
    )
    # the English heading is the package's own title; the Chinese one is built from the source's
    own = escape.markdown(ctx.package.descriptor.get("title"))
    heading = _say(ctx, "heading", name=name if ctx.lang == "zh" else own or en or name)
    return Text(f"**{heading}**\n\n{line}")


def overview(ctx) -> Text:
    """How much the package holds: sections, figures (by measure, by period), non-figures, relations, checks."""
    pkg = ctx.package
    everything = _figures(ctx)
    text = _from_text(everything, ctx)
    figs, others = everything[text], everything[~text]
    derived = _derived(ctx)
    found = checks.check_all(derived, pkg.figures)
    with_figures = sorted({int(s) for s in figs["section"]})
    lead = (
        _say(ctx, "overview_holds", figures=_count(ctx, "figure", len(everything)))
        if len(others)
        else _say(ctx, "overview_records")
    )
    lines = [
        lead
        + _say(
            ctx,
            "overview_printed",
            figures=_count(ctx, "figure", len(figs)),
            n=len(with_figures),
            sections=_count(ctx, "section", len(pkg.sections)),
        )
        + (
            _say_n(ctx, "walk.non_figures", len(pkg.non_figures))
            if len(pkg.non_figures)
            else _say(ctx, "no_non_figures")
        ),
        _say(ctx, "by_kind", kinds=_measures(ctx, figs), periods=_periods(ctx, figs)),
        *(
            [
                _say_n(
                    ctx,
                    "walk.others",
                    len(others),
                    figures=_count(ctx, "figure", len(others)),
                    sources=_others(ctx, others),
                    kinds=_measures(ctx, others),
                    periods=_periods(ctx, others),
                )
            ]
            if len(others)
            else []
        ),
        _say(
            ctx,
            "relations_derive",
            relations=_count(ctx, "relation", len(pkg.relations)),
            values=_count(ctx, "value", len(derived)),
        )
        + _checks_sentence(ctx, found, "walk.checks_among", "walk.no_check_among"),
        *([str(not_computed(ctx))] if str(not_computed(ctx)) else []),
    ]
    return Text("\n\n".join(lines))


def section_heading(ctx, section: int) -> Text:
    """Where the section stands in the source (``Part 2 of the source's 9``) and its subtitle, in ctx.lang (the
    page's own title is the section's title: :func:`page_title`)."""
    s = _section_row(ctx, section)
    sections = list(ctx.package.sections["section"])
    place = _say(ctx, "section_place", n=sections.index(section) + 1, total=len(sections))
    sub = s[f"subtitle_{ctx.lang}"]
    return Text(place + ("" if pd.isna(sub) or not sub else f"\n\n*{escape.markdown(sub)}*"))


def page_title(ctx, section: int) -> str:
    """A section page's title in ctx.lang: its section's title (Markdown-escaped)."""
    return escape.markdown(_section_row(ctx, section)[f"title_{ctx.lang}"])


def page_summary(ctx, section: int | None = None, page: str = "section") -> str:
    """One line saying what a generic page holds, for the home page's list, in ctx.lang: a section page its
    figures (how many, of which kinds, on which topics); the overview the package's size; the consistency page
    its findings (checks that could have failed) and their verdicts."""
    if page == "section" and section is not None:
        figs = _figures(ctx, section)
        topics = [escape.markdown(t) for t in dict.fromkeys(figs[f"topic_{ctx.lang}"])]
        return _say(
            ctx,
            "summary_section",
            figures=_count(ctx, "figure", len(figs)),
            kinds=_measures(ctx, figs),
            topics=_join(ctx, topics),
        )
    found = checks.check_all(_derived(ctx), ctx.package.figures)
    real = checks.findings(found)
    if page == "consistency":
        if not real:
            return _say(ctx, "summary_no_findings")
        return _say_n(ctx, "walk.summary_consistency", len(real), verdicts=_verdicts(ctx, real))
    figs = _figures(ctx)
    return _say(
        ctx,
        "summary_overview",
        figures=_count(ctx, "figure", len(figs)),
        n=len({int(s) for s in figs["section"]}),
        relations=_count(ctx, "relation", len(ctx.package.relations)),
    )


def section_summary(ctx, section: int) -> Text:
    """What one section holds: its figures by measure and topic, their periods, the relations and checks; the
    figures of other releases (no offsets) in a sentence of their own."""
    figs = _figures(ctx, section)
    if figs.empty:
        raise KeyError(f"section {section} holds no figures in {ctx.data_dir / 'figures.csv'}")
    text = _from_text(figs, ctx)
    figs, others = figs[text], figs[~text]
    topics = [escape.markdown(t) for t in dict.fromkeys(figs[f"topic_{ctx.lang}"])]
    other_topics = [escape.markdown(t) for t in dict.fromkeys(others[f"topic_{ctx.lang}"])]
    derived = _derived(ctx, section)
    found = checks.check_all(derived, ctx.package.figures)
    bounds = int((figs["qualifier"] != "exact").sum())
    lines = [
        _say(
            ctx,
            "section_prints",
            figures=_count(ctx, "figure", len(figs)),
            kinds=_measures(ctx, figs),
            topics=_join(ctx, topics),
            periods=_periods(ctx, figs),
        )
        + (_say_n(ctx, "walk.qualified", bounds) if bounds else _say(ctx, "no_qualifier")),
        *(
            [
                _say_n(
                    ctx,
                    "walk.section_others",
                    len(others),
                    figures=_count(ctx, "figure", len(others)),
                    kinds=_measures(ctx, others),
                    topics=_join(ctx, other_topics),
                    periods=_periods(ctx, others),
                )
            ]
            if len(others)
            else []
        ),
        (
            _say(ctx, "section_relations", relations=_count(ctx, "relation", len(derived)))
            + (
                _checks_sentence(ctx, found, "walk.section_checks", "walk.section_no_findings")
                if found
                else _say_n(ctx, "walk.derivations", len(derived))
            )
        )
        if derived
        else _say(ctx, "section_no_relations"),
        *([str(not_computed(ctx, section))] if str(not_computed(ctx, section)) else []),
    ]
    return Text("\n\n".join(lines))


def section_derived(ctx, section: int):
    """The section's derived values (table, the relations that cannot be computed here named under it), or a
    sentence saying the package records none."""
    missing = str(not_computed(ctx, section))
    if not _derived(ctx, section):
        return Text(_say(ctx, "no_derived") + (words.say("punct.space", ctx.lang) + missing if missing else ""))
    t = tables.derived_table(ctx, section)
    if missing:
        t.note = f"{t.note} {missing}".strip() if getattr(t, "note", "") else missing
    return t


def section_extremes(ctx, section: int) -> Text:
    """The largest money amount and the range of the growth rates a section prints (whichever it has)."""
    figs = _figures(ctx, section)
    lines = []
    nm = f"indicator_{ctx.lang}"
    money = figs[figs["base_unit"].isin(["CNY", "USD"])]
    if not money.empty:
        top = money.loc[money["base_value"].astype(float).idxmax()]
        lines.append(
            _say(
                ctx,
                "largest_money",
                name=escape.markdown(top[nm]),
                value=escape.markdown(printed_text(top["value"], top["unit_zh"], ctx.lang)),  # en: 亿元 (… yuan)
            )
        )
    changes = figs[figs["measure"] == "change_yoy_pct"]
    changes = changes[changes["base_unit"] == "percent"]
    if len(changes) > 1:
        signed = [float(naming.signed_value(r)) for _, r in changes.iterrows()]  # a decline sorts below zero
        values = changes.assign(v=signed).sort_values("v", kind="stable")
        lo, hi = values.iloc[0], values.iloc[-1]
        up, down = sum(v > 0 for v in signed), sum(v < 0 for v in signed)
        kind = "growth_range" if not down else "decline_range" if not up else "change_range"
        lines.append(
            _say(
                ctx,
                kind,
                n=len(changes),
                up=up,
                down=down,
                lo=_change(ctx, lo),
                lo_name=escape.markdown(lo[nm]),
                hi=_change(ctx, hi),
                hi_name=escape.markdown(hi[nm]),
            )
        )
    if not lines:
        lines.append(_say(ctx, "no_extremes"))
    return Text(words.say("punct.space", ctx.lang).join(lines))


def _change(ctx, row) -> str:
    """A change by its sign: ``增长2.0%`` / ``growth of 2.0%``, ``下降3.6%`` / ``a decline of 3.6%``, ``持平``."""
    value = float(naming.signed_value(row))
    printed = escape.markdown(str(row["value"]).lstrip("-"))
    return _say(ctx, "change_up" if value > 0 else "change_down" if value < 0 else "change_flat", v=printed)


def money_groups(ctx, section: int | None = None) -> dict[str, list[str]]:
    """The money figures by what can share a scale (:func:`helpers.reader.plots.groups.money_groups`)."""
    from helpers.reader.plots import groups

    return groups.money_groups(ctx, section)


def section_charts(ctx, section: int) -> list:
    """The charts a section's figures allow, each of figures that share a scale
    (:func:`helpers.reader.plots.groups.section_charts`)."""
    from helpers.reader.plots import groups

    return groups.section_charts(ctx, section)


def overview_charts(ctx) -> list:
    """The overview's charts: money totals apart from amounts per person (:mod:`helpers.reader.plots.groups`)."""
    from helpers.reader.plots import groups

    return groups.overview_charts(ctx)


def show(items: list) -> None:
    """Display each item (chart or table) as its own output."""
    from IPython.display import display

    for item in items:
        display(item)


def consistency(ctx) -> Text:
    """The checks in a sentence or two: how many, their verdicts, and which (if any) are inconsistent."""
    derived = _derived(ctx)
    found = checks.check_all(derived, ctx.package.figures)
    if not found:
        return Text(_say(ctx, "no_check_relations"))
    names = {d.id: escape.markdown(getattr(d, f"label_{ctx.lang}")) for d in derived}
    real = checks.findings(found)
    bad = [names[c.id] for c in found if c.status == "inconsistent"]
    text = (
        _say_n(ctx, "walk.checks_verdicts", len(real), verdicts=_verdicts(ctx, real))
        if real
        else _say(ctx, "no_findings")
    )
    text += _say(ctx, "inconsistent_list", names=_join(ctx, bad)) if bad else _say(ctx, "none_contradicts")
    extra = _bookkeeping(ctx, found)
    missing = str(not_computed(ctx))
    return Text(words.say("punct.space", ctx.lang).join(t for t in (text.strip(), extra, missing) if t))


def checks_table(ctx):
    """The checks table, or nothing to show (a sentence) when the package has no check."""
    if not checks.check_all(_derived(ctx), ctx.package.figures):
        return Text(_say(ctx, "no_checks"))
    return tables.checks_table(ctx)


def checks_chart(ctx) -> list:
    """The checks chart when some check is in percent (see :func:`helpers.reader.plots.checks`), else nothing."""
    from helpers.reader import plots

    derived = _derived(ctx)
    pct = {d.id for d in derived if d.unit == "percent"}
    if not any(c.id in pct for c in checks.check_all(derived, ctx.package.figures)):
        return []
    return [plots.checks(ctx)]


__all__ = [
    "Text",
    "checks_chart",
    "checks_table",
    "consistency",
    "measure_counts",
    "money_groups",
    "not_computed",
    "overview",
    "overview_charts",
    "section_charts",
    "section_derived",
    "section_extremes",
    "section_heading",
    "section_summary",
    "page_summary",
    "page_title",
    "show",
    "title",
]
