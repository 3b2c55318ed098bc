"""Executing notebooks: forked worker processes running notebook after notebook, every timeout, where it failed.

Owns :func:`execute_all` (at most N workers at once, each watched through its sentinel, result pipe and
its job's deadline, none outliving the call; their warm kernels forked from one zygote the call shares with them,
:mod:`helpers.build.kernelfork`), :func:`execute_one` (papermill in a worker's kernel, see
:mod:`helpers.build.kernels`), the kernels' transport (:func:`kernel_transport`: IPC sockets in a run
folder of the temp dir, or TCP), and the failing cell's location (:func:`locate_cell`).
A :class:`Job` is one execution of a notebook file in one language; its :class:`Result` says how it went.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from helpers.build.clean import ERROR_MARKER_TAG, INJECTED_TAG, KERNELSPEC, Notebook, quiet_imports, read_notebook
from helpers.build.kernels import Kernel, Transport, compile_helpers, kernel_transport
from helpers.build.publish import RUNTIME_NAME, RUNTIME_PREFIX, held_locks, remove, runtime_dir
from helpers.build.settings import Timeouts
from helpers.core.files import shown

KERNEL_NAME = KERNELSPEC["name"]


@dataclass(frozen=True)
class Job:
    """One execution of a notebook file (in one language): its parameters, where the executed notebook goes,
    and its content key (:func:`helpers.build.cache.job_key`)."""

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
    reused: bool = False  # executed in a warm kernel that had run another notebook, reset and proven clean

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


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (PR_SET_PDEATHSIG); exit if it already has."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def execute_one(job: Job, timeouts: Timeouts, kernel: Kernel, index: int = 0) -> Result:
    """Execute one notebook with papermill in ``kernel`` (in a worker process); never raises.

    The kernel runs in the notebook's own folder (:meth:`Kernel.ready`: a warm kernel reset and proven
    clean, or a new one); papermill writes the executed notebook to ``job.output`` once, at the end, also
    when a cell fails; a notebook stopped otherwise (a timeout, a dead kernel) is written as far as it ran.
    The cell being executed is remembered (nbclient's ``on_cell_execute`` hook), so that a kernel that dies
    or a cell that times out is reported with the cell's index in the source notebook, its source and its
    last output.  A kernel that could not start or be made ready fails the notebook "before any cell ran".
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    current: dict = {}
    error = None
    try:
        km = kernel.ready(job.source.parent, index)
        kernel.client()  # connected once per kernel: nbclient's km.client() returns it
        papermill.execute_notebook(
            str(job.source),
            str(job.output),
            parameters=job.parameters or None,
            cwd=str(job.source.parent),
            kernel_name=KERNEL_NAME,
            language="python",
            progress_bar=False,
            log_output=False,
            start_timeout=timeouts.start_timeout,
            execution_timeout=timeouts.timeout,
            km=km,
            request_save_on_cell_execute=False,  # written once at the end (or below), not at each cell's start and end
            on_notebook_start=lambda notebook: current.update(notebook=notebook),
            on_cell_execute=lambda cell, cell_index: current.update(cell=cell, index=cell_index),
        )
    except PapermillExecutionError as e:
        error = (
            f"{locate_cell(job.source, job.output, e.cell_index, e.source)}: {e.ename}: "
            f"{_first_line(e.evalue) or '(no message)'}"
        )
    except Exception as e:  # a cell that timed out, a kernel that died or did not start, a notebook not JSON...
        message = f"{type(e).__name__}: {_first_line(str(e)) or '(no message)'}"
        _write_partial(current.get("notebook"), job.output)
        if "index" not in current:
            message += " (before any cell ran)"
        where = _running_cell(job.source, current) or locate_cell(job.source, job.output)
        error = f"{where}: {message}" if where else message
    kernel.done(error is None)
    cell = current.get("cell") if error else None
    return Result(
        job.source,
        job.output,
        time.perf_counter() - start,
        error,
        job.lang,
        cell_source=cell.get("source") if cell is not None else None,
        last_output=_output_text(cell) if cell is not None else None,
        reused=kernel.last_reused,
    )


def _write_partial(nb: Notebook | None, output: Path) -> None:
    """The notebook as far as it ran, for inspection, when papermill stopped without writing it."""
    if nb is None or output.exists():
        return
    import nbformat

    with contextlib.suppress(Exception):
        nbformat.write(nb, str(output))


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


def _output_text(cell: Notebook) -> str | None:
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


def _worker(
    timeouts: Timeouts,
    transport: Transport,
    fresh: bool,
    parent: int,
    conn: Connection,
    warm: tuple[Path, int] | None,
    kernel_name: str = KERNEL_NAME,
) -> None:
    """A forked worker: dies with the runner, holds no copy of its lock, starts and warms its kernel at once
    (``warm``: the folder and kernel index to start it with; ``kernel_name``: the kernelspec it starts), then
    executes the jobs it is sent (``(index, job)``, None to stop) one after the other in that kernel, sends each
    Result back."""
    die_with_parent(parent)
    for fd in held_locks:
        with contextlib.suppress(OSError):
            os.close(fd)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the runner ends the workers
    kernel = Kernel(kernel_name, transport.config, timeouts.start_timeout, fresh=fresh)
    if warm is not None:
        kernel.prepare(*warm)
    try:
        while (sent := conn.recv()) is not None:
            index, job = sent
            conn.send(execute_one(job, timeouts, kernel, index))
    except EOFError:  # the runner is gone
        pass
    finally:
        kernel.close()
        conn.close()


@dataclass
class _Slot:
    """A running worker process, its pipe, and the job it is executing (None: idle)."""

    proc: Any
    conn: Connection
    job: tuple[int, Job] | None = None
    started: float = 0.0
    deadline: float = float("inf")


def execute_all(
    jobs: list[Job],
    workers: int = 1,
    timeouts: Timeouts = Timeouts(),
    on_done: Callable[[Result], None] | None = None,
    while_running: Callable[[], None] | None = None,
    transport: Transport | None = None,
    fresh_kernels: bool = False,
    gate: Callable[[], bool] | None = None,
) -> list[Result]:
    """Execute ``jobs`` in at most ``workers`` forked processes; results in input order.

    The workers are started first and start their kernels at once; ``gate()``, when given, runs here
    meanwhile (checks that decide whether anything is executed: validating the package) and, when it returns
    False, the workers are killed and nothing is executed (an empty list is returned).

    Each worker executes one job after another in a kernel it keeps warm between them
    (:class:`~helpers.build.kernels.Kernel`, forked from the zygote this call starts and shares with the workers,
    :func:`helpers.build.kernelfork.share_with_children`, and ends; ``fresh_kernels`` gives every job a new
    kernel, started as papermill starts one).  The
    runner watches each worker through its sentinel and its pipe: a worker that dies gives its job an
    error naming its exit status, one whose job runs past ``timeouts.worker_timeout`` is killed (its
    kernel with it); either is replaced by a new worker for the jobs left.  ``on_done(result)`` is called
    in this process as each job finishes; ``while_running()`` once the first workers are started.  Every
    worker is ended when this returns or raises (SIGTERM, Ctrl-C): asked to stop once no job is left for
    it (it shuts its kernel down) and waited for, killed otherwise.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    quiet_imports()
    import papermill  # noqa: F401  imported once here, inherited by the forked workers

    compile_helpers()  # every kernel then reads helpers' bytecode instead of compiling it for each notebook

    from helpers.build import kernelfork

    own_transport = transport is None
    kernels = kernel_transport() if transport is None else transport
    if kernels.note:
        say(f"note: {kernels.note}")
    # warm kernels are forked from one zygote that imports for every worker, its socket in the run's folder (fresh
    # ones start as papermill's would; so do all of a run whose kernels use TCP, having no folder)
    forked = not fresh_kernels and kernels.folder is not None and kernelfork.share_with_children(str(kernels.folder))
    kernel_name = kernelfork.NAME if forked else KERNEL_NAME
    ctx = multiprocessing.get_context("fork")
    pending = list(enumerate(jobs))
    slots: list[_Slot] = []
    stopping: list[_Slot] = []
    results: dict[int, Result] = {}
    called = False
    started_pids: set[int] = set()

    def new_slot() -> _Slot:
        # a worker's first kernel is started and warmed before its first job arrives, in the first job's folder,
        # with a kernel index no job has
        warm = (pending[0][1].source.parent, len(jobs) + len(started_pids)) if pending else None
        mine, theirs = ctx.Pipe(duplex=True)
        proc = ctx.Process(
            target=_worker,
            args=(timeouts, kernels, fresh_kernels, os.getpid(), theirs, warm, kernel_name),
            name="helpers-run worker",
            daemon=True,
        )
        proc.start()
        started_pids.add(proc.pid or 0)  # started: it has a PID
        theirs.close()
        return _Slot(proc, mine)

    def finished(slot: _Slot, result: Result) -> None:
        assert slot.job is not None
        index, job = slot.job
        slot.job = None
        results[index] = result
        print(f"{result.seconds:7.1f} s  {job.label}  {'ok' if result.ok else 'FAILED'}", flush=True)
        if on_done is not None:
            on_done(result)

    def end(slot: _Slot, kill: bool) -> None:
        """Kill a worker (joined here), or ask it to stop: it shuts its kernel down, :func:`join_stopping` waits."""
        slots.remove(slot)
        if kill:
            slot.proc.kill()
            slot.proc.join(5)
            slot.conn.close()
            return
        with contextlib.suppress(OSError):
            slot.conn.send(None)
        stopping.append(slot)

    def join_stopping(kill: bool) -> None:
        """Wait (``timeouts.start_timeout`` at most) for the workers asked to stop; kill those still there."""
        limit = time.monotonic() + (0 if kill else timeouts.start_timeout)
        for slot in stopping:
            slot.proc.join(max(0.0, limit - time.monotonic()))
            if slot.proc.is_alive():
                slot.proc.kill()
                slot.proc.join(5)
            slot.conn.close()
        stopping.clear()

    try:
        for job in jobs:
            job.output.parent.mkdir(parents=True, exist_ok=True)
        if gate is not None:
            while pending and len(slots) < max(1, workers):
                slots.append(new_slot())
            if not gate():
                return []  # the finally below kills the workers, their kernels with them
        while pending or any(s.job for s in slots):
            for slot in [s for s in slots if s.job is None]:
                if not pending:
                    end(slot, kill=False)  # nothing left for it: it shuts its kernel down and exits
            while pending and len(slots) < max(1, workers):
                slots.append(new_slot())
            for slot in slots:
                if slot.job is None and pending:
                    slot.job = pending.pop(0)
                    slot.conn.send(slot.job)
                    slot.started = time.monotonic()
                    slot.deadline = slot.started + timeouts.worker_timeout
            if while_running is not None and not called:
                called = True
                while_running()
            busy = [s for s in slots if s.job is not None]
            deadline = min(s.deadline for s in busy)
            ready = wait(
                [*(s.conn for s in busy), *(s.proc.sentinel for s in busy)],
                timeout=max(0.0, deadline - time.monotonic()),
            )
            for slot in busy:
                assert slot.job is not None
                job = slot.job[1]
                if slot.conn in ready or slot.proc.sentinel in ready:
                    try:
                        result = slot.conn.recv() if slot.conn.poll() else None
                    except (EOFError, OSError):
                        result = None
                    if result is not None:
                        finished(slot, result)
                        continue
                    slot.proc.join(5)
                    error = f"the worker process died ({exit_status(slot.proc.exitcode)})"
                elif time.monotonic() >= slot.deadline:
                    error = (
                        f"did not finish within --worker-timeout {timeouts.worker_timeout} s; "
                        "its worker and kernel were killed"
                    )
                else:
                    continue
                end(slot, kill=True)
                finished(slot, Result(job.source, job.output, time.monotonic() - slot.started, error, job.lang))
        for slot in list(slots):
            end(slot, kill=False)
        join_stopping(kill=False)
    finally:
        for slot in list(slots):
            end(slot, kill=True)
        join_stopping(kill=True)
        if forked:
            kernelfork.stop()
        if own_transport and kernels.folder is not None:
            remove(kernels.folder)
        if kernels.folder is None:  # TCP kernels of killed workers leave their connection files
            with contextlib.suppress(OSError):
                for path in Path(runtime_dir()).glob(f"{RUNTIME_PREFIX}*.json"):
                    m = RUNTIME_NAME.match(path.name)
                    if m and int(m.group(1)) in started_pids:
                        remove(path)
    return [results[i] for i in range(len(jobs))]


def exit_status(code: int | None) -> str:
    """A process's exit code in words: ``exit status 3``, ``killed by SIGKILL``, ``still running``."""
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


def _failed_or_running(cell: Notebook) -> bool:
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


def say(text: str) -> None:
    """A line on stderr that does not break the progress bar."""
    from tqdm import tqdm

    tqdm.write(text, file=sys.stderr)
