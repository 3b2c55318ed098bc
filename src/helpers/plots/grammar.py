"""The visual grammar every chart shares: marks for uncertain numbers, plain axes, fixed layout, SVG output.

A :class:`Mark` is one number a reader sees: an exact :class:`~helpers.intervals.Interval` in base
units, the kind of figure it is (its qualifier: exact, approx, estimate, more_than, at_most) and
whether it was printed or derived.  :func:`dot_figure` draws marks one row each, :func:`bar_figure`
draws counts; both use the same rules:

* the value is written at each mark (:func:`number_text`), the interval drawn as a band; where the
  band is narrower than :data:`NARROW` of the axis, its relative half-width ``±x%`` is written beside
  the value instead of being left invisible;
* a lower bound (超/余/突破) is an arrow pointing right from the bound, drawn inside the axes, labelled
  ``≥ value``; an upper bound an arrow pointing left;
* qualifiers have their own marker shape and colour, derived values are hollow, and the legend under
  the plot explains every kind present;
* tick labels are plain numbers in the axis unit (no offset, no scientific notation, log axes too),
  the unit and its magnitude in the axis label; long row names are wrapped into a fixed label column,
  so the plotting area has the same size in both languages;
* text from the data is text, never mathtext (``text.parse_math`` is off): ``$`` prints as ``$``.

:func:`render` turns a figure into a :class:`Chart`: SVG bytes (fixed hash salt, no date) plus alt
text and a caption; its notebook display is a ``<figure>`` with ``alt`` and ``<figcaption>`` and a
``text/plain`` equal to the alt text.
"""

from __future__ import annotations

import base64
import html
import io
import math
import textwrap
import warnings
from dataclasses import dataclass, field
from fractions import Fraction

from helpers import labels
from helpers.intervals import Interval

FONT = "Noto Sans CJK SC"  # Debian's fonts-noto-cjk
WIDTH = 8.0  # inches, every chart
DPI = 100  # the SVG's nominal size is WIDTH × DPI px; PNGs (tests) at this dpi
LABEL_COLUMN = 2.45  # inches kept for wrapped row names, left of the plot
RIGHT = 0.35  # inches right of the plot
TOP = 0.75  # inches for the title (two lines at most)
BOTTOM = 1.3  # inches for the tick labels, the axis label and the legend
ROW = 0.5  # inches per row of marks
MIN_PLOT = 1.6  # inches: the smallest plotting height
FONT_SIZE = 9.0  # points: tick and value labels
TITLE_SIZE = 11.0
WRAP = {"zh": 15, "en": 32}  # characters per line of a row name in the label column
MAX_LINES = 3
NARROW = 0.012  # a band narrower than this share of the axis is too thin to see: its ±x% is written instead
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
LEGEND_WORDS = {
    "zh": {"derived": "推算值（空心）", "interval": "区间（舍入所允许的范围）", "arrow": "下限：箭头指向未说明的上方",
           "reference": "参照线"},
    "en": {"derived": "derived (hollow)", "interval": "interval the rounding allows",
           "arrow": "lower bound: the arrow points to what is not said", "reference": "reference"},
}


class GlyphError(RuntimeError):
    """A chart label has characters the installed fonts cannot draw."""


@dataclass(frozen=True)
class Mark:
    """One number on a chart: its interval in base units, its kind, and whether it was printed or derived.

    ``places`` is the number of decimals to print at the chart's unit (None: four significant digits).
    """

    label: str
    interval: Interval
    kind: str = "exact"  # a qualifier: exact, approx, estimate, more_than, at_most
    derived: bool = False
    places: int | None = None
    requirement: bool = False  # an interval that must hold (e.g. [0, 100] for a share): a band, no marker

    @property
    def value(self) -> Fraction:
        """The number the mark stands at: the midpoint of a bounded interval, else its finite end."""
        i = self.interval
        if i.is_bounded:
            return i.midpoint
        return i.lo if i.lo is not None else i.hi

    @property
    def lower_bound(self) -> bool:
        return self.interval.is_bounded is False and self.interval.lo is not None

    @property
    def upper_bound(self) -> bool:
        return self.interval.is_bounded is False and self.interval.hi is not None

    def relative_half_width(self) -> Fraction | None:
        """Half the interval's width over its midpoint (a share, not percent); None for points and bounds."""
        i = self.interval
        if not i.is_bounded or i.is_point or i.midpoint == 0:
            return None
        return abs(i.width / 2 / i.midpoint)


@dataclass(frozen=True)
class Chart:
    """A rendered chart: SVG bytes, the alt text that stands for it, and a one-sentence caption."""

    svg: bytes
    alt: str
    caption: str
    png: bytes = field(default=b"", repr=False)  # the same picture as PNG at DPI (image comparisons, kernels)

    def html(self) -> str:
        """``<figure><img alt=… src="data:image/svg+xml;base64,…"><figcaption>…</figcaption></figure>``."""
        data = base64.b64encode(self.svg).decode("ascii")
        return (f'<figure class="helpers-chart" style="margin:0;max-width:{WIDTH * DPI:.0f}px">'
                f'<img style="width:100%;height:auto" alt="{html.escape(self.alt, quote=True)}" '
                f'src="data:image/svg+xml;base64,{data}">'
                f"<figcaption>{html.escape(self.caption)}</figcaption></figure>")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self.html(), "text/plain": self.alt}

    def __repr__(self) -> str:
        return self.alt


# ---- theme ---------------------------------------------------------------------------------


def pyplot():
    """matplotlib.pyplot with the project's theme: the CJK font, plain text (no mathtext), fixed SVG ids."""
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt
    import seaborn as sns
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    if FONT not in names:  # a font cache written before the font was installed: rebuild it once
        # (in place: the Agg backend holds a reference to the instance)
        font_manager.fontManager.__dict__.update(font_manager._load_fontmanager(try_read_cache=False).__dict__)
        names = {f.name for f in font_manager.fontManager.ttflist}
    if FONT not in names:
        raise GlyphError(f"font {FONT!r} is not installed; run: apt-get install fonts-noto-cjk")
    sns.set_theme(style="whitegrid", context="notebook",
                  rc={"font.family": "sans-serif", "font.sans-serif": [FONT, "DejaVu Sans"],
                      "axes.unicode_minus": False, "svg.hashsalt": "helpers", "svg.fonttype": "path",
                      "text.parse_math": False, "axes.formatter.useoffset": False,
                      "axes.titlesize": TITLE_SIZE, "axes.labelsize": FONT_SIZE,
                      "xtick.labelsize": FONT_SIZE, "ytick.labelsize": FONT_SIZE, "legend.fontsize": 8.5})
    return plt


def render(fig, alt: str, caption: str) -> Chart:
    """The figure as SVG (fixed ids, no date metadata) and PNG; missing-glyph warnings become :class:`GlyphError`."""
    plt = pyplot()
    if not alt.strip() or not caption.strip():
        raise ValueError("a chart needs alt text and a caption")
    buf = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        raster = io.BytesIO()
        fig.savefig(raster, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    glyphs = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    if glyphs:
        raise GlyphError("; ".join(sorted(set(glyphs))))
    return Chart(buf.getvalue(), alt, caption, raster.getvalue())


# ---- words and numbers ---------------------------------------------------------------------


def number_text(x: Fraction | float, places: int | None = None) -> str:
    """A number as the tables print it (thousands separators, half away from zero, typographic minus).

    ``places`` decimals; None gives four significant digits with trailing zeros dropped
    (``1.1302`` → ``1.13``, ``186.4`` → ``186.4``, ``2651.2`` → ``2,651``).
    """
    x = x if isinstance(x, Fraction) else Fraction(x).limit_denominator(10**9)
    if places is None:
        if x == 0:
            return "0"
        places = max(0, 3 - math.floor(math.log10(abs(x))))
        text = Interval.point(x).format(min(places, 6))
        return text.rstrip("0").rstrip(".") if "." in text else text
    return Interval.point(x).format(places)


def percent_text(share: Fraction) -> str:
    """A share as ``±x%`` with two significant digits: 0.000398 → ``±0.04%``."""
    p = share * 100
    places = max(0, 1 - math.floor(math.log10(abs(p)))) if p else 0
    return f"±{number_text(p, places)}%"


def mark_text(mark: Mark, divisor: Fraction | int) -> str:
    """The label at a mark: ``≥ 3,200`` for a lower bound, ``≤ x`` for an upper one, the value otherwise."""
    v = number_text(Fraction(mark.value) / divisor, mark.places)
    if mark.lower_bound:
        return f"≥ {v}" if mark.interval.lo_closed else f"> {v}"
    if mark.upper_bound:
        return f"≤ {v}" if mark.interval.hi_closed else f"< {v}"
    return v


def wrap(text: str, lang: str, width: int | None = None) -> str:
    """A row name wrapped into at most :data:`MAX_LINES` lines of the label column (an ellipsis if longer)."""
    width = width or WRAP[lang]
    if lang == "zh" and " " not in text.strip():
        lines = [text[i:i + width] for i in range(0, len(text), width)]
    else:
        lines = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][:max(1, width - 1)].rstrip() + "…"
    return "\n".join(lines)


def unit_suffix(unit: str) -> str:
    """A unit after a number: ``%`` joined, a magnitude in words as a factor (``× 100 million yuan``)."""
    if not unit or unit == "%":
        return unit
    return f" × {unit}" if unit[0].isdigit() else f" {unit}"


def interval_text(i: Interval, divisor=1) -> str:
    """An interval as :meth:`Interval.format` prints it, without decimals when its ends are whole numbers."""
    whole = all(e is None or (Fraction(e) / divisor).denominator == 1 for e in (i.lo, i.hi))
    return i.format(0 if whole else 2, divisor)


def kinds_words(marks: list[Mark], lang: str) -> str:
    """How many marks of each kind that is not exact, in words: ``1 lower bound, 2 approximate``."""
    names = labels.QUALIFIER_LABELS[lang]
    parts = []
    for kind in ("more_than", "at_most", "approx", "estimate"):
        n = sum(m.kind == kind for m in marks)
        if n:
            parts.append(f"{names[kind]}：{n}" if lang == "zh" else f"{n} {names[kind]}")
    n = sum(m.derived for m in marks)
    if n:
        parts.append(f"推算值：{n}" if lang == "zh" else f"{n} derived")
    return ("，" if lang == "zh" else ", ").join(parts)


def alt_text(title: str, marks: list[Mark], unit: str, divisor, lang: str, what: str) -> str:
    """Alt text from the data: the title, what is compared, the highest and the lowest mark, the kinds."""
    if not marks:
        return f"{title}: {labels.heading('not_reported', lang)}"
    hi = max(marks, key=lambda m: m.value)
    lo = min(marks, key=lambda m: m.value)
    u = unit_suffix(unit)
    kinds = kinds_words(marks, lang)
    if lang == "zh":
        text = (f"{title}。比较{len(marks)}项{what}。最高：{hi.label} {mark_text(hi, divisor)}{u}；"
                f"最低：{lo.label} {mark_text(lo, divisor)}{u}。")
        return text + (f"其中{kinds}。" if kinds else "")
    text = (f"{title}. Compares {len(marks)} {what}. Highest: {hi.label}, {mark_text(hi, divisor)}{u}; "
            f"lowest: {lo.label}, {mark_text(lo, divisor)}{u}.")
    return text + (f" Of these: {kinds}." if kinds else "")


# ---- layout and axes -----------------------------------------------------------------------


def new_figure(rows: int, title: str, lang: str, panels: int = 1, row: float = ROW, min_plot: float = MIN_PLOT):
    """A figure of fixed width whose height grows with the rows; returns (fig, [axes]) at fixed positions.

    The label column, the margins and the plot's width are the same in every chart and language,
    so long names can never squeeze the plotting area.
    """
    plt = pyplot()
    plot_h = max(min_plot, row * rows)
    gap = 1.0
    height = TOP + BOTTOM + plot_h * panels + gap * (panels - 1)
    fig = plt.figure(figsize=(WIDTH, height))
    axes = []
    for k in range(panels):
        bottom = BOTTOM + (panels - 1 - k) * (plot_h + gap)
        axes.append(fig.add_axes((LABEL_COLUMN / WIDTH, bottom / height, (WIDTH - LABEL_COLUMN - RIGHT) / WIDTH,
                                  plot_h / height)))
    fig.text(0.5 * LABEL_COLUMN / WIDTH, 1 - 0.12 / height, wrap(title, lang, 60 if lang == "zh" else 110),
             ha="left", va="top", fontsize=TITLE_SIZE, fontweight="bold", transform=fig.transFigure)
    return fig, axes


def _nice_ticks(lo: float, hi: float) -> tuple[list[float], int]:
    from matplotlib.ticker import MaxNLocator

    ticks = [t for t in MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi) if lo - 1e-12 <= t <= hi + 1e-12]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    places = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if step < 1 and round(step * 10**places) % 10 and places < 6:  # 0.25 steps need two decimals
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
        ticks, places = _nice_ticks(lo, hi)
        texts = [number_text(Fraction(t).limit_denominator(10**6), places) for t in ticks]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.set_xticks(ticks, texts)
    ax.set_xlabel(axis_label)


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
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    words = LEGEND_WORDS[lang]
    names = labels.QUALIFIER_LABELS[lang]
    handles = []
    for kind, (marker, colour) in STYLE.items():
        if any(m.kind == kind and not m.derived for m in marks):
            handles.append(Line2D([], [], ls="", marker=marker, color=colour, label=names[kind]))
    if any(m.derived for m in marks):
        handles.append(Line2D([], [], ls="", marker="o", markerfacecolor="white", color="#555555",
                              label=words["derived"]))
    if band:
        handles.append(Patch(color=BAND, alpha=0.3, label=words["interval"]))
    if any(m.lower_bound for m in marks):
        handles.append(Line2D([], [], color=STYLE["more_than"][1], marker=">", markevery=[1], label=words["arrow"]))
    if reference:
        handles.append(Line2D([], [], color="#333333", ls="--", lw=1, label=reference))
    if handles:
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.02, 0.02 / fig.get_figheight()),
                   ncol=min(3, len(handles)), frameon=False, handletextpad=0.4, columnspacing=1.2)


def draw_mark(ax, y: float, mark: Mark, divisor, lim: tuple[float, float], log: bool, side: str = "right",
              text: str | None = None) -> str:
    """One mark at row ``y``: band, marker, arrow for a bound, and its value label; returns the label text."""
    marker, colour = STYLE.get(mark.kind, STYLE["exact"])
    lo, hi = lim
    v = float(Fraction(mark.value) / divisor)
    label = text if text is not None else mark_text(mark, divisor)
    if mark.requirement:
        label = interval_text(mark.interval, divisor)
    end = v  # where the label starts
    if mark.interval.is_bounded and not mark.interval.is_point:
        a, b = (float(Fraction(e) / divisor) for e in (mark.interval.lo, mark.interval.hi))
        ax.hlines(y, a, b, color=BAND, lw=9, alpha=0.3, zorder=2)
        share = mark.relative_half_width()
        if _fraction_of_axis(a, b, lo, hi, log) < NARROW and share is not None and text is None \
                and not mark.requirement:
            label += f" ({percent_text(share)})"
        end = b if side == "right" else a
    if mark.lower_bound or mark.upper_bound:
        sign = 1 if mark.lower_bound else -1
        tip = v * 10 ** (sign * ARROW * math.log10(hi / lo)) if log else v + sign * ARROW * (hi - lo)
        ax.annotate("", xy=(tip, y), xytext=(v, y), zorder=3,
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.6, "mutation_scale": 12})
        below = side == "left"  # the left mark of a pair: its label below, ending at the mark
        ax.text(v, y + 0.24 if below else y - 0.22, label, ha="right" if below or sign < 0 else "left",
                va="top" if below else "bottom", fontsize=FONT_SIZE, color=colour, zorder=4)
    if mark.requirement:
        ax.annotate(label, xy=(end, y), xytext=(7, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=FONT_SIZE, color="#222222", zorder=4)
        return label
    face = "white" if mark.derived else colour
    ax.plot([v], [y], ls="", marker=marker, markersize=7.5, markerfacecolor=face, markeredgecolor=colour,
            markeredgewidth=1.6, zorder=5)
    if not (mark.lower_bound or mark.upper_bound):
        ax.annotate(label, xy=(end, y), xytext=(7 if side == "right" else -7, 0), textcoords="offset points",
                    ha="left" if side == "right" else "right", va="center", fontsize=FONT_SIZE, color="#222222",
                    zorder=4)
    return label


def row_axis(ax, names: list[str], lang: str) -> None:
    """Rows top to bottom, names wrapped in the label column."""
    ax.set_yticks(range(len(names)), [wrap(n, lang) for n in names])
    ax.set_ylim(len(names) - 0.5, -0.6)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)


def dot_figure(lang: str, marks: list[Mark], title: str, unit_label: str, divisor=1, log: bool = False,
               zero: bool = True, stems: bool = False, reference: tuple[float, str] | None = None):
    """Marks one row each on one axis (in ``unit_label`` after dividing by ``divisor``); returns the figure.

    ``stems`` draws a thin line from zero to each mark (lengths compare); ``reference`` is (value, name)
    of a dashed vertical line (e.g. 100 % of a plan).
    """
    fig, (ax,) = new_figure(len(marks), title, lang)
    extents = []
    for m in marks:
        a, b = m.interval.to_floats(divisor)
        a = b if not math.isfinite(a) else a
        b = a if not math.isfinite(b) else b
        extents.append((a, b))
    if reference:
        extents.append((reference[0], reference[0]))
    lim = limits(extents, log, zero, any(m.lower_bound for m in marks))
    plain_axis(ax, *lim, log, unit_label)
    for y, m in enumerate(marks):
        if stems:
            ax.hlines(y, lim[0] if log else 0, float(Fraction(m.value) / divisor), color="#999999", lw=1, zorder=1)
        draw_mark(ax, y, m, divisor, lim, log)
    if reference:
        ax.axvline(reference[0], color="#333333", ls="--", lw=1, zorder=1)
    row_axis(ax, [m.label for m in marks], lang)
    legend(fig, marks, lang, any(m.interval.is_bounded and not m.interval.is_point for m in marks),
           reference[1] if reference else None)
    return fig


def pair_figure(lang: str, pairs: list[tuple[str, Mark, Mark]], title: str, unit_label: str, divisor=1,
                log: bool = False, names: tuple[str, str] = ("", "")):
    """Two marks per row (e.g. a year earlier and now) joined by a line; each value labelled on its outer side."""
    fig, (ax,) = new_figure(len(pairs), title, lang)
    marks = [m for _, a, b in pairs for m in (a, b)]
    extents = []
    for m in marks:
        a, b = m.interval.to_floats(divisor)
        extents.append((a if math.isfinite(a) else b, b if math.isfinite(b) else a))
    lim = limits(extents, log, not log, any(m.lower_bound for m in marks))
    # room on the left for the left-hand labels
    lim = (lim[0] / 10 ** (0.3 * math.log10(lim[1] / lim[0])), lim[1]) if log else (lim[0], lim[1])
    plain_axis(ax, *lim, log, unit_label)
    for y, (_, first, second) in enumerate(pairs):
        v1, v2 = (float(Fraction(m.value) / divisor) for m in (first, second))
        ax.plot([v1, v2], [y, y], color="#999999", lw=1.2, zorder=1)
        left, right = (first, second) if v1 <= v2 else (second, first)
        draw_mark(ax, y, left, divisor, lim, log, side="left")
        draw_mark(ax, y, right, divisor, lim, log, side="right")
    row_axis(ax, [n for n, _, _ in pairs], lang)
    legend(fig, marks, lang, any(m.interval.is_bounded and not m.interval.is_point for m in marks))
    return fig


def bar_figure(lang: str, marks: list[Mark], title: str, unit_label: str, log: bool = False):
    """Counts as horizontal bars from zero (log: from the axis' left end), each labelled with its value.

    Bars of figures that are not exact are hatched, lower bounds carry their arrow.
    """
    fig, (ax,) = new_figure(len(marks), title, lang)
    values = [float(m.value) for m in marks]
    lim = limits([(min(values) if log else 0.0, v) for v in values], log, not log, any(m.lower_bound for m in marks))
    plain_axis(ax, *lim, log, unit_label)
    for y, m in enumerate(marks):
        colour = STYLE.get(m.kind, STYLE["exact"])[1]
        left = lim[0] if log else 0.0
        ax.barh(y, float(m.value) - left, left=left, height=0.55, color=colour, alpha=0.35 if m.derived else 0.8,
                edgecolor=colour, hatch="//" if m.kind != "exact" else None, zorder=2)
        if m.lower_bound:
            draw_mark(ax, y, m, 1, lim, log)
        else:
            ax.annotate(mark_text(m, 1), xy=(float(m.value), y), xytext=(5, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=FONT_SIZE)
    row_axis(ax, [m.label for m in marks], lang)
    legend(fig, marks, lang, False)
    return fig


def panel_figure(lang: str, panels: list[dict], title: str):
    """Small multiples, one check each: rows "recomputed" and "printed/required", each zoomed to its own range.

    A panel is a dict with ``name``, ``marks`` (two :class:`Mark`), ``unit_label``, ``bad`` (drawn in red)
    and ``note`` (its verdict).
    """
    fig, axes = new_figure(2, title, lang, panels=len(panels), row=0.45, min_plot=0.9)
    for ax, p in zip(axes, panels):
        marks = p["marks"]
        extents = []
        for m in marks:
            a, b = m.interval.to_floats()
            extents.append((a if math.isfinite(a) else b, b if math.isfinite(b) else a))
        lim = limits(extents, False, False, any(m.lower_bound for m in marks))
        plain_axis(ax, *lim, False, p["unit_label"])
        for y, m in enumerate(marks):
            draw_mark(ax, y, m, 1, lim, False)
        row_axis(ax, [m.label for m in marks], lang)
        colour = STYLE["more_than"][1] if p["bad"] else "#222222"
        ax.set_title(wrap(f"{p['name']}: {p['note']}", lang, 40 if lang == "zh" else 80), fontsize=FONT_SIZE + 0.5,
                     loc="left", color=colour, fontweight="bold" if p["bad"] else "normal")
        if p["bad"]:
            for spine in ax.spines.values():
                spine.set_edgecolor(colour)
                spine.set_linewidth(1.5)
    legend(fig, [m for p in panels for m in p["marks"]], lang, True)
    return fig
