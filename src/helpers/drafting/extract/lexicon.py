"""The extractor's vocabulary, read once from ``lexicon.csv``, and every table and pre-filter derived from it.

Each row of ``lexicon.csv`` is ``kind,word,traditional,meaning,scale,base_unit`` (see :data:`KINDS`).  Adding a
unit, a qualifier or a period word is one row; the look-up tables and the first/last-character pre-filters below are
all computed from the rows, never kept by hand.  Traditional script is folded to simplified by OpenCC's character
table (:func:`fold`); a row's ``traditional`` spelling must fold to its word.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources

import numpy as np

#: What each ``kind`` of row means.
KINDS: dict[str, str] = {
    "magnitude": "a magnitude prefix (万, 亿); scale = its factor",
    "unit": "a unit printed after a number; scale = base units per printed unit, base_unit, "
    "meaning discrete|continuous",
    "qualifier_before": "a qualifier printed right before the number; meaning = the qualifier",
    "qualifier_between": "a qualifier between number and unit (40余家); meaning = the qualifier",
    "qualifier_link": "a word that may stand between a qualifier before the number and the number (约为, 超过了)",
    "qualifier_after": "a qualifier right after the unit (以上); meaning = the qualifier",
    "estimate": "a word that makes every later figure of its clause an estimate (预计)",
    "period": "a period word; meaning = months m1-m2, or end / start of the year",
    "comparison": "a word before a year that makes it a comparison base, not the figures' period (比1980年)",
    "comparison_after": "a word soon after a year (same clause, within 8 characters) that makes it a comparison "
    "base, not the figures' period (与2019年相比)",
    "price_base": "a word right after a year that makes it a price base, not the figures' period (2010年不变价)",
    "start_word": "a word before a starting level (从2011年的…增加到…): the level is not an estimate",
    "not_period_after_quannian": "a word after 全年 that makes it a target, not a period (全年任务)",
    "pct_cue": "a cue before a percentage; meaning = the measure (the last cue in the clause wins)",
    "plan_word": "a word that must follow 完成 for completion_pct",
    "structure_cue": "a word before a list of bare numbers (结构为9.3、41.0、49.6) that makes them a structure's parts",
    "flow_cue": "a verb that makes a figure a flow (新增)",
    "stock_cue": "a word that makes a figure a stock (累计)",
    "stock_noun": "an indicator that is a stock by nature (余额)",
    "award_cue": "a word before a year that makes it an award's year (获评2021年度)",
    "per_person_month": "the words of a per-person monthly standard (每人每月860元 → 元/人·月)",
    "trailing_word": "a word dropped from the end of an indicator guess",
    "leading_word": "a word dropped from the start of an indicator guess",
    "keep_word": "a word an indicator guess may end with although its last characters are a trailing word (平均)",
    "name_after": "a word right after a bare number that makes the number part of a name (12345热线, 110接警)",
    "contact_label": "a word before a phone or fax number or a postcode (电话：0531-…, 邮编 250001): not a figure",
    "denominator": "a word that may follow / after a unit in a compound unit and is not a unit itself (元/日)",
}
_COLUMNS = ("kind", "word", "traditional", "meaning", "scale", "base_unit")


class LexiconError(ValueError):
    """A row of lexicon.csv that cannot be read (names the file, row and field)."""


@dataclass(frozen=True)
class Entry:
    """One row of the lexicon (``row`` is its line number in the file)."""

    kind: str
    word: str
    traditional: str
    meaning: str
    scale: str
    base_unit: str
    row: int


@dataclass(frozen=True)
class UnitInfo:
    """A unit's exact factor to its base unit and whether it counts discrete things."""

    scale: Fraction
    base_unit: str
    discrete: bool


def read_lexicon(text: str, name: str = "lexicon.csv") -> list[Entry]:
    """The rows of a lexicon file's text (comment lines start with ``#``); :class:`LexiconError` on a bad row."""
    lines = text.splitlines()
    header = next(csv.reader(lines[:1]), [])
    if tuple(header) != _COLUMNS:
        raise LexiconError(f"{name}: row 1: header must be {','.join(_COLUMNS)}, got {','.join(header)}")
    entries = []
    for number, line in enumerate(lines[1:], 2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = next(csv.reader([line]))
        if len(cells) != len(_COLUMNS):
            raise LexiconError(f"{name}: row {number}: {len(cells)} fields, expected {len(_COLUMNS)}")
        e = Entry(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], row=number)
        if e.kind not in KINDS:
            raise LexiconError(f"{name}: row {number}: field kind: unknown kind {e.kind!r}")
        if not e.word:
            raise LexiconError(f"{name}: row {number}: field word: empty")
        if e.traditional and len(e.traditional) != len(e.word):
            raise LexiconError(
                f"{name}: row {number}: field traditional: {e.traditional!r} must have as many "
                f"characters as {e.word!r} (the fold keeps offsets)"
            )
        if e.kind in ("magnitude", "unit"):
            try:
                scale = Fraction(e.scale)
            except (ValueError, ZeroDivisionError):
                raise LexiconError(f"{name}: row {number}: field scale: not an exact number: {e.scale!r}") from None
            if scale <= 0:
                raise LexiconError(f"{name}: row {number}: field scale: must be positive, got {e.scale!r}")
        if e.kind == "unit" and (not e.base_unit or e.meaning not in ("discrete", "continuous")):
            raise LexiconError(
                f"{name}: row {number}: field base_unit/meaning: a unit needs a base unit and "
                f"meaning discrete or continuous"
            )
        entries.append(e)
    return entries


def _load() -> list[Entry]:
    text = resources.files("helpers.drafting.extract").joinpath("lexicon.csv").read_text(encoding="utf-8")
    return read_lexicon(text)


ENTRIES: tuple[Entry, ...] = tuple(_load())


def words(kind: str) -> tuple[str, ...]:
    """The words of one kind, in file order."""
    return tuple(e.word for e in ENTRIES if e.kind == kind)


def meanings(kind: str) -> dict[str, str]:
    """word → meaning for one kind."""
    return {e.word: e.meaning for e in ENTRIES if e.kind == kind}


def _by_length(items) -> tuple:
    return tuple(sorted(items, key=len, reverse=True))


# ---- the character fold: traditional → simplified, one character for one (offsets unchanged) -------------------
# The fold is OpenCC's (the pinned opencc-python-reimplemented): its character dictionary TSCharacters.txt, each
# traditional character to its first simplified reading.  Measured on every text of the project, tests/journey/ and
# tests/realtext/ (five traditional, eighteen simplified): the same characters as OpenCC's whole t2s conversion
# (phrases first) on every text, no change at all to the simplified ones; the table this replaced (40 rows of
# lexicon.csv, kind fold) missed 68 characters of cri_2023_spring_festival_tourism.txt and 18 of
# mof_2019_budget_summary.txt.  OpenCC's phrase conversion itself does not promise one character for one, and the
# pure-Python converter reads 1.9 MB/s (the extractor's budget is 5 MB/s); the character table by str.translate
# reads about 60 MB/s and keeps offsets by construction, and a text with nothing to fold is not translated at all.
_OPENCC_CHARACTERS = ("opencc", "dictionary/TSCharacters.txt")


def _fold_table() -> dict[int, str]:
    package, path = _OPENCC_CHARACTERS
    text = resources.files(package).joinpath(path).read_text(encoding="utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        traditional, _, readings = line.partition("\t")
        first = readings.split(" ")[0]
        if len(traditional) == 1 and len(first) == 1 and first != traditional:
            table[ord(traditional)] = first
    for e in ENTRIES:  # the lexicon's traditional spellings are what the fold reads as its words
        if e.traditional and e.traditional.translate(table) != e.word:
            raise LexiconError(
                f"lexicon.csv: row {e.row}: field traditional: {e.traditional!r} folds to "
                f"{e.traditional.translate(table)!r} in OpenCC's {path}, not to {e.word!r}"
            )
    return table


FOLD: dict[int, str] = _fold_table()
#: Which code points the fold changes: a text with none of them is returned as it is, found by one vectorised
#: look-up (about 200 MB/s, where str.translate reads about 60 MB/s and a regex of the 4,105 characters 8 MB/s).
_FOLDS = np.zeros(0x110000, dtype=bool)
_FOLDS[list(FOLD)] = True


def fold(text: str) -> str:
    """``text`` with traditional characters replaced by simplified ones (OpenCC's character table); same length,
    same offsets.  Only for reading: what the project stores (offsets, the source, printed titles) stays as printed."""
    return text.translate(FOLD) if needs_fold(text) else text


def needs_fold(text: str) -> bool:
    """Whether ``text`` holds a character :func:`fold` changes (one vectorised look-up over the whole text)."""
    # numpy holds a str as UCS-4: its code points, without a codec (one imported at first use would be a module a
    # warm kernel's notebook leaves behind)
    codes = np.array([text]).view(np.uint32)
    return bool(_FOLDS[codes].any())


# ---- magnitudes and units --------------------------------------------------------------------------------------

MAGNITUDES: dict[str, int] = {e.word: int(Fraction(e.scale)) for e in ENTRIES if e.kind == "magnitude"}
UNIT_INFO: dict[str, UnitInfo] = {}
for _e in ENTRIES:
    if _e.kind == "unit":
        UNIT_INFO.setdefault(_e.word, UnitInfo(Fraction(_e.scale), _e.base_unit, _e.meaning == "discrete"))
#: Printed spellings that are written differently in unit_zh.
UNIT_ALIASES = {"％": "%"}
#: Units that take no magnitude prefix.
_NO_MAGNITUDE = frozenset({"%", "％", "‰", "个百分点", "元/人·月"})


def _unit_table() -> dict[str, str]:
    """Every printable magnitude+unit → unit_zh as stored."""
    table = {u: UNIT_ALIASES.get(u, u) for u in UNIT_INFO}
    for mag in MAGNITUDES:
        for unit in UNIT_INFO:
            if unit not in _NO_MAGNITUDE:
                table.setdefault(mag + unit, mag + UNIT_ALIASES.get(unit, unit))
    return table


def _lengths_by_first(items, prefix: int = 1) -> dict[str, tuple[int, ...]]:
    """First ``prefix`` characters → the lengths of the words (of at least that length) starting with them, longest
    first (a pre-filter for look-ups)."""
    lengths: dict[str, set[int]] = {}
    for w in items:
        if len(w) >= prefix:
            lengths.setdefault(w[:prefix], set()).add(len(w))
    return {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}


UNIT_TABLE: dict[str, str] = _unit_table()
#: First character of a printed unit → the lengths of the units starting with it, longest first.
UNIT_LENGTHS: dict[str, tuple[int, ...]] = _lengths_by_first(UNIT_TABLE)
#: First two characters of a printed unit of two or more characters → the lengths of those units, longest first.
UNIT_LENGTHS_2: dict[str, tuple[int, ...]] = _lengths_by_first(UNIT_TABLE, prefix=2)
UNIT_MAXLEN = max(map(len, UNIT_TABLE))
MAG_MAXLEN = max(map(len, MAGNITUDES))
PLAIN_UNITS = frozenset(UNIT_INFO)
#: What may follow ``/`` after a unit (元/平方米, 公斤/亩, 元/日): any plain unit or a ``denominator`` word.
DENOMINATORS = frozenset(UNIT_INFO) | frozenset(words("denominator"))
DENOMINATOR_LENGTHS: dict[str, tuple[int, ...]] = _lengths_by_first(DENOMINATORS)
PERCENT_UNITS = frozenset({"%", "‰", "个百分点"})
del _e

# ---- qualifiers ------------------------------------------------------------------------------------------------

BEFORE_QUALIFIERS: tuple[tuple[str, str], ...] = tuple(
    (w, meanings("qualifier_before")[w]) for w in _by_length(words("qualifier_before"))
)
BETWEEN_QUALIFIERS: dict[str, str] = meanings("qualifier_between")
AFTER_QUALIFIERS: dict[str, str] = meanings("qualifier_after")
QUALIFIER_LINKS = _by_length(words("qualifier_link"))


def _by_last_char(items: tuple, word=lambda item: item) -> dict[str, tuple]:
    """The items whose word ends with each character, longest word first (the order of ``items`` kept)."""
    found: dict[str, list] = {}
    for item in items:
        found.setdefault(word(item)[-1], []).append(item)
    return {c: tuple(group) for c, group in found.items()}


#: The (word, meaning) of the qualifiers printed before a number, and the linking words, by their last character:
#: the words that may end right before a number are those ending with the character there.
BEFORE_BY_LAST: dict[str, tuple[tuple[str, str], ...]] = _by_last_char(BEFORE_QUALIFIERS, lambda item: item[0])
LINKS_BY_LAST: dict[str, tuple[str, ...]] = _by_last_char(QUALIFIER_LINKS)
QUALIFIER_LAST_CHARS = frozenset(BEFORE_BY_LAST)
LINK_LAST_CHARS = frozenset(LINKS_BY_LAST)
AFTER_FIRST_CHARS = frozenset(w[0] for w in AFTER_QUALIFIERS)
AFTER_LENGTHS = tuple(sorted({len(w) for w in AFTER_QUALIFIERS}, reverse=True))
#: Characters before 近 that make it part of a word (最近, 附近), not "nearly".
NOT_APPROX_BEFORE_JIN = frozenset("最附邻靠亲")

# ---- periods and estimates -------------------------------------------------------------------------------------

PERIOD_WORDS: dict[str, tuple[int, int] | str] = {}
for _w, _m in meanings("period").items():
    if _m in ("end", "start"):
        PERIOD_WORDS[_w] = _m
    else:
        _a, _, _b = _m.partition("-")
        PERIOD_WORDS[_w] = (int(_a), int(_b))
ESTIMATE_WORDS = frozenset(words("estimate"))
#: Period words and 预计 in one pattern, longest first.
EVENT = re.compile("|".join(map(re.escape, _by_length([*ESTIMATE_WORDS, *PERIOD_WORDS]))))
NOT_PERIOD_AFTER_QUANNIAN = words("not_period_after_quannian")
COMPARISON_WORDS = _by_length(words("comparison"))
COMPARISON_LAST_CHARS = frozenset(w[-1] for w in COMPARISON_WORDS)
#: 与2019年相比 / 2019年同期相比: a year with one of these after it in its clause is a comparison base.
COMPARISON_AFTER = re.compile(
    r"[^，,。；;：:！？!?\n]{0,8}?(?:" + "|".join(map(re.escape, words("comparison_after"))) + ")"
)
#: 由2019年的… / 从2019年的…: a year after a start word and before 的 is where a change started, not a period.
START_WORDS = tuple(words("start_word"))
PRICE_BASES = tuple(_by_length(words("price_base")))
AWARD_CUES = words("award_cue")
NAME_AFTER = _by_length(words("name_after"))
CONTACT_LABELS = _by_length(words("contact_label"))
#: 从 or 由, optionally with a year and 的, right before a number: a starting level.
START_LEVEL = re.compile("(?:" + "|".join(map(re.escape, words("start_word"))) + ")(?:[0-9]{4}年的?)?$")
PER_PERSON_MONTH = words("per_person_month")

# ---- measure cues ----------------------------------------------------------------------------------------------

PCT_CUE_MEASURE: dict[str, str] = meanings("pct_cue")
PCT_CUE_RE = re.compile("|".join(map(re.escape, _by_length(PCT_CUE_MEASURE))))
PLAN_RE = re.compile("|".join(map(re.escape, words("plan_word"))))
STRUCTURE_CUE_RE = re.compile("|".join(map(re.escape, _by_length(words("structure_cue")))))
STOCK_RE = re.compile("|".join(map(re.escape, words("stock_cue"))))
STOCK_NOUN_RE = re.compile("|".join(map(re.escape, words("stock_noun"))))
FLOW_RE = re.compile("|".join(map(re.escape, words("flow_cue"))))
#: Any stock cue, flow cue or stock noun: a clause without one needs none of the three searches.
STOCK_OR_FLOW_RE = re.compile("|".join(map(re.escape, words("stock_cue") + words("flow_cue") + words("stock_noun"))))

# ---- indicator trimming ----------------------------------------------------------------------------------------

TRAILING_WORDS = words("trailing_word")
LEADING_WORDS = words("leading_word")
KEEP_WORDS = words("keep_word")
