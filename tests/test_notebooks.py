"""Notebooks: each runs under papermill in English and on the fictional district; cells narrate, helpers compute."""

from __future__ import annotations

import ast
import re

import nbformat
import papermill as pm
import pytest

from conftest import DATA, DISTRICT, ROOT
from helpers.core import package
from helpers.reader import params

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FIGURES = package.load(DATA).figures


def run(notebook, tmp_path, **parameters):
    out = tmp_path / notebook.name
    pm.execute_notebook(
        str(notebook),
        str(out),
        parameters=parameters,
        cwd=str(notebook.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    return nbformat.read(out, as_version=4)


def errors_and_text(nb):
    found = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "error" or o.get("name") == "stderr":
                found.append(o.get("evalue") or o.get("text"))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_in_english(notebook, tmp_path):
    nb = run(notebook, tmp_path, lang="en")
    assert errors_and_text(nb) == []
    text = "".join(o.get("data", {}).get("text/plain", "") for c in nb.cells for o in c.get("outputs", []))
    assert "未报告" not in text


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_on_the_fictional_district(notebook, tmp_path):
    # the fictional package names no city package: 08 is given the real city's (its own would be named in
    # its datapackage.json as x_city_package)
    city = {"city_dir": str(DATA / "jinan_2022")} if notebook.stem == "08_district_in_city" else {}
    nb = run(notebook, tmp_path, data_dir=str(DISTRICT), **city)
    assert errors_and_text(nb) == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_parameters_cell_first_after_the_title(notebook):
    nb = nbformat.read(notebook, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    # the title is one cell, or a bilingual pair (lang-zh, then lang-en)
    title = 2 if "lang-en" in nb.cells[1].metadata.get("tags", []) else 1
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [title]
    names = {t.targets[0].id for t in ast.parse(nb.cells[title].source).body}
    assert {"lang", "data_dir", "fx_usd_cny", "population"} <= names <= set(params.DEFAULTS)
    assert all(line.split("#", 1)[1].strip() for line in nb.cells[title].source.splitlines())


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_define_no_functions_loops_or_arithmetic(notebook):
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, (ast.FunctionDef, ast.Lambda, ast.For, ast.While, ast.ListComp, ast.BinOp)), (
                f"{notebook.name}: {cell.source!r}"
            )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_markdown_types_no_figure_of_the_report(notebook):
    nb = nbformat.read(notebook, as_version=4)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    typed = [
        f"{f.value}{f.unit_zh}"
        for f in FIGURES.itertuples()
        if re.search(rf"(?<![0-9.]){re.escape(f.value)}\s*{re.escape(f.unit_zh)}", prose)
    ]
    assert typed == []


def test_one_kernelspec_and_no_volatile_metadata():
    for notebook in NOTEBOOKS:
        nb = nbformat.read(notebook, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        assert "papermill" not in nb.metadata
        assert all("execution" not in c.metadata and "papermill" not in c.metadata for c in nb.cells)
