"""How a figure is named for a reader: its indicator (with topic or period where the name repeats), its
qualifier (约/预计 with the tolerance they are given), its source, and a coded value (qualifier, period) in words.

Tables, prose, the generic walkthroughs and the city comparison all name figures through here.
"""

from __future__ import annotations

import pandas as pd

from helpers.core import relations
from helpers.core.intervals import APPROXIMATE, Interval, readable_places
from helpers.reader import labels, words
from helpers.reader.amounts import period_text


def tolerance_text(ctx) -> str:
    """The tolerance given to 约/预计 figures, as a reader reads it: ``±5%``."""
    pct = ctx.approx_tolerance * 100
    return f"±{Interval.point(pct).format(readable_places(Interval.point(pct)))}%"


def tolerance_note(ctx, figure_ids) -> str:
    """The table note for 约/预计 figures among ``figure_ids`` ("" when there are none)."""
    figs = ctx.package.figures
    approx = figs[figs["id"].isin(list(figure_ids)) & figs["qualifier"].isin(APPROXIMATE)]
    if approx.empty:
        return ""
    names = words.say("table.names_sep", ctx.lang).join(approx[f"indicator_{ctx.lang}"])
    return labels.sentence("tolerance_note", ctx.lang, tolerance=tolerance_text(ctx), names=names)


def qualifier_label(ctx, qualifier: str) -> str:
    """A qualifier in the reader's language; 约/预计 carry the tolerance they are given."""
    word = labels.QUALIFIER_LABELS[ctx.lang][qualifier]
    return f"{word} ({tolerance_text(ctx)})" if qualifier in APPROXIMATE else word


def printed(ctx, figure) -> str:
    """A figure as printed, with its unit; a change down printed without its minus says so (下降4.2 %, fell 4.2 %)."""
    text = f"{figure.value} {figure.unit_zh}"
    if relations.is_down(figure) and not str(figure.value).startswith("-"):
        return words.say("direction.down", ctx.lang, printed=text)
    return text


def signed_value(figure) -> str:
    """A figure's value as printed, with the minus a change down printed without it stands for (下降4.2 → -4.2)."""
    value = str(figure["value"] if isinstance(figure, pd.Series) else figure.value)
    return f"-{value}" if relations.is_down(figure) and not value.startswith("-") else value


#: What the official name of an amount per person (or per household) says: 人均生产总值, 每人每月, 户均.
PER_PERSON_MARKS = ("人均", "每人", "户均", "每户")


def per_person(figure) -> bool:
    """Whether a figure is an amount per person or household rather than a total: its unit says so (元/人·月), or
    its official name does (:data:`PER_PERSON_MARKS`: 人均, 每人, 户均, 每户)."""
    get = figure.get if isinstance(figure, pd.Series) else lambda k, d=None: getattr(figure, k, d)
    if "per person" in str(get("base_unit", "")):
        return True
    return any(mark in str(get("indicator_zh", "")) for mark in PER_PERSON_MARKS)


def name(ctx, figure) -> str:
    """The figure's indicator name in ctx.lang; where the package names several figures so (the city's GDP and
    each district's), the figure's topic follows: 地区生产总值（历下区）, Gross domestic product (GDP), Lixia District;
    and its period where the topic repeats too (地区生产总值（市中区，2023年）)."""
    L = ctx.lang
    name = getattr(figure, f"indicator_{L}")
    column = ctx.package.figures[f"indicator_{L}"]
    if int((column == name).sum()) < 2:
        return name
    figs = ctx.package.figures
    topic = getattr(figure, f"topic_{L}")
    same = (column == name) & (figs[f"topic_{L}"] == topic)
    if int(same.sum()) > 1:  # the same indicator of the same topic for several periods: the period tells them apart
        topic += words.say("punct.comma", L) + period_text(figure.period, L)
    return words.say("table.name_topic", L, name=name, topic=topic)


def source_field(source: dict, name: str, lang: str) -> str:
    """A source record's field in ``lang``: ``NAME_en`` on English pages where the record gives one, else ``NAME``."""
    if lang == "en" and source.get(f"{name}_en"):
        return source[f"{name}_en"]
    return source.get(name) or ""


def figure_source(ctx, figure) -> dict:
    """The source record a figure comes from: the one its ``source`` names, or the first source when empty."""
    sid = getattr(figure, "source", None)
    if sid is None or pd.isna(sid) or sid == "":
        return ctx.package.source
    found = next((s for s in ctx.package.sources if s.get("id") == sid), None)
    if found is None:
        raise KeyError(f"figure {figure.id!r}: no source {sid!r} in {ctx.data_dir / 'datapackage.json'}")
    return found


def source_label(ctx, source: dict) -> str:
    """Where a figure comes from, in ctx.lang: "the source text" for the first source (the text the offsets point
    into); for a release without a text here, its publisher, date and where it was read."""
    if source == ctx.package.source:
        return labels.heading("source_text", ctx.lang)
    L = ctx.lang
    who, date, where = (source_field(source, k, L) for k in ("publisher", "date", "read_in"))
    return words.say("table.source", L, who=who, date=date, where=where)


def coded(lang: str, column: str, value: str) -> str:
    """A draft's (or the package's) coded value named for readers: a qualifier by its label (an unknown code as
    it is), a period in words ("" and the comparison's "(none)": not stated); other columns' values as they are."""
    if column == "qualifier":
        return labels.QUALIFIER_LABELS[lang].get(value, value)
    if column == "period":
        return period_text(None if value == "(none)" else value, lang)
    return value
