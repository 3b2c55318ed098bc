"""Layouts of the charts: fixed-size figures, plain axes, the legend, and one function per chart kind.

Every figure is :data:`~helpers.reader.plots.grammar.WIDTH` wide with a fixed label column and margins, so the
plotting area is the same in every chart and language; its height grows with the rows.  Kinds:
:func:`dot_figure` (marks one row each), :func:`pair_figure` (two marks per row), :func:`bar_figure`
(counts); ``panels.panel_figure`` draws one small panel per check.  :func:`draw_mark` is the grammar of
one uncertain number (see :mod:`helpers.reader.plots.grammar`).
"""

from __future__ import annotations

import math
from fractions import Fraction

from helpers.reader import labels, words
from helpers.reader.plots import sources
from helpers.reader.plots.fit import (
    SMALL_AXIS_WRAP,
    SMALL_LEFT,
    SMALL_RIGHT,
    SMALL_TITLE_WRAP,
    is_small,
    line_count,
    names_above,
    place_legend,
    small_row,
    spaced_labels,
    with_small_variant,
)
from helpers.reader.plots.grammar import (
    FONT_SIZE,
    TITLE_SIZE,
    TITLE_WRAP,
    WIDTH,
    Mark,
    half_width_label,
    interval_text,
    mark_text,
    number_text,
    pyplot,
    wrap,
)

LABEL_COLUMN = 2.45  # inches kept for wrapped row names, left of the plot
RIGHT = 0.35  # inches right of the plot
TOP = 0.75  # inches for the title (two lines at most)
BOTTOM = 1.3  # inches for the tick labels, the axis label and the legend
ROW = 0.5  # inches per row of marks
MIN_PLOT = 1.6  # inches: the smallest plotting height
NARROW = 0.012  # a band narrower than this share of the axis is too thin to see: its half-width is written instead
ARROW = 0.11  # an arrow's length as a share of the axis (log axes: of its decades)

#: Marker and colour of each kind of figure (seaborn "deep" colours); derived values are the same, hollow.
STYLE = {
    "exact": ("o", "#4c72b0"),
    "approx": ("D", "#dd8452"),
    "estimate": ("s", "#55a868"),
    "more_than": (">", "#c44e52"),
    "at_most": ("<", "#8172b3"),
}
BAND = "#4c72b0"
REQUIRED = "#7f7f7f"  # a range a value must lie in (not a printed figure): grey band, a bar for a single value
#: The legend's words, by language (a view of the ``legend`` family of words.csv).
LEGEND_WORDS = words.by_lang("legend")


# ---- layout and axes -----------------------------------------------------------------------


def new_figure(
    rows: int,
    title: str,
    lang: str,
    panels: int = 1,
    row: float = ROW,
    min_plot: float = MIN_PLOT,
    *,
    width: float = WIDTH,
    names: list[str] | None = None,
    gap: float = 1.0,
    top_extra: float = 0.0,
):
    """A figure of fixed width whose height grows with the rows; returns (fig, [axes]) at fixed positions.

    The label column, the margins and the plot's width are the same in every chart and language,
    so long names can never squeeze the plotting area.  At a ``width`` below :data:`WIDTH` (the small
    variant, :mod:`helpers.reader.plots.fit`) there is no label column: rows are tall enough for the
    ``names`` written above them, and the title wraps to the width.
    """
    plt = pyplot()
    small = width < WIDTH
    left, right = (SMALL_LEFT, SMALL_RIGHT) if small else (LABEL_COLUMN, RIGHT)
    heading = wrap(title, lang, SMALL_TITLE_WRAP[lang], None) if small else wrap(title, lang, TITLE_WRAP[lang])
    top = top_extra + (0.25 + 0.22 * line_count(heading) if small else max(TOP, 0.3 + 0.22 * line_count(heading)))
    if small:
        row = small_row(names or [], lang, row)
    plot_h = max(min_plot, row * rows)
    height = top + BOTTOM + plot_h * panels + gap * (panels - 1)
    fig = plt.figure(figsize=(width, height))
    sources.set_lang(fig, lang)
    sources.set_title(fig, title)
    axes = []
    for k in range(panels):
        bottom = BOTTOM + (panels - 1 - k) * (plot_h + gap)
        axes.append(fig.add_axes((left / width, bottom / height, (width - left - right) / width, plot_h / height)))
    fig.text(
        (SMALL_LEFT if small else 0.5 * LABEL_COLUMN) / width,
        1 - 0.12 / height,
        heading,
        ha="left",
        va="top",
        fontsize=TITLE_SIZE,
        fontweight="bold",
        transform=fig.transFigure,
    )
    return fig, axes


def _nice_ticks(lo: float, hi: float, bins: int = 6) -> tuple[list[float], int]:
    from matplotlib.ticker import MaxNLocator

    ticks = [
        t
        for t in MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
        if lo - 1e-12 <= t <= hi + 1e-12
    ]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    # as many decimals as the step has (2.5 → 1, 0.25 → 2, 5 → 0), so that every tick is labelled exactly
    places = len(f"{step:.6f}".rstrip("0").split(".")[1])
    return ticks, places


def plain_axis(ax, lo: float, hi: float, log: bool, axis_label: str) -> None:
    """x limits, plain tick labels (no offset, no scientific notation) and the axis label with the unit."""
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

    ax.set_xlim(lo, hi)
    if log:
        ax.set_xscale("log")
        decades = range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
        ticks = [10.0**d for d in decades if lo <= 10.0**d <= hi]
        if len(ticks) < 3:
            ticks = sorted({m * 10.0**d for d in decades for m in (1, 2, 5) if lo <= m * 10.0**d <= hi})
        places = None
        if len(ticks) < 2:  # less than a decade: evenly spaced round numbers
            ticks, places = _nice_ticks(lo, hi)
        texts = [number_text(Fraction(t).limit_denominator(10**6), places) for t in ticks]
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_minor_formatter(NullFormatter())
    else:
        ticks, places = _nice_ticks(lo, hi, 4 if is_small(ax.figure) else 6)
        texts = [number_text(Fraction(t).limit_denominator(10**6), places) for t in ticks]
    if is_small(ax.figure):
        texts = spaced_labels(texts, ticks, lo, hi, log, ax.get_position().width * ax.figure.get_figwidth())
        lang = "en" if axis_label.isascii() else "zh"
        axis_label = wrap(axis_label, lang, SMALL_AXIS_WRAP[lang], None)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.set_xticks(ticks, texts)
    ax.set_xlabel(axis_label)


def decade_gridlines(fig) -> bool:
    """True when the figure's first axes is logarithmic and its gridlines are consecutive powers of ten (what a
    caption may then say: each gridline is ten times the one before)."""
    ax = fig.axes[0]
    if ax.get_xscale() != "log":
        return False
    powers = [math.log10(t) for t in ax.get_xticks() if t > 0]
    whole = all(abs(p - round(p)) < 1e-9 for p in powers)
    return len(powers) >= 2 and whole and all(round(b - a) == 1 for a, b in zip(powers, powers[1:]))


def narrow_marks(fig) -> list:
    """The marks whose band was too thin to see, in drawing order (their half-width is written beside them)."""
    return list(fig.__dict__.get("helpers_narrow", []))


def _fraction_of_axis(a: float, b: float, lo: float, hi: float, log: bool) -> float:
    if log:
        return (math.log10(b) - math.log10(a)) / (math.log10(hi) - math.log10(lo))
    return (b - a) / (hi - lo)


def limits(values: list[tuple[float, float]], log: bool, zero: bool, bounds: bool) -> tuple[float, float]:
    """Axis limits around (low, high) extents, with room on the right for value labels and arrows."""
    lo = min(a for a, _ in values)
    hi = max(b for _, b in values)
    if log:
        lo = max(lo, 1e-12)
        span = max(math.log10(hi) - math.log10(lo), 0.5)
        return 10 ** (math.log10(lo) - 0.06 * span), 10 ** (math.log10(hi) + (0.30 + (ARROW if bounds else 0)) * span)
    if zero:
        lo = min(lo, 0.0)
        hi = max(hi, 0.0)
    span = (hi - lo) or abs(hi) * 0.2 or 1.0
    left = lo if zero and lo == 0 else lo - (0.06 if hi > lo else 0.5) * span
    return left, hi + (0.30 + (ARROW if bounds else 0)) * span


def legend(fig, marks: list[Mark], lang: str, band: bool, reference: str | None = None) -> None:
    """The legend under the plot: every kind of figure present, hollow = derived, the band, the arrow."""
    from matplotlib.artist import Artist
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    legend_words = words.family("legend", lang)
    names = labels.QUALIFIER_LABELS[lang]
    handles: list[Artist] = []
    for kind, (marker, colour) in STYLE.items():
        if any(m.kind == kind and not m.derived for m in marks):
            handles.append(Line2D([], [], ls="", marker=marker, color=colour, label=names[kind]))
    if any(m.derived for m in marks):
        handles.append(
            Line2D([], [], ls="", marker="o", markerfacecolor="white", color="#555555", label=legend_words["derived"])
        )
    if band:
        handles.append(Patch(color=BAND, alpha=0.3, label=legend_words["interval"]))
    if any(m.requirement for m in marks):
        handles.append(Patch(color=REQUIRED, alpha=0.35, label=legend_words["required"]))
    if any(m.lower_bound for m in marks):
        handles.append(
            Line2D([], [], color=STYLE["more_than"][1], marker=">", markevery=[1], label=legend_words["arrow"])
        )
    if reference:
        handles.append(Line2D([], [], color="#333333", ls="--", lw=1, label=reference))
    if handles:
        small = is_small(fig)
        place_legend(
            fig,
            (SMALL_LEFT if small else 0.15) / fig.get_figwidth(),
            handles=handles,
            ncol=min(2 if small and lang == "zh" else 1 if small else 3, len(handles)),
            handletextpad=0.4,
            columnspacing=1.2,
        )


def draw_mark(
    ax,
    y: float,
    mark: Mark,
    divisor,
    lim: tuple[float, float],
    log: bool,
    side: str = "right",
    text: str | None = None,
    *,
    lang: str,
    percent: bool = False,
) -> str:
    """One mark at row ``y``: band, marker, arrow for a bound, and its value label; returns the label text.

    A band too thin to see gets its half-width beside the value, in the axis unit (``percent``: in percentage
    points)."""
    marker, colour = STYLE.get(mark.kind, STYLE["exact"])
    lo, hi = lim
    v = float(Fraction(mark.value) / divisor)
    label = text if text is not None else mark_text(mark, divisor)
    if mark.requirement:
        label = interval_text(mark.interval, divisor)
    end = v  # where the label starts
    lo_end, hi_end = mark.interval.lo, mark.interval.hi
    if lo_end is not None and hi_end is not None and not mark.interval.is_point:
        a, b = (float(Fraction(e) / divisor) for e in (lo_end, hi_end))
        ax.hlines(
            y,
            a,
            b,
            color=REQUIRED if mark.requirement else BAND,
            lw=9,
            alpha=0.35 if mark.requirement else 0.3,
            zorder=2,
        )
        if _fraction_of_axis(a, b, lo, hi, log) < NARROW and text is None and not mark.requirement:
            label += f" ({half_width_label(mark, divisor, lang, percent)})"
            ax.figure.__dict__.setdefault("helpers_narrow", []).append(mark)  # read by narrow_marks
        end = b if side == "right" else a
    if mark.lower_bound or mark.upper_bound:
        sign = 1 if mark.lower_bound else -1
        tip = v * 10 ** (sign * ARROW * math.log10(hi / lo)) if log else v + sign * ARROW * (hi - lo)
        ax.annotate(
            "",
            xy=(tip, y),
            xytext=(v, y),
            zorder=3,
            arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.6, "mutation_scale": 12},
        )
        # the left mark of a pair, and every bound of the small variant (its name is above): the label below the mark
        below = side == "left" or is_small(ax.figure)
        ax.text(
            v,
            y + 0.24 if below else y - 0.22,
            label,
            ha="right" if side == "left" or sign < 0 else "left",
            va="top" if below else "bottom",
            fontsize=FONT_SIZE,
            color=colour,
            zorder=4,
        )
    if mark.requirement:
        if mark.interval.is_point:
            ax.plot([v], [y], ls="", marker="|", markersize=14, markeredgewidth=2.5, color=REQUIRED, zorder=4)
        ax.annotate(
            label,
            xy=(end, y),
            xytext=(7, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=FONT_SIZE,
            color="#222222",
            zorder=4,
        )
        return label
    face = "white" if mark.derived else colour
    ax.plot(
        [v],
        [y],
        ls="",
        marker=marker,
        markersize=7.5,
        markerfacecolor=face,
        markeredgecolor=colour,
        markeredgewidth=1.6,
        zorder=5,
    )
    if not (mark.lower_bound or mark.upper_bound):
        ax.annotate(
            label,
            xy=(end, y),
            xytext=(7 if side == "right" else -7, 0),
            textcoords="offset points",
            ha="left" if side == "right" else "right",
            va="center",
            fontsize=FONT_SIZE,
            color="#222222",
            zorder=4,
        )
    return label


def row_axis(ax, names: list[str], lang: str) -> None:
    """Rows top to bottom, names wrapped in the label column (the small variant: above their rows)."""
    ax.set_yticks(range(len(names)), [wrap(n, lang) for n in names])
    ax.set_ylim(len(names) - 0.5, -0.6)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    if is_small(ax.figure):
        names_above(ax, names, lang)


@with_small_variant
def dot_figure(
    lang: str,
    marks: list[Mark],
    title: str,
    unit_label: str,
    divisor=1,
    log: bool = False,
    zero: bool = True,
    stems: bool = False,
    reference: tuple[float, str] | None = None,
    *,
    width: float = WIDTH,
):
    """Marks one row each on one axis (in ``unit_label`` after dividing by ``divisor``); returns the figure.

    ``stems`` draws a thin line from zero to each mark (lengths compare); ``reference`` is (value, name)
    of a dashed vertical line (e.g. 100 % of a plan).
    """
    fig, (ax,) = new_figure(len(marks), title, lang, width=width, names=[m.label for m in marks])
    extents = []
    for m in marks:
        a, b = m.interval.to_floats(divisor)
        a = b if not math.isfinite(a) else a
        b = a if not math.isfinite(b) else b
        extents.append((a, b))
    if reference:
        extents.append((reference[0], reference[0]))
    log = log and all(a > 0 for a, _ in extents)  # a log axis only for positive values
    lim = limits(extents, log, zero, any(m.lower_bound for m in marks))
    plain_axis(ax, *lim, log, unit_label)
    for y, m in enumerate(marks):
        if stems:
            ax.hlines(y, lim[0] if log else 0, float(Fraction(m.value) / divisor), color="#999999", lw=1, zorder=1)
        draw_mark(ax, y, m, divisor, lim, log, lang=lang, percent=unit_label.strip() == "%")
        sources.record(fig, m.label, m, divisor, unit_label)
    if reference:
        ax.axvline(reference[0], color="#333333", ls="--", lw=1, zorder=1)
    row_axis(ax, [m.label for m in marks], lang)
    legend(
        fig,
        marks,
        lang,
        any(m.interval.is_bounded and not m.interval.is_point for m in marks),
        reference[1] if reference else None,
    )
    return fig


@with_small_variant
def pair_figure(
    lang: str,
    pairs: list[tuple[str, Mark, Mark]],
    title: str,
    unit_label: str,
    divisor=1,
    log: bool = False,
    names: tuple[str, str] = ("", ""),
    *,
    width: float = WIDTH,
):
    """Two marks per row (e.g. a year earlier and now) joined by a line; each value labelled on its outer side."""
    fig, (ax,) = new_figure(len(pairs), title, lang, width=width, names=[n for n, _, _ in pairs])
    marks = [m for _, a, b in pairs for m in (a, b)]
    extents = []
    for m in marks:
        a, b = m.interval.to_floats(divisor)
        extents.append((a if math.isfinite(a) else b, b if math.isfinite(b) else a))
    log = log and all(a > 0 for a, _ in extents)  # a log axis only for positive values
    lim = limits(extents, log, not log, any(m.lower_bound for m in marks))
    # room on the left for the left-hand labels
    lim = (lim[0] / 10 ** (0.3 * math.log10(lim[1] / lim[0])), lim[1]) if log else (lim[0], lim[1])
    plain_axis(ax, *lim, log, unit_label)
    for y, (_, first, second) in enumerate(pairs):
        v1, v2 = (float(Fraction(m.value) / divisor) for m in (first, second))
        ax.plot([v1, v2], [y, y], color="#999999", lw=1.2, zorder=1)
        left, right = (first, second) if v1 <= v2 else (second, first)
        draw_mark(ax, y, left, divisor, lim, log, side="left", lang=lang)
        draw_mark(ax, y, right, divisor, lim, log, side="right", lang=lang)
        for m in (first, second):
            sources.record(fig, pairs[y][0], m, divisor, unit_label)
    row_axis(ax, [n for n, _, _ in pairs], lang)
    legend(fig, marks, lang, any(m.interval.is_bounded and not m.interval.is_point for m in marks))
    return fig


@with_small_variant
def bar_figure(lang: str, marks: list[Mark], title: str, unit_label: str, *, width: float = WIDTH):
    """Counts as horizontal bars from zero on a linear axis (a bar's length is its value), each labelled with it.

    Bars of figures that are not exact are hatched, lower bounds carry their arrow.  Counts spanning decades
    are dots on a log axis instead (:func:`dot_figure`), never bars.  In the small variant each bar sits below
    its name.
    """
    fig, (ax,) = new_figure(len(marks), title, lang, width=width, names=[m.label for m in marks])
    lim = limits([(0.0, float(m.value)) for m in marks], False, True, any(m.lower_bound for m in marks))
    plain_axis(ax, *lim, False, unit_label)
    small = width < WIDTH
    shift, height = (0.14, 0.36) if small else (0.0, 0.55)  # small: below the name written above the row
    for y, m in enumerate(marks):
        sources.record(fig, m.label, m, 1, unit_label)
        colour = STYLE.get(m.kind, STYLE["exact"])[1]
        ax.barh(
            y + shift,
            float(m.value),
            height=height,
            color=colour,
            alpha=0.35 if m.derived else 0.8,
            edgecolor=colour,
            hatch="//" if m.kind != "exact" else None,
            zorder=2,
        )
        if m.lower_bound:
            draw_mark(ax, y + shift, m, 1, lim, False, lang=lang)
        else:
            ax.annotate(
                mark_text(m, 1),
                xy=(float(m.value), y + shift),
                xytext=(5, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=FONT_SIZE,
            )
    row_axis(ax, [m.label for m in marks], lang)
    legend(fig, marks, lang, False)
    return fig
