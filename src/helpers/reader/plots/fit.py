"""Charts that fit their column: the small variant's measures, names above rows, tick labels that do not collide,
the legend under the axis label, and the saved area grown to hold every artist (nothing is ever cut).

Every chart is drawn twice by :mod:`helpers.reader.plots.layout`: at :data:`~helpers.reader.plots.grammar.WIDTH`
for a desktop column, and at :data:`SMALL_WIDTH` for a phone (360-720 px).  The small variant keeps the fonts
of the wide one (9 pt labels, 11 pt title) and gives the plot the figure's whole width: each row's name is
written above its row instead of in a label column, titles and axis labels wrap to the width, and tick labels
that would collide are dropped in alternation (the gridlines stay, so a log axis keeps its powers of ten).
"""

from __future__ import annotations

import functools
import math

from helpers.reader.plots.grammar import FONT_SIZE, WIDTH, wrap

SMALL_WIDTH = 3.8  # inches: a phone's column (about 330-360 px) shows it at 87-95 % of its size
SMALL_LEFT = 0.15  # inches left of the plot (names are above the rows)
SMALL_RIGHT = 0.3
SMALL_WRAP = {"zh": 22, "en": 46}  # characters per line of a name above its row
SMALL_TITLE_WRAP = {"zh": 19, "en": 38}
SMALL_PANEL_WRAP = {"zh": 20, "en": 40}
SMALL_AXIS_WRAP = {"zh": 22, "en": 44}
LINE = 0.17  # inches per line of 9 pt text


def is_small(fig) -> bool:
    """True for the small (phone) variant of a chart."""
    return bool(fig.get_figwidth() < WIDTH - 1e-9)


def line_count(text: str) -> int:
    return text.count("\n") + 1


def small_names(names: list[str], lang: str) -> list[str]:
    """Row names wrapped to the small variant's width, never cut."""
    return [wrap(n, lang, SMALL_WRAP[lang], None) for n in names]


def small_row(names: list[str], lang: str, row: float) -> float:
    """The height (inches) of a row of the small variant: its name's lines above, the mark below them."""
    lines = max((line_count(n) for n in small_names(names, lang)), default=1)
    return max(row, 2 * (LINE * lines + 0.1))


def names_above(ax, names: list[str], lang: str) -> None:
    """Write each row's name at the top of its row, from the plot's left edge (the small variant's label column)."""
    from matplotlib.transforms import blended_transform_factory

    ax.tick_params(axis="y", labelleft=False)
    where = blended_transform_factory(ax.transAxes, ax.transData)
    inches_per_row = ax.get_position().height * ax.figure.get_figheight() / abs(ax.get_ylim()[0] - ax.get_ylim()[1])
    for y, name in enumerate(small_names(names, lang)):
        ax.text(
            0.01,
            y - 0.5 + 0.05 / inches_per_row,
            name,
            transform=where,
            ha="left",
            va="top",
            fontsize=FONT_SIZE,
            color="#222222",
            zorder=6,
        )


def _text_inches(text: str) -> float:
    """The width of a one-line label at :data:`FONT_SIZE` (CJK one em, other characters about 0.6 em)."""
    em = FONT_SIZE / 72
    return sum(em if ord(c) > 0x2E80 else 0.6 * em for c in text)


def spaced_labels(texts: list[str], ticks: list[float], lo: float, hi: float, log: bool, plot_inches: float) -> list:
    """Tick labels with every other one blanked (first kept) until neighbours no longer collide; the ticks and
    their gridlines stay."""

    def position(t: float) -> float:
        if log:
            return (math.log10(t) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * plot_inches
        return (t - lo) / (hi - lo) * plot_inches

    shown = list(texts)
    step = 1
    while step < len(texts):
        kept = [(position(t), _text_inches(x)) for t, x in zip(ticks, shown) if x]
        if all(b[0] - a[0] > (a[1] + b[1]) / 2 + 0.08 for a, b in zip(kept, kept[1:])):
            break
        step *= 2
        shown = [x if k % step == 0 else "" for k, x in enumerate(texts)]
    return shown


def place_legend(fig, left: float, **options) -> None:
    """The legend under the lowest axes' tick and axis labels, from ``left`` (a share of the figure's width);
    ``options`` go to ``fig.legend``; the saved area grows to hold it (``grammar.saved_area``)."""
    renderer = fig.canvas.get_renderer()
    lowest = min(fig.axes, key=lambda a: a.get_position().y0)
    top = lowest.xaxis.get_tightbbox(renderer).y0 / fig.bbox.height - 0.05 / fig.get_figheight()
    fig.legend(loc="upper left", bbox_to_anchor=(left, top), frameon=False, **options)


def with_small_variant(draw):
    """A layout drawn at :data:`~helpers.reader.plots.grammar.WIDTH` that carries its small variant (the same call at
    :data:`SMALL_WIDTH`) for :func:`~helpers.reader.plots.grammar.render`."""

    @functools.wraps(draw)
    def both(*args, width: float = WIDTH, **kwargs):
        fig = draw(*args, width=width, **kwargs)
        if width == WIDTH:
            fig.__dict__["helpers_small"] = draw(*args, width=SMALL_WIDTH, **kwargs)
        return fig

    return both
