"""Guesses for a draft row: the measure, topic and indicator a figure's clause suggests, and the unit of a ratio's
or structure's bare parts."""

from __future__ import annotations

import re
from decimal import Decimal

from helpers.drafting.extract import lexicon as lx

_SPACES = " \t\r\u3000\xa0"
_WORD_BREAK = re.compile(r"[，。；：！？,;:!?、\n]")


def _parts(parts: list[str]) -> tuple[str, str]:
    """("%", "share_pct") when printed parts sum to 100 within their rounding (half a unit of the last printed
    place per part), else ("份", "other")."""
    places = max(len(p.partition(".")[2]) for p in parts)
    total = sum((Decimal(p) for p in parts), Decimal(0))
    if abs(total - 100) <= Decimal(len(parts)) * Decimal(5) / Decimal(10) ** (places + 1):
        return "%", "share_pct"
    return "份", "other"


#: Numbers joined by a colon, full-width colon or the ratio sign ∶ (U+2236).
_RATIO = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[:：∶][0-9]+(?:\.[0-9]+)?)+")


def ratio_part(s: str, a: int, end: int) -> tuple[str, str] | None:
    """(unit, measure) for a number printed without a unit as one part of a ratio (3.5:34.8:61.7), else None.

    Parts that sum to 100 (within their rounding: half a unit of the last printed place per part) are the
    shares of a whole, as in a 构成比: ``("%", "share_pct")``.  Any other ratio's parts are read as 份 (parts),
    ``("份", "other")``: a guess the draft marks as such.
    """
    lo, hi = max(0, a - 60), min(len(s), end + 60)
    for m in _RATIO.finditer(s, lo, hi):
        if m.start() <= a and end <= m.end():
            if (m.start() == a and m.end() == end) or s[m.start() - 1 : m.start()] in ("图", "表"):
                return None  # no colon, or 图2:2011 (a chart's label): not a ratio
            parts = re.split("[:：∶]", m.group())
            return _parts(parts)
    return _structure_part(s, a, end, lo, hi)


#: Bare numbers joined by 、 (the last one by 、, 和 or 与): the parts of a list.
_LIST = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:(?:、|和|与)[0-9]+(?:\.[0-9]+)?)+")
#: What may stand between a structure cue and its list (为, 是, 依次为, an indicator's words), within a clause.
_CUE_GAP = 12


def _structure_part(s: str, a: int, end: int, lo: int, hi: int) -> tuple[str, str] | None:
    """(unit, measure) for a bare number in a 、-list right after a structure cue (结构为9.3、41.0、49.6), else None.

    The list must follow a ``structure_cue`` of the lexicon by at most :data:`_CUE_GAP` characters with no
    sentence or clause break between.  Parts that sum to 100 within their rounding are shares
    (``("%", "share_pct")``), other parts 份 (``("份", "other")``); a list without a cue stays without a unit.
    """
    for m in _LIST.finditer(s, lo, hi):
        if not (m.start() <= a and end <= m.end()):
            continue
        before = s[max(0, m.start() - _CUE_GAP - 2) : m.start()]
        cue = None
        for c in lx.STRUCTURE_CUE_RE.finditer(before):
            cue = c
        if cue is None or any(ch in before[cue.end() :] for ch in "。；;，,！？"):
            return None
        parts = re.split("、|和|与", m.group())
        return _parts(parts)
    return None


def measure(unit_zh: str, base_unit: str, clause: str, after: str) -> str:
    """The measure a figure's unit and the clause before it suggest (one of :data:`MEASURES`); ``after``, the text
    after the unit, is read only for a percentage (达标率)."""
    if base_unit == "percentage_points":
        return "change_pp"
    if base_unit == "per_mille":
        return "rate"  # birth, death and natural growth rates per thousand residents
    if base_unit == "percent":
        if after.startswith("达标"):
            return "share_pct"
        best = "rate"
        for m in lx.PCT_CUE_RE.finditer(clause):
            cue = lx.PCT_CUE_MEASURE[m.group()]
            if cue == "completion_pct" and not lx.PLAN_RE.search(clause, m.end()):
                continue
            best = cue
        return best
    if "/" in unit_zh:
        return "rate"
    money = base_unit in ("CNY", "USD", "EUR", "HKD")
    if money and "投资" in clause:
        return "investment_total"
    if lx.STOCK_OR_FLOW_RE.search(clause):  # then which, in order: a stock cue, a flow cue, a stock noun
        if lx.STOCK_RE.search(clause):
            return "stock"
        if lx.FLOW_RE.search(clause):
            return "flow"
        if lx.STOCK_NOUN_RE.search(clause):
            return "stock"
    if base_unit == "m2":
        return "area"
    if base_unit == "m":
        return "length"
    if money:
        return "level"
    if base_unit in ("count", "days"):
        return "count"
    return "other"


_TOPIC_CUTS = ("进一步", "已", "持续", "加快", "加速", "稳步", "有力", "高效", "全面")
_TOPIC_PREFIXES = ("目前", "当前", "如今")


def topic(s: str) -> str:
    """The paragraph's theme: its short lead sentence minus the predicate (园区建设稳步推进 → 园区建设)."""
    stop = s.find("。", 0, 20)
    if stop < 4:
        return ""
    lead = s[:stop]
    if _WORD_BREAK.search(lead):
        return ""
    for p in _TOPIC_PREFIXES:
        lead = lead.removeprefix(p)
    for cut in _TOPIC_CUTS:
        k = lead.find(cut, 2)
        if k >= 2:
            return lead[:k]
    return lead[:-4] if len(lead) >= 8 else lead


def _one_of(words: tuple[str, ...], reverse: bool = False) -> re.Pattern:
    """One of ``words`` (longest first); reversed words to match at the end of a reversed string."""
    alts = sorted((w[::-1] if reverse else w for w in words), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alts)))


_TRAILING_ONE = _one_of(lx.TRAILING_WORDS, reverse=True)
_LEADING_RE = re.compile("(?:" + _one_of(lx.LEADING_WORDS).pattern + ")+")
_TRAILING_LAST_CHARS = frozenset(w[-1] for w in lx.TRAILING_WORDS)
_LEADING_FIRST_CHARS = frozenset(w[0] for w in lx.LEADING_WORDS)


def trim_indicator(words: str) -> str:
    """An indicator guess without its leading words (预计, 全区) and trailing verbs and qualifiers (达到, 约).

    Trailing words are cut one at a time from the end; a keep word (平均) stops the cut, so
    增速高于全市平均 keeps its 平均.
    """
    if not words:
        return words
    if words[0] in _LEADING_FIRST_CHARS:
        m = _LEADING_RE.match(words)
        if m:
            words = words[m.end() :]
    if words and words[-1] in _TRAILING_LAST_CHARS:
        rev, end = words[::-1], 0
        while not words[: len(words) - end].endswith(lx.KEEP_WORDS):
            m = _TRAILING_ONE.match(rev, end)
            if m is None:
                break
            end = m.end()
        words = words[: len(words) - end]
    return words.strip(_SPACES)
