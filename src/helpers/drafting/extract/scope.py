"""Scope: which period and whether 预计 apply to a figure, from the period markers and words before it in a sentence."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass

from helpers.drafting.extract import lexicon as lx

#: Sentence ends (a period's scope stops here) and clause ends (预计 stops here too).
SENTENCE_END = re.compile(r"[。！？!?]")
ESTIMATE_END = re.compile(r"[。！？!?；;]")
DIGIT_CHARS = frozenset("0123456789０１２３４５６７８９")


@dataclass
class Scope:
    """The period and estimate in force at the scanner's position in a reading unit."""

    period: str = ""
    period_used: bool = False
    estimate: bool = False
    estimate_used: bool = False
    year: int = 0
    checked: int = 0  # reading offset up to which sentence ends have been looked for
    marker_rows: list | None = None  # non-figure rows of the current period marker (awaiting a figure)


def iso_months(year: int, m1: int, m2: int) -> str:
    """``2022-01/2022-11`` for months m1..m2 of ``year``."""
    return f"{year:04d}-{m1:02d}/{year:04d}-{m2:02d}"


def iso_day(year: int, month: int, day: int) -> str:
    """``2022-11-20/2022-11-20`` for one day."""
    d = f"{year:04d}-{month:02d}-{day:02d}"
    return f"{d}/{d}"


class ScopeMixin:
    """The scanner's period and estimate scope (mixed into the scanner, which provides s, n, year, scope)."""

    s: str
    n: int
    year: int
    scope: Scope
    last_marker_end: int
    last_month: tuple[int, int] | None = None

    def _advance(self, pos: int) -> None:
        """Close the period / estimate scope when a sentence end lies before ``pos``."""
        sc = self.scope
        if pos <= sc.checked:
            return
        if sc.period or sc.estimate or sc.year != self.year or sc.marker_rows:
            if SENTENCE_END.search(self.s, sc.checked, pos):
                sc.period, sc.period_used, sc.estimate, sc.estimate_used = "", False, False, False
                sc.year = self.year
                sc.marker_rows = None
            elif sc.estimate and ESTIMATE_END.search(self.s, sc.checked, pos):
                sc.estimate, sc.estimate_used = False, False
        sc.checked = pos

    def _set_period(self, pos: int, period: str) -> None:
        self._advance(pos)
        sc = self.scope
        sc.period, sc.period_used = period, False

    def _event(self, start: int, end: int, word: str | None) -> None:
        """A period word or 预计 at s[start:end] (``None``: a Chinese numeral run)."""
        if word is None:
            self._cn_figure(start, end)  # type: ignore[attr-defined]
            return
        self._advance(start)
        if word in lx.ESTIMATE_WORDS:
            self.scope.estimate, self.scope.estimate_used = True, False
            return
        if word == "全年" and self.s.startswith(lx.NOT_PERIOD_AFTER_QUANNIAN, end):
            return
        spec = lx.PERIOD_WORDS[word]
        y = self.scope.year
        if spec == "end":
            period = iso_day(y, 12, 31)
        elif spec == "start":
            period = iso_day(y, 1, 1)
        else:
            period = iso_months(y, spec[0], spec[1])
        self._set_period(start, period)
        self.last_marker_end = end

    def _month(self, a: int, end: int, month: int) -> int:
        s = self.s
        y = self.scope.year
        self.last_month = (end, month)
        if s.startswith(("底", "末"), end + 1) or s.startswith(("份底", "份末"), end + 1):
            period = iso_day(y, month, monthrange(y, month)[1])
        else:
            period = iso_months(y, month, month)
        self._set_period(a, period)
        self.last_marker_end = end + (2 if s.startswith("份", end + 1) else 1)
        self._non_figure(a, end, "period_marker", marker=True)  # type: ignore[attr-defined]
        return end

    def _is_comparison(self, a: int) -> bool:
        """A year printed after 比/较 (比1980年增长3倍) is the base of a comparison, not the figures' period."""
        s = self.s
        if a == 0 or s[a - 1] not in lx.COMPARISON_LAST_CHARS:
            return False
        return any(s.startswith(w, a - len(w)) for w in lx.COMPARISON_WORDS if a >= len(w))

    def _year(self, a: int, end: int, y: int) -> int:
        s = self.s
        if s.startswith("年度", end):
            clause = self._clause_before(a)  # type: ignore[attr-defined]
            if any(c in clause for c in lx.AWARD_CUES):
                return self._non_figure(a, end, "award_year")  # type: ignore[attr-defined]
        if self._is_comparison(a):
            return self._non_figure(a, end, "comparison_year")  # type: ignore[attr-defined]
        self.scope.year = y
        # "2021年1-11月": the months that follow set the period; else the whole year
        follow = end + (2 if s.startswith("年度", end) else 1)
        if not (follow < self.n and s[follow] in DIGIT_CHARS):
            self._set_period(a, iso_months(y, 1, 12))
            self.last_marker_end = follow
        self.scope.year = y
        return self._non_figure(a, end, "period_marker", marker=True)  # type: ignore[attr-defined]

    def _period_marker(self, a: int, end: int, hi: tuple[int, int], period: str) -> int:
        self._set_period(a, period)
        e = hi[1] + 1
        if self.s.startswith("份", e):
            e += 1
        self.last_marker_end = e
        self._non_figure(a, end, "period_marker", marker=True)  # type: ignore[attr-defined]
        self._non_figure(hi[0], hi[1], "period_marker", marker=True)  # type: ignore[attr-defined]
        return hi[1]
