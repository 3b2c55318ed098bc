"""``python -m helpers run``: execute the notebook collection per language, render the site, write the tables.

One command builds everything a reader gets (``make report``)::

    OUT/notebooks/<lang>/NN_name.ipynb  each notebook executed with papermill per language, metadata cleaned
    OUT/site/index.html                 the site (see :func:`_render_site`)
    OUT/derived.csv, OUT/checks.csv     helpers.reader.tables.derived_frame(ctx), checks_frame(ctx)

The run holds an OS file lock on ``OUT/.lock`` (``fcntl.flock``, released by the kernel however the process
ends); a second run on the same OUT fails at once naming the running one, or waits with ``--wait``.  Every
output of a run is built in a staging folder ``OUT/.run-PID-*`` and published together at the end, so that
OUT holds one run's notebooks, site and tables; a run that fails leaves the published output as it was and
puts what it built in ``OUT/failed/``.

Each notebook executes in a worker process of its own (forked, at most ``--jobs`` at once), whose kernel
talks over Unix sockets in a run folder under the temp dir, or over TCP on 127.0.0.1 when that folder cannot
be made or its socket paths would be too long (said once).  Every wait has a timeout: kernel start
(``--start-timeout``), each cell (``--timeout``), each notebook's worker (``--worker-timeout``).  Nothing
outlives the run: workers and kernels get a parent-death signal (``PR_SET_PDEATHSIG``, SIGKILL), SIGTERM
and SIGINT end the run through its clean-up, and the folders of a run killed outright are removed at the
next start.

Nothing is done twice: each (notebook, language) has a content key (:func:`job_key`: the notebook, the
data package files, the helpers source, the parameters, the lock file, the Python version); an executed
notebook whose key is in ``OUT/.cache/`` is reused instead of executed (``--force`` executes all), and a run
whose keys all equal the published run's does nothing at all (it imports no papermill, nbconvert or pandas).

``--refresh`` (``make notebooks``) re-executes the committed notebooks with their default parameters and
writes each back in place, cleaned by :func:`clean`, only when it executed without error, so that a refresh
without changes leaves ``git diff`` empty.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core import paths

#: Where the committed notebooks live and which of them form the collection.
REPO = paths.REPO
HELPERS_DIR = paths.HELPERS
LOCK_FILE = paths.LOCK_FILE
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

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
DEFAULT_LANGS = ("zh", "en")
#: Names inside OUT.
LOCK_NAME, STATE_NAME, CACHE_NAME, FAILED_NAME = ".lock", ".published.json", ".cache", "failed"
STAGE_PREFIX = ".run-"
#: Folders a run makes and removes; one left by a dead run is removed at the next start.
STALE_IN_OUT = (STAGE_PREFIX, ".site.new-", ".site.old-", ".old-")
TMP_PREFIX = "helpers-run-"
_TMP_NAME = re.compile(rf"^{TMP_PREFIX}(\d+)-")
#: Connection files of TCP kernels, in Jupyter's runtime dir, named by the worker's PID.
RUNTIME_PREFIX = "kernel-helpers-run-"
_RUNTIME_NAME = re.compile(rf"^{RUNTIME_PREFIX}(\d+)-.*\.json$")
#: sun_path holds 108 bytes with its NUL; jupyter_client names IPC sockets IP-PORT (PORT a small number).
IPC_PATH_MAX = 100
#: Run in place of the kernel command: the kernel gets SIGKILL when the worker that started it dies.
_DIE_WITH_PARENT = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG\n"
    "os.getppid() == int(sys.argv[1]) or os._exit(1)\n"
    "os.execvp(sys.argv[2], sys.argv[2:])"
)


class UsageError(ValueError):
    """A bad command line or parameters file; raised before anything runs."""


class OutputBusy(RuntimeError):
    """Another run holds the lock on the output folder."""


# ---- command line --------------------------------------------------------------------------


def register(sub) -> None:
    """Add the ``run`` subcommand to ``python -m helpers``."""
    p = sub.add_parser(
        "run",
        help="execute the notebooks, render the site and write derived.csv and checks.csv",
        description=_paragraphs(
            "Execute every notebook with papermill once per language (--langs), in parallel, into "
            "OUT/notebooks/LANG/ (metadata cleaned); render OUT/site/ from the first language's notebooks; "
            "write OUT/derived.csv and OUT/checks.csv computed with the same parameters. Parameter names and "
            "values are checked before anything runs. Everything is built in a staging folder and published "
            "together; one run at a time holds OUT (a file lock).",
            "A notebook whose inputs (the notebook, the data package, the helpers source, the parameters, "
            "requirements.lock) did not change since it last executed is not executed again (--force "
            "executes all); a run with nothing changed does nothing.",
            "A failing notebook does not stop the others: the command then exits 1 naming the notebook, "
            "the cell (its source and last output) and the error, leaves the published output as it was and "
            "puts this run's notebooks and tables in OUT/failed/.",
            "Exit codes: 0 success; 1 a notebook, a table or the site failed; 2 bad options or parameters; "
            "3 another run holds OUT.",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_paragraphs(
            "Parameters: --parameters-file first, then each -p, then --data-dir. A relative data_dir is "
            "made absolute against the current directory before it is passed on. -p lang X is --langs X.",
        )
        + "\n\nexamples:\n"
        "  python -m helpers run                           # make report\n"
        "  python -m helpers run --langs en --out build/en\n"
        "  python -m helpers run --refresh                 # make notebooks",
    )
    p.add_argument(
        "--notebooks",
        nargs="+",
        metavar="PATH",
        type=Path,
        help=f"notebooks to execute, or folders to take {NOTEBOOK_GLOB} from "
        f"(default: notebooks/{NOTEBOOK_GLOB} in the repository)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        metavar="DIR",
        help="build folder for notebooks/, site/, derived.csv and checks.csv (default: %(default)s)",
    )
    p.add_argument(
        "--langs",
        type=_langs,
        default=None,
        metavar="LIST",
        help="languages to execute every notebook in, comma-separated; the site is rendered from "
        "the first (default: zh,en)",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="notebooks executed at once, one worker process each (default: one per core)",
    )
    p.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        dest="parameters",
        help="set a notebook parameter; VALUE is read as a YAML scalar like papermill's -p/-y "
        "(6.7 is a number, en a string, '\"6.7\"' a string); repeatable. "
        "Known: " + ", ".join(_known_parameters()),
    )
    p.add_argument(
        "-f", "--parameters-file", type=Path, metavar="FILE", help="YAML file mapping parameter names to values"
    )
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data package folder passed as data_dir, made absolute (default: the notebooks' own ../data)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="execute every notebook, even those whose inputs did not change since their last run",
    )
    p.add_argument(
        "--timeout",
        type=_positive_int,
        default=Settings.timeout,
        metavar="SECONDS",
        help="fail a cell that runs longer than this (default: %(default)s)",
    )
    p.add_argument(
        "--start-timeout",
        type=_positive_int,
        default=Settings.start_timeout,
        metavar="SECONDS",
        help="fail a notebook whose kernel has not started after this (default: %(default)s)",
    )
    p.add_argument(
        "--worker-timeout",
        type=_positive_int,
        default=Settings.worker_timeout,
        metavar="SECONDS",
        help="kill a notebook's worker (and its kernel) that has not finished after this (default: %(default)s)",
    )
    p.add_argument(
        "--wait",
        type=_positive_int,
        nargs="?",
        const=600,
        default=None,
        metavar="SECONDS",
        help="when another run holds OUT, wait for it up to SECONDS (default when given: 600) "
        "instead of failing at once",
    )
    p.add_argument(
        "--refresh",
        action="store_true",
        help="re-execute the committed notebooks with their default parameters and write each "
        "back in place, cleaned, only if it executed without error; no site, no tables "
        "(make notebooks)",
    )
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
    from helpers.reader.params import DEFAULTS

    return list(DEFAULTS)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _langs(text: str) -> tuple[str, ...]:
    from helpers.reader.params import LANGS

    langs = tuple(t.strip() for t in text.split(",") if t.strip())
    bad = [t for t in langs if t not in LANGS]
    if not langs or bad or len(set(langs)) != len(langs):
        raise argparse.ArgumentTypeError(f"expected distinct languages among {', '.join(LANGS)}, got {text!r}")
    return langs


def run_command(args) -> int:
    """The ``run`` subcommand; returns the exit code."""
    try:
        story_jobs = None
        if args.notebooks or args.refresh:
            notebooks = find_notebooks(args.notebooks)
        else:  # the package's story (helpers.build.story: its x_notebooks, or the generic walkthroughs)
            from helpers.core import package
            from helpers.build import story

            try:
                story_jobs = story.collection(args.data_dir or package.REPO_DATA)
            except (story.StoryError, package.PackageError) as e:
                raise UsageError(str(e)) from None
        parameters = collect_parameters(args.parameters, args.parameters_file, args.data_dir)
        if args.refresh and parameters:
            raise UsageError(
                f"--refresh runs the notebooks with their default parameters; drop {', '.join(sorted(parameters))}"
            )
        langs = args.langs or DEFAULT_LANGS
        if "lang" in parameters:
            if args.langs and tuple(args.langs) != (parameters["lang"],):
                raise UsageError(f"-p lang {parameters['lang']} and --langs {','.join(args.langs)} disagree")
            langs = (str(parameters.pop("lang")),)
            from helpers.reader.params import LANGS

            if langs[0] not in LANGS:
                raise UsageError(f"parameter lang: {langs[0]!r} is not one of {', '.join(LANGS)}")
    except UsageError as e:
        print(f"python -m helpers run: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    settings = Settings(timeout=args.timeout, start_timeout=args.start_timeout, worker_timeout=args.worker_timeout)
    jobs = args.jobs or cores()
    out = Path(args.out).resolve()
    with _signals_end_the_run():
        try:
            with output_lock(out, wait=args.wait):
                if story_jobs is not None:  # generic walkthroughs are written under the lock, into OUT/generated/
                    from helpers.build import story

                    try:
                        notebooks = story.materialise(story_jobs, out / "generated")
                    except (story.StoryError, OSError) as e:
                        print(f"python -m helpers run: error: {e}", file=sys.stderr)
                        return EXIT_USAGE
                if args.refresh:
                    return refresh(notebooks, out, jobs=jobs, settings=settings)
                return build(notebooks, out, parameters, langs=langs, jobs=jobs, settings=settings, force=args.force)
        except OutputBusy as e:
            print(f"python -m helpers run: error: {e}", file=sys.stderr)
            return EXIT_BUSY


@contextlib.contextmanager
def _signals_end_the_run():
    """SIGTERM (and SIGHUP) raise SystemExit in the main thread, so the run's clean-up runs as for Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def end(signum, frame):
        raise SystemExit(128 + signum)

    previous = {s: signal.signal(s, end) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


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


def collect_parameters(
    pairs: list[tuple[str, str]] | list[list[str]] = (),
    parameters_file: Path | None = None,
    data_dir: str | None = None,
) -> dict:
    """The parameters to pass, from the file, then ``-p`` pairs, then ``--data-dir``; names checked.

    An unknown name raises :class:`UsageError` naming it (and the file it came
    from); ``data_dir`` is made absolute against the current directory.
    """
    from helpers.reader.params import DEFAULTS

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
    if params.get("city_dir"):  # a folder given on the command line is read from where the command runs
        params["city_dir"] = str(Path(str(params["city_dir"])).resolve())
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
        raise UsageError(
            f"parameters file {path}: expected a mapping of parameter names to values, got {type(data).__name__}"
        )
    for name, value in data.items():
        if name not in known:
            raise UsageError(f"parameters file {path}: unknown parameter {name!r}; known: {', '.join(known)}")
        if isinstance(value, (dict, list)):
            raise UsageError(
                f"parameters file {path}: parameter {name}: expected a single value, got {type(value).__name__}"
            )
    return dict(data)


def context_parameters(parameters: dict, notebooks: list[Path]) -> dict:
    """The parameters as the notebooks see them, for :func:`helpers.reader.params.setup` in this process.

    A ``data_dir`` left at its default is read, as the notebooks read it,
    relative to the (first) notebook's folder.
    """
    from helpers.reader.params import DEFAULTS

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


# ---- one run per output ------------------------------------------------------------------------

#: The lock's file descriptor while this process holds it (closed in forked workers).
_held_lock: list[int] = []


@contextlib.contextmanager
def output_lock(out: Path, wait: float | None = None):
    """Hold ``OUT/.lock`` (``fcntl.flock``, exclusive) for the block; the kernel releases it if the process dies.

    Held by another run: :class:`OutputBusy` naming it (PID, start time, command) at once, or after
    ``wait`` seconds of waiting.  The lock file records its holder; stale folders of dead runs are
    removed once the lock is taken (:func:`clean_stale`).
    """
    import fcntl

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is None or time.monotonic() >= deadline:
                    waited = "" if wait is None else f" after waiting {wait:g} s"
                    raise OutputBusy(
                        f"{shown(out)} is in use by another run ({_holder(fd)}){waited}; "
                        "wait for it with --wait, or choose another --out"
                    ) from None
                time.sleep(0.1)  # flock has no timeout of its own: poll until the deadline
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "started": _now(), "argv": sys.argv}).encode(), 0)
        _held_lock.append(fd)
        clean_stale(out)
        try:
            yield out
        finally:
            _held_lock.remove(fd)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 65536, 0) or b"{}")
        return f"PID {info['pid']}, started {info['started']}: {' '.join(info.get('argv', []))}"
    except (ValueError, KeyError, OSError):
        return "a run that has not yet said who it is"


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())


def clean_stale(out: Path) -> list[Path]:
    """Remove what dead runs left: staging folders in OUT (this run holds its lock, so none is in use), this
    program's socket folders in the temp dir and its TCP kernels' connection files in Jupyter's runtime dir
    whose PID no longer runs.  Returns what was removed."""
    removed = []
    for path in Path(out).iterdir():
        if path.name.startswith(STALE_IN_OUT):
            _remove(path)
            removed.append(path)
    for folder, pattern in ((tempfile.gettempdir, _TMP_NAME), (_runtime_dir, _RUNTIME_NAME)):
        with contextlib.suppress(OSError):
            for path in Path(folder()).iterdir():
                m = pattern.match(path.name)
                if m and not _alive(int(m.group(1))) and path.lstat().st_uid == os.getuid():
                    _remove(path)
                    removed.append(path)
    return removed


def _runtime_dir() -> str:
    from jupyter_core.paths import jupyter_runtime_dir

    return jupyter_runtime_dir()


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped by whoever adopted it, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # not Linux, or gone meanwhile: kill(0) said it was there
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def _remove(path: Path) -> None:
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# ---- no work twice -------------------------------------------------------------------------------


def _digest_files(files, base: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(str(Path(f).relative_to(base)).encode() + b"\0")
        h.update(hashlib.sha256(Path(f).read_bytes()).digest())
    return h.hexdigest()


def helpers_digest() -> str:
    """The helpers package's source (every file the package installs)."""
    files = [p for p in HELPERS_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".json", ".mplstyle")]
    return _digest_files(files, HELPERS_DIR)


def package_digest(data_dir: Path) -> str:
    """Every file of the data package folder (missing folder: a digest of nothing; the run then fails)."""
    data_dir = Path(data_dir)
    files = [p for p in data_dir.rglob("*") if p.is_file()] if data_dir.is_dir() else []
    return _digest_files(files, data_dir)


def job_key(notebook: Path, parameters: dict, package: str, helpers: str, lock: str) -> str:
    """The content key of one execution: the notebook's bytes, its parameters, the digests of the data
    package, the helpers source and requirements.lock, and the Python version (sha256, hex)."""
    h = hashlib.sha256()
    for part in (
        Path(notebook).read_bytes(),
        json.dumps(parameters, sort_keys=True, default=str).encode(),
        package.encode(),
        helpers.encode(),
        lock.encode(),
        sys.version.encode(),
    ):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def lock_digest() -> str:
    return hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest() if LOCK_FILE.is_file() else ""


# ---- executing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Every timeout of a run, in seconds."""

    timeout: int | None = 600  # one cell
    start_timeout: int = 180  # one kernel's start
    worker_timeout: int = 3600  # one notebook's worker, all cells


@dataclass(frozen=True)
class Job:
    """One execution: a notebook, its parameters, where the executed notebook goes."""

    source: Path
    output: Path
    parameters: dict = field(default_factory=dict)
    lang: str | None = None
    key: str | None = None

    @property
    def label(self) -> str:
        return f"{self.lang}/{self.source.name}" if self.lang else self.source.name


@dataclass(frozen=True)
class Result:
    """How one notebook's execution went."""

    source: Path  # the notebook as committed
    output: Path  # the executed notebook
    seconds: float
    error: str | None = None  # "cell 3 (`x = 1/0`): ZeroDivisionError: division by zero"
    lang: str | None = None
    cell_source: str | None = None  # the failing cell's source
    last_output: str | None = None  # the failing cell's last output, as text
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    def describe(self) -> str:
        """One line: the notebook (and language) and what went wrong."""
        lang = f" [{self.lang}]" if self.lang else ""
        return f"{shown(self.source)}{lang}, {self.error}"

    def details(self) -> list[str]:
        """The failing cell's source and last output, indented, for the failure report."""
        lines = []
        if self.cell_source:
            lines += ["cell source:", *("  | " + line for line in self.cell_source.splitlines())]
        if self.last_output:
            lines += ["last output:", *("  | " + line for line in self.last_output.splitlines()[-10:])]
        return lines


@dataclass
class Transport:
    """How kernels talk to their worker: IPC sockets in ``folder``, or TCP on 127.0.0.1 (folder None)."""

    folder: Path | None
    note: str = ""

    def config(self, index: int):
        from traitlets.config import Config

        if self.folder is None:  # the connection file in Jupyter's runtime dir (jupyter_client's default: TMPDIR)
            from jupyter_core.paths import jupyter_runtime_dir

            runtime = Path(jupyter_runtime_dir())
            runtime.mkdir(parents=True, exist_ok=True)
            name = f"{RUNTIME_PREFIX}{os.getpid()}-{index}-{os.urandom(4).hex()}.json"
            return Config(
                {"KernelManager": {"transport": "tcp", "ip": "127.0.0.1", "connection_file": str(runtime / name)}}
            )
        return Config(
            {
                "KernelManager": {
                    "transport": "ipc",
                    "ip": str(self.folder / f"k{index}"),
                    "connection_file": str(self.folder / f"k{index}.json"),
                }
            }
        )


def kernel_transport() -> Transport:
    """A folder of this run under the temp dir for the kernels' sockets, or TCP when there is none.

    TCP is used, and ``note`` says why, when the temp dir is not writable or when its socket paths would
    pass :data:`IPC_PATH_MAX` characters (ZMQ fails with "File name too long").
    """
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-"))
    except OSError as e:
        return Transport(
            None, f"temp dir {tempfile.gettempdir()} is not usable ({e.strerror}): kernels use TCP on 127.0.0.1"
        )
    longest = len(str(folder / "k9999")) + len("-99")
    if longest > IPC_PATH_MAX:
        folder.rmdir()
        return Transport(
            None,
            f"kernel socket paths under {tempfile.gettempdir()} would be {longest} characters "
            f"(more than {IPC_PATH_MAX}): kernels use TCP on 127.0.0.1",
        )
    return Transport(folder)


_MANAGER = []


def kernel_manager_class():
    """jupyter_client's AsyncKernelManager, its kernel command prefixed so that the kernel dies with its worker.

    Only the public ``format_kernel_cmd`` is overridden: the command becomes
    ``python -c <set PR_SET_PDEATHSIG, exec> WORKER_PID <kernel command>``.
    """
    if not _MANAGER:
        from jupyter_client.manager import AsyncKernelManager

        class DiesWithParent(AsyncKernelManager):
            def format_kernel_cmd(self, extra_arguments=None):
                cmd = super().format_kernel_cmd(extra_arguments)
                return [sys.executable, "-c", _DIE_WITH_PARENT, str(os.getpid()), *cmd]

        _MANAGER.append(DiesWithParent)
    return _MANAGER[0]


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (PR_SET_PDEATHSIG); exit if it already has."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def execute_one(job: Job, settings: Settings, transport: Transport, index: int = 0) -> Result:
    """Execute one notebook with papermill (in a worker process); never raises.

    The kernel runs in the notebook's own folder; papermill writes the executed notebook to
    ``job.output`` also when a cell fails.  The cell being executed is remembered (nbclient's
    ``on_cell_execute`` hook), so that a kernel that dies or a cell that times out is reported with
    the cell's index in the source notebook, its source and its last output.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    current: dict = {}
    error = None
    try:
        papermill.execute_notebook(
            str(job.source),
            str(job.output),
            parameters=job.parameters or None,
            cwd=str(job.source.parent),
            kernel_name=KERNEL_NAME,
            language="python",
            progress_bar=False,
            log_output=False,
            start_timeout=settings.start_timeout,
            execution_timeout=settings.timeout,
            config=transport.config(index),
            kernel_manager_class=kernel_manager_class(),
            on_cell_execute=lambda cell, cell_index: current.update(cell=cell, index=cell_index),
        )
    except PapermillExecutionError as e:
        error = (
            f"{locate_cell(job.source, job.output, e.cell_index, e.source)}: {e.ename}: "
            f"{_first_line(e.evalue) or '(no message)'}"
        )
    except Exception as e:  # a cell that timed out, a kernel that died or did not start, a notebook not JSON...
        message = f"{type(e).__name__}: {_first_line(str(e)) or '(no message)'}"
        if "index" not in current:
            message += " (before any cell ran)"
        where = _running_cell(job.source, current) or locate_cell(job.source, job.output)
        error = f"{where}: {message}" if where else message
    cell = current.get("cell") if error else None
    return Result(
        job.source,
        job.output,
        time.perf_counter() - start,
        error,
        job.lang,
        cell_source=cell.get("source") if cell is not None else None,
        last_output=_output_text(cell) if cell is not None else None,
    )


def _running_cell(source: Path, current: dict) -> str:
    """``cell N (`first line`)`` for the cell nbclient was executing, N counted in the source notebook."""
    cell = current.get("cell")
    if cell is None:
        return ""
    try:
        ids = [c.get("id") for c in read_notebook(source).cells]
    except Exception:
        ids = []
    index = ids.index(cell.get("id")) if cell.get("id") in ids else current["index"]
    first = _first_line(cell.get("source", ""))
    return f"cell {index}" + (f" (`{first}`)" if first else "")


def _output_text(cell) -> str | None:
    """The cell's last output as text (stream text, an error's name and value, or a text/plain repr)."""
    outputs = cell.get("outputs") or []
    if not outputs:
        return None
    out = outputs[-1]
    kind = out.get("output_type")
    if kind == "stream":
        text = out.get("text", "")
    elif kind == "error":
        text = f"{out.get('ename')}: {out.get('evalue')}"
    else:
        text = out.get("data", {}).get("text/plain", f"({kind})")
    text = "".join(text) if isinstance(text, list) else str(text)
    return text[-2000:].rstrip("\n") or None


def _worker(job: Job, settings: Settings, transport: Transport, index: int, parent: int, conn) -> None:
    """A forked worker: dies with the runner, holds no copy of its lock, executes one job, sends the Result."""
    die_with_parent(parent)
    for fd in _held_lock:
        with contextlib.suppress(OSError):
            os.close(fd)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the runner ends the workers
    conn.send(execute_one(job, settings, transport, index))
    conn.close()


def execute_all(
    jobs: list[Job],
    workers: int = 1,
    settings: Settings = Settings(),
    on_done=None,
    while_running=None,
    transport: Transport | None = None,
) -> list[Result]:
    """Execute ``jobs`` in at most ``workers`` forked processes at once; results in input order.

    Each job runs in a process of its own, watched through its sentinel and its result pipe: a worker
    that dies gives an error naming its exit status, one that runs past ``settings.worker_timeout`` is
    killed (its kernel with it).  ``on_done(result)`` is called in this process as each job finishes;
    ``while_running()`` once the first workers are started.  Every worker still running when this
    returns or raises (SIGTERM, Ctrl-C) is killed and reaped.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    _quiet_imports()
    import papermill  # noqa: F401  imported once here, inherited by the forked workers

    own_transport = transport is None
    transport = kernel_transport() if own_transport else transport
    if transport.note:
        say(f"note: {transport.note}")
    ctx = multiprocessing.get_context("fork")
    pending = list(enumerate(jobs))
    running: dict = {}  # reader -> (process, job, deadline, started)
    results: dict[int, Result] = {}
    called = False
    started_pids: set[int] = set()
    try:
        for job in jobs:
            job.output.parent.mkdir(parents=True, exist_ok=True)
        while pending or running:
            while pending and len(running) < max(1, workers):
                index, job = pending.pop(0)
                reader, writer = ctx.Pipe(duplex=False)
                proc = ctx.Process(
                    target=_worker,
                    args=(job, settings, transport, index, os.getpid(), writer),
                    name=f"helpers-run {job.label}",
                    daemon=True,
                )
                proc.start()
                started_pids.add(proc.pid)
                writer.close()
                now = time.monotonic()
                running[reader] = (proc, index, job, now + settings.worker_timeout, now)
            if while_running is not None and not called:
                called = True
                while_running()
            deadline = min(entry[3] for entry in running.values())
            ready = wait(
                [*running, *(e[0].sentinel for e in running.values())], timeout=max(0.0, deadline - time.monotonic())
            )
            for reader in list(running):
                proc, index, job, deadline, started = running[reader]
                result = None
                if reader in ready or proc.sentinel in ready:
                    try:
                        result = reader.recv() if reader.poll() else None
                    except (EOFError, OSError):
                        result = None
                    if result is None:
                        proc.join(5)
                        result = Result(
                            job.source,
                            job.output,
                            time.monotonic() - started,
                            f"the worker process died ({_exit_status(proc.exitcode)})",
                            job.lang,
                        )
                elif time.monotonic() >= deadline:
                    proc.kill()
                    result = Result(
                        job.source,
                        job.output,
                        time.monotonic() - started,
                        f"did not finish within --worker-timeout {settings.worker_timeout} s; "
                        "its worker and kernel were killed",
                        job.lang,
                    )
                if result is None:
                    continue
                del running[reader]
                reader.close()
                proc.join(5)
                if proc.is_alive():
                    proc.kill()
                    proc.join(5)
                results[index] = result
                print(f"{result.seconds:7.1f} s  {job.label}  {'ok' if result.ok else 'FAILED'}", flush=True)
                if on_done is not None:
                    on_done(result)
    finally:
        for proc, *_ in running.values():
            proc.kill()
        for reader, (proc, *_) in running.items():
            proc.join(5)
            reader.close()
        if own_transport and transport.folder is not None:
            _remove(transport.folder)
        if transport.folder is None:  # TCP kernels of killed workers leave their connection files
            with contextlib.suppress(OSError):
                for path in Path(_runtime_dir()).glob(f"{RUNTIME_PREFIX}*.json"):
                    m = _RUNTIME_NAME.match(path.name)
                    if m and int(m.group(1)) in started_pids:
                        _remove(path)
    return [results[i] for i in range(len(jobs))]


def _exit_status(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"


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
    return bool(
        marks.get("exception")
        or marks.get("status") in ("failed", "running")
        or ("iopub.execute_input" in timing and "shell.execute_reply" not in timing)
        or any(o.get("output_type") == "error" for o in cell.get("outputs", []))
    )


def _first_line(text: str) -> str:
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), "")


def _quiet_imports() -> None:
    """Skip jsonschema's optional IRI format checker in this process.

    ``rfc3987_syntax`` compiles a Lark grammar when imported (1.6 s here), and
    nbformat imports jsonschema, which imports it; nbformat never validates IRIs.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


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

OUTPUTS = ("notebooks", "site", "derived.csv", "checks.csv")


def plan(notebooks: list[Path], parameters: dict, langs: tuple[str, ...], stage: Path) -> tuple[list[Job], dict]:
    """One :class:`Job` per (language, notebook), with its content key; and every key of the run by name
    (``zh/01_x.ipynb`` for each job, ``tables`` for the CSVs)."""
    from helpers.reader.params import DEFAULTS

    helpers, lock = helpers_digest(), lock_digest()
    packages: dict[Path, str] = {}

    def package(data_dir: Path) -> str:
        if data_dir not in packages:
            packages[data_dir] = package_digest(data_dir)
        return packages[data_dir]

    jobs, keys = [], {}
    for lang in langs:
        for nb in notebooks:
            params = {**parameters, "lang": lang}
            data_dir = Path(params.get("data_dir") or (nb.parent / str(DEFAULTS["data_dir"]))).resolve()
            key = job_key(nb, params, package(data_dir), helpers, lock)
            job = Job(nb, stage / "notebooks" / lang / nb.name, params, lang, key)
            jobs.append(job)
            keys[job.label] = key
    table_params = context_parameters({**parameters, "lang": langs[0]}, notebooks)
    h = hashlib.sha256(json.dumps(table_params, sort_keys=True, default=str).encode())
    for part in (package(Path(table_params["data_dir"])), helpers, lock, sys.version):
        h.update(part.encode())
    keys["tables"] = h.hexdigest()
    return jobs, keys


def read_state(out: Path) -> dict:
    """What the published output in OUT was made from (``{}`` when unknown)."""
    try:
        return json.loads((Path(out) / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build(
    notebooks: list[Path],
    out: Path,
    parameters: dict,
    langs: tuple[str, ...] = DEFAULT_LANGS,
    jobs: int = 1,
    settings: Settings = Settings(),
    force: bool = False,
) -> int:
    """Execute (what changed), clean, render, tabulate and publish together; the exit code of ``run``.

    The caller holds OUT's lock (:func:`output_lock`).
    """
    out = Path(out).resolve()
    started = time.perf_counter()
    stage = out / f"{STAGE_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
    todo, keys = plan(notebooks, parameters, tuple(langs), stage)
    state = read_state(out)
    if not force and state.get("keys") == keys and all((out / name).exists() for name in OUTPUTS):
        print(
            f"nothing changed since the run of {state.get('finished', '?')}: {shown(out)} is up to date "
            f"({len(todo)} notebooks, {time.perf_counter() - started:.2f} s)"
        )
        return EXIT_OK

    from helpers.core.package import PackageError
    from helpers.reader.params import ParameterError, setup

    _quiet_imports()
    site_parameters = context_parameters({**parameters, "lang": langs[0]}, notebooks)
    try:
        ctx = setup(**site_parameters)
    except (ParameterError, PackageError) as e:
        print(f"python -m helpers run: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    cache = out / CACHE_NAME
    cache.mkdir(exist_ok=True)
    stage.mkdir()
    try:
        return _build(
            notebooks, out, stage, cache, ctx, site_parameters, todo, keys, state, langs, jobs, settings, force, started
        )
    finally:
        _remove(stage)


def _build(
    notebooks, out, stage, cache, ctx, site_parameters, todo, keys, state, langs, jobs, settings, force, started
) -> int:
    failures: list[str] = []
    reports: list[list[str]] = []
    results: dict[str, Result] = {}
    to_run = []
    for job in todo:
        cached = cache / f"{job.key}.ipynb"
        if not force and cached.is_file():
            job.output.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, job.output)
            results[job.label] = Result(job.source, job.output, 0.0, lang=job.lang, cached=True)
        else:
            to_run.append(job)
    print(
        f"{len(to_run)} of {len(todo)} notebook executions needed "
        f"({len(todo) - len(to_run)} unchanged, taken from {shown(cache)})",
        flush=True,
    )

    tables_same = (
        not force
        and state.get("keys", {}).get("tables") == keys["tables"]
        and all((out / f"{name}.csv").is_file() for name in ("derived", "checks"))
    )

    def tables() -> None:
        """The CSV tables: the published ones when their inputs did not change, else computed here."""
        for name, frame in (("derived", "derived_frame"), ("checks", "checks_frame")):
            target = stage / f"{name}.csv"
            try:
                if tables_same:
                    shutil.copyfile(out / f"{name}.csv", target)
                else:
                    write_table(ctx, frame, target)
            except Exception as e:
                failures.append(f"{name}.csv: helpers.reader.tables.{frame} failed: {type(e).__name__}: {e}")
                reports.append([])
                say(f"FAILED {failures[-1]}")

    by_output = {job.output: job for job in to_run}

    def done(result: Result) -> None:
        job = by_output[result.output]
        nb = clean_file(result.output)
        results[job.label] = result
        if not result.ok:
            failures.append(result.describe())
            reports.append(result.details())
            say(f"FAILED {result.describe()}")
        elif nb is not None:
            write_atomic(cache / f"{job.key}.ipynb", result.output.read_bytes())

    jobs = max(1, min(jobs, len(to_run)))
    if to_run:
        execute_all(to_run, workers=jobs, settings=settings, on_done=done, while_running=tables)
    else:
        tables()
    if not failures:
        executed = {lang: [stage / "notebooks" / lang / nb.name for nb in notebooks] for lang in langs}
        (stage / "site").mkdir()
        try:
            _render_site(
                executed,
                stage / "site",
                work_dir=out / CACHE_NAME / "site",
                downloads=[stage / "derived.csv", stage / "checks.csv", Path(ctx.data_dir) / "figures.csv"],
                parameters=shown_parameters(site_parameters),
            )
        except Exception as e:
            failures.append(f"site: rendering failed: {type(e).__name__}: {e}")
            reports.append([])
    n_ok = sum(r.ok for r in results.values())
    elapsed = time.perf_counter() - started
    if failures:
        failed = out / FAILED_NAME
        _remove(failed)
        os.rename(stage, failed)
        print(f"{n_ok} of {len(todo)} notebooks ok in {elapsed:.1f} s with {jobs} worker(s)")
        print(f"{len(failures)} failure(s):", file=sys.stderr)
        for line, detail in zip(failures, reports):
            print(f"  {line}", file=sys.stderr)
            for extra in detail:
                print(f"    {extra}", file=sys.stderr)
        print(
            f"the published output in {shown(out)} was left as it was; this run's notebooks and tables are in "
            f"{shown(failed)}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    publish_run(stage, out, keys)
    _remove(out / FAILED_NAME)  # stale: this run succeeded
    print(f"{n_ok} of {len(todo)} notebooks ok ({len(to_run)} executed) in {elapsed:.1f} s with {jobs} worker(s)")
    print(
        f"site: {shown(out / 'site' / 'index.html')}; notebooks: {shown(out / 'notebooks')}; tables: "
        f"{shown(out / 'derived.csv')}, {shown(out / 'checks.csv')}"
    )
    return EXIT_OK


def publish_run(stage: Path, out: Path, keys: dict) -> None:
    """Move the staged notebooks, site and tables into OUT (renames on one file system), then record the
    keys they were made from; the cache keeps only this run's notebooks."""
    state = out / STATE_NAME
    with contextlib.suppress(FileNotFoundError):
        state.unlink()  # until the new state is written, a next run rebuilds rather than trust a mix
    for name in OUTPUTS:
        target, new = out / name, stage / name
        if target.exists():
            os.rename(target, stage / f"old-{name}")
        os.rename(new, target)
    write_atomic(state, json.dumps({"finished": _now(), "pid": os.getpid(), "keys": keys}, indent=1).encode())
    wanted = {f"{key}.ipynb" for key in keys.values()}
    for path in (out / CACHE_NAME).glob("*.ipynb"):
        if path.name not in wanted:
            _remove(path)


def _render_site(
    executed: dict[str, list[Path]],
    dest: Path,
    *,
    work_dir: Path,
    downloads: list[Path] = (),
    parameters: dict | None = None,
) -> None:
    """Render the site into ``dest`` (an empty folder) from the executed notebooks: the one call to the site.

    :func:`helpers.build.site.render` writes ``dest/zh/``, ``dest/en/`` (the languages executed) and
    ``dest/index.html``; ``work_dir`` keeps Sphinx's state between runs, so unchanged pages are not
    rendered again.
    """
    from helpers.build import site

    site.render(executed, dest, work_dir=work_dir, downloads=downloads, parameters=parameters)


def shown_parameters(parameters: dict) -> dict:
    """The run's parameters as each page's foot shows them: every known parameter but ``lang`` (the page's
    language says it), with paths inside the repository relative to it and others by their folder name, so
    that no machine path reaches a reader."""
    from helpers.reader.params import DEFAULTS

    shown_params = {}
    for name, default in DEFAULTS.items():
        if name == "lang":
            continue
        value = parameters.get(name, default)
        if name in ("data_dir", "city_dir", "report") and value:
            path = Path(str(value))
            if path.is_absolute():
                try:
                    value = str(path.resolve().relative_to(REPO))
                except ValueError:
                    value = path.name
        shown_params[name] = value
    return shown_params


def refresh(notebooks: list[Path], out: Path, jobs: int = 1, settings: Settings = Settings()) -> int:
    """Re-execute the committed notebooks with default parameters; write back those that succeeded.

    Each executes into a staging folder of OUT; a successful one is cleaned and replaces its source
    (only if its bytes changed); a failed one leaves its source untouched and is kept in
    ``OUT/failed/notebooks/`` for inspection.
    """
    out = Path(out).resolve()
    stage = out / f"{STAGE_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
    failures: list[str] = []
    reports: list[list[str]] = []
    changed: list[Path] = []

    def done(result: Result) -> None:
        nb = clean_file(result.output)
        if not result.ok or nb is None:
            failures.append(result.describe() if not result.ok else f"{shown(result.source)}: unreadable output")
            reports.append(result.details())
            say(f"FAILED {failures[-1]}; {shown(result.source)} left as it was")
            return
        data = notebook_bytes(nb)
        if result.source.read_bytes() != data:
            write_atomic(result.source, data)
            changed.append(result.source)

    started = time.perf_counter()
    todo = [Job(nb, stage / "notebooks" / nb.name) for nb in notebooks]
    try:
        results = execute_all(todo, workers=min(jobs, len(todo)), settings=settings, on_done=done)
        if failures:
            failed = out / FAILED_NAME
            _remove(failed)
            os.rename(stage, failed)
    finally:
        _remove(stage)
    print(
        f"{sum(r.ok for r in results)} of {len(results)} notebooks refreshed in "
        f"{time.perf_counter() - started:.1f} s; {len(changed)} changed"
        + (f": {', '.join(shown(p) for p in changed)}" if changed else "")
    )
    if failures:
        print(f"{len(failures)} failure(s):", file=sys.stderr)
        for line, detail in zip(failures, reports):
            print(f"  {line}", file=sys.stderr)
            for extra in detail:
                print(f"    {extra}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def write_table(ctx, function: str, path: Path) -> None:
    """``helpers.reader.tables.<function>(ctx)`` as UTF-8 CSV at ``path`` (written atomically)."""
    import importlib

    tables = importlib.import_module("helpers.reader.tables")
    frame = getattr(tables, function)(ctx)
    text = frame.to_csv(index=False, lineterminator="\n")
    write_atomic(path, text.encode("utf-8"))


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
