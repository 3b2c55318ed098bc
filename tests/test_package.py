"""The loader: the real package and the fixture load; each kind of broken file fails naming file, row and field."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import DATA, DISTRICT
from helpers.core import package
from helpers.core.package import PackageError


def edit(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture edit: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_repository_package_loads_with_86_figures_and_schema_dtypes():
    pkg = package.load(DATA)
    assert len(pkg.figures) == 86
    assert str(pkg.figures["section"].dtype) == "Int64"
    assert str(pkg.figures["base_value"].dtype) == "float64"
    assert str(pkg.figures["rounded"].dtype) == "boolean"
    assert str(pkg.figures["value"].dtype) == "string"


def test_fixture_district_loads():
    pkg = package.load(DISTRICT)
    assert set(pkg.sections["section"]) == {0, 1, 2}


def test_frictionless_validates_the_same_descriptor():
    out = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(DATA / "datapackage.json")],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_wrong_type_names_file_row_and_field(district):
    edit(district / "figures.csv", ",34,38", ",thirty-four,38")
    with pytest.raises(PackageError, match=r"figures\.csv, row 1 \(id 'finance_value_added'\), field 'char_start'"):
        package.load(district)


def test_unknown_unit_is_refused(district):
    edit(district / "figures.csv", "8.5,万平方米", "8.5,万平方尺")
    with pytest.raises(PackageError, match=r"row 5 .*field 'unit_zh': unknown unit '万平方尺'"):
        package.load(district)


def test_unknown_qualifier_is_refused(district):
    edit(district / "figures.csv", "80,亿元,8000000000,CNY,more_than", "80,亿元,8000000000,CNY,roughly")
    with pytest.raises(PackageError, match=r"row 4 .*field 'qualifier': 'roughly' is not one of"):
        package.load(district)


def test_duplicate_id_is_refused(district):
    edit(district / "figures.csv", "park_revenue,", "new_high_tech_firms,")
    with pytest.raises(
        PackageError, match=r"row 4 .*field 'id': duplicate value 'new_high_tech_firms' \(first in row 3\)"
    ):
        package.load(district)


def test_dangling_relation_reference_is_refused(district):
    edit(district / "relations.csv", ",renovated_households,", ",renovated_flats,")
    with pytest.raises(
        PackageError, match=r"relations\.csv, row 2 .*field 'y': 'renovated_flats' is not an id in figures"
    ):
        package.load(district)


def test_missing_column_is_refused(district):
    edit(district / "figures.csv", ",measure,", ",")
    with pytest.raises(PackageError, match=r"figures\.csv, field 'measure': column missing"):
        package.load(district)


def test_wrong_encoding_names_the_line(district):
    path = district / "figures.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(PackageError, match=r"figures\.csv, row 1: not UTF-8: byte 0x.. at byte \d+ \(line 2\)"):
        package.load(district)


def test_base_value_must_be_the_exact_conversion(district):
    edit(district / "figures.csv", ",300,亩,200000,", ",300,亩,180000,")
    with pytest.raises(
        PackageError, match=r"row 7 .*field 'base_value': 180000.0 is not 300 亩 in m2 \(expected 200000.0\)"
    ):
        package.load(district)


def test_offsets_must_span_the_printed_value(district):
    edit(district / "figures.csv", ",34,38", ",34,39")
    with pytest.raises(PackageError, match=r"row 1 .*field 'char_end': offsets 34:39 span 5"):
        package.load(district)


def test_relation_kind_needs_its_second_figure(district):
    edit(district / "relations.csv", ",renovated_households,", ",,")
    with pytest.raises(PackageError, match=r"relations\.csv, row 2 .*field 'y': kind 'per_unit' takes two figures"):
        package.load(district)


def test_period_must_be_iso(district):
    edit(district / "figures.csv", "2022-01/2022-09", "2022-09/2022-01")
    with pytest.raises(PackageError, match=r"row 1 .*field 'period'"):
        package.load(district)


def test_missing_descriptor_is_named(tmp_path):
    with pytest.raises(PackageError, match=r"datapackage\.json: file not found"):
        package.load(tmp_path)


def test_descriptor_lists_every_column_with_a_description():
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        header = (DATA / resource["path"]).read_text(encoding="utf-8").splitlines()[0].split(",")
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header
        assert all(f.get("description") for f in fields)


def test_validate_command_prints_a_section_summary():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from helpers import __main__ as m; from helpers.core import package; "
            "sys.exit(m.main(['validate', '--data-dir', sys.argv[1]]))",
            str(DISTRICT),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "valid; 8 figures" in out.stdout and "城市更新" in out.stdout


def set_constraint(pkg, resource: str, field: str, **constraints) -> None:
    path = pkg / "datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    res = next(r for r in d["resources"] if r["name"] == resource)
    f = next(f for f in res["schema"]["fields"] if f["name"] == field)
    f.setdefault("constraints", {}).update(constraints)
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    "file, old, new, pattern",
    [
        (
            "figures.csv",
            ",产业,Industry,金融业增加值,",
            ",产业,,金融业增加值,",
            r"figures\.csv, row 1 \(id 'finance_value_added'\), field 'topic_en': value required but empty",
        ),
        (
            "figures.csv",
            "finance_value_added,1,",
            "Finance-Value,1,",
            r"row 1 \(id 'Finance-Value'\), field 'id': 'Finance-Value' does not match the pattern",
        ),
        ("figures.csv", "park_revenue,1,", "park_revenue,-1,", r"row 4 .*field 'section': -1 is below the minimum 0"),
        ("figures.csv", "park_revenue,1,", "park_revenue,6,", r"row 4 .*field 'section': 6 is above the maximum 5"),
        (
            "figures.csv",
            "CNY,more_than,true,",
            "CNY,more_than,yes,",
            r"row 4 .*field 'rounded': 'yes' is not a boolean \(true/false\)",
        ),
        ("sections.csv", "2,城市更新,", "1,城市更新,", r"sections\.csv, row 3 .*field 'section': duplicate value 1"),
        (
            "figures.csv",
            ",8.5,万平方米,85000,",
            ",8.5,万平方米,eighty,",
            r"row 5 .*field 'base_value': 'eighty' is not a finite number",
        ),
    ],
)
def test_each_schema_constraint_in_the_descriptor_is_enforced(district, file, old, new, pattern):
    edit(district / file, old, new)
    with pytest.raises(PackageError, match=pattern):
        package.load(district)


@pytest.mark.parametrize(
    "constraints, pattern",
    [
        ({"minLength": 5}, r"row 2 .*field 'topic_zh': '产业' is shorter than the minimum length 5"),
        ({"maxLength": 3}, r"row 5 .*field 'topic_zh': 4 characters, more than the maximum length 3"),
    ],
)
def test_string_length_constraints_are_enforced(district, constraints, pattern):
    set_constraint(district, "figures", "topic_zh", **constraints)
    with pytest.raises(PackageError, match=pattern):
        package.load(district)


@pytest.mark.parametrize(
    "constraints, pattern",
    [
        ({"exclusiveMinimum": 34}, r"row 1 .*field 'char_start': 34 is not above the exclusive minimum 34"),
        ({"exclusiveMaximum": 121}, r"row 8 .*field 'char_start': 121 is not below the exclusive maximum 121"),
    ],
)
def test_exclusive_bounds_are_enforced(district, constraints, pattern):
    set_constraint(district, "figures", "char_start", **constraints)
    with pytest.raises(PackageError, match=pattern):
        package.load(district)


def test_string_format_is_enforced(district):
    path = district / "datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    field = next(f for f in d["resources"][3]["schema"]["fields"] if f["name"] == "label_en")
    field["format"] = "email"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(
        PackageError,
        match=r"relations\.csv, row 1 .*field 'label_en': "
        r"'Financial value added a year earlier' is not a valid email",
    ):
        package.load(district)


def test_missing_values_of_the_schema_are_read_as_missing(district):
    path = district / "datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    d["resources"][1]["schema"]["missingValues"] = ["", "NA"]
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    edit(district / "figures.csv", ",exact,true,2022-01/2022-09,level,", ",exact,true,NA,level,")
    assert pd.isna(package.load(district).figure("finance_value_added")["period"])
    edit(district / "figures.csv", ",产业,Industry,金融业增加值,", ",产业,NA,金融业增加值,")
    with pytest.raises(PackageError, match=r"row 1 .*field 'topic_en': value required but 'NA' marks it missing"):
        package.load(district)


def test_composite_primary_key_must_be_unique(district):
    path = district / "datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    d["resources"][1]["schema"]["primaryKey"] = ["section", "topic_zh"]
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(
        PackageError,
        match=r"figures\.csv, row 2 \(section 1\), field 'section': duplicate "
        r"primary key \(1, '产业'\) \(first in row 1\)",
    ):
        package.load(district)


def test_self_referencing_foreign_key_is_checked(district):
    path = district / "datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    d["resources"][3]["schema"]["foreignKeys"].append(
        {"fields": ["label_en"], "reference": {"resource": "", "fields": ["id"]}}
    )
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(
        PackageError,
        match=r"relations\.csv, row 1 .*field 'label_en': "
        r"'Financial value added a year earlier' is not an id in relations",
    ):
        package.load(district)


@pytest.mark.parametrize(
    "change, pattern",
    [
        (
            lambda f: f["constraints"].update(multipleOf=2),
            r"field 'resources\[1\]\.schema\.fields\[0\] \(id\)': "
            r"constraint 'multipleOf' is not supported by this loader",
        ),
        (lambda f: f.update(type="date"), r"type 'date' is not supported by this loader"),
        (lambda f: f.update(format="hostname"), r"string format 'hostname' is not supported"),
        (lambda f: f.update(bareNumber=False), r"field option 'bareNumber' is not supported by this loader"),
    ],
)
def test_schema_options_the_loader_does_not_implement_are_refused_by_name(district, change, pattern):
    path = district / "datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    change(d["resources"][1]["schema"]["fields"][0])
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PackageError, match=pattern):
        package.load(district)


def test_load_raises_every_problem_at_once(district):
    edit(district / "figures.csv", ",34,38", ",thirty-four,38")
    edit(district / "figures.csv", "8.5,万平方米", "8.5,万平方尺")
    with pytest.raises(package.PackageErrors) as caught:
        package.load(district)
    assert [(e.row, e.field) for e in caught.value.errors] == [(1, "char_start"), (5, "unit_zh")]


def test_inspect_reports_a_repository_package_without_problems():
    pkg, errors = package.inspect(DATA)
    assert errors == [] and [s["id"] for s in pkg.sources] == ["report"]
