"""Years from the text, never a silent default: the report's year is read from its opening, title or periods;
a comparison year or a price base never dates a figure; a text that prints no year leaves periods to fill in.

Sentences invented for these tests, and the tuning excerpts of tests/realtext (their year in sources.csv).
"""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from conftest import ROOT
from helpers.drafting import draft, years
from helpers.drafting.extract import extract_non_figures, extract_text, read_report

REALTEXT = ROOT / "tests" / "realtext"
TUNING = [r for r in csv.DictReader((REALTEXT / "sources.csv").open(encoding="utf-8")) if r["set"] == "tuning"]


@pytest.mark.parametrize(
    "text, year",
    [
        ("2020年全区经济运行平稳。全年地区生产总值356.8亿元。", 2020),
        ("初步核算，2021年我县实现生产总值133.86亿元。", 2021),
        ("2022年1—11月，全省经济运行总体平稳。", 2022),
        ("某区2019年国民经济和社会发展统计公报\n全年地区生产总值617.50亿元。", 2019),
        ("上半年全区地区生产总值156.8亿元，比2019年同期增长3%。", None),
        ("2023年政府工作报告\n过去一年，全市地区生产总值增长5%。", None),
        ("政府工作报告\n2017年1月7日在市人民代表大会上\n预计全市地区生产总值增长8%。", None),
        ("2021年是建党100周年。全年地区生产总值245.61亿元。", 2021),
        ("经核算，2021年末全县户籍总人口83.30万人。", 2021),
        ("政府工作报告\n一、2019年和今年以来工作回顾\n国内生产总值增长6.1%。", 2019),
    ],
    ids=[
        "opening",
        "opening-after-clause",
        "months",
        "title",
        "comparison-only",
        "work-report-title",
        "date",
        "first-words",
        "year-end-opening",
        "work-report-review",
    ],
)
def test_the_report_year_is_read_from_the_text_or_unknown(text, year):
    assert years.report_year(text)[0] == year


@pytest.mark.parametrize("row", TUNING, ids=[r["file"] for r in TUNING])
def test_no_tuning_text_is_given_a_year_it_does_not_describe(row):
    found, where = years.report_year(read_report(REALTEXT / row["file"]))
    assert found in (int(row["year"]), None), where


def test_a_comparison_year_and_a_price_base_never_date_a_figure():
    text = (
        "全年地区生产总值356.8亿元，按2010年不变价计算，比上年下降4.2%。"
        "三次产业结构由2019年的5.1:40.2:54.7调整为5.3:39.9:54.8。与2019年相比，人口增加1.2万人。"
    )
    periods = set(extract_text(text, year=2020)["period"])
    assert not any(p.startswith(("2010", "2019")) for p in periods)
    reasons = dict(zip(extract_non_figures(text, year=2020)["text"], extract_non_figures(text, year=2020)["reason"]))
    assert (reasons["2010"], reasons["2019"]) == ("index_base", "comparison_year")


def test_a_text_without_a_year_leaves_its_periods_to_fill_in_and_says_so_once(tmp_path):
    report = tmp_path / "half.txt"
    report.write_text(
        "某区上半年经济运行情况\n\n一、综合\n上半年全区地区生产总值156.8亿元，同比增长4.2%。\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "helpers", "new", str(report), "--out", str(tmp_path / "pkg")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == draft.EXIT_PROBLEMS
    assert done.stdout.count("--year") >= 1 and done.stdout.count(draft.NO_YEAR) == 1
    with (tmp_path / "pkg" / "figures.csv").open(encoding="utf-8") as f:
        periods = [r["period"] for r in csv.DictReader(f)]
    assert periods and all(p.startswith(draft.TO_FILL) and "YYYY-01/YYYY-06" in p for p in periods)
    assert not any("2022" in p for p in periods)


def test_year_given_on_the_command_line_overrides_the_text(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("某区2019年统计公报\n\n一、综合\n全年地区生产总值156.8亿元。\n", encoding="utf-8")
    drafted = draft.new(report, tmp_path / "pkg", year=2021)
    assert drafted.audit.package is not None
    assert set(drafted.audit.package.figures["period"]) == {"2021-01/2021-12"}


@pytest.mark.parametrize(
    "text, period",
    [
        ("2016年1-6月全市經濟運行簡況\n上半年全市實現地區生產總值11413.8億元。", "2016-01/2016-06"),
        ("2021年是建党100周年。全年地区生产总值245.61亿元。", "2021-01/2021-12"),
    ],
    ids=["title-months", "year"],
)
def test_the_report_period_is_the_months_its_title_prints_else_the_year(text, period):
    year = years.report_year(text)[0]
    assert year is not None and years.report_period(text, year) == period
