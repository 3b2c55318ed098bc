"""Quantities written in Chinese numerals (opt-in): 三大, 十余家, 连续五年, 一核两翼三区; no ordinals (二十大)."""

from __future__ import annotations

import re

from helpers.drafting.extract import lexicon as lx
from helpers.drafting.extract.guesses import measure, topic
from helpers.drafting.extract.reading import Reading, clause_before, indicator_for, orig, orig_end
from helpers.drafting.extract.rows import DraftRow, base
from helpers.drafting.extract.scope import advance

CN_DIGITS = frozenset("零〇一二两三四五六七八九十")
#: A run of Chinese numerals (or 双), found in a reading unit when Chinese numerals are asked for.
CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+|双")
#: What follows 次 when the numeral counts meetings of a series (十二次党代会: the twelfth), not a number of times.
_ORDINAL_AFTER_CI = ("党代会", "全会", "会议", "代表大会", "全体会议", "党代表大会")
#: 三次产业 and the like: a name, not three times.
_NAME_AFTER_CI = ("产业",)


def cn_figure(r: Reading, a: int, end: int) -> None:
    s = r.s
    run = s[a:end]
    prev = s[a - 1] if a > 0 else ""
    if prev == "第" or (a >= 2 and s[a - 2 : a] in ("星期", "礼拜")):
        return
    if run == "双":
        nxt2 = s[end : end + 3]
        if prev == "“" or nxt2.startswith(("省级", "市级", "国家级", "中心")):
            cn_row(r, a, end, "2", "", "exact", end)
        return
    if not any(c in CN_DIGITS for c in run):
        return
    mag = ""
    digits = run
    if len(run) > 1 and run[-1] in "万亿" and run[-2] in CN_DIGITS:
        digits, mag = run[:-1], run[-1]
    p = end
    qualifier = "exact"
    if p < r.n and s[p] in lx.BETWEEN_QUALIFIERS:
        qualifier = lx.BETWEEN_QUALIFIERS[s[p]]
        p += 1
    unit = ""
    unit_end = p
    nxt = s[p : p + 1]
    if nxt == "大" and not mag:
        if len(digits) > 1 and "十" in digits:
            return  # 二十大, 十九大: a party congress by its number
        unit, unit_end = "", p + 1
        if qualifier != "exact":
            return
    elif in_pairs(r, a, end) and not mag and qualifier == "exact":
        unit, unit_end = nxt, p + 1  # 一核两翼三区: numeral + noun, back to back
    else:
        for length in range(min(lx.UNIT_MAXLEN, r.n - p), 0, -1):
            u = lx.UNIT_TABLE.get(s[p : p + length])
            if u is not None and u in lx.PLAIN_UNITS and u not in lx.PERCENT_UNITS:
                unit, unit_end = u, p + length
                break
        if not unit:
            return
        if unit == "次" and s.startswith(_ORDINAL_AFTER_CI + _NAME_AFTER_CI, unit_end):
            return
        if run == "一" and unit != "番":
            return  # 一 alone is an article more often than a count (一个, 一项); 翻了一番 counts
    try:
        import cn2an  # noqa: PLC0415 - only when asked for Chinese numerals

        number = cn2an.cn2an(digits, "smart")
    except Exception:  # cn2an raises ValueError and others on what it cannot read
        return
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    cn_row(r, a, a + len(digits), str(number), mag + unit, qualifier, unit_end)


def in_pairs(r: Reading, a: int, end: int) -> bool:
    """s[a:end] is one numeral character in a chain of numeral + one-character noun (一核两翼三区)."""
    s, n = r.s, r.n
    if end - a != 1 or end >= n or not _is_cjk(s[end]) or s[end] in CN_DIGITS:
        return False
    after = end + 1 < n and s[end + 1] in CN_DIGITS and end + 2 < n and _is_cjk(s[end + 2])
    before = a >= 2 and s[a - 2] in CN_DIGITS and _is_cjk(s[a - 1]) and s[a - 1] not in CN_DIGITS
    return after or before


def cn_row(r: Reading, a: int, end: int, value: str, unit_zh: str, qualifier: str, unit_end: int) -> None:
    advance(r, a)
    sc = r.scope
    period = sc.period
    if period:
        sc.period_used = True
    if sc.estimate and qualifier == "exact":
        qualifier = "estimate"
    clause = clause_before(r, a)
    cs, ce = orig(r, a), orig_end(r, end)
    if unit_zh and unit_zh in lx.UNIT_TABLE.values():
        base_value, base_unit, discrete, _ = base(value, unit_zh)
    else:  # 三大, 两翼: a count of the things named
        base_value, base_unit, discrete = float(value), "count", True
    r.figures.append(
        DraftRow(
            r.section,
            topic(r.s),
            indicator_for(r, a, clause, unit_zh, unit_end, discrete),
            value,
            unit_zh,
            base_value,
            base_unit,
            qualifier,
            not discrete,
            period,
            measure(unit_zh, base_unit, clause, r.s[unit_end : unit_end + 4]),
            cs,
            ce,
            r.text[cs:ce],
            "",
        )
    )


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"
