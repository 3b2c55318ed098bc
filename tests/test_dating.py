"""Periods from where a figure stands: a table's caption, a sentence breaking down a whole (其中, X中), the report's
period; nothing when the text prints no year; a quarter compared with never dates a figure.

Sentences invented for these tests.
"""

from __future__ import annotations

import csv

from helpers.drafting import dating, draft, tablecells

YEAR_END = "2021-12-31/2021-12-31"
YEAR = "2021-01/2021-12"


def drafted(tmp_path, text: str, name: str = "figures.csv", year: int | None = None) -> list[dict]:
    report = tmp_path / "r.txt"
    report.write_text(text, encoding="utf-8")
    draft.new(report, tmp_path / "pkg", year=year)
    with (tmp_path / "pkg" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


TABLES = (
    "2021年是开局之年。\n一、综合\n全年地区生产总值245.61亿元。\n"
    "表1 2021年末户籍人口\n指标 | 年末数(人) |\n全县户籍总人口 | 832955 |\n18-34岁 | 189574 |\n"
    "表2 2021年居民消费价格指数\n指标 | 比上年涨跌(%) |\n居民消费价格总指数 | 101.0 |\n"
)


def test_a_table_cell_takes_the_period_its_caption_prints(tmp_path):
    periods = {f["value"]: f["period"] for f in drafted(tmp_path, TABLES)}
    assert periods == {"245.61": YEAR, "832955": YEAR_END, "189574": YEAR_END, "101.0": YEAR}


def test_a_number_in_a_table_rows_label_is_part_of_its_name_not_a_figure(tmp_path):
    rows = {r["text"]: r["reason"] for r in drafted(tmp_path, TABLES, "non_figures.csv")}
    assert rows["18"] == rows["34"] == "table_label"
    assert not tablecells.in_row_label("全县户籍总人口 | 832955 |", 12)


def test_a_sentence_that_breaks_down_a_whole_takes_its_period(tmp_path):
    text = (
        "2021年是开局之年。\n一、综合\n年末常住人口55.27万人。其中，城镇人口29.88万人。"
        "全县常住人口中，男性人口28.07万人；女性人口27.2万人。农业产值14.91亿元。\n"
    )
    periods = [(f["value"], f["period"]) for f in drafted(tmp_path, text)]
    assert periods == [
        ("55.27", YEAR_END),
        ("29.88", YEAR_END),
        ("28.07", YEAR_END),
        ("27.2", YEAR_END),
        ("14.91", YEAR),
    ]


def test_a_period_filled_from_the_context_is_named_a_guess(tmp_path):
    rows = drafted(tmp_path, "2021年是开局之年。\n一、综合\n农业产值14.91亿元。\n")
    assert "period" in rows[0]["guess"].split(";")[0]


def test_a_text_without_a_year_gets_no_period_from_the_context(tmp_path):
    rows = drafted(tmp_path, "一、综合\n农业产值14.91亿元。其中，林业产值1.36亿元。\n")
    assert [r["period"] for r in rows] == ["", ""]


def test_the_quarter_a_growth_is_compared_with_does_not_date_it(tmp_path):
    text = "2016年1-6月全市经济运行简况\n上半年，地区生产总值增长6.7%，增速比1季度回落0.2个百分点。\n"
    rows = drafted(tmp_path, text)
    assert [(r["value"], r["period"], r["direction"]) for r in rows] == [
        ("6.7", "2016-01/2016-06", "up"),
        ("0.2", "2016-01/2016-06", "down"),
    ]


def test_a_quoted_number_names_a_slogan(tmp_path):
    rows = drafted(tmp_path, "按照县委“11234”工作思路，全年地区生产总值245.61亿元。\n", year=2021)
    assert [r["value"] for r in rows] == ["245.61"]


def test_fill_leaves_a_period_the_sentence_prints():
    rows = [{"char_start": 0, "period": "2021-01/2021-06", "guess": "indicator"}]
    dating.fill(rows, "上半年增长5%", YEAR)
    assert rows == [{"char_start": 0, "period": "2021-01/2021-06", "guess": "indicator"}]


def test_the_openings_period_word_dates_a_text_given_its_year(tmp_path):
    rows = drafted(tmp_path, "今年上半年以来，该区经济平稳。\n规模以上工业增加值同比增长9.7%。\n", year=2025)
    assert [r["period"] for r in rows] == ["2025-01/2025-06"]


def test_a_topic_other_than_its_section_is_translated_from_the_glossary_or_left_to_translate(tmp_path):
    text = (
        "2021年是开局之年。\n一、综合\n固定资产投资持续增强。该区固定资产投资同比增长6%。\n"
        "消费市场活力深度激发。社会消费品零售总额同比增长7.1%。\n"
    )
    topics = [(r["topic_zh"], r["topic_en"]) for r in drafted(tmp_path, text)]
    assert topics == [("固定资产投资", "Investment in fixed assets"), ("消费市场活力", "TO TRANSLATE: 消费市场活力")]
