"""Generated prose of the generic walkthroughs: every sentence built from a package's own data, in ctx.lang.

The generic notebooks (``notebooks/generic/``) hold no sentence about any particular report: what they say
about a package comes from here, computed from its tables (sources, sections, figures, relations, checks),
so that no page states what the data does not hold.  Each function returns a :class:`Text` (Markdown, with
the same text as its plain repr, so notebook outputs are stable) or a table from :mod:`helpers.reader.tables`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.core import checks, periods
from helpers.reader import labels, tables
from helpers.reader.amounts import period_label


@dataclass(frozen=True)
class Text:
    """Markdown a notebook displays: rendered as Markdown, shown as the same text where Markdown is not."""

    markdown: str

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown


def _zh(ctx) -> bool:
    return ctx.lang == "zh"


def _join(items: list[str], zh: bool) -> str:
    if zh:
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


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
        src = tables.figure_source(ctx, figs[figs["source"] == sid].iloc[0])
        title = tables.source_field(src, "title", ctx.lang)
        label = tables.source_label(ctx, src)
        parts.append(f"《{title}》（{label}）" if _zh(ctx) else f"*{title}* ({label})")
    return "；".join(parts) if _zh(ctx) else "; ".join(parts)


def _section_row(ctx, section: int):
    rows = ctx.package.sections[ctx.package.sections["section"] == section]
    if rows.empty:
        raise KeyError(f"no section {section} in {ctx.data_dir / 'sections.csv'}")
    return rows.iloc[0]


#: Measures whose label depends on the unit: a rate per thousand residents is not a rate per person per month.
_UNIT_MEASURES = {("rate", "per_mille"): {"zh": "千分率", "en": "rate per thousand"}}


def _measure_key(row) -> str:
    special = _UNIT_MEASURES.get((row["measure"], row["base_unit"]))
    return f"{row['measure']}:{row['base_unit']}" if special else row["measure"]


def _measures(ctx, figs: pd.DataFrame) -> str:
    keys = figs.apply(_measure_key, axis=1) if not figs.empty else pd.Series(dtype=str)
    counts = keys.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    names = dict(labels.MEASURE_LABELS[ctx.lang])
    names.update({f"{m}:{u}": v[ctx.lang] for (m, u), v in _UNIT_MEASURES.items()})
    if _zh(ctx):
        return "、".join(f"{names.get(m, m)}{n}个" for m, n in counts.items())
    return ", ".join(f"{n} {names.get(m, m)}" for m, n in counts.items())


def measure_counts(ctx) -> tables.Table:
    """How many figures of each kind, largest first (as ``tables.counts_by(ctx, "measure")``, with a rate per
    thousand named as such rather than as a rate per person per month)."""
    figs = _figures(ctx)
    keys = figs.apply(_measure_key, axis=1) if not figs.empty else pd.Series(dtype=str)
    counts = keys.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    names = dict(labels.MEASURE_LABELS[ctx.lang])
    names.update({f"{m}:{u}": v[ctx.lang] for (m, u), v in _UNIT_MEASURES.items()})
    return tables.table(
        {
            labels.heading("measure", ctx.lang): [names.get(k, k) for k in counts.index],
            labels.heading("count", ctx.lang): [str(n) for n in counts.to_numpy()],
        },
        None,
    )


def _periods(ctx, figs: pd.DataFrame) -> str:
    found = sorted({"" if pd.isna(p) else p for p in figs["period"]})
    return _join([period_label(periods.parse_period(p or None), ctx.lang) for p in found], _zh(ctx))


def _verdicts(ctx, found: list) -> str:
    counts = {s: sum(c.status == s for c in found) for s in checks.STATUSES}
    names = labels.STATUS_LABELS[ctx.lang]
    parts = [f"{names[s]}{n}项" if _zh(ctx) else f"{n} {names[s]}" for s, n in counts.items() if n]
    return _join(parts, _zh(ctx))


def _derived(ctx, section: int | None = None) -> list:
    return tables.derived_values(ctx, section)


def title(ctx) -> Text:
    """A heading (zh: the figures of the source; en: the package's title) and a line naming the first source."""
    src = ctx.package.source
    name = src.get("title", "")
    en = src.get("title_en")
    who = src.get("publisher", "")
    date = src.get("date", "")
    if _zh(ctx):
        line = f"来源：《{name}》" + (f"，{who}" if who else "") + (f"，{date}" if date else "") + "。"
    else:
        line = (
            f"Source: *{name}*"
            + (f" ({en})" if en else "")
            + (f", {who}" if who else "")
            + (f", {date}" if date else "")
            + "."
        )
    heading = f"《{name}》中的数字" if _zh(ctx) else ctx.package.descriptor.get("title", en or name)
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
    if _zh(ctx):
        lines = [
            (f"本数据包共有{len(everything)}个数字。" if len(others) else "")
            + f"本数据包记录原文中的{len(figs)}个数字，分属{len(pkg.sections)}个部分中的{len(with_figures)}个；"
            + (
                f"另有{len(pkg.non_figures)}处数字串不是数据（年份、日期、编号等），逐一注明原因。"
                if len(pkg.non_figures)
                else "数据包没有记录非数据的数字串。"
            ),
            f"按类型：{_measures(ctx, figs)}。时期：{_periods(ctx, figs)}。",
            *(
                [
                    f"此外还有{len(others)}个数字来自其他发布，没有偏移量：{_others(ctx, others)}。"
                    f"按类型：{_measures(ctx, others)}；时期：{_periods(ctx, others)}。"
                ]
                if len(others)
                else []
            ),
            f"数据包记录{len(pkg.relations)}条数字之间的关系，由此推算{len(derived)}个值；"
            + (f"其中{len(found)}项可以核验：{_verdicts(ctx, found)}。" if found else "其中没有可核验的关系。"),
        ]
    else:
        lead = (
            f"This package holds {_n(len(everything), 'figure')}. It records "
            if len(others)
            else "This package records "
        )
        lines = [
            lead + f"{_n(len(figs), 'figure')} printed in the source, in {len(with_figures)} of "
            f"its {_n(len(pkg.sections), 'section')}; "
            + (
                f"{_n(len(pkg.non_figures), 'other digit run')} (years, dates, markers) "
                f"{'is not a figure' if len(pkg.non_figures) == 1 else 'are not figures'}, each with its reason."
                if len(pkg.non_figures)
                else "it records no digit run that is not a figure."
            ),
            f"By kind: {_measures(ctx, figs)}. Periods: {_periods(ctx, figs)}.",
            *(
                [
                    f"Another {_n(len(others), 'figure')} {'comes' if len(others) == 1 else 'come'} from other "
                    f"releases, without offsets: {_others(ctx, others)}. By kind: {_measures(ctx, others)}; "
                    f"periods: {_periods(ctx, others)}."
                ]
                if len(others)
                else []
            ),
            f"It records {_n(len(pkg.relations), 'relation')} between figures, which derive "
            f"{_n(len(derived), 'value')}; "
            + (
                f"{_n(len(found), 'of them is a check', 'of them are checks')}: {_verdicts(ctx, found)}."
                if found
                else "none of them is a check."
            ),
        ]
    return Text("\n\n".join(lines))


def section_heading(ctx, section: int) -> Text:
    """``## S · title`` with the section's subtitle, in ctx.lang."""
    s = _section_row(ctx, section)
    t = s["title_zh"] if _zh(ctx) else s["title_en"]
    sub = s["subtitle_zh"] if _zh(ctx) else s["subtitle_en"]
    return Text(f"## {section} · {t}" + ("" if pd.isna(sub) or not sub else f"\n\n*{sub}*"))


def section_summary(ctx, section: int) -> Text:
    """What one section holds: its figures by measure and topic, their periods, the relations and checks; the
    figures of other releases (no offsets) in a sentence of their own."""
    figs = _figures(ctx, section)
    if figs.empty:
        raise KeyError(f"section {section} holds no figures in {ctx.data_dir / 'figures.csv'}")
    text = _from_text(figs, ctx)
    figs, others = figs[text], figs[~text]
    topics = list(dict.fromkeys(figs["topic_zh" if _zh(ctx) else "topic_en"]))
    other_topics = list(dict.fromkeys(others["topic_zh" if _zh(ctx) else "topic_en"]))
    derived = _derived(ctx, section)
    found = checks.check_all(derived, ctx.package.figures)
    bounds = int((figs["qualifier"] != "exact").sum())
    if _zh(ctx):
        lines = [
            f"这一部分有{len(figs)}个数字（{_measures(ctx, figs)}），主题：{_join(topics, True)}；"
            f"时期：{_periods(ctx, figs)}。"
            + (
                f"其中{bounds}个带有限定词（超、约、预计等），其区间相应放宽或只有下限。"
                if bounds
                else "所有数字都没有限定词，区间只反映印刷精度。"
            ),
            *(
                [
                    f"此外还有{len(others)}个数字来自其他发布（{_measures(ctx, others)}），主题："
                    f"{_join(other_topics, True)}；时期：{_periods(ctx, others)}。它们没有偏移量，来源见下表。"
                ]
                if len(others)
                else []
            ),
            (
                f"数据包为这一部分记录{len(derived)}条关系"
                + (f"，其中{len(found)}项可以核验：{_verdicts(ctx, found)}。" if found else "，均只用于推算。")
            )
            if derived
            else "数据包没有为这一部分记录关系。",
        ]
    else:
        lines = [
            f"This section prints {_n(len(figs), 'figure')} ({_measures(ctx, figs)}) on "
            f"{_join(topics, False)}; periods: {_periods(ctx, figs)}. "
            + (
                f"{_n(bounds, 'of them carries', 'of them carry')} a qualifier (more than, about, expected), "
                f"which widens its interval or leaves only a lower bound."
                if bounds
                else "None carries a qualifier: the intervals reflect the printed precision only."
            ),
            *(
                [
                    f"Another {_n(len(others), 'figure')} ({_measures(ctx, others)}) on {_join(other_topics, False)} "
                    f"{'comes' if len(others) == 1 else 'come'} from other releases; periods: "
                    f"{_periods(ctx, others)}. They have no offsets; the table names their sources."
                ]
                if len(others)
                else []
            ),
            (
                f"The package records {_n(len(derived), 'relation')} for this section"
                + (
                    f"; {_n(len(found), 'is a check', 'are checks')}: {_verdicts(ctx, found)}."
                    if found
                    else (", a derivation." if len(derived) == 1 else ", all of them derivations.")
                )
            )
            if derived
            else "The package records no relation for this section.",
        ]
    return Text("\n\n".join(lines))


def section_derived(ctx, section: int):
    """The section's derived values (table), or a sentence saying the package records none."""
    if not _derived(ctx, section):
        return Text("没有推算值。" if _zh(ctx) else "No derived values.")
    return tables.derived_table(ctx, section)


def section_extremes(ctx, section: int) -> Text:
    """The largest money amount and the range of the growth rates a section prints (whichever it has)."""
    figs = _figures(ctx, section)
    lines = []
    money = figs[figs["base_unit"].isin(["CNY", "USD"])]
    if not money.empty:
        top = money.loc[money["base_value"].astype(float).idxmax()]
        name = top["indicator_zh"] if _zh(ctx) else top["indicator_en"]
        lines.append(
            f"金额最大的是{name}：{top['value']}{top['unit_zh']}。"
            if _zh(ctx)
            else f"The largest amount of money is {name}: {top['value']} {top['unit_zh']}."
        )
    growth = figs[figs["measure"] == "change_yoy_pct"]
    growth = growth[growth["base_unit"] == "percent"]
    if len(growth) > 1:
        values = growth.assign(v=growth["base_value"].astype(float)).sort_values("v", kind="stable")
        lo, hi = values.iloc[0], values.iloc[-1]
        nm = "indicator_zh" if _zh(ctx) else "indicator_en"
        lines.append(
            f"{len(growth)}个增速从{lo['value']}%（{lo[nm]}）到{hi['value']}%（{hi[nm]}）。"
            if _zh(ctx)
            else f"Its {len(growth)} growth rates run from {lo['value']}% ({lo[nm]}) to {hi['value']}% ({hi[nm]})."
        )
    if not lines:
        lines.append(
            "这一部分没有金额或增速。" if _zh(ctx) else "This section prints no amount of money and no growth rate."
        )
    return Text(" ".join(lines))


def section_charts(ctx, section: int) -> list:
    """The charts a section's figures allow: money amounts, percentages, counts (each only if present)."""
    from helpers.reader import plots

    figs = _figures(ctx, section)
    out = []
    if figs["base_unit"].isin(["CNY", "USD"]).any():
        out.append(plots.money(ctx, section))
    pct = ("change_yoy_pct", "share_pct", "completion_pct")
    if (figs["measure"].isin(pct) & (figs["base_unit"] == "percent")).any():
        out.append(
            plots.percentages(
                ctx, section, pct, "百分比（增速、占比、完成率）", "Percentages (growth, shares, completion)"
            )
        )
    if (figs["base_unit"] == "count").any():
        out.append(plots.counts(ctx, section))
    return out


def overview_charts(ctx) -> list:
    """The overview's chart: every money amount on one log scale, when the package has any."""
    from helpers.reader import plots

    return [plots.money(ctx)] if _figures(ctx)["base_unit"].isin(["CNY", "USD"]).any() else []


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
        return Text("数据包中的关系都不构成核验。" if _zh(ctx) else "None of the package's relations is a check.")
    names = {d.id: (d.label_zh if _zh(ctx) else d.label_en) for d in derived}
    bad = [names[c.id] for c in found if c.status == "inconsistent"]
    if _zh(ctx):
        text = f"{len(found)}项核验的结论：{_verdicts(ctx, found)}。"
        text += f"不一致的是：{_join(bad, True)}。" if bad else "没有一项与原文数字矛盾。"
    else:
        text = f"The {_n(len(found), 'check')}: {_verdicts(ctx, found)}. "
        text += f"Inconsistent: {_join(bad, False)}." if bad else "None contradicts the printed figures."
    return Text(text)


def checks_table(ctx):
    """The checks table, or nothing to show (a sentence) when the package has no check."""
    if not checks.check_all(_derived(ctx), ctx.package.figures):
        return Text("没有核验。" if _zh(ctx) else "No checks.")
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
    "overview",
    "overview_charts",
    "section_charts",
    "section_derived",
    "section_extremes",
    "section_heading",
    "section_summary",
    "show",
    "title",
]
