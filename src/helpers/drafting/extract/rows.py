"""The draft's rows: typed records, the vocabulary they may hold, the value rules and the DataFrames built from them."""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from helpers.core import units as _units
from helpers.core.columns import FIGURE_COLUMNS
from helpers.drafting.extract import lexicon as lx

if TYPE_CHECKING:  # pandas is imported where it is used: `import helpers.drafting.extract` stays light
    import pandas as pd

#: A draft has the figures columns and: ``printed`` (text[char_start:char_end]),
#: ``value_high`` (high end of a range, else ""), ``guess`` (which fields are guessed).
DRAFT_COLUMNS: tuple[str, ...] = FIGURE_COLUMNS + ("printed", "value_high", "guess")

#: Every qualifier the extractor emits (the schema's enum, core.intervals and reader.labels hold the same list).
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
    "contact",
)

#: The base units a draft may give (those of helpers.core.units, the schema's enum); other units get no base value.
BASE_UNITS: frozenset[str] = frozenset(base for base, _ in _units.UNITS.values())

#: Value of the ``guess`` column: the guessed fields are section, topic, indicator and measure.
GUESS = "indicator"

#: Numbers with more significant characters than this keep their printed value
#: but get no base value (it would not fit a float).
MAX_NUMBER_CHARS = 40


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


#: ``new_row(DraftRow, fields)``: a DraftRow from a tuple of its fields in order, built in C (``DraftRow(*fields)``
#: goes through the NamedTuple's Python-level ``__new__``; the scanner builds one per figure).
new_row = tuple.__new__

# ---- values, base values, rounding -----------------------------------------------------------------------------


def is_hundred(value: str) -> bool:
    return len(value) < 20 and value[:3] == "100" and float(value) == 100.0


_BASE_CACHE: dict[tuple[str, str], tuple[float, str, bool, bool]] = {}


def base(value: str, unit_zh: str) -> tuple[float, str, bool, bool]:
    """(base_value, base_unit, discrete, rounded) for a value printed without sign and its unit_zh: value ×
    magnitude × unit scale (the lexicon's); ``rounded`` as :func:`is_rounded` (cached with the rest).

    NaN where the number is too long for a float; a bare magnitude (``1.2万亿``) gives an empty base unit.
    """
    key = (value, unit_zh)
    hit = _BASE_CACHE.get(key)
    if hit is not None:
        return hit
    nan = float("nan")
    found: tuple[float, str, bool]  # (base_value, base_unit, discrete)
    if len(value) > MAX_NUMBER_CHARS:
        info = lx.UNIT_INFO.get(unit_zh)
        found = (nan, "", bool(info and info.discrete))
    else:
        number = Fraction(Decimal(value))
        if not unit_zh:
            found = (_round(number), "", False)
        elif unit_zh in lx.MAGNITUDES:
            found = (_round(number * lx.MAGNITUDES[unit_zh]), "", False)
        else:
            info, factor = lx.UNIT_INFO.get(unit_zh), 1
            if info is None:
                for mag, f in lx.MAGNITUDES.items():
                    if unit_zh.startswith(mag) and unit_zh[len(mag) :] in lx.UNIT_INFO:
                        info, factor = lx.UNIT_INFO[unit_zh[len(mag) :]], f
                        break
            if info is None:
                found = (nan, "", False)
            elif info.base_unit not in BASE_UNITS:  # 倍, 年, 千瓦时: the package's base units do not hold them
                found = (nan, "", info.discrete)
            else:
                found = (_round(number * factor * info.scale), info.base_unit, info.discrete)
    result = (*found, is_rounded(value, unit_zh, found[2]))
    if len(_BASE_CACHE) < 100_000:
        _BASE_CACHE[key] = result
    return result


def _round(x: Fraction, places: int = 6) -> float:
    """A base value as stored in CSV: exact where it terminates, else rounded to ``places`` (core.units' rule)."""
    return float(round(x, places))


def is_rounded(value: str, unit_zh: str, discrete: bool) -> bool:
    """True unless the value is exact as printed: an integer count, 100%, or an integer per-person standard."""
    hundred = unit_zh == "%" and is_hundred(value.lstrip("-"))
    if "." not in value:
        return not (discrete or unit_zh.startswith("元/") or hundred)
    return not hundred


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
    return list(map(f"{prefix}%0{width}d".__mod__, range(1, count + 1)))


_INT_FIELDS = ("section", "char_start", "char_end")
#: The numpy type of each array column's typecode (8-byte integers, doubles, 4-byte codes).
_DTYPES = {"q": "int64", "d": "float64", "i": "int32"}
_STR_FIELDS = tuple(f for f in DraftRow._fields if f not in (*_INT_FIELDS, "base_value", "rounded"))


class _Codes(dict):
    """A string column's distinct strings -> their codes 0, 1, … in order of first appearance: looking up a string
    not yet held gives it the next code (``__missing__``, called only for a new string)."""

    __slots__ = ()

    def __missing__(self, key: str) -> int:
        code = self[key] = len(self)
        return code


class DraftColumns:
    """The draft's rows (each appended as a :class:`DraftRow`) stored by column: offsets and sections in
    arrays of 8-byte integers, base values in an array of doubles, and each string column as 4-byte codes into
    its own table of the distinct strings it holds (the categories of the finished column, in order of first
    appearance): a string's code is the number of distinct strings its column held before it came (one dict
    look-up per value, in C; a new string's code is assigned by :class:`_Codes`).
    Rows wait in a buffer of at most :attr:`BUFFER` rows and go into the columns a buffer at a time (the
    per-row work in C: ``zip``, ``map``, ``numpy.fromiter``), so no object is kept per figure beyond the buffer
    and memory stays in proportion to the text (``增长1.5%，增长1.5%，…`` included)."""

    BUFFER = 256  # rows held as tuples before they go into the columns

    def __init__(self) -> None:
        self.ints = {name: array("q") for name in _INT_FIELDS}
        self.base_value = array("d")
        self.rounded = bytearray()
        self.codes: dict[str, array] = {name: array("i") for name in _STR_FIELDS}
        #: each column's distinct strings -> their codes 0, 1, … (in insertion order)
        self.categories: dict[str, _Codes] = {name: _Codes() for name in _STR_FIELDS}
        self._buffer: list[DraftRow] = []
        # (column, categories or None) for each field of a DraftRow, in its order, for flush's loop
        columns: dict[str, array | bytearray] = {
            **self.ints,
            "base_value": self.base_value,
            "rounded": self.rounded,
            **self.codes,
        }
        self._slots: list[tuple[array | bytearray, _Codes | None]] = [
            (columns[name], self.categories.get(name)) for name in DraftRow._fields
        ]

    def append(self, row: DraftRow) -> None:
        buffer = self._buffer
        buffer.append(row)
        if len(buffer) >= self.BUFFER:
            self.flush()

    def flush(self) -> None:
        """Move the buffered rows into the columns (each string as its code in its column's table)."""
        if not self._buffer:
            return
        import numpy as np

        size = len(self._buffer)
        for (column, categories), row_values in zip(self._slots, zip(*self._buffer)):
            values: Iterable[Any] = row_values
            if categories is not None:
                values = map(categories.__getitem__, row_values)  # each string's code, in C (a new one's by _Codes)
            if isinstance(column, bytearray):
                column.extend(values)  # rounded: bools are the bytes 0 and 1
            else:  # numpy converts the numbers in C at a third of array.extend's cost per item, then copies the bytes
                column.frombytes(np.fromiter(values, dtype=_DTYPES[column.typecode], count=size).tobytes())
        self._buffer = []

    def __len__(self) -> int:
        return len(self.base_value) + len(self._buffer)

    @property
    def char_starts(self) -> array:
        self.flush()
        return self.ints["char_start"]


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

    rows.flush()
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
            codes = np.frombuffer(rows.codes[name], dtype=np.int32).copy()  # copied: the buffer is released below
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
