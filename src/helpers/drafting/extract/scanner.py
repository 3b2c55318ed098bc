"""The scanner: reads each reading unit once, left to right, and produces the draft's rows (typed records)."""

from __future__ import annotations

import bisect
import re

from helpers.drafting.extract import lexicon as lx
from helpers.drafting.extract.guesses import measure, ratio_part, topic, trim_indicator
from helpers.drafting.extract.layout import headings, paragraphs, reading_units
from helpers.drafting.extract.numerals import NumeralMixin
from helpers.drafting.extract.rows import DraftColumns, DraftRow, NonFigure, new_row
from helpers.drafting.extract.rows import base as base_of
from helpers.drafting.extract.scope import DIGIT_CHARS, Scope, ScopeMixin
from helpers.drafting.extract.tokens import NUM, URL, TokenMixin

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
_CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+|双")


class Scanner(TokenMixin, ScopeMixin, NumeralMixin):
    """One pass over a text: ``figures`` (DraftRow, sorted by char_start) and ``non_figures`` (NonFigure)."""

    def __init__(self, text: str, year: int, chinese_numerals: bool, keep_non_figures: bool = True) -> None:
        self.text = text
        self.keep_non_figures = keep_non_figures
        self.year = year
        self.chinese_numerals = chinese_numerals
        self.figures = DraftColumns()
        self.non_figures: list[NonFigure] = []

    def run(self) -> None:
        text = self.text
        paras = paragraphs(text)
        heads = headings(text, paras)
        search = NUM.search
        for unit in reading_units(text, paras):
            if len(unit) == 1:
                p = paras[unit[0]]
                first = search(text, p.start, p.end)
                if first is None and not self.chinese_numerals:
                    continue  # nothing to read: a heading, a caption
                # the digits are read from the first number on (the text before it was just searched)
                skip = first.start() - p.start if first is not None else p.end - p.start
                self._scan_unit([(p.start, p.end)], heads, skip)
            else:
                self._scan_unit([(paras[k].start, paras[k].end) for k in unit], heads)
        self.non_figures.sort(key=lambda r: r.char_start)

    def _scan_unit(self, pieces: list[tuple[int, int]], heads: list[int], first: int = 0) -> None:
        """Read one reading unit (its pieces joined); ``first``: where its first digit may be (a lower bound)."""
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
        s = lx.fold(s)  # traditional characters read as simplified; same length, so offsets hold
        self.s = s
        self.n = len(s)
        self.rs = s[::-1]  # reversed, for the clause start: a forward search from a figure back to its clause's break
        self.has_slash = "/" in s  # whether a compound unit (元/平方米) may be printed in it
        self.pieces = pieces
        self.cum = offsets
        self.base = base
        self.section = bisect.bisect_right(heads, pieces[0][0])
        self.topic: str | None = None  # computed with the unit's first figure
        self.scope = Scope(year=self.year)
        self.last_fig: int = -1  # char_start of the last figure
        self.last_fig_end = 0
        self.last_qualifier = "exact"
        self.pending: list[NonFigure] = []  # non-figures waiting for a figure in their clause
        self.last_marker_end = -1
        self.last_month = None
        self.last_unit_end = -1
        self.urls = [m.span() for m in URL.finditer(s)] if ("http" in s or "www." in s) else []
        self.url_i = 0

        # period words and 预计 (and, when asked, Chinese numerals), read in text order with the digits
        events = [(m.start(), m.end(), m.group()) for m in lx.EVENT.finditer(s)]
        if self.chinese_numerals:
            events += [(m.start(), m.end(), None) for m in _CN_NUMERAL.finditer(s)]
            events.sort()
        ev, nev = 0, len(events)
        next_event = events[0][0] if events else self.n  # where the next event starts
        consumed = 0
        for m in NUM.finditer(s, first):
            a, b = m.span()
            if a < consumed:
                continue
            if next_event < a:
                while ev < nev and events[ev][0] < a:
                    self._event(*events[ev])
                    ev += 1
                next_event = events[ev][0] if ev < nev else self.n
            consumed = self._number(a, b)
        while ev < nev:
            self._event(*events[ev])
            ev += 1

    def _orig(self, r: int) -> int:
        if self.cum is None:
            return self.base + r
        i = bisect.bisect_right(self.cum, r) - 1
        return self.pieces[i][0] + (r - self.cum[i])

    def _orig_end(self, r: int) -> int:
        return self._orig(r - 1) + 1 if r > 0 else self._orig(0)

    # -- context ---------------------------------------------------------------------------------

    def _clause_start(self, a: int) -> tuple[int, str]:
        """Where the clause before ``a`` starts (after the last of ，。；： …, at most WINDOW characters back) and
        the break that opened it ("" when the clause is cut at WINDOW or starts the unit)."""
        # searched forwards in the reversed unit (s[i] is rs[n - 1 - i]): from just before ``a`` backwards, one
        # more back than WINDOW for opened_by
        n = self.n
        m = _search_break(self.rs, n - a, n - a + WINDOW + 1 if a > WINDOW else n)
        if m is not None:
            i = n - 1 - m.start()
            return i + 1, self.s[i]
        return (a - WINDOW if a > WINDOW else 0), ""

    def _clause_before(self, a: int) -> str:
        """The clause before ``a`` (see :meth:`_clause_start`)."""
        return self.s[self._clause_start(a)[0] : a]

    # -- rows ------------------------------------------------------------------------------------

    def _non_figure(self, a: int, end: int, reason: str, marker: bool = False) -> int:
        if not self.keep_non_figures:
            return end  # extract_text: non-figures are not kept, so they cost no memory
        cs, ce = self._orig(a), self._orig_end(end)
        row = NonFigure(self.text[cs:ce], reason, cs, ce)
        self.non_figures.append(row)
        if marker:
            if self.scope.marker_rows is not None:
                self.scope.marker_rows.append(row)
            else:
                self.scope.marker_rows = [row]
        elif reason in ("name", "award_year"):
            # it belongs to the figure of its clause: the one before it, or the next one (bounded windows)
            lf = self.last_fig_end
            if self.last_fig >= 0 and a - lf <= WINDOW and not CLAUSE_BREAK.search(self.s, lf, a):
                row.figure = self.last_fig
            else:
                row.clause_end = end
                if self.pending and self.pending[0].clause_end < a - WINDOW:
                    self.pending = [r for r in self.pending if r.clause_end >= a - WINDOW]
                self.pending.append(row)
        return end

    def _figure(
        self, a: int, end: int, value: str, value_high: str, unit_zh: str, qualifier: str, unit_end: int
    ) -> None:
        s = self.s
        sc = self.scope
        start, opened_by = self._clause_start(a)
        clause = s[start:a]
        # a clause opening with a figure starts a new statement: a used period / 预计 stops here (but 15:61.9 is one
        # ratio, one clause)
        if (
            (sc.period_used or sc.estimate_used)
            and opened_by in _COMMAS
            and not (opened_by in ":：" and start >= 2 and s[start - 2] in DIGIT_CHARS)
        ):
            k = self._strip_before_qualifier(a)  # the clause without a qualifier word that ends it
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
        if self.last_fig_end == a - 1 and s[a - 1 : a] in _RATIO_COLONS and qualifier in ("exact", "estimate"):
            qualifier = self.last_qualifier  # 由15:61.9:23.1: the parts of one ratio share a qualifier

        if self.cum is None:
            cs, ce = self.base + a, self.base + end
        else:
            cs, ce = self._orig(a), self._orig_end(end)
        printed = self.text[cs:ce]
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
        indicator = self._indicator(a, clause, unit_zh, unit_end, discrete)
        if self.topic is None:
            self.topic = topic(s)
        self.figures.append(
            new_row(
                DraftRow,
                (
                    self.section,
                    self.topic,
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
            for r in sc.marker_rows:
                r.figure = cs
            sc.marker_rows = None
        if self.pending:  # names and award years waiting for a figure in their clause
            clause_start = start
            for r in self.pending:
                if r.clause_end >= clause_start:
                    r.figure = cs
            self.pending = []
        self.last_fig, self.last_fig_end, self.last_unit_end = cs, end, unit_end
        self.last_qualifier = qualifier

    def _indicator(self, a: int, clause: str, unit_zh: str, unit_end: int, discrete: bool) -> str:
        """A guess: the thing counted after a counter (7个片区 → 片区), else the words before the number."""
        if discrete and unit_zh and unit_zh not in ("天", "人", "万人"):
            noun = self._noun_after(unit_end)
            if noun:
                return noun
        words = clause[clause.rfind("、") + 1 :]
        # start after a period marker or an earlier figure in the same clause:
        # "1-9月份全区实际利用外资" → 全区实际利用外资; "整治4个监测点均" → 监测点
        cut = self.last_marker_end if self.last_marker_end > self.last_unit_end else self.last_unit_end
        if a - len(words) < cut <= a:
            words = self.s[cut:a]
        words = trim_indicator(words)
        if not words:
            words = self._noun_after(unit_end)
        return words

    def _noun_after(self, p: int) -> str:
        """The noun a counter counts: 个园区、 → 园区; 套人才公寓建设 → 人才公寓."""
        m = _NOUN_STOPS.search(self.s, p, p + 12)
        return self.s[p : m.start() if m else p + 12].strip(_SPACES)
