"""Tables: a ``单位：…`` line gives its unit to every cell below it; row label and column heading name the cell.

Tables invented for these tests, pipe-separated and aligned with spaces.
"""

from __future__ import annotations

import csv

from helpers.core import audit
from helpers.drafting import draft, tablecells

PIPES = (
    "示例区2020年统计公报\n\n一、农业\n单位：吨\n品种 | 产量 | 比上年增长(%)\n"
    "粮食 | 125400 | 3.2\n蔬菜 | 98000.5 | -1.5\n"
)
ALIGNED = (
    "示例区2020年统计公报\n\n一、财政\n单位：万元\n指标        2020年      增长%\n"
    "地方财政收入   35600      5.1\n税收收入       28000     -2.0\n"
)


def drafted(tmp_path, text: str) -> dict[str, dict]:
    report = tmp_path / "r.txt"
    report.write_text(text, encoding="utf-8")
    draft.new(report, tmp_path / "pkg")
    with (tmp_path / "pkg" / "figures.csv").open(encoding="utf-8") as f:
        return {r["value"]: r for r in csv.DictReader(f)}


def test_a_pipe_table_gives_its_unit_to_every_cell_and_names_it_by_row_and_column(tmp_path):
    rows = drafted(tmp_path, PIPES)
    assert [(rows[v]["unit_zh"], rows[v]["base_unit"], rows[v]["indicator_zh"]) for v in ("125400", "98000.5")] == [
        ("吨", "kg", "粮食产量"),
        ("吨", "kg", "蔬菜产量"),
    ]
    assert rows["125400"]["base_value"] == "125400000"


def test_a_percentage_column_is_a_change_with_its_sign(tmp_path):
    rows = drafted(tmp_path, PIPES)
    assert [(rows[v]["unit_zh"], rows[v]["measure"], rows[v]["direction"]) for v in ("3.2", "-1.5")] == [
        ("%", "change_yoy_pct", "up"),
        ("%", "change_yoy_pct", "down"),
    ]


def test_a_table_aligned_with_spaces_is_read_and_its_year_heading_dates_it(tmp_path):
    rows = drafted(tmp_path, ALIGNED)
    assert (rows["35600"]["unit_zh"], rows["35600"]["indicator_zh"], rows["35600"]["period"]) == (
        "万元",
        "地方财政收入",
        "2020-01/2020-12",
    )
    assert rows["-2.0"]["direction"] == "down"


def test_the_cells_of_a_table_draft_validate_but_for_placeholders(tmp_path):
    drafted(tmp_path, PIPES)
    found = [e for e in audit.audit(tmp_path / "pkg").errors if not e.reason.startswith("still marked")]
    assert [str(e) for e in found] == []


def test_a_table_ends_at_a_blank_line_and_text_after_it_keeps_its_own_units(tmp_path):
    rows = drafted(tmp_path, PIPES + "\n二、工业\n全年规模以上工业增加值12.5亿元。\n")
    assert rows["12.5"]["unit_zh"] == "亿元"
    assert len(tablecells.tables(PIPES)) == 1 and len(tablecells.tables(PIPES)[0][1]) == 3


def test_a_level_printed_without_its_unit_is_drafted_with_a_problem_to_curate(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("示例区2020年统计公报\n\n一、综合\n第二产业增加值12.6,增长3%。\n", encoding="utf-8")
    result = draft.new(report, tmp_path / "pkg")
    assert (tmp_path / "pkg" / "figures.csv").is_file()
    assert any(p["field"] in ("unit_zh", "base_unit", "base_value") for p in result.problems)


HEADED = (
    "示例县2021年统计公报\n\n一、人口\n表1 2021年末户籍人口\n指标 | 年末数(人) | 比重(%) |\n"
    "其中:男性 | 441724 | 53.03 |\n60岁及以上 | 125606 | 15.08 |\n"
    "表2 2021年居民消费价格指数\n指标 | 比上年涨跌(%) |\n衣着 | 101.4 |\n"
)


def test_a_pipe_table_without_a_unit_line_names_each_cell_by_its_row_and_column(tmp_path):
    rows = drafted(tmp_path, HEADED)
    assert [(rows[v]["indicator_zh"], rows[v]["unit_zh"], rows[v]["measure"]) for v in rows] == [
        ("男性", "人", "count"),
        ("男性比重", "%", "share_pct"),
        ("60岁及以上", "人", "count"),
        ("60岁及以上比重", "%", "share_pct"),
        ("衣着", "%", "rate"),  # 比上年涨跌 says how the index is given, not what it is
    ]
    assert rows["125606"]["indicator_en"] == "aged 60 and over"
    assert rows["15.08"]["indicator_en"] == "aged 60 and over, share"


def test_lines_that_are_not_split_by_pipes_are_no_table():
    assert tablecells.pipe_tables("指标 | 年末数\n地区生产总值245.61亿元。\n") == []
    assert len(tablecells.pipe_tables("指标 | 年末数 |\n男性 | 441724 |\n")) == 1
