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
from helpers.reader import amounts, escape, naming, tables, words
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


def _pairing(id: str, district: str, city: str) -> Pairing:
    """A pairing named and explained by the words ``within_pair.<id>`` and ``within_means.<id>``."""
    label, means = (words.by_lang(f"within_{family}") for family in ("pair", "means"))
    return Pairing(id, district, city, label["zh"][id], label["en"][id], means["zh"][id], means["en"][id])


#: The pairs compared, in reading order.
COMPARISONS: tuple[Pairing, ...] = (
    _pairing("gdp_share", "city:shizhong_gdp_2022", "gdp"),
    _pairing("market_entities_share", "market_entities", "market_entities"),
    _pairing("residents_share", "platform_residents", "resident_population"),
    _pairing("new_jobs_share", "new_urban_jobs", "new_urban_jobs"),
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
    """An interval with its unit.  Chinese puts counts of 10**4 and more in 万 with their printed counter (万户,
    万名); English writes them in full with the counter's English noun, or none where the counter only counts (户
    counts households and market entities alike: the row's label names which)."""
    from helpers.core.intervals import format_number
    from helpers.reader.amounts import format_interval

    anchor = interval.lo if interval.lo is not None else interval.hi
    if unit == "count" and counter and ctx.lang != "zh":
        return format_interval(interval, counter, ctx.lang)
    if unit == "count" and anchor is not None and abs(anchor) >= 10**4:
        scaled = interval * Fraction(1, 10**4)
        word = words.say("within.ten_thousand", ctx.lang, counter=counter).rstrip()
        if scaled.lo is not None and scaled.hi is None:
            return f"{'≥' if scaled.lo_closed else '>'} {format_number(scaled.lo, 2, -1)} {word}"  # rounded down
        return f"{scaled.format(2)} {word}"
    return format_interval(interval, unit, ctx.lang)


def _counter(row: pd.Series) -> str:
    return row["unit_zh"][-1] if row["base_unit"] == "count" else ""


def _period(ctx, p) -> str:
    return period_label(p, ctx.lang)


def comparisons_table(ctx) -> tables.Table:
    """The district's figure, the city's, the share with its interval, both periods, and the period verdict."""
    cols = list(words.family("within_col", ctx.lang).values())
    rows = []
    for c in comparisons(ctx):
        rows.append(
            [
                _label(ctx, c),
                _fmt(ctx, c.district, c.district_row["base_unit"], _counter(c.district_row)),
                _period(ctx, c.district_period),
                _fmt(ctx, c.city, c.city_row["base_unit"], _counter(c.city_row)),
                _period(ctx, c.city_period),
                _fmt(ctx, c.share, "percent"),
                _t(ctx, "same_period" if c.same_period else "mixed_period"),
            ]
        )
    return tables.table(rows, cols)


def sentence(ctx, pairing_id: str):
    """What one comparison shows, with its interval and periods, and what it can and cannot mean (Markdown)."""
    from helpers.reader.prose import Text

    pairing = next((p for p in COMPARISONS if p.id == pairing_id), None)
    if pairing is None:
        raise KeyError(f"no comparison {pairing_id!r}; known: {', '.join(p.id for p in COMPARISONS)}")
    c = compare(ctx, pairing)
    L = ctx.lang
    if c is None:
        return Text(_t(ctx, "missing"))
    share = _fmt(ctx, c.share, "percent")
    dname = escape.markdown(c.district_row[f"indicator_{L}"])
    if pairing.district.startswith("city:"):  # a district figure of the city's package names its district
        dname = _t(ctx, "district_name", topic=escape.markdown(c.district_row[f"topic_{L}"]), name=dname)
    dp, cp = _period(ctx, c.district_period), _period(ctx, c.city_period)
    text = _t(ctx, "share_sentence", label=getattr(pairing, f"label_{L}"), share=share, name=dname, dp=dp, cp=cp)
    if not c.share.is_bounded:
        text += _t(ctx, "share_bound")
    text += _t(ctx, "same_periods") if c.same_period else _t(ctx, "mixed_periods", dp=dp, cp=cp)
    return Text(text + getattr(pairing, f"means_{L}"))


def _t(ctx, key: str, **fields: object) -> str:
    return words.say(f"within.{key}", ctx.lang, **fields)


def _join(ctx, parts: list[str]) -> str:
    return words.say("punct.semicolon", ctx.lang).join(parts)


def _one_sentence(ctx, parts: list[str]) -> str:
    text = _join(ctx, [p for p in parts if p])
    text = text[0].upper() + text[1:] if ctx.lang == "en" else text  # a Latin sentence starts with a capital
    return text + words.say("punct.stop", ctx.lang)


def share_kind(c: Comparison) -> str:
    """The kind of a share's mark: ``more_than`` when it is open above (a lower bound), else the least exact of
    both figures' qualifiers (``approx``, ``estimate``), else ``exact``."""
    if not c.share.is_bounded:
        return "more_than" if c.share.lo is not None else "at_most"
    qualifiers = {c.district_row["qualifier"], c.city_row["qualifier"]}
    return next((k for k in ("approx", "estimate") if k in qualifiers), "exact")


def _label(ctx, c: Comparison) -> str:
    return getattr(c.pairing, f"label_{ctx.lang}")


def _printed(ctx, row):
    from helpers.reader.plots.marks import release_printed

    return release_printed(ctx, row, city_package(ctx))


def share_marks(ctx, found: list[Comparison] | None = None) -> list:
    """Each comparison's share (percent) as a derived (hollow) mark, computed from the district's figure and the
    city's; a mixed-period one says so in its row name (after a space, so the row wraps before it)."""
    from helpers.reader.plots import Mark

    found = comparisons(ctx) if found is None else found
    return [
        Mark(
            _label(ctx, c) + ("" if c.same_period else _t(ctx, "mixed_mark")),
            c.share,
            share_kind(c),
            derived=True,
            printed=(_printed(ctx, c.district_row), _printed(ctx, c.city_row)),
        )
        for c in found
    ]


def _pct(ctx, mark) -> str:
    from helpers.reader.plots.grammar import value_text

    return f"{value_text(mark, 1, ctx.lang)}%"


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
        clear_words = _t(ctx, "clear" if clear else "overlapping")
        parts.append(_t(ctx, "highest", hn=hn, hv=_pct(ctx, hi), clear=clear_words, ln=ln, lv=_pct(ctx, lo)))
    elif bounded:
        parts.append(words.say("chart.one_is", ctx.lang, name=bounded[0][1], value=_pct(ctx, bounded[0][0])))
    for _, m, n in named:
        if m.lower_bound:
            parts.append(_t(ctx, "lower_only", name=n, value=_pct(ctx, m)))
        elif m.upper_bound:
            parts.append(_t(ctx, "upper_only", name=n, value=_pct(ctx, m)))
    mixed = sum(not c.same_period for c in found)
    if mixed:
        parts.append(_t(ctx, "mixed_count", total=len(found), mixed=mixed))
    return _one_sentence(ctx, parts)


def _alt(ctx, title: str, rows: list[tuple[str, str]], what: str, marks: list) -> str:
    """Alt text from the data: the title, how many rows are compared, every row's name and value, and the kinds.

    ``what`` names the rows: the words ``within.<what>_one`` and ``within.<what>_many``."""
    from helpers.reader.plots.grammar import kinds_words

    named = _t(ctx, f"{what}_one" if len(rows) == 1 else f"{what}_many")
    listed = _join(ctx, [_t(ctx, "alt_row", name=n, value=v) for n, v in rows])
    kinds = kinds_words(marks, ctx.lang)
    text = _t(ctx, "alt", title=title, n=len(rows), what=named, listed=listed)
    return text + (words.say("grammar.alt_kinds", ctx.lang, kinds=kinds) if kinds else "")


def shares_chart(ctx):
    """Every comparison's share of the city (percent, from zero) with its interval: derived values drawn hollow,
    a lower bound as an arrow, a mixed-period comparison named in its row; caption from :func:`shares_finding`."""
    from helpers.reader.plots import render
    from helpers.reader.plots.layout import dot_figure

    title = _t(ctx, "shares_title")
    found = comparisons(ctx)
    if not found:
        from helpers.reader.plots.charts import empty

        return empty(ctx, title)
    marks = share_marks(ctx, found)
    fig = dot_figure(ctx.lang, marks, title, words.say("within_col.share", ctx.lang), 1, zero=True)
    mixed = _t(ctx, "mixed_row")
    rows = [(_label(ctx, c) + ("" if c.same_period else mixed), _pct(ctx, m)) for c, m in zip(found, marks)]
    return render(fig, _alt(ctx, title, rows, "shares", marks), shares_finding(ctx, found))


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

    L = ctx.lang
    city = city_package(ctx)
    whole = figure_input(_row(city.figures, "gdp")).interval
    rows = []
    for rank, r in enumerate(_gdp_rows(ctx).itertuples(index=False), start=1):
        i = figure_input(r).interval
        rows.append(
            [
                rank,
                getattr(r, f"topic_{L}"),
                f"{r.value} {printed_unit_label(r.unit_zh, L)}",
                _fmt(ctx, i, "CNY"),
                _fmt(ctx, HUNDRED * i / whole, "percent"),
            ]
        )
    return tables.table(rows, list(words.family("within_leading_col", L).values()))


def leading_sentence(ctx):
    """Where the district stands among the leading districts, what they add up to, and its next year (Markdown)."""
    from helpers.reader.prose import Text

    L = ctx.lang
    city = city_package(ctx)
    rows = _gdp_rows(ctx)
    ids = list(rows["id"])
    if DISTRICT_GDP not in ids:
        return Text(_t(ctx, "no_gdp"))
    rank = ids.index(DISTRICT_GDP) + 1
    total = None
    for r in rows.itertuples(index=False):
        total = figure_input(r).interval if total is None else total + figure_input(r).interval
    whole = figure_input(_row(city.figures, "gdp")).interval
    share = _fmt(ctx, HUNDRED * total / whole, "percent")
    name = escape.markdown(rows.iloc[rank - 1][f"topic_{L}"])
    sources = {s.get("id"): s for s in city.sources}
    src = sources.get(rows.iloc[0].get("source"), {})
    text = _t(
        ctx,
        "leading",
        n=len(ids),
        name=name,
        rank=rank,
        share=share,
        publisher=escape.markdown(naming.source_field(src, "publisher", L)),
        date=escape.markdown(src.get("date", "")),
    )
    nxt = _row(district_figures(city), DISTRICT_GDP_NEXT)
    if nxt is not None:
        now, then = figure_input(nxt).interval, figure_input(rows.iloc[rank - 1]).interval
        change = _fmt(ctx, HUNDRED * (now / then) - HUNDRED, "percent")
        text += "\n\n" + _t(
            ctx,
            "next_year",
            name=name,
            period=_period(ctx, figure_input(nxt).period),
            printed=escape.markdown(amounts.printed_text(nxt["value"], nxt["unit_zh"], L)),
            change=change,
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
            getattr(r, f"topic_{ctx.lang}"),
            figure_input(r).interval,
            r.qualifier,
            places=printed_places(r, divisor),
            printed=(_printed(ctx, pd.Series(r._asdict())),),
        )
        for r in rows.itertuples(index=False)
    ]
    return marks, divisor, unit


def leading_finding(ctx, marks: list, divisor, unit: str) -> str:
    """The caption of :func:`leading_chart`: the district's rank among the districts shown and its neighbours."""
    from helpers.reader.plots.grammar import mark_text, unit_suffix

    ids = list(_gdp_rows(ctx)["id"])

    def v(m) -> str:
        return _t(ctx, "name_value", name=m.label, value=f"{mark_text(m, divisor)}{unit_suffix(unit)}")

    if DISTRICT_GDP not in ids:
        return _one_sentence(ctx, [_t(ctx, "highest_lowest", hi=v(marks[0]), lo=v(marks[-1]))])
    k = ids.index(DISTRICT_GDP)
    me = marks[k]
    above, below = (marks[k - 1] if k > 0 else None), (marks[k + 1] if k + 1 < len(marks) else None)
    where = _t(ctx, "rank", me=v(me), n=len(marks), rank=k + 1)
    if above and below:
        where += _t(ctx, "between", above=v(above), below=v(below))
    elif above:
        where += _t(ctx, "after", above=v(above))
    elif below:
        where += _t(ctx, "ahead", below=v(below))
    return _one_sentence(ctx, [where])


def leading_chart(ctx):
    """The leading districts' GDP (printed figures, largest first) as lollipops from zero in the tables' unit
    (亿元), the district's name in bold; caption from :func:`leading_finding`."""
    from helpers.reader.plots import render
    from helpers.reader.plots.layout import dot_figure

    rows = _gdp_rows(ctx)
    when = _period(ctx, figure_input(rows.iloc[0]).period) if not rows.empty else ""
    title = _t(ctx, "leading_title", when=when)
    marks, divisor, unit = leading_marks(ctx)
    if not marks:
        from helpers.reader.plots.charts import empty

        return empty(ctx, title)
    fig = dot_figure(ctx.lang, marks, title, _t(ctx, "gdp_axis", unit=unit), divisor, zero=True, stems=True)
    ids = list(rows["id"])
    if DISTRICT_GDP in ids:
        fig.axes[0].get_yticklabels()[ids.index(DISTRICT_GDP)].set_fontweight("bold")
    from helpers.reader.plots.grammar import mark_text, unit_suffix

    rows_ = [(m.label, f"{mark_text(m, divisor)}{unit_suffix(unit)}") for m in marks]
    return render(fig, _alt(ctx, title, rows_, "gdp", marks), leading_finding(ctx, marks, divisor, unit))


def city_source(ctx):
    """The city's source named as a reader cites it: title (in the reader's language beside the original),
    publisher and date of publication, from the city package's first source (Markdown)."""
    import re

    from helpers.reader.amounts import period_text
    from helpers.reader.prose import Text

    src = city_package(ctx).source
    L = ctx.lang
    date = str(src.get("date", ""))
    day = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date)
    when = (
        words.say("date.day", L, y=day[1], m=int(day[2]), d=int(day[3]), mon=words.say(f"month.{int(day[2])}", L))
        if day
        else period_text(date, L)
    )
    title = src.get("title", "")
    return Text(
        _t(
            ctx,
            "city_source",
            title=escape.markdown(title),
            title_en=escape.markdown(src.get(f"title_{L}") or title),
            publisher=escape.markdown(src.get(f"publisher_{L}") or src.get("publisher", "")),
            date=escape.markdown(when),
        ),
        {"title": title},
    )
