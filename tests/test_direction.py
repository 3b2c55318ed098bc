"""Direction as data: a change down is a negative change everywhere (draft, validation, relations, tables).

Sentences invented for these tests: one per direction word (the ``example`` column of the drafting's
``directions.csv``), and the fictional district's package with its growth rate turned into a decline.
"""

from __future__ import annotations

import csv
from fractions import Fraction
from importlib import resources

import pytest

from conftest import DISTRICT
from helpers.core import package, relations
from helpers.core.columns import CHANGE_MEASURES, DIRECTIONS
from helpers.drafting import draft, wording
from helpers.reader import params, tables

ROWS = list(
    csv.DictReader(
        resources.files("helpers.drafting").joinpath("directions.csv").read_text(encoding="utf-8").splitlines()
    )
)


def drafted(tmp_path, sentence: str) -> list[dict]:
    report = tmp_path / "r.txt"
    report.write_text(f"示例区2020年统计公报\n\n一、综合\n{sentence}。\n", encoding="utf-8")
    draft.new(report, tmp_path / "pkg", year=2020)
    with (tmp_path / "pkg" / "figures.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("row", ROWS, ids=[r["word"] for r in ROWS])
def test_each_direction_word_gives_its_direction_in_its_example_sentence(row, tmp_path):
    figures = drafted(tmp_path, row["example"])
    assert row["word"] in row["example"]
    last = figures[-1]
    # a percentage or a difference in points worded so is a change; an amount (净增1万户) keeps its measure
    assert (last["measure"] in CHANGE_MEASURES, last["direction"]) == (
        last["unit_zh"] in ("%", "个百分点"),
        row["direction"],
    )


def test_an_amount_worded_as_a_change_carries_its_direction_and_reference(tmp_path):
    figures = drafted(tmp_path, "年末常住人口55.27万人，比上年末减少0.11万人")
    assert [(f["value"], f["direction"], f["reference"]) for f in figures] == [
        ("55.27", "", ""),
        ("0.11", "down", "上年末"),
    ]


def test_the_later_items_of_a_list_change_the_way_its_first_does(tmp_path):
    figures = drafted(tmp_path, "营业收入分别增长84%、76.6%和22.6%，利润分别下降6.4个百分点、7.8个百分点")
    assert [(f["value"], f["direction"], f["measure"]) for f in figures] == [
        ("84", "up", "change_yoy_pct"),
        ("76.6", "up", "change_yoy_pct"),
        ("22.6", "up", "change_yoy_pct"),
        ("6.4", "down", "change_pp"),
        ("7.8", "down", "change_pp"),
    ]


def test_a_list_item_with_its_own_direction_word_keeps_it(tmp_path):
    figures = drafted(tmp_path, "轻工业增长2.4%、重工业下降1.5%")
    assert [(f["value"], f["direction"]) for f in figures] == [("2.4", "up"), ("1.5", "down")]


def test_a_printed_minus_is_a_change_down(tmp_path):
    figures = drafted(tmp_path, "进口增长-2.3%")
    assert [(f["value"], f["direction"]) for f in figures] == [("-2.3", "down")]


def test_value_added_is_not_a_word_of_direction(tmp_path):
    assert wording.direction("第二产业增加值12.6亿元", 7, "12.6") == ""


def test_a_difference_against_a_reference_names_it_and_its_sign(tmp_path):
    figures = drafted(tmp_path, "城镇化率高于全市平均2.3个百分点，增速比去年同期回落1.2个百分点，收入同比增长5.5%")
    assert [(f["direction"], f["reference"], f["measure"]) for f in figures] == [
        ("up", "全市平均", "change_pp"),
        ("down", "去年同期", "change_pp"),
        ("up", "上年同期", "change_yoy_pct"),
    ]


def test_a_decline_drafts_a_prior_level_that_divides_by_one_less_the_decline(tmp_path):
    drafted(tmp_path, "全年地区生产总值356.8亿元，比上年下降4.2%")
    pkg, _ = package.inspect(tmp_path / "pkg")
    (relation,) = list(pkg.relations.itertuples(index=False))
    level, change = (pkg.figure(i) for i in (relation.x, relation.y))
    assert (change["direction"], relation.kind) == ("down", "prior_level")
    prior = relations.derive(relation, pkg.figures, {}).interval
    printed = Fraction(level["value"]) / (1 - Fraction(change["value"]) / 100) * 10**8
    assert prior.contains(printed) and prior.lo > Fraction(level["base_value"])


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_change_down_is_negative_in_every_relation(district):
    before = package.load(district)
    edit(district / "figures.csv", "change_yoy_pct,45,48,up,", "change_yoy_pct,45,48,down,")
    after = package.load(district)
    rel = next(r for r in after.relations.itertuples(index=False) if r.kind == "prior_level")
    up = relations.derive(rel, before.figures, {}).interval
    down = relations.derive(rel, after.figures, {}).interval
    assert down.lo > up.hi  # a level that fell was higher a year earlier
    assert (
        relations.figure_input(after.figure(rel.y)).interval == -relations.figure_input(before.figure(rel.y)).interval
    )


def test_validation_refuses_a_change_whose_direction_is_unknown(district):
    edit(district / "figures.csv", "change_yoy_pct,45,48,up,", "change_yoy_pct,45,48,,")
    with pytest.raises(package.PackageError, match=r"figures\.csv, row \d+ .*field 'direction': a change"):
        package.load(district)


def test_validation_refuses_a_printed_minus_that_goes_up(district):
    edit(district / "figures.csv", "6.2,%,6.2,percent", "-6.2,%,-6.2,percent")
    with pytest.raises(package.PackageError, match=r"field 'direction': '-6.2' is printed with a minus"):
        package.load(district)


def test_validation_refuses_an_unknown_direction(district):
    edit(district / "figures.csv", "change_yoy_pct,45,48,up,", "change_yoy_pct,45,48,sideways,")
    with pytest.raises(package.PackageError, match="field 'direction'"):
        package.load(district)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_figures_table_says_a_change_fell(district, lang):
    edit(district / "figures.csv", "change_yoy_pct,45,48,up,", "change_yoy_pct,45,48,down,")
    ctx = params.setup(lang=lang, data_dir=str(district))
    shown = tables.figures_table(ctx, 1).to_numpy().ravel().tolist()
    word = {"zh": "下降6.2 %", "en": "fell 6.2 %"}[lang]
    assert word in shown


def test_the_directions_are_the_schema_s_and_the_drafting_s():
    enum = next(
        f["constraints"]["enum"]
        for r in package.load(DISTRICT).descriptor["resources"]
        if r["name"] == "figures"
        for f in r["schema"]["fields"]
        if f["name"] == "direction"
    )
    assert tuple(enum) == DIRECTIONS and set(wording.words().values()) == set(DIRECTIONS)


def test_a_decline_is_said_with_its_minus_and_sorts_below_zero():
    import pandas as pd

    from helpers.reader import naming

    down = pd.Series({"value": "4.2", "direction": "down"})
    printed_minus = pd.Series({"value": "-2.3", "direction": "down"})
    up = pd.Series({"value": "3.1", "direction": "up"})
    assert [naming.signed_value(r) for r in (down, printed_minus, up)] == ["-4.2", "-2.3", "3.1"]
