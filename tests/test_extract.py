"""Tests for helpers.drafting.extract: accuracy on the source article, and one test per pattern.

Every sentence below is invented for these tests (a fictional 云溪区, Yunxi
District); none is taken from the source article.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import DATA, DISTRICT, ROOT, source_path
from helpers.drafting.extract import (
    DRAFT_COLUMNS,
    NON_FIGURE_COLUMNS,
    Comparison,
    ExtractError,
    compare,
    extract_non_figures,
    extract_text,
    read_report,
)

#: The issue's thresholds.
MIN_RECALL = 0.98
MIN_PRECISION = 0.95
MIN_QUALIFIER = 0.95
MIN_PERIOD = 0.95


def read_curated(path: Path) -> pd.DataFrame:
    """A figures/non_figures CSV with every field as printed (empty stays "")."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def one(text: str, **kwargs) -> pd.Series:
    """The only draft row of ``text``."""
    draft = extract_text(text, **kwargs)
    assert len(draft) == 1, draft[["printed", "unit_zh", "qualifier"]].to_string()
    return draft.iloc[0]


def rows(text: str, **kwargs) -> list[tuple[str, str, str]]:
    """(value, unit_zh, qualifier) of every draft row."""
    draft = extract_text(text, **kwargs)
    return list(zip(draft["value"], draft["unit_zh"], draft["qualifier"]))


def reasons(text: str) -> list[tuple[str, str]]:
    nf = extract_non_figures(text)
    return list(zip(nf["text"], nf["reason"]))


# ---- accuracy on the source article ---------------------------------------------------------


@pytest.fixture(scope="module")
def report(source_text) -> str:  # source_text skips (or fails under CI=true) when the article is absent
    # read_report decodes the bytes exactly (no newline translation), as offsets require
    return read_report(source_path())


@pytest.fixture(scope="module")
def comparison(report) -> Comparison:
    return compare(extract_text(report, year=2022), read_curated(DATA / "figures.csv"))


def test_accuracy_on_the_source_meets_the_issue_thresholds(comparison):
    print()
    print(comparison)  # shown on failure (and with -s): the missed and added rows, wrong qualifiers/periods
    report = f"\n{comparison}"
    assert comparison.recall >= MIN_RECALL, report
    assert comparison.precision >= MIN_PRECISION, report
    assert comparison.qualifier_accuracy >= MIN_QUALIFIER, report
    assert comparison.period_accuracy >= MIN_PERIOD, report


def test_base_values_and_rounding_follow_the_curated_rules(comparison):
    # not guesses: base_value = round_base(to_base(value, unit)); rounded by the documented rule
    for column in ("base_value", "base_unit", "rounded"):
        assert comparison.accuracy(column) >= MIN_QUALIFIER, f"{column}\n{comparison.summary()}"


def test_draft_rows_slice_their_printed_number_out_of_the_source(report):
    draft = extract_text(report)
    for r in draft.itertuples():
        assert report[r.char_start : r.char_end] == r.printed
    assert list(draft["char_start"]) == sorted(draft["char_start"])


def test_non_figures_of_the_source_match_the_curated_ones(report, comparison):
    curated = read_curated(DATA / "non_figures.csv")
    draft = extract_non_figures(report)
    key = ["char_start", "char_end", "reason"]
    want = {(int(a), int(b), r) for a, b, r in curated[key].itertuples(index=False)}
    got = {(int(a), int(b), r) for a, b, r in draft[key].itertuples(index=False)}
    assert got == want, f"missing {sorted(want - got)}; extra {sorted(got - want)}"
    # a period marker points at the figure it dates: the draft row matched to the curated figure
    draft_to_curated = dict(zip(comparison.matched["draft_id"], comparison.matched["id"]))
    linked = {
        (int(a), int(b)): draft_to_curated.get(f, "")
        for a, b, f in draft[["char_start", "char_end", "figure_id"]].itertuples(index=False)
    }
    for a, b, f in curated[["char_start", "char_end", "figure_id"]].itertuples(index=False):
        assert linked[(int(a), int(b))] == f, (a, b)


def test_fictional_district_fixture_is_drafted_exactly():
    text = read_report(DISTRICT / "source.txt")
    result = compare(extract_text(text), read_curated(DISTRICT / "figures.csv"))
    assert (result.recall, result.precision) == (1.0, 1.0), str(result)
    assert (result.qualifier_accuracy, result.period_accuracy) == (1.0, 1.0), str(result)


# ---- the draft's shape ----------------------------------------------------------------------------


def test_draft_has_the_schema_columns_and_marks_guesses():
    draft = extract_text("云溪区全年引进项目12个，总投资86.5亿元。")
    assert tuple(draft.columns) == DRAFT_COLUMNS
    assert set(draft["guess"]) == {"indicator"}
    assert set(draft["indicator_en"]) == {""} and set(draft["topic_en"]) == {""}
    assert list(draft["id"]) == ["draft_001", "draft_002"]


def test_empty_text_gives_an_empty_draft_with_the_columns():
    draft = extract_text("")
    assert draft.empty and tuple(draft.columns) == DRAFT_COLUMNS
    nf = extract_non_figures("")
    assert nf.empty and tuple(nf.columns) == NON_FIGURE_COLUMNS


def test_base_value_and_rounded():
    r = one("云溪区完成植树造林300亩。")
    assert r.base_value == 200000 and r.base_unit == "m2" and r.rounded
    r = one("云溪区累计建成驿站2150处。")
    assert r.base_value == 2150 and r.base_unit == "count" and not r.rounded
    r = one("云溪区注册企业达到3.6万户。")
    assert r.base_value == 36000 and r.rounded  # 3.6万 stands for [35500, 36500)
    r = one("云溪区自来水普及率为100%。")
    assert not r.rounded
    r = one("云溪区特困人员供养标准调整为每人每月860元。")
    assert (r.unit_zh, r.base_unit, r.rounded) == ("元/人·月", "CNY per person per month", False)
    r = one("云溪区空气优良天数达到280天。")
    assert (r.base_unit, r.rounded) == ("days", False)


def test_base_value_of_a_non_terminating_conversion_is_rounded_to_six_places():
    r = one("云溪区修复湿地1000亩。")
    assert r.base_value == 666666.666667


# ---- qualifiers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "qualifier"),
    [
        ("云溪区工业产值超150亿元。", "150", "亿元", "more_than"),
        ("云溪区工业产值超过150亿元。", "150", "亿元", "more_than"),
        ("云溪区经营主体突破8.8万户。", "8.8", "万户", "more_than"),
        ("云溪区接待游客逾300万人。", "300", "万人", "more_than"),
        ("云溪区已有60余家企业入驻。", "60", "家", "more_than"),
        ("云溪区带动消费2600余万元。", "2600", "万元", "more_than"),
        ("云溪区吸纳就业1万余人。", "1", "万人", "more_than"),
        ("云溪区引进企业40多家。", "40", "家", "more_than"),
        ("云溪区改造管网120公里以上。", "120", "公里", "more_than"),
        ("云溪区投资约3600万元修建泵站。", "3600", "万元", "approx"),
        ("云溪区服务群众近5万人次。", "5", "万人次", "approx"),
        ("云溪区新建绿道将近40公里。", "40", "公里", "approx"),
        ("云溪区年产值50亿元左右。", "50", "亿元", "approx"),
        ("云溪区审批时限压缩到3天以内。", "3", "天", "at_most"),
        ("云溪区贷款利率降至4%以下。", "4", "%", "at_most"),
        ("云溪区空置率不足5%。", "5", "%", "at_most"),
        ("云溪区集体收入30万元。", "30", "万元", "exact"),
    ],
)
def test_qualifiers(sentence, value, unit, qualifier):
    r = one(sentence)
    assert (r.value, r.unit_zh, r.qualifier) == (value, unit, qualifier)


def test_recent_is_not_approximate():
    # 最近 (recently) before a number is not 近 (nearly)
    assert rows("云溪区最近3年新增公园9个。")[0] == ("3", "年", "exact")


def test_estimate_applies_to_the_rest_of_the_sentence_up_to_a_semicolon():
    draft = rows("预计云溪区全年游客达420万人次，旅游收入达36亿元；新建民宿18家。")
    assert draft == [("420", "万人次", "estimate"), ("36", "亿元", "estimate"), ("18", "家", "exact")]


def test_a_qualifier_next_to_the_number_wins_over_estimate():
    assert rows("预计云溪区税收超过20亿元，同比增长6%。") == [
        ("20", "亿元", "more_than"),
        ("6", "%", "estimate"),
    ]


# ---- periods ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("1-11月份云溪区实现税收12.3亿元。", "2022-01/2022-11"),
        ("1至11月云溪区实现税收12.3亿元。", "2022-01/2022-11"),
        ("1—11月云溪区实现税收12.3亿元。", "2022-01/2022-11"),
        ("1~8月云溪区实现税收12.3亿元。", "2022-01/2022-08"),
        ("前三季度云溪区实现税收12.3亿元。", "2022-01/2022-09"),
        ("前3季度云溪区实现税收12.3亿元。", "2022-01/2022-09"),
        ("上半年云溪区实现税收12.3亿元。", "2022-01/2022-06"),
        ("下半年云溪区实现税收12.3亿元。", "2022-07/2022-12"),
        ("一季度云溪区实现税收12.3亿元。", "2022-01/2022-03"),
        ("第二季度云溪区实现税收12.3亿元。", "2022-04/2022-06"),
        ("3季度云溪区实现税收12.3亿元。", "2022-07/2022-09"),
        ("全年云溪区实现税收12.3亿元。", "2022-01/2022-12"),
        ("10月份云溪区实现税收12.3亿元。", "2022-10/2022-10"),
        ("截至11月底云溪区存款余额812亿元。", "2022-11-30/2022-11-30"),
        ("年末云溪区存款余额812亿元。", "2022-12-31/2022-12-31"),
        ("2021年云溪区实现税收12.3亿元。", "2021-01/2021-12"),
        ("2021年1-6月云溪区实现税收12.3亿元。", "2021-01/2021-06"),
        ("云溪区实现税收12.3亿元。", ""),
    ],
)
def test_periods(sentence, period):
    assert one(sentence).period == period


def test_period_follows_the_year_parameter():
    assert one("前三季度云溪区实现税收12.3亿元。", year=2019).period == "2019-01/2019-09"


def test_period_applies_after_the_marker_up_to_the_end_of_the_sentence():
    draft = extract_text("云溪区新签项目16个，1-8月份实现投资48亿元，同比增长9.5%、占全市的12%。新增企业300家。")
    assert list(draft["period"]) == ["", "2022-01/2022-08", "2022-01/2022-08", "2022-01/2022-08", ""]


def test_a_clause_opening_with_a_figure_starts_a_new_statement():
    draft = extract_text("1-11月份云溪区教育投入超9.6亿元、占财政支出31.5%，15项惠民工程全部完工。")
    assert list(draft["period"]) == ["2022-01/2022-11", "2022-01/2022-11", ""]
    # …but a period that has dated nothing yet carries over the comma
    draft = extract_text("前三季度，36个项目集中开工。")
    assert list(draft["period"]) == ["2022-01/2022-09"]


def test_a_yearly_target_is_not_a_period():
    draft = extract_text("云溪区新增就业1.8万人，完成了全年任务目标的120%。")
    assert list(draft["period"]) == ["", ""]
    assert list(draft["measure"]) == ["flow", "completion_pct"]


# ---- measures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "measure"),
    [
        ("云溪区税收同比增长7.4%。", "change_yoy_pct"),
        ("云溪区税收比上年下降2.1%。", "change_yoy_pct"),
        ("云溪区研发投入占比提高0.3个百分点。", "change_pp"),
        ("云溪区税收占全市的18.2%。", "share_pct"),
        ("云溪区完成年度计划的104%。", "completion_pct"),
        ("云溪区林木覆盖率为41.5%。", "share_pct"),
        ("云溪区累计建成基站3120处。", "stock"),
        ("云溪区新增市场主体5200户。", "flow"),
        ("云溪区总投资62亿元的新城项目开工。", "investment_total"),
        ("云溪区修复湿地1200亩。", "area"),
        ("云溪区修建步道26公里。", "length"),
        ("云溪区经营主体总量达9.2万户。", "stock"),
        ("云溪区实现营业收入15.8亿元。", "level"),
        ("云溪区建有驿站45处。", "count"),
        ("云溪区低保金标准为每人每月760元。", "rate"),
    ],
)
def test_measures(sentence, measure):
    assert one(sentence).measure == measure


# ---- units and numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "unit", "base_value", "base_unit"),
    [
        ("云溪区地区生产总值达1.2万亿元。", "万亿元", 1.2e12, "CNY"),
        ("云溪区引入社会资本3千万元。", "千万元", 3e7, "CNY"),
        ("云溪区粮食产量达2.4亿斤。", "亿斤", 1.2e8, "kg"),
        ("云溪区货运量达56万吨。", "万吨", 5.6e8, "kg"),
        ("云溪区新增造林面积800公顷。", "公顷", 8e6, "m2"),
        ("云溪区规划面积12.5平方公里。", "平方公里", 1.25e7, "m2"),
        ("云溪区光伏装机达到4500千瓦。", "千瓦", 4.5e6, "W"),
        ("云溪区港口吞吐量达到18万标准箱。", "万标准箱", 1.8e5, "TEU"),
        ("云溪区出口额达3.5亿美元。", "亿美元", 3.5e8, "USD"),
        ("云溪区失业率下降0.4个百分点。", "个百分点", 0.4, "percentage_points"),
        ("云溪区恩格尔系数为28.5％。", "%", 28.5, "percent"),
    ],
)
def test_units(sentence, unit, base_value, base_unit):
    r = one(sentence)
    assert (r.unit_zh, r.base_unit) == (unit, base_unit)
    assert r.base_value == pytest.approx(base_value)


def test_counter_is_the_unit_even_when_a_noun_follows():
    assert rows("云溪区在9个村实施改水工程。") == [("9", "个", "exact")]


def test_bare_magnitude_and_units_that_do_not_convert():
    r = one("云溪区经济总量突破1.1万亿。")
    assert (r.unit_zh, r.base_value, r.base_unit) == ("万亿", 1.1e12, "")
    r = one("云溪区税收增长了1.5倍。")
    assert r.unit_zh == "倍" and math.isnan(r.base_value) and r.base_unit == ""
    r = one("云溪区综合指数为103.6。")
    assert (r.unit_zh, r.base_value) == ("", 103.6)


def test_full_width_digits_are_normalised_and_offsets_kept():
    text = "云溪区引进项目２４个，投资１２．５亿元。"
    draft = extract_text(text)
    assert list(draft["value"]) == ["24", "12.5"]
    assert list(draft["printed"]) == ["２４", "１２．５"]
    assert all(text[a:b] == p for a, b, p in zip(draft["char_start"], draft["char_end"], draft["printed"]))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("云溪区常住人口1,234,567人。", [("1234567", "人")]),
        ("云溪区常住人口1，234人。", [("1234", "人")]),
        ("云溪区完成1,234.5亩。", [("1234.5", "亩")]),
        ("云溪区编号1,1,1家。", [("1", ""), ("1", ""), ("1", "家")]),
        ("云溪区建成1,2345套。", [("1", ""), ("2345", "套")]),
    ],
)
def test_thousands_separators_only_before_exactly_three_digits(sentence, expected):
    draft = extract_text(sentence)
    assert list(zip(draft["value"], draft["unit_zh"])) == expected


def test_ranges_give_the_low_end_and_value_high():
    r = one("云溪区每年新建3-5个口袋公园。")
    assert (r.value, r.value_high, r.unit_zh, r.qualifier, r.printed) == ("3", "5", "个", "range", "3-5")
    r = one("云溪区房价上涨2至3.5个百分点。")
    assert (r.value, r.value_high, r.unit_zh) == ("2", "3.5", "个百分点")
    r = one("云溪区绿化率达到30%-40%。")
    assert (r.value, r.value_high, r.unit_zh, r.printed) == ("30", "40", "%", "30%-40")
    # a month range is a period, not a figure range
    assert one("1-9月云溪区新增企业860家。").qualifier == "exact"


def test_a_number_split_by_a_layout_break_keeps_its_unit():
    text = "经济总量稳步扩大。云溪区工业产值达3200亿\n\n元，同比增长5%。"
    r = extract_text(text).iloc[0]
    assert (r.value, r.unit_zh, r.printed) == ("3200", "亿元", "3200")


# ---- not figures -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "token", "reason"),
    [
        ("云溪区新建5G基站210个。", "5", "name"),
        ("云溪区承办G20配套会议3场。", "20", "name"),
        ("云溪区地铁1号线开通。", "1", "name"),
        ("云溪区入选全国百强区榜单前50名。", "50", "ranking"),
        ("云溪区入选全省30强县区。", "30", "ranking"),
        ("云溪区位列全省TOP10。", "10", "ranking"),
        ("云溪区入选第6批示范区。", "6", "ordinal"),
        ("云溪区获评2021年度文明城区。", "2021", "award_year"),
        ("2023云溪发展报告", "2023", "title_year"),
        ("1-9月云溪区新增企业860家。", "9", "period_marker"),
        ("1、云溪区新增企业860家。", "1", "ordinal"),
        ("（2）云溪区新增企业860家。", "2", "ordinal"),
    ],
)
def test_names_ordinals_years_and_period_digits_are_not_figures(text, token, reason):
    assert (token, reason) in reasons(text)
    start = text.index(token)
    assert start not in set(extract_text(text)["char_start"])


def test_a_year_before_niandu_without_an_award_is_a_period():
    r = one("2021年度云溪区实现税收12.3亿元。")
    assert r.period == "2021-01/2021-12"
    assert reasons("2021年度云溪区实现税收12.3亿元。") == [("2021", "period_marker")]


def test_non_figures_point_at_their_figure():
    text = "1-9月份云溪区新建5G基站210个，获评2021年度示范区。"
    draft = extract_text(text)
    nf = extract_non_figures(text)
    fig = draft.loc[draft["printed"] == "210", "id"].item()
    linked = dict(zip(nf["text"] + "@" + nf["char_start"].astype(str), nf["figure_id"]))
    assert linked["1@0"] == fig and linked["9@2"] == fig  # the period marker dates 210
    assert linked[f"5@{text.index('5G')}"] == fig  # the 5 of 5G names the thing counted
    assert linked[f"2021@{text.index('2021')}"] == ""  # the award's clause has no figure


# ---- Chinese numerals ----------------------------------------------------------------------------


def test_chinese_numeral_quantities_are_opt_in():
    text = "云溪区打造三大片区、两大中心，引进十余家企业，建成“双引擎”，入选第六批名单。"
    assert extract_text(text).empty
    draft = extract_text(text, chinese_numerals=True)
    assert list(zip(draft["printed"], draft["value"], draft["unit_zh"], draft["qualifier"])) == [
        ("三", "3", "", "exact"),
        ("两", "2", "", "exact"),
        ("十", "10", "家", "more_than"),
        ("双", "2", "", "exact"),
    ]


def test_chinese_numerals_in_names_and_idioms_are_not_quantities():
    text = "云溪区推行一站通服务，打造百年老店、四季青公园，出台一揽子措施。"
    assert extract_text(text, chinese_numerals=True).empty


def test_chinese_numerals_with_a_magnitude():
    r = one("云溪区吸引游客三万人。", chinese_numerals=True)
    assert (r.value, r.unit_zh, r.base_value) == ("3", "万人", 30000)


# ---- layout breaks ----------------------------------------------------------------------------------

CAPTIONED = (
    "经济运行稳中有进。前三季度云溪区规上工业营业收\n\n\n\n"
    "云溪新城夜景\n\n"
    "云溪区地处河谷，山水相依，近年来着力建设宜居宜业的现代化新城，城乡面貌焕然一新。\n\n\n\n"
    "云溪湿地公园\n\n\n\n"
    "学生在实验室上课。\n\n"
    "入达到65.4亿元，同比增长7.2%。\n"
)


def test_a_sentence_cut_by_captions_is_read_whole():
    draft = extract_text(CAPTIONED)
    assert list(draft["value"]) == ["65.4", "7.2"]
    # the period printed before the photo block dates the figures after it
    assert set(draft["period"]) == {"2022-01/2022-09"}
    assert all(CAPTIONED[a:b] == v for a, b, v in zip(draft["char_start"], draft["char_end"], draft["value"]))
    assert "规上工业营业收入" in draft["indicator_zh"].iloc[0]


def test_a_word_cut_by_a_blank_line_is_rejoined():
    text = "新兴产业加快集聚。1-10月份云溪区新增高新技\n\n术企业18家、专精特新企业7家。\n"
    draft = extract_text(text)
    assert list(draft["period"]) == ["2022-01/2022-10"] * 2
    assert "高新技术企业" in draft["indicator_zh"].iloc[0]
    assert draft["indicator_zh"].iloc[1] == "专精特新企业"


def test_topic_and_section_guesses():
    text = (
        "云溪区发展报告\n\n"
        "产业升级\n动能转换提速\n\n"
        "园区建设稳步推进。云溪区新建标准厂房12万平方米。\n\n"
        "城乡融合\n乡村面貌一新\n\n"
        "农村改革不断深化。云溪区流转土地3400亩。\n"
    )
    draft = extract_text(text)
    assert list(draft["section"]) == [1, 2]
    assert list(draft["topic_zh"]) == ["园区建设", "农村改革"]


# ---- errors ----------------------------------------------------------------------------------------


def test_bytes_that_are_not_utf8_name_the_file_and_byte_offset(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes("云溪区".encode() + b"\xff\xfe" + "12亿元".encode())
    with pytest.raises(ExtractError, match=r"report\.txt.*byte offset 9"):
        read_report(path)


def test_gbk_file_is_refused_with_the_offset(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("云溪区投资12亿元".encode("gbk"))
    with pytest.raises(ExtractError, match=r"gbk\.txt: not UTF-8 text: byte offset 0"):
        read_report(path)


def test_missing_file_and_bad_arguments(tmp_path):
    with pytest.raises(ExtractError, match="no such file"):
        read_report(tmp_path / "absent.txt")
    with pytest.raises(ExtractError, match="must be a str"):
        extract_text(b"12")  # type: ignore[arg-type]
    with pytest.raises(ExtractError, match="year"):
        extract_text("12亿元", year="2022")  # type: ignore[arg-type]


# ---- compare -----------------------------------------------------------------------------------------


def test_compare_counts_missed_added_and_wrong_qualifiers():
    text = "云溪区投资约12亿元，新建学校5所，新增企业300家。"
    draft = extract_text(text)
    curated = draft[["id", "value", "unit_zh", "qualifier", "period", "measure", "char_start", "char_end"]].copy()
    curated["id"] = ["investment", "schools", "firms"]
    curated = curated.iloc[[0, 1]].copy()  # the curated table lacks the firms
    curated.loc[curated.index[0], "qualifier"] = "exact"  # and disagrees on a qualifier
    extra = curated.iloc[[1]].assign(id="ghost", char_start=0, char_end=2, value="99")
    curated = pd.concat([curated, extra], ignore_index=True)
    result = compare(draft, curated)
    assert result.recall == pytest.approx(2 / 3)
    assert result.precision == pytest.approx(2 / 3)
    assert result.qualifier_accuracy == 0.5 and result.period_accuracy == 1.0
    table = result.confusion()
    assert sorted(table["kind"]) == ["added", "missed", "qualifier"]
    assert table.loc[table["kind"] == "qualifier", ["curated", "draft"]].values.tolist() == [["exact", "approx"]]
    text_report = str(result)
    assert "recall" in text_report and "ghost" in text_report


def test_compare_reads_values_as_numbers():
    draft = extract_text("云溪区完成62.10万平方米。")
    curated = pd.DataFrame(
        {
            "id": ["x"],
            "value": [62.1],
            "unit_zh": ["万平方米"],
            "qualifier": ["exact"],
            "period": [float("nan")],
            "char_start": [5],
            "char_end": [10],
        }
    )
    result = compare(draft, curated)
    assert result.recall == 1.0 and result.period_accuracy == 1.0


# ---- command line ------------------------------------------------------------------------------------

SAMPLE = "前三季度云溪区实现营业收入15.8亿元，同比增长6.5%。新建5G基站120个。\n"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(
        [sys.executable, "-m", "helpers", "extract", *args], cwd=cwd, env=env, capture_output=True, timeout=120
    )


@pytest.fixture
def sample(tmp_path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_cli_writes_the_draft_to_stdout(sample, tmp_path):
    done = run_cli(str(sample), cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode("utf-8").splitlines()
    assert lines[0].split(",") == list(DRAFT_COLUMNS)
    assert len(lines) == 4
    assert ",15.8,亿元,1580000000,CNY,exact,true,2022-01/2022-09," in lines[1]


def test_cli_output_file_refuses_to_overwrite_without_force(sample, tmp_path):
    out, nf = tmp_path / "draft.csv", tmp_path / "nonfig.csv"
    done = run_cli(str(sample), "-o", str(out), "--non-figures", str(nf), "--year", "2021", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    draft = read_curated(out)
    assert list(draft["period"]) == ["2021-01/2021-09", "2021-01/2021-09", ""]
    assert list(read_curated(nf)["reason"]) == ["name"]
    out.write_text("keep me", encoding="utf-8")
    done = run_cli(str(sample), "-o", str(out), cwd=tmp_path)
    assert done.returncode == 1 and b"exists" in done.stderr and b"--force" in done.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    done = run_cli(str(sample), "-o", str(out), "--force", cwd=tmp_path)
    assert done.returncode == 0 and out.read_text(encoding="utf-8").startswith("id,section,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.csv", "nonfig.csv", "report.txt"]  # no temp files


def test_cli_reports_unreadable_input(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"12\xc3(")
    done = run_cli(str(bad), cwd=tmp_path)
    assert done.returncode == 1
    assert b"bad.txt: not UTF-8 text: byte offset 2" in done.stderr
    assert b"Traceback" not in done.stderr


def test_cli_help_describes_the_options(tmp_path):
    done = run_cli("--help", cwd=tmp_path)
    assert done.returncode == 0
    for option in (b"--output", b"--year", b"--non-figures", b"--force", b"--chinese-numerals"):
        assert option in done.stdout


def test_comparison_accuracy_of_any_shared_column():
    draft = extract_text("云溪区投资约12亿元，新建学校5所。")
    curated = draft.drop(columns=["printed", "value_high", "guess"]).copy()
    curated["rounded"] = ["true", "true"]  # as read from CSV; the second disagrees
    curated["base_value"] = ["1.2e9", "5"]
    result = compare(draft, curated)
    assert result.accuracy("rounded") == 0.5
    assert result.accuracy("base_value") == 1.0
    with pytest.raises(KeyError):
        result.accuracy("printed")


def test_comparison_with_the_loaded_package_reads_missing_periods_as_empty(report, comparison):
    """The loader types empty periods as pandas NA; they must agree with a draft's empty period."""
    from helpers.core import package

    loaded = compare(extract_text(report, year=2022), package.load(DATA).figures)
    assert loaded.period_accuracy == comparison.period_accuracy
    assert len(loaded.confusion()) == len(comparison.confusion())
