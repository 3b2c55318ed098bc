"""Periods for the drafted figures whose own sentence prints none, from what the text prints around them.

The extractor dates a figure from the period words of its sentence (全年, 年末, 1-6月 …).  A statistical text also
dates figures by where they stand, and :func:`fill` reads that, in this order, for a figure drafted without a period:

- a table cell (a line with ``|``) takes the period its caption prints: the nearest line above the table that is not
  a table row (``表1 2021年末户籍人口数…`` → ``2021-12-31/2021-12-31``; ``表2 2021年居民消费价格指数`` → the year);
  a caption that prints no year gives the report's period;
- a figure in a sentence that opens with 其中 or ``X中，`` (``…常住人口55.27万人。其中，城镇人口29.88万人``,
  ``全县常住人口中，男性人口…``) takes the period of the last dated figure before it: the sentence breaks down the
  whole just named;
- any other figure takes the report's period (:func:`helpers.drafting.years.report_period`: the months or the year
  the text's opening or title prints).

Only a text whose year was read from the text itself (or given with ``--year``) is dated so: with no year, nothing is
filled.  Each period filled here is named in the row's ``guess`` column.
"""

from __future__ import annotations

import re

#: ``2021年末`` / ``2021年底`` (a year's end) or ``2021年`` (the year) in a table's caption.
_CAPTION_YEAR = re.compile(r"((?:19|20)[0-9]{2})年([末底])?")
_SENTENCE_END = re.compile(r"[。！？!?\n]")


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def caption_period(text: str, pos: int, report_period: str) -> str:
    """The period the caption of the table holding ``pos`` prints, else ``report_period``."""
    start, _ = _line_bounds(text, pos)
    while start > 0:
        start, end = _line_bounds(text, start - 1)
        line = text[start:end]
        if "|" in line or "｜" in line:
            continue
        m = _CAPTION_YEAR.search(line)
        if m is None:
            return report_period
        y = int(m.group(1))
        return f"{y:04d}-12-31/{y:04d}-12-31" if m.group(2) else f"{y:04d}-01/{y:04d}-12"
    return report_period


def _opens_with_qizhong(text: str, pos: int) -> bool:
    """Whether the sentence holding ``pos`` opens with 其中 or with ``X中，`` (a breakdown of a whole)."""
    before = text[:pos]
    ends = list(_SENTENCE_END.finditer(before))
    start = ends[-1].end() if ends else 0
    opening = text[start:pos].lstrip()
    return opening.startswith("其中") or re.match(r"[^，,]{1,12}中[，,]", opening) is not None


def _mark(row: dict) -> None:
    guess = row.get("guess", "")
    if "period" in guess:
        return
    head, sep, tail = guess.partition(";")
    row["guess"] = f"{head}, period{sep}{tail}" if head else "period"


def fill(figures: list[dict], text: str, report_period: str) -> None:
    """Give each figure drafted without a period (in text order) the period the text implies (see the module)."""
    last = ""
    for f in figures:
        if f["period"]:
            last = f["period"] if not f["period"].startswith("TO ") else last
            continue
        pos = int(f["char_start"])
        start, end = _line_bounds(text, pos)
        line = text[start:end]
        if "|" in line or "｜" in line:
            f["period"] = caption_period(text, pos, report_period)
        elif last and _opens_with_qizhong(text, pos):
            f["period"] = last
        else:
            f["period"] = report_period
        _mark(f)
        last = f["period"]
