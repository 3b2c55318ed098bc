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
   against :mod:`helpers.core.units` (``个百分点`` before ``个``, ``千瓦`` before
   ``千``); ``余``/``多`` may sit between number and unit (``40余家``,
   ``2600余万元``, ``1万余人``) and is not part of ``unit_zh``.  ``每人每月860元`` →
   ``元/人·月``.  A full-width ``％`` is written ``%``.  A few units that
   :mod:`helpers.core.units` does not convert (年, 个月, 小时, 岁, 倍, 人次 …) are
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
                 (helpers.core.intervals reads it as a lower bound)
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
``个百分点`` → ``change_pp``; a unit and clause no rule knows → ``other``.  Other units, first rule that applies:
per-person standards (元/人·月) → ``rate``; money after 投资/总投资 →
``investment_total``; 累计/扩充到/总量 → ``stock``; 新增/新建/引进/建成/完成/
出让/拉动 … → ``flow``; stock-like indicators (余额, 市场主体, 常住人口) →
``stock``; otherwise by unit: 亩/平方米 → ``area``, 公里/米 → ``length``, money →
``level``, counters and days → ``count``.

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

Patterns added for real reports
===============================

Traditional script is folded to simplified character by character (offsets unchanged; the fold table is
OpenCC's character dictionary, and each lexicon ``traditional`` spelling must fold to its word).  A space
between groups of three digits before a unit
(``46 215处``), a middle dot as decimal point before a unit (``2·6%``), one space before the unit
(``增长 4.7 %``) and a printed minus (``增长-12.4%``) are read; ``‰``, 匹/席/幢/点, 万千伏安, 千瓦小时, 周年 and
约合 are in the lexicon.  Not figures: footnote markers ``[4]`` (footnote), dates and times
``2019-03-08 09:41:27`` (timestamp), digits in a URL (url), “9·12” (event_name), 表1/图2 (table_label), and
the year after 比/较 (comparison_year: it does not date the figures after it), the 100 of an index's base
``(上年=100)`` (index_base).  A unit, ``/`` and a unit or a lexicon ``denominator`` are one compound unit
(``元/平方米``, ``公斤/亩``, ``元/日``); a 、-list of bare numbers after a ``structure_cue``
(``结构为9.3、41.0、49.6``) is read like the parts of a colon ratio.

The package
===========

``lexicon`` (the vocabulary, from ``lexicon.csv``), ``layout`` (paragraphs, captions, headings),
``reading`` (the scan's shared, typed state: the reading unit, offsets, clauses, adding a row), and the parts
that are plain functions over it: ``tokens`` (numbers, qualifiers, non-figures), ``unitscan`` (units, compound
units, a table column's unit), ``scope`` (periods, 预计), ``numerals`` (Chinese numerals); ``guesses`` (measure,
topic, indicator, a ratio's parts), ``rows`` (the typed records, the vocabulary lists, frames), ``scanner`` (the
one pass, driving the parts), ``compare`` and ``cli``.

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

from typing import TYPE_CHECKING

from helpers.core.columns import FIGURE_COLUMNS, NON_FIGURE_COLUMNS
from helpers.drafting.extract.cli import register
from helpers.drafting.extract.compare import Comparison, compare
from helpers.drafting.extract.layout import headings, paragraphs, read_report
from helpers.drafting.extract.rows import (
    DRAFT_COLUMNS,
    GUESS,
    MAX_NUMBER_CHARS,
    MEASURES,
    NON_FIGURE_REASONS,
    QUALIFIERS,
    ExtractError,
    figures_frame,
    non_figures_frame,
)
from helpers.drafting.extract.scanner import check_input, no_gc, scan

if TYPE_CHECKING:  # pandas is imported where it is used: `import helpers.drafting.extract` stays light
    import pandas as pd

__all__ = [
    "DRAFT_COLUMNS",
    "FIGURE_COLUMNS",
    "GUESS",
    "MAX_NUMBER_CHARS",
    "MEASURES",
    "NON_FIGURE_COLUMNS",
    "NON_FIGURE_REASONS",
    "QUALIFIERS",
    "Comparison",
    "ExtractError",
    "compare",
    "extract_non_figures",
    "extract_text",
    "read_report",
    "register",
    "section_starts",
]


def extract_text(text: str, year: int = 2022, *, chinese_numerals: bool = False) -> pd.DataFrame:
    """Draft figure rows for ``text``: a DataFrame with :data:`DRAFT_COLUMNS`, sorted by char_start.

    ``year`` is the year the report describes (periods such as 1-11月份 fall in
    it).  ``chinese_numerals`` also drafts quantities written in Chinese
    numerals (三大, 十余家).  Raises :class:`ExtractError` when ``text`` is not a
    str or ``year`` is not a year.
    """
    with no_gc():
        return figures_frame(scan(text, year, chinese_numerals, keep_non_figures=False).figures)


def extract_non_figures(text: str, year: int = 2022) -> pd.DataFrame:
    """Numeric tokens that are not figures, with :data:`NON_FIGURE_COLUMNS` and a reason.

    Reasons (:data:`NON_FIGURE_REASONS`): period_marker, award_year, title_year, name, ranking, ordinal,
    footnote, timestamp, url, event_name, table_label, comparison_year, number_list, index_base,
    contact.  ``figure_id``
    names the draft row (``extract_text``'s ``id``) that the token dates or belongs to, where there is one.
    """
    with no_gc():
        scanner = scan(text, year, False)
        return non_figures_frame(scanner.non_figures, scanner.figures)


def section_starts(text: str) -> list[int]:
    """Start offsets of the section headings the extractor detects, in order (a draft row's ``section`` is the
    number of these before it): the lines a ``sections.csv`` starts from.  Raises :class:`ExtractError` when
    ``text`` is not a str."""
    check_input(text, 2022)
    return headings(text, paragraphs(text))
