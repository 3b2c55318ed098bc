"""Warm kernels (helpers.build.kernels): a notebook run in a reused kernel shows what it shows in a fresh one.

Each test runs notebooks one after the other in one worker (``execute_all(..., workers=1)``), so that the
second runs in the kernel the first left, reset, unless that kernel could not be proven clean; the outputs
are compared, cleaned as the run publishes them, with those of a kernel started for the notebook alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from conftest import DISTRICT
from helpers.build import clean
from helpers.build.kernels import Kernel, Transport
from helpers.build.settings import Timeouts
from helpers.build.workers import KERNEL_NAME, Job, execute_all, execute_one
from helpers.core.paths import NOTEBOOKS

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"

#: A notebook that changes everything it can reach and a helpers module, then leaves.
LEAVES = [
    "import os, sys, warnings, matplotlib\nimport helpers.reader.words as words",
    'matplotlib.rcParams["lines.linewidth"] = 9\nwarnings.simplefilter("error")\n'
    'os.environ["HELPERS_LEFT_BEHIND"] = "1"\nsys.path.append("/left/behind")',
    'os.chdir("/")\nwords.LEFT_BEHIND = True\nleft_behind = 1\nimport matplotlib.pyplot as plt\nplt.figure()',
]
#: A notebook that shows what it finds of that.
LOOKS = [
    "import os, sys, warnings, matplotlib\nimport helpers.reader.words as words",
    'print(matplotlib.rcParams["lines.linewidth"], warnings.filters[0][0], os.environ.get("HELPERS_LEFT_BEHIND"))',
    'print("/left/behind" in sys.path, os.path.basename(os.getcwd()), hasattr(words, "LEFT_BEHIND"))',
    'print("left_behind" in dir(), get_ipython().execution_count)\nimport matplotlib.pyplot as plt\nplt.get_fignums()',
]


def write(folder: Path, name: str, cells: list[str]) -> Path:
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = dict(clean.KERNELSPEC)
    path = folder / name
    nbformat.write(nb, path)
    return path


def run(notebooks: list[Path], out: Path, fresh: bool = False, parameters: dict | None = None) -> list:
    """Each notebook executed in order by one worker into ``out``; the results, in that order."""
    jobs = [Job(nb, out / nb.name, parameters or {}) for nb in notebooks]
    results = execute_all(jobs, workers=1, fresh_kernels=fresh)
    assert [r.error for r in results] == [None] * len(results)
    return results


def cleaned(path: Path) -> bytes:
    return clean.notebook_bytes(clean.clean(nbformat.read(path, as_version=4)))


def test_a_notebook_in_a_reused_kernel_sees_nothing_the_previous_one_left(tmp_path):
    leaves, looks = write(tmp_path, "01_leaves.ipynb", LEAVES), write(tmp_path, "02_looks.ipynb", LOOKS)
    results = run([leaves, looks], tmp_path / "warm")
    run([looks], tmp_path / "fresh", fresh=True)
    assert results[1].reused
    assert cleaned(tmp_path / "warm" / looks.name) == cleaned(tmp_path / "fresh" / looks.name)


def test_a_module_left_imported_makes_the_next_notebook_start_a_fresh_kernel(tmp_path):
    (tmp_path / "left_module.py").write_text("VALUE = 1\n", encoding="utf-8")
    leaves = write(tmp_path, "01_leaves.ipynb", ["import left_module"])
    looks = write(tmp_path, "02_looks.ipynb", LOOKS)
    results = run([leaves, looks], tmp_path / "out")
    assert [r.ok for r in results] == [True, True]
    assert not results[1].reused


def test_after_a_failing_notebook_the_next_runs_in_a_fresh_kernel(tmp_path):
    fails = write(tmp_path, "01_fails.ipynb", ["left_behind = 1", "1 / 0"])
    looks = write(tmp_path, "02_looks.ipynb", LOOKS)
    results = execute_all([Job(fails, tmp_path / "out" / fails.name), Job(looks, tmp_path / "out" / looks.name)])
    assert "ZeroDivisionError" in (results[0].error or "")
    assert results[1].ok and not results[1].reused


def test_a_warm_kernels_notebooks_go_through_one_client_that_waits_for_the_kernel_once(tmp_path):
    nb = write(tmp_path, "01_prints.ipynb", ["print(1)"])
    kernel = Kernel(KERNEL_NAME, Transport(None).config, Timeouts().start_timeout)  # TCP: no socket folder to remove
    try:
        first = execute_one(Job(nb, tmp_path / "first.ipynb"), Timeouts(), kernel)
        kc = kernel.km.client()  # what nbclient asks for at each notebook
        second = execute_one(Job(nb, tmp_path / "second.ipynb"), Timeouts(), kernel)
        assert first.ok and second.ok and second.reused
        assert kernel.km.client() is kc and kc.channels_running and kc.proven
        assert cleaned(tmp_path / "first.ipynb") == cleaned(tmp_path / "second.ipynb")
    finally:
        kernel.close()
    assert not kc.channels_running  # closed with its kernel


def test_a_warm_kernel_leaves_what_its_warm_up_imported_out_of_garbage_collection(tmp_path):
    looks = write(tmp_path, "01_looks.ipynb", ["import gc\nprint(gc.get_freeze_count() > 0)"])
    run([looks], tmp_path / "warm")
    run([looks], tmp_path / "fresh", fresh=True)
    shown = [
        nbformat.read(tmp_path / kind / looks.name, as_version=4).cells[0].outputs[0].text for kind in ("warm", "fresh")
    ]
    assert shown == ["True\n", "False\n"]


#: A cell that prints its kernel's parent process: its pid, and whether it is a zygote (helpers.build.zygote).
PARENT = (
    "import os\n"
    "command = open(f'/proc/{os.getppid()}/cmdline', 'rb').read().split(b'\\0')\n"
    "print(os.getppid(), b'helpers.build.zygote' in command)"
)


def test_warm_kernels_are_forked_from_one_zygote_for_all_workers_and_fresh_ones_are_not(tmp_path):
    notebooks = [write(tmp_path, f"0{i}_parent.ipynb", [PARENT]) for i in (1, 2)]
    jobs = [Job(nb, tmp_path / "warm" / nb.name) for nb in notebooks]
    assert all(r.ok for r in execute_all(jobs, workers=2))
    run(notebooks[:1], tmp_path / "fresh", fresh=True)
    shown = [
        nbformat.read(tmp_path / kind / nb.name, as_version=4).cells[0].outputs[0].text.split()
        for kind, nb in (("warm", notebooks[0]), ("warm", notebooks[1]), ("fresh", notebooks[0]))
    ]
    assert shown[0] == shown[1] and shown[0][1] == "True"  # one zygote, the parent of both workers' kernels
    assert shown[2][1] == "False"
    assert (
        not Path(f"/proc/{shown[0][0]}").exists() or b"zygote" not in Path(f"/proc/{shown[0][0]}/cmdline").read_bytes()
    )
    assert "HELPERS_ZYGOTE" not in os.environ  # ended with the run, and no longer offered


def test_the_collection_gives_byte_identical_outputs_in_either_order_and_in_fresh_kernels(tmp_path):
    notebooks = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    parameters = {"lang": "en"}
    forward = run(notebooks, tmp_path / "forward", parameters=parameters)
    backward = run(notebooks[::-1], tmp_path / "backward", parameters=parameters)
    run(notebooks, tmp_path / "fresh", fresh=True, parameters=parameters)
    assert sum(r.reused for r in forward) == len(notebooks) - 1
    assert sum(r.reused for r in backward) == len(notebooks) - 1
    for nb in notebooks:
        expected = cleaned(tmp_path / "fresh" / nb.name)
        assert cleaned(tmp_path / "forward" / nb.name) == expected, nb.name
        assert cleaned(tmp_path / "backward" / nb.name) == expected, nb.name


def test_a_successful_run_prints_no_error_line(tmp_path):
    (tmp_path / "notebooks").mkdir()
    for name in ("01_hello.ipynb", "02_text.ipynb"):
        shutil.copy(FIXTURES / name, tmp_path / "notebooks" / name)
    shutil.copytree(DISTRICT, tmp_path / "data")
    command = [sys.executable, "-m", "helpers", "run", "--notebooks", str(tmp_path / "notebooks")]
    command += ["--out", str(tmp_path / "build"), "--jobs", "1"]
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
    proc = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "zh/01_hello.ipynb  ok" in proc.stdout and "en/02_text.ipynb  ok" in proc.stdout
    assert "ERROR" not in proc.stderr + proc.stdout
    assert "KeyboardInterrupt" not in proc.stderr + proc.stdout


def test_bytecode_is_written_once_and_again_only_for_a_changed_module(tmp_path):
    """compile_helpers: kernels that import helpers afresh read bytecode instead of compiling each module."""
    import importlib.util

    from helpers.build.kernels import compile_helpers

    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "mod.py").write_text("X = 1\n", encoding="utf-8")
    assert compile_helpers(package) == 2
    assert Path(importlib.util.cache_from_source(str(package / "sub" / "mod.py"))).is_file()
    assert compile_helpers(package) == 0
    changed = package / "sub" / "mod.py"
    changed.write_text("X = 2\n", encoding="utf-8")
    os.utime(changed, (changed.stat().st_atime + 5, changed.stat().st_mtime + 5))
    assert compile_helpers(package) == 1


def test_a_module_that_does_not_compile_is_left_to_the_import_to_report(tmp_path):
    from helpers.build.kernels import compile_helpers

    (tmp_path / "broken.py").write_text("def (:\n", encoding="utf-8")
    (tmp_path / "fine.py").write_text("Y = 1\n", encoding="utf-8")
    assert compile_helpers(tmp_path) == 1  # the fine one; no exception, nothing printed
