"""Each check as a claim box, the way fact-checkers present a claim: the figures as printed (each with its section
and period), the arithmetic, the verdict, and the likely explanation of a verdict other than "consistent".  A
bookkeeping check (a part within its whole: :func:`helpers.core.checks.is_bookkeeping`) says so in its first line,
since it could not have failed and is not counted among the findings.

One box is a Markdown block quote (the site's theme draws it as a box, in light and dark mode alike); every
package string in it goes through :mod:`helpers.reader.escape`.  The arithmetic is
:func:`helpers.reader.explain.explain`, the one way a check is written out; the likely explanation of an
inconsistent check is :func:`helpers.reader.prose.reason`, the one the home page gives.
"""

from __future__ import annotations

from helpers.core import checks
from helpers.core.relations import figure_input
from helpers.reader import amounts, escape, explain, labels, prose, tables, words


def _w(ctx, key: str, **fields: object) -> str:
    return words.say(f"claim.{key}", ctx.lang, **fields)


def _section(ctx, number: int) -> str:
    """``第3部分「迸发新活力」`` / ``section 3, “Releasing new vitality”`` (the lead: its own word)."""
    rows = ctx.package.sections.set_index("section")
    title = rows.loc[number, f"title_{ctx.lang}"] if number in rows.index else ""
    name = words.say("quote.name", ctx.lang, name=escape.markdown(title)) if title else ""
    return _w(ctx, "section", n=number, title=name)


def _printed(ctx, row) -> str:
    """One input as the report prints it: its name, printed value (English adds the amount in English units),
    section and period."""
    period = figure_input(row).period
    return _w(
        ctx,
        "printed",
        name=words.say("quote.name", ctx.lang, name=escape.markdown(row[f"indicator_{ctx.lang}"])),
        printed=escape.markdown(amounts.printed_text(row["value"], row["unit_zh"], ctx.lang)),
        section=_section(ctx, int(row["section"])),
        period=escape.markdown(amounts.period_label(period, ctx.lang)),
    )


def boxes(ctx, section: int | None = None) -> prose.Text:
    """One claim box per check (of one section or all), in reading order; ``findings`` maps each check's id to its
    verdict, for tests.  No check: the sentence that says so."""
    derived = tables.derived_values(ctx, section)
    found = checks.check_all(derived, ctx.package.figures, ctx.approx_tolerance)
    if not found:
        return prose.Text(words.say("prose.none", ctx.lang), {})
    by_id = ctx.package.figures.set_index("id", drop=False)
    labels_of = {d.id: getattr(d, f"label_{ctx.lang}") for d in derived}
    blocks = []
    for c in found:
        lines = [
            _w(
                ctx,
                "head_bookkeeping" if checks.is_bookkeeping(c) else "head",
                label=escape.markdown(labels_of[c.id]),
                verdict=labels.STATUS_LABELS[ctx.lang][c.status],
            ),
            _w(ctx, "as_printed")
            + words.say("prose.list_sep", ctx.lang).join(_printed(ctx, by_id.loc[i]) for i in c.inputs),
            _w(ctx, "arithmetic")
            + escape.markdown(explain.explain(c, ctx.package.figures, ctx.lang, ctx.approx_tolerance)),
        ]
        if c.status != "consistent":
            lines.append(prose.reason(ctx, c, derived) or _w(ctx, "none_found"))
        blocks.append("\n>\n".join(f"> {line}" for line in lines))
    return prose.Text("\n\n".join(blocks), {c.id: c.status for c in found})
