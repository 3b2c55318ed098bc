"""Which figures share a chart: the generic walkthroughs' charts of a section or a package, grouped by scale.

A chart puts on one axis only what can share it: money totals apart from amounts per person (an amount per
person is never drawn, nor compared, on the scale of a total), prices and rates (an exchange rate) on no money
chart, and percentages under a title naming the kinds of percentage drawn (no completion rate named where the
package holds none).
"""

from __future__ import annotations

from helpers.core.langs import LANGS
from helpers.reader import naming, words
from helpers.reader.plots import charts


def _figures(ctx, section: int | None = None):
    f = ctx.package.figures
    return f if section is None else f[f["section"] == section]


def _join_in(lang: str, items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return words.say("punct.list", lang).join(items[:-1]) + words.say("punct.last", lang) + items[-1]


#: Measures of money that are neither a total nor an amount per person (an exchange rate, a price): not charted
#: with amounts, whose scale they do not share.
RATE_MEASURES = ("rate",)


def money_groups(ctx, section: int | None = None) -> dict[str, list[str]]:
    """The money figures (yuan, US dollars) by what can share a scale: ``totals`` and ``per_person`` amounts
    (:func:`helpers.reader.naming.per_person`), in file order; prices and rates (:data:`RATE_MEASURES`) are in
    neither, empty groups left out."""
    figs = _figures(ctx, section)
    money = figs[figs["base_unit"].isin(["CNY", "USD"]) & ~figs["measure"].isin(RATE_MEASURES)]
    each = [naming.per_person(r) for _, r in money.iterrows()]
    groups = {
        "totals": [i for i, p in zip(money["id"], each) if not p],
        "per_person": [i for i, p in zip(money["id"], each) if p],
    }
    return {k: v for k, v in groups.items() if v}


#: The percent measures a section's percentage chart draws, in the order its title names them.
PERCENT_MEASURES = ("change_yoy_pct", "share_pct", "completion_pct")


def section_charts(ctx, section: int) -> list:
    """The charts a section's figures allow, each of figures that share a scale: money totals, money per person,
    percentages (titled by the kinds present), counts (each only if present)."""
    figs = _figures(ctx, section)
    out = [
        charts.money(ctx, section, ids=ids, per_person=g == "per_person")
        for g, ids in money_groups(ctx, section).items()
    ]
    pct = figs[figs["measure"].isin(PERCENT_MEASURES) & (figs["base_unit"] == "percent")]
    if not pct.empty:
        present = [m for m in PERCENT_MEASURES if m in set(pct["measure"])]
        title = {
            lang: words.say(
                "walk.percent_title",
                lang,
                kinds=_join_in(lang, [words.say(f"walk.percent_kind.{m}", lang) for m in present]),
            )
            for lang in LANGS
        }
        out.append(charts.percentages(ctx, section, tuple(present), title["zh"], title["en"]))
    if (figs["base_unit"] == "count").any():
        out.append(charts.counts(ctx, section))
    return out


def overview_charts(ctx) -> list:
    """The overview's charts: the package's money amounts on log scales, totals apart from amounts per person."""
    return [charts.money(ctx, ids=ids, per_person=g == "per_person") for g, ids in money_groups(ctx).items()]
