"""The whole audit (core.audit, ``helpers validate``) on broken copies of the fictional district: every case named.

Each broken package is made in tmp_path from the small valid fixture; each test proves that one kind of
breakage is reported naming file, row and field, and the command exits 2 with every problem listed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest

from conftest import DISTRICT
from helpers import __main__ as helpers_main
from helpers.core import audit

EXTRA_SOURCE = {
    "id": "bureau_2023",
    "title": "主要经济指标",
    "publisher": "a statistics bureau",
    "date": "2023-02-10",
    "read_in": "a newspaper report of the release",
}


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture edit: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def descriptor(pkg) -> dict:
    return json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))


def save(pkg, d: dict) -> None:
    (pkg / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False, indent=2), encoding="utf-8")


def rehash(pkg) -> None:
    """Record the (edited) source's sha256, so that only the other breakage is reported."""
    d = descriptor(pkg)
    d["sources"][0]["sha256"] = hashlib.sha256((pkg / "source.txt").read_bytes()).hexdigest()
    save(pkg, d)


def field_of(d: dict, resource: str, name: str) -> dict:
    res = next(r for r in d["resources"] if r["name"] == resource)
    return next(f for f in res["schema"]["fields"] if f["name"] == name)


def messages(pkg, source=None) -> list[str]:
    return [str(e) for e in audit.audit(pkg, source).errors]


def one(pkg, pattern: str, source=None) -> str:
    """The problem matching ``pattern`` among the audit's (its consequences, e.g. a digit run left uncovered, aside)."""
    found = messages(pkg, source)
    hits = [m for m in found if re.search(pattern, m)]
    assert len(hits) == 1, found
    return hits[0]


def cli(pkg, *extra) -> SimpleNamespace:
    """``helpers validate`` in this process (one test below runs it as a separate process)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = helpers_main.main(["validate", "--data-dir", str(pkg), *extra])
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def cli_process(pkg) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpers", "validate", "--data-dir", str(pkg)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_valid_fixture_passes_the_whole_audit():
    result = audit.audit(DISTRICT)
    assert result.valid, [str(e) for e in result.errors]
    assert result.source_path == DISTRICT / "source.txt"


def test_valid_package_exits_0_with_a_section_summary(district):
    out = cli(district)
    assert out.returncode == 0, out.stderr
    assert "valid; 8 figures, 0 non-figures, 3 relations" in out.stdout and "城市更新" in out.stdout


def test_shifted_offsets_name_the_row_and_what_the_source_holds(district):
    edit(district / "figures.csv", ",34,38", ",35,39")
    one(
        district,
        r"figures\.csv, row 1 \(id 'finance_value_added'\), field 'char_start': "
        r"source\[35:39\] is '0\.5亿', not the printed '50\.5'",
    )


def test_offsets_past_the_end_of_the_source_are_refused(district):
    edit(district / "figures.csv", ",34,38", ",99990,99994")
    one(district, r"row 1 .*field 'char_start': offsets 99990:99994 lie outside the source \(129 code points")


def test_offsets_on_part_of_a_digit_run_are_refused(district):
    (district / "non_figures.csv").write_text(
        "id,text,reason,figure_id,char_start,char_end\npart,50,name,,34,36\n", encoding="utf-8"
    )
    one(
        district,
        r"non_figures\.csv, row 1 \(id 'part'\), field 'char_start': offsets 34:36 are not a whole "
        r"digit run of the source \(the digit run '50\.5' at 34:38\)",
    )


def test_a_digit_run_claimed_twice_is_refused(district):
    (district / "non_figures.csv").write_text(
        "id,text,reason,figure_id,char_start,char_end\ntwice,12,name,,58,60\n", encoding="utf-8"
    )
    one(district, r"non_figures\.csv, row 1 .*'twice'.*already claimed by figures row 3")


def test_wrong_sha256_is_refused(district):
    d = descriptor(district)
    d["sources"][0]["sha256"] = "0" * 64
    save(district, d)
    one(district, r"datapackage\.json, field 'sources\[0\]\.sha256': .*source\.txt has sha256 a2cfd834.*, not 0000")


def test_altered_source_fails_its_hash_and_the_figure_it_moved(district):
    edit(district / "source.txt", "超80亿元", "超85亿元")
    found = messages(district)
    assert any("field 'sources[0].sha256'" in m for m in found), found
    assert any(
        "row 4 (id 'park_revenue'), field 'char_start': source[76:78] is '85', not the printed '80'" in m for m in found
    ), found


def test_uncovered_digits_are_named_with_line_and_offset(district):
    edit(district / "source.txt", "涉及1200户。", "涉及1200户，共7栋。")
    rehash(district)
    edit(district / "sections.csv", "83,129", "83,132")
    one(
        district,
        r"source\.txt, field 'line 7, offset 113': digit run '7' at 113:114 is neither a figure nor a "
        r"non-figure",
    )


def test_section_ending_past_the_source_is_refused(district):
    edit(district / "sections.csv", "83,129", "83,999999")
    one(district, r"sections\.csv, row 3 \(section 2\), field 'char_end': bounds 83:999999 lie outside the source")


def test_section_title_must_be_printed_at_its_start(district):
    edit(district / "sections.csv", "2,城市更新,Urban renewal,,,83,129", "2,城市更新,Urban renewal,,,84,129")
    found = messages(district)
    assert any(
        "sections.csv, row 3 (section 2), field 'title_zh': the title '城市更新' is not printed at 84" in m
        for m in found
    ), found


def test_overlapping_sections_are_refused(district):
    edit(district / "sections.csv", "1,产业发展,Industry,,,17,83", "1,产业发展,Industry,,,17,90")
    found = messages(district)
    assert any(
        "row 3 (section 2), field 'char_start': starts at 83, inside the previous section" in m for m in found
    ), found


def test_figure_outside_its_section_is_refused(district):
    edit(district / "figures.csv", "park_revenue,1,", "park_revenue,2,")
    one(district, r"row 4 \(id 'park_revenue'\), field 'section': offset 76 lies outside section 2 \(83:129\)")


def test_missing_source_text_is_an_error_not_a_skip(district):
    (district / "source.txt").unlink()
    one(district, r"datapackage\.json, field 'sources\[0\]\.path': source text not found at .*source\.txt")


def test_source_option_overrides_the_descriptor_path(district, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("另一个文本", encoding="utf-8")
    found = messages(district, source=other)
    assert any("other.txt has sha256" in m for m in found), found


def test_every_problem_is_listed_at_once_and_exit_is_2(district):
    edit(district / "figures.csv", ",34,38", ",35,39")
    edit(district / "figures.csv", "8.5,万平方米", "8.5,万平方尺")
    edit(district / "relations.csv", "prior_level,", "prior_levels,")
    edit(district / "sections.csv", "83,129", "83,999999")
    out = cli_process(district)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "invalid data package" in out.stderr and "5 problems" in out.stderr, out.stderr
    for text in (
        "figures.csv, row 1 (id 'finance_value_added'), field 'char_start'",
        "figures.csv, row 5 (id 'renovated_area'), field 'unit_zh'",
        "relations.csv, row 1 (id 'finance_prior_year'), field 'kind'",
        "sections.csv, row 3 (section 2), field 'char_end'",
        "source.txt, field 'line 4, offset 34': digit run '50.5' at 34:38 is neither",
    ):
        assert text in out.stderr, out.stderr


@pytest.mark.parametrize(
    "cell, message",
    [
        ("nan", r"'nan' is not a finite number"),
        ("inf", r"'inf' is not a finite number"),
        ("1e400", r"1e400 is out of range"),
    ],
)
def test_non_finite_base_value_is_named_exit_2(district, cell, message):
    edit(district / "figures.csv", ",5050000000,", f",{cell},")
    out = cli(district)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert re.search(r"figures\.csv, row 1 \(id 'finance_value_added'\), field 'base_value': " + message, out.stderr), (
        out.stderr
    )


def test_integer_beyond_64_bits_is_out_of_range(district):
    edit(district / "figures.csv", ",34,38", ",99999999999999999999,38")
    one(district, r"row 1 .*field 'char_start': 99999999999999999999 is out of range \(a 64-bit integer\)")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x85"])
def test_control_characters_in_a_string_are_refused(district, char):
    edit(district / "figures.csv", "Park revenue", f"Park{char}revenue")
    one(district, rf"row 4 \(id 'park_revenue'\), field 'indicator_en': control character U\+{ord(char):04X}")


def test_resource_without_schema_is_named(district):
    d = descriptor(district)
    del d["resources"][1]["schema"]
    save(district, d)
    out = cli(district)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "datapackage.json, field 'resources[1].schema': resource 'figures': schema missing" in out.stderr


def test_resource_path_outside_the_package_is_refused_unread(district):
    d = descriptor(district)
    d["resources"][1]["path"] = "../../../../../../../../etc/passwd"
    save(district, d)
    out = cli(district)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert (
        "field 'resources[1].path': resource path '../../../../../../../../etc/passwd' is outside the "
        "package folder" in out.stderr
    )
    assert "root:" not in out.stderr and "column" not in out.stderr


def test_absolute_resource_path_is_refused(district):
    d = descriptor(district)
    d["resources"][0]["path"] = str(district / "sections.csv")
    save(district, d)
    assert any("field 'resources[0].path'" in m and "outside the package folder" in m for m in messages(district))


def test_unknown_relation_kind_is_checked_against_the_code_without_an_enum(district):
    d = descriptor(district)
    del field_of(d, "relations", "kind")["constraints"]["enum"]
    save(district, d)
    edit(district / "relations.csv", "prior_level,", "ratio_of_things,")
    out = cli(district)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert (
        "relations.csv, row 1 (id 'finance_prior_year'), field 'kind': 'ratio_of_things' is not a relation "
        "kind helpers.core.relations knows" in out.stderr
    )


def test_unknown_qualifier_is_checked_against_the_code_without_an_enum(district):
    d = descriptor(district)
    del field_of(d, "figures", "qualifier")["constraints"]["enum"]
    save(district, d)
    edit(district / "figures.csv", "CNY,more_than", "CNY,roughly")
    one(
        district,
        r"row 4 \(id 'park_revenue'\), field 'qualifier': 'roughly' is not a qualifier "
        r"helpers\.core\.intervals knows",
    )


def test_vocabulary_value_outside_the_schema_is_refused(district):
    edit(
        district / "figures.csv",
        "6.2,%,6.2,percent,exact,true,2022-01/2022-09,change_yoy_pct",
        "6.2,%,6.2,percent,exact,true,2022-01/2022-09,velocity",
    )
    one(district, r"row 2 \(id 'finance_value_added_yoy'\), field 'measure': 'velocity' is not one of")


def multi_source(pkg) -> None:
    """The fixture with a second source (no text) and a ``source`` column in figures.csv."""
    d = descriptor(pkg)
    d["sources"].append(dict(EXTRA_SOURCE))
    res = next(r for r in d["resources"] if r["name"] == "figures")
    res["schema"]["fields"].append(
        {"name": "source", "type": "string", "description": "Source id (empty: the first source)."}
    )
    for name in ("char_start", "char_end"):
        del field_of(d, "figures", name)["constraints"]["required"]
    save(pkg, d)
    lines = (pkg / "figures.csv").read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",source"] + [line + "," for line in lines[1:]]
    lines.append(
        "district_gdp_2023,1,产业,Industry,地区生产总值,GDP,1350.4,亿元,135040000000,CNY,exact,true,"
        "2023-01/2023-12,level,,,,,bureau_2023"
    )
    (pkg / "figures.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_figure_of_a_source_without_text_has_no_offsets_and_validates(district):
    multi_source(district)
    result = audit.audit(district)
    assert result.valid, [str(e) for e in result.errors]
    assert [s["id"] for s in result.package.sources] == ["report", "bureau_2023"]
    assert result.package.figure("district_gdp_2023")["source"] == "bureau_2023"


def test_figure_of_a_source_without_text_must_not_have_offsets(district):
    multi_source(district)
    edit(district / "figures.csv", "level,,,,,bureau_2023", "level,34,38,,,bureau_2023")
    found = messages(district)
    assert any(
        "row 9 (id 'district_gdp_2023'), field 'char_start': source 'bureau_2023' has no text" in m for m in found
    ), found


def test_figure_of_the_text_source_needs_offsets(district):
    multi_source(district)
    edit(district / "figures.csv", ",34,38,", ",,,")
    found = messages(district)
    assert any("row 1 (id 'finance_value_added'), field 'char_start': offsets required" in m for m in found), found


def test_unknown_source_id_is_refused(district):
    multi_source(district)
    edit(district / "figures.csv", "bureau_2023\n", "bureau_2024\n")
    found = messages(district)
    assert any(
        "row 9 (id 'district_gdp_2023'), field 'source': 'bureau_2024' is not the id of a source" in m for m in found
    ), found


def test_source_without_text_needs_its_publication_fields(district):
    multi_source(district)
    d = descriptor(district)
    del d["sources"][1]["read_in"]
    save(district, d)
    one(district, r"datapackage\.json, field 'sources\[1\]\.read_in': a source without a text needs this field")


def test_several_sources_need_ids(district):
    multi_source(district)
    d = descriptor(district)
    del d["sources"][0]["id"]
    save(district, d)
    found = messages(district)
    assert any("field 'sources[0].id': every source needs an 'id'" in m for m in found), found


NASTY = ["", "nan", "1e400", "-1", "99999999999999999999", "x\x00y", "$\\frac{1}$"]


@pytest.mark.parametrize("table", ["figures.csv", "sections.csv", "non_figures.csv", "relations.csv"])
def test_any_bad_cell_is_named_never_raised(district, table):
    """Every cell of a row replaced by each nasty value: the audit names a problem or accepts it; it never raises."""
    import csv

    path = district / table
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    if len(rows) == 1:
        rows.append(["title_year", "5", "name", "", "34", "35"])
    original = [list(r) for r in rows]
    for column in range(len(rows[0])):
        for value in NASTY:
            rows = [list(r) for r in original]
            rows[1][column] = value
            with path.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerows(rows)
            result = audit.audit(district)
            named = [e for e in result.errors if e.row == 1 or e.row is None]
            assert result.valid or named, (table, rows[0][column], value)


@pytest.mark.parametrize(
    "constraint, value",
    [
        ("minimum", "0"),
        ("maxLength", 2.5),
        ("required", "yes"),
        ("pattern", 5),
        ("enum", "exact"),
    ],
)
def test_a_constraint_of_the_wrong_type_is_named(district, constraint, value):
    d = descriptor(district)
    field_of(d, "figures", "qualifier" if constraint == "enum" else "section")["constraints"][constraint] = value
    save(district, d)
    out = cli(district)
    assert out.returncode == 2 and "Traceback" not in out.stderr and "internal error" not in out.stderr
    assert "datapackage.json, field 'resources[1].schema.fields[" in out.stderr, out.stderr


def test_a_schema_without_a_column_the_code_reads_is_named(district):
    d = descriptor(district)
    res = d["resources"][1]
    res["schema"]["fields"] = [f for f in res["schema"]["fields"] if f["name"] != "unit_zh"]
    save(district, d)
    edit(district / "figures.csv", "unit_zh,", "")
    found = messages(district)
    assert any("the schema of 'figures' lacks the field 'unit_zh' that helpers reads" in m for m in found), found


def test_a_multi_source_package_is_a_valid_frictionless_package(district):
    multi_source(district)
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(district / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_control_character_in_the_descriptor_is_named(district):
    d = descriptor(district)
    d["sources"][0]["title"] = "虚构\x00区"
    save(district, d)
    one(district, r"datapackage\.json, field 'sources\[0\]\.title': control character U\+0000")


def test_a_symlink_leading_out_of_the_package_is_refused(district, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text((district / "sections.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (district / "sections.csv").unlink()
    (district / "sections.csv").symlink_to(outside)
    assert any(
        "field 'resources[0].path': resource path 'sections.csv' is outside the package folder" in m
        for m in messages(district)
    )


def test_a_multipart_resource_path_is_named(district):
    d = descriptor(district)
    d["resources"][2]["path"] = ["non_figures.csv", "more.csv"]
    save(district, d)
    assert any(
        "field 'resources[2].path': resource 'non_figures': path a list of files" in m for m in messages(district)
    )
