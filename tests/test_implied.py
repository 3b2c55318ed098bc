"""Relations the wording implies, drafted: a whole and its parts (其中 …, summing to it), a structure ratio's shares
and their parts, a share and its change in points; each derives a value and its check is consistent.

A communiqué paragraph invented for these tests.
"""

from __future__ import annotations

from helpers.core import checks, package, relations
from helpers.drafting import draft

TEXT = (
    "某区2020年统计公报\n\n一、综合\n全年地区生产总值356.8亿元，比上年下降4.2%。其中，第一产业增加值20.1亿元，"
    "增长2.1%；第二产业增加值140.2亿元，下降6.0%；第三产业增加值196.5亿元，下降3.1%。三次产业结构为5.6:39.3:55.1。"
    "常住人口城镇化率为65.2%，比上年末提高0.5个百分点。\n"
)


def drafted(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(TEXT, encoding="utf-8")
    draft.new(report, tmp_path / "pkg")
    pkg, _ = package.inspect(tmp_path / "pkg")
    return pkg


def test_parts_that_sum_to_their_whole_and_the_structure_ratio_are_drafted(tmp_path):
    pkg = drafted(tmp_path)
    kinds = list(pkg.relations["kind"])
    assert kinds.count("sum_of_parts") == 3 and kinds.count("printed_share") == 3
    assert kinds.count("prior_level") == 4 and kinds.count("prior_share") == 1


def test_every_drafted_relation_derives_and_its_check_is_consistent(tmp_path):
    pkg = drafted(tmp_path)
    derived = relations.derive_all(pkg, {})
    found = checks.check_all(derived, pkg.figures)
    assert len(derived) == len(pkg.relations) and found
    assert {c.status for c in found} == {"consistent"}


def test_parts_that_do_not_sum_to_the_whole_are_no_decomposition(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(TEXT.replace("196.5亿元", "96.5亿元"), encoding="utf-8")
    draft.new(report, tmp_path / "pkg")
    pkg, _ = package.inspect(tmp_path / "pkg")
    assert "sum_of_parts" not in set(pkg.relations["kind"])


def test_a_per_capita_amount_is_never_a_part_of_the_whole(tmp_path):
    text = TEXT.replace("三次产业结构为", "人均地区生产总值71402元，增长6.8%。三次产业结构为")
    report = tmp_path / "r.txt"
    report.write_text(text, encoding="utf-8")
    draft.new(report, tmp_path / "pkg")
    pkg, _ = package.inspect(tmp_path / "pkg")
    parts = set(pkg.relations.loc[pkg.relations["kind"] == "sum_of_parts", "x"])
    assert len(parts) == 3 and not any("capita" in p for p in parts)


def test_a_growth_above_another_areas_is_no_share_and_its_change(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(
        "某区2020年统计公报\n\n一、工业\n规模以上工业增加值同比增长9.7%，高于全市1.1个百分点。"
        "在工业19个大类中，10个行业增加值实现同比增长，增长面达52.6%。\n",
        encoding="utf-8",
    )
    draft.new(report, tmp_path / "pkg")
    pkg, _ = package.inspect(tmp_path / "pkg")
    assert pkg.relations.empty
    measures = dict(zip(pkg.figures["value"], pkg.figures["measure"], strict=True))
    assert measures["52.6"] == "share_pct" and measures["1.1"] == "change_pp"
