"""The output folder: one run at a time, built aside and published together, nothing left behind.

Owns the names inside OUT, its lock (:func:`output_lock`, :class:`OutputBusy`), the staging folder a run
builds in (:func:`new_stage`), publishing it (:func:`publish_run`, :func:`read_state`) or keeping a failed
one (:func:`keep_failed`), and removing what dead runs left (:func:`clean_stale`): staging folders in OUT,
kernel socket folders in the temp dir and TCP kernels' connection files in Jupyter's runtime dir, whose
names (:data:`TMP_PREFIX`, :data:`RUNTIME_PREFIX`) the workers use.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from helpers.core.files import atomic_write, shown

#: Names inside OUT.
LOCK_NAME, STATE_NAME, CACHE_NAME, FAILED_NAME = ".lock", ".published.json", ".cache", "failed"
#: What a run publishes in OUT, together.
OUTPUTS = ("notebooks", "site", "derived.csv", "checks.csv", "figures.csv")
STAGE_PREFIX = ".run-"
#: Folders a run makes and removes; one left by a dead run is removed at the next start.
STALE_IN_OUT = (STAGE_PREFIX, ".site.new-", ".site.old-", ".old-")
#: A run's folder for its kernels' sockets, under the temp dir, named by the runner's PID.
TMP_PREFIX = "helpers-run-"
_TMP_NAME = re.compile(rf"^{TMP_PREFIX}(\d+)-")
#: Connection files of TCP kernels, in Jupyter's runtime dir, named by the worker's PID.
RUNTIME_PREFIX = "kernel-helpers-run-"
RUNTIME_NAME = re.compile(rf"^{RUNTIME_PREFIX}(\d+)-.*\.json$")


class OutputBusy(RuntimeError):
    """Another run holds the lock on the output folder."""


#: The lock's file descriptor while this process holds it (closed in forked workers).
held_locks: list[int] = []


@contextlib.contextmanager
def output_lock(out: Path, wait: float | None = None) -> Iterator[Path]:
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
        held_locks.append(fd)
        clean_stale(out)
        try:
            yield out
        finally:
            held_locks.remove(fd)
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
    removed: list[Path] = []
    for path in Path(out).iterdir():
        if path.name.startswith(STALE_IN_OUT):
            remove(path)
            removed.append(path)
    for folder, pattern in ((tempfile.gettempdir, _TMP_NAME), (runtime_dir, RUNTIME_NAME)):
        with contextlib.suppress(OSError):
            for path in Path(folder()).iterdir():
                m = pattern.match(path.name)
                if m and not _alive(int(m.group(1))) and path.lstat().st_uid == os.getuid():
                    remove(path)
                    removed.append(path)
    return removed


def runtime_dir() -> str:
    """Jupyter's runtime dir, where TCP kernels' connection files go."""
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


def remove(path: Path) -> None:
    """Remove a file or a folder with everything in it; nothing if it is not there."""
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def new_stage(out: Path) -> Path:
    """The path of this run's staging folder in OUT (not yet made): unique, and removed as stale when left."""
    return out / f"{STAGE_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"


#: Free bytes the disk holding OUT must keep for a failed run's output to be kept for inspection.
KEEP_FAILED_FREE = 256 * 2**20


def keep_failed(stage: Path, out: Path) -> Path | None:
    """Keep a failed run's staging folder as ``OUT/failed/`` (replacing an older one) for inspection; when the
    disk is (nearly) full, remove it instead, so a run that failed for want of space leaves the space it found.
    Returns the kept folder, or None when it was removed."""
    failed = out / FAILED_NAME
    remove(failed)
    try:
        free = shutil.disk_usage(out).free
    except OSError:
        free = 0
    if free < KEEP_FAILED_FREE:
        remove(stage)
        return None
    os.rename(stage, failed)
    return failed


def check_out(out: Path) -> None:
    """``--out`` is a folder this process can create and write in; :class:`OutputProblem` says in one line
    why not (a file or a device, a read-only place, no space)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputProblem(f"--out {shown(out)} is a file, not a folder; choose a folder for the output")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as e:
        raise OutputProblem(f"--out {shown(out)}: cannot write there ({e.strerror or e})") from None


class OutputProblem(OSError):
    """The output folder cannot be made or written; the message is one line naming it and why."""


def read_state(out: Path) -> dict[str, Any]:
    """What the published output in OUT was made from (``{}`` when unknown)."""
    try:
        return json.loads((Path(out) / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def publish_run(stage: Path, out: Path, keys: dict[str, str]) -> None:
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
    atomic_write(state, json.dumps({"finished": _now(), "pid": os.getpid(), "keys": keys}, indent=1).encode())
    wanted = {f"{key}.ipynb" for key in keys.values()}
    for path in (out / CACHE_NAME).glob("*.ipynb"):
        if path.name not in wanted:
            remove(path)
