"""The reading state the scanner's parts share, and the rows it produces.

:class:`Reading` is one pass's state: the text, the draft's rows so far, and the reading unit at hand (its folded
text ``s``, where its pieces lie in the text, the period scope, the last figure).  The parts of the scanner are
plain functions over it: ``tokens`` (a number and what is printed around it), ``unitscan`` (units), ``scope``
(periods, 预计) and ``numerals`` (Chinese numerals); this module holds what they all use: offsets back into the
text, the clause before a position, and adding a figure or a non-figure.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from helpers.drafting.extract import lexicon as lx
from helpers.drafting.extract.guesses import measure, ratio_part, topic, trim_indicator
from helpers.drafting.extract.rows import DraftColumns, DraftRow, NonFigure, new_row
from helpers.drafting.extract.rows import base as base_of

#: Characters read before a number for its clause (qualifier, cues, indicator words).
WINDOW = 40
#: Breaks that end a clause (、 enumerates inside a clause); and with 、 (for indicator words).
CLAUSE_BREAK = re.compile(r"[，。；：！？,;:!?\n]")
_search_break = CLAUSE_BREAK.search
_COMMAS = frozenset("，,：:")
_RATIO_COLONS = frozenset(":：∶")
_SPACES = " \t\r\u3000\xa0"
_NOUN_STOPS = re.compile(
    r"[，。；：！？,;:!?、\n0-9０-９等的和及与在]|全部|均|已|被|实现|完成|加快|加速|建设|实施|设立|落地|竣工|投入|入选|获评|位列"
)
DIGIT_CHARS = frozenset("0123456789０１２３４５６７８９")
URL = re.compile(r"(?:https?://|www\.)[!-~]+")


@dataclass
class Scope:
    """The period and estimate in force at the scanner's position in a reading unit."""

    period: str = ""
    period_used: bool = False
    estimate: bool = False
    estimate_used: bool = False
    year: int = 0
    checked: int = 0  # reading offset up to which sentence ends have been looked for
    marker_rows: list[NonFigure] | None = None  # non-figure rows of the current period marker (awaiting a figure)


class Reading:
    """One pass over a text: its rows (``figures``, ``non_figures``) and the state of the reading unit at hand."""

    def __init__(self, text: str, year: int, chinese_numerals: bool, keep_non_figures: bool = True) -> None:
        self.text = text
        self.traditional = lx.needs_fold(text)  # else no reading unit needs folding
        self.keep_non_figures = keep_non_figures
        self.year = year
        self.chinese_numerals = chinese_numerals
        self.figures = DraftColumns()
        self.non_figures: list[NonFigure] = []
        # the reading unit at hand (set by start_unit)
        self.s = ""  # its text, joined and folded to simplified characters
        self.n = 0
        self.rs = ""  # reversed, for the clause start: a forward search from a figure back to its clause's break
        self.has_slash = False  # whether a compound unit (元/平方米) may be printed in it
        self.pieces: list[tuple[int, int]] = []
        self.cum: list[int] | None = None  # each piece's offset in ``s`` (None: one piece, at ``base``)
        self.base = 0
        self.section = 0
        self.topic: str | None = None  # computed with the unit's first figure
        self.scope = Scope(year=year)
        self.last_fig = -1  # char_start of the last figure
        self.last_fig_end = 0
        self.last_qualifier = "exact"
        self.pending: list[NonFigure] = []  # non-figures waiting for a figure in their clause
        self.last_marker_end = -1
        self.last_month: tuple[int, int] | None = None  # (end, month) of the last month marker
        self.last_unit_end = -1
        self.urls: list[tuple[int, int]] = []
        self.url_i = 0

    def start_unit(self, pieces: list[tuple[int, int]], section: int) -> None:
        """Begin a reading unit made of the text's ``pieces`` (joined), in section ``section``."""
        text = self.text
        if len(pieces) == 1:
            base = pieces[0][0]
            s = text[pieces[0][0] : pieces[0][1]]
            offsets = None
        else:
            s = "".join(text[a:b] for a, b in pieces)
            offsets = []
            cum = 0
            for a, b in pieces:
                offsets.append(cum)
                cum += b - a
            base = 0
        if self.traditional:
            s = lx.fold(s)  # traditional characters read as simplified; same length, so offsets hold
        self.s = s
        self.n = len(s)
        self.rs = s[::-1]
        self.has_slash = "/" in s
        self.pieces = pieces
        self.cum = offsets
        self.base = base
        self.section = section
        self.topic = None
        self.scope = Scope(year=self.year)
        self.last_fig = -1
        self.last_fig_end = 0
        self.last_qualifier = "exact"
        self.pending = []
        self.last_marker_end = -1
        self.last_month = None
        self.last_unit_end = -1
        self.urls = [m.span() for m in URL.finditer(s)] if ("http" in s or "www." in s) else []
        self.url_i = 0


def strip_before_qualifier(r: Reading, a: int) -> int:
    """Position before a qualifier word printed right before ``a`` (or ``a``)."""
    s = r.s
    for word, _ in lx.BEFORE_BY_LAST.get(s[a - 1], ()) if a else ():
        if a >= len(word) and s.startswith(word, a - len(word)):
            return a - len(word)
    return a


def orig(r: Reading, pos: int) -> int:
    """The offset in the text of offset ``pos`` of the reading unit."""
    if r.cum is None:
        return r.base + pos
    i = bisect.bisect_right(r.cum, pos) - 1
    return r.pieces[i][0] + (pos - r.cum[i])


def orig_end(r: Reading, end: int) -> int:
    """The offset in the text of the end ``end`` of a span of the reading unit."""
    return orig(r, end - 1) + 1 if end > 0 else orig(r, 0)


# -- context ---------------------------------------------------------------------------------


def clause_start_at(r: Reading, a: int) -> tuple[int, str]:
    """Where the clause before ``a`` starts (after the last of ，。；： …, at most WINDOW characters back) and
    the break that opened it ("" when the clause is cut at WINDOW or starts the unit)."""
    # searched forwards in the reversed unit (s[i] is rs[n - 1 - i]): from just before ``a`` backwards, one
    # more back than WINDOW for opened_by
    n = r.n
    m = _search_break(r.rs, n - a, n - a + WINDOW + 1 if a > WINDOW else n)
    if m is not None:
        i = n - 1 - m.start()
        return i + 1, r.s[i]
    return (a - WINDOW if a > WINDOW else 0), ""


def clause_before(r: Reading, a: int) -> str:
    """The clause before ``a`` (see :func:`clause_start_at`)."""
    return r.s[clause_start_at(r, a)[0] : a]


# -- rows ------------------------------------------------------------------------------------


def add_non_figure(r: Reading, a: int, end: int, reason: str, marker: bool = False) -> int:
    if not r.keep_non_figures:
        return end  # extract_text: non-figures are not kept, so they cost no memory
    cs, ce = orig(r, a), orig_end(r, end)
    nf = NonFigure(r.text[cs:ce], reason, cs, ce)
    r.non_figures.append(nf)
    if marker:
        if r.scope.marker_rows is not None:
            r.scope.marker_rows.append(nf)
        else:
            r.scope.marker_rows = [nf]
    elif reason in ("name", "award_year"):
        # it belongs to the figure of its clause: the one before it, or the next one (bounded windows)
        lf = r.last_fig_end
        if r.last_fig >= 0 and a - lf <= WINDOW and not CLAUSE_BREAK.search(r.s, lf, a):
            nf.figure = r.last_fig
        else:
            nf.clause_end = end
            if r.pending and r.pending[0].clause_end < a - WINDOW:
                r.pending = [w for w in r.pending if w.clause_end >= a - WINDOW]
            r.pending.append(nf)
    return end


def add_figure(
    r: Reading, a: int, end: int, value: str, value_high: str, unit_zh: str, qualifier: str, unit_end: int
) -> None:
    s = r.s
    sc = r.scope
    start, opened_by = clause_start_at(r, a)
    clause = s[start:a]
    # a clause opening with a figure starts a new statement: a used period / 预计 stops here (but 15:61.9 is one
    # ratio, one clause)
    if (
        (sc.period_used or sc.estimate_used)
        and opened_by in _COMMAS
        and not (opened_by in ":：" and start >= 2 and s[start - 2] in DIGIT_CHARS)
    ):
        k = strip_before_qualifier(r, a)  # the clause without a qualifier word that ends it
        head = clause if k < start else s[start:k]
        if not head.strip(_SPACES):
            if sc.period_used:
                sc.period, sc.period_used, sc.marker_rows = "", False, None
            if sc.estimate_used:
                sc.estimate, sc.estimate_used = False, False
    period = sc.period
    if period:
        sc.period_used = True
    if sc.estimate:
        sc.estimate_used = True
        if qualifier == "exact" and not lx.START_LEVEL.search(s, max(0, a - 8), a):
            qualifier = "estimate"  # but 从2011年的1091亿元: a starting level, printed as known
    if r.last_fig_end == a - 1 and s[a - 1 : a] in _RATIO_COLONS and qualifier in ("exact", "estimate"):
        qualifier = r.last_qualifier  # 由15:61.9:23.1: the parts of one ratio share a qualifier

    if r.cum is None:
        cs, ce = r.base + a, r.base + end
    else:
        cs, ce = orig(r, a), orig_end(r, end)
    printed = r.text[cs:ce]
    if printed == value:
        printed = value  # one string for both columns
    part = None if unit_zh else ratio_part(s, a, end)  # 3.5:34.8:61.7: the parts of a ratio
    if part is not None:
        unit_zh = part[0]
    if value[0] == "-":
        base_value, base_unit, discrete, rounded = base_of(value[1:], unit_zh)
        base_value = -base_value
    else:
        base_value, base_unit, discrete, rounded = base_of(value, unit_zh)
    after = s[unit_end : unit_end + 4] if base_unit == "percent" else ""  # measure reads it for a percentage
    indicator = indicator_for(r, a, clause, unit_zh, unit_end, discrete)
    if r.topic is None:
        r.topic = topic(s)
    r.figures.append(
        new_row(
            DraftRow,
            (
                r.section,
                r.topic,
                indicator,
                value,
                unit_zh,
                base_value,
                base_unit,
                qualifier,
                rounded,
                period,
                part[1] if part is not None else measure(unit_zh, base_unit, clause, after),
                cs,
                ce,
                printed,
                value_high,
            ),
        )
    )
    if period and sc.marker_rows:
        for marker in sc.marker_rows:
            marker.figure = cs
        sc.marker_rows = None
    if r.pending:  # names and award years waiting for a figure in their clause
        clause_start = start
        for waiting in r.pending:
            if waiting.clause_end >= clause_start:
                waiting.figure = cs
        r.pending = []
    r.last_fig, r.last_fig_end, r.last_unit_end = cs, end, unit_end
    r.last_qualifier = qualifier


def indicator_for(r: Reading, a: int, clause: str, unit_zh: str, unit_end: int, discrete: bool) -> str:
    """A guess: the thing counted after a counter (7个片区 → 片区), else the words before the number."""
    if discrete and unit_zh and unit_zh not in ("天", "人", "万人"):
        noun = noun_after(r, unit_end)
        if noun:
            return noun
    words = clause[clause.rfind("、") + 1 :]
    # start after a period marker or an earlier figure in the same clause:
    # "1-9月份全区实际利用外资" → 全区实际利用外资; "整治4个监测点均" → 监测点
    cut = r.last_marker_end if r.last_marker_end > r.last_unit_end else r.last_unit_end
    if a - len(words) < cut <= a:
        words = r.s[cut:a]
    words = trim_indicator(words)
    if not words:
        words = noun_after(r, unit_end)
    return words


def noun_after(r: Reading, p: int) -> str:
    """The noun a counter counts: 个园区、 → 园区; 套人才公寓建设 → 人才公寓."""
    m = _NOUN_STOPS.search(r.s, p, p + 12)
    return r.s[p : m.start() if m else p + 12].strip(_SPACES)
