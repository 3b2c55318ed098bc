"""The year a new report describes, read from its text; never a default.

:func:`report_year` tries, in order: the opening of a statistical text (``2020年全区…``, ``2020年,全市…``,
``2022年1—11月,全省…``: a year that opens a sentence and dates the whole area or the months that follow); its title (a
line near the top naming a communiqué, a statistical or an economic review, ``2020年…统计公报``; a work report's title
year is the session's, not the year it reviews, so it does not count); the periods of its statistics (``2020年全年``,
``2020年上半年``, ``2020年末``, the year printed most often so). A year after 比, 较, 由, 从 or before 相比, 同期, a day
(``2017年1月7日``: a date, not a period) or a price base (``2010年不变价``) is a comparison or a base and never counts.
None when the text prints no such year: ``helpers new`` then leaves every period to fill in and says once that
``--year`` sets it.
"""

from __future__ import annotations

import re
from collections import Counter

_YEAR = r"((?:19|20)[0-9]{2})年"
_AREA = (
    r"(?:全区|全市|全县|全省|全国|全镇|全州|全旗|全盟|我区|我市|我县|我省|我国|本区|本市|本县|区域"
    r"|全年|年末|年底|上半年|前三季度)"
)
_OPENING = re.compile(
    r"(?:^|[。\n：:])\s*(?:[^，,。\n]{0,12}?[，,]\s*)?"
    + _YEAR
    + r"(?:[末底]?[，,]?\s*"
    + _AREA
    + r"|[0-9]{1,2}[—–\-~至－])"
)
#: The text's first words name the year it is about: ``2021年是…`` (a communiqué's opening).
_FIRST_WORDS = re.compile(r"\A\s*" + _YEAR + r"(?:是|，|,)")
#: A work report's review heading names the year it reviews: ``一、2019年和今年以来工作回顾``, ``2018年工作回顾``.
_REVIEW = re.compile(_YEAR + r"(?:和今年以来|以来)?(?:工作|主要工作)?(?:回顾|回顧)")
_MONTHS = re.compile(r"([0-9]{1,2})[—–\-~至－]([0-9]{1,2})月")
_TITLE = re.compile(
    _YEAR + r".{0,30}?(?:统计公报|統計公報|经济运行|經濟運行|国民经济|國民經濟|统计|統計|经济情况|經濟情況)"
)
_WORK_REPORT = re.compile(r"工作报告|工作報告|政府工作")
_PERIOD = re.compile(
    _YEAR + r"(?:全年|年末|年底|上半年|下半年|前三季度|[一二三四]季度|[0-9]{1,2}[—–\-~至－][0-9]{1,2}月|[0-9]{1,2}月)"
)
_NOT_PERIOD_BEFORE = ("比", "较", "較", "由", "从", "從", "与", "與", "同", "和")
_NOT_PERIOD_AFTER = re.compile(
    r"(?:[0-9]{1,2}月[0-9]{1,2}日|的|同期|相比|比较|比較|不变价|不變價|可比价|可比價|价格|價格)"
)
#: How many lines from the top a title may stand on (after site chrome).
TITLE_LINES = 8
#: How far into the text its opening's period word may stand (今年上半年以来，…).
OPENING_CHARS = 60


def _counts(m: re.Match, text: str) -> bool:
    """Whether the year of ``m`` (group 1) dates figures: not a comparison's or a price base's year."""
    start, end = m.start(1), m.end(1) + 1
    if start and text[start - 1] in _NOT_PERIOD_BEFORE:
        return False
    return _NOT_PERIOD_AFTER.match(text, end) is None


def report_year(text: str) -> tuple[int | None, str]:
    """(the year the report describes, where it was read), or (None, "") when the text prints none."""
    head = text[: max(2000, len(text) // 3)]
    first = _FIRST_WORDS.match(text)
    if first:
        return int(first.group(1)), f"the text's first words {first.group(0).strip()!r}"
    for m in _OPENING.finditer(head):
        if _counts(m, head):
            return int(m.group(1)), f"the opening {m.group(0).strip()[:16]!r}"
    lines = [line.strip() for line in text.splitlines() if line.strip()][:TITLE_LINES]
    for line in lines:
        title = _TITLE.search(line)
        if title and len(line) <= 60 and not _WORK_REPORT.search(line) and _counts(title, line):
            return int(title.group(1)), f"the title {line[:24]!r}"
    review = _REVIEW.search(head)
    if review:
        return int(review.group(1)), f"the review's heading {review.group(0)!r}"
    years = Counter(int(m.group(1)) for m in _PERIOD.finditer(text) if _counts(m, text))
    if years:
        year, n = years.most_common(1)[0]
        return year, f"{n} period{'s' * (n != 1)} printed with {year}年"
    return None, ""


def report_period(text: str, year: int) -> str:
    """The period the whole report describes (ISO 8601): the months its opening or title prints right after the
    year (``2016年1-6月全市…`` → ``2016-01/2016-06``), else the first period word of its opening (``今年上半年以来``
    → ``YEAR-01/YEAR-06``), else the whole year (``2021-01/2021-12``)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:TITLE_LINES]
    for line in lines:
        at = line.find(f"{year}年")
        if at < 0:
            continue
        months = _MONTHS.match(line, at + 5)
        if months and 1 <= int(months.group(1)) <= int(months.group(2)) <= 12:
            return f"{year:04d}-{int(months.group(1)):02d}/{year:04d}-{int(months.group(2)):02d}"
        break
    from helpers.drafting.extract import lexicon

    opening = text[:OPENING_CHARS]
    found = [(opening.find(w), spec) for w, spec in lexicon.PERIOD_WORDS.items() if isinstance(spec, tuple)]
    found = [(at, spec) for at, spec in found if at >= 0]
    if found:  # 今年上半年以来，…: the opening's period word, in the year given
        m1, m2 = min(found, key=lambda x: x[0])[1]
        return f"{year:04d}-{m1:02d}/{year:04d}-{m2:02d}"
    return f"{year:04d}-01/{year:04d}-12"
