"""Units: the unit printed after a number (magnitude, 余/多, compound units), a table column's unit from its header,
and the unit an enumeration's numbers share (functions over the scanner's :class:`~.reading.Reading`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import cast

from helpers.drafting.extract import lexicon as lx
from helpers.drafting.extract.reading import DIGIT_CHARS, Reading, orig

DECIMAL_POINTS = frozenset(".．")
MINUS_SIGNS = frozenset("-−－")
NUM = re.compile(r"[0-9０-９]+")
#: ``NUM.match``, typed as never None: it is only called where ``s[p]`` is a digit (a guard before each call).
digits_at = cast("Callable[[str, int], re.Match[str]]", NUM.match)
#: Separators of an enumeration whose numbers share the unit printed after the last one.
ENUMERATION = frozenset("、和及与")
#: A unit printed in parentheses in a table's header cell: (亿元), （%）.
_HEADER_UNIT = re.compile(r"[（(]\s*([^()（）]{1,10}?)\s*[)）]")
#: How many rows above a number its table's header may be.
_TABLE_LINES = 40


def unit_at(r: Reading, p: int) -> tuple[str, int, int, str] | None:
    """(unit_zh, end of unit, resume position, qualifier between number and unit) or None.

    A unit followed by ``/`` and a unit or a lexicon ``denominator`` is one compound unit: 元/平方米,
    公斤/亩, 立方米/秒 (unit_zh as printed; a rate, with no base value unless the lexicon lists it whole).
    """
    found = simple_unit_at(r, p)
    if found is None or not r.has_slash or r.s[found[1] : found[1] + 1] != "/" or not found[0]:
        return found
    q = found[1] + 1
    for length in lx.DENOMINATOR_LENGTHS.get(r.s[q : q + 1], ()):
        word = r.s[q : q + length]
        if word in lx.DENOMINATORS:
            return f"{found[0]}/{word}", q + length, q + length, found[3]
    return found


def unit_word(r: Reading, p: int) -> str:
    """The unit printed at ``p`` (``unit_zh`` of :meth:`_unit`), "" when there is none."""
    found = unit_at(r, p)
    return found[0] if found is not None else ""


def simple_unit_at(r: Reading, p: int) -> tuple[str, int, int, str] | None:
    s = r.s
    mid = ""
    c = s[p : p + 1]  # "" at the end of the text
    if c == " ":
        if s[p + 1 : p + 2] in lx.UNIT_LENGTHS:
            found = unit_at(r, p + 1)  # 增长 4.7 %: one space before the unit (older layouts)
            if found is not None and found[0]:
                return found
    elif c in lx.BETWEEN_QUALIFIERS:
        mid = lx.BETWEEN_QUALIFIERS[c]
        p += 1
        c = s[p : p + 1]
    if c in lx.UNIT_LENGTHS:
        # longest first: the units of two or more characters that start with the next two, then a one-character
        # unit (亿元 before 亿; a magnitude alone is found below)
        for length in lx.UNIT_LENGTHS_2.get(s[p : p + 2], ()):
            unit = lx.UNIT_TABLE.get(s[p : p + length])
            if unit is not None:
                return unit, p + length, p + length, mid
        unit = lx.UNIT_TABLE.get(c)
        if unit is not None:
            return unit, p + 1, p + 1, mid
    # magnitude, then 余/多, then unit: 1万余人
    for length in range(min(lx.MAG_MAXLEN, r.n - p), 0, -1):
        mag = s[p : p + length]
        if mag in lx.MAGNITUDES:
            q = p + length
            if q < r.n and s[q] in lx.BETWEEN_QUALIFIERS:
                for ulen in range(min(lx.UNIT_MAXLEN, r.n - q - 1), 0, -1):
                    unit = lx.UNIT_TABLE.get(s[q + 1 : q + 1 + ulen])
                    if unit is not None and unit in lx.PLAIN_UNITS and unit not in ("%", "个百分点"):
                        return mag + unit, q + 1 + ulen, q + 1 + ulen, lx.BETWEEN_QUALIFIERS[s[q]]
                return mag, q, q + 1, lx.BETWEEN_QUALIFIERS[s[q]]
            return mag, q, q, mid
    if mid:
        return "", p, p, mid
    return None


def column_unit(r: Reading, a: int, end: int) -> str:
    """The unit of a table column, for a number that fills a cell alone (``| 617.50 |``): the unit printed in
    parentheses in the same column of a row above it in the table (``| 绝对数 (亿元) | 比上年增长 (%) |``).

    Columns are counted from the right (a header may leave out the row labels' column); the table is the run of
    lines holding ``|`` (at most :data:`_TABLE_LINES` above the number).  "" when there is none.
    """
    s, n = r.s, r.n
    i = a - 1 if a > 0 and s[a - 1] in MINUS_SIGNS else a  # | -2.3 |
    while i > 0 and s[i - 1] == " ":
        i -= 1
    j = end
    while j < n and s[j] == " ":
        j += 1
    if i == 0 or s[i - 1] != "|" or j >= n or s[j] != "|":
        return ""
    line_end = s.find("\n", j)
    line_end = n if line_end < 0 else line_end
    column = s.count("|", j, line_end)  # pipes right of the number: its column from the right
    text = r.text  # the rows above are other lines of the file (each line is read on its own)
    line_start = text.rfind("\n", 0, orig(r, i)) + 1
    for _ in range(_TABLE_LINES):
        if line_start == 0:
            return ""
        above_start = text.rfind("\n", 0, line_start - 1) + 1
        row = text[above_start : line_start - 1]
        if not row.strip():
            line_start = above_start
            continue  # a blank line inside the table
        if "|" not in row:
            return ""
        cells = row.rstrip().split("|")
        if len(cells) > column:
            m = _HEADER_UNIT.search(lx.fold(cells[len(cells) - 1 - column]))
            unit = lx.UNIT_TABLE.get(m.group(1).replace(" ", "")) if m else None
            if unit:
                return unit
        line_start = above_start
    return ""


def shared_unit(r: Reading, p: int) -> str:
    """The unit after the last number of an enumeration that s[p] continues (at most 12 numbers on)."""
    s, n = r.s, r.n
    for _ in range(12):
        if not (p + 1 < n and s[p] in ENUMERATION and s[p + 1] in DIGIT_CHARS):
            return ""
        p = digits_at(s, p + 1).end()
        if p + 1 < n and s[p] in DECIMAL_POINTS and s[p + 1] in DIGIT_CHARS:
            p = digits_at(s, p + 1).end()
        found = unit_at(r, p)
        if found is not None and found[0] and not found[3]:
            return found[0]  # the unit only: qualifiers and where scanning resumes stay with this number
    return ""
