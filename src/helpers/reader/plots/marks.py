"""Marks from the package: a printed figure or a derived value as a :class:`~helpers.reader.plots.grammar.Mark`,
with where its numbers were printed (:class:`~helpers.reader.plots.sources.Printed`: the report's section, or another
release's title), which the line under each chart and its CSV name (:mod:`helpers.reader.plots.sources`).
"""

from __future__ import annotations

import math
from fractions import Fraction

from helpers.core import relations, units
from helpers.reader import naming, words
from helpers.reader.plots.grammar import Mark
from helpers.reader.plots.sources import Printed


def _name(ctx, row) -> str:
    return getattr(row, f"indicator_{ctx.lang}")


def printed_places(figure, divisor) -> int | None:
    """Decimals that show a printed figure at ``divisor`` with exactly its printed precision (None if not decimal).

    ``84`` 亿元 on an axis in 亿元 → 0; ``4557`` 万元 in 亿元 → 4; ``24.9`` % → 1.
    """
    factor = units.parse_unit(figure.unit_zh).factor
    ratio = Fraction(divisor) / factor
    shift = round(math.log10(ratio)) if ratio > 0 else 0
    if Fraction(10) ** shift != ratio:
        return None
    return max(0, units.decimals(figure.value) + shift)


def printed_in(ctx, figure) -> str:
    """Where a figure was printed, in ctx.lang: the report's section (``报道第2部分「夯实新基础」`` / ``the report,
    section 2, “New foundations”``; the lead by its name) or, for a figure of another release, that release's title."""
    source = naming.figure_source(ctx, figure)
    if source != ctx.package.source:
        title = naming.source_field(source, "title", ctx.lang) or str(source.get("id", ""))
        return words.say("chart_source.in_release", ctx.lang, title=words.say("quote.name", ctx.lang, name=title))
    number = int(figure.section)
    rows = ctx.package.sections.set_index("section")
    title = rows.loc[number, f"title_{ctx.lang}"] if number in rows.index else ""
    if number == 0:
        return words.say("chart_source.in_lead", ctx.lang)
    name = words.say("quote.name", ctx.lang, name=title) if title else ""
    return words.say("chart_source.in_report", ctx.lang, n=number, title=name)


def printed(ctx, figure) -> Printed:
    """A printed figure as the source of a mark: its id, its name and where it was printed (ctx.lang)."""
    own = naming.figure_source(ctx, figure) == ctx.package.source
    return Printed(str(figure.id), _name(ctx, figure), printed_in(ctx, figure), int(figure.section) if own else None)


def figure_mark(ctx, figure, divisor=1, fx: bool = False) -> Mark:
    """A printed figure as a mark (its qualifier is its kind); ``fx`` converts US dollars to yuan."""
    i = relations.figure_input(figure).interval
    if fx and figure.base_unit == "USD":
        return Mark(_name(ctx, figure), i * ctx.fx, figure.qualifier, derived=True, printed=(printed(ctx, figure),))
    return Mark(
        _name(ctx, figure), i, figure.qualifier, places=printed_places(figure, divisor), printed=(printed(ctx, figure),)
    )


def inputs_printed(ctx, ids) -> tuple[Printed, ...]:
    """The printed figures among ``ids`` (a derived value's inputs) as sources of a mark, in order."""
    figs = ctx.package.figures.set_index("id", drop=False)
    return tuple(printed(ctx, figs.loc[i]) for i in dict.fromkeys(ids) if i in figs.index)


def derived_kind(d: relations.Derived, figures) -> str:
    """The kind a derived value inherits: a bound if it is open, else approx/estimate if an input is, else exact."""
    if not d.interval.is_bounded:
        return "more_than" if d.interval.lo is not None else "at_most"
    qualifiers = set(figures.set_index("id").loc[list(d.inputs), "qualifier"])
    for kind in ("approx", "estimate"):
        if kind in qualifiers:
            return kind
    return "exact"


def derived_mark(ctx, d: relations.Derived) -> Mark:
    return Mark(
        getattr(d, f"label_{ctx.lang}"),
        d.interval,
        derived_kind(d, ctx.package.figures),
        derived=True,
        printed=inputs_printed(ctx, d.inputs),
        relation=d.id,
    )


def release_printed(ctx, row, package) -> Printed:
    """A figure of another ``package`` (the city's) as the source of a mark: this package's own where it is one of
    its figures, else printed in the release its ``source`` names (``package``'s first source when empty)."""
    if str(row["id"]) in set(ctx.package.figures["id"]):
        return printed(ctx, ctx.package.figure(str(row["id"])))
    sid = row.get("source")
    src = next((s for s in package.sources if isinstance(sid, str) and sid and s.get("id") == sid), package.source)
    title = src.get(f"title_{ctx.lang}") or src.get("title", "") or str(src.get("id", ""))
    where = words.say("chart_source.in_release", ctx.lang, title=words.say("quote.name", ctx.lang, name=title))
    return Printed(str(row["id"]), str(row[f"indicator_{ctx.lang}"]), where)
