"""Every path a package names stays inside the package (or the project's notebooks/, or the shared sources):
``validate`` refuses any other naming the field, and ``run`` refuses it before writing anything."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from helpers.core import audit, package, paths


def set_descriptor(district, **fields) -> None:
    path = district / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for key, value in fields.items():
        if key == "source_path":
            descriptor["sources"][0]["path"] = value
        else:
            descriptor[key] = value
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def problems(district) -> list[str]:
    return [str(e) for e in audit.audit(district).errors]


@pytest.mark.parametrize("name", ["../notebooks/00_overview.ipynb", "/tmp/x.ipynb", "generic/overview.ipynb"])
def test_a_notebook_outside_the_projects_notebooks_is_refused_naming_the_field(district, name):
    set_descriptor(district, x_notebooks=["00_overview.ipynb", name])
    found = problems(district)
    assert len(found) == 1 and "x_notebooks[1]" in found[0] and repr(name) in found[0], found


def test_notebooks_named_by_file_name_pass(district):
    set_descriptor(district, x_notebooks=["00_overview.ipynb"])
    assert problems(district) == []


@pytest.mark.parametrize("city", ["..", "../district", "/tmp", "."])
def test_a_city_package_outside_the_package_is_refused_naming_the_field(district, city):
    set_descriptor(district, x_city_package=city)
    found = problems(district)
    assert len(found) == 1 and "x_city_package" in found[0], found


@pytest.mark.parametrize("where", ["/etc/hostname", "../../../../../../etc/hostname", "file:///etc/hostname"])
def test_a_source_outside_the_package_and_the_shared_sources_is_refused_naming_the_field(district, where):
    set_descriptor(district, source_path=where)
    found = problems(district)
    assert len(found) == 1 and "sources[0].path" in found[0] and "--source" in found[0], found


def test_a_source_in_the_shared_sources_folder_is_read(district, tmp_path, monkeypatch):
    shared = tmp_path / "shared" / "source"
    shared.mkdir(parents=True)
    (shared / "text.txt").write_bytes((district / "source.txt").read_bytes())
    monkeypatch.setattr(paths, "SHARED_SOURCES", shared)
    set_descriptor(district, source_path="../shared/source/text.txt")
    assert problems(district) == []


def test_run_refuses_a_package_naming_a_notebook_elsewhere_and_leaves_it_untouched(district, tmp_path):
    outside = tmp_path / "outside.ipynb"
    outside.write_bytes((ROOT / "tests" / "fixtures" / "notebooks" / "01_hello.ipynb").read_bytes())
    before = outside.read_bytes()
    set_descriptor(district, x_notebooks=[str(outside)])
    with pytest.raises(package.PackageError, match=r"x_notebooks\[0\]"):
        package.load(district)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "helpers", "run", "--data-dir", str(district), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr
    assert "x_notebooks" in proc.stderr and "Traceback" not in proc.stderr
    assert outside.read_bytes() == before
    assert not (out / "site").exists()


def test_a_source_elsewhere_is_read_only_when_its_sha256_names_it(district, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "text.txt").write_bytes((district / "source.txt").read_bytes())
    set_descriptor(district, source_path="../elsewhere/text.txt")
    assert problems(district) == []  # the package already knows these bytes: reading them reveals nothing
    (elsewhere / "text.txt").write_text("another file 123", encoding="utf-8")
    found = problems(district)
    assert len(found) == 1 and "sources[0].path" in found[0] and "123" not in found[0], found
