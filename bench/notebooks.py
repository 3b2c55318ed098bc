"""Benchmark of the notebook collection; prints a Markdown section ``## Notebook collection`` to stdout.

Usage: .venv/bin/python bench/notebooks.py [--runs 3] [--jobs 2]

Measures on this machine, as medians of ``--runs`` runs (wall time):

* the floor: a fresh kernel (nbclient) that imports pandas, seaborn, matplotlib
  and helpers, from kernel start to the import done: what every notebook pays;
* the main job, ``python -m helpers run`` end to end (into a temporary folder; every notebook in zh and
  en): cold (an empty OUT) with its warm kernels (one per worker, reset between notebooks) and, in the
  same round, cold with ``--fresh-kernels`` (a kernel started for each notebook); then warm (nothing
  changed: no execution) and with one notebook changed;
* nbval over the collection, as ``make test`` runs it (``-n JOBS --dist loadscope --no-loadscope-reorder
  -p no:anyio --assert=plain``: a worker per core, the largest notebooks first, without anyio's
  plugin and assert rewriting; kernels forked from a zygote: ``--nbval-kernel-name helpers-forked``) and, in the
  same round, with ``--nbval-current-env`` (a kernel started for each notebook);
* rendering the site alone (HTML pages, index) from the executed notebooks;
* ``import helpers`` and ``import pandas, seaborn`` in fresh interpreters, and
  what the helpers modules the notebooks import add on top of pandas and seaborn;
* for comparison, a plain loop of ``papermill`` commands, one notebook after the other, in both languages
  (``-p lang zh``, ``-p lang en``: the executions the main job makes).

Each figure is also a ratio to the floor and is set against its target: the cold main job (both
languages) ≤ 8 × floor, nbval ≤ 5 × floor, a warm main job ≤ 1 floor; helpers adding < 10 % of the floor.
It measures and reports; it asserts nothing.  Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PY = sys.executable
FLOOR_IMPORTS = "import pandas, seaborn, matplotlib, helpers"
NOTEBOOK_IMPORTS = "from helpers.reader import params, tables, plots"
LANGS = ("zh", "en")
#: Targets, in floors: the cold main job (every notebook in both languages, site, tables) and nbval.
MAIN_TARGET, NBVAL_TARGET = 8.0, 5.0


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, int, str]:
    """Wall seconds, exit code and the tail of stderr+stdout of one command."""
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return time.perf_counter() - start, proc.returncode, proc.stdout[-2000:]


class Measure:
    """The runs of one measurement: their median and whether every run succeeded."""

    def __init__(self, name: str):
        self.name, self.seconds, self.failures = name, [], []

    def add(self, seconds: float, code: int = 0, tail: str = "") -> None:
        self.seconds.append(seconds)
        if code != 0:
            self.failures.append(code)
            log(f"{self.name}: exit {code}\n{tail}")

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def floor_once() -> float:
    """Kernel start to imports done, in a fresh python3 kernel run by nbclient in notebooks/."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_IMPORTS)])
    client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    errors = [o for c in nb.cells for o in c.outputs if o.output_type == "error"]
    if errors:
        raise RuntimeError(f"the floor's imports failed: {errors[0].ename}: {errors[0].evalue}")
    return elapsed


def touch_one(notebook: Path, i: int) -> None:
    """Change one notebook's bytes (a metadata entry), so that its cache key changes."""
    import json

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["metadata"]["bench_run"] = i
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def python_c(code: str) -> tuple[float, int, str]:
    return timed([PY, "-c", code])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--jobs", type=int, default=2, help="parallel notebooks for the main job and nbval")
    args = parser.parse_args()

    notebooks = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print("## Notebook collection\n\nNo notebooks in notebooks/: nothing measured.")
        return 0
    n = len(notebooks)
    work = Path(tempfile.mkdtemp(prefix="bench-notebooks-"))
    m: dict[str, Measure] = {
        k: Measure(k)
        for k in (
            "floor",
            "main",
            "main_fresh",
            "warm",
            "one_changed",
            "nbval",
            "nbval_fresh",
            "site",
            "bare",
            "helpers",
            "pandas_seaborn",
            "pandas_seaborn_helpers",
            "papermill_loop",
        )
    }
    try:
        for i in range(args.runs):
            log(f"run {i + 1} of {args.runs}")
            m["floor"].add(floor_once())
            out = work / f"main-{i}"
            # a copy of the notebooks, so that one of them can be changed; the package is the repository's
            copies = work / f"notebooks-{i}"
            shutil.copytree(NOTEBOOKS, copies)
            main_job = [PY, "-m", "helpers", "run", "--jobs", str(args.jobs), "--out", str(out)]
            main_job += ["--notebooks", str(copies), "--data-dir", str(ROOT / "data")]
            m["main"].add(*timed(main_job))  # cold: an empty OUT, both languages
            fresh_job = [PY, "-m", "helpers", "run", "--jobs", str(args.jobs), "--out", str(work / f"fresh-{i}")]
            fresh_job += ["--notebooks", str(copies), "--data-dir", str(ROOT / "data"), "--fresh-kernels"]
            m["main_fresh"].add(*timed(fresh_job))  # the same, a kernel started for each notebook
            m["warm"].add(*timed(main_job))  # nothing changed
            touch_one(copies / notebooks[0].name, i)
            m["one_changed"].add(*timed(main_job))  # one notebook changed (its metadata)
            m["site"].add(*timed([PY, "-c", SITE_ONLY, str(out / "notebooks"), str(work / f"site-{i}")]))
            nbval = [PY, "-m", "pytest", "--nbval", "notebooks", "-n", str(args.jobs), "--dist", "loadscope"]
            nbval += ["--no-loadscope-reorder", "-p", "no:cacheprovider", "-p", "no:anyio", "--assert=plain", "-q"]
            m["nbval"].add(*timed([*nbval, "--nbval-kernel-name", "helpers-forked"]))  # as `make test` runs it
            m["nbval_fresh"].add(*timed([*nbval, "--nbval-current-env"]))  # a kernel started for each notebook
            m["bare"].add(*python_c("pass"))
            m["helpers"].add(*python_c("import helpers"))
            m["pandas_seaborn"].add(*python_c("import pandas, seaborn"))
            m["pandas_seaborn_helpers"].add(*python_c(f"import pandas, seaborn; {NOTEBOOK_IMPORTS}"))
            loop = work / f"papermill-{i}"
            loop.mkdir()
            start, codes = time.perf_counter(), []
            for lang in LANGS:
                for nb in notebooks:
                    command = [PY, "-m", "papermill", str(nb), str(loop / f"{lang}-{nb.name}"), "-p", "lang", lang]
                    codes.append(timed([*command, "--cwd", str(NOTEBOOKS), "-k", "python3", "--no-progress-bar"])[1])
            m["papermill_loop"].add(time.perf_counter() - start, max(codes))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(report(m, n, args))
    return 0


#: Render both languages' site from already executed notebooks (a cold Sphinx state), as ``helpers.build.run`` does.
SITE_ONLY = """
import sys, tempfile
from pathlib import Path
from helpers.build import site
executed, target = Path(sys.argv[1]), Path(sys.argv[2])
target.mkdir(parents=True)
with tempfile.TemporaryDirectory() as work:
    site.render({lang: sorted((executed / lang).glob("*.ipynb")) for lang in ("zh", "en")}, target,
                work_dir=Path(work))
"""


def report(m: dict[str, Measure], n: int, args) -> str:
    floor = m["floor"].median

    # differences within each run (same machine state), then their median
    def added_over(key: str, base: str) -> float:
        return statistics.median(a - b for a, b in zip(m[key].seconds, m[base].seconds))

    added = added_over("pandas_seaborn_helpers", "pandas_seaborn")
    helpers_added = added_over("helpers", "bare")
    kernels_once = math.ceil(2 * n / args.jobs)

    def row(label: str, seconds: float, target: str = "", ok: bool | None = None, key: str | None = None) -> str:
        failed = key is not None and m[key].failures
        verdict = "" if ok is None else ("yes" if ok else "**no**")
        if failed:
            verdict = (verdict + " " if verdict else "") + f"(a run exited {m[key].failures[0]})"
        return f"| {label} | {seconds:.2f} | {seconds / floor:.2f} | {target} | {verdict} |"

    lines = [
        "## Notebook collection",
        "",
        f"{n} notebooks in notebooks/; {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}; wall time, median of {args.runs} runs, every measure of a run "
        f"taken one after the other (paired); load average {os.getloadavg()[0]:.2f} when done.",
        "",
        "The floor is what a notebook pays before its first cell does any work of its own: a fresh kernel "
        "started and `" + FLOOR_IMPORTS + "` done. "
        f"A cold main job executes {2 * n} notebooks ({n} in zh and en) on {args.jobs} workers: with a kernel "
        f"started for each notebook (`--fresh-kernels`, as a papermill loop does) it pays that floor "
        f"{kernels_once} times over on each worker before any cell runs, and renders the site after; with "
        "its warm kernels (the default) each worker pays it once and then resets its kernel between "
        f"notebooks. Targets: the cold main job ≤ {MAIN_TARGET:g} × floor, nbval ≤ {NBVAL_TARGET:g} × floor, "
        "a warm one ≤ 1 floor; helpers adding < 0.10 × floor.",
        "",
        "| measure | seconds | × floor | target | met |",
        "| --- | ---: | ---: | --- | --- |",
        row("floor: kernel start → `" + FLOOR_IMPORTS + "` done", floor, "", None, "floor"),
        row(
            f"main job, cold: `python -m helpers run --jobs {args.jobs}` (execute zh and en in warm kernels, "
            "clean, site, CSVs)",
            m["main"].median,
            f"≤ {MAIN_TARGET:.2f}",
            m["main"].median <= MAIN_TARGET * floor,
            "main",
        ),
        row(
            "main job, cold, `--fresh-kernels` (a kernel started for each notebook)",
            m["main_fresh"].median,
            key="main_fresh",
        ),
        row(
            "main job again, nothing changed (no execution, no rendering)",
            m["warm"].median,
            "≤ 1.00",
            m["warm"].median <= floor,
            "warm",
        ),
        row(
            "main job again, one notebook changed (it alone re-executed, in both languages)",
            m["one_changed"].median,
            key="one_changed",
        ),
        row(
            f"nbval: `pytest --nbval --nbval-kernel-name helpers-forked notebooks -n {args.jobs} --dist loadscope "
            "--no-loadscope-reorder -p no:anyio --assert=plain` "
            "(kernels forked from a zygote, as `make test` runs it)",
            m["nbval"].median,
            f"≤ {NBVAL_TARGET:.2f}",
            m["nbval"].median <= NBVAL_TARGET * floor,
            "nbval",
        ),
        row(
            "nbval with `--nbval-current-env` instead (a kernel started for each notebook)",
            m["nbval_fresh"].median,
            key="nbval_fresh",
        ),
        row(
            "site alone: render pages and index from executed notebooks (fresh interpreter)",
            m["site"].median,
            key="site",
        ),
        row("`python -c pass`", m["bare"].median, key="bare"),
        row("`import helpers` (fresh interpreter)", m["helpers"].median, key="helpers"),
        row("`import pandas, seaborn` (fresh interpreter)", m["pandas_seaborn"].median, key="pandas_seaborn"),
        row("`import helpers` adds over `python -c pass`", helpers_added, "< 0.10", helpers_added < 0.10 * floor),
        row(f"`{NOTEBOOK_IMPORTS}` adds over pandas, seaborn", added, "< 0.10", added < 0.10 * floor),
        row(
            f"comparison: a loop of {2 * n} `papermill` commands ({n} notebooks × zh, en), one at a time",
            m["papermill_loop"].median,
            key="papermill_loop",
        ),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
