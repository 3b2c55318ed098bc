"""Tests for helpers.build.run: parameters checked first; notebooks executed, cleaned, rendered; failures lose nothing.

The notebooks are the tiny fixtures in tests/fixtures/notebooks (01 prints its
parameters and draws a chart, 02 prints, 03 raises in cell 3), copied with the
fictional district's package into a temporary project.  helpers.reader.tables and
helpers.reader.labels are replaced by small fakes so these tests depend only on run/site.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import sys
import types
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import helpers.reader
from conftest import DATA, DISTRICT
from helpers.build import cache, cli, publish, run
from helpers.build.clean import KERNELSPEC, clean
from helpers.build.cli import collect_parameters, parse_value
from helpers.build.settings import Timeouts, UsageError

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
HELLO, TEXT, BROKEN = "01_hello.ipynb", "02_text.ipynb", "03_broken.ipynb"
INJECTED = "injected-parameters"


# ---- helpers -----------------------------------------------------------------------------------


def fake_modules() -> dict[str, types.ModuleType]:
    """helpers.reader.tables and helpers.reader.labels stand-ins whose output shows the Context they were given."""
    tables = types.ModuleType("helpers.reader.tables")
    tables.derived_frame = lambda ctx: pd.DataFrame(
        {"id": ["fx"], "value": [ctx.fx_usd_cny and float(ctx.fx_usd_cny)], "label_zh": [f"汇率 {ctx.lang}"]}
    )
    tables.checks_frame = lambda ctx: pd.DataFrame({"id": ["check"], "status": [f"ok {ctx.lang}"]})
    labels = types.ModuleType("helpers.reader.labels")
    labels.glossary_frame = lambda lang: pd.DataFrame(
        {"term_zh": ["总投资"], "term_en": ["total investment"], "explanation": [f"glossary in {lang}"]}
    )
    return {"tables": tables, "labels": labels}


@contextlib.contextmanager
def faked_helpers():
    with pytest.MonkeyPatch.context() as mp:
        for name, module in fake_modules().items():
            mp.setitem(sys.modules, f"helpers.reader.{name}", module)
            mp.setattr(helpers.reader, name, module, raising=False)
        yield


def make_project(root: Path, notebooks: list[str]) -> Path:
    """root/notebooks/ with the named fixtures and root/data/ with the fictional district."""
    (root / "notebooks").mkdir(parents=True)
    for name in notebooks:
        shutil.copy(FIXTURES / name, root / "notebooks" / name)
    shutil.copytree(DISTRICT, root / "data")
    return root


def invoke(*argv) -> tuple[int, str, str]:
    """``python -m helpers run ARGV`` in this process (with the fakes): exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with faked_helpers(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = run.main([str(a) for a in argv])
        except SystemExit as e:  # argparse
            code = e.code
    return code, out.getvalue(), err.getvalue()


def outputs_text_from(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def outputs_text(path: Path) -> str:
    return outputs_text_from(nbformat.read(path, as_version=4))


def tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


# ---- a successful build, then a failing one in the same project ------------------------------------


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Run 1 builds 01 and 02 (succeeds); run 2 builds all three (03 fails). Both results, and run 1's files."""
    root = make_project(tmp_path_factory.mktemp("project"), [HELLO, TEXT, BROKEN])
    nbs, out = root / "notebooks", root / "build"
    first = invoke("--notebooks", nbs / HELLO, nbs / TEXT, "--out", out, "--jobs", 2, "--langs", "zh")
    first_files = tree(out)
    second = invoke("--notebooks", nbs, "--out", out, "--data-dir", root / "data", "--jobs", 2, "--langs", "zh")
    return types.SimpleNamespace(root=root, out=out, first=first, first_files=first_files, second=second)


def test_successful_run_exits_zero_and_prints_each_notebooks_time(builds):
    code, stdout, stderr = builds.first
    assert code == 0, stderr
    assert re.search(r"^ *[0-9.]+ s  zh/01_hello\.ipynb  ok$", stdout, re.MULTILINE)
    assert re.search(r"^ *[0-9.]+ s  zh/02_text\.ipynb  ok$", stdout, re.MULTILINE)


def test_successful_run_writes_cleaned_executed_notebooks(builds):
    executed = nbformat.reads(builds.first_files[f"notebooks/zh/{HELLO}"].decode(), as_version=4)
    assert "lang=zh" in outputs_text_from(executed)
    assert "papermill" not in executed.metadata
    assert any(
        o.get("output_type") == "display_data" and "image/png" in o.get("data", {})
        for c in executed.cells
        for o in c.get("outputs", [])
    )


def test_successful_run_renders_a_landing_page_and_one_page_per_notebook_in_each_language(builds):
    files = builds.first_files
    assert {"site/index.html", "site/zh/01_hello.html", "site/zh/02_text.html"} <= set(files)
    assert 'href="zh/' in files["site/index.html"].decode()
    page = files["site/zh/01_hello.html"].decode()
    assert '<html lang="zh-CN"' in page
    assert "lang=zh" in page  # the executed notebook's output is on its page
    # the tables and the executed notebook are downloads of the site
    assert {
        "site/zh/downloads/derived.csv",
        "site/zh/downloads/checks.csv",
        "site/zh/downloads/01_hello.ipynb.zip",
    } <= set(files)


def test_successful_run_writes_tables_from_helpers_tables(builds):
    # a byte-order mark first: Excel on Windows reads the Chinese labels
    # the fictional district states no exchange rate (x_defaults): none is made up for it
    assert builds.first_files["derived.csv"].decode() == "\ufeffid,value,label_zh\nfx,,汇率 zh\n"
    assert builds.first_files["checks.csv"].decode() == "\ufeffid,status\ncheck,ok zh\n"


def test_successful_run_publishes_the_packages_figures_with_a_byte_order_mark(builds):
    """build/figures.csv (and the site's download) is the package's figures.csv byte for byte after the mark."""
    raw = (DISTRICT / "figures.csv").read_bytes()
    assert builds.first_files["figures.csv"] == "\ufeff".encode() + raw.removeprefix("\ufeff".encode())


def test_successful_run_leaves_no_temporary_folders(builds):
    # the cache (executed notebooks by key, the site generator's state) is the one hidden folder kept
    outside_cache = [name for name in builds.first_files if not name.startswith(".cache/")]
    assert not [name for name in outside_cache if name.startswith(publish.STALE_IN_OUT) or "/." in name]
    assert sorted({name.split("/")[0] for name in builds.first_files}) == [
        ".cache",
        ".lock",
        ".published.json",
        "checks.csv",
        "derived.csv",
        "figures.csv",
        "notebooks",
        "site",
    ]


def test_failing_notebook_makes_the_run_exit_nonzero(builds):
    code, _, _ = builds.second
    assert code == 1


def test_failure_message_names_notebook_cell_first_line_and_error(builds):
    _, _, stderr = builds.second
    # cell 3 of the source notebook, although papermill injected a parameters cell before it
    assert "03_broken.ipynb [zh], cell 3 (`value = 1`): ValueError: boom 1" in stderr


def test_failure_report_shows_the_cells_source_and_last_output(builds):
    _, _, stderr = builds.second
    assert '  | raise ValueError(f"boom {value}")' in stderr
    assert "last output:\n      | ValueError: boom 1" in stderr


def test_other_notebooks_still_execute_and_render_when_one_fails(builds):
    _, stdout, _ = builds.second
    assert " s  zh/01_hello.ipynb  ok" in stdout and " s  zh/02_text.ipynb  ok" in stdout
    assert "lang=zh" in outputs_text(builds.out / "failed" / "notebooks" / "zh" / HELLO)


def test_failed_notebook_is_kept_for_inspection(builds):
    nb = nbformat.read(builds.out / "failed" / "notebooks" / "zh" / BROKEN, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert [(e.ename, e.evalue) for e in errors] == [("ValueError", "boom 1")]


def test_failed_run_leaves_the_published_output_byte_identical(builds):
    published = ("site/", "notebooks/", "derived.csv", "checks.csv", ".published.json")
    after = {k: v for k, v in tree(builds.out).items() if k.startswith(published)}
    assert after == {k: v for k, v in builds.first_files.items() if k.startswith(published)}


# ---- parameters --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parameterised(tmp_path_factory):
    """One run with a parameters file (lang zh, fx 7.1) overridden by -p lang en, and a relative --data-dir."""
    root = make_project(tmp_path_factory.mktemp("params"), [HELLO])
    (root / "params.yaml").write_text("lang: zh\nfx_usd_cny: 7.1\n", encoding="utf-8")
    with contextlib.chdir(root):
        result = invoke(
            "--notebooks", "notebooks", "--out", "build", "-f", "params.yaml", "-p", "lang", "en", "--data-dir", "data"
        )
    return types.SimpleNamespace(root=root, result=result, printed=outputs_text(root / "build/notebooks/en" / HELLO))


def test_parameters_file_values_reach_the_notebooks(parameterised):
    assert parameterised.result[0] == 0, parameterised.result[2]
    assert "fx_usd_cny=7.1\n" in parameterised.printed


def test_p_overrides_the_parameters_file(parameterised):
    assert "lang=en\n" in parameterised.printed


def test_data_dir_is_passed_as_an_absolute_path(parameterised):
    assert f"data_dir={(parameterised.root / 'data').resolve()}\n" in parameterised.printed


def test_tables_are_computed_with_the_same_parameters(parameterised):
    derived = (parameterised.root / "build" / "derived.csv").read_text(encoding="utf-8-sig")
    assert derived == "id,value,label_zh\nfx,7.1,汇率 en\n"


def test_unknown_parameter_fails_before_anything_runs(tmp_path):
    root = make_project(tmp_path, [HELLO])
    code, _, stderr = invoke("--notebooks", root / "notebooks", "--out", root / "build", "-p", "langue", "en")
    assert code == 2
    assert "unknown parameter 'langue'" in stderr
    assert not (root / "build").exists()


def test_unknown_parameter_in_parameters_file_is_named_with_the_file(tmp_path):
    root = make_project(tmp_path, [HELLO])
    (root / "p.yaml").write_text("fx_usd_cny: 7\nexchange_rate: 7\n", encoding="utf-8")
    code, _, stderr = invoke("--notebooks", root / "notebooks", "--out", root / "build", "-f", root / "p.yaml")
    assert code == 2
    assert "p.yaml: unknown parameter 'exchange_rate'" in stderr
    assert not (root / "build").exists()


def test_bad_parameter_value_fails_before_anything_runs(tmp_path):
    root = make_project(tmp_path, [HELLO])
    code, _, stderr = invoke("--notebooks", root / "notebooks", "--out", root / "build", "-p", "lang", "fr")
    assert code == 2
    assert "parameter lang: 'fr'" in stderr
    assert not (root / "build").exists()


def test_settings_resolve_the_data_package_once_and_pass_it_on_absolute(tmp_path, monkeypatch):
    import argparse

    root = make_project(tmp_path, [HELLO])
    monkeypatch.chdir(root)
    parser = argparse.ArgumentParser()
    run.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["run", "--notebooks", "notebooks", "--data-dir", "data", "--langs", "en"])
    s = cli.settings_from(args)
    assert s.data_dir == (root / "data").resolve() and s.parameters == {"data_dir": str(s.data_dir)}
    assert s.site_parameters == {"data_dir": str(s.data_dir), "lang": "en"}
    without = cli.settings_from(parser.parse_args(["run", "--notebooks", "notebooks"]))
    assert without.data_dir == (root / "data").resolve() and "data_dir" not in without.parameters


def test_notebooks_reading_different_packages_by_default_need_data_dir(tmp_path):
    one, two = make_project(tmp_path / "one", [HELLO]), make_project(tmp_path / "two", [TEXT])
    argv = ("--notebooks", one / "notebooks" / HELLO, two / "notebooks" / TEXT, "--out", tmp_path / "build")
    code, _, stderr = invoke(*argv)
    assert code == 2 and "--data-dir" in stderr and not (tmp_path / "build").exists()


def test_helpers_digest_covers_every_file_but_bytecode_and_hidden_files(tmp_path):
    (tmp_path / "reader").mkdir()
    (tmp_path / "reader" / "words.csv").write_text("zh,en\n", encoding="utf-8")
    (tmp_path / "m.py").write_text("x = 1\n", encoding="utf-8")
    before = cache.helpers_digest(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / ".m.py.swp").write_bytes(b"\0")
    assert cache.helpers_digest(tmp_path) == before
    (tmp_path / "reader" / "words.csv").write_text("zh,en\n中文,Chinese\n", encoding="utf-8")
    assert cache.helpers_digest(tmp_path) != before


def test_parameters_file_that_is_not_a_mapping_is_refused(tmp_path):
    (tmp_path / "p.yaml").write_text("- lang\n- en\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"p\.yaml: expected a mapping"):
        collect_parameters([], tmp_path / "p.yaml")


@pytest.mark.parametrize(
    ("text", "value"), [("en", "en"), ("7", 7), ("6.7261", 6.7261), ('"6.7"', "6.7"), ("true", True), ("null", None)]
)
def test_p_values_are_read_as_yaml_scalars(text, value):
    assert parse_value("x", text) == value and type(parse_value("x", text)) is type(value)


def test_p_value_that_is_a_list_is_refused_naming_the_parameter():
    with pytest.raises(UsageError, match="parameter population: expected a single value"):
        parse_value("population", "[1, 2]")


def test_help_documents_every_option():
    import argparse

    parser = argparse.ArgumentParser()
    run.register(parser.add_subparsers())
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["run"]
    undocumented = [a.option_strings for a in sub._actions if a.option_strings and not a.help]
    assert undocumented == []


def test_timeout_options_default_to_the_settings_a_run_uses():
    import argparse
    import dataclasses

    parser = argparse.ArgumentParser()
    run.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["run"])
    defaults = {f.name: f.default for f in dataclasses.fields(Timeouts)}
    assert {name: getattr(args, name) for name in defaults} == defaults


def test_make_test_gives_nbval_kernels_the_start_timeout_a_run_uses():
    makefile = (Path(__file__).parents[1] / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^KERNEL_START_TIMEOUT \?= (\d+)$", makefile, re.M)
    assert found, "Makefile: no KERNEL_START_TIMEOUT ?= N line"
    assert int(found.group(1)) == Timeouts.start_timeout


# ---- refresh -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """Refresh 01 and 03 (03 fails), then refresh 01 again."""
    root = make_project(tmp_path_factory.mktemp("refresh"), [HELLO, BROKEN])
    nbs = root / "notebooks"
    first = invoke("--refresh", "--notebooks", nbs, "--out", root / "build")
    after_first = (nbs / HELLO).read_bytes()
    second = invoke("--refresh", "--notebooks", nbs / HELLO, "--out", root / "build")
    return types.SimpleNamespace(root=root, first=first, second=second, after_first=after_first)


def test_refresh_writes_executed_cleaned_notebook_in_place(refreshed):
    nb = nbformat.read(refreshed.root / "notebooks" / HELLO, as_version=4)
    assert "lang=zh" in outputs_text_from(nb)
    assert nb.metadata["kernelspec"] == KERNELSPEC and "papermill" not in nb.metadata
    assert not any(INJECTED in c.metadata.get("tags", []) for c in nb.cells)


def test_second_refresh_leaves_the_notebook_byte_identical(refreshed):
    assert refreshed.second[0] == 0, refreshed.second[2]
    assert (refreshed.root / "notebooks" / HELLO).read_bytes() == refreshed.after_first
    assert "0 changed" in refreshed.second[1]


def test_refresh_leaves_a_failing_notebook_untouched_and_exits_nonzero(refreshed):
    assert refreshed.first[0] == 1
    assert (refreshed.root / "notebooks" / BROKEN).read_bytes() == (FIXTURES / BROKEN).read_bytes()
    assert "03_broken.ipynb, cell 3 (`value = 1`): ValueError: boom 1" in refreshed.first[2]
    assert (refreshed.root / "build" / "failed" / "notebooks" / BROKEN).is_file()


def test_refresh_refuses_parameters(tmp_path):
    code, _, stderr = invoke("--refresh", "--notebooks", FIXTURES / HELLO, "--out", tmp_path, "-p", "lang", "en")
    assert code == 2 and "default parameters" in stderr


# ---- clean() -----------------------------------------------------------------------------------------------


def executed_notebook():
    """A notebook as papermill and nbclient leave it: timings, paths, timestamps, a random id, split streams."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    nb = new_notebook(
        cells=[
            new_markdown_cell("# Title", id="title"),
            new_code_cell('lang = "zh"', id="params", metadata={"tags": ["parameters"]}),
            new_code_cell('lang = "en"', id="0f1e2d3c-random", metadata={"tags": [INJECTED]}),
            new_code_cell(
                "print(1); print(2)",
                execution_count=3,
                outputs=[
                    new_output("stream", name="stdout", text="1\n"),
                    new_output("stream", name="stdout", text="2\n"),
                    new_output("stream", name="stderr", text="warn\n"),
                ],
            ),
            new_code_cell(
                "plt.plot([1])",
                execution_count=4,
                outputs=[
                    new_output(
                        "execute_result",
                        data={"text/plain": "[<matplotlib.lines.Line2D at 0x7f3a2c1d9e50>]"},
                        execution_count=4,
                    )
                ],
            ),
        ]
    )
    nb.cells[3]["id"] = "params"  # a duplicate (set after new_notebook, which would correct it)
    del nb.cells[4]["id"]
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "version": "3.11.7"},
        "papermill": {
            "duration": 3.2,
            "start_time": "2025-01-01T00:00:00",
            "input_path": "/home/x/in.ipynb",
            "exception": None,
            "parameters": {"lang": "en"},
        },
    }
    for cell in nb.cells:
        cell.metadata["papermill"] = {"duration": 0.1, "status": "completed", "exception": False}
        cell.metadata["execution"] = {"iopub.execute_input": "2025-01-01T00:00:00.1Z"}
    return nb


def test_clean_removes_papermill_and_execution_metadata():
    nb = clean(executed_notebook())
    assert "papermill" not in nb.metadata
    assert all("papermill" not in c.metadata and "execution" not in c.metadata for c in nb.cells)


def test_clean_sets_the_one_kernelspec_and_drops_the_python_version():
    nb = clean(executed_notebook())
    assert nb.metadata["kernelspec"] == {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    assert "version" not in nb.metadata["language_info"]


def test_clean_gives_stable_unique_ids_keeping_valid_ones():
    first, second = clean(executed_notebook()), clean(executed_notebook())
    ids = [c.id for c in first.cells]
    assert ids[:2] == ["title", "params"] and ids[2] == INJECTED
    assert len(set(ids)) == len(ids)  # the duplicate "params" and the missing id were replaced
    assert ids == [c.id for c in second.cells]


def test_clean_keeps_tags_sources_and_execution_counts():
    nb = clean(executed_notebook())
    assert nb.cells[1].metadata["tags"] == ["parameters"]
    assert [c.source for c in nb.cells] == [c.source for c in executed_notebook().cells]
    assert [c.get("execution_count") for c in nb.cells][3:] == [3, 4]


def test_clean_joins_stream_outputs_split_by_timing():
    outputs = clean(executed_notebook()).cells[3].outputs
    assert [(o.name, o.text) for o in outputs] == [("stdout", "1\n2\n"), ("stderr", "warn\n")]


def test_clean_removes_memory_addresses_from_reprs():
    data = clean(executed_notebook()).cells[4].outputs[0].data
    assert data["text/plain"] == "[<matplotlib.lines.Line2D>]"


def test_clean_does_not_change_its_argument():
    nb = executed_notebook()
    clean(nb)
    assert "papermill" in nb.metadata


def test_clean_output_is_valid_nbformat():
    nbformat.validate(clean(executed_notebook()))


def test_cell_that_runs_past_the_timeout_fails_naming_the_cell(tmp_path):
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    root = make_project(tmp_path, [])
    nb = new_notebook(cells=[new_markdown_cell("# Slow"), new_code_cell("import time\ntime.sleep(60)")])
    nbformat.write(nb, root / "notebooks" / "01_slow.ipynb")
    code, _, stderr = invoke(
        "--notebooks", root / "notebooks", "--out", root / "build", "--timeout", 1, "--langs", "zh"
    )
    assert code == 1
    assert "01_slow.ipynb [zh], cell 1 (`import time`): CellTimeoutError" in stderr


# ---- languages and no work twice ----------------------------------------------------------------------


def executed_lines(stdout: str) -> list[str]:
    """The notebooks a run executed, as it lists them (``zh/01_hello.ipynb``)."""
    return sorted(m.group(1) for m in re.finditer(r"^ *[0-9.]+ s  (\S+)  (?:ok|FAILED)$", stdout, re.MULTILINE))


@pytest.fixture(scope="module")
def cached(tmp_path_factory):
    """Cold run (both languages), warm run, one notebook changed, the package changed, --force."""
    root = make_project(tmp_path_factory.mktemp("cache"), [HELLO, TEXT])
    nbs, out = root / "notebooks", root / "build"
    runs = {"cold": invoke("--notebooks", nbs, "--out", out, "--jobs", 2)}
    runs["cold_files"] = tree(out)
    runs["warm"] = invoke("--notebooks", nbs, "--out", out)
    runs["warm_files"] = tree(out)
    nb = nbformat.read(nbs / TEXT, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('print("added")'))
    nbformat.write(nb, nbs / TEXT)
    runs["one"] = invoke("--notebooks", nbs, "--out", out, "--jobs", 2)
    with open(root / "data" / "figures.csv", "a", encoding="utf-8") as f:
        f.write("")  # same content: the key is the bytes, unchanged
    runs["same_bytes"] = invoke("--notebooks", nbs, "--out", out)
    (root / "data" / "README.txt").write_text("a new file in the package\n", encoding="utf-8")
    runs["package"] = invoke("--notebooks", nbs, "--out", out, "--jobs", 2)
    runs["force"] = invoke("--notebooks", nbs, "--out", out, "--jobs", 2, "--force")
    return types.SimpleNamespace(root=root, out=out, **runs)


def test_every_notebook_executes_once_per_language(cached):
    code, stdout, stderr = cached.cold
    assert code == 0, stderr
    assert executed_lines(stdout) == [f"en/{HELLO}", f"en/{TEXT}", f"zh/{HELLO}", f"zh/{TEXT}"]
    assert "lang=zh\n" in outputs_text_from(nbformat.reads(cached.cold_files[f"notebooks/zh/{HELLO}"].decode(), 4))
    assert "lang=en\n" in outputs_text_from(nbformat.reads(cached.cold_files[f"notebooks/en/{HELLO}"].decode(), 4))


def test_site_has_each_language_rendered_from_its_own_notebooks(cached):
    assert "lang=zh" in cached.cold_files["site/zh/01_hello.html"].decode()
    assert "lang=en" in cached.cold_files["site/en/01_hello.html"].decode()
    assert '<html lang="en"' in cached.cold_files["site/en/01_hello.html"].decode()


def test_run_with_nothing_changed_executes_nothing_and_changes_no_file(cached):
    code, stdout, stderr = cached.warm
    assert code == 0, stderr
    assert executed_lines(stdout) == [] and "is up to date" in stdout
    assert cached.warm_files == cached.cold_files


def test_changing_one_notebook_re_executes_it_alone(cached):
    code, stdout, stderr = cached.one
    assert code == 0, stderr
    assert executed_lines(stdout) == [f"en/{TEXT}", f"zh/{TEXT}"]
    assert "added" in outputs_text(cached.out / "notebooks" / "zh" / TEXT)


def test_a_package_file_with_the_same_bytes_changes_nothing(cached):
    assert executed_lines(cached.same_bytes[1]) == [] and "is up to date" in cached.same_bytes[1]


def test_changing_the_data_package_re_executes_every_notebook(cached):
    code, stdout, stderr = cached.package
    assert code == 0, stderr
    assert executed_lines(stdout) == [f"en/{HELLO}", f"en/{TEXT}", f"zh/{HELLO}", f"zh/{TEXT}"]


def test_force_executes_every_notebook(cached):
    code, stdout, stderr = cached.force
    assert code == 0, stderr
    assert executed_lines(stdout) == [f"en/{HELLO}", f"en/{TEXT}", f"zh/{HELLO}", f"zh/{TEXT}"]


@pytest.mark.parametrize("part", ["notebook", "parameters", "package", "helpers", "lock"])
def test_job_key_changes_with_each_of_its_inputs(tmp_path, part):
    nb = tmp_path / "01_x.ipynb"
    nb.write_text("{}", encoding="utf-8")
    args = {"notebook": nb, "parameters": {"lang": "zh"}, "package": "p", "helpers": "h", "lock": "l"}
    before = cache.job_key(**args)
    if part == "notebook":
        nb.write_text('{"x": 1}', encoding="utf-8")
    else:
        args[part] = {"lang": "en"} if part == "parameters" else "changed"
    assert cache.job_key(**args) != before


def test_warm_run_imports_no_executor_no_site_and_no_pandas(cached):
    import subprocess

    code = (
        "import sys, helpers.build.run as r\n"
        f"c = r.main(['--notebooks', {str(cached.root / 'notebooks')!r}, '--out', {str(cached.out)!r}])\n"
        "heavy = ('papermill', 'nbconvert', 'nbformat', 'pandas', 'matplotlib', 'helpers.build.site')\n"
        "print(c, sorted(m for m in heavy if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.splitlines()[-1] == "0 []", proc.stdout + proc.stderr


def test_langs_option_refuses_an_unknown_language(tmp_path):
    code, _, stderr = invoke("--notebooks", FIXTURES / HELLO, "--out", tmp_path, "--langs", "zh,fr")
    assert code == 2 and "--langs" in stderr


def test_p_lang_and_langs_that_disagree_are_refused(tmp_path):
    code, _, stderr = invoke("--notebooks", FIXTURES / HELLO, "--out", tmp_path, "--langs", "zh", "-p", "lang", "en")
    assert code == 2 and "disagree" in stderr


def test_notebooks_given_read_the_package_their_own_parameters_cell_names(tmp_path):
    """`make notebooks` refreshes the generic walkthroughs without --data-dir: their parameters cell names
    ../../data/jinan_2022 (from notebooks/generic/), which the run must read, not the collection's ../data."""
    from helpers.build import settings
    from helpers.core.paths import NOTEBOOKS

    generic = sorted((NOTEBOOKS / "generic").glob("*.ipynb"))
    s = settings.resolve(out=tmp_path / "build", notebooks=generic, parameters={}, refresh=True)
    assert s.data_dir == (DATA / "jinan_2022").resolve()
    s = settings.resolve(out=tmp_path / "build", notebooks=[NOTEBOOKS / "00_overview.ipynb"], parameters={})
    assert s.data_dir == DATA.resolve()


def test_a_build_executes_the_largest_notebooks_first_each_language_in_turn(tmp_path):
    from helpers.build.workers import Job
    from helpers.core.files import largest_first

    sizes = {"a.ipynb": 10, "b.ipynb": 300, "c.ipynb": 20}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    jobs = [Job(tmp_path / name, tmp_path / lang / name, lang=lang) for lang in ("zh", "en") for name in sizes]
    assert [job.label for job in largest_first(jobs, lambda job: job.source)] == [
        "zh/b.ipynb", "en/b.ipynb", "zh/c.ipynb", "en/c.ipynb", "zh/a.ipynb", "en/a.ipynb"
    ]  # fmt: skip
