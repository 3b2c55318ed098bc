"""Sections and names: site chrome and a cut-off fragment are no title or section, 一、… is a section and not the
lead, and an indicator guess is the noun phrase a number belongs to, never a verb or a table fragment.

Texts invented for these tests.
"""

from __future__ import annotations

import csv

import pytest

from helpers.drafting import draft, wording
from helpers.drafting.sections import detect_sections, is_chrome

CHROME = (
    "登录 | 注册 | 无障碍 | 长者版\n某区2020年统计公报\n\n一、综合\n全年生产总值12亿元。\n\n"
    "二、农业\n粮食产量3万吨。\n农业生产"
)


def test_site_chrome_before_the_title_is_neither_title_nor_section():
    titles = [s["title_zh"] for s in detect_sections(CHROME)]
    assert titles == ["某区2020年统计公报", "一、综合", "二、农业"]
    assert is_chrome("首页 | 新闻 | 政务 | 服务") and not is_chrome("一、综合")


def test_a_fragment_cut_at_the_end_is_no_subtitle_or_section():
    rows = detect_sections(CHROME)
    assert all(r["subtitle_zh"] != "农业生产" for r in rows) and rows[-1]["char_end"] == len(CHROME)


def test_a_text_that_opens_with_a_numbered_heading_has_it_as_section_one_not_the_lead():
    rows = detect_sections("一、综合\n全年生产总值12亿元。\n二、农业\n粮食产量3万吨。\n")
    assert [(r["section"], r["title_zh"]) for r in rows] == [(1, "一、综合"), (2, "二、农业")]


@pytest.mark.parametrize(
    "phrase, noun",
    [
        ("城镇化率高于全市平均", "城镇化率"),
        ("三次产业结构由2019年", "三次产业结构"),
        ("粮食 |", "粮食"),
        ("调整为", ""),
        ("增长", ""),
        ("工业增加值减少", "工业增加值"),
    ],
)
def test_an_indicator_guess_is_a_noun_phrase(phrase, noun):
    assert wording.noun_phrase(phrase) == noun


def test_no_drafted_indicator_is_a_bare_verb(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(
        "某区2020年统计公报\n\n一、综合\n全年地区生产总值356.8亿元，比上年下降4.2%。"
        "三次产业结构由2019年的5.1:40.2:54.7调整为5.3:39.9:54.8。第二产业增加值12.6亿元,增长3%。\n",
        encoding="utf-8",
    )
    draft.new(report, tmp_path / "pkg")
    with (tmp_path / "pkg" / "figures.csv").open(encoding="utf-8") as f:
        names = [r["indicator_zh"] for r in csv.DictReader(f)]
    verbs = {"下降", "上升", "调整为", "调整", "增长", "比上年下降"}
    assert not set(names) & verbs and not any("|" in n for n in names)
    assert names[1].startswith("地区生产总值") and names[-1].startswith("第二产业增加值")


@pytest.mark.parametrize(
    "phrase, noun",
    [
        ("地区生产总值[2]", "地区生产总值"),
        ("人口自然增长率", "人口自然增长率"),
        ("占总人口比重", "占总人口比重"),
        ("市场主体增", "市场主体"),
        ("粮食产量保持在", "粮食产量"),
        ("常住人口城镇化率首次超过", "常住人口城镇化率"),
        ("以上", ""),
        ("男性人口占比", "男性人口占比"),
    ],
)
def test_footnote_markers_rate_nouns_and_a_trailing_verb_are_read_right(phrase, noun):
    assert wording.noun_phrase(phrase) == noun


def test_a_share_printed_after_its_part_is_named_by_the_part_and_a_qualifier_is_no_name(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(
        "2021年是开局之年。\n一、综合\n男性人口28.07万人，占50.79%。企业数量日均净增1万户以上。\n",
        encoding="utf-8",
    )
    draft.new(report, tmp_path / "pkg")
    with (tmp_path / "pkg" / "figures.csv").open(encoding="utf-8") as f:
        rows = [(r["id"], r["indicator_zh"], r["direction"]) for r in csv.DictReader(f)]
    assert rows == [
        ("male_population", "男性人口", ""),
        ("male_population_share", "男性人口占比", ""),
        ("s1_count", "企业数量日均", "up"),
    ]


def test_a_lead_whose_first_line_is_a_sentence_is_named_lead_and_a_dashed_headline_is_a_topic(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(
        "去年，经济运行总体平稳。\n一、2019年工作回顾\n——经济运行总体平稳。国内生产总值达到99.1万亿元。\n",
        encoding="utf-8",
    )
    draft.new(report, tmp_path / "pkg")
    with (tmp_path / "pkg" / "sections.csv").open(encoding="utf-8") as f:
        lead = next(csv.DictReader(f))
    with (tmp_path / "pkg" / "figures.csv").open(encoding="utf-8") as f:
        topics = [r["topic_zh"] for r in csv.DictReader(f)]
    assert lead["title_en"] == "Lead" and topics == ["经济运行"]


def test_an_indicator_in_traditional_script_is_drafted_in_simplified_whole(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(
        "2016年1-6月全市經濟運行簡況\n上半年，醫藥製造業增長6.2%，軟件和信息技術服務業增長11.2%。\n", encoding="utf-8"
    )
    draft.new(report, tmp_path / "pkg")
    with (tmp_path / "pkg" / "figures.csv").open(encoding="utf-8") as f:
        names = [wording.noun_phrase(r["indicator_zh"]) for r in csv.DictReader(f)]
    assert names == ["医药制造业", "软件和信息技术服务业"]


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("全社会固定资产投资比上年下降3.5%。", "全社會固定資產投資比上年下降3.5%。"),
        ("社会消费品零售总额增长5.2%。", "社會消費品零售總額增長5.2%。"),
        ("规模以上工业增加值按可比价格计算，同比减少1.7%。", "規模以上工業增加值按可比價格計算，同比減少1.7%。"),
        ("地区生产总值比上年回落4.2%。", "地區生產總值比上年回落4.2%。"),
    ],
)
def test_a_traditional_sentence_drafts_what_its_simplified_twin_drafts(simplified, traditional, tmp_path):
    drafted = []
    for n, sentence in enumerate((simplified, traditional)):
        report = tmp_path / f"r{n}.txt"
        report.write_text(f"2021年全县经济运行\n{sentence}\n", encoding="utf-8")
        draft.new(report, tmp_path / f"pkg{n}")
        with (tmp_path / f"pkg{n}" / "figures.csv").open(encoding="utf-8") as f:
            drafted.append(
                [
                    (r["id"], r["indicator_zh"], r["indicator_en"], r["measure"], r["direction"], r["unit_zh"])
                    for r in csv.DictReader(f)
                ]
            )
    assert drafted[0] == drafted[1] and drafted[0] and not drafted[0][0][2].startswith("TO TRANSLATE"), drafted


def test_the_fold_is_opencc_one_for_one_and_leaves_simplified_text_alone():
    from helpers.drafting.extract import lexicon as lx

    assert lx.fold("全社會固定資產投資增長") == "全社会固定资产投资增长"
    from conftest import ROOT

    text = (ROOT / "tests" / "journey" / "county_2021_tables.txt").read_text(encoding="utf-8")
    assert lx.fold(text) == text
    for e in lx.ENTRIES:
        if e.traditional:
            assert lx.fold(e.traditional) == e.word, e


@pytest.mark.parametrize(
    ("text", "indicator", "english", "direction"),
    [
        ("纺织业、服装服饰业产量实现了20%以上的较快增长。", "服装服饰业产量", "", "up"),
        (
            "批发和零售业增加值同比增长4.1%，增速回落0.3个百分点。",
            "批发和零售业增加值增速",
            "growth rate of value added of wholesale and retail trades",
            "down",
        ),
        (
            "批发和零售业增加值同比增长4.1%，增速比一季度回落0.3个百分点。",
            "批发和零售业增加值增速",
            "growth rate of value added of wholesale and retail trades",
            "down",
        ),
        ("服务业对全区经济增长的贡献率为61.2%。", "服务业对全区经济增长的贡献率", "", ""),
        ("全县完成固定资产投资总额12.5亿元。", "固定资产投资总额", "total investment in fixed assets", ""),
    ],
)
def test_general_wording_rules(text, indicator, english, direction, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(f"2021年全县经济运行\n{text}\n", encoding="utf-8")
    draft.new(report, tmp_path / "pkg")
    with (tmp_path / "pkg" / "figures.csv").open(encoding="utf-8") as f:
        last = list(csv.DictReader(f))[-1]
    assert indicator in last["indicator_zh"], last
    assert last["direction"] == direction, last
    if english:
        assert last["indicator_en"].startswith(english), last
