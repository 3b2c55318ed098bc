"""``python -m helpers run``: execute the notebook collection, clean it, render the site, write the tables.

One command builds everything a reader gets (``make report``)::

    build/notebooks/NN_name.ipynb   each notebook executed with papermill, metadata cleaned
    build/site/index.html           the site: sections, notebooks, glossary (see :mod:`helpers.site`)
    build/site/NN_name.html         each executed notebook as self-contained HTML
    build/derived.csv               helpers.tables.derived_frame(ctx)
    build/checks.csv                helpers.tables.checks_frame(ctx)

Notebooks run in parallel, one worker process per core, each worker running
``papermill.execute_notebook(..., cwd=<the notebook's folder>)``.  Parameters
(``-p NAME VALUE``, ``--parameters-file``, ``--data-dir``) are checked against
:data:`helpers.params.DEFAULTS` and :func:`helpers.params.setup` before anything
runs.  A failing notebook does not stop the others; the command then exits 1
naming the notebook, the cell and the error, keeps the failed executed notebook
in ``build/notebooks/``, and leaves the previous ``build/site/`` as it was (the
new, incomplete site goes to ``build/site.failed/``).

``--refresh`` (``make notebooks``) re-executes the committed notebooks with their
default parameters and writes each back in place, cleaned by :func:`clean`, only
when it executed without error, so that a refresh without changes leaves
``git diff`` empty.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from helpers import kernels

#: Where the committed notebooks live and which of them form the collection.
REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
KERNEL_NAME = "python3"
#: The one kernelspec every cleaned notebook carries.
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
#: language_info without the interpreter's patch version, which differs between machines.
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
#: Notebook-level metadata that records a run, a machine or an editor session, never content.
VOLATILE_NOTEBOOK_METADATA = ("papermill", "widgets", "vscode", "interpreter", "varInspector", "toc-autonumbering")
#: Cell-level metadata written by papermill (timings, status), nbclient (execution timestamps) and ExecuteTime.
VOLATILE_CELL_METADATA = ("papermill", "execution", "ExecuteTime")
#: Cells that papermill adds: the injected parameters and the error banners.
INJECTED_TAG = "injected-parameters"
ERROR_MARKER_TAG = "papermill-error-cell-tag"
_CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
#: Default object reprs (``<Line2D at 0x7f3a...>``) carry a memory address that changes every run.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{4,16}>")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
#: How worker processes start. fork starts them at once with papermill already imported; spawn and
#: forkserver import it again. Measured on 2 cores, the 7 notebooks, medians of 3: fork 21.6 s, forkserver
#: 23.6 s, spawn 29.4 s (one at a time: 20.2 s when fork took 12 s). Threads were no faster and are unsafe:
#: papermill's cwd= changes the working directory of the whole process (2 of 5 threaded runs failed).
START_METHOD = "fork"


class UsageError(ValueError):
    """A bad command line or parameters file; raised before anything runs."""


# ---- command line --------------------------------------------------------------------------


def register(sub) -> None:
    """Add the ``run`` subcommand to ``python -m helpers``."""
    p = sub.add_parser(
        "run",
        help="execute the notebooks, render the site and write derived.csv and checks.csv",
        description=_paragraphs(
            "Execute every notebook with papermill, in parallel, into OUT/notebooks/ (metadata cleaned); "
            "render OUT/site/ (index.html and one self-contained HTML page per notebook, readable offline "
            "from the file system); write OUT/derived.csv and OUT/checks.csv computed with the same "
            "parameters. Parameter names and values are checked before anything runs.",
            "A failing notebook does not stop the others: the command then exits 1 naming the notebook, "
            "the cell and the error, keeps the failed executed notebook in OUT/notebooks/, and leaves the "
            "previous OUT/site/ as it was (the incomplete new site goes to OUT/site.failed/).",
            "Exit codes: 0 success; 1 a notebook, a table or the site failed; 2 bad options or parameters.",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_paragraphs(
            "Parameters: --parameters-file first, then each -p, then --data-dir. A relative data_dir is "
            "made absolute against the current directory before it is passed on.",
        ) + "\n\nexamples:\n"
            "  python -m helpers run                           # make report\n"
            "  python -m helpers run -p lang en --out build/en\n"
            "  python -m helpers run --refresh                 # make notebooks",
    )
    p.add_argument("--notebooks", nargs="+", metavar="PATH", type=Path,
                   help=f"notebooks to execute, or folders to take {NOTEBOOK_GLOB} from "
                        f"(default: notebooks/{NOTEBOOK_GLOB} in the repository)")
    p.add_argument("--out", type=Path, default=Path("build"), metavar="DIR",
                   help="build folder for notebooks/, site/, derived.csv and checks.csv (default: %(default)s)")
    p.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N",
                   help="notebooks executed at once, one worker process each (default: one per core)")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   dest="parameters",
                   help="set a notebook parameter; VALUE is read as a YAML scalar like papermill's -p/-y "
                        "(6.7 is a number, en a string, '\"6.7\"' a string); repeatable. "
                        "Known: " + ", ".join(_known_parameters()))
    p.add_argument("-f", "--parameters-file", type=Path, metavar="FILE",
                   help="YAML file mapping parameter names to values")
    p.add_argument("--data-dir", metavar="DIR",
                   help="data package folder passed as data_dir, made absolute "
                        "(default: the notebooks' own ../data)")
    p.add_argument("--timeout", type=_positive_int, default=600, metavar="SECONDS",
                   help="fail a cell that runs longer than this (default: %(default)s)")
    p.add_argument("--refresh", action="store_true",
                   help="re-execute the committed notebooks with their default parameters and write each "
                        "back in place, cleaned, only if it executed without error; no site, no tables "
                        "(make notebooks)")
    p.set_defaults(func=run_command)


def main(argv: list[str] | None = None) -> int:
    """``run`` on its own: ``main(["--out", "build"])`` is ``python -m helpers run --out build``."""
    parser = argparse.ArgumentParser(prog="python -m helpers")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["run", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


def _paragraphs(*texts: str, width: int = 88) -> str:
    import textwrap

    return "\n\n".join(textwrap.fill(t, width) for t in texts)


def cores() -> int:
    """Cores this process may use (its CPU affinity, which a container may restrict)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _known_parameters() -> list[str]:
    from helpers.params import DEFAULTS

    return list(DEFAULTS)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def run_command(args) -> int:
    """The ``run`` subcommand; returns the exit code."""
    try:
        if args.notebooks or args.refresh:
            notebooks = find_notebooks(args.notebooks)
        else:  # city: the package's story (helpers.story: its x_notebooks, or the generic walkthroughs)
            from helpers import package, story
            try:
                notebooks = story.notebooks_for(args.data_dir, args.out)
            except (story.StoryError, package.PackageError) as e:
                raise UsageError(str(e)) from None
        parameters = collect_parameters(args.parameters, args.parameters_file, args.data_dir)
        if args.refresh and parameters:
            raise UsageError("--refresh runs the notebooks with their default parameters; "
                             f"drop {', '.join(sorted(parameters))}")
    except UsageError as e:
        print(f"python -m helpers run: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    jobs = min(args.jobs or cores(), len(notebooks))
    if args.refresh:
        return refresh(notebooks, args.out, jobs=jobs, timeout=args.timeout)
    return build(notebooks, args.out, parameters, jobs=jobs, timeout=args.timeout)


# ---- parameters ----------------------------------------------------------------------------


def parse_value(name: str, text: str):
    """A ``-p`` value as papermill reads it: a YAML scalar (number, bool, null or string)."""
    import yaml

    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise UsageError(f"parameter {name}: {text!r} is not a YAML value ({e.problem})") from None
    if isinstance(value, (dict, list)):
        raise UsageError(f"parameter {name}: expected a single value, got {type(value).__name__} {text!r}")
    return value


def collect_parameters(pairs: list[tuple[str, str]] | list[list[str]] = (), parameters_file: Path | None = None,
                       data_dir: str | None = None) -> dict:
    """The parameters to pass, from the file, then ``-p`` pairs, then ``--data-dir``; names checked.

    An unknown name raises :class:`UsageError` naming it (and the file it came
    from); ``data_dir`` is made absolute against the current directory.
    """
    from helpers.params import DEFAULTS

    params: dict = {}
    if parameters_file is not None:
        params.update(_read_parameters_file(Path(parameters_file), DEFAULTS))
    for name, text in pairs:
        if name not in DEFAULTS:
            raise UsageError(f"unknown parameter {name!r} (-p {name} ...); known: {', '.join(DEFAULTS)}")
        params[name] = parse_value(name, text)
    if data_dir is not None:
        params["data_dir"] = data_dir
    if "data_dir" in params:
        if not isinstance(params["data_dir"], (str, Path)) or not str(params["data_dir"]):
            raise UsageError(f"parameter data_dir: expected a folder path, got {params['data_dir']!r}")
        params["data_dir"] = str(Path(params["data_dir"]).resolve())
    return params


def _read_parameters_file(path: Path, known: dict) -> dict:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"parameters file {path}: {e.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise UsageError(f"parameters file {path}{where}: not valid YAML ({getattr(e, 'problem', e)})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"parameters file {path}: expected a mapping of parameter names to values, "
                         f"got {type(data).__name__}")
    for name, value in data.items():
        if name not in known:
            raise UsageError(f"parameters file {path}: unknown parameter {name!r}; known: {', '.join(known)}")
        if isinstance(value, (dict, list)):
            raise UsageError(f"parameters file {path}: parameter {name}: expected a single value, "
                             f"got {type(value).__name__}")
    return dict(data)


def context_parameters(parameters: dict, notebooks: list[Path]) -> dict:
    """The parameters as the notebooks see them, for :func:`helpers.params.setup` in this process.

    A ``data_dir`` left at its default is read, as the notebooks read it,
    relative to the (first) notebook's folder.
    """
    from helpers.params import DEFAULTS

    params = dict(parameters)
    if "data_dir" not in params:
        params["data_dir"] = str((notebooks[0].parent / str(DEFAULTS["data_dir"])).resolve())
    return params


# ---- finding notebooks -----------------------------------------------------------------------


def find_notebooks(paths: list[Path] | None = None) -> list[Path]:
    """Absolute notebook paths: the files given, or ``NN_*.ipynb`` in the folders given (default notebooks/)."""
    paths = list(paths) if paths else [REPO / "notebooks"]
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            inside = sorted(path.glob(NOTEBOOK_GLOB))
            if not inside:
                raise UsageError(f"no {NOTEBOOK_GLOB} notebooks in {path}")
            found.extend(inside)
        elif path.is_file() and path.suffix == ".ipynb":
            found.append(path)
        else:
            raise UsageError(f"--notebooks {path}: not a notebook (.ipynb) or a folder of notebooks")
    found = [p.resolve() for p in found]
    names = [p.name for p in found]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise UsageError(f"two notebooks named {dupes[0]}: executed notebooks share one folder")
    return found


# ---- executing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """How one notebook's execution went."""

    source: Path  # the notebook as committed
    output: Path  # the executed notebook
    seconds: float
    error: str | None = None  # "cell 3 (`x = 1/0`): ZeroDivisionError: division by zero"

    @property
    def ok(self) -> bool:
        return self.error is None

    def describe(self) -> str:
        """One line: the notebook and what went wrong."""
        return f"{shown(self.source)}, {self.error}"


def execute_one(source: str, output: str, parameters: dict, timeout: int | None = None) -> Result:
    """Execute one notebook with papermill (run in a worker process); never raises.

    The kernel runs in the notebook's own folder; papermill writes the executed
    notebook to ``output`` also when a cell fails.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    start = time.perf_counter()
    error = None
    # The kernel talks over Unix sockets in a folder of its own: no TCP port races between parallel
    # kernels, no "TCP without encryption" warning, and no socket files left in the notebooks' folder.
    sockets = tempfile.TemporaryDirectory(prefix="helpers-run-")
    config = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(sockets.name, "kernel")}})
    try:
        papermill.execute_notebook(
            source, output, parameters=parameters or None, cwd=str(Path(source).parent),
            kernel_name=KERNEL_NAME, progress_bar=False, log_output=False,
            execution_timeout=timeout, config=config,
            # the kernel is forked by this run's zygote, with the libraries every notebook imports already
            # imported (helpers.kernels); launched as usual when there is none or it cannot be
            kernel_manager_class=kernels.manager_class(),
        )
    except PapermillExecutionError as e:
        error = f"{locate_cell(Path(source), Path(output), e.cell_index, e.source)}: {e.ename}: " \
                f"{_first_line(e.evalue) or '(no message)'}"
    except Exception as e:  # a cell that timed out, a kernel that died, a notebook that is not JSON, ...
        message = f"{type(e).__name__}: {_first_line(str(e)) or '(no message)'}"
        where = locate_cell(Path(source), Path(output))
        error = f"{where}: {message}" if where else message
    finally:
        sockets.cleanup()
    return Result(Path(source), Path(output), time.perf_counter() - start, error)


def locate_cell(source: Path, output: Path, index: int | None = None, code: str | None = None) -> str:
    """``cell N (`first line`)`` for the failing cell, N counted in the *source* notebook ("" if unknown).

    papermill counts cells in the executed notebook, which may hold an injected
    parameters cell and error banners; the cell is found there (by ``index``, or
    as the one papermill marked as failed) and matched back to the source by id.
    """
    import nbformat

    try:
        executed = nbformat.read(str(output), as_version=4)
    except Exception:
        executed = None
    if executed is not None:
        cells = [c for c in executed.cells if ERROR_MARKER_TAG not in c.metadata.get("tags", [])]
        if index is None:
            index = next((i for i, c in enumerate(cells) if _failed_or_running(c)), None)
        if index is not None and index < len(cells):
            failing = cells[index]
            code = failing.source if code is None else code
            try:
                ids = [c.get("id") for c in nbformat.read(str(source), as_version=4).cells]
            except Exception:
                ids = []
            if failing.get("id") in ids:
                index = ids.index(failing.get("id"))
            else:
                index -= sum(INJECTED_TAG in c.metadata.get("tags", []) for c in cells[:index])
    if index is None:
        return ""
    first = _first_line(code or "")
    return f"cell {index}" + (f" (`{first}`)" if first else "")


def _failed_or_running(cell) -> bool:
    """A cell papermill marked as failed, or one sent to a kernel that never replied (it died)."""
    marks, timing = cell.metadata.get("papermill", {}), cell.metadata.get("execution", {})
    return bool(marks.get("exception") or marks.get("status") in ("failed", "running")
                or ("iopub.execute_input" in timing and "shell.execute_reply" not in timing)
                or any(o.get("output_type") == "error" for o in cell.get("outputs", [])))


def _first_line(text: str) -> str:
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), "")


def _quiet_imports() -> None:
    """Skip jsonschema's optional IRI format checker in this process.

    ``rfc3987_syntax`` compiles a Lark grammar when imported (1.6 s here), and
    nbformat imports jsonschema, which imports it; nbformat never validates IRIs.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def execute_all(notebooks: list[Path], out_dir: Path, parameters: dict, jobs: int = 1,
                timeout: int | None = None, on_done=None, while_running=None) -> list[Result]:
    """Execute ``notebooks`` into ``out_dir`` with ``jobs`` worker processes; results in input order.

    ``on_done(result)`` is called in this process as each notebook finishes
    (clean, render, report), while the others still execute;
    ``while_running()`` once, as soon as the workers have their notebooks.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm import tqdm

    _quiet_imports()
    import papermill  # noqa: F401  imported once here, inherited by the forked workers

    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[Path, Result] = {}
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=multiprocessing.get_context(START_METHOD)) as pool:
        futures = {pool.submit(execute_one, str(nb), str(out_dir / nb.name), parameters, timeout): nb
                   for nb in notebooks}
        if while_running is not None:
            while_running()
        with tqdm(total=len(notebooks), desc="notebooks", unit="nb", file=sys.stderr, leave=False) as bar:
            for future in as_completed(futures):
                nb = futures[future]
                try:
                    result = future.result()
                except Exception as e:  # the worker process itself died
                    result = Result(nb, out_dir / nb.name, 0.0, f"{type(e).__name__}: {e}")
                results[nb] = result
                status = "ok" if result.ok else "FAILED"
                tqdm.write(f"{result.seconds:7.1f} s  {nb.name}  {status}", file=sys.stdout)
                if on_done is not None:
                    on_done(result)
                bar.update()
    return [results[nb] for nb in notebooks]


# ---- cleaning ------------------------------------------------------------------------------------


def clean(nb):
    """A copy of ``nb`` without what changes from run to run.

    Removes papermill's and nbclient's metadata (timings, durations, status,
    exceptions, input/output paths, execution timestamps), sets the one
    :data:`KERNELSPEC` and a :data:`LANGUAGE_INFO` without the Python patch
    version, gives every cell a stable id (kept when valid and unique, else
    derived from position and source), joins consecutive stream outputs that
    the kernel happened to flush in pieces, and drops memory addresses from
    default object reprs (``<Line2D at 0x7f...>`` becomes ``<Line2D>``).
    Tags, sources, outputs and execution counts are kept.
    """
    nb = copy.deepcopy(nb)
    for key in VOLATILE_NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = copy.deepcopy(LANGUAGE_INFO)
    nb.nbformat, nb.nbformat_minor = 4, max(5, nb.get("nbformat_minor", 0))
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.metadata.get("tags") == []:  # papermill adds an empty list to every cell
            del cell.metadata["tags"]
        cell["id"] = _stable_id(cell, index, seen)
        seen.add(cell["id"])
        if cell.cell_type == "code":
            cell.outputs = _clean_outputs(cell.get("outputs", []))
    return nb


def _stable_id(cell, index: int, seen: set[str]) -> str:
    tags = cell.metadata.get("tags", [])
    cid = cell.get("id")
    if INJECTED_TAG in tags:
        cid = INJECTED_TAG
    elif ERROR_MARKER_TAG in tags or not (isinstance(cid, str) and _CELL_ID.match(cid)):
        cid = None
    while cid is None or cid in seen:
        basis = f"{index}\0{cell.get('source', '')}\0{cid or ''}"
        cid = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:8]
    return cid


def _clean_outputs(outputs: list) -> list:
    merged: list = []
    for out in outputs:
        out = copy.deepcopy(out)
        if out.get("output_type") == "stream":
            text = out.get("text", "")
            out["text"] = _ADDRESS.sub(">", "".join(text) if isinstance(text, list) else text)
            prev = merged[-1] if merged else None
            if prev is not None and prev.get("output_type") == "stream" and prev.get("name") == out.get("name"):
                prev["text"] += out["text"]
                continue
        elif out.get("output_type") in ("execute_result", "display_data"):
            plain = out.get("data", {}).get("text/plain")
            if plain is not None:
                joined = "".join(plain) if isinstance(plain, list) else plain
                out["data"]["text/plain"] = _ADDRESS.sub(">", joined)
        merged.append(out)
    return merged


def read_notebook(path: Path):
    import nbformat

    return nbformat.read(str(path), as_version=4)


def notebook_bytes(nb) -> bytes:
    """The notebook as JupyterLab saves it: JSON, one-space indent, sorted keys, final newline."""
    import nbformat

    text = nbformat.writes(nb, version=4)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary sibling, so a reader never sees half a file."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def clean_file(path: Path):
    """Clean the notebook at ``path`` in place; return the cleaned notebook (None if unreadable)."""
    try:
        nb = clean(read_notebook(path))
    except Exception:  # papermill could not even write it (unreadable source): nothing to clean
        return None
    write_atomic(path, notebook_bytes(nb))
    return nb


# ---- the two modes -------------------------------------------------------------------------------


def build(notebooks: list[Path], out: Path, parameters: dict, jobs: int = 1, timeout: int | None = 600) -> int:
    """Execute, clean, render and tabulate; the exit code of ``python -m helpers run``."""
    # The zygote that forks the kernels (helpers.kernels) starts first: it imports on one core while this
    # process loads the package and its own libraries on the other.
    with kernels.Zygote(notebooks[0].parent):
        return _build(notebooks, out, parameters, jobs, timeout)


def _build(notebooks: list[Path], out: Path, parameters: dict, jobs: int, timeout: int | None) -> int:
    from helpers import site
    from helpers.params import ParameterError, setup

    from helpers.package import PackageError

    _quiet_imports()  # before nbconvert (warm_up) imports nbformat
    out = Path(out).resolve()
    try:
        ctx = setup(**context_parameters(parameters, notebooks))
    except (ParameterError, PackageError) as e:
        print(f"python -m helpers run: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    builder = site.SiteBuilder(out / "site", ctx)
    # nbconvert's imports and the first page's template compilation (1.2 s) happen here, before the workers
    # fork, while the zygote is still importing on the other core, rather than while the kernels run; each
    # page then takes 0.1 s in this process as its notebook finishes (0.3 to 2.5 s less in 6 paired runs).
    try:
        builder.warm_up()
    except Exception:  # rendering each page reports what is wrong
        pass
    failures: list[str] = []
    table_failures: list[str] = []

    def tables() -> None:
        """The CSV tables, computed in this process while the workers execute (they need no notebook)."""
        for name, frame in (("derived", "derived_frame"), ("checks", "checks_frame")):
            try:
                write_table(ctx, frame, out / f"{name}.csv")
            except Exception as e:
                table_failures.append(f"{shown(out / f'{name}.csv')}: helpers.tables.{frame} failed: "
                                      f"{type(e).__name__}: {e}")
                say(f"FAILED {table_failures[-1]} (the previous file, if any, is kept)")

    def done(result: Result) -> None:
        nb = clean_file(result.output)
        if not result.ok:
            failures.append(result.describe())
            say(f"FAILED {result.describe()}")
            if nb is not None:
                say(f"  the executed notebook is kept for inspection: {shown(result.output)}")
        try:
            builder.add(result.source, nb, ok=result.ok)
        except Exception as e:
            failures.append(f"{shown(result.source)}: rendering HTML failed: {type(e).__name__}: {e}")
            say(f"FAILED {failures[-1]}")

    try:
        results = execute_all(notebooks, out / "notebooks", parameters, jobs=jobs, timeout=timeout, on_done=done,
                              while_running=tables)
        failures.extend(table_failures)
        try:
            builder.finish(complete=not failures)
        except Exception as e:
            failures.append(f"{shown(out / 'site' / 'index.html')}: rendering the index failed: "
                            f"{type(e).__name__}: {e}")
            print(f"FAILED {failures[-1]}", file=sys.stderr)
            builder.abandon()
    finally:
        builder.discard_unfinished()
    elapsed = time.perf_counter() - started
    n_ok = sum(r.ok for r in results)
    print(f"{n_ok} of {len(results)} notebooks executed in {elapsed:.1f} s with {jobs} worker(s)")
    if failures:
        print(f"{len(failures)} failure(s):", file=sys.stderr)
        for line in failures:
            print(f"  {line}", file=sys.stderr)
        if builder.failed_dir is not None and builder.failed_dir.exists():
            print(f"the previous site was left as it was; the incomplete new one is in {shown(builder.failed_dir)}",
                  file=sys.stderr)
        return EXIT_FAILED
    print(f"site: {shown(out / 'site' / 'index.html')}; tables: {shown(out / 'derived.csv')}, "
          f"{shown(out / 'checks.csv')}")
    return EXIT_OK


def write_table(ctx, function: str, path: Path) -> None:
    """``helpers.tables.<function>(ctx)`` as UTF-8 CSV at ``path`` (written atomically)."""
    import importlib

    tables = importlib.import_module("helpers.tables")
    frame = getattr(tables, function)(ctx)
    text = frame.to_csv(index=False, lineterminator="\n")
    write_atomic(path, text.encode("utf-8"))


def refresh(notebooks: list[Path], out: Path, jobs: int = 1, timeout: int | None = 600) -> int:
    """Re-execute the committed notebooks with default parameters; write back those that succeeded.

    Each executes into ``out/notebooks/``; a successful one is cleaned and
    replaces its source (only if its bytes changed); a failed one leaves its
    source untouched and stays in ``out/notebooks/`` for inspection.
    """
    out = Path(out).resolve()
    failures: list[str] = []
    changed: list[Path] = []

    def done(result: Result) -> None:
        nb = clean_file(result.output)
        if not result.ok or nb is None:
            failures.append(result.describe() if not result.ok else f"{shown(result.source)}: unreadable output")
            say(f"FAILED {failures[-1]}; {shown(result.source)} left as it was")
            return
        data = notebook_bytes(nb)
        if result.source.read_bytes() != data:
            write_atomic(result.source, data)
            changed.append(result.source)

    started = time.perf_counter()
    with kernels.Zygote(notebooks[0].parent):
        results = execute_all(notebooks, out / "notebooks", {}, jobs=jobs, timeout=timeout, on_done=done)
    print(f"{sum(r.ok for r in results)} of {len(results)} notebooks refreshed in "
          f"{time.perf_counter() - started:.1f} s; {len(changed)} changed"
          + (f": {', '.join(shown(p) for p in changed)}" if changed else ""))
    if failures:
        print(f"{len(failures)} failure(s):", file=sys.stderr)
        for line in failures:
            print(f"  {line}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def say(text: str) -> None:
    """A line on stderr that does not break the progress bar."""
    from tqdm import tqdm

    tqdm.write(text, file=sys.stderr)


def shown(path: Path) -> str:
    """A path as messages show it: relative to the current directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
