"""bench/edits.py counts the cells a curator changes between a draft and its package, per figure."""

from __future__ import annotations

import csv
import shutil

from conftest import bench_module
from helpers.drafting import draft

TEXT = "示例区2020年统计公报\n\n一、综合\n全年地区生产总值356.8亿元，同比增长4.2%。全年新增市场主体1200户。\n"


def _edits():
    return bench_module("edits")


def drafted_and_copy(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(TEXT, encoding="utf-8")
    draft.new(report, tmp_path / "draft")
    shutil.copytree(tmp_path / "draft", tmp_path / "curated")
    return tmp_path / "draft", tmp_path / "curated"


def rewrite(path, change) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_an_untouched_draft_counts_no_edit(tmp_path):
    found = _edits().count(*drafted_and_copy(tmp_path))
    assert (found["edits"], found["per_figure"]) == (0, 0.0)


def test_each_changed_cell_and_each_deleted_row_is_one_edit(tmp_path):
    drafted, curated = drafted_and_copy(tmp_path)

    def curate(rows):
        rows[0]["indicator_en"] = "GDP"
        rows[0]["topic_zh"] = "经济总量"
        del rows[-1]

    rewrite(curated / "figures.csv", curate)
    found = _edits().count(drafted, curated)
    assert found["totals"]["figures"] == 3 and found["figures"] == 2
    assert [r["edits"] for r in found["rows"]][:1] == [2]


def test_a_renamed_id_is_one_edit_and_the_relations_naming_it_follow(tmp_path):
    drafted, curated = drafted_and_copy(tmp_path)
    with (curated / "figures.csv").open(encoding="utf-8") as f:
        old = next(csv.DictReader(f))["id"]

    def rename(rows):
        for r in rows:
            for k in ("id", "x", "y"):
                if r.get(k) == old:
                    r[k] = "gdp"

    rewrite(curated / "figures.csv", rename)
    rewrite(curated / "relations.csv", rename)
    found = _edits().count(drafted, curated)
    assert (found["totals"]["figures"], found["totals"]["relations"]) == (1, 0)


def test_a_period_written_another_way_for_the_same_days_is_no_edit(tmp_path):
    drafted, curated = drafted_and_copy(tmp_path)

    def shorten(rows):
        assert rows[0]["period"] == "2020-01/2020-12"
        rows[0]["period"] = "2020"

    rewrite(curated / "figures.csv", shorten)
    assert _edits().count(drafted, curated)["edits"] == 0
