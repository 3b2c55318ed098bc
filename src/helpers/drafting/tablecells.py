"""Tables in a new report's text: the unit a ``单位：…`` line gives every cell below it, and the indicator a cell's
row label and column heading make.

A table is the run of lines right after a ``单位：吨`` (``单位:万元``, ``计量单位：…``) line, up to a blank line, the
next unit line or a sentence (a line ending with 。).  A line is split into cells at ``|`` (pipe-separated) or else at
runs of two or more spaces, tabs or full-width spaces (columns aligned with spaces).  The first line without a
plain number among its cells is the heading.  A drafted figure whose number is a cell of a table row gets:

- the table's unit, its base value and unit, and whether it is rounded; a cell under a heading that holds ``%``
  (``增长%``, ``比上年增长(%)``) is a percentage: unit ``%``, measure ``change_yoy_pct`` when the heading words a
  change (its direction from the sign and the heading's words, reference from 比上年 …), else ``share_pct``
  where the heading says 占/比重, else ``rate``;
- the indicator guess ``row label + column heading`` (粮食 + 产量 → 粮食产量; a heading that only names the
  column's year or says 数值/绝对数/指标 adds nothing); a heading that is a year (``2020年``) dates the cell.
"""

from __future__ import annotations

import re
from fractions import Fraction

from helpers.core import units
from helpers.drafting import wording

_UNIT_LINE = re.compile(r"^\s*(?:计量)?单位\s*[:：]\s*([^\s，,。;；)）]+)\s*$")
_SPLIT = re.compile(r"\s*\|\s*|[ \u3000]{2,}|\t+")
_NUMBER = re.compile(r"[-−]?[0-9]+(?:\.[0-9]+)?")
_YEAR_HEADING = re.compile(r"^((?:19|20)[0-9]{2})年?$")
_EMPTY_HEADINGS = (
    "指标",
    "项目",
    "指标名称",
    "名称",
    "数值",
    "绝对数",
    "绝对值",
    "本期",
    "本年",
    "数量",
    "单位",
    "年末数",
    "全年数",
)


def _cells(line: str, start: int) -> list[tuple[str, int]]:
    """(cell text, offset of its first character) for each non-empty cell of a table line."""
    out, pos = [], 0
    stripped = line.strip("|")
    lead = len(line) - len(line.lstrip("|"))
    for m in _SPLIT.finditer(stripped):
        cell = stripped[pos : m.start()]
        if cell.strip():
            out.append((cell.strip(), start + lead + pos + len(cell) - len(cell.lstrip())))
        pos = m.end()
    cell = stripped[pos:]
    if cell.strip():
        out.append((cell.strip(), start + lead + pos + len(cell) - len(cell.lstrip())))
    return out


def tables(text: str) -> list[tuple[str, list[list[tuple[str, int]]]]]:
    """Each table of ``text``: its unit and its lines as cells (text and offset)."""
    found = []
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    i = 0
    while i < len(lines):
        m = _UNIT_LINE.match(lines[i].rstrip("\r\n"))
        if not m:
            i += 1
            continue
        unit, rows = m.group(1), []
        i += 1
        while i < len(lines):
            line = lines[i].rstrip("\r\n")
            if not line.strip() or _UNIT_LINE.match(line) or line.rstrip().endswith("。"):
                break
            cells = _cells(line, offsets[i])
            if len(cells) < 2:
                break
            rows.append(cells)
            i += 1
        if rows:
            found.append((unit, rows))
    return found


def _heading(rows: list[list[tuple[str, int]]]) -> list[str]:
    for cells in rows:
        if not any(_NUMBER.fullmatch(c) for c, _ in cells):
            return [c for c, _ in cells]
    return []


def in_row_label(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in the first cell of a pipe-separated table row that words a label (``18-34岁 | 189574
    |``, ``60岁及以上 | …``): a number there is part of the row's name, not a figure."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : len(text) if end < 0 else end]
    if "|" not in line and "｜" not in line:
        return False
    lead = len(line) - len(line.lstrip("|｜"))
    first = re.split(r"[|｜]", line[lead:], maxsplit=1)[0]
    return pos < start + lead + len(first) and re.search(r"[\u4e00-\u9fff]", first) is not None


def pipe_tables(text: str) -> list[list[list[tuple[str, int]]]]:
    """Each run of two or more lines split by ``|`` (a table whose columns name their units in their headings,
    ``年末数(人) | 比重(%)``), as cells (text and offset)."""
    found: list[list[list[tuple[str, int]]]] = []
    offset, run = 0, []
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        cells = _cells(stripped, offset) if "|" in stripped else []
        if len(cells) >= 2:
            run.append(cells)
        else:
            if len(run) >= 2:
                found.append(run)
            run = []
        offset += len(line)
    if len(run) >= 2:
        found.append(run)
    return found


def _name(f: dict, label: str, column: str) -> None:
    """Name a cell of a table without a unit line: its row label, and its column heading unless that only says
    how the number is given (年末数(人), 比上年涨跌(%)); the unit the extractor read from the heading stays."""
    label = re.sub(r"^其中\s*[:：]\s*", "", label)
    plain = re.sub(r"[(（][^)）]*[)）]", "", column).strip()
    named = "" if plain in _EMPTY_HEADINGS or plain.startswith(("比上年", "比去年", "比同期", "同比", "较")) else plain
    f["indicator_zh"] = label + named
    f["indicator_en"] = f"TO TRANSLATE: {label + named}"
    if f["unit_zh"] == "%" and re.search("占|比重", column):
        f["measure"] = "share_pct"
    f["guess"] = f["guess"].replace("indicator", "indicator (row label + column heading)", 1)


def apply(figures: list[dict], text: str) -> None:
    """Give the drafted figures that are table cells their table's unit and their row's and column's name."""
    by_start = {f["char_start"]: f for f in figures}
    done = set()
    for rows in pipe_tables(text) if "|" in text else []:
        heading = _heading(rows)
        for cells in rows:
            for j, (cell, offset) in enumerate(cells[1:], start=1):
                f = by_start.get(offset)
                if f is not None and _NUMBER.fullmatch(cell) and len(heading) == len(cells):
                    _name(f, cells[0][0], heading[j])
                    done.add(offset)
    if "单位" not in text:
        return
    for unit, rows in tables(text):
        heading = _heading(rows)
        for cells in rows:
            label = cells[0][0]
            for j, (cell, offset) in enumerate(cells[1:], start=1):
                f = by_start.get(offset)
                if f is None or not _NUMBER.fullmatch(cell):
                    continue
                column = heading[j] if len(heading) == len(cells) else ""
                _fill(f, unit, label, column)


def _fill(f: dict, unit: str, label: str, column: str) -> None:
    plain = re.sub(r"[(（]?[%％][)）]?", "", column).strip()
    year = _YEAR_HEADING.match(plain)
    if year:
        f["period"] = f"{year.group(1)}-01/{year.group(1)}-12"
    named = "" if year or plain in _EMPTY_HEADINGS else plain
    f["indicator_zh"] = label + named
    f["guess"] = "section, topic, indicator (row label + column heading), unit (the table's), measure"
    if "%" in column or "％" in column:
        f["unit_zh"], f["base_unit"] = "%", "percent"
        f["base_value"] = _number(Fraction(f["value"]))
        f["rounded"] = "true"
        said = [w for w in wording.words() if w in column]
        if said or "比" in column:
            f["measure"] = "change_yoy_pct"
            f["direction"] = (
                "down" if f["value"].startswith("-") else wording.words().get(said[-1] if said else "", "up")
            )
            f["reference"] = "上年同期" if "同比" in column else ("上年" if "上年" in column else "")
        else:
            f["measure"] = "share_pct" if re.search("占|比重", column) else "rate"
        return
    try:
        parsed = units.parse_unit(unit)
    except units.UnitError:
        f["unit_zh"] = unit  # a unit the code does not know: the draft's problems name it
        return
    value = units.parse_decimal(f["value"])
    f["unit_zh"], f["base_unit"] = unit, parsed.base_unit
    f["base_value"] = _number(value * parsed.factor)
    f["rounded"] = "false" if parsed.is_discrete and value.denominator == 1 else "true"
    f["measure"] = "count" if parsed.is_discrete else "level"
    f["direction"] = f["reference"] = ""


def _number(x: Fraction) -> str:
    rounded = units.round_base(x)
    return str(int(rounded)) if float(rounded).is_integer() and abs(rounded) < 1e18 else repr(rounded)
