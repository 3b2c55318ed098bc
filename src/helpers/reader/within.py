"""The district within the city: the district's figures set against the city's where both measure the same thing.

The district's package (``ctx.package``) and the city's (``ctx.city_dir``: the package's ``x_city_package``) are
read as they are; :data:`COMPARISONS` pairs a district figure with the city figure that measures the same
thing.  Each comparison is the district's share of the city, ``100 × district / city`` (percent), as an
interval from both printed precisions (:mod:`helpers.core.intervals`); the periods of both figures are shown, and
a pair of different periods is marked as a mixed-period comparison.  The district-level GDP figures of the
city's leading districts come from the city package's figures with a source of their own (other releases of
the city's statistics bureau, read in the press; no offsets).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.core import periods
from helpers.core.intervals import Interval
from helpers.core.relations import figure_input
from helpers.reader import amounts, tables
from helpers.reader.amounts import period_label

HUNDRED = Fraction(100)


@dataclass(frozen=True)
class Pairing:
    """A district figure and the city figure measuring the same thing, with what the share can and cannot mean."""

    id: str
    district: str  # figure id in the district's package, or "city:<id>" for a district figure in the city's package
    city: str  # figure id in the city's package
    label_zh: str
    label_en: str
    means_zh: str  # what the share can mean and what it cannot (this project's words)
    means_en: str


#: The pairs compared, in reading order.
COMPARISONS: tuple[Pairing, ...] = (
    Pairing(
        "gdp_share",
        "city:shizhong_gdp_2022",
        "gdp",
        "地区生产总值占全市比重",
        "GDP, share of the city's",
        "它衡量该区经济总量在全市中的分量；它不反映增速，也不反映居民收入；区的数字来自另一份发布，"
        "与公报的核算口径可能有差异。",
        "It measures the size of the district's economy within the city's; it says nothing about growth or "
        "residents' incomes, and the district figure comes from another release, which may be revised apart "
        "from the communiqué's.",
    ),
    Pairing(
        "market_entities_share",
        "market_entities",
        "market_entities",
        "市场主体占全市比重",
        "Market entities, share of the city's",
        "它比较的是登记数量，不是经营规模：在区内登记的主体可能在别处经营，一户个体工商户与一家大企业同样计为一户。",
        "It compares registrations, not business activity: an entity registered in the district may trade "
        "elsewhere, and a sole trader counts as much as a large firm.",
    ),
    Pairing(
        "residents_share",
        "platform_residents",
        "resident_population",
        "平台录入人员与全市常住人口之比",
        "Platform residents against the city's resident population",
        "网格平台记录的是录入的人员信息，不是常住人口统计，二者口径不同；这个比值不是该区人口占全市的比重，"
        "只说明平台的规模。",
        "The grid platform counts the people it has records of, not residents as the population statistics "
        "count them; the ratio is not the district's share of the city's population, only the platform's "
        "scale against it.",
    ),
    Pairing(
        "new_jobs_share",
        "new_urban_jobs",
        "new_urban_jobs",
        "城镇新增就业占全市比重",
        "New urban jobs, share of the city's",
        "两者都是城镇新增就业；时期不同时，这个比值混合了两个时期，不是该区在全市同一时期中所占的份额。",
        "Both count new urban jobs; when their periods differ the ratio mixes two periods and is not the "
        "district's share of the city's jobs over one and the same period.",
    ),
)


@dataclass(frozen=True)
class Comparison:
    """One pairing computed: both figures' intervals and periods, the share, and whether the periods agree."""

    pairing: Pairing
    district: Interval
    city: Interval
    share: Interval  # percent: 100 × district / city
    district_period: periods.Period | None
    city_period: periods.Period | None
    district_row: pd.Series
    city_row: pd.Series

    @property
    def same_period(self) -> bool:
        return self.district_period == self.city_period


@lru_cache(maxsize=4)
def _city(city_dir: str):
    from helpers.core import package

    return package.load(city_dir)


def city_package(ctx):
    """The city's package named by the ``city_dir`` parameter (ParameterError naming it when absent)."""
    from helpers.core import package
    from helpers.reader.params import ParameterError

    if ctx.city_dir is None or not (Path(ctx.city_dir) / package.DESCRIPTOR).is_file():
        raise ParameterError(f"parameter city_dir: no {package.DESCRIPTOR} in {ctx.city_dir}")
    return _city(str(Path(ctx.city_dir).resolve()))


def district_figures(city) -> pd.DataFrame:
    """The city package's figures of its other sources (the district releases): the rows of figures.csv whose
    ``source`` names a source other than the first (empty ``source`` = the first, the communiqué excerpt)."""
    figures = city.figures
    if "source" not in figures.columns:
        return figures.iloc[0:0]
    first = city.source.get("id")
    named = figures["source"].fillna("")
    return figures[(named != "") & (named != (first or ""))]


def _row(frame: pd.DataFrame, fid: str) -> pd.Series | None:
    rows = frame[frame["id"] == fid]
    return None if rows.empty else rows.iloc[0]


def compare(ctx, pairing: Pairing) -> Comparison | None:
    """One pairing, or None when either package lacks its figure."""
    city = city_package(ctx)
    if pairing.district.startswith("city:"):
        d = _row(district_figures(city), pairing.district.removeprefix("city:"))
    else:
        d = _row(ctx.package.figures, pairing.district)
    c = _row(city.figures, pairing.city)
    if d is None or c is None:
        return None
    di, ci = figure_input(d), figure_input(c)
    return Comparison(
        pairing, di.interval, ci.interval, HUNDRED * di.interval / ci.interval, di.period, ci.period, d, c
    )


def comparisons(ctx) -> list[Comparison]:
    """Every pairing both packages hold, in reading order."""
    return [c for c in (compare(ctx, p) for p in COMPARISONS) if c is not None]


def _fmt(ctx, interval: Interval, unit: str, counter: str = "") -> str:
    """An interval with its unit; counts of 10**4 and more in 万 (ten thousands) with their counter (万户, 万人)."""
    from helpers.reader.amounts import format_interval, unit_label

    anchor = interval.lo if interval.lo is not None else interval.hi
    if unit == "count" and anchor is not None and abs(anchor) >= 10**4:
        scaled = interval * Fraction(1, 10**4)
        word = f"万{counter}" if ctx.lang == "zh" else f"× 10,000 {unit_label(counter, 'en')}".rstrip()
        if scaled.lo is not None and scaled.hi is None:
            return f"{'≥' if scaled.lo_closed else '>'} {Interval.point(scaled.lo).format(2)} {word}"
        return f"{scaled.format(2)} {word}"
    return format_interval(interval, unit, ctx.lang)


def _counter(row: pd.Series) -> str:
    return row["unit_zh"][-1] if row["base_unit"] == "count" else ""


def _period(ctx, p) -> str:
    return period_label(p, ctx.lang)


def comparisons_table(ctx) -> tables.Table:
    """The district's figure, the city's, the share with its interval, both periods, and the period verdict."""
    zh = ctx.lang == "zh"
    cols = (
        ["比较", "区", "区的时期", "全市", "全市的时期", "区占全市（%）", "时期"]
        if zh
        else ["comparison", "district", "district period", "city", "city period", "district / city (%)", "periods"]
    )
    rows = []
    for c in comparisons(ctx):
        rows.append(
            [
                c.pairing.label_zh if zh else c.pairing.label_en,
                _fmt(ctx, c.district, c.district_row["base_unit"], _counter(c.district_row)),
                _period(ctx, c.district_period),
                _fmt(ctx, c.city, c.city_row["base_unit"], _counter(c.city_row)),
                _period(ctx, c.city_period),
                _fmt(ctx, c.share, "percent"),
                ("相同" if zh else "same") if c.same_period else ("不同（混合时期）" if zh else "mixed"),
            ]
        )
    return tables.table(rows, cols)


def sentence(ctx, pairing_id: str):
    """What one comparison shows, with its interval and periods, and what it can and cannot mean (Markdown)."""
    from helpers.reader.walk import Text

    pairing = next((p for p in COMPARISONS if p.id == pairing_id), None)
    if pairing is None:
        raise KeyError(f"no comparison {pairing_id!r}; known: {', '.join(p.id for p in COMPARISONS)}")
    c = compare(ctx, pairing)
    zh = ctx.lang == "zh"
    if c is None:
        return Text(
            "两个数据包中至少有一个没有这项数字，无法比较。"
            if zh
            else "One of the two packages does not hold this figure, so there is nothing to compare."
        )
    share = _fmt(ctx, c.share, "percent")
    dname = c.district_row["indicator_zh" if zh else "indicator_en"]
    if pairing.district.startswith("city:"):  # a district figure of the city's package names its district
        dname = f"{c.district_row['topic_zh']}{dname}" if zh else f"{c.district_row['topic_en']} {dname}"
    dp, cp = _period(ctx, c.district_period), _period(ctx, c.city_period)
    bound = not c.share.is_bounded
    if zh:
        text = f"**{pairing.label_zh}：{share}**。区的{dname}（{dp}）除以全市的数字（{cp}）。"
        if bound:
            text += "区的数字只是下限（超、突破），所以比值也只有下限。"
        text += "两者时期相同。" if c.same_period else f"时期不同（区：{dp}；全市：{cp}），是混合时期的比较。"
        text += pairing.means_zh
    else:
        text = f"**{pairing.label_en}: {share}**. The district's {dname} ({dp}) over the city's ({cp}). "
        if bound:
            text += "The district's figure is only a lower bound (more than), so the ratio is a lower bound too. "
        text += (
            "Both cover the same period. "
            if c.same_period
            else f"The periods differ (district: {dp}; city: {cp}): a mixed-period comparison. "
        )
        text += pairing.means_en
    return Text(text)


def _t(ctx, zh: str, en: str) -> str:
    return zh if ctx.lang == "zh" else en


def _join(ctx, parts: list[str]) -> str:
    return ("；" if ctx.lang == "zh" else "; ").join(parts)


def _one_sentence(ctx, parts: list[str]) -> str:
    text = _join(ctx, [p for p in parts if p])
    return (text[0].upper() + text[1:] + ".") if ctx.lang == "en" else text + "。"


def share_kind(c: Comparison) -> str:
    """The kind of a share's mark: ``more_than`` when it is open above (a lower bound), else the least exact of
    both figures' qualifiers (``approx``, ``estimate``), else ``exact``."""
    if not c.share.is_bounded:
        return "more_than" if c.share.lo is not None else "at_most"
    qualifiers = {c.district_row["qualifier"], c.city_row["qualifier"]}
    return next((k for k in ("approx", "estimate") if k in qualifiers), "exact")


def _label(ctx, c: Comparison) -> str:
    return c.pairing.label_zh if ctx.lang == "zh" else c.pairing.label_en


def share_marks(ctx, found: list[Comparison] | None = None) -> list:
    """Each comparison's share (percent) as a derived (hollow) mark; a mixed-period one says so in its row name
    (after a space, so the row wraps before it)."""
    from helpers.reader.plots import Mark

    found = comparisons(ctx) if found is None else found
    return [
        Mark(
            _label(ctx, c) + ("" if c.same_period else _t(ctx, " （混合时期）", " (mixed periods)")),
            c.share,
            share_kind(c),
            derived=True,
        )
        for c in found
    ]


def _pct(mark) -> str:
    from helpers.reader.plots.grammar import mark_text

    return f"{mark_text(mark, 1)}%"


def shares_finding(ctx, found: list[Comparison]) -> str:
    """The caption of :func:`shares_chart`: which share bounded on both sides is highest and which lowest (and
    whether the highest's interval stands clear of the others'), which shares are only bounded, how many mix two
    periods.  The values are the ones the chart writes at its marks."""
    marks = share_marks(ctx, found)
    named = [(c, m, _label(ctx, c)) for c, m in zip(found, marks)]
    bounded = [(m, n) for c, m, n in named if c.share.is_bounded]
    parts = []
    if len(bounded) > 1:
        (hi, hn), (lo, ln) = max(bounded, key=lambda x: x[0].value), min(bounded, key=lambda x: x[0].value)
        clear = all(hi.interval.lo >= m.interval.hi for m, _ in bounded if m is not hi)
        parts.append(
            _t(
                ctx,
                f"{hn}最高（{_pct(hi)}，{'区间与其他各项不重叠' if clear else '区间与其他项重叠'}），"
                f"{ln}最低（{_pct(lo)}）",
                f"{hn} is the highest ({_pct(hi)}, its interval "
                f"{'clear of the others' if clear else 'overlapping another'}), {ln} the lowest ({_pct(lo)})",
            )
        )
    elif bounded:
        parts.append(_t(ctx, f"{bounded[0][1]}为{_pct(bounded[0][0])}", f"{bounded[0][1]} is {_pct(bounded[0][0])}"))
    for _, m, n in named:
        if m.lower_bound:
            parts.append(
                _t(
                    ctx,
                    f"{n}只有下限（{_pct(m)}，箭头），可能更高",
                    f"{n} has only a lower bound ({_pct(m)}, the arrow) and may be higher",
                )
            )
        elif m.upper_bound:
            parts.append(_t(ctx, f"{n}只有上限（{_pct(m)}）", f"{n} has only an upper bound ({_pct(m)})"))
    mixed = sum(not c.same_period for c in found)
    if mixed:
        parts.append(
            _t(ctx, f"{len(found)}项中{mixed}项混合了两个时期", f"{mixed} of the {len(found)} mix two periods")
        )
    return _one_sentence(ctx, parts)


def _alt(ctx, title: str, rows: list[tuple[str, str]], what: str | tuple[str, str], marks: list) -> str:
    """Alt text from the data: the title, how many rows are compared, every row's name and value, and the kinds.

    ``what`` names the rows (a pair: one, several)."""
    from helpers.reader.plots.grammar import kinds_words

    if isinstance(what, tuple):
        what = what[0] if len(rows) == 1 else what[1]

    sep = "；" if ctx.lang == "zh" else "; "
    listed = sep.join(f"{n} {v}" if ctx.lang == "zh" else f"{n}: {v}" for n, v in rows)
    kinds = kinds_words(marks, ctx.lang)
    if ctx.lang == "zh":
        return f"{title}。比较{len(rows)}{what}：{listed}。" + (f"其中{kinds}。" if kinds else "")
    return f"{title}. Compares {len(rows)} {what}: {listed}." + (f" Of these: {kinds}." if kinds else "")


def shares_chart(ctx):
    """Every comparison's share of the city (percent, from zero) with its interval: derived values drawn hollow,
    a lower bound as an arrow, a mixed-period comparison named in its row; caption from :func:`shares_finding`."""
    from helpers.reader.plots import render
    from helpers.reader.plots.layout import dot_figure

    title = _t(ctx, "区占全市的比重", "The district as a share of the city")
    found = comparisons(ctx)
    if not found:
        from helpers.reader.plots.charts import empty

        return empty(ctx, title)
    marks = share_marks(ctx, found)
    fig = dot_figure(ctx.lang, marks, title, _t(ctx, "区占全市（%）", "district / city (%)"), 1, zero=True)
    mixed = _t(ctx, "（混合时期）", " (mixed periods)")
    rows = [(_label(ctx, c) + ("" if c.same_period else mixed), _pct(m)) for c, m in zip(found, marks)]
    what = "项比值" if ctx.lang == "zh" else ("share", "shares")
    return render(fig, _alt(ctx, title, rows, what, marks), shares_finding(ctx, found))


# ---- the leading districts ---------------------------------------------------------------------------------


#: The district figure the report is about, among the city package's district figures.
DISTRICT_GDP = "shizhong_gdp_2022"
DISTRICT_GDP_NEXT = "shizhong_gdp_2023"


def _gdp_rows(ctx, year: str = "2022") -> pd.DataFrame:
    d = district_figures(city_package(ctx))
    rows = d[(d["indicator_zh"] == "地区生产总值") & (d["period"] == year)].copy()
    rows["_v"] = rows["base_value"].astype(float)
    return rows.sort_values("_v", ascending=False, kind="stable")


def leading_table(ctx) -> tables.Table:
    """The leading districts' GDP (largest first), each with its interval and its share of the city's GDP."""
    from helpers.reader.amounts import printed_unit_label

    zh = ctx.lang == "zh"
    city = city_package(ctx)
    whole = figure_input(_row(city.figures, "gdp")).interval
    rows = []
    for rank, r in enumerate(_gdp_rows(ctx).itertuples(index=False), start=1):
        i = figure_input(r).interval
        rows.append(
            [
                rank,
                r.topic_zh if zh else r.topic_en,
                f"{r.value} {printed_unit_label(r.unit_zh, ctx.lang)}",
                _fmt(ctx, i, "CNY"),
                _fmt(ctx, HUNDRED * i / whole, "percent"),
            ]
        )
    cols = (
        ["位次", "区", "地区生产总值", "区间", "占全市（%）"]
        if zh
        else ["rank", "district", "GDP", "interval", "share of the city (%)"]
    )
    return tables.table(rows, cols)


def leading_sentence(ctx):
    """Where the district stands among the leading districts, what they add up to, and its next year (Markdown)."""
    from helpers.reader import tables
    from helpers.reader.walk import Text

    zh = ctx.lang == "zh"
    city = city_package(ctx)
    rows = _gdp_rows(ctx)
    ids = list(rows["id"])
    if DISTRICT_GDP not in ids:
        return Text("城市数据包中没有该区的地区生产总值。" if zh else "The city package holds no GDP for the district.")
    rank = ids.index(DISTRICT_GDP) + 1
    total = None
    for r in rows.itertuples(index=False):
        total = figure_input(r).interval if total is None else total + figure_input(r).interval
    whole = figure_input(_row(city.figures, "gdp")).interval
    share = _fmt(ctx, HUNDRED * total / whole, "percent")
    name = rows.iloc[rank - 1]["topic_zh" if zh else "topic_en"]
    sources = {s.get("id"): s for s in city.sources}
    src = sources.get(rows.iloc[0].get("source"), {})
    if zh:
        text = (
            f"在{len(ids)}个地区生产总值领先的区中，{name}排第{rank}位；这{len(ids)}个区合计占全市的{share}。"
            f"区的数字来自{tables.source_field(src, 'publisher', 'zh')}{src.get('date', '')}"
            f"发布的各区县主要经济指标（据媒体报道），"
            f"不在公报摘录中；只列出报道中的区，所以位次只是这些区之间的位次。"
        )
    else:
        text = (
            f"Among the {len(ids)} leading districts by GDP, {name} ranks {rank}; together the {len(ids)} make "
            f"{share} of the city's GDP. The district figures come from the bureau's district release of "
            f"{src.get('date', '')} (as reported in the press), not from the communiqué excerpt; only the "
            f"districts reported are listed, so the rank is among them."
        )
    nxt = _row(district_figures(city), DISTRICT_GDP_NEXT)
    if nxt is not None:
        now, then = figure_input(nxt).interval, figure_input(rows.iloc[rank - 1]).interval
        change = _fmt(ctx, HUNDRED * (now / then) - HUNDRED, "percent")
        text += (
            f"\n\n{name}{_period(ctx, figure_input(nxt).period)}的地区生产总值为{nxt['value']}{nxt['unit_zh']}，"
            f"按现价比上年高{change}；这是名义变化，不是统计局按不变价计算的增速。"
            if zh
            else f"\n\n{name}'s GDP for {_period(ctx, figure_input(nxt).period)} is {nxt['value']} "
            f"{amounts.printed_unit_label(nxt['unit_zh'], 'en')}, "
            f"{change} above the year before at current prices: a nominal change, not the real growth the bureau "
            f"computes at constant prices."
        )
    return Text(text)


def leading_marks(ctx) -> tuple[list, int, str]:
    """The leading districts' GDP as printed marks (largest first, named by district), with the divisor and unit
    label of the tables (亿元)."""
    from helpers.reader.amounts import display_scale
    from helpers.reader.plots import Mark
    from helpers.reader.plots.charts import printed_places

    rows = _gdp_rows(ctx)
    if rows.empty:
        return [], 1, ""
    divisor, unit = display_scale("CNY", Fraction(rows["base_value"].astype(float).min()), ctx.lang)
    marks = [
        Mark(
            r.topic_zh if ctx.lang == "zh" else r.topic_en,
            figure_input(r).interval,
            r.qualifier,
            places=printed_places(r, divisor),
        )
        for r in rows.itertuples(index=False)
    ]
    return marks, divisor, unit


def leading_finding(ctx, marks: list, divisor, unit: str) -> str:
    """The caption of :func:`leading_chart`: the district's rank among the districts shown and its neighbours."""
    from helpers.reader.plots.grammar import mark_text, unit_suffix

    ids = list(_gdp_rows(ctx)["id"])

    def v(m):
        return (
            f"{m.label}（{mark_text(m, divisor)}{unit_suffix(unit)}）"
            if ctx.lang == "zh"
            else f"{m.label} ({mark_text(m, divisor)}{unit_suffix(unit)})"
        )

    if DISTRICT_GDP not in ids:
        return _one_sentence(
            ctx,
            [
                _t(
                    ctx,
                    f"最高为{v(marks[0])}，最低为{v(marks[-1])}",
                    f"the highest is {v(marks[0])}, the lowest {v(marks[-1])}",
                )
            ],
        )
    k = ids.index(DISTRICT_GDP)
    me = marks[k]
    above, below = (marks[k - 1] if k > 0 else None), (marks[k + 1] if k + 1 < len(marks) else None)
    where = _t(
        ctx,
        f"{v(me)}在报道的{len(marks)}个区中排第{k + 1}位",
        f"{v(me)} ranks {k + 1} of the {len(marks)} districts reported",
    )
    if above and below:
        where += _t(ctx, f"，在{v(above)}与{v(below)}之间", f", between {v(above)} and {v(below)}")
    elif above:
        where += _t(ctx, f"，次于{v(above)}", f", after {v(above)}")
    elif below:
        where += _t(ctx, f"，高于{v(below)}", f", ahead of {v(below)}")
    return _one_sentence(ctx, [where])


def leading_chart(ctx):
    """The leading districts' GDP (printed figures, largest first) as lollipops from zero in the tables' unit
    (亿元), the district's name in bold; caption from :func:`leading_finding`."""
    from helpers.reader.plots import render
    from helpers.reader.plots.layout import dot_figure

    rows = _gdp_rows(ctx)
    when = _period(ctx, figure_input(rows.iloc[0]).period) if not rows.empty else ""
    title = _t(ctx, f"地区生产总值领先的区（{when}）", f"Leading districts by GDP ({when})")
    marks, divisor, unit = leading_marks(ctx)
    if not marks:
        from helpers.reader.plots.charts import empty

        return empty(ctx, title)
    fig = dot_figure(
        ctx.lang, marks, title, _t(ctx, f"地区生产总值（{unit}）", f"GDP ({unit})"), divisor, zero=True, stems=True
    )
    ids = list(rows["id"])
    if DISTRICT_GDP in ids:
        fig.axes[0].get_yticklabels()[ids.index(DISTRICT_GDP)].set_fontweight("bold")
    from helpers.reader.plots.grammar import mark_text, unit_suffix

    rows_ = [(m.label, f"{mark_text(m, divisor)}{unit_suffix(unit)}") for m in marks]
    what = "个区的地区生产总值" if ctx.lang == "zh" else ("district's GDP", "districts' GDP")
    return render(fig, _alt(ctx, title, rows_, what, marks), leading_finding(ctx, marks, divisor, unit))
