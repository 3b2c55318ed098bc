"""Tokens: numbers (digits, separators, signs, ranges), the units and qualifiers printed around them, and the digit
runs that are not figures (names, periods, ordinals, footnotes, timestamps, URLs, event names, table labels).

:func:`read_number` is the scanner's per-number step (``Scanner._number``); like the other parts it is a function
over the scanner's :class:`~.reading.Reading`."""

from __future__ import annotations

import re
from datetime import date

from helpers.drafting.extract import lexicon as lx
from helpers.drafting.extract.reading import (
    DIGIT_CHARS,
    Reading,
    add_figure,
    add_non_figure,
    strip_before_qualifier,
)
from helpers.drafting.extract.rows import is_hundred
from helpers.drafting.extract.scope import (
    advance,
    is_comparison,
    iso_day,
    iso_months,
    month_marker,
    period_marker,
    set_period,
    year_marker,
)
from helpers.drafting.extract.unitscan import (
    DECIMAL_POINTS,
    ENUMERATION,
    MINUS_SIGNS,
    NUM,
    column_unit,
    digits_at,
    shared_unit,
    unit_at,
    unit_word,
)

TO_ASCII = str.maketrans("０１２３４５６７８９．", "0123456789.")
THOUSANDS = frozenset(",，")
#: A space between groups of three digits (46 215) and a middle dot as decimal point in older texts (2·6%).
SPACE_THOUSANDS = frozenset(" \u2009\u202f\xa0")
MIDDLE_DOTS = frozenset("·•・‧")
DASHES = frozenset("-－—–~～至到")
#: What may stand between a contact label and its number (电话：(0531)…) and between the number's parts.
_CONTACT_GAP = frozenset(" ：:（(")
_CONTACT_JOINS = frozenset("-－—– )）")
_NOT_CONTACT_NEXT = frozenset("年月日") | DECIMAL_POINTS  # a year, a date or a decimal: not a contact's part
ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: A number next to one of these may be a name, period, ordinal, range, footnote or timestamp (the slow path).
SPECIAL_NEXT = ASCII_LETTERS | DASHES | MIDDLE_DOTS | frozenset("月日号季年强名位]］〕/:：×+＋")
SPECIAL_PREV = ASCII_LETTERS | MINUS_SIGNS | frozenset("第前_[［〔×+＋")
#: A footnote marker's brackets ([4], ［2］, 〔3〕).
_FOOTNOTE_OPEN = frozenset("[［〔")
_FOOTNOTE_CLOSE = frozenset("]］〕")
#: What may follow a number's first digit run and continue it or make it special.
_CONTINUES = frozenset("-/.:：") | SPACE_THOUSANDS | THOUSANDS | DECIMAL_POINTS | MIDDLE_DOTS | _FOOTNOTE_CLOSE
#: Joins that make numbers parts of a name: 7×24小时 (service hours), “1+N”, “1+3+N” (a policy's shape).
_NAME_JOINS = frozenset("×+＋")
#: Dates and times: 2019-03-08, 2019/3/8, 2019.03.08, 09:41, 09:41:27 (ASCII digits, bounded repetitions only).
TIMESTAMP = re.compile(
    r"[0-9]{4}([-/.])[0-9]{1,2}\1[0-9]{1,2}(?![0-9])(?:[ T]([0-9]{1,2}):([0-9]{2})(?::[0-9]{2})?)?"
    r"|([0-9]{1,2})[:：]([0-9]{2})(?:[:：][0-9]{2})?(?![0-9.．:：])"
)
#: A list of bare numbers (1,1,1,…) has at least this many, one separator apart.
NUMBER_LIST_MIN = 8
_LIST_SEPARATORS = frozenset(",，、 ")
#: What may stand right before a list number (1、, (2), 注:1.): the text's start or one of these.
_LIST_START = frozenset("（(：:。；;\n")
#: Currencies printed between 约合 and the number (约合人民币3亿元).
_CURRENCY_WORDS = ("人民币", "美元", "欧元", "港元")
_CURRENCY_LAST_CHARS = frozenset(w[-1] for w in _CURRENCY_WORDS)


def norm_value(printed: str) -> str:
    """The printed number as ASCII: full-width digits, separators dropped, a middle dot read as decimal point."""
    out = printed.translate(TO_ASCII)
    for sep in (",", "，", " ", "\u2009", "\u202f", "\xa0"):
        if sep in out:
            out = out.replace(sep, "")
    for dot in MIDDLE_DOTS:
        if dot in out:
            out = out.replace(dot, ".")
    for minus in "−－":
        if minus in out:
            out = out.replace(minus, "-")
    return out


def small_int(value: str, lo: int, hi: int) -> int | None:
    if len(value) > 4 or not value.isdigit():
        return None
    v = int(value)
    return v if lo <= v <= hi else None


def read_number(r: Reading, a: int, b: int) -> int:
    """Read the number whose first digit run is s[a:b]; return where scanning resumes."""
    s, n = r.s, r.n
    end = b
    nxt = s[b] if b < n else ""
    prev = s[a - 1] if a > 0 else ""
    plain = True  # ASCII digits without separators: the printed text is the value
    if r.urls and in_url(r, a):
        return add_non_figure(r, a, b, "url")
    # a date's or time's separator, thousands separators, a decimal point, a footnote's closing bracket (any
    # other next character, the common case: the number is the digit run, one test)
    if nxt in _CONTINUES:
        if (nxt in "-/." and b - a == 4) or (nxt in ":：" and b - a <= 2):  # 2019-03-08, 09:41
            m = TIMESTAMP.match(s, a)
            if m and m.group(4) and (int(m.group(4)) > 23 or int(m.group(5)) > 59):
                m = None  # 15:61: a ratio, not a time of day
            if m:  # a date or time: every digit run in it is a non-figure
                for run in NUM.finditer(s, a, m.end()):
                    add_non_figure(r, run.start(), run.end(), "timestamp")
                return m.end()
        # thousands separators: 1-3 digits, then groups of exactly three digits
        if (nxt in THOUSANDS or nxt in SPACE_THOUSANDS) and b - a <= 3:
            e = b
            while (
                e + 3 < n
                and s[e] == nxt
                and s[e + 1] in DIGIT_CHARS
                and s[e + 2] in DIGIT_CHARS
                and s[e + 3] in DIGIT_CHARS
                and (e + 4 >= n or s[e + 4] not in DIGIT_CHARS)
            ):
                e += 4
            # a comma always groups; a space (46 215处) only when a unit follows the groups
            if e > b and (nxt in THOUSANDS or unit_at(r, e) is not None):
                end, plain = e, False
                nxt = s[end] if end < n else ""
        if nxt in DECIMAL_POINTS and end + 1 < n and s[end + 1] in DIGIT_CHARS:
            end = digits_at(s, end + 1).end()
            nxt = s[end] if end < n else ""
        elif nxt in MIDDLE_DOTS and end + 1 < n and s[end + 1] in DIGIT_CHARS:
            e2 = digits_at(s, end + 1).end()
            second = unit_at(r, e2)
            if second is None or not second[0]:  # “9·12”: an event named by its date, not a number
                add_non_figure(r, a, end, "event_name")
                add_non_figure(r, end + 1, e2, "event_name")
                return e2
            end, plain = e2, False  # 2·6%: a middle dot as decimal point
            nxt = s[end] if end < n else ""
        if nxt in _FOOTNOTE_CLOSE and end - a <= 3 and prev in _FOOTNOTE_OPEN:
            return add_non_figure(r, a, end, "footnote")  # [4]: a footnote marker
    printed = s[a:end]
    value = printed if plain and printed.isascii() else norm_value(printed)
    sc = r.scope
    if (sc.period or sc.estimate or sc.marker_rows or sc.year != r.year) and a > sc.checked:
        advance(r, a)

    hi = None
    if nxt in SPECIAL_NEXT or prev in SPECIAL_PREV:
        special = special_at(r, a, end, value, prev, nxt)
        if isinstance(special, int):
            return special  # not a figure
        hi = special
    unit_info = unit_at(r, hi[1] if hi else end)
    if unit_info is None and hi is not None:
        hi = None  # "0531-1234": not a range without a unit
        unit_info = unit_at(r, end)
    if unit_info is None and nxt in ENUMERATION and hi is None:
        shared = shared_unit(r, end)  # 2.0、2.9和0.4个百分点: the unit printed after the last
        unit_info = (shared, end, end, "") if shared else None
    if unit_info is None:
        # a bare number: a title year, a list number, or a figure without unit
        if len(value) == 4 and a == 0 and small_int(value, 1900, 2100):
            return add_non_figure(r, a, end, "title_year")
        if prev and prev in "表图":  # 表1, 图2: a table's or figure's label
            return add_non_figure(r, a, end, "table_label")
        contact = contact_at(r, a, end, value)
        if contact:
            return contact  # 电话：0531-86123456, 邮编 250001: not a figure
        if prev in "=＝" and is_hundred(value):  # (上年=100), 2010年=100: an index's base, not a figure
            return add_non_figure(r, a, end, "index_base")
        list_mark = nxt in "、)）" or (nxt in ".．" and (end + 1 >= n or s[end + 1] not in DIGIT_CHARS))
        if (a == 0 or prev in _LIST_START) and list_mark:
            return add_non_figure(r, a, end, "ordinal")  # 1、 (2) and 注:1. … 2. …: list numbers
        if prev == "前":
            return add_non_figure(r, a, end, "ranking")  # 排名前10, 进入全国前50: a rank, not a count
        if s.startswith(lx.NAME_AFTER, end):
            return add_non_figure(r, a, end, "name")  # 12345热线, 110接警: a service's number
        if prev == "双" and nxt in '”"」』':
            return add_non_figure(r, a, end, "event_name")  # “双11”: a shopping festival
        if prev in '“"「『' and nxt in '”"」』':
            return add_non_figure(r, a, end, "name")  # “11234”工作思路: a quoted number names a slogan
        listed = number_list_at(r, a, end)
        if listed:
            return listed  # 1,1,1,…: a list of bare numbers, no figure to draft
        unit_info = (column_unit(r, a, end), end, end, "")
    unit_zh, unit_end, resume, mid_qual = unit_info

    # a range printed with the unit on both ends: 30%-40%; or the magnitude on both ends and the unit after the
    # high end only: 2.5万～3万人, 5千-8千吨 (the range is in the high end's unit)
    if (
        hi is None
        and s[unit_end : unit_end + 1] in DASHES
        and unit_zh
        and s[unit_end + 1 : unit_end + 2] in DIGIT_CHARS
    ):
        m2 = digits_at(s, unit_end + 1)
        e2 = m2.end()
        if e2 + 1 < n and s[e2] in DECIMAL_POINTS and s[e2 + 1] in DIGIT_CHARS:
            e2 = digits_at(s, e2 + 1).end()
        second = unit_at(r, e2)
        if second is not None and (
            second[0] == unit_zh or (unit_zh in lx.MAGNITUDES and second[0].startswith(unit_zh))
        ):
            hi = (unit_end + 1, e2)
            unit_zh, unit_end, resume = second[0], second[1], second[2]

    qualifier = "exact"
    if hi is not None:
        qualifier = "range"
    else:
        before = before_qualifier(r, a) if prev in lx.QUALIFIER_LAST_CHARS else ""
        if not before and prev in lx.LINK_LAST_CHARS:
            before = linked_qualifier(r, a)  # 约为120万人, 超过了1200家: a linking word in between
        if (
            not before
            and prev in _CURRENCY_LAST_CHARS
            and a >= 5
            and s.startswith(_CURRENCY_WORDS, a - 3 if prev == "币" else a - 2)
        ):
            k = a - 3 if prev == "币" else a - 2  # 约合人民币3亿元, 约合美元…
            before = before_qualifier(r, k) if s[k - 1] in lx.QUALIFIER_LAST_CHARS else ""
        after = (
            next(
                (
                    lx.AFTER_QUALIFIERS[w]
                    for k in lx.AFTER_LENGTHS
                    if (w := s[unit_end : unit_end + k]) in lx.AFTER_QUALIFIERS
                ),
                None,
            )
            if s[unit_end : unit_end + 1] in lx.AFTER_FIRST_CHARS and unit_zh
            else None
        )
        if before:
            qualifier = before
        elif mid_qual:
            qualifier = mid_qual
        elif after:
            qualifier = after
    if unit_zh == "元":
        head = strip_before_qualifier(r, a)
        if s.startswith(lx.PER_PERSON_MONTH, max(0, head - 4)) and s[max(0, head - 4) : head] in lx.PER_PERSON_MONTH:
            unit_zh = "元/人·月"
    end_printed = hi[1] if hi else end
    if prev in MINUS_SIGNS and (a < 2 or (s[a - 2] not in DIGIT_CHARS and s[a - 2] not in ASCII_LETTERS)):
        a, value = a - 1, "-" + value  # 增长-12.4%: a printed minus belongs to the number
    add_figure(r, a, end_printed, value, norm_value(s[hi[0] : hi[1]]) if hi else "", unit_zh, qualifier, unit_end)
    return resume if resume > end_printed else end_printed


def contact_at(r: Reading, a: int, end: int, value: str) -> int:
    """A phone or fax number or a postcode at ``a`` (→ where scanning resumes, a non-figure per part) or 0.

    It is one when a lexicon ``contact_label`` stands right before it (spaces, a colon or an opening
    parenthesis in between), or when it is an integer of three digits or more that starts with 0 (an area
    code: 0531-86123456).  The parts after it, joined by a dash, space or closing parenthesis, go with it.
    """
    s, n = r.s, r.n
    k = a
    while k > 0 and s[k - 1] in _CONTACT_GAP:
        k -= 1
    labelled = any(s.startswith(w, k - len(w)) for w in lx.CONTACT_LABELS if k >= len(w))
    if not labelled and not (len(value) >= 3 and value[0] == "0" and value.isdigit()):
        return 0
    add_non_figure(r, a, end, "contact")
    p = end
    while p + 1 < n and s[p] in _CONTACT_JOINS and s[p + 1] in DIGIT_CHARS:
        e = digits_at(s, p + 1).end()
        if e < n and (s[e] in _NOT_CONTACT_NEXT or unit_word(r, e)):
            break  # 电话：86123456 2022年…: the next number is a year or a figure, not a part of the contact
        add_non_figure(r, p + 1, e, "contact")
        p = e
    return p


def special_at(r: Reading, a: int, end: int, value: str, prev: str, nxt: str) -> int | tuple[int, int] | None:
    """Names, periods, ordinals (→ resume position, a non-figure) or a range's high end (→ its span)."""
    s, n = r.s, r.n
    # a range or a period range: 3-5个, 1-11月份, 1至11月
    hi = None
    if nxt in DASHES and end + 1 < n and s[end + 1] in DIGIT_CHARS:
        e2 = digits_at(s, end + 1).end()
        if e2 + 1 < n and s[e2] in DECIMAL_POINTS and s[e2 + 1] in DIGIT_CHARS:
            e2 = digits_at(s, e2 + 1).end()
        hi = (end + 1, e2)

    # names: 7×24小时, “1+N”, “1+3+N”: numbers joined by × or + to a number or letter
    if nxt in _NAME_JOINS and end + 1 < n and (s[end + 1] in DIGIT_CHARS or s[end + 1] in ASCII_LETTERS):
        return add_non_figure(r, a, end, "name")
    if prev in _NAME_JOINS and a >= 2 and (s[a - 2] in DIGIT_CHARS or s[a - 2] in ASCII_LETTERS):
        if s[a - 2] in DIGIT_CHARS or not unit_word(r, end):
            return add_non_figure(r, a, end, "name")  # (“N+1”; but GDP+3% is a figure with its unit)
    # names: 5G, G20, 4K, TOP10 (ranking)
    if prev in ASCII_LETTERS or (prev in "-_" and a >= 2 and s[a - 2] in ASCII_LETTERS):
        reason = "ranking" if s[max(0, a - 3) : a].upper() == "TOP" else "name"
        return add_non_figure(r, a, end, reason)
    if nxt in ASCII_LETTERS:
        return add_non_figure(r, a, end, "name")

    # periods printed with digits
    if hi is not None:
        low_m = small_int(value, 1, 12)
        high_v = norm_value(s[hi[0] : hi[1]])
        high_m = small_int(high_v, 1, 12)
        after = s[hi[1] : hi[1] + 1]
        if low_m and high_m and after == "月" and low_m <= high_m:
            return period_marker(r, a, end, hi, iso_months(r.scope.year, low_m, high_m))
        y1, y2 = small_int(value, 1900, 2100), small_int(high_v, 1900, 2100)
        if y1 and y2 and after == "年" and len(value) == 4 and y1 <= y2:
            return period_marker(r, a, end, hi, f"{y1:04d}-01/{y2:04d}-12")
        if y1 and y2 and len(value) == 4 and len(high_v) == 4 and y1 < y2 and not unit_word(r, hi[1]):
            # 2011-2015 without 年 (a chart's title): two years in order and no unit after, a period range
            return period_marker(r, a, end, hi, f"{y1:04d}-01/{y2:04d}-12")
    if nxt == "月":
        month = small_int(value, 1, 12)
        if month:
            return month_marker(r, a, end, month)
    if nxt == "日" or nxt == "号":
        day = small_int(value, 1, 31)
        if day and prev == "月" and r.last_month and r.last_month[0] == a - 1:
            month, y = r.last_month[1], r.scope.year
            try:
                date(y, month, day)
            except ValueError:
                pass
            else:
                set_period(r, a, iso_day(y, month, day))
            return add_non_figure(r, a, end, "period_marker", marker=True)
        if nxt == "号":
            return add_non_figure(r, a, end, "name")
    if nxt == "季" and s.startswith("季度", end):
        q = small_int(value, 1, 4)
        if q and is_comparison(r, a):  # 增速比1季度回落: the quarter compared with, not the figures' period
            return add_non_figure(r, a, end, "comparison_year")
        if q:
            if prev == "前":
                period = iso_months(r.scope.year, 1, 3 * q)
            else:
                period = iso_months(r.scope.year, 3 * q - 2, 3 * q)
            set_period(r, a, period)
            r.last_marker_end = end + 2
            return add_non_figure(r, a, end, "period_marker", marker=True)
    if nxt == "年" and len(value) == 4:
        printed_year = small_int(value, 1900, 2100)
        if printed_year:
            return year_marker(r, a, end, printed_year)
    # ordinals, rankings
    if prev == "第":
        return add_non_figure(r, a, end, "ordinal")
    if nxt == "强" or (prev == "前" and nxt in "名位"):
        return add_non_figure(r, a, end, "ranking")
    return hi


def before_qualifier(r: Reading, a: int) -> str:
    s = r.s
    if a == 0:
        return ""
    for word, qual in lx.BEFORE_BY_LAST.get(s[a - 1], ()):
        k = a - len(word)
        if k >= 0 and s.startswith(word, k):
            if word == "近" and k > 0 and s[k - 1] in lx.NOT_APPROX_BEFORE_JIN:
                continue
            return qual
    return ""


def linked_qualifier(r: Reading, a: int) -> str:
    """The qualifier before a ``qualifier_link`` word (为, 达, 了 …) printed right before ``a``, or ""."""
    s = r.s
    for word in lx.LINKS_BY_LAST.get(s[a - 1], ()) if a else ():
        k = a - len(word)
        if k > 0 and s.startswith(word, k):
            found = before_qualifier(r, k)
            if found:
                return found
    return ""


def number_list_at(r: Reading, a: int, end: int) -> int:
    """Where a list of bare numbers starting at s[a:end] ends, or 0 when it is not one.

    A list: at least :data:`NUMBER_LIST_MIN` numbers without unit or qualifier, one separator (，,、 or a
    space) between each two and nothing else.  A curator reads such a list as a table, by hand; every
    number in it is a non-figure ``number_list``.
    """
    s, n = r.s, r.n
    runs = [(a, end)]
    p = end
    while p + 1 < n and s[p] in _LIST_SEPARATORS and s[p + 1] in DIGIT_CHARS:
        q = digits_at(s, p + 1).end()
        if q + 1 < n and s[q] in DECIMAL_POINTS and s[q + 1] in DIGIT_CHARS:
            q = digits_at(s, q + 1).end()
        if q < n and (
            s[q] in lx.UNIT_LENGTHS or s[q] in lx.MAGNITUDES or s[q] in lx.BETWEEN_QUALIFIERS or s[q] in SPECIAL_NEXT
        ):
            break  # a unit, magnitude or qualifier: that number is a figure (or special)
        if len(runs) < NUMBER_LIST_MIN:
            runs.append((p + 1, q))
        elif len(runs) == NUMBER_LIST_MIN:
            for ra, rb in runs:
                add_non_figure(r, ra, rb, "number_list")
            runs.append((0, 0))  # the first ones are recorded; record the rest as they come
            add_non_figure(r, p + 1, q, "number_list")
        else:
            add_non_figure(r, p + 1, q, "number_list")
        p = q
    if len(runs) <= NUMBER_LIST_MIN:
        return 0
    return p


def in_url(r: Reading, a: int) -> bool:
    """Whether s[a] lies in a URL of the reading unit (the spans are sorted; the scan only moves forward)."""
    urls, i = r.urls, r.url_i
    while i < len(urls) and urls[i][1] <= a:
        i += 1
    r.url_i = i
    return i < len(urls) and urls[i][0] <= a
