"""What the words around a drafted figure say: which way a change went, what it is measured against, and the
noun phrase the number belongs to.

- :func:`direction`: the direction word closest before the number in its clause (``directions.csv``: one row per
  word, ``word,direction,example``; 负增长 read whole, before 增长), or a printed sign (``-2.3`` down, ``+2.3``
  up); empty when the clause says neither;
- :func:`direction_after`: a direction worded after a percentage (实现了50%以上的高速增长 → up);
- :func:`reference`: what a change is measured against: 同比 → 上年同期, 环比 → 上期, ``比/较 X`` and
  ``高于/低于/快于/慢于 X`` → X (上年, 上年末, 去年同期, 全市平均 …); empty when the clause names nothing;
- :func:`noun_phrase`: an indicator guess without the direction and reference words (城镇化率高于全市平均 →
  城镇化率), a verb it ends with (调整为), a year that dates a comparison (三次产业结构由2019年 → 三次产业结构) and
  a table's ``|``; empty when nothing but a verb is left (比上年下降, 调整为: the figure belongs to the noun phrase
  before it).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

#: Where a figure's clause starts: after the last of these before the number.
_CLAUSE_BREAK = re.compile(r"[。；;，,：:！？!?\n、（）()]")
_COMPARE = re.compile(
    r"(同比|环比)|(?:(?<!占)比(?![重例率])|较)(.{1,8}?)(?=[^\w]|$|增|减|提|降|下|上|回|负|扩|缩|持平)|(?:高于|低于|快于|慢于)(.{1,8}?)$"
)
_SAME_PERIOD = {"同比": "上年同期", "环比": "上期"}
#: Verbs an indicator guess never ends with, and verbs that are never one on their own.
_TRAILING_VERB = re.compile(
    r"(?:均|都)?(?:调整为|调整到|调整|变为|净增|保持在|保持|稳定在|首次超过|首次|超过|突破|累计|实现了?|完成了?|由|从|增|减)$"
)
#: A verb of attainment inside a noun phrase (科学研究和技术服务业实现增加值 → 科学研究和技术服务业增加值) or before it
#: (完成固定资产投资总额 → 固定资产投资总额): not part of the indicator's name.
_INNER_VERB = re.compile(r"^(?:完成|实现)|(?<=[业部门])(?:实现|完成)(?=增加值|营业收入|利润|产值)")
#: Words that qualify a number and are never its noun (1万户以上: 以上 is the qualifier).
_QUALIFIER_ONLY = frozenset({"以上", "以下", "左右", "多", "余", "以内", "之多", "上下"})
#: A footnote marker printed after a name (地区生产总值[2]).
_FOOTNOTE = re.compile(r"\[[0-9]+\]")
#: Direction words that end a noun (增长率, 增速, 增幅, 涨幅, 降幅).
_NOUN_END = re.compile(r".*[率速幅]$")
_VERBS = frozenset(
    {
        "调整",
        "实现",
        "达到",
        "完成",
        "新增",
        "增加",
        "增长",
        "下降",
        "上升",
        "提高",
        "降低",
        "减少",
        "为",
        "其中",
        "分别",
    }
)


@lru_cache(maxsize=1)
def words() -> dict[str, str]:
    """Direction word → ``up`` or ``down``, from ``directions.csv``."""
    text = resources.files("helpers.drafting").joinpath("directions.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    for n, r in enumerate(rows, start=2):
        if r.get("direction") not in ("up", "down") or not r.get("word"):
            raise ValueError(f"directions.csv, line {n}: field 'direction' must be up or down, with a word")
    return {r["word"]: r["direction"] for r in rows}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    # a word followed by 值 names an amount, not a change: 增加值 (value added) is no 增加
    # 增长面 (the share of industries that grew) names a share, not a change
    # a word followed by 的 modifies the noun after it (对经济增长的贡献率): it says no direction of the figure
    return re.compile("|".join(re.escape(w) + "(?![值面的])" for w in sorted(words(), key=len, reverse=True)))


def clause(text: str, start: int) -> str:
    """The text of a figure's clause before its number (from the last clause break)."""
    lo = max(0, start - 40)
    before = text[lo:start]
    cut = 0
    for m in _CLAUSE_BREAK.finditer(before):
        cut = m.end()
    return before[cut:]


def direction(text: str, start: int, value: str) -> str:
    """``up``, ``down`` or empty: the figure's sign, else the direction word closest before it in its clause."""
    if value.startswith("-") or text[max(0, start - 1) : start] in ("-", "−", "－"):
        return "down"
    if text[max(0, start - 1) : start] in ("+", "＋"):
        return "up"
    found = list(_pattern().finditer(clause(text, start)))
    return words()[found[-1].group()] if found else ""


#: A percentage whose direction is worded after it: 实现了50%以上的高速增长, 出现3.2%的下降.
_AFTER = re.compile(r"\s*(?:%|％|个百分点)(?:以上|以下|左右|多)?的[\u4e00-\u9fff]{0,3}?$")


def direction_after(text: str, end: int) -> str:
    """``up``, ``down`` or empty: the direction word right after a percentage and ``的`` (50%以上的高速增长)."""
    after = text[end : end + 16]
    for m in _pattern_after().finditer(after):
        if _AFTER.match(after[: m.start()]):
            return words()[m.group()]
    return ""


@lru_cache(maxsize=1)
def _pattern_after() -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words(), key=len, reverse=True)))


def reference(text: str, start: int) -> str:
    """What the change at ``start`` is measured against, as its clause words it; empty when it names nothing."""
    found = ""
    for m in _COMPARE.finditer(clause(text, start)):
        if m.group(1):
            found = _SAME_PERIOD[m.group(1)]
        else:
            found = (m.group(2) or m.group(3) or "").strip()
    return _pattern().split(found)[0] if found else ""


def noun_phrase(indicator: str) -> str:
    """An indicator guess without its direction words and what it is compared with."""
    indicator = _FOOTNOTE.sub("", indicator)
    cut = len(indicator)
    for m in re.finditer(r"同比|环比|(?<!占)比(?![重例率])|较|高于|低于|快于|慢于", indicator):
        cut = min(cut, m.start())
    for m in _pattern().finditer(indicator):
        if not _NOUN_END.match(m.group()):  # 增长率, 增速: the end of a noun (自然增长率), not a verb
            cut = min(cut, m.start())
    phrase = _TRAILING_VERB.sub("", indicator[:cut].replace("|", " ").replace("｜", " ").strip("，,、 的\t"))
    phrase = _INNER_VERB.sub("", phrase)
    phrase = re.sub(r"(?:由|从)?(?:19|20)[0-9]{2}年的?$", "", phrase).strip()
    if phrase in _VERBS or phrase in _QUALIFIER_ONLY or not re.search(r"[\u4e00-\u9fff]", phrase):
        return ""
    if _PERIOD_ONLY.fullmatch(phrase):  # 1-4月: a period, not a noun (a list's item of the noun before it)
        return ""
    return phrase


#: A phrase that only names a period: 1-4月, 1季度, 今年1-3月.
_PERIOD_ONLY = re.compile(r"(?:今年|去年|上年)?[0-9一二三四]+(?:\s*[-—–~至]\s*[0-9]+)?(?:月份?|季度)")
#: A rate word that is a noun only with the noun before it (增速回落8.1个百分点: the growth rate of what the
#: sentence named last).
_BARE_RATE = re.compile(r"^(?:增速|增幅|降幅|涨幅|幅度)")
#: Words of method between an indicator and its change (规模以上工业增加值按可比价格计算，同比增长1.7%).
_METHOD = re.compile(r"(?:按可比价格计算|按可比价计算|按现价计算|初步核算)$")


def _previous_clause_noun(text: str, start: int, before: str) -> str:
    """The noun phrase of the clause before the figure's in the same sentence (X按可比价格计算，同比增长1.7%)."""
    end = start - len(before) - 1
    if end <= 0 or text[end] not in "，,":
        return ""
    prev = clause(text, end)
    return noun_phrase(_METHOD.sub("", prev).strip()) if _METHOD.search(prev) else ""


def _listed_name(text: str, start: int, before: str, noun: str, known) -> str:
    """``noun`` extended back over a 、 when the longer name is a known term (计算机、通信和其他电子设备制造业)."""
    at = start - len(before)
    if not noun or at <= 0 or text[at - 1] != "、":
        return noun
    lo = max(0, at - 1 - 20)
    head = re.split(r"[。；;，,：:！？!?\n、（）()]", text[lo : at - 1])[-1]
    for i in range(len(head)):
        longer = head[i:] + "、" + noun
        if known(longer):
            return longer
    return noun


#: The measures that are changes (as helpers.core.columns.CHANGE_MEASURES) and the measure a unit's change takes.
CHANGE_MEASURE_OF_UNIT = {"%": "change_yoy_pct", "个百分点": "change_pp"}
#: Measures the extractor gives a percentage it did not read as a change; a direction word right before it makes
#: it one (工业增加值减少3.1% is a change, not a rate).
_NOT_READ_AS_CHANGE = ("rate", "other", "share_pct")


#: What stands between two items of one list: the first's unit, then 、 or 和 (84%、76.6%; 6.4个百分点和2.3个百分点).
_LIST_ITEM = re.compile(r"[^0-9。；;，,！？!?\n]{0,5}[、和及與与]\Z")


def _unnamed(row: dict, tail: str) -> str:
    """The indicator of a figure whose clause names no noun phrase: left to fill in (a verb is never one)."""
    return f"TO FILL IN: {tail or ''}{row['value']}{row['unit_zh']}"


def apply(rows: list[dict], text: str, known=lambda name: False) -> None:
    """Give drafted figure rows (in text order) their direction and reference, make a percentage right after a
    direction word a change, and cut each indicator guess to its noun phrase (the noun phrase of the figure
    before it in the sentence, for a change whose clause names none: 地区生产总值…，比上年下降4.2%)."""
    from helpers.core.columns import CHANGE_MEASURES

    last_noun, last_end = "", 0
    last: dict = {}
    for r in rows:
        start = r["char_start"] - r["value"].startswith("-")
        raw = _FOOTNOTE.sub("", r["indicator_zh"]) if not r["indicator_zh"].startswith("TO ") else ""
        said = direction(text, start, r["value"])
        before = clause(text, start)
        linked = re.sub(r"(?:为|為|达到|達到|达|達|是|了)$", "", before)  # 涨幅为2.1%: the word, then a link
        right_before = bool(said) and any(linked.endswith(w) for w in words())
        if r["measure"] == "change_yoy_pct" and not said and re.search(r"(?:面|比重|占比)(?:达|为|是)?$", before):
            r["measure"] = "share_pct"  # 增长面达52.6%: the share of industries that grew, not a growth
        if r["measure"] == "change_yoy_pct" and not said and re.search(r"率(?:合计|共计)?(?:达|为|是)?$", before):
            r["measure"] = "rate"  # 对经济增长的贡献率合计为59.1%: a rate, not a growth
        after = "" if said else direction_after(text, r["char_end"])
        if after and r["unit_zh"] in CHANGE_MEASURE_OF_UNIT:
            # 产量实现了50%以上的高速增长: the change is worded after the number
            r["measure"], said = CHANGE_MEASURE_OF_UNIT[r["unit_zh"]], after
        if r["measure"] in _NOT_READ_AS_CHANGE and right_before and r["unit_zh"] in CHANGE_MEASURE_OF_UNIT:
            r["measure"] = CHANGE_MEASURE_OF_UNIT[r["unit_zh"]]
        noun = noun_phrase(raw) or (noun_phrase(before) if raw.strip() in _QUALIFIER_ONLY else "")
        if not noun and _BARE_RATE.match(noun_phrase(before)):
            noun = noun_phrase(before)  # 增速比一季度回落: the extractor's guess stopped at the period word
        if re.search(r"[。；;！？!?\n]", text[last_end:start]):
            last_noun = ""
        tail = raw[len(noun) :] if raw.startswith(noun) else raw
        if noun and noun == noun_phrase(before):
            noun = _listed_name(text, start, before, noun, known)
        if noun and _BARE_RATE.match(noun) and last_noun:
            noun = last_noun + noun  # 增速回落8.1个百分点: the growth rate of the noun before
        if not noun and not last_noun:
            noun = _previous_clause_noun(text, start, before)
        if noun.startswith("占") and last_noun:  # 男性人口28.07万人，占50.79%: the share of the noun before
            noun = last_noun + ("占比" if noun == "占" else noun)
        listed = bool(last) and not said and _LIST_ITEM.match(text[last_end:start]) is not None
        if listed and last["direction"] and r["unit_zh"] == last["unit_zh"]:
            # 分别增长84%、76.6%: a list's later items change the way its first does, against the same reference
            r["measure"], said = last["measure"], last["direction"]
            r["reference"] = last["reference"]
        if r["measure"] in CHANGE_MEASURES:
            r["direction"] = said
            r["reference"] = r["reference"] if listed and said else reference(text, start)
            r["indicator_zh"] = (noun or last_noun) + tail if noun or last_noun else _unnamed(r, tail)
        elif right_before and not _NOUN_END.match(linked):
            # 比上年末减少0.11万人, 日均净增1万户: an amount the text words as a change
            r["direction"], r["reference"] = said, reference(text, start)
            r["indicator_zh"] = noun or last_noun or _unnamed(r, "")
        else:
            r["direction"] = r["reference"] = ""
            r["indicator_zh"] = noun or last_noun or _unnamed(r, "")
        if noun:
            last_noun = noun
        last_end, last = r["char_end"], r
