"""The loader: the real package and the fixture load; each kind of broken file fails naming file, row and field."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import DATA, DISTRICT
from helpers import package
from helpers.package import PackageError


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
    out = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(DATA / "datapackage.json")],
                         capture_output=True, text=True)
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
    with pytest.raises(PackageError, match=r"row 4 .*field 'id': duplicate value 'new_high_tech_firms' \(first in row 3\)"):
        package.load(district)


def test_dangling_relation_reference_is_refused(district):
    edit(district / "relations.csv", ",renovated_households,", ",renovated_flats,")
    with pytest.raises(PackageError, match=r"relations\.csv, row 2 .*field 'y': 'renovated_flats' is not an id in figures"):
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
    with pytest.raises(PackageError, match=r"row 7 .*field 'base_value': 180000.0 is not 300 亩 in m2 \(expected 200000.0\)"):
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
    out = subprocess.run([sys.executable, "-c", "import sys; from helpers import package, __main__ as m; "
                          "sys.exit(m.main(['validate', '--data-dir', sys.argv[1]]))", str(DISTRICT)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "valid; 8 figures" in out.stdout and "城市更新" in out.stdout
