"""Parameters a notebook could not use are refused by ``helpers run`` before anything executes, naming them:
a number out of range (``-p fx_usd_cny 1e400``), a city package folder that is not one."""

from __future__ import annotations

import contextlib
import io

import pytest

from conftest import DISTRICT
from helpers.build import run


@pytest.mark.parametrize(
    "name, value, said",
    [
        ("fx_usd_cny", "1e400", "out of range"),
        ("fx_usd_cny", "1e-400", "out of range"),
        ("fx_usd_cny", "-7", "must be positive"),
        ("fx_usd_cny", ".inf", "positive number"),
        ("city_dir", "/nonexistent/city", "no datapackage.json"),
    ],
)
def test_a_parameter_a_notebook_could_not_use_fails_before_anything_runs(tmp_path, name, value, said):
    err = io.StringIO()
    out = tmp_path / "out"
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = run.main(["--data-dir", str(DISTRICT), "--out", str(out), "-p", name, value])
    assert code == 2
    assert f"parameter {name}" in err.getvalue() and said in err.getvalue(), err.getvalue()
    assert not (out / "site").exists() and not list(out.glob(".cache/*.ipynb"))
