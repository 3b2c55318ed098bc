"""Figures printed as a list after 分别: each is named by its own item.  Sentences invented for these tests."""

from __future__ import annotations

import csv

from helpers.drafting import draft, lists


def drafted(tmp_path, sentence: str) -> list[tuple[str, str]]:
    report = tmp_path / "r.txt"
    report.write_text(f"示例区2021年统计公报\n\n一、消费\n{sentence}\n", encoding="utf-8")
    draft.new(report, tmp_path / "pkg")
    with (tmp_path / "pkg" / "figures.csv").open(encoding="utf-8") as f:
        return [(r["value"], r["indicator_zh"]) for r in csv.DictReader(f)]


def test_the_items_before_respectively_name_the_figures_in_order(tmp_path):
    rows = drafted(tmp_path, "其中，汽车类、石油及制品类零售额同比分别增长16.6%、7.8%。")
    assert rows == [("16.6", "汽车类零售额"), ("7.8", "石油及制品类零售额")]


def test_the_name_the_items_share_is_what_the_last_adds_after_the_first_items_kind():
    assert lists.item_names("文化体育和娱乐业、其他运输业、居民服务修理和其他服务业营业收入") == [
        "文化体育和娱乐业营业收入",
        "其他运输业营业收入",
        "居民服务修理和其他服务业营业收入",
    ]
    assert lists.item_names("烟酒类、饮料类商品零售额同比") == ["烟酒类商品零售额", "饮料类商品零售额"]


def test_a_list_with_more_figures_than_items_keeps_the_names_its_wording_gives(tmp_path):
    rows = drafted(tmp_path, "汽车类零售额同比分别增长16.6%、7.8%。")
    assert rows == [("16.6", "汽车类零售额同比分别增长"), ("7.8", "汽车类零售额")]
