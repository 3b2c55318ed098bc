"""Scope: which period and whether 预计 apply to a figure, from the period markers and words before it in a sentence
(functions over the scanner's :class:`~.reading.Reading`, whose ``scope`` they keep)."""

from __future__ import annotations

import re
from calendar import monthrange

from helpers.drafting.extract import lexicon as lx
from helpers.drafting.extract.reading import DIGIT_CHARS, Reading, Scope, add_non_figure, clause_before

__all__ = ["DIGIT_CHARS", "ESTIMATE_END", "SENTENCE_END", "Scope", "iso_day", "iso_months"]

#: Sentence ends (a period's scope stops here) and clause ends (预计 stops here too).
SENTENCE_END = re.compile(r"[。！？!?]")
ESTIMATE_END = re.compile(r"[。！？!?；;]")


def iso_months(year: int, m1: int, m2: int) -> str:
    """``2022-01/2022-11`` for months m1..m2 of ``year``."""
    return f"{year:04d}-{m1:02d}/{year:04d}-{m2:02d}"


def iso_day(year: int, month: int, day: int) -> str:
    """``2022-11-20/2022-11-20`` for one day."""
    d = f"{year:04d}-{month:02d}-{day:02d}"
    return f"{d}/{d}"


def advance(r: Reading, pos: int) -> None:
    """Close the period / estimate scope when a sentence end lies before ``pos``."""
    sc = r.scope
    if pos <= sc.checked:
        return
    if sc.period or sc.estimate or sc.year != r.year or sc.marker_rows:
        if SENTENCE_END.search(r.s, sc.checked, pos):
            sc.period, sc.period_used, sc.estimate, sc.estimate_used = "", False, False, False
            sc.year = r.year
            sc.marker_rows = None
        elif sc.estimate and ESTIMATE_END.search(r.s, sc.checked, pos):
            sc.estimate, sc.estimate_used = False, False
    sc.checked = pos


def set_period(r: Reading, pos: int, period: str) -> None:
    advance(r, pos)
    sc = r.scope
    sc.period, sc.period_used = period, False


def period_event(r: Reading, start: int, end: int, word: str) -> None:
    """A period word or 预计 at s[start:end]."""
    advance(r, start)
    if word in lx.ESTIMATE_WORDS:
        r.scope.estimate, r.scope.estimate_used = True, False
        return
    if word == "全年" and r.s.startswith(lx.NOT_PERIOD_AFTER_QUANNIAN, end):
        return
    spec = lx.PERIOD_WORDS[word]
    y = r.scope.year
    if isinstance(spec, tuple):
        period = iso_months(y, spec[0], spec[1])
    elif spec == "end":
        period = iso_day(y, 12, 31)
    else:  # "start": the lexicon gives months, "end" or "start"
        period = iso_day(y, 1, 1)
    set_period(r, start, period)
    r.last_marker_end = end


def month_marker(r: Reading, a: int, end: int, month: int) -> int:
    s = r.s
    y = r.scope.year
    r.last_month = (end, month)
    if s.startswith(("底", "末"), end + 1) or s.startswith(("份底", "份末"), end + 1):
        period = iso_day(y, month, monthrange(y, month)[1])
    else:
        period = iso_months(y, month, month)
    set_period(r, a, period)
    r.last_marker_end = end + (2 if s.startswith("份", end + 1) else 1)
    add_non_figure(r, a, end, "period_marker", marker=True)
    return end


def is_comparison(r: Reading, a: int) -> bool:
    """A year printed after 比/较 (比1980年增长3倍) is the base of a comparison, not the figures' period."""
    s = r.s
    if a == 0 or s[a - 1] not in lx.COMPARISON_LAST_CHARS:
        return False
    return any(s.startswith(w, a - len(w)) for w in lx.COMPARISON_WORDS if a >= len(w))


def _is_base_year(r: Reading, a: int, end: int) -> bool:
    """由2019年的…调整为 (a starting point) or 与2019年相比 (a comparison): the year is a base, not a period."""
    s = r.s
    if a and s[a - 1] in lx.START_WORDS and s.startswith("的", end + 1):
        return True
    return lx.COMPARISON_AFTER.match(s, end + 1) is not None


def year_marker(r: Reading, a: int, end: int, y: int) -> int:
    s = r.s
    if s.startswith("年度", end):
        clause = clause_before(r, a)
        if any(c in clause for c in lx.AWARD_CUES):
            return add_non_figure(r, a, end, "award_year")
    if is_comparison(r, a) or _is_base_year(r, a, end):
        return add_non_figure(r, a, end, "comparison_year")
    if s.startswith(lx.PRICE_BASES, end + 1):
        return add_non_figure(r, a, end, "index_base")
    r.scope.year = y
    # "2021年1-11月": the months that follow set the period; else the whole year
    follow = end + (2 if s.startswith("年度", end) else 1)
    if not (follow < r.n and s[follow] in DIGIT_CHARS):
        set_period(r, a, iso_months(y, 1, 12))
        r.last_marker_end = follow
    r.scope.year = y
    return add_non_figure(r, a, end, "period_marker", marker=True)


def period_marker(r: Reading, a: int, end: int, hi: tuple[int, int], period: str) -> int:
    set_period(r, a, period)
    e = hi[1] + 1
    if r.s.startswith("份", e):
        e += 1
    r.last_marker_end = e
    add_non_figure(r, a, end, "period_marker", marker=True)
    add_non_figure(r, hi[0], hi[1], "period_marker", marker=True)
    return hi[1]
