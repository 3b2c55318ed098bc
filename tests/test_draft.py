"""``helpers new``: a drafted package validates as it stands, guesses marked; it never overwrites, and fails whole.

Sentences written for these tests, then the two source texts through settings: the district report
($REPORT_SOURCE) and the city's communiqué excerpt ($CITY_SOURCE); missing, they skip (fail under CI=true).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import DATA, city_source_path, outside_file, source_path
from helpers.core import audit, curation, package, relations
from helpers.drafting import draft
from helpers.drafting.extract import compare

#: Invented sentences: two numbered headings, each wording a relation rule reads, a year that is not a figure.
MINE = (
    "示例区2022年经济运行情况\n\n"
    "一、经济运行\n"
    "全年全区地区生产总值达到320.5亿元，同比增长4.6%。其中服务业增加值210.3亿元，占地区生产总值的65.6%。\n\n"
    "二、城市建设\n"
    "全年完成棚户区改造1800户，完成年度任务的112.5%。全区累计建成5G基站2600个，其中今年新建450个。\n"
)
#: An invented sentence whose unit the extractor reads (千瓦时, energy) but the schema's base units do not hold.
OUTSIDE_SCHEMA = "示例区2022年统计公报\n\n一、能源\n全年发电量12.5亿千瓦时。\n"
#: The figure fields whose values come from the extractor (its vocabulary, units and names).
EXTRACTOR_FIELDS = {
    "unit_zh",
    "base_unit",
    "base_value",
    "measure",
    "qualifier",
    "period",
    "value",
    "indicator_zh",
    "reason",
    "rounded",
}


@pytest.fixture
def mine(tmp_path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(MINE, encoding="utf-8")
    return path


def read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / name, dtype=str, keep_default_na=False)


def not_placeholders(errors) -> list[str]:
    """The problems of an audit other than the placeholders a draft leaves (TO FILL IN, TO TRANSLATE)."""
    return [str(e) for e in errors if not e.reason.startswith("still marked")]


def fill_placeholders(out: Path) -> None:
    """A curator's pass over the placeholders only: every marked string replaced by a plain one."""
    for path in set(out.glob("*.csv")) - {out / curation.PROBLEMS}:
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in rows.columns:
            rows[column] = rows[column].where(~rows[column].str.contains("TO FILL IN|TO TRANSLATE"), "curated")
        rows.to_csv(path, index=False, lineterminator="\n")
    d = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for key in ("title", "description"):
        d[key] = "curated"
    d["sources"][0].update(title="curated", publisher="curated", date="2023-01-01")
    (out / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")


def test_draft_of_invented_sentences_leaves_only_placeholders_to_curate(mine, tmp_path):
    out = tmp_path / "pkg"
    drafted = draft.new(mine, out)
    assert drafted.problems and {p["problem"].split(" ")[0] for p in drafted.problems} == {"still"}
    assert not_placeholders(audit.audit(out).errors) == []


def test_validate_fails_until_every_placeholder_is_curated(mine, tmp_path):
    out = tmp_path / "pkg"
    draft.new(mine, out)
    assert not audit.audit(out).valid
    fill_placeholders(out)
    assert [str(e) for e in audit.audit(out).errors] == []


def test_every_problem_of_the_draft_is_listed_in_its_problems_file(mine, tmp_path):
    out = tmp_path / "pkg"
    drafted = draft.new(mine, out)
    listed = read(out, curation.PROBLEMS)
    assert list(listed.columns) == list(curation.PROBLEM_COLUMNS)
    assert len(listed) == len(drafted.problems) == len(audit.audit(out).errors)
    assert (listed["to_do"] != "").all() and (listed["file"] != "").all()


def test_a_listed_problem_stays_open_until_its_cell_changes(tmp_path):
    report = tmp_path / "energy.txt"
    report.write_text(OUTSIDE_SCHEMA, encoding="utf-8")
    out = tmp_path / "pkg"
    draft.new(report, out)
    fill_placeholders(out)
    listed = read(out, curation.PROBLEMS)
    assert "unit_zh" in set(listed["field"])
    figures = read(out, "figures.csv")
    figures.loc[0, ["unit_zh", "base_unit", "base_value"]] = ["亿元", "CNY", "1250000000"]
    figures.to_csv(out / "figures.csv", index=False, lineterminator="\n")
    assert [str(e) for e in audit.audit(out).errors] == []


def test_draft_records_the_source_relative_path_hash_and_code_points(mine, tmp_path):
    out = tmp_path / "pkg"
    draft.new(mine, out)
    source = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["sources"][0]
    assert (out / source["path"]).resolve() == mine.resolve() and not Path(source["path"]).is_absolute()
    assert source["sha256"] == hashlib.sha256(mine.read_bytes()).hexdigest()
    assert source["code_points"] == len(MINE)


def test_fields_to_fill_in_are_marked_and_listed(mine, tmp_path):
    out = tmp_path / "pkg"
    draft.new(mine, out)
    d = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for path in d["x_draft"]["fill_in"]:
        obj = d
        for part in path.replace("[0]", ".0").split("."):
            obj = obj[int(part)] if part.isdigit() else obj[part]
        assert obj.startswith(draft.TO_FILL), path


def test_schemas_are_the_template_s_with_a_guess_column(mine, tmp_path):
    out = tmp_path / "pkg"
    draft.new(mine, out)
    template = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    drafted = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for t, r in zip(template["resources"], drafted["resources"]):
        names = [f["name"] for f in r["schema"]["fields"]]
        assert names == [f["name"] for f in t["schema"]["fields"]] + ["guess"]
        assert r["schema"].get("foreignKeys") == t["schema"].get("foreignKeys")


def test_every_drafted_row_names_its_guesses(mine, tmp_path):
    out = tmp_path / "pkg"
    draft.new(mine, out)
    for name in ("sections.csv", "figures.csv", "non_figures.csv", "relations.csv"):
        assert (read(out, name)["guess"] != "").all(), name


def test_numbered_headings_become_sections_that_hold_their_figures(mine, tmp_path):
    out = tmp_path / "pkg"
    draft.new(mine, out)
    sections = read(out, "sections.csv")
    assert list(sections["title_zh"]) == ["示例区2022年经济运行情况", "一、经济运行", "二、城市建设"]
    assert sorted(set(read(out, "figures.csv")["section"])) == ["1", "2"]


def test_relations_the_wording_implies_are_drafted_and_compute(mine, tmp_path):
    out = tmp_path / "pkg"
    draft.new(mine, out)
    pkg = package.load(out)
    figures = pkg.figures.set_index("id")
    found = {
        (r.kind, figures.loc[r.x, "indicator_zh"], figures.loc[r.y, "measure"]) for r in pkg.relations.itertuples()
    }
    assert found == {
        ("prior_level", "地区生产总值", "change_yoy_pct"),
        ("implied_whole", "服务业增加值", "share_pct"),
        ("implied_plan", "棚户区改造", "completion_pct"),
        ("stock_before_flow", "累计建成5G基站", "flow"),
    }
    derived = [relations.derive(r, pkg.figures, {}) for r in pkg.relations.itertuples(index=False)]
    assert all(d.interval is not None for d in derived)


def test_every_digit_run_is_a_figure_or_a_non_figure(mine, tmp_path):
    out = tmp_path / "pkg"
    draft.new(mine, out)
    claimed = len(read(out, "figures.csv")) + len(read(out, "non_figures.csv"))
    assert claimed == len(audit.NUMERIC_TOKEN.findall(MINE))


def test_an_existing_folder_is_not_overwritten_without_force(mine, tmp_path):
    out = tmp_path / "pkg"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(draft.DraftError, match="exists; pass --force"):
        draft.new(mine, out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_force_replaces_an_existing_folder(mine, tmp_path):
    out = tmp_path / "pkg"
    out.mkdir()
    (out / "notes.txt").write_text("old", encoding="utf-8")
    draft.new(mine, out, force=True)
    assert not (out / "notes.txt").exists() and not_placeholders(audit.audit(out).errors) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_draft_with_values_outside_the_schema_is_written_with_its_problems_listed(tmp_path):
    report = tmp_path / "energy.txt"
    report.write_text(OUTSIDE_SCHEMA, encoding="utf-8")
    out = tmp_path / "pkg"
    drafted = draft.new(report, out)
    found = [p for p in drafted.problems if not p["problem"].startswith("still marked")]
    assert found and {p["field"] for p in found} <= EXTRACTOR_FIELDS
    first = read(out, "figures.csv")["id"][0]
    assert ("figures.csv", 1, first, "unit_zh") in {(p["file"], p["row"], p["key"], p["field"]) for p in found}
    assert len(read(out, "figures.csv")) == 1 and not audit.audit(out).valid


def test_command_exits_2_when_it_cannot_read_3_with_problems_listed(mine, tmp_path):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "helpers", "new", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    bad = run(tmp_path / "absent.txt", "--out", tmp_path / "x")
    assert bad.returncode == 2 and "absent.txt" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x").exists()
    good = run(mine, "--out", tmp_path / "pkg")
    assert good.returncode == draft.EXIT_PROBLEMS == 3, good.stderr
    assert "problems to curate" in good.stdout and "sections.csv, row 1, field 'title_en'" in good.stdout
    again = run(mine, "--out", tmp_path / "pkg")
    assert again.returncode == 2 and "pass --force" in again.stderr


def test_command_exits_0_for_a_draft_with_nothing_to_curate(tmp_path, monkeypatch):
    report = tmp_path / "r.txt"
    report.write_text(MINE, encoding="utf-8")
    monkeypatch.setattr(draft.audit, "audit", lambda *a, **k: audit.Audit(tmp_path, None, []))
    assert draft._cli(draft.argparse.Namespace(report=report, out=tmp_path / "pkg", year=2022, force=False)) == 0


def test_draft_of_the_district_report_validates_with_its_curated_sections(tmp_path):
    report = outside_file(source_path(), "source article", "REPORT_SOURCE")
    out = tmp_path / "district"
    assert not_placeholders(draft.new(report, out, year=2022).audit.errors) == []
    curated = package.load(DATA)
    drafted = read(out, "sections.csv")
    assert list(drafted["title_zh"])[: len(curated.sections)] == list(curated.sections["title_zh"])
    assert list(drafted["char_start"].astype(int))[: len(curated.sections)] == list(curated.sections["char_start"])
    assert len(read(out, "figures.csv")) == len(curated.figures)


def test_draft_of_the_city_communique_validates_and_agrees_with_the_curated_package(tmp_path):
    """The communiqué's draft validates as it stands (‰ in per_mille, a printed minus, a 构成比's parts in %),
    and its figures are the curated data/jinan_2022's figures of the text: same offsets, values and units."""
    report = outside_file(city_source_path(), "city source", "CITY_SOURCE")
    out = tmp_path / "city"
    assert not_placeholders(draft.new(report, out).audit.errors) == []
    assert not_placeholders(audit.audit(out, source=report).errors) == []
    curated = package.load(DATA / "jinan_2022").figures
    of_the_text = curated[curated["char_start"].notna()]
    found = compare(read(out, "figures.csv"), of_the_text)
    assert (found.recall, found.precision) == (1.0, 1.0), str(found)
    assert found.accuracy("base_value") == 1.0 and found.accuracy("base_unit") == 1.0, str(found)
    sections = draft.sections_mod.detect_sections(report.read_text(encoding="utf-8"))
    assert [s["title_zh"] for s in sections][1:] == ["一、综合"]


def test_a_printed_minus_is_the_figure_s_and_its_digit_run_is_claimed(tmp_path):
    report = tmp_path / "minus.txt"
    report.write_text("示例区2022年统计公报\n\n一、人口\n全年人口自然增长率为-1.9‰。\n", encoding="utf-8")
    out = tmp_path / "pkg"
    assert not_placeholders(draft.new(report, out).audit.errors) == []
    figures, non_figures = read(out, "figures.csv"), read(out, "non_figures.csv")
    assert list(figures["value"])[:1] == ["-1.9"] and list(figures["base_unit"])[:1] == ["per_mille"]
    assert "1.9" not in set(non_figures["text"])


def test_an_unwritable_parent_is_named_and_nothing_is_left(mine, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(draft.tempfile, "mkdtemp", refuse)
    with pytest.raises(draft.DraftError, match=r"pkg: cannot write in .*: Permission denied"):
        draft.new(mine, tmp_path / "pkg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_a_failed_move_into_place_keeps_the_existing_folder(mine, tmp_path, monkeypatch):
    out = tmp_path / "pkg"
    out.mkdir()
    (out / "notes.txt").write_text("old", encoding="utf-8")
    real = draft.os.replace
    calls = []

    def fail_second(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(draft.os, "replace", fail_second)
    with pytest.raises(draft.DraftError, match="No space left on device"):
        draft.new(mine, out, force=True)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg", "report.txt"]


def test_a_report_that_is_not_utf8_is_named(tmp_path):
    report = tmp_path / "gbk.txt"
    report.write_bytes(MINE.encode("gb18030"))
    with pytest.raises(draft.DraftError, match=r"gbk\.txt: not UTF-8 text"):
        draft.new(report, tmp_path / "pkg")
    assert not (tmp_path / "pkg").exists()


def test_a_draft_is_a_valid_frictionless_package(mine, tmp_path):
    out = tmp_path / "pkg"
    draft.new(mine, out)
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(out / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_validate_lists_the_rows_a_draft_guessed(mine, tmp_path):
    out = tmp_path / "pkg"
    draft.new(mine, out)
    notes = audit.to_curate(package.load(out))
    assert any(n.startswith(f"figures.csv: {len(read(out, 'figures.csv'))} rows with guesses") for n in notes)
    assert audit.to_curate(package.load(DATA)) == []


def test_a_missing_outside_text_follows_ci_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CITY_SOURCE", str(tmp_path / "absent.txt"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"absent\.txt; set CITY_SOURCE"):
        outside_file(city_source_path(), "city source", "CITY_SOURCE")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="city source not found"):
        outside_file(city_source_path(), "city source", "CITY_SOURCE")
