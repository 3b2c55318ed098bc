"""``python -m helpers run``: execute the notebook collection per language, render the site, write the tables.

One command builds everything a reader gets (``make report``)::

    OUT/notebooks/<lang>/NN_name.ipynb  each notebook executed with papermill per language, metadata cleaned
    OUT/site/index.html                 the site (see :func:`helpers.build.modes._render_site`)
    OUT/derived.csv, OUT/checks.csv     helpers.reader.tables.derived_frame(ctx), checks_frame(ctx)

The run holds an OS file lock on ``OUT/.lock`` (``fcntl.flock``, released by the kernel however the process
ends); a second run on the same OUT fails at once naming the running one, or waits with ``--wait``.  Every
output of a run is built in a staging folder ``OUT/.run-PID-*`` and published together at the end, so that
OUT holds one run's notebooks, site and tables; a run that fails leaves the published output as it was and
puts what it built in ``OUT/failed/``.

Notebooks execute in worker processes (forked, ``--jobs`` of them), each running notebook after notebook in
a warm kernel reset between them (:mod:`.kernels`; ``--fresh-kernels``: a kernel per notebook), which
talks over Unix sockets in a run folder under the temp dir, or over TCP on 127.0.0.1 when that folder cannot
be made or its socket paths would be too long (said once).  Every wait has a timeout: kernel start
(``--start-timeout``), each cell (``--timeout``), each notebook's worker (``--worker-timeout``).  Nothing
outlives the run: workers and kernels get a parent-death signal (``PR_SET_PDEATHSIG``, SIGKILL), SIGTERM
and SIGINT end the run through its clean-up, and the folders of a run killed outright are removed at the
next start.

Nothing is done twice: each (notebook, language) has a content key (:func:`.cache.job_key`: the notebook, the
data package files, the helpers source, the parameters, the lock file, the Python version); an executed
notebook whose key is in ``OUT/.cache/`` is reused instead of executed (``--force`` executes all), and a run
whose keys all equal the published run's does nothing at all (it imports no papermill, nbconvert or pandas).

``--refresh`` (``make notebooks``) re-executes the committed notebooks with their default parameters and
writes each back in place, cleaned by :func:`.clean.clean`, only when it executed without error, so that a
refresh without changes leaves ``git diff`` empty.

The command is made of these modules, each owning one job: :mod:`.cli` (the command line and its
parameters), :mod:`.settings` (the run's settings, resolved once), :mod:`.workers` (executing notebooks),
:mod:`.kernels` (their kernels), :mod:`.clean` (cleaning them), :mod:`.cache` (content keys),
:mod:`.publish` (the output folder: lock, staging, publishing, stale folders) and :mod:`.modes` (build and
refresh, and their report).  This module
is the entry: :func:`register` for ``python -m helpers``, :func:`main` on its own, :func:`run_command`.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from helpers.build import cli, modes
from helpers.build.publish import OutputBusy, OutputProblem, check_out, output_lock
from helpers.build.settings import EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError

__all__ = ["EXIT_BUSY", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "main", "register", "run_command"]


def register(sub: Any) -> None:
    """Add the ``run`` subcommand to ``python -m helpers``."""
    cli.add_parser(sub).set_defaults(func=run_command)


def main(argv: list[str] | None = None) -> int:
    """``run`` on its own: ``main(["--out", "build"])`` is ``python -m helpers run --out build``."""
    parser = argparse.ArgumentParser(prog="python -m helpers")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["run", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


def run_command(args: argparse.Namespace) -> int:
    """The ``run`` subcommand; returns the exit code."""
    try:
        settings = cli.settings_from(args)
    except UsageError as e:
        print(f"python -m helpers run: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    try:
        check_out(settings.out)
    except OutputProblem as e:
        print(f"python -m helpers run: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    with _signals_end_the_run():
        try:
            with output_lock(settings.out, wait=settings.wait):
                if settings.pages:  # generic walkthroughs are written under the lock, into OUT/generated/
                    from helpers.build import story

                    try:
                        written = story.materialise(settings.pages, settings.out / "generated")
                        settings = settings.with_notebooks(written)
                    except (story.StoryError, OSError) as e:
                        print(f"python -m helpers run: error: {e}", file=sys.stderr)
                        return EXIT_USAGE
                return modes.refresh(settings) if settings.refresh else modes.build(settings)
        except OutputBusy as e:
            print(f"python -m helpers run: error: {e}", file=sys.stderr)
            return EXIT_BUSY
        except OSError as e:  # the disk filled, or OUT became unwritable, mid-run: one line, not a traceback
            where = f" ({e.filename})" if e.filename else ""
            print(
                f"python -m helpers run: error: writing into {settings.out}{where}: {e.strerror or e}; "
                "the published output was left as it was",
                file=sys.stderr,
            )
            return EXIT_FAILED


@contextlib.contextmanager
def _signals_end_the_run() -> Iterator[None]:
    """SIGTERM (and SIGHUP) raise SystemExit in the main thread, so the run's clean-up runs as for Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def end(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {s: signal.signal(s, end) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
