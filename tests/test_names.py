"""Less curation: English names from the glossary (each row with its source), readable stable ids, topics from
the sections.  Sentences invented for these tests."""

from __future__ import annotations

import csv
import re
from importlib import resources

from helpers.drafting import draft, names

TEXT = (
    "示例县2020年统计公报\n\n一、综合\n全年地区生产总值356.8亿元，同比增长4.2%。"
    "社会消费品零售总额120.5亿元，增长3.1%。全县常住人口城镇化率为55.2%。\n"
)


def drafted(tmp_path, name: str = "pkg") -> list[dict]:
    report = tmp_path / "r.txt"
    report.write_text(TEXT, encoding="utf-8")
    draft.new(report, tmp_path / name, force=True)
    with (tmp_path / name / "figures.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_glossary_holds_a_few_hundred_terms_each_with_a_known_source():
    folder = resources.files("helpers.drafting")
    rows = list(csv.DictReader(folder.joinpath("glossary_en.csv").read_text("utf-8").splitlines()))
    sources = {
        r["source"] for r in csv.DictReader(folder.joinpath("glossary_sources.csv").read_text("utf-8").splitlines())
    }
    assert len(rows) >= 250 and {r["source"] for r in rows} <= sources
    assert len({r["zh"] for r in rows}) == len(rows)


def test_official_english_names_are_found_whole_or_after_an_area_word():
    assert names.english("地区生产总值")[0] == "gross domestic product (GDP)"
    assert names.english("社会消费品零售总额")[0] == "total retail sales of consumer goods"
    assert names.english("全县常住人口城镇化率")[0] == "urbanization rate of the resident population"
    assert names.english("某种没有的指标") is None


def test_drafted_english_names_are_marked_as_guesses_with_their_source(tmp_path):
    rows = drafted(tmp_path)
    gdp, growth = rows[0], rows[1]
    assert gdp["indicator_en"] == "gross domestic product (GDP)" and "glossary: comm2022" in gdp["guess"]
    assert growth["indicator_en"].startswith("gross domestic product (GDP), change year on year")


def test_ids_are_readable_unique_and_the_same_on_every_draft(tmp_path):
    first, again = drafted(tmp_path, "a"), drafted(tmp_path, "b")
    ids = [r["id"] for r in first]
    assert ids == [r["id"] for r in again] and len(set(ids)) == len(ids)
    assert ids[:2] == ["gross_domestic_product", "gross_domestic_product_yoy"]
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)


def test_topics_come_from_the_section_and_its_english_from_the_glossary(tmp_path):
    rows = drafted(tmp_path)
    assert {(r["topic_zh"], r["topic_en"]) for r in rows} == {("综合", "General outlook")}


def test_a_share_is_named_from_the_glossarys_terms_for_its_part_and_whole():
    assert names.english("第一产业占地区生产总值的比重")[0] == (
        "share of primary industry in gross domestic product (GDP)"
    )
    assert names.english("男性人口占比")[0] == "male population, share"
    assert names.english("某种没有的指标占地区生产总值的比重") is None
