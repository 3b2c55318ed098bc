"""The draft's rows: typed records, the vocabulary they may hold, the value rules and the DataFrames built from them."""

from __future__ import annotations

import re
from array import array
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from helpers import units as _units
from helpers.extract import lexicon as lx

if TYPE_CHECKING:  # pandas is imported where it is used: `import helpers.extract` stays light
    import pandas as pd

#: The columns of ``data/figures.csv``, in order.
FIGURE_COLUMNS: tuple[str, ...] = (
    "id",
    "section",
    "topic_zh",
    "topic_en",
    "indicator_zh",
    "indicator_en",
    "value",
    "unit_zh",
    "base_value",
    "base_unit",
    "qualifier",
    "rounded",
    "period",
    "measure",
    "char_start",
    "char_end",
)
#: A draft has the figures columns and: ``printed`` (text[char_start:char_end]),
#: ``value_high`` (high end of a range, else ""), ``guess`` (which fields are guessed).
DRAFT_COLUMNS: tuple[str, ...] = FIGURE_COLUMNS + ("printed", "value_high", "guess")
#: The columns of ``data/non_figures.csv``.
NON_FIGURE_COLUMNS: tuple[str, ...] = ("id", "text", "reason", "figure_id", "char_start", "char_end")

#: Every qualifier the extractor emits (the schema's enum, helpers.intervals and helpers.labels hold the same list).
QUALIFIERS: tuple[str, ...] = ("exact", "more_than", "approx", "estimate", "at_most", "range")
#: Every measure the extractor emits (``other``: a unit and clause that no rule recognises).
MEASURES: tuple[str, ...] = (
    "level",
    "count",
    "stock",
    "flow",
    "change_yoy_pct",
    "share_pct",
    "completion_pct",
    "rate",
    "investment_total",
    "area",
    "length",
    "change_pp",
    "other",
)
#: Every reason the extractor gives a non-figure.
NON_FIGURE_REASONS: tuple[str, ...] = (
    "title_year",
    "award_year",
    "period_marker",
    "name",
    "ranking",
    "ordinal",
    "footnote",
    "timestamp",
    "url",
    "event_name",
    "table_label",
    "comparison_year",
    "number_list",
    "index_base",
)

#: The base units a draft may give (those of helpers.units, the schema's enum); other units get no base value.
BASE_UNITS: frozenset[str] = frozenset(base for base, _ in _units.UNITS.values())

#: Value of the ``guess`` column: the guessed fields are section, topic, indicator and measure.
GUESS = "indicator"

#: Numbers with more significant characters than this keep their printed value
#: but get no base value (it would not fit a float).
MAX_NUMBER_CHARS = 40

_SPACES = " \t\r\u3000\xa0"
_WORD_BREAK = re.compile(r"[，。；：！？,;:!?、\n]")


class ExtractError(ValueError):
    """Input the extractor cannot read (a file that is missing or not UTF-8, a text that is not a str)."""


class DraftRow(NamedTuple):
    """One drafted figure: the columns of :data:`DRAFT_COLUMNS` but ``id`` (numbered when the frame is built)."""

    section: int
    topic_zh: str
    indicator_zh: str
    value: str
    unit_zh: str
    base_value: float
    base_unit: str
    qualifier: str
    rounded: bool
    period: str
    measure: str
    char_start: int
    char_end: int
    printed: str
    value_high: str


class NonFigure:
    """One digit run that is not a figure; ``figure`` is the char_start of the figure it belongs to, or -1."""

    __slots__ = ("char_end", "char_start", "clause_end", "figure", "reason", "text")

    def __init__(self, text: str, reason: str, char_start: int, char_end: int) -> None:
        self.text, self.reason, self.char_start, self.char_end = text, reason, char_start, char_end
        self.figure = -1
        self.clause_end = -1


# ---- values, base values, rounding -----------------------------------------------------------------------------


def is_hundred(value: str) -> bool:
    return len(value) < 20 and value[:3] == "100" and float(value) == 100.0


_BASE_CACHE: dict[tuple[str, str], tuple[float, str, bool]] = {}


def base(value: str, unit_zh: str) -> tuple[float, str, bool]:
    """(base_value, base_unit, discrete) for a value and unit_zh: value × magnitude × unit scale (the lexicon's).

    NaN where the number is too long for a float; a bare magnitude (``1.2万亿``) gives an empty base unit.
    """
    key = (value, unit_zh)
    hit = _BASE_CACHE.get(key)
    if hit is not None:
        return hit
    nan = float("nan")
    if len(value) > MAX_NUMBER_CHARS:
        info = lx.UNIT_INFO.get(unit_zh)
        result = (nan, "", bool(info and info.discrete))
    else:
        number = Fraction(Decimal(value))
        if not unit_zh:
            result = (_round(number), "", False)
        elif unit_zh in lx.MAGNITUDES:
            result = (_round(number * lx.MAGNITUDES[unit_zh]), "", False)
        else:
            info, factor = lx.UNIT_INFO.get(unit_zh), 1
            if info is None:
                for mag, f in lx.MAGNITUDES.items():
                    if unit_zh.startswith(mag) and unit_zh[len(mag) :] in lx.UNIT_INFO:
                        info, factor = lx.UNIT_INFO[unit_zh[len(mag) :]], f
                        break
            if info is None:
                result = (nan, "", False)
            elif info.base_unit not in BASE_UNITS:  # 倍, 年, 千瓦时: the package's base units do not hold them
                result = (nan, "", info.discrete)
            else:
                result = (_round(number * factor * info.scale), info.base_unit, info.discrete)
    if len(_BASE_CACHE) < 100_000:
        _BASE_CACHE[key] = result
    return result


def _round(x: Fraction, places: int = 6) -> float:
    """A base value as stored in CSV: exact where it terminates, else rounded to ``places`` (helpers.units' rule)."""
    return float(round(x, places))


def is_rounded(value: str, unit_zh: str, discrete: bool) -> bool:
    """True unless the value is exact as printed: an integer count, 100%, or an integer per-person standard."""
    hundred = unit_zh == "%" and is_hundred(value.lstrip("-"))
    if "." not in value:
        return not (discrete or unit_zh.startswith("元/") or hundred)
    return not hundred


# ---- guesses: measure, topic, indicator ------------------------------------------------------------------------


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
            places = max(len(p.partition(".")[2]) for p in parts)
            total = sum(Decimal(p) for p in parts)
            if abs(total - 100) <= Decimal(len(parts)) * Decimal(5) / Decimal(10) ** (places + 1):
                return "%", "share_pct"
            return "份", "other"
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
        places = max(len(p.partition(".")[2]) for p in parts)
        total = sum(Decimal(p) for p in parts)
        if abs(total - 100) <= Decimal(len(parts)) * Decimal(5) / Decimal(10) ** (places + 1):
            return "%", "share_pct"
        return "份", "other"
    return None


def measure(unit_zh: str, base_unit: str, clause: str, after: str) -> str:
    """The measure a figure's unit and the clause before it suggest (one of :data:`MEASURES`)."""
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


# ---- frames ----------------------------------------------------------------------------------------------------

_NUMPY_COLUMNS = {
    "section": "int64",
    "char_start": "int64",
    "char_end": "int64",
    "base_value": "float64",
    "rounded": "bool",
}


def _ids(prefix: str, count: int) -> list[str]:
    width = max(3, len(str(count)))
    return [f"{prefix}{n:0{width}d}" for n in range(1, count + 1)]


_INT_FIELDS = ("section", "char_start", "char_end")
_STR_FIELDS = tuple(f for f in DraftRow._fields if f not in (*_INT_FIELDS, "base_value", "rounded"))


class DraftColumns:
    """The draft's rows (each appended as a :class:`DraftRow`) stored by column: offsets and sections in
    arrays of 8-byte integers, base values in an array of doubles, and each string column as 4-byte codes into
    its own table of the distinct strings it holds (the categories of the finished column).  No object is kept
    per figure, so memory stays in proportion to the text (``增长1.5%，增长1.5%，…`` included)."""

    def __init__(self) -> None:
        self.ints = {name: array("q") for name in _INT_FIELDS}
        self.base_value = array("d")
        self.rounded = bytearray()
        self.codes: dict[str, array] = {name: array("i") for name in _STR_FIELDS}
        self.categories: dict[str, dict[str, int]] = {name: {} for name in _STR_FIELDS}
        # (codes, categories) per string field, in DraftRow's order, for append's loop
        self._str_slots = [(_DRAFT_INDEX[name], self.codes[name], self.categories[name]) for name in _STR_FIELDS]

    def append(self, row: DraftRow) -> None:
        ints = self.ints
        ints["section"].append(row.section)
        ints["char_start"].append(row.char_start)
        ints["char_end"].append(row.char_end)
        self.base_value.append(row.base_value)
        self.rounded.append(1 if row.rounded else 0)
        for i, codes, categories in self._str_slots:
            value = row[i]
            code = categories.get(value)
            if code is None:
                code = categories[value] = len(categories)
            codes.append(code)

    def __len__(self) -> int:
        return len(self.base_value)

    @property
    def char_starts(self) -> array:
        return self.ints["char_start"]


_DRAFT_INDEX = {name: i for i, name in enumerate(DraftRow._fields)}


def _categorical(codes, categories: list[str]):
    """A categorical column of strings from its codes (no per-row string object is made)."""
    import pandas as pd

    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(categories, dtype="str")))


def figures_frame(rows: DraftColumns) -> pd.DataFrame:
    """The draft DataFrame (:data:`DRAFT_COLUMNS`) sorted by char_start; ids draft_001 …

    ``id`` is a string column; the other text columns are categorical (each distinct string stored once, one
    small integer code per row), so the frame of a text dense with figures stays small.  Each column is
    converted and its codes released before the next.
    """
    import numpy as np
    import pandas as pd

    n = len(rows)
    starts = np.frombuffer(rows.char_starts, dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    order = None if n < 2 or bool(np.all(starts[1:] >= starts[:-1])) else np.argsort(starts, kind="stable")
    data: dict[str, Any] = {}
    for name in DRAFT_COLUMNS:
        if name == "id":
            data[name] = pd.array(_ids("draft_", n), dtype="str")
        elif name in ("topic_en", "indicator_en", "guess"):
            data[name] = _categorical(np.zeros(n, dtype=np.int8), [GUESS if name == "guess" else ""])
        elif name in _INT_FIELDS:
            col = np.array(rows.ints[name], dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
            data[name] = col if order is None else col[order]
        elif name == "base_value":
            col = np.array(rows.base_value, dtype=np.float64) if n else np.zeros(0, dtype=np.float64)
            data[name] = col if order is None else col[order]
        elif name == "rounded":
            col = np.frombuffer(bytes(rows.rounded), dtype=np.uint8).astype(bool)
            data[name] = col if order is None else col[order]
        else:
            codes = np.array(rows.codes[name], dtype=np.int32) if n else np.zeros(0, dtype=np.int32)
            data[name] = _categorical(codes if order is None else codes[order], list(rows.categories[name]))
            del rows.codes[name][:]  # release the codes before the next column
    return pd.DataFrame(data)


def non_figures_frame(rows: list[NonFigure], figures: DraftColumns) -> pd.DataFrame:
    """The non-figures DataFrame (:data:`NON_FIGURE_COLUMNS`); figure_id names the draft row each belongs to."""
    import pandas as pd

    ids = dict(zip(sorted(figures.char_starts), _ids("draft_", len(figures))))
    frame = pd.DataFrame(
        {
            "id": _ids("non_figure_", len(rows)),
            "text": [r.text for r in rows],
            "reason": [r.reason for r in rows],
            "figure_id": [ids.get(r.figure, "") for r in rows],
            "char_start": [r.char_start for r in rows],
            "char_end": [r.char_end for r in rows],
        }
    )
    return frame.astype({"char_start": "int64", "char_end": "int64"})
