"""Drafting a figures table from a report's text: ``python -m helpers extract REPORT.txt``.

The extractor reads a Chinese report and proposes one row per printed figure in
the schema of ``data/figures.csv``, with offsets (Unicode code points) into the
text exactly as given, so that ``text[char_start:char_end] == printed``.  It is a
*draft*: value, unit, qualifier and period follow fixed rules and are checked
against the curated table (``compare``); the section, topic, indicator and
measure are guesses, marked by the column ``guess``.

How it reads
============

1. **Layout.**  The text is split into paragraphs (non-blank lines).  A
   paragraph that stops mid-sentence (no closing punctuation) is joined to the
   paragraph that continues it; photo captions (short lines standing alone
   between blank lines) and a complete paragraph boxed in between captions are
   skipped over to find that continuation, and read as units of their own.
   Sentences are read in this joined form; every offset is mapped back to the
   original text.
2. **Tokens.**  Runs of digits (ASCII or full-width) are found with one simple
   regular expression and grown by hand: a decimal point followed by digits;
   thousands separators ``,`` or ``，`` only when exactly three digits follow
   (``1,234`` but not ``1,1,1`` or ``1,2345``); a range ``3-5`` / ``3至5`` /
   ``3~5`` when a unit follows.  No pattern has nested quantifiers, every
   look-behind or look-ahead reads a bounded window, so time grows linearly with
   the text.
3. **Not figures** (``extract_non_figures``): digits of a period marker
   (``1-11月份``, ``2022年``, ``11月``, ``3季度``) → ``period_marker``; a
   year printed as an award's year (``获评2021年度…``) → ``award_year``; a year
   opening a title (``2023青州…``) → ``title_year``; digits in a name (``5G``,
   ``G20``, ``1号线``) → ``name``; ``20强``, ``前10名``, ``TOP10`` →
   ``ranking``; ``第6批`` and list numbers (``1、``, ``（2）``) → ``ordinal``.
4. **Unit.**  Magnitude + unit as printed right after the number, longest match
   against :mod:`helpers.units` (``个百分点`` before ``个``, ``千瓦`` before
   ``千``); ``余``/``多`` may sit between number and unit (``40余家``,
   ``2600余万元``, ``1万余人``) and is not part of ``unit_zh``.  ``每人每月860元`` →
   ``元/人·月``.  A full-width ``％`` is written ``%``.  A few units that
   :mod:`helpers.units` does not convert (年, 个月, 小时, 岁, 倍, 人次 …) are
   recognised with an empty ``base_unit``; a bare magnitude (``1.2万亿``) gives
   ``unit_zh`` = the magnitude and an empty ``base_unit``; a number with no
   unit gives ``unit_zh`` "".

Qualifiers
==========

===============  =============================================================
qualifier        printed as
===============  =============================================================
``exact``        no qualifier
``more_than``    超, 超过, 突破, 逾 before the number; 余, 多 between number and
                 unit; 以上 after the unit
``approx``       约, 大约, 近, 将近, 接近 before the number; 左右 after the unit
``at_most``      以内, 以下 after the unit; 不足, 不到, 不超过 before the number
``estimate``     预计 earlier in the same sentence: applies to every figure after
                 it up to 。 or ；
``range``        ``3-5个``: value is the low end, ``value_high`` the high end
===============  =============================================================

A qualifier printed next to the number wins over ``estimate`` (``预计超100亿元``
→ ``more_than``); a range wins over everything.

Periods
=======

A period marker applies to every figure after it up to the end of the
sentence (。！？), with one exception: a clause that *opens* with a figure
(``…，15项惠民工程全部完工``) starts a new statement, so a period (or 预计) that
has already dated a figure does not carry into it.  Periods are ISO 8601
intervals in the report year ``year`` unless a year is printed
(``2021年1-11月``):

=========================================  =======================================
printed                                    period (year 2022)
=========================================  =======================================
1-11月份, 1至11月, 1—11月, 1~11月            2022-01/2022-11
11月, 11月份                                 2022-11/2022-11
11月20日                                     2022-11-20/2022-11-20
11月底, 11月末                               2022-11-30/2022-11-30
前三季度 (前3季度)                            2022-01/2022-09
一季度, 第二季度, 3季度 …                     2022-01/2022-03, 2022-04/2022-06 …
上半年 / 下半年                              2022-01/2022-06 / 2022-07/2022-12
全年 (not 全年任务/计划/目标), 2021年         2022-01/2022-12, 2021-01/2021-12
年末, 年底 / 年初                            2022-12-31/2022-12-31 / 2022-01-01/2022-01-01
=========================================  =======================================

Measures (a guess)
==================

Cues in the clause before the number decide.  Percentages: the last cue wins —
同比/比上年/增长/下降 → ``change_yoy_pct``; 占/占比/比重/覆盖率/达标 →
``share_pct``; 完成…计划/任务 → ``completion_pct``; none → ``rate``;
``个百分点`` → ``change_pp``.  Other units, first rule that applies:
per-person standards (元/人·月) → ``rate``; money after 投资/总投资 →
``investment_total``; 累计/扩充到/总量 → ``stock``; 新增/新建/引进/建成/完成/
出让/拉动 … → ``flow``; stock-like indicators (余额, 市场主体, 常住人口) →
``stock``; otherwise by unit: 亩/平方米 → ``area``, 公里/米 → ``length``, money →
``level``, counters and days → ``count``.  ``change_pp`` is not in the data
package's measure list; the draft proposes it for a curator to map.

``rounded`` is true unless the unit counts discrete things (counters, days) and
the value is an integer, the value is 100 with %, or the unit is a per-person
standard (元/人·月) and the value is an integer (a standard is set, not
measured).

Chinese numerals (``chinese_numerals=True``, ``--chinese-numerals``)
=====================================================================

Quantities written in Chinese numerals (``三大``, ``两大``, ``十余家``,
``“双引擎”``, ``三万人``) are converted with cn2an.  They are off by default
because the curated table, like most figure tables, lists digit figures only.
Ordinals (第六批), names and idioms (一揽子, 一站通, 四季青, 百年老店) are
not quantities: a numeral counts only when a counter, unit or 大 follows it.

Library use
===========

::

    text = read_report("report.txt")                # strict UTF-8, offsets as in the file
    draft = extract_text(text, year=2022)           # DataFrame (DRAFT_COLUMNS), sorted by char_start
    nonfig = extract_non_figures(text, year=2022)   # DataFrame (NON_FIGURE_COLUMNS)
    result = compare(draft, curated)                # Comparison against data/figures.csv
    result.recall, result.precision, result.qualifier_accuracy, result.period_accuracy
    result.accuracy("rounded")                      # any column both tables have
    print(result)                                   # the rates, then every disagreement
    result.confusion()                              # the disagreements as a DataFrame
"""

from __future__ import annotations

import argparse
import bisect
import gc
import os
import re
import sys
import tempfile
from calendar import monthrange
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from helpers.units import MAGNITUDES, UNITS, parse_unit, round_base

if TYPE_CHECKING:  # pandas is imported where it is used: `import helpers.extract` stays light
    import pandas as pd

__all__ = [
    "DRAFT_COLUMNS",
    "FIGURE_COLUMNS",
    "NON_FIGURE_COLUMNS",
    "Comparison",
    "ExtractError",
    "compare",
    "extract_non_figures",
    "extract_text",
    "read_report",
    "register",
]

#: The columns of ``data/figures.csv``, in order.
FIGURE_COLUMNS: tuple[str, ...] = (
    "id", "section", "topic_zh", "topic_en", "indicator_zh", "indicator_en",
    "value", "unit_zh", "base_value", "base_unit", "qualifier", "rounded",
    "period", "measure", "char_start", "char_end",
)
#: A draft has the figures columns and: ``printed`` (text[char_start:char_end]),
#: ``value_high`` (high end of a range, else ""), ``guess`` (which fields are guessed).
DRAFT_COLUMNS: tuple[str, ...] = FIGURE_COLUMNS + ("printed", "value_high", "guess")
#: The columns of ``data/non_figures.csv``.
NON_FIGURE_COLUMNS: tuple[str, ...] = ("id", "text", "reason", "figure_id", "char_start", "char_end")

#: Value of the ``guess`` column: the guessed fields are section, topic, indicator and measure.
GUESS = "indicator"

#: Numbers with more significant characters than this keep their printed value
#: but get no base value (it would not fit a float).
MAX_NUMBER_CHARS = 40


class ExtractError(ValueError):
    """Input the extractor cannot read (a file that is missing or not UTF-8, a text that is not a str)."""


# ---------------------------------------------------------------------------
# Character classes and tables

_DIGIT_CHARS = frozenset("0123456789０１２３４５６７８９")
_TO_ASCII = str.maketrans("０１２３４５６７８９．", "0123456789.")
_DECIMAL_POINTS = frozenset(".．")
_THOUSANDS = frozenset(",，")
_DASHES = frozenset("-－—–~～至到")
_SPACES = " \t\r\u3000\xa0"
#: Characters read before a number for its clause (qualifier, cues, indicator words).
_WINDOW = 40
_NUM = re.compile(r"[0-9０-９]+")

#: Sentence ends (a period's scope stops here) and clause ends (预计 stops here too).
_SENTENCE_END = re.compile(r"[。！？!?]")
_ESTIMATE_END = re.compile(r"[。！？!?；;]")
#: Breaks that end a clause (、 enumerates inside a clause); and with 、 (for indicator words).
_CLAUSE_BREAK = re.compile(r"[，。；：！？,;:!?\n]")
_WORD_BREAK = re.compile(r"[，。；：！？,;:!?、\n]")
_COMMAS = frozenset("，,：:")
#: Terminal punctuation: a paragraph ending in one of these is complete.
_TERMINALS = frozenset("。！？；…!?;:：”」』）)】\"'")

#: Units the extractor recognises although :mod:`helpers.units` does not convert them.
EXTRA_UNITS: tuple[str, ...] = (
    "年", "个月", "周", "小时", "分钟", "秒", "岁", "倍", "人次", "户次", "辆次", "架次", "艘次",
    "千米", "平方千米", "立方米", "千克", "吨标准煤", "兆瓦", "千瓦时", "度", "欧元", "港元",
)
_DISCRETE_EXTRA_UNITS = frozenset({"年", "个月", "周", "岁", "人次", "户次", "辆次", "架次", "艘次"})
_PERCENT_ALIASES = {"％": "%"}


def _build_unit_table() -> dict[str, str]:
    """Every printable magnitude+unit → unit_zh as stored (full-width ％ → %)."""
    units = list(UNITS) + [u for u in EXTRA_UNITS if u not in UNITS] + list(_PERCENT_ALIASES)
    table: dict[str, str] = {}
    for unit in units:
        canonical = _PERCENT_ALIASES.get(unit, unit)
        table.setdefault(unit, canonical)
    for mag in MAGNITUDES:
        for unit in units:
            canonical = _PERCENT_ALIASES.get(unit, unit)
            if canonical in ("%", "个百分点", "元/人·月") or unit in MAGNITUDES:
                continue
            table.setdefault(mag + unit, mag + canonical)
    return table


_UNIT_TABLE = _build_unit_table()
_PLAIN_UNITS = frozenset(UNITS) | frozenset(EXTRA_UNITS)
#: First character of a printed unit → the lengths of the units starting with it, longest first.
_UNIT_LENGTHS: dict[str, tuple[int, ...]] = {}
for _key in _UNIT_TABLE:
    _UNIT_LENGTHS[_key[0]] = tuple(sorted({len(_key), *_UNIT_LENGTHS.get(_key[0], ())}, reverse=True))
del _key
_UNIT_MAXLEN = max(map(len, _UNIT_TABLE))
_MAG_MAXLEN = max(map(len, MAGNITUDES))

#: Qualifiers printed right before the number, longest first.
_BEFORE_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("不超过", "at_most"), ("超过", "more_than"), ("突破", "more_than"), ("大约", "approx"),
    ("将近", "approx"), ("接近", "approx"), ("不足", "at_most"), ("不到", "at_most"),
    ("超", "more_than"), ("逾", "more_than"), ("约", "approx"), ("近", "approx"),
)
_NOT_APPROX_BEFORE_JIN = frozenset("最附邻靠亲")
_QUALIFIER_LAST_CHARS = frozenset(w[-1] for w, _ in _BEFORE_QUALIFIERS)
#: Qualifiers printed right after the unit.
_AFTER_QUALIFIERS = {"左右": "approx", "以上": "more_than", "以内": "at_most", "以下": "at_most"}
_AFTER_FIRST_CHARS = frozenset(w[0] for w in _AFTER_QUALIFIERS)
#: Words dropped from the end of an indicator guess (verbs and qualifiers before the number).
_TRAILING_WORDS = (
    "和", "及", "在", "对",
    "不超过", "提高到", "提高至", "增长到", "扩充到", "达到", "超过", "突破", "大约", "将近", "接近",
    "不足", "不到", "共计", "分别", "超", "逾", "约", "近", "达", "为", "至", "到", "均", "的", "每人每月",
)
#: Words dropped from the start of an indicator guess.
_LEADING_WORDS = ("预计", "其中", "全年", "共计", "同时", "目前", "全区", "全市", "实现")

_PER_PERSON_MONTH = ("每人每月", "人均每月", "每月每人")

#: Measure cues: (word, measure), searched in the clause before the number; the last one wins.
_PCT_CUES = (
    ("同比", "change_yoy_pct"), ("比上年", "change_yoy_pct"), ("比去年", "change_yoy_pct"),
    ("增长", "change_yoy_pct"), ("下降", "change_yoy_pct"), ("增速", "change_yoy_pct"),
    ("回落", "change_yoy_pct"), ("提高", "change_yoy_pct"),
    ("占比", "share_pct"), ("比重", "share_pct"), ("占", "share_pct"), ("覆盖率", "share_pct"),
    ("达标率", "share_pct"), ("完成", "completion_pct"),
)
_FLOW_CUES = (
    "利用外资", "新增", "新建", "新引进", "引进", "引育", "建成", "完成", "出让", "拉动", "新开工", "落户", "新设",
)
_STOCK_CUES = ("累计", "扩充到", "总数", "总量", "保有量")
#: Indicators that are stocks by nature, when no flow verb (新增 …) says otherwise.
_STOCK_NOUNS = ("余额", "市场主体", "经营主体", "常住人口", "户籍人口")
_PCT_CUE_MEASURE = dict(_PCT_CUES)
_PCT_CUE_RE = re.compile("|".join(sorted(_PCT_CUE_MEASURE, key=len, reverse=True)))
_PLAN_RE = re.compile("计划|任务|目标")
_STOCK_RE = re.compile("|".join(_STOCK_CUES))
_STOCK_NOUN_RE = re.compile("|".join(_STOCK_NOUNS))
_FLOW_RE = re.compile("|".join(_FLOW_CUES))

#: Period words (no digits) and 预计, found in one pass.
_PERIOD_WORDS: dict[str, tuple[int, int] | str] = {
    "前三季度": (1, 9), "前两季度": (1, 6), "第一季度": (1, 3), "第二季度": (4, 6),
    "第三季度": (7, 9), "第四季度": (10, 12), "一季度": (1, 3), "二季度": (4, 6),
    "三季度": (7, 9), "四季度": (10, 12), "上半年": (1, 6), "下半年": (7, 12),
    "全年": (1, 12), "年末": "end", "年底": "end", "年初": "start",
}
_EVENT = re.compile("预计|" + "|".join(sorted(_PERIOD_WORDS, key=len, reverse=True)))
_NOT_PERIOD_AFTER_QUANNIAN = ("任务", "计划", "目标")

_AWARD_CUES = ("评", "获", "入选", "授予", "命名", "荣膺", "认定")

_CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+|双")
_CN_DIGITS = frozenset("零〇一二两三四五六七八九十")


_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: A number next to one of these may be a name, period, ordinal or range (the slow path).
_SPECIAL_NEXT = _ASCII_LETTERS | _DASHES | frozenset("月日号季年强名位")
_SPECIAL_PREV = _ASCII_LETTERS | frozenset("第前-_")


# ---------------------------------------------------------------------------
# Reading input


def read_report(path: str | os.PathLike[str]) -> str:
    """The text of a report file, decoded as strict UTF-8 with newlines untouched.

    Raises :class:`ExtractError` naming the file (and the byte offset of the
    first byte that is not UTF-8).
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ExtractError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise ExtractError(f"{p}: is a directory, not a report file") from None
    except OSError as exc:
        raise ExtractError(f"{p}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.start + 4].hex(" ")
        raise ExtractError(
            f"{p}: not UTF-8 text: byte offset {exc.start} (bytes {bad}): {exc.reason}"
        ) from None


# ---------------------------------------------------------------------------
# Layout: paragraphs, captions, joined reading units


class _Para(NamedTuple):
    start: int  # offsets of the stripped line in the original text
    end: int
    blank_before: bool
    blank_after: bool


#: A line's content: first to last non-space character (no newline inside; linear: the only
#: backtracking is over a line's trailing spaces, once).
_LINE_CONTENT = re.compile(r"[^\s](?:[^\n]*[^\s])?")


def _paragraphs(text: str) -> list[_Para]:
    """Non-blank lines, stripped, with whether a blank line (or the text's edge) is before/after each."""
    spans = [m.span() for m in _LINE_CONTENT.finditer(text)]
    # a blank line between two paragraphs means at least two newlines between them
    gaps = [True]
    gaps += [text.count("\n", spans[i - 1][1], spans[i][0]) >= 2 for i in range(1, len(spans))]
    gaps.append(True)
    return [_Para(s, e, gaps[i], gaps[i + 1]) for i, (s, e) in enumerate(spans)]


_CAPTION_MAX = 24
_HEADING_MAX = 24


def _is_caption(text: str, p: _Para) -> bool:
    """A short line standing alone between blank lines, with at most a closing mark."""
    if p.end - p.start > _CAPTION_MAX or not (p.blank_before and p.blank_after):
        return False
    body = text[p.start:p.end - 1] if text[p.end - 1] in _TERMINALS else text[p.start:p.end]
    return _WORD_BREAK.search(body) is None


def _is_open(text: str, p: _Para) -> bool:
    """A body paragraph that stops mid-sentence."""
    last = text[p.end - 1]
    if last in _TERMINALS:
        return False
    if last in "，、,":
        return True
    return p.end - p.start >= 30 or _SENTENCE_END.search(text, p.start, p.end) is not None


_LOOKAHEAD_PARAS = 8


def _units(text: str, paras: list[_Para]) -> list[list[int]]:
    """Reading units: lists of paragraph indices read as one text, in reading order."""
    consumed = bytearray(len(paras))
    units: list[list[int]] = []
    for i in range(len(paras)):
        if consumed[i]:
            continue
        unit = [i]
        last = i
        while _is_open(text, paras[last]):
            nxt = _continuation(text, paras, last, consumed)
            if nxt is None:
                break
            consumed[nxt] = 1
            unit.append(nxt)
            last = nxt
        units.append(unit)
    return units


def _continuation(text: str, paras: list[_Para], i: int, consumed: bytearray) -> int | None:
    prev_caption = False
    for k in range(i + 1, min(len(paras), i + 1 + _LOOKAHEAD_PARAS)):
        if consumed[k]:
            continue
        p = paras[k]
        if _is_caption(text, p):
            prev_caption = True
            continue
        boxed = (
            prev_caption
            and k + 1 < len(paras)
            and _is_caption(text, paras[k + 1])
            and text[p.end - 1] in _TERMINALS
        )
        if boxed:  # a complete paragraph laid out between photo captions
            prev_caption = False
            continue
        return k
    return None


def _headings(text: str, paras: list[_Para]) -> list[int]:
    """Start offsets of two-line section headings (title on one line, subtitle on the next)."""
    starts = []
    for k in range(len(paras) - 1):
        a, b = paras[k], paras[k + 1]
        if a.blank_after or not a.blank_before:
            continue
        if a.end - a.start > 12 or b.end - b.start > _HEADING_MAX:
            continue
        lines = text[a.start:a.end] + text[b.start:b.end]
        if _WORD_BREAK.search(lines) or any(c in lines for c in " \u3000") or "记者" in lines:
            continue
        if k + 2 < len(paras) and not paras[k + 2].blank_before:
            continue  # three short lines in a row: a byline or list, not a heading
        starts.append(a.start)
    return starts


# ---------------------------------------------------------------------------
# The scanner


@dataclass
class _Scope:
    period: str = ""
    period_used: bool = False
    estimate: bool = False
    estimate_used: bool = False
    year: int = 0
    checked: int = 0  # reading offset up to which sentence ends have been looked for
    marker_rows: list | None = None  # non-figure rows of the current period marker (awaiting a figure)


def _iso_months(year: int, m1: int, m2: int) -> str:
    return f"{year:04d}-{m1:02d}/{year:04d}-{m2:02d}"


def _iso_day(year: int, month: int, day: int) -> str:
    d = f"{year:04d}-{month:02d}-{day:02d}"
    return f"{d}/{d}"


def _norm_value(printed: str) -> str:
    out = printed.translate(_TO_ASCII)
    if "," in out or "，" in out:
        out = out.replace(",", "").replace("，", "")
    return out


def _small_int(value: str, lo: int, hi: int) -> int | None:
    if len(value) > 4 or not value.isdigit():
        return None
    v = int(value)
    return v if lo <= v <= hi else None


class _Scanner:
    def __init__(self, text: str, year: int, chinese_numerals: bool) -> None:
        self.text = text
        self.year = year
        self.chinese_numerals = chinese_numerals
        self.figures: list[list[Any]] = []  # rows in DRAFT_COLUMNS order
        self.non_figures: list[dict[str, Any]] = []

    # -- entry point ---------------------------------------------------------------------------

    def run(self) -> None:
        text = self.text
        paras = _paragraphs(text)
        heads = _headings(text, paras)
        search = _NUM.search
        for unit in _units(text, paras):
            if len(unit) == 1:
                p = paras[unit[0]]
                if not self.chinese_numerals and search(text, p.start, p.end) is None:
                    continue  # nothing to read: a heading, a caption
                self._scan_unit([(p.start, p.end)], heads)
            else:
                self._scan_unit([(paras[k].start, paras[k].end) for k in unit], heads)
        self.figures.sort(key=_START)
        self.non_figures.sort(key=lambda r: r["char_start"])
        width = max(3, len(str(len(self.figures))))
        ids = {}
        fmt = f"draft_%0{width}d"
        for n, row in enumerate(self.figures, 1):
            ids[id(row)] = row[0] = fmt % n
        nwidth = max(3, len(str(len(self.non_figures))))
        for n, row in enumerate(self.non_figures, 1):
            row["id"] = f"non_figure_{n:0{nwidth}d}"
            fig = row.pop("_figure", None)
            row["figure_id"] = ids.get(id(fig), "") if fig is not None else ""

    # -- one reading unit ----------------------------------------------------------------------

    def _scan_unit(self, pieces: list[tuple[int, int]], heads: list[int]) -> None:
        text = self.text
        if len(pieces) == 1:
            base = pieces[0][0]
            s = text[pieces[0][0]:pieces[0][1]]
            offsets = None
        else:
            s = "".join(text[a:b] for a, b in pieces)
            offsets = []
            cum = 0
            for a, b in pieces:
                offsets.append(cum)
                cum += b - a
            base = 0
        self.s = s
        self.n = len(s)
        self.pieces = pieces
        self.cum = offsets
        self.base = base
        self.section = bisect.bisect_right(heads, pieces[0][0])
        self.topic = None  # computed with the unit's first figure
        self.scope = _Scope(year=self.year)
        self.last_fig: list[Any] | None = None
        self.last_fig_end = 0
        self.pending: list[dict[str, Any]] = []  # non-figures waiting for a figure in their clause
        self.last_marker_end = -1
        self.last_month = None
        self.last_unit_end = -1

        self.breaks = [m.start() for m in _CLAUSE_BREAK.finditer(s)]
        # period words and 预计 (and, when asked, Chinese numerals), read in text order with the digits
        events = [(m.start(), m.end(), m.group()) for m in _EVENT.finditer(s)] if _has_event_char(s) else []
        if self.chinese_numerals:
            events += [(m.start(), m.end(), None) for m in _CN_NUMERAL.finditer(s)]
            events.sort()
        ev, nev = 0, len(events)
        consumed = 0
        for m in _NUM.finditer(s):
            a = m.start()
            if a < consumed:
                continue
            while ev < nev and events[ev][0] < a:
                self._event(*events[ev])
                ev += 1
            consumed = self._number(a, m.end())
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

    # -- scope of periods and 预计 ---------------------------------------------------------------

    def _advance(self, pos: int) -> None:
        """Close the period / estimate scope when a sentence end lies before ``pos``."""
        sc = self.scope
        if pos <= sc.checked:
            return
        if sc.period or sc.estimate or sc.year != self.year or sc.marker_rows:
            if _SENTENCE_END.search(self.s, sc.checked, pos):
                sc.period, sc.period_used, sc.estimate, sc.estimate_used = "", False, False, False
                sc.year = self.year
                sc.marker_rows = None
            elif sc.estimate and _ESTIMATE_END.search(self.s, sc.checked, pos):
                sc.estimate, sc.estimate_used = False, False
        sc.checked = pos

    def _set_period(self, pos: int, period: str) -> None:
        self._advance(pos)
        sc = self.scope
        sc.period, sc.period_used = period, False

    def _event(self, start: int, end: int, word: str | None) -> None:
        if word is None:
            self._cn_figure(start, end)
            return
        s = self.s
        self._advance(start)
        if word == "预计":
            self.scope.estimate, self.scope.estimate_used = True, False
            return
        if word == "全年" and s.startswith(_NOT_PERIOD_AFTER_QUANNIAN, end):
            return
        spec = _PERIOD_WORDS[word]
        y = self.scope.year
        if spec == "end":
            period = _iso_day(y, 12, 31)
        elif spec == "start":
            period = _iso_day(y, 1, 1)
        else:
            period = _iso_months(y, spec[0], spec[1])
        self._set_period(start, period)
        self.last_marker_end = end

    # -- one number ----------------------------------------------------------------------------

    def _number(self, a: int, b: int) -> int:
        """Read the number whose first digit run is s[a:b]; return where scanning resumes."""
        s, n = self.s, self.n
        end = b
        nxt = s[b] if b < n else ""
        plain = True  # ASCII digits without separators: the printed text is the value
        # thousands separators: 1-3 digits, then groups of exactly three digits
        if nxt in _THOUSANDS and b - a <= 3:
            sep = nxt
            e = b
            while (
                e + 3 < n and s[e] == sep and s[e + 1] in _DIGIT_CHARS and s[e + 2] in _DIGIT_CHARS
                and s[e + 3] in _DIGIT_CHARS and (e + 4 >= n or s[e + 4] not in _DIGIT_CHARS)
            ):
                e += 4
            if e > b:
                end, plain = e, False
                nxt = s[end] if end < n else ""
        if nxt in _DECIMAL_POINTS and end + 1 < n and s[end + 1] in _DIGIT_CHARS:
            end = _NUM.match(s, end + 1).end()
            nxt = s[end] if end < n else ""
        printed = s[a:end]
        value = printed if plain and printed.isascii() else _norm_value(printed)
        prev = s[a - 1] if a > 0 else ""
        sc = self.scope
        if (sc.period or sc.estimate or sc.marker_rows or sc.year != self.year) and a > sc.checked:
            self._advance(a)

        hi = None
        if nxt in _SPECIAL_NEXT or prev in _SPECIAL_PREV:
            special = self._special(a, end, value, prev, nxt)
            if isinstance(special, int):
                return special  # not a figure
            hi = special
        unit_info = self._unit(hi[1] if hi else end)
        if unit_info is None and hi is not None:
            hi = None  # "0531-1234": not a range without a unit
            unit_info = self._unit(end)
        if unit_info is None:
            # a bare number: a title year, a list number, or a figure without unit
            if len(value) == 4 and a == 0 and _small_int(value, 1900, 2100):
                return self._non_figure(a, end, "title_year")
            list_mark = nxt in "、)）" or (nxt in ".．" and (end + 1 >= n or s[end + 1] not in _DIGIT_CHARS))
            if (a == 0 or prev in "（(") and list_mark:
                return self._non_figure(a, end, "ordinal")
            unit_info = ("", end, end, "")
        unit_zh, unit_end, resume, mid_qual = unit_info

        # a range printed with the unit on both ends: 30%-40%
        if hi is None and unit_zh and unit_end + 1 < n and s[unit_end] in _DASHES and s[unit_end + 1] in _DIGIT_CHARS:
            m2 = _NUM.match(s, unit_end + 1)
            e2 = m2.end()
            if e2 + 1 < n and s[e2] in _DECIMAL_POINTS and s[e2 + 1] in _DIGIT_CHARS:
                e2 = _NUM.match(s, e2 + 1).end()
            second = self._unit(e2)
            if second is not None and second[0] == unit_zh:
                hi = (unit_end + 1, e2)
                unit_end, resume = second[1], second[2]

        qualifier = "exact"
        if hi is not None:
            qualifier = "range"
        else:
            before = self._before_qualifier(a) if a and s[a - 1] in _QUALIFIER_LAST_CHARS else ""
            after = (
                _AFTER_QUALIFIERS.get(s[unit_end:unit_end + 2])
                if unit_zh and unit_end < n and s[unit_end] in _AFTER_FIRST_CHARS else None
            )
            if before:
                qualifier = before
            elif mid_qual:
                qualifier = mid_qual
            elif after:
                qualifier = after
        if unit_zh == "元":
            head = self._strip_before_qualifier(a)
            if s.startswith(_PER_PERSON_MONTH, max(0, head - 4)) and s[max(0, head - 4):head] in _PER_PERSON_MONTH:
                unit_zh = "元/人·月"
        end_printed = hi[1] if hi else end
        self._figure(a, end_printed, value, _norm_value(s[hi[0]:hi[1]]) if hi else "", unit_zh, qualifier,
                     unit_end)
        return max(resume, end_printed)

    def _special(self, a: int, end: int, value: str, prev: str, nxt: str) -> int | tuple[int, int] | None:
        """Names, periods, ordinals (→ resume position, a non-figure) or a range's high end (→ its span)."""
        s, n = self.s, self.n
        # a range or a period range: 3-5个, 1-11月份, 1至11月
        hi = None
        if nxt in _DASHES and end + 1 < n and s[end + 1] in _DIGIT_CHARS:
            e2 = _NUM.match(s, end + 1).end()
            if e2 + 1 < n and s[e2] in _DECIMAL_POINTS and s[e2 + 1] in _DIGIT_CHARS:
                e2 = _NUM.match(s, e2 + 1).end()
            hi = (end + 1, e2)

        # names: 5G, G20, 4K, TOP10 (ranking)
        if prev in _ASCII_LETTERS or (prev in "-_" and a >= 2 and s[a - 2] in _ASCII_LETTERS):
            reason = "ranking" if s[max(0, a - 3):a].upper() == "TOP" else "name"
            return self._non_figure(a, end, reason)
        if nxt in _ASCII_LETTERS:
            return self._non_figure(a, end, "name")

        # periods printed with digits
        if hi is not None:
            low_m = _small_int(value, 1, 12)
            high_v = _norm_value(s[hi[0]:hi[1]])
            high_m = _small_int(high_v, 1, 12)
            after = s[hi[1]:hi[1] + 1]
            if low_m and high_m and after == "月" and low_m <= high_m:
                return self._period_marker(a, end, hi, _iso_months(self.scope.year, low_m, high_m))
            y1, y2 = _small_int(value, 1900, 2100), _small_int(high_v, 1900, 2100)
            if y1 and y2 and after == "年" and len(value) == 4 and y1 <= y2:
                return self._period_marker(a, end, hi, f"{y1:04d}-01/{y2:04d}-12")
        if nxt == "月":
            month = _small_int(value, 1, 12)
            if month:
                return self._month(a, end, month)
        if nxt == "日" or nxt == "号":
            day = _small_int(value, 1, 31)
            if day and prev == "月" and self.last_month and self.last_month[0] == a - 1:
                month, y = self.last_month[1], self.scope.year
                try:
                    date(y, month, day)
                except ValueError:
                    pass
                else:
                    self._set_period(a, _iso_day(y, month, day))
                return self._non_figure(a, end, "period_marker", marker=True)
            if nxt == "号":
                return self._non_figure(a, end, "name")
        if nxt == "季" and s.startswith("季度", end):
            q = _small_int(value, 1, 4)
            if q:
                if prev == "前":
                    period = _iso_months(self.scope.year, 1, 3 * q)
                else:
                    period = _iso_months(self.scope.year, 3 * q - 2, 3 * q)
                self._set_period(a, period)
                self.last_marker_end = end + 2
                return self._non_figure(a, end, "period_marker", marker=True)
        if nxt == "年" and len(value) == 4:
            y = _small_int(value, 1900, 2100)
            if y:
                return self._year(a, end, y)
        # ordinals, rankings
        if prev == "第":
            return self._non_figure(a, end, "ordinal")
        if nxt == "强" or (prev == "前" and nxt in "名位"):
            return self._non_figure(a, end, "ranking")
        return hi

    last_month: tuple[int, int] | None = None

    def _month(self, a: int, end: int, month: int) -> int:
        s = self.s
        y = self.scope.year
        self.last_month = (end, month)
        if s.startswith(("底", "末"), end + 1) or s.startswith(("份底", "份末"), end + 1):
            period = _iso_day(y, month, monthrange(y, month)[1])
        else:
            period = _iso_months(y, month, month)
        self._set_period(a, period)
        self.last_marker_end = end + (2 if s.startswith("份", end + 1) else 1)
        self._non_figure(a, end, "period_marker", marker=True)
        return end

    def _year(self, a: int, end: int, y: int) -> int:
        s = self.s
        if s.startswith("年度", end):
            clause = self._clause_before(a)
            if any(c in clause for c in _AWARD_CUES):
                return self._non_figure(a, end, "award_year")
        self.scope.year = y
        # "2021年1-11月": the months that follow set the period; else the whole year
        follow = end + (2 if s.startswith("年度", end) else 1)
        if not (follow < self.n and s[follow] in _DIGIT_CHARS):
            self._set_period(a, _iso_months(y, 1, 12))
            self.last_marker_end = follow
        self.scope.year = y
        return self._non_figure(a, end, "period_marker", marker=True)

    def _period_marker(self, a: int, end: int, hi: tuple[int, int], period: str) -> int:
        self._set_period(a, period)
        e = hi[1] + 1
        if self.s.startswith("份", e):
            e += 1
        self.last_marker_end = e
        self._non_figure(a, end, "period_marker", marker=True)
        self._non_figure(hi[0], hi[1], "period_marker", marker=True)
        return hi[1]

    # -- unit and qualifiers ----------------------------------------------------------------------

    def _unit(self, p: int) -> tuple[str, int, int, str] | None:
        """(unit_zh, end of unit, resume position, qualifier between number and unit) or None."""
        s = self.s
        mid = ""
        if p < self.n and s[p] in "余多":
            mid = "more_than"
            p += 1
        lengths = _UNIT_LENGTHS.get(s[p:p + 1])
        if lengths:
            for length in lengths:
                unit = _UNIT_TABLE.get(s[p:p + length])
                if unit is not None:
                    return unit, p + length, p + length, mid
        # magnitude, then 余/多, then unit: 1万余人
        for length in range(min(_MAG_MAXLEN, self.n - p), 0, -1):
            mag = s[p:p + length]
            if mag in MAGNITUDES:
                q = p + length
                if q < self.n and s[q] in "余多":
                    for ulen in range(min(_UNIT_MAXLEN, self.n - q - 1), 0, -1):
                        unit = _UNIT_TABLE.get(s[q + 1:q + 1 + ulen])
                        if unit is not None and unit in _PLAIN_UNITS and unit not in ("%", "个百分点"):
                            return mag + unit, q + 1 + ulen, q + 1 + ulen, "more_than"
                    return mag, q, q + 1, "more_than"
                return mag, q, q, mid
        if mid:
            return "", p, p, mid
        return None

    def _strip_before_qualifier(self, a: int) -> int:
        """Position before a qualifier word printed right before ``a`` (or ``a``)."""
        s = self.s
        for word, _ in _BEFORE_QUALIFIERS:
            if s.startswith(word, a - len(word)) and a >= len(word):
                return a - len(word)
        return a

    def _before_qualifier(self, a: int) -> str:
        s = self.s
        if a == 0 or s[a - 1] not in _QUALIFIER_LAST_CHARS:
            return ""
        for word, qual in _BEFORE_QUALIFIERS:
            k = a - len(word)
            if k >= 0 and s.startswith(word, k):
                if word == "近" and k > 0 and s[k - 1] in _NOT_APPROX_BEFORE_JIN:
                    continue
                return qual
        return ""

    # -- context ---------------------------------------------------------------------------------

    def _clause_before(self, a: int, breaks: re.Pattern = _CLAUSE_BREAK, window: int = 40) -> str:
        lo = max(0, a - window)
        rev = self.s[lo:a][::-1]
        m = breaks.search(rev)
        return rev[:m.start()][::-1] if m else rev[::-1]

    # -- rows ------------------------------------------------------------------------------------

    def _non_figure(self, a: int, end: int, reason: str, marker: bool = False) -> int:
        cs, ce = self._orig(a), self._orig_end(end)
        row = {
            "id": "", "text": self.text[cs:ce], "reason": reason, "figure_id": "",
            "char_start": cs, "char_end": ce, "_figure": None,
        }
        self.non_figures.append(row)
        if marker:
            if self.scope.marker_rows is not None:
                self.scope.marker_rows.append(row)
            else:
                self.scope.marker_rows = [row]
        elif reason in ("name", "award_year"):
            # it belongs to the figure of its clause: the one before it, or the next one (bounded windows)
            lf = self.last_fig_end
            if self.last_fig is not None and a - lf <= _WINDOW and not _CLAUSE_BREAK.search(self.s, lf, a):
                row["_figure"] = self.last_fig
            else:
                row["_clause_end"] = end
                if self.pending and self.pending[0]["_clause_end"] < a - _WINDOW:
                    self.pending = [r for r in self.pending if r["_clause_end"] >= a - _WINDOW]
                self.pending.append(row)
        return end

    def _figure(self, a: int, end: int, value: str, value_high: str, unit_zh: str, qualifier: str,
                unit_end: int) -> None:
        s = self.s
        sc = self.scope
        # the clause before the number (back to ，。；： …, at most _WINDOW characters)
        i = bisect.bisect_left(self.breaks, a) - 1
        start = self.breaks[i] + 1 if i >= 0 else 0
        opened_by = s[start - 1] if start > 0 else ""
        if a - start > _WINDOW:
            start, opened_by = a - _WINDOW, ""
        clause = s[start:a]
        # a clause opening with a figure starts a new statement: a used period / 预计 stops here
        if (sc.period_used or sc.estimate_used) and opened_by in _COMMAS:
            head = clause
            for word, _ in _BEFORE_QUALIFIERS:
                if head.endswith(word):
                    head = head[: -len(word)]
                    break
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
            if qualifier == "exact":
                qualifier = "estimate"

        if self.cum is None:
            cs, ce = self.base + a, self.base + end
        else:
            cs, ce = self._orig(a), self._orig_end(end)
        printed = self.text[cs:ce]
        hit = _BASE_CACHE.get((value, unit_zh))
        base_value, base_unit, discrete = hit if hit is not None else _base(value, unit_zh)
        if "." not in value:  # an integer
            rounded = not (discrete or "/" in unit_zh or (unit_zh == "%" and _is_hundred(value)))
        else:
            rounded = not (unit_zh == "%" and _is_hundred(value))
        after = s[unit_end:unit_end + 4]
        indicator = self._indicator(a, clause, unit_zh, unit_end, discrete)
        if self.topic is None:
            self.topic = _topic(s)
        row = [  # in DRAFT_COLUMNS order (a list: cheaper than a dict, filled in by run())
            "", self.section, self.topic, "", indicator, "", value, unit_zh, base_value, base_unit,
            qualifier, rounded, period, _measure(unit_zh, base_unit, clause, after), cs, ce, printed,
            value_high, GUESS,
        ]
        self.figures.append(row)
        if period and sc.marker_rows:
            for r in sc.marker_rows:
                r["_figure"] = row
            sc.marker_rows = None
        if self.pending:  # names and award years waiting for a figure in their clause
            clause_start = start
            for r in self.pending:
                if r["_clause_end"] >= clause_start:
                    r["_figure"] = row
            self.pending = []
        self.last_fig, self.last_fig_end, self.last_unit_end = row, end, unit_end

    def _indicator(self, a: int, clause: str, unit_zh: str, unit_end: int, discrete: bool) -> str:
        """A guess: the thing counted after a counter (7个片区 → 片区), else the words before the number."""
        if discrete and unit_zh and unit_zh not in ("天", "人", "万人"):
            noun = self._noun_after(unit_end)
            if noun:
                return noun
        words = clause[clause.rfind("、") + 1:]
        # start after a period marker or an earlier figure in the same clause:
        # "1-9月份全区实际利用外资" → 全区实际利用外资; "整治4个监测点均" → 监测点
        cut = max(self.last_marker_end, self.last_unit_end)
        if a - len(words) < cut <= a:
            words = self.s[cut:a]
        words = _trim_indicator(words)
        if not words:
            words = self._noun_after(unit_end)
        return words

    def _noun_after(self, p: int) -> str:
        """The noun a counter counts: 个园区、 → 园区; 套人才公寓建设 → 人才公寓."""
        m = _NOUN_STOPS.search(self.s, p, p + 12)
        return self.s[p:m.start() if m else p + 12].strip(_SPACES)

    # -- Chinese numerals (opt-in) ------------------------------------------------------------

    def _cn_figure(self, a: int, end: int) -> None:
        s = self.s
        run = s[a:end]
        prev = s[a - 1] if a > 0 else ""
        if prev == "第" or (a >= 2 and s[a - 2:a] in ("星期", "礼拜")):
            return
        if run == "双":
            nxt2 = s[end:end + 3]
            if prev == "“" or nxt2.startswith(("省级", "市级", "国家级", "中心")):
                self._cn_row(a, end, "2", "", "exact", end)
            return
        if not any(c in _CN_DIGITS for c in run) or run == "一":
            return
        mag = ""
        digits = run
        if len(run) > 1 and run[-1] in "万亿" and run[-2] in _CN_DIGITS:
            digits, mag = run[:-1], run[-1]
        p = end
        qualifier = "exact"
        if p < self.n and s[p] in "余多":
            qualifier = "more_than"
            p += 1
        unit = ""
        unit_end = p
        if s.startswith("大", p) and not mag:
            unit, unit_end = "", p + 1
            if qualifier != "exact":
                return
        else:
            for length in range(min(_UNIT_MAXLEN, self.n - p), 0, -1):
                u = _UNIT_TABLE.get(s[p:p + length])
                if u is not None and u in UNITS and u != "%":
                    unit, unit_end = u, p + length
                    break
            if not unit:
                return
        try:
            import cn2an  # noqa: PLC0415 - only when asked for Chinese numerals

            number = cn2an.cn2an(digits, "smart")
        except Exception:  # cn2an raises ValueError and others on what it cannot read
            return
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        self._cn_row(a, a + len(digits), str(number), mag + unit, qualifier, unit_end)

    def _cn_row(self, a: int, end: int, value: str, unit_zh: str, qualifier: str, unit_end: int) -> None:
        self._advance(a)
        sc = self.scope
        period = sc.period
        if period:
            sc.period_used = True
        if sc.estimate and qualifier == "exact":
            qualifier = "estimate"
        clause = self._clause_before(a)
        cs, ce = self._orig(a), self._orig_end(end)
        base_value, base_unit, discrete = _base(value, unit_zh) if unit_zh else (float(value), "count", True)
        self.figures.append([  # in DRAFT_COLUMNS order
            "", self.section, _topic(self.s), "", self._indicator(a, clause, unit_zh, unit_end, discrete), "",
            value, unit_zh, base_value, base_unit, qualifier, not discrete, period,
            "count" if discrete else "", cs, ce, self.text[cs:ce], "", GUESS,
        ])


def _START(row: list[Any]) -> int:
    return row[14]  # char_start


def _has_event_char(s: str) -> bool:
    return "预计" in s or "季" in s or "年" in s


def _is_hundred(value: str) -> bool:
    return len(value) < 20 and value[:3] == "100" and float(value) == 100.0


_BASE_CACHE: dict[tuple[str, str], tuple[float, str, bool]] = {}


def _base(value: str, unit_zh: str) -> tuple[float, str, bool]:
    """(base_value, base_unit, discrete) for a value and printed unit; NaN/"" where it cannot convert."""
    key = (value, unit_zh)
    hit = _BASE_CACHE.get(key)
    if hit is not None:
        return hit
    nan = float("nan")
    if len(value) > MAX_NUMBER_CHARS:
        result = (nan, "", False)
    else:
        number = Fraction(Decimal(value))
        if not unit_zh:
            result = (round_base(number), "", False)
        elif unit_zh in MAGNITUDES:
            result = (round_base(number * MAGNITUDES[unit_zh]), "", False)
        else:
            try:
                u = parse_unit(unit_zh)
            except ValueError:  # a unit helpers.units does not convert (年, 倍 …)
                result = (nan, "", unit_zh in _DISCRETE_EXTRA_UNITS)
            else:
                result = (round_base(number * u.factor), u.base_unit, u.is_discrete)
    if len(_BASE_CACHE) < 100_000:
        _BASE_CACHE[key] = result
    return result


_NOUN_STOPS = re.compile(
    r"[，。；：！？,;:!?、\n0-9０-９等的和及与在]|全部|均|已|被|实现|完成|加快|加速|建设|实施|设立|落地|竣工|投入|入选|获评|位列"
)




def _alternation(words: tuple[str, ...], reverse: bool = False) -> re.Pattern:
    """One or more of ``words`` (longest first); reversed words to match at the end of a reversed string."""
    alts = sorted((w[::-1] if reverse else w for w in words), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, alts)) + ")+")


_TRAILING_RE = _alternation(_TRAILING_WORDS, reverse=True)
_LEADING_RE = _alternation(_LEADING_WORDS)
_TRAILING_LAST_CHARS = frozenset(w[-1] for w in _TRAILING_WORDS)
_LEADING_FIRST_CHARS = frozenset(w[0] for w in _LEADING_WORDS)


def _trim_indicator(words: str) -> str:
    if not words:
        return words
    if words[0] in _LEADING_FIRST_CHARS:
        m = _LEADING_RE.match(words)
        if m:
            words = words[m.end():]
    if words and words[-1] in _TRAILING_LAST_CHARS:
        m = _TRAILING_RE.match(words[::-1])
        if m:
            words = words[: len(words) - m.end()]
    return words.strip(_SPACES)


_TOPIC_CUTS = ("进一步", "已", "持续", "加快", "加速", "稳步", "有力", "高效", "全面")
_TOPIC_PREFIXES = ("目前", "当前", "如今")


def _topic(s: str) -> str:
    """The paragraph's theme: its short lead sentence minus the predicate (园区建设稳步推进 → 园区建设)."""
    stop = s.find("。", 0, 20)
    if stop < 4:
        return ""
    lead = s[:stop]
    if _WORD_BREAK.search(lead):
        return ""
    for p in _TOPIC_PREFIXES:
        if lead.startswith(p):
            lead = lead[len(p):]
    for cut in _TOPIC_CUTS:
        k = lead.find(cut, 2)
        if k >= 2:
            return lead[:k]
    return lead[:-4] if len(lead) >= 8 else lead


def _measure(unit_zh: str, base_unit: str, clause: str, after: str) -> str:
    if base_unit == "percentage_points" or unit_zh == "个百分点":
        return "change_pp"
    if base_unit == "percent" or unit_zh == "%":
        if after.startswith("达标"):
            return "share_pct"
        best = "rate"
        for m in _PCT_CUE_RE.finditer(clause):
            measure = _PCT_CUE_MEASURE[m.group()]
            if measure == "completion_pct" and not _PLAN_RE.search(clause, m.end()):
                continue
            best = measure
        return best
    if "/" in unit_zh:
        return "rate"
    money = base_unit in ("CNY", "USD")
    if money and "投资" in clause:
        return "investment_total"
    if _STOCK_RE.search(clause):
        return "stock"
    if _FLOW_RE.search(clause):
        return "flow"
    if _STOCK_NOUN_RE.search(clause):
        return "stock"
    if base_unit == "m2":
        return "area"
    if base_unit == "m":
        return "length"
    if money:
        return "level"
    if base_unit in ("count", "days"):
        return "count"
    return ""


# ---------------------------------------------------------------------------
# Public API


def _check_input(text: object, year: object) -> None:
    if not isinstance(text, str):
        raise ExtractError(
            f"text must be a str, got {type(text).__name__}; read files with read_report(path)"
        )
    if not isinstance(year, int) or isinstance(year, bool) or not 1 <= year <= 9999:
        raise ExtractError(f"year must be an integer from 1 to 9999, got {year!r}")


def _scan(text: str, year: int, chinese_numerals: bool) -> _Scanner:
    """Run the scanner (callers pause the garbage collector around this and the frame building)."""
    _check_input(text, year)
    scanner = _Scanner(text, year, chinese_numerals)
    scanner.run()
    return scanner


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the scan allocates many small acyclic objects
    (rows, strings) and collector passes over them only cost time (about 20% on 10 MB).  One
    pause covers the scan and the DataFrame: the young objects are then looked at once."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_NUMPY_COLUMNS = {"section": "int64", "char_start": "int64", "char_end": "int64", "base_value": "float64",
                  "rounded": "bool"}


def _figures_frame(rows: list[list[Any]]) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    columns = list(zip(*rows)) if rows else [()] * len(DRAFT_COLUMNS)
    data = {}
    for name, col in zip(DRAFT_COLUMNS, columns):
        dtype = _NUMPY_COLUMNS.get(name)
        if dtype is None:
            data[name] = pd.array(col, dtype="str")
        else:
            data[name] = np.fromiter(col, dtype=dtype, count=len(col))
    return pd.DataFrame(data)


def _non_figures_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame({c: [r[c] for r in rows] for c in NON_FIGURE_COLUMNS})
    return frame.astype({"char_start": "int64", "char_end": "int64"})


def extract_text(text: str, year: int = 2022, *, chinese_numerals: bool = False) -> pd.DataFrame:
    """Draft figure rows for ``text``: a DataFrame with :data:`DRAFT_COLUMNS`, sorted by char_start.

    ``year`` is the year the report describes (periods such as 1-11月份 fall in
    it).  ``chinese_numerals`` also drafts quantities written in Chinese
    numerals (三大, 十余家).  Raises :class:`ExtractError` when ``text`` is not a
    str or ``year`` is not a year.
    """
    with _no_gc():
        return _figures_frame(_scan(text, year, chinese_numerals).figures)


def extract_non_figures(text: str, year: int = 2022) -> pd.DataFrame:
    """Numeric tokens that are not figures, with :data:`NON_FIGURE_COLUMNS` and a reason.

    Reasons: period_marker, award_year, title_year, name, ranking, ordinal.
    ``figure_id`` names the draft row (``extract_text``'s ``id``) that the token
    dates or belongs to, where there is one.
    """
    with _no_gc():
        return _non_figures_frame(_scan(text, year, False).non_figures)


# ---------------------------------------------------------------------------
# Comparing a draft with the curated table

_KEY = ("char_start", "char_end", "value", "unit_zh")


def _canonical_value(v: object) -> str:
    """A value as a canonical exact number ("62.10" and 62.1 agree); unreadable values as text."""
    text = _s(v).strip()
    if not text:
        return ""
    try:
        return str(Fraction(Decimal(_norm_value(text))))
    except (InvalidOperation, ValueError):
        return text


def _text_col(series: pd.Series) -> pd.Series:
    return series.map(_s)


def _keyed(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = [c for c in (*_KEY, "qualifier", "period") if c not in frame.columns]
    if missing:
        raise ExtractError(f"{name} lacks column(s) {', '.join(missing)}")
    out = frame.copy()
    out["_k_start"] = out["char_start"].astype("int64")
    out["_k_end"] = out["char_end"].astype("int64")
    out["_k_value"] = out["value"].map(_canonical_value)
    out["_k_unit"] = _text_col(out["unit_zh"])
    return out


@dataclass(frozen=True, eq=False)
class Comparison:
    """A draft compared with the curated figures on (char_start, char_end, value, unit_zh).

    ``matched`` holds one row per figure found in both: the curated columns, and
    the draft's as ``draft_<column>`` (``draft_id``, ``draft_qualifier`` …);
    ``missed`` the curated rows the draft lacks; ``added`` the draft rows the
    curated table lacks.  Rates over an empty denominator are 1.0.
    """

    matched: pd.DataFrame
    missed: pd.DataFrame
    added: pd.DataFrame
    recall: float
    precision: float
    qualifier_accuracy: float
    period_accuracy: float
    measure_accuracy: float

    def accuracy(self, column: str) -> float:
        """Share of matched figures on which draft and curated agree in ``column``
        (numbers compared as numbers, "true"/True alike, empty and NaN alike)."""
        if column not in self.matched.columns or f"draft_{column}" not in self.matched.columns:
            raise KeyError(f"{column!r} is not in both the draft and the curated table")
        if self.matched.empty:
            return 1.0
        pairs = zip(self.matched[column], self.matched[f"draft_{column}"])
        return sum(_same(a, b) for a, b in pairs) / len(self.matched)

    def confusion(self) -> pd.DataFrame:
        """Every disagreement, one row each: missed, added, wrong qualifier, wrong period.

        Columns: kind, char_start, char_end, value, unit_zh, curated, draft, id.
        """
        import pandas as pd

        rows = []
        for r in self.missed.itertuples(index=False):
            rows.append(("missed", r.char_start, r.char_end, str(r.value), _s(r.unit_zh),
                         f"{r.value} {_s(r.unit_zh)}".strip(), "", _s(getattr(r, "id", ""))))
        for r in self.added.itertuples(index=False):
            rows.append(("added", r.char_start, r.char_end, str(r.value), _s(r.unit_zh), "",
                         f"{r.value} {_s(r.unit_zh)}".strip(), _s(getattr(r, "id", ""))))
        for r in self.matched.itertuples(index=False):
            if _s(r.qualifier) != _s(r.draft_qualifier):
                rows.append(("qualifier", r.char_start, r.char_end, str(r.value), _s(r.unit_zh),
                             _s(r.qualifier), _s(r.draft_qualifier), _s(r.id)))
            if _s(r.period) != _s(r.draft_period):
                rows.append(("period", r.char_start, r.char_end, str(r.value), _s(r.unit_zh),
                             _s(r.period) or "(none)", _s(r.draft_period) or "(none)", _s(r.id)))
        frame = pd.DataFrame(rows, columns=["kind", "char_start", "char_end", "value", "unit_zh",
                                            "curated", "draft", "id"])
        return frame.sort_values(["char_start", "kind"], kind="stable").reset_index(drop=True)

    def summary(self) -> str:
        """One line per rate, with the counts behind it."""
        m = len(self.matched)
        lines = [
            f"recall       {self.recall:7.2%}  ({m} of {m + len(self.missed)} curated figures found)",
            f"precision    {self.precision:7.2%}  ({m} of {m + len(self.added)} draft rows are curated figures)",
            f"qualifier    {self.qualifier_accuracy:7.2%}  of matched",
            f"period       {self.period_accuracy:7.2%}  of matched",
        ]
        for column, note in (("base_value", ""), ("base_unit", ""), ("rounded", ""), ("measure", " (a guess)"),
                             ("section", " (a guess)"), ("topic_zh", " (a guess)"),
                             ("indicator_zh", " (a guess, exact wording)")):
            try:
                lines.append(f"{column:<12} {self.accuracy(column):7.2%}  of matched{note}")
            except KeyError:
                pass
        return "\n".join(lines)

    def __str__(self) -> str:
        table = self.confusion()
        body = "no disagreements" if table.empty else table.to_string(index=False)
        return f"{self.summary()}\n{body}"


def _s(v: object) -> str:
    """Text of a cell; empty for None, NaN and pandas' NA (the loader's missing string)."""
    import pandas as pd

    return "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)


_BOOLEAN_TEXT = {"true": "true", "false": "false", "True": "true", "False": "false"}


def _same(a: object, b: object) -> bool:
    """Curated and draft agree: as numbers when both read as numbers, else as text."""
    x, y = _s(a), _s(b)
    x, y = _BOOLEAN_TEXT.get(x, x), _BOOLEAN_TEXT.get(y, y)
    if x == y:
        return True
    try:
        fx, fy = float(x), float(y)
    except ValueError:
        return False
    return fx == fy or abs(fx - fy) <= 1e-9 * max(abs(fx), abs(fy))


def compare(draft: pd.DataFrame, curated: pd.DataFrame) -> Comparison:
    """Compare a draft (``extract_text``) with curated figures (``data/figures.csv``)."""
    d = _keyed(draft, "draft")
    c = _keyed(curated, "curated")
    keys = ["_k_start", "_k_end", "_k_value", "_k_unit"]
    d = d.drop_duplicates(keys)
    # every draft column the curated table also has comes along as draft_<column>
    extra = [col for col in d.columns if col in c.columns and not col.startswith("_k_")]
    right = d[keys + extra].rename(columns={col: f"draft_{col}" for col in extra})
    merged = c.merge(right, on=keys, how="left", indicator=True)
    found = merged["_merge"] == "both"
    drop = keys + ["_merge"]
    matched = merged[found].drop(columns=drop).reset_index(drop=True)
    missed = c[~found.to_numpy()].drop(columns=keys).reset_index(drop=True)
    in_curated = d.merge(c[keys].drop_duplicates(), on=keys, how="left", indicator=True)["_merge"] == "both"
    added = d[~in_curated.to_numpy()].drop(columns=keys).reset_index(drop=True)

    def rate(hits: int, total: int) -> float:
        return hits / total if total else 1.0

    def agree(col: str) -> int:
        if f"draft_{col}" not in matched.columns or col not in matched.columns:
            return 0
        return int(sum(map(_same, matched[col], matched[f"draft_{col}"])))

    return Comparison(
        matched=matched,
        missed=missed,
        added=added,
        recall=rate(len(matched), len(c)),
        precision=rate(int(in_curated.sum()), len(draft)),
        qualifier_accuracy=rate(agree("qualifier"), len(matched)),
        period_accuracy=rate(agree("period"), len(matched)),
        measure_accuracy=rate(agree("measure"), len(matched)),
    )


# ---------------------------------------------------------------------------
# Command line


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``extract`` subcommand."""
    p = subparsers.add_parser(
        "extract",
        help="draft a figures table (figures.csv schema) from a report's text",
        description=(
            "Read a UTF-8 report and write one draft row per printed figure, in the schema of "
            "data/figures.csv plus the columns printed, value_high and guess. Offsets are code "
            "points into the file as it is. Section, topic, indicator and measure are guesses."
        ),
    )
    p.add_argument("report", metavar="REPORT.txt", help="the report's text (UTF-8)")
    p.add_argument("-o", "--output", metavar="OUT.csv",
                   help="write the draft here (default: standard output); refuses to overwrite without --force")
    p.add_argument("--year", type=int, default=2022,
                   help="the year the report describes; dates periods such as 1-11月份 (default: %(default)s)")
    p.add_argument("--non-figures", metavar="OUT2.csv",
                   help="also write the numeric tokens that are not figures (years, period markers, names) here")
    p.add_argument("--chinese-numerals", action="store_true",
                   help="also draft quantities written in Chinese numerals (三大, 十余家)")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.set_defaults(func=_cli)


def _cli(args: argparse.Namespace) -> int:
    try:
        outputs = [Path(x) for x in (args.output, args.non_figures) if x]
        if args.output and args.non_figures and Path(args.output).resolve() == Path(args.non_figures).resolve():
            raise ExtractError("-o and --non-figures name the same file")
        if not args.force:
            for out in outputs:
                if out.exists():
                    raise ExtractError(f"{out} exists; pass --force to overwrite it")
        text = read_report(args.report)
        with _no_gc():
            scanner = _scan(text, args.year, args.chinese_numerals)
            figures = _figures_frame(scanner.figures)
        draft_csv = _to_csv(figures)
        if args.output:
            _write_atomic(Path(args.output), draft_csv, args.force)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(draft_csv.encode("utf-8"))
            sys.stdout.buffer.flush()
        if args.non_figures:
            _write_atomic(Path(args.non_figures), _to_csv(_non_figures_frame(scanner.non_figures)), args.force)
    except ExtractError as exc:
        print(f"extract: error: {exc}", file=sys.stderr)
        return 1
    where = args.output or "standard output"
    note = f"; {len(scanner.non_figures)} non-figures to {args.non_figures}" if args.non_figures else ""
    print(f"extract: {len(scanner.figures)} draft figures to {where}{note}", file=sys.stderr)
    return 0


def _format_base(x: float) -> str:
    if x != x:
        return ""
    if x.is_integer() and abs(x) < 1e18:
        return str(int(x))
    return repr(x)


def _to_csv(frame: pd.DataFrame) -> str:
    out = frame.copy()
    if "rounded" in out.columns:
        out["rounded"] = out["rounded"].map({True: "true", False: "false"})
    if "base_value" in out.columns:
        out["base_value"] = out["base_value"].map(_format_base)
    return out.to_csv(index=False, lineterminator="\n")


def _write_atomic(path: Path, content: str, force: bool) -> None:
    """Write via a temporary file in the same directory, then rename (or link, to never clobber)."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ExtractError(f"{path}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if path exists: no overwrite, even in a race
            except FileExistsError:
                raise ExtractError(f"{path} exists; pass --force to overwrite it") from None
            except OSError:  # a file system without hard links
                if path.exists():
                    raise ExtractError(f"{path} exists; pass --force to overwrite it") from None
                os.replace(tmp, path)
    except OSError as exc:
        raise ExtractError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
