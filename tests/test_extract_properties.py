"""Property tests for helpers.drafting.extract: any text gives a valid draft or an ExtractError, in linear steps.

The texts are generated (Hypothesis) or built from invented fragments; none
comes from the source article.
"""

from __future__ import annotations

import math
import sys
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.core.intervals import from_printed
from helpers.core.units import UnitError, parse_unit
from helpers.drafting.extract import (
    DRAFT_COLUMNS,
    MAX_NUMBER_CHARS,
    MEASURES,
    NON_FIGURE_COLUMNS,
    QUALIFIERS,
    ExtractError,
    extract_non_figures,
    extract_text,
)
from helpers.drafting.extract.scanner import scan

DIGITS = frozenset("0123456789０１２３４５６７８９")
MINUS = frozenset("-−－")
FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Fragments that reach the extractor's branches: digits (ASCII and full-width), separators,
#: units and magnitudes, qualifiers, period words, names, brackets (unbalanced), layout breaks.
FRAGMENTS = [
    "0",
    "1",
    "2",
    "9",
    "12",
    "100",
    "2022",
    "１",
    "２",
    "．",
    ".",
    ",",
    "，",
    "、",
    "。",
    "；",
    "：",
    "-",
    "—",
    "~",
    "至",
    "%",
    "％",
    "万",
    "亿",
    "万亿",
    "千",
    "元",
    "亿元",
    "万元",
    "美元",
    "人",
    "个",
    "个百分点",
    "家",
    "户",
    "亩",
    "平方米",
    "公里",
    "天",
    "倍",
    "元/人·月",
    "每人每月",
    "余",
    "多",
    "超",
    "超过",
    "突破",
    "约",
    "近",
    "最近",
    "不足",
    "左右",
    "以上",
    "以内",
    "以下",
    "预计",
    "月",
    "月份",
    "日",
    "号",
    "年",
    "年度",
    "获评",
    "季度",
    "前三季度",
    "上半年",
    "全年",
    "全年任务",
    "年末",
    "第",
    "强",
    "前",
    "名",
    "G",
    "TOP",
    "（",
    "）",
    "(",
    ")",
    "“",
    "”",
    "《",
    "》",
    "同比增长",
    "占",
    "完成",
    "计划",
    "累计",
    "新增",
    "总投资",
    "三",
    "两",
    "十",
    "大",
    "双",
    "\n",
    "\n\n",
    "\n\n\n\n",
    " ",
    "\u3000",
    "\r",
    "云溪区",
    "图为夜景",
    "企业",
]

fragment_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
any_texts = st.one_of(st.text(max_size=200), fragment_texts)


def check_draft(text: str, draft: pd.DataFrame) -> None:
    assert isinstance(draft, pd.DataFrame)
    assert tuple(draft.columns) == DRAFT_COLUMNS
    starts = list(draft["char_start"])
    assert starts == sorted(starts)
    for r in draft.itertuples(index=False):
        assert 0 <= r.char_start < r.char_end <= len(text)
        assert text[r.char_start : r.char_end] == r.printed
        # the value is the printed number, normalised; a printed minus is kept
        assert r.value and Decimal(r.value).is_finite()
        assert r.value.startswith("-") == (r.printed[0] in MINUS)
        if not r.value_high and "\n" not in r.printed and r.printed[0] in DIGITS and r.printed.isascii():
            # without a layout break inside, the printed ASCII text is the number itself
            assert r.printed.replace(",", "").replace(" ", "") == r.value
        assert isinstance(r.base_value, float)
        assert math.isnan(r.base_value) or math.isfinite(r.base_value)
        # every value comes from the one vocabulary (the schema's enums)
        assert r.qualifier in QUALIFIERS and r.measure in MEASURES
        # integers counting discrete things are exact, a decimal is rounded unless it is 100 (a full share)
        if r.base_unit in ("count", "days") and "." not in r.value:
            assert not r.rounded, r
        if "." in r.value and not (r.unit_zh == "%" and Decimal(r.value) == 100):
            assert r.rounded, r
        # the printed figure's interval (helpers.core.intervals) holds the drafted base value
        if r.base_unit and math.isfinite(r.base_value) and r.value[0] != "-" and known_unit(r.unit_zh):
            lo, hi = from_printed(r.value, r.unit_zh, r.qualifier, bool(r.rounded)).to_floats()
            slack = 5e-7 + 1e-12 * abs(r.base_value)  # base values are rounded to 6 decimal places
            assert lo - slack <= r.base_value <= hi + slack, r


def known_unit(unit: str) -> bool:
    try:
        parse_unit(unit)
    except UnitError:
        return False
    return True


def check_non_figures(text: str, nf: pd.DataFrame) -> None:
    assert tuple(nf.columns) == NON_FIGURE_COLUMNS
    for r in nf.itertuples(index=False):
        assert text[r.char_start : r.char_end] == r.text


@PROPERTY
@given(any_texts, st.booleans())
def test_any_text_gives_a_valid_draft(text, chinese_numerals):
    try:
        draft = extract_text(text, chinese_numerals=chinese_numerals)
    except ExtractError:
        return
    check_draft(text, draft)
    if not chinese_numerals:
        # a figure and a non-figure never claim the same digits
        nf = extract_non_figures(text)
        check_non_figures(text, nf)
        spans = [(a, b) for a, b in zip(draft["char_start"], draft["char_end"])]
        for a, b in zip(nf["char_start"], nf["char_end"]):
            assert all(b <= s or a >= e for s, e in spans)


@PROPERTY
@given(
    st.integers(min_value=0, max_value=10**60),
    st.integers(min_value=0, max_value=30),
    st.sampled_from(["亿元", "万人", "%", "亩", "个"]),
)
def test_huge_and_tiny_numbers(integer, places, unit):
    number = str(integer)
    if places:
        number = f"0.{'0' * places}{number}"
    text = f"云溪区投入{number}{unit}。"
    draft = extract_text(text)
    check_draft(text, draft)
    assert len(draft) == 1
    row = draft.iloc[0]
    assert row["value"] == number and row["unit_zh"] == unit
    if len(number) > MAX_NUMBER_CHARS:
        assert math.isnan(row["base_value"])
    else:
        assert math.isfinite(row["base_value"])


@pytest.mark.parametrize("text", ["", " ", "\n", "。", "（", "）））", "“", "1", "１", "1.", ".5", "1,", "-1", "1-"])
def test_tiny_inputs(text):
    check_draft(text, extract_text(text))
    check_non_figures(text, extract_non_figures(text))


@PROPERTY
@given(st.binary(max_size=64))
def test_arbitrary_bytes_decode_or_raise_extract_error(tmp_path_factory, data):
    from helpers.drafting.extract import read_report

    path = tmp_path_factory.mktemp("bytes") / "report.txt"
    path.write_bytes(data)
    try:
        text = read_report(path)
    except ExtractError as exc:
        assert "report.txt" in str(exc) and "byte offset" in str(exc)
        return
    check_draft(text, extract_text(text))


# ---- linear time ------------------------------------------------------------------------------------

#: Pathological inputs of about n characters.
PATHOLOGICAL = {
    "one long number": lambda n: "7" * n,
    "1,1,1 runs": lambda n: "1," * (n // 2),
    "1，1，1 runs": lambda n: "1，" * (n // 2),
    "超超超": lambda n: "超" * n + "5亿元",
    "约约约": lambda n: "约" * n + "5亿元",
    "。。。": lambda n: "。" * n,
    "1-1-1 dashes": lambda n: "1-" * (n // 2),
    "blank lines": lambda n: "\n" * n,
    "short lines": lambda n: "夜景\n\n" * (n // 4),
    "open paragraphs": lambda n: "云溪区新增企业。全区实现收\n\n" * (n // 14),
    "names after a figure": lambda n: "5亿元" + "5G" * (n // 2),
    "figures": lambda n: "增长5.1%，" * (n // 6),
    "mixed": lambda n: ("超约1,234.5万元余。预计1-11月份前三季度5G第3（“三大" * (n // 30 + 1))[:n],
}

#: steps(4n) / steps(n) must stay below this (linear: about 4; quadratic: about 16).
MAX_RATIO = 5.0


def steps(text: str) -> int:
    """Function calls (Python and built-in, regular-expression calls included) made while scanning ``text``.

    A count, not a time: the same text always gives the same count, however busy the machine is.  The
    scan is measured without the DataFrame, whose fixed cost would hide the scan's growth on small texts.
    """
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        scan(text, 2022, True)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_steps_grow_linearly_on_pathological_inputs(name):
    make = PATHOLOGICAL[name]
    n = 3_000
    scan(make(n), 2022, True)  # warm up: imports (cn2an) and caches are not the scan's growth
    small, large = steps(make(n)), steps(make(4 * n))
    assert large / max(small, 1) < MAX_RATIO, f"{name}: steps(4n)/steps(n) = {large}/{small}"


def test_step_count_sees_a_quadratic_scan(monkeypatch):
    """The measure can fail: a scanner that re-reads its reading unit for every number is caught."""
    from helpers.drafting.extract.scanner import Scanner

    original = Scanner._number

    def quadratic(self, a, b):
        for _ in range(a // 100):  # work proportional to the position: quadratic over the text
            len(self.s)
        return original(self, a, b)

    monkeypatch.setattr(Scanner, "_number", quadratic)
    make = PATHOLOGICAL["figures"]
    assert steps(make(12_000)) / steps(make(3_000)) >= MAX_RATIO


def test_two_hundred_thousand_digits():
    text = "云溪区投入" + "9" * 200_000 + "亿元。"
    draft = extract_text(text)
    assert len(draft) == 1 and len(draft["value"].iloc[0]) == 200_000
    assert math.isnan(draft["base_value"].iloc[0])


def test_a_draft_keeps_each_distinct_string_of_a_column_once():
    """Text columns are categorical: 3,000 figures that repeat one wording hold one category per column."""
    draft = extract_text("增长1.5%，" * 3000 + "增长2.0%。")
    assert len(draft) == 3001
    assert list(draft["value"].cat.categories) == ["1.5", "2.0"]
    assert list(draft["unit_zh"].cat.categories) == ["%"]
    assert draft["id"].is_unique and list(draft["value"].tail(2)) == ["1.5", "2.0"]


def test_peak_memory_on_dense_figures_stays_within_20_times_the_input():
    """Peak traced memory of extract_text on a figure every 8 bytes (bench/extract.py measures 1 MB)."""
    import tracemalloc

    body = "增长1.5%，" * 4000
    extract_text(body[:80])  # imports and caches outside the measurement
    tracemalloc.start()
    try:
        extract_text(body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= 20 * len(body.encode("utf-8")), f"peak {peak / len(body.encode('utf-8')):.1f}x the input"
