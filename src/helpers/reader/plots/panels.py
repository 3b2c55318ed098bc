"""The checks' chart: small multiples, one panel per check, each zoomed to its own range (the layouts of
:mod:`helpers.reader.plots.layout`, the sizes of :mod:`helpers.reader.plots.fit`)."""

from __future__ import annotations

import math

from helpers.reader.plots import sources
from helpers.reader.plots.fit import SMALL_PANEL_WRAP, line_count, with_small_variant
from helpers.reader.plots.grammar import FONT_SIZE, PANEL_WRAP, WIDTH, wrap
from helpers.reader.plots.layout import STYLE, draw_mark, legend, limits, new_figure, plain_axis, row_axis


@with_small_variant
def panel_figure(lang: str, panels: list[dict], title: str, *, width: float = WIDTH):
    """Small multiples, one check each: rows "recomputed" and "printed/required", each zoomed to its own range.

    A panel is a dict with ``name``, ``marks`` (two :class:`Mark`), ``unit_label``, ``bad`` (drawn in red)
    and ``note`` (its verdict).
    """
    small = width < WIDTH
    headings = [
        wrap(f"{p['name']}: {p['note']}", lang, *((SMALL_PANEL_WRAP[lang], None) if small else (PANEL_WRAP[lang],)))
        for p in panels
    ]
    lines = max((line_count(h) for h in headings), default=1)
    fig, axes = new_figure(
        2,
        title,
        lang,
        panels=len(panels),
        row=0.45,
        min_plot=0.9,
        width=width,
        names=[m.label for p in panels for m in p["marks"]],
        gap=max(1.0, 0.62 + 0.2 * lines),
        top_extra=0.2 * lines + 0.1 if small else 0.0,
    )
    for ax, p, heading in zip(axes, panels, headings):
        marks = p["marks"]
        extents = []
        for m in marks:
            a, b = m.interval.to_floats()
            extents.append((a if math.isfinite(a) else b, b if math.isfinite(b) else a))
        lim = limits(extents, False, False, any(m.lower_bound for m in marks))
        plain_axis(ax, *lim, False, p["unit_label"])
        for y, m in enumerate(marks):
            draw_mark(ax, y, m, 1, lim, False, lang=lang, percent=p["unit_label"].strip() == "%")
            sources.record(fig, p["name"], m, 1, p["unit_label"])
        row_axis(ax, [m.label for m in marks], lang)
        colour = STYLE["more_than"][1] if p["bad"] else "#222222"
        ax.set_title(
            heading,
            fontsize=FONT_SIZE + 0.5,
            loc="left",
            color=colour,
            fontweight="bold" if p["bad"] else "normal",
            y=1.0,  # where matplotlib would place it (no tick labels above the panel), without searching every panel
        )
        if p["bad"]:
            for spine in ax.spines.values():
                spine.set_edgecolor(colour)
                spine.set_linewidth(1.5)
    marks = [m for p in panels for m in p["marks"]]
    legend(
        fig, marks, lang, any(m.interval.is_bounded and not m.interval.is_point and not m.requirement for m in marks)
    )
    return fig
