"""Which notebooks tell a package's story (helpers.build.story), and the generic walkthroughs built for any package."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from conftest import DATA, DISTRICT, ROOT
from helpers.build import story

CITY = DATA / "jinan_2022"
#: Words that only the district report's own pages use: none may appear on another package's pages.
DISTRICT_REPORT_WORDS = (
    "中央活力区",
    "Central Vitality Zone",
    "两会",
    "Two Sessions",
    "网格",
    "grid platform",
    "Shizhong",
    "市中区",
)


def test_a_package_with_x_notebooks_gets_exactly_those_in_order():
    listed = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["x_notebooks"]
    jobs = story.collection(DATA)
    assert [j.name for j in jobs] == listed
    assert all(j.notebook == (ROOT / "notebooks" / j.name).resolve() and j.parameters == {} for j in jobs)


def test_a_package_without_x_notebooks_gets_overview_sections_with_figures_and_consistency():
    from helpers.core import package

    pkg = package.load(CITY)
    with_figures = sorted({int(s) for s in pkg.figures["section"]})
    jobs = story.collection(CITY)
    assert jobs[0].notebook.name == story.OVERVIEW and jobs[-1].notebook.name == story.CONSISTENCY
    assert [j.parameters["section"] for j in jobs[1:-1]] == with_figures
    assert len({j.name for j in jobs}) == len(jobs)
    assert all(j.parameters["data_dir"] == str(CITY.resolve()) for j in jobs)


def test_x_notebooks_naming_a_missing_notebook_is_an_error_naming_it(tmp_path):
    data = tmp_path / "pkg"
    shutil.copytree(DISTRICT, data)
    d = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    d["x_notebooks"] = ["99_absent.ipynb"]
    (data / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(story.StoryError, match=r"datapackage.json: x_notebooks names '99_absent.ipynb'"):
        story.collection(data)


def test_x_notebooks_that_is_not_a_list_is_an_error(tmp_path):
    data = tmp_path / "pkg"
    shutil.copytree(DISTRICT, data)
    d = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    d["x_notebooks"] = "00_overview.ipynb"
    (data / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(story.StoryError, match="must be a non-empty list"):
        story.collection(data)


def test_materialise_sets_each_jobs_parameters_in_its_parameters_cell(tmp_path):
    jobs = story.collection(DISTRICT)
    paths = story.materialise(jobs, tmp_path)
    assert [p.name for p in paths] == [j.name for j in jobs]
    for job, path in zip(jobs, paths):
        cell = next(c for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", []))
        for name, value in job.parameters.items():
            assert f"{name} = {value!r}" in cell.source


def test_materialise_keeps_a_notebook_without_parameters_in_place(tmp_path):
    jobs = story.collection(DATA)[:1]
    assert story.materialise(jobs, tmp_path) == [jobs[0].notebook]
    assert list(tmp_path.iterdir()) == []


def test_setting_a_parameter_the_cell_lacks_is_an_error():
    with pytest.raises(story.StoryError, match="no parameter 'section'"):
        story.set_parameters('lang = "zh"  # language', {"section": 2}, "x.ipynb")


def test_set_parameters_keeps_the_comment():
    assert story.set_parameters("section = 1  # which", {"section": 3}) == "section = 3  # which"


def _page_text(path) -> str:
    nb = nbformat.read(path, as_version=4)
    parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for c in nb.cells:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            parts += [data.get("text/plain", ""), data.get("text/markdown", ""), o.get("text", "")]
    return "\n".join(parts)


@pytest.mark.parametrize("package_dir", [CITY, DISTRICT], ids=["jinan_2022", "fixture_district"])
def test_run_builds_every_walkthrough_in_both_languages_without_the_district_report(package_dir, tmp_path):
    """``python -m helpers run --data-dir DIR`` for a package without x_notebooks: every walkthrough, both languages."""
    from helpers.build import run
    from helpers.core import package

    expected = [j.name for j in story.collection(package_dir)]
    # a district the package's own figures are about (the city's figures of its districts) is data, not the report
    figs = package.load(package_dir).figures
    own = " ".join(figs[["topic_zh", "topic_en", "indicator_zh", "indicator_en"]].astype(str).to_numpy().ravel())
    foreign = [w for w in DISTRICT_REPORT_WORDS if w not in own]
    assert "中央活力区" in foreign and "Two Sessions" in foreign
    out = tmp_path / "build"
    code = run.main(["--data-dir", str(package_dir), "--out", str(out), "--langs", "zh,en", "--jobs", "2"])
    assert code == 0
    for lang in ("zh", "en"):
        folder = out / "notebooks" / lang
        executed = sorted(p.name for p in folder.glob("*.ipynb"))
        assert executed == sorted(expected)
        for name in expected:
            text = _page_text(folder / name)
            assert [w for w in foreign if w in text] == [], name
            nb = nbformat.read(folder / name, as_version=4)
            errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
            assert errors == [], name
