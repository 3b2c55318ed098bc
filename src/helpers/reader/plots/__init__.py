"""Charts: one visual grammar for uncertain numbers (:mod:`.grammar`) and the charts notebooks show (:mod:`.charts`),
their marks taken from the package (:mod:`.marks`), and what each draws as data (:mod:`.sources`: the line under it
naming its figures and where they were printed, and a CSV of its marks); matplotlib's text measures and glyph
layouts are kept once per process (:mod:`.textcache`).

``from helpers.reader import plots`` then ``plots.money(ctx)``: every chart is a :class:`Chart` (SVG with alt
text and a caption in ``ctx.lang``).  Drawing fails with :class:`GlyphError` if any character is
missing from the fonts, so a chart that cannot show its Chinese labels never passes.
"""

from helpers.reader.plots.charts import (
    checks,
    counts,
    derived,
    figure_mark,
    measure_marks,
    money,
    percentages,
    prior_and_current,
    whole,
)
from helpers.reader.plots.grammar import FONT, Chart, GlyphError, Mark, render

__all__ = [
    "FONT",
    "Chart",
    "GlyphError",
    "Mark",
    "checks",
    "counts",
    "derived",
    "figure_mark",
    "measure_marks",
    "money",
    "percentages",
    "prior_and_current",
    "render",
    "whole",
]
