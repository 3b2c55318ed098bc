"""The visual grammar every chart shares: marks for uncertain numbers, their words, the theme and the SVG output.

A :class:`Mark` is one number a reader sees: an exact :class:`~helpers.core.intervals.Interval` in base
units, the kind of figure it is (its qualifier: exact, approx, estimate, more_than, at_most) and
whether it was printed or derived.  The layouts in :mod:`helpers.reader.plots.layout` draw marks by the same
rules:

* the value is written at each mark (:func:`number_text`), the interval drawn as a band; where the
  band is narrower than :data:`NARROW` of the axis, its half-width in the axis unit (``±0.05 pp`` on a
  percentage, never a relative ±) is written beside the value instead of being left invisible;
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

import functools
import io
import math
import re
import string
import textwrap
import warnings
from dataclasses import dataclass, field
from fractions import Fraction

from helpers.core.intervals import Interval, format_number
from helpers.reader import amounts, escape, labels, words
from helpers.reader.plots import textcache

FONT = "Noto Sans CJK SC"  # Debian's fonts-noto-cjk
WIDTH = 8.0  # inches, every chart
DPI = 100  # the SVG's nominal size is WIDTH × DPI px; PNGs (tests) at this dpi
FONT_SIZE = 9.0  # points: tick and value labels
TITLE_SIZE = 11.0
WRAP = {"zh": 15, "en": 32}  # characters per line of a row name in the label column
TITLE_WRAP = {"zh": 60, "en": 110}  # characters per line of a chart's title
PANEL_WRAP = {"zh": 40, "en": 80}  # characters per line of a check panel's title
MAX_LINES = 3
SMALL_SCREEN = 720  # px: a screen narrower than this gets a chart's small variant


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
    printed: tuple = ()  # sources.Printed: the figures it draws, or those a derived value is computed from
    relation: str = ""  # a derived value's relation id

    @property
    def value(self) -> Fraction:
        """The number the mark stands at: the midpoint of a bounded interval, else its finite end."""
        i = self.interval
        value = i.midpoint if i.is_bounded else (i.lo if i.lo is not None else i.hi)
        if value is None:
            raise ValueError(f"mark {self.label!r}: an interval without a finite end has no place on an axis")
        return value

    @property
    def lower_bound(self) -> bool:
        return self.interval.is_bounded is False and self.interval.lo is not None

    @property
    def upper_bound(self) -> bool:
        return self.interval.is_bounded is False and self.interval.hi is not None

    def half_width(self) -> Fraction | None:
        """Half the interval's width in base units; None for points and bounds."""
        i = self.interval
        return None if i.width is None or i.is_point else i.width / 2


@dataclass(frozen=True)
class Chart:
    """A rendered chart: SVG bytes, the alt text that stands for it, and a one-sentence caption."""

    svg: bytes
    alt: str
    caption: str
    png: bytes = field(default=b"", repr=False)  # the same picture as PNG at DPI, only when asked (render's raster)
    small_svg: bytes = field(default=b"", repr=False)  # the small variant, drawn for a phone's column
    source: str = ""  # the line naming the figures drawn and where they were printed (sources.source_line)
    data: bytes = field(default=b"", repr=False)  # the CSV of exactly what is drawn (sources.csv_bytes)
    data_name: str = ""  # the file name the CSV downloads under
    lang: str = ""

    def html(self) -> str:
        """``<figure><picture><source media=… srcset=…><img alt=… src=…></picture><figcaption>…</figcaption>
        </figure>``: the chart scaled to its column (never wider), the small variant where the screen is narrower
        than :data:`SMALL_SCREEN` px; both as ``data:image/svg+xml`` URIs.  The caption ends with the source line
        and the link to the chart's CSV (a ``data:`` URI with ``download``: :mod:`helpers.reader.plots.sources`)."""
        from helpers.reader.plots import sources

        small = ""
        if self.small_svg:
            small = f'<source media="(max-width: {SMALL_SCREEN - 0.02}px)" srcset="{data_uri(self.small_svg)}">'
        return (
            f'<figure class="helpers-chart" style="margin:0;max-width:{WIDTH * DPI:.0f}px">'
            f"<picture>{small}"
            f'<img style="width:100%;height:auto" '
            f'alt="{escape.text(self.alt, "attribute")}" '
            f'src="{data_uri(self.svg)}"></picture>'
            f"<figcaption>{escape.text(self.caption, 'html')}"
            f"{sources.html(self.source, self.data, self.data_name, self.lang)}</figcaption></figure>"
        )

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

    _font_installed()
    textcache.install()
    sns.set_theme(
        style="whitegrid",
        context="notebook",
        rc={
            "font.family": "sans-serif",
            "font.sans-serif": [FONT, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.hashsalt": "helpers",
            "svg.fonttype": "path",
            "text.parse_math": False,
            "axes.formatter.useoffset": False,
            "axes.titlesize": TITLE_SIZE,
            "axes.labelsize": FONT_SIZE,
            "xtick.labelsize": FONT_SIZE,
            "ytick.labelsize": FONT_SIZE,
            "legend.fontsize": 8.5,
        },
    )
    return plt


def _font_installed() -> None:
    """:data:`FONT` is among matplotlib's fonts (its font cache rebuilt once if it was written before the font was
    installed), or :class:`GlyphError` says how to install it.  Needs matplotlib's font manager only, not pyplot."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    if FONT not in names:  # a font cache written before the font was installed: rebuild it once
        # (in place: the Agg backend holds a reference to the instance)
        rebuilt = font_manager._load_fontmanager(try_read_cache=False)  # type: ignore[attr-defined]  # private
        font_manager.fontManager.__dict__.update(rebuilt.__dict__)
        names = {f.name for f in font_manager.fontManager.ttflist}
    if FONT not in names:
        raise GlyphError(f"font {FONT!r} is not installed; run: apt-get install fonts-noto-cjk")


@functools.lru_cache(maxsize=1)
def _font():
    """The charts' font (:data:`FONT`) as FreeType opened it (for :func:`missing_glyphs`, which ``validate`` and a
    run call before any chart is drawn: without pyplot and the theme)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    _font_installed()
    return FT2Font(font_manager.findfont(font_manager.FontProperties(family=FONT), fallback_to_default=False))


@functools.lru_cache(maxsize=65536)
def _has_glyph(code: int) -> bool:
    return _font().get_char_index(code) != 0


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` the charts' font (:data:`FONT`) cannot draw, each once, in order
    (checked before a run, so that a name in a script the font lacks is named by ``validate``); each character is
    looked up in the font's character map (index 0 is FreeType's "no glyph"), not the whole map read."""
    return list(dict.fromkeys(c for c in text if not c.isspace() and not _has_glyph(ord(c))))


def render(fig, alt: str, caption: str, title: str = "", *, raster: bool = False) -> Chart:
    """The figure as SVG (fixed ids, no date metadata), its small variant when it has one, and with ``raster`` also
    as PNG (for image comparisons: the pages and notebooks show only the SVGs, so a notebook does not pay for a
    picture nobody sees); missing-glyph warnings become :class:`GlyphError`.  Each figure's saved area
    (:func:`saved_area`) is measured once and used for every format.

    The marks the layouts recorded become the chart's source line and CSV (:mod:`helpers.reader.plots.sources`),
    offered under ``title`` (else the figure's title)."""
    from helpers.reader.plots import sources

    plt = pyplot()
    if not alt.strip() or not caption.strip():
        raise ValueError("a chart needs alt text and a caption")
    small = fig.__dict__.get("helpers_small")
    source, data, lang = sources.source_line(fig), sources.csv_bytes(fig), sources.lang_of(fig)
    name = sources.file_name(title or sources.title_of(fig))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        area = saved_area(fig)
        svg = _saved(fig, "svg", area)
        png = _saved(fig, "png", area) if raster else b""
        small_svg = _saved(small, "svg", saved_area(small)) if small is not None else b""
    plt.close(fig)
    if small is not None:
        plt.close(small)
    glyphs = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    if glyphs:
        raise GlyphError("; ".join(sorted(set(glyphs))))
    return Chart(svg, alt, caption, png, small_svg, source, data, name if data else "", lang)


def saved_area(fig, pad: float = 0.06):
    """The figure's area, grown (never shrunk) to hold every artist with ``pad`` inches around: the ``bbox_inches``
    that saves a chart with no label, legend or title cut."""
    from matplotlib.transforms import Bbox

    width, height = fig.get_figwidth(), fig.get_figheight()
    drawn = fig.get_tightbbox(fig.canvas.get_renderer())
    return Bbox.from_extents(
        min(0.0, drawn.x0 - pad), min(0.0, drawn.y0 - pad), max(width, drawn.x1 + pad), max(height, drawn.y1 + pad)
    )


def _saved(fig, form: str, area) -> bytes:
    """The figure as SVG (no date, no creator; :func:`compact_svg`) or PNG at :data:`DPI`, within ``area``
    (inches)."""
    buf = io.BytesIO()
    if form == "svg":
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=area)
        return compact_svg(buf.getvalue())
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches=area)
    return buf.getvalue()


def _number(x: float, places: int = 2) -> str:
    text = f"{x:.{places}f}".rstrip("0").rstrip(".") if places else f"{x:.0f}"
    return "0" if text in ("-0", "") else text


def _relative(d: str, places: int = 2, shrink: float = 1.0) -> str:
    """Path data of ``M``, ``L``, ``Q``, ``C`` and ``z`` commands divided by ``shrink``, rounded to ``places``
    decimals and rewritten with relative coordinates (``l``, ``q``, ``c``; the first ``M`` absolute, later ones
    ``m``), without spaces: the same outline in fewer characters (a glyph's neighbouring points are close).
    The ends are rounded before they are differenced, so rounding never accumulates along a path."""
    out, x, y, start = [], 0.0, 0.0, (0.0, 0.0)
    for command, args in re.findall(r"([MLQCZz])([^MLQCZz]*)", d):
        values = [round(float(v) / shrink, places) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", args)]
        if command in "Zz":
            out.append("z")
            x, y = start
            continue
        pairs = [(values[k] - x, values[k + 1] - y) for k in range(0, len(values), 2)]
        if command == "M" and not out:
            pairs[0] = (values[0], values[1])
        x, y = values[-2], values[-1]
        if command == "M":
            start = (x, y)
        text = ",".join(f"{_number(a, places)},{_number(b, places)}" for a, b in pairs)
        out.append(command.lower() + text.replace(",-", "-"))
    return "".join(out)


def _path_data(match: re.Match) -> str:
    """A path's ``d`` with coordinates to 0.01 pt (far below a pixel at any zoom a reader uses), relative where it
    has only straight and curved segments, and no spaces: ``M 12.345678 3 L 4 5`` → ``M12.35,3l-8.35,2``."""
    return _compact_d(match.group(1))


@functools.lru_cache(maxsize=8192)
def _compact_d(d: str) -> str:
    """:func:`_path_data` for one ``d``; remembered, since charts repeat the same markers, ticks and frames (the zh
    notebooks: 4,990 paths, 1,131 different ones)."""
    if re.fullmatch(r"[MLQCZz\s\d.,e-]*", d) and d.strip():
        return ' d="' + _relative(d) + '"'
    numbers = re.sub(r"-?\d+\.\d+", lambda n: _number(float(n.group())), d)
    numbers = re.sub(r"\s*([A-Za-z])\s*", r"\1", numbers.strip())
    return ' d="' + re.sub(r"\s+", ",", numbers) + '"'


GLYPH_SHRINK = 64  # a glyph's outline (in 1/64 of matplotlib's font units) kept to whole units: about 1/100 em


def _glyph(match: re.Match) -> str:
    """A glyph's outline at :data:`GLYPH_SHRINK` times fewer units, in whole units, its ``scale`` made as many
    times larger: the same glyph within 1/200 of an em (under 0.1 px at the charts' 9-11 pt)."""
    return _glyph_path(*match.groups())


@functools.lru_cache(maxsize=8192)
def _glyph_path(gid: str, d: str, scale: str) -> str:
    """:func:`_glyph` for one glyph definition; remembered, since every chart defines the same characters again
    (a pure function of its three strings)."""
    size = float(scale) * GLYPH_SHRINK
    return f'<path id="{gid}" d="{_relative(d, 0, GLYPH_SHRINK)}" transform="scale({_number(size, 6)})"/>'


@functools.lru_cache(maxsize=8192)
def _tight(value: str) -> str:
    """A style or transform without the spaces it does not need: ``fill: #fff; stroke: none`` →
    ``fill:#fff;stroke:none``, ``translate(1 2) scale(3)`` → ``translate(1,2)scale(3)``."""
    value = re.sub(r"\s*([:;])\s*", r"\1", value.strip())
    value = re.sub(r"\)\s+", ")", value)
    return re.sub(r"(?<=[\d.])\s+(?=-?[\d.])", ",", value)


#: Glyph ids as matplotlib writes them (in a definition's ``id="…"`` and a use's ``#…``) and as the charts keep them.
_GLYPH_IDS = {"NotoSansCJKsc-Regular-": "r-", "NotoSansCJKsc-Bold-": "b-", "DejaVuSans-": "v-"}


def _short_ids(text: str) -> str:
    """Glyph ids shortened (:data:`_GLYPH_IDS`) and SVG 2's ``href`` for ``xlink:href``."""
    for long, short in _GLYPH_IDS.items():
        text = text.replace(f'id="{long}', f'id="{short}').replace(f"#{long}", f"#{short}")
    return text.replace("xlink:href=", "href=").replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")


def compact_svg(svg: bytes) -> bytes:
    """matplotlib's SVG without what a browser does not draw (the XML prolog and doctype, metadata, comments,
    indentation, ids of groups), with path data written compactly (:func:`_path_data`, glyphs by :func:`_glyph`),
    glyph ids shortened (``#r-4e2d`` for ``#NotoSansCJKsc-Regular-4e2d``), SVG 2's ``href`` for ``xlink:href``
    and styles and transforms without spaces (:func:`_tight`): the same picture in about half the bytes.
    Fixed strings are replaced as strings (:func:`_short_ids`), not by patterns."""
    text = svg.decode("utf-8")
    text = re.sub(r"<\?xml[^>]*>|<!DOCTYPE[^>]*>|<metadata>.*?</metadata>|<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r'<path id="([^"]+)" d="([MLQCZz\s\d.,e-]*)" transform="scale\(([\d.]+)\)"/>', _glyph, text)
    text = re.sub(r' d="([^"]*)"', _path_data, text)
    text = _short_ids(text)
    text = re.sub(r'<g id="[^"]*"', "<g", text)  # groups' ids: never referenced
    text = re.sub(r'(style|transform)="([^"]*)"', lambda m: f'{m.group(1)}="{_tight(m.group(2))}"', text)
    text = re.sub(r">\s+<", "><", text).strip()
    return text.encode("utf-8")


#: Characters a ``data:`` URI of an SVG keeps as they are inside a double-quoted attribute and a ``srcset`` (which
#: ends a URL at white space): every other one is percent-encoded.
URI_SAFE = "/:;=,.-_!*+?@&$~()[]"


#: The bytes ``urllib.parse.quote(…, safe=URI_SAFE)`` keeps: letters, digits, ``_.-~`` and :data:`URI_SAFE`.
_URI_KEPT = (string.ascii_letters + string.digits + "_.-~" + URI_SAFE).encode()


def data_uri(svg: bytes) -> str:
    """``data:image/svg+xml,…``: the SVG percent-encoded, then its double quotes (``%22``) written as single ones (its
    own single quotes stay ``%27``), so that the URI is about a tenth longer than the SVG (base64: a third).

    The encoding is ``urllib.parse.quote``'s, character for character; an SVG of ASCII only (matplotlib's, whose
    text is drawn as outlines) holds a handful of kinds of character to encode (space, quotes, ``<>#{}``), so each
    kind is replaced throughout in one pass (about five times faster than ``quote``, which looks up
    every byte; each notebook encodes every chart it shows)."""
    text = svg.decode("utf-8")
    unsafe = set(svg.translate(None, _URI_KEPT))
    if max(unsafe, default=0) > 0x7F:
        from urllib.parse import quote

        return "data:image/svg+xml," + quote(text, safe=URI_SAFE).replace("%22", "'")
    # "%" first (the escapes made after it keep their own "%"), '"' last (the "'" it becomes stays one)
    for byte in sorted(unsafe, key=lambda b: (b != ord("%"), b == ord('"'))):
        text = text.replace(chr(byte), "'" if byte == ord('"') else f"%{byte:02X}")
    return "data:image/svg+xml," + text


# ---- words and numbers ---------------------------------------------------------------------


def number_text(x: Fraction | float, places: int | None = None, way: int = 0) -> str:
    """A number as the tables print it (thousands separators, typographic minus), rounded half away from zero, or
    down (``way`` −1, a lower bound) or up (+1, an upper bound).

    ``places`` decimals; None gives four significant digits with trailing zeros dropped
    (``1.1302`` → ``1.13``, ``186.4`` → ``186.4``, ``2651.2`` → ``2,651``).
    """
    x = x if isinstance(x, Fraction) else Fraction(x).limit_denominator(10**9)
    if places is None:
        if x == 0:
            return "0"
        places = max(0, 3 - math.floor(math.log10(abs(x))))
        text = format_number(x, min(places, 6), way)
        return text.rstrip("0").rstrip(".") if "." in text else text
    return format_number(x, places, way)


def half_width_label(mark: Mark, divisor: Fraction | int, lang: str, percent: bool) -> str:
    """The half-width written beside a mark whose band is too thin to see, in the axis unit: ``±0.05 pp``."""
    return amounts.half_width_text(mark.interval, "percent" if percent else "", lang, divisor)


def mark_text(mark: Mark, divisor: Fraction | int) -> str:
    """The label at a mark: ``≥ 3,200`` for a lower bound (rounded down), ``≤ x`` for an upper one (rounded up), the
    value otherwise."""
    if mark.lower_bound:
        v = number_text(Fraction(mark.value) / divisor, mark.places, -1)
        return f"≥ {v}" if mark.interval.lo_closed else f"> {v}"
    if mark.upper_bound:
        v = number_text(Fraction(mark.value) / divisor, mark.places, 1)
        return f"≤ {v}" if mark.interval.hi_closed else f"< {v}"
    return number_text(Fraction(mark.value) / divisor, mark.places)


def value_text(mark: Mark, divisor: Fraction | int, lang: str) -> str:
    """A mark's value in words (captions, alt text): as printed, or for a derived value its whole interval as a
    range (``96.03–96.22``), never a midpoint that no input supports."""
    i = mark.interval
    if mark.derived and i.is_bounded and not i.is_point:
        return amounts.range_text(i, lang, divisor)
    return mark_text(mark, divisor)


def wrap(text: str, lang: str, width: int | None = None, max_lines: int | None = MAX_LINES) -> str:
    """A row name wrapped into at most ``max_lines`` lines of the label column (an ellipsis if longer; None: as many
    lines as it needs, as the small variant of a chart writes names above their rows)."""
    width = width or WRAP[lang]
    if lang == "zh" and " " not in text.strip():  # Chinese breaks between any two characters, not at spaces
        lines = [text[i : i + width] for i in range(0, len(text), width)]
    else:
        lines = textwrap.wrap(text, width, break_long_words=True) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, width - 1)].rstrip() + "…"
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
            parts.append(words.say("grammar.kind_count", lang, kind=names[kind], n=n))
    n = sum(m.derived for m in marks)
    if n:
        parts.append(words.say("grammar.derived_count", lang, n=n))
    return words.say("punct.comma", lang).join(parts)


def alt_text(title: str, marks: list[Mark], unit: str | dict[str, str], divisor, lang: str, what: str) -> str:
    """Alt text from the data: the title, what is compared, the highest and the lowest mark, the kinds.

    ``unit`` is one unit for every mark, or a unit for each mark's label.
    """
    if not marks:
        return f"{title}: {labels.heading('not_reported', lang)}"
    hi = max(marks, key=lambda m: m.value)
    lo = min(marks, key=lambda m: m.value)
    u = {m.label: unit_suffix(unit.get(m.label, "") if isinstance(unit, dict) else unit) for m in marks}
    kinds = kinds_words(marks, lang)
    text = words.say(
        "grammar.alt",
        lang,
        title=title,
        n=len(marks),
        what=what,
        hi=hi.label,
        hv=f"{value_text(hi, divisor, lang)}{u[hi.label]}",
        lo=lo.label,
        lv=f"{value_text(lo, divisor, lang)}{u[lo.label]}",
    )
    return text + (words.say("grammar.alt_kinds", lang, kinds=kinds) if kinds else "")
