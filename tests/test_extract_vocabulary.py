"""One vocabulary: the extractor's lists, the schema's enums, the labels' translations and the intervals' qualifiers.

The sentences are invented for these tests (a fictional 云溪区); none comes from a source text.
"""

from __future__ import annotations

import json

import pytest

from conftest import DATA, DISTRICT
from helpers.core import intervals, units
from helpers.drafting.extract import MEASURES, NON_FIGURE_REASONS, QUALIFIERS, extract_non_figures, extract_text
from helpers.drafting.extract import lexicon as lx
from helpers.reader import amounts, labels

DESCRIPTORS = [DATA / "datapackage.json", DISTRICT / "datapackage.json"]
CITY_DESCRIPTOR = DATA / "jinan_2022" / "datapackage.json"


def enum(descriptor, resource: str, field: str) -> list[str]:
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    res = next(r for r in package["resources"] if r["name"] == resource)
    return next(f for f in res["schema"]["fields"] if f["name"] == field)["constraints"]["enum"]


@pytest.mark.parametrize("descriptor", DESCRIPTORS, ids=["data", "fixture"])
def test_schema_enums_code_lists_and_label_translations_are_the_same_lists(descriptor):
    qualifiers = enum(descriptor, "figures", "qualifier")
    measures = enum(descriptor, "figures", "measure")
    reasons = enum(descriptor, "non_figures", "reason")
    assert qualifiers == list(QUALIFIERS)
    assert sorted(intervals.QUALIFIERS) == sorted(QUALIFIERS)
    assert measures == list(MEASURES)
    assert reasons == list(NON_FIGURE_REASONS)
    for lang in ("zh", "en"):
        assert list(labels.QUALIFIER_LABELS[lang]) == list(QUALIFIERS), lang
        assert list(labels.MEASURE_LABELS[lang]) == list(MEASURES), lang
    # the lexicon's meanings stay inside the lists
    qualifier_kinds = ("qualifier_before", "qualifier_between", "qualifier_after", "estimate")
    assert {e.meaning for e in lx.ENTRIES if e.kind in qualifier_kinds} <= set(QUALIFIERS)
    assert {e.meaning for e in lx.ENTRIES if e.kind == "pct_cue"} <= set(MEASURES)


@pytest.mark.parametrize("descriptor", [*DESCRIPTORS, CITY_DESCRIPTOR], ids=["data", "fixture", "city"])
def test_schema_base_units_are_the_base_units_helpers_units_converts_to(descriptor):
    assert sorted(enum(descriptor, "figures", "base_unit")) == sorted({base for base, _ in units.UNITS.values()})


def test_the_extractor_s_units_convert_as_helpers_units_does():
    """Where the lexicon and core.units both know a unit (‰ among them), they give it one base unit and factor."""
    shared = [word for word in lx.UNIT_INFO if word in units.UNITS]
    assert "‰" in shared and "%" in shared and "亩" in shared
    for word in shared:
        info = lx.UNIT_INFO[word]
        assert (info.base_unit, info.scale) == units.UNITS[word], word


def test_per_mille_has_a_label_in_both_languages():
    assert [amounts.unit_label("per_mille", lang) for lang in ("zh", "en")] == ["‰", "‰"]


def test_every_value_drafted_is_in_the_vocabulary():
    text = (
        "云溪区预计全年投资超过30亿元，增长5.2%，比上年提高1.3个百分点；新建学校3-5所，"
        "引进企业40余家，面积约12万平方米，道路8公里，用时2年以内，增长了1.5倍。"
        "获评2021年度示范区，第6批，5G基站210个，前10名，表1，[4]，2019-03-08 09:41，“9·12”，"
        "比2010年增长3倍，见www.example.gov.cn/2022/8。"
    )
    draft = extract_text(text)
    assert set(draft["qualifier"]) <= set(QUALIFIERS)
    assert set(draft["measure"]) <= set(MEASURES)
    assert {"more_than", "range", "at_most", "estimate"} <= set(draft["qualifier"])
    assert {"change_pp", "other"} <= set(draft["measure"])
    nf = extract_non_figures(text)
    assert set(nf["reason"]) <= set(NON_FIGURE_REASONS)
    assert {
        "award_year",
        "ordinal",
        "name",
        "ranking",
        "table_label",
        "footnote",
        "timestamp",
        "event_name",
        "comparison_year",
        "url",
    } <= set(nf["reason"])


def test_new_qualifiers_have_interval_semantics():
    at_most = intervals.from_printed("5", "个", "at_most", False)
    assert at_most.lo is None and at_most.hi == 5
    low_end = intervals.from_printed("3", "个", "range", False)
    assert low_end.lo == 3 and low_end.hi is None


@pytest.mark.parametrize("descriptor", [*DESCRIPTORS, CITY_DESCRIPTOR], ids=["data", "fixture", "city"])
def test_relation_kinds_of_the_schema_are_the_code_s_and_the_draft_s(descriptor):
    """The template ``helpers new`` copies, every package and core.relations list the same kinds; every kind the
    draft proposes is one of them."""
    from helpers.core import relations
    from helpers.drafting import implied

    kinds = enum(descriptor, "relations", "kind")
    assert sorted(kinds) == sorted(relations.KINDS)
    assert set(implied.KINDS_DRAFTED) <= set(kinds)


def test_directions_of_the_schema_are_the_code_s_and_the_draft_s():
    from helpers.core.columns import DIRECTIONS
    from helpers.drafting import wording

    for descriptor in (*DESCRIPTORS, CITY_DESCRIPTOR):
        assert enum(descriptor, "figures", "direction") == list(DIRECTIONS)
    assert set(wording.words().values()) == set(DIRECTIONS)
