"""Faults of ``python -m helpers run``: nothing hangs, nothing outlives a run, one run at a time per output.

Each test runs the command in a subprocess (signals, environment) on tiny notebooks written here or taken
from tests/fixtures/notebooks, with its own TMPDIR so that the run's temp folders can be counted, and an
environment marker so that its processes (runner, workers, kernels) can be found in /proc.  Waits are on
events (a line of output, a FIFO written by a notebook cell, a process's pidfd), each with a timeout.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import DATA, DISTRICT
from helpers.build import clean, publish, run, workers

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
HELLO = "01_hello.ipynb"
MARK = "HELPERS_TEST_MARK"
WAIT = 120  # seconds: the longest any event below may take on a loaded 2-core machine

#: A cell that tells the test it is running (one line into $HELPERS_TEST_FIFO), then blocks until killed.
BLOCKING_CELL = (
    "import os\n"
    "with open(os.environ['HELPERS_TEST_FIFO'], 'w') as fifo:\n"
    "    fifo.write('running\\n')\n"
    "never_written, _keep = os.pipe()\n"
    "os.read(never_written, 1)"
)

#: A cell that prints "about to die" and blocks only once that output has left the kernel: it listens on its own
#: kernel's IOPub socket (a SUB socket of its own, subscribed once a probe line comes back) and writes to the FIFO
#: after its own copy of the message arrived, so the runner has been sent the output before the test kills the kernel.
PRINT_THEN_BLOCK_CELL = (
    "import zmq\n"
    "_pub = get_ipython().kernel.iopub_thread.socket\n"
    "_sub = zmq.Context.instance().socket(zmq.SUB)\n"
    "_sub.setsockopt(zmq.SUBSCRIBE, b'')\n"
    "_sub.connect(_pub.getsockopt(zmq.LAST_ENDPOINT).decode())\n"
    "def _heard(word, tries):\n"
    "    for _ in range(tries):\n"
    "        if _sub.poll(100) and word.encode() in b''.join(_sub.recv_multipart()):\n"
    "            return True\n"
    "    return False\n"
    "for _ in range(600):\n"
    "    print('probe', flush=True)\n"
    "    if _heard('probe', 1):\n"
    "        break\n"
    "print('about to die', flush=True)\n"
    "assert _heard('about to die', 600), 'the output never left the kernel'\n" + BLOCKING_CELL
)


def project(root: Path, cells: list[str] | None = None, name: str = "01_cells.ipynb") -> Path:
    """root/notebooks/ with one notebook (a title and ``cells``, or the hello fixture) and root/data/."""
    (root / "notebooks").mkdir(parents=True)
    if cells is None:
        shutil.copy(FIXTURES / HELLO, root / "notebooks" / HELLO)
    else:
        nb = new_notebook(cells=[new_markdown_cell("# Cells"), *(new_code_cell(c) for c in cells)])
        nb.metadata["kernelspec"] = dict(clean.KERNELSPEC)
        nbformat.write(nb, root / "notebooks" / name)
    shutil.copytree(DISTRICT, root / "data")
    (root / "tmp").mkdir()
    return root


def environment(root: Path, mark: str, **extra) -> dict:
    env = {
        **os.environ,
        "TMPDIR": str(root / "tmp"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
        MARK: mark,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def start(root: Path, *args, env: dict) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "helpers",
        "run",
        "--notebooks",
        str(root / "notebooks"),
        "--out",
        str(root / "build"),
        "--langs",
        "zh",
        "--jobs",
        "1",
        *map(str, args),
    ]
    return subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=WAIT)
        pytest.fail(f"the run did not finish within {WAIT} s:\n{out}\n{err}")
    return proc.returncode, out, err


def first_line(proc: subprocess.Popen) -> str:
    """Wait (with a timeout) for the run's first line of stdout, printed once it holds OUT's lock."""
    ready, _, _ = select.select([proc.stdout], [], [], WAIT)
    assert ready, "the run printed nothing"
    return proc.stdout.readline()


def marked(mark: str) -> list[int]:
    """PIDs of the live processes whose environment carries the marker (zombies have no environment)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if f"{MARK}={mark}".encode() in environ.split(b"\0"):
                found.append(int(entry.name))
    return found


def wait_gone(pids: list[int]) -> list[int]:
    """Wait for each process to end (its pidfd becomes readable), WAIT s at most; the PIDs still alive."""
    alive = []
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            if not select.select([fd], [], [], WAIT)[0]:
                alive.append(pid)
        finally:
            os.close(fd)
    return alive


def is_kernel(pid: int) -> bool:
    """A kernel: started as ``python -m ipykernel_launcher`` (an ordinary one), or forked from a zygote (its parent
    runs ``helpers.build.zygote``; the zygote's own parent is the run)."""
    try:
        if b"ipykernel_launcher" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return True
        parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
        return b"helpers.build.zygote" in Path(f"/proc/{parent}/cmdline").read_bytes()
    except OSError:
        return False


def leftovers(root: Path) -> list[str]:
    """The run's temp folders and files: in TMPDIR, in Jupyter's runtime dir, and staging folders in OUT."""
    found = [p.name for p in (root / "tmp").iterdir()]
    if (root / "runtime").is_dir():
        found += [p.name for p in (root / "runtime").iterdir()]
    if (root / "build").is_dir():
        found += [p.name for p in (root / "build").iterdir() if p.name.startswith(publish.STALE_IN_OUT)]
    return found


# ---- timeouts and kernels that cannot start or die --------------------------------------------


def test_too_long_temp_dir_falls_back_to_tcp_and_the_run_succeeds(tmp_path):
    root = project(tmp_path)
    deep = root / "tmp" / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    code, out, err = finish(start(root, env=environment(root, uuid.uuid4().hex, TMPDIR=str(deep))))
    assert code == 0, err
    assert "kernels use TCP on 127.0.0.1" in err
    assert "lang=zh" in (root / "build" / "notebooks" / "zh" / HELLO).read_text(encoding="utf-8")


def test_unusable_temp_dir_falls_back_to_tcp(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr("tempfile.tempdir", str(blocker))
    transport = workers.kernel_transport()
    assert transport.folder is None
    assert "is not usable" in transport.note and "TCP" in transport.note


def test_run_in_an_unusable_temp_dir_succeeds_over_tcp(tmp_path, monkeypatch, capsys):
    root = project(tmp_path)
    blocker = root / "tmp" / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr("tempfile.tempdir", str(blocker))  # as root, permissions cannot make a folder unwritable
    code = run.main(["--notebooks", str(root / "notebooks"), "--out", str(root / "build"), "--langs", "zh"])
    assert code == 0, capsys.readouterr().err
    assert "kernels use TCP on 127.0.0.1" in capsys.readouterr().err


def test_kernel_that_cannot_start_ends_the_notebook_with_an_error_naming_it(tmp_path):
    root = project(tmp_path)
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-c", "import sys; sys.exit(3)", "{connection_file}"],
                "display_name": "broken",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    env = environment(root, uuid.uuid4().hex, JUPYTER_PATH=str(tmp_path / "jupyter"))
    code, out, err = finish(start(root, "--start-timeout", 20, env=env))
    assert code == 1
    assert f"{HELLO} [zh], " in err and "(before any cell ran)" in err
    assert not (root / "build" / "site").exists()


def test_kernel_that_dies_mid_cell_is_reported_with_the_cell_its_source_and_last_output(tmp_path):
    # the cell prints, then says it is running and blocks; the test then kills its kernel (as the OOM killer would)
    root = project(tmp_path, ['print("ready")', PRINT_THEN_BLOCK_CELL])
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    mark = uuid.uuid4().hex
    proc = _blocked_run(root, mark, fifo)
    kernels = [pid for pid in marked(mark) if is_kernel(pid)]
    assert len(kernels) == 1
    os.kill(kernels[0], signal.SIGKILL)
    code, out, err = finish(proc)
    assert code == 1
    assert "01_cells.ipynb [zh], cell 2 (`import zmq`): DeadKernelError" in err
    assert "  | os.read(never_written, 1)" in err
    assert "last output:" in err and "  | about to die" in err
    assert wait_gone(marked(mark)) == []


def test_worker_past_its_timeout_is_killed_with_its_kernel(tmp_path):
    root = project(tmp_path, [BLOCKING_CELL])
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    mark = uuid.uuid4().hex
    code, out, err = finish(
        start(root, "--worker-timeout", 1, env=environment(root, mark, HELPERS_TEST_FIFO=str(fifo)))
    )
    assert code == 1
    assert "did not finish within --worker-timeout 1 s" in err
    assert wait_gone(marked(mark)) == []
    assert leftovers(root) == []


# ---- nothing outlives a run -----------------------------------------------------------------------


def _blocked_run(root: Path, mark: str, fifo: Path) -> subprocess.Popen:
    """A run whose notebook's first code cell is executing (it wrote to the FIFO) and blocked."""
    reader = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # RDWR: no EOF before the cell opens it
    try:
        proc = start(root, env=environment(root, mark, HELPERS_TEST_FIFO=str(fifo)))
        assert select.select([reader], [], [], WAIT)[0], "the cell never started"
        assert os.read(reader, 100) == b"running\n"
    finally:
        os.close(reader)
    return proc


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("moment", ["at-start", "mid-cell"])
def test_killed_run_leaves_no_process_and_no_temp_folder(tmp_path, sig, moment):
    root = project(tmp_path, [BLOCKING_CELL])
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    mark = uuid.uuid4().hex
    if moment == "mid-cell":
        proc = _blocked_run(root, mark, fifo)
    else:
        proc = start(root, env=environment(root, mark, HELPERS_TEST_FIFO=str(fifo)))
        assert "notebook executions needed" in first_line(proc)
    before = marked(mark)
    assert proc.pid in before
    if moment == "mid-cell":
        assert len(before) >= 3  # runner, worker, kernel
    proc.send_signal(sig)
    code, _, err = finish(proc)
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 128 + signal.SIGTERM), err
    assert wait_gone(before) == []
    assert marked(mark) == []
    if sig == signal.SIGKILL:  # nothing could clean up: the next start does
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("tempfile.tempdir", str(root / "tmp"))
            mp.setenv("JUPYTER_RUNTIME_DIR", str(root / "runtime"))
            publish.clean_stale(root / "build")
    assert leftovers(root) == []
    assert not (root / "build" / "site").exists() and not (root / "build" / "notebooks").exists()


def test_next_start_removes_what_a_killed_run_left(tmp_path):
    root = project(tmp_path)
    out = root / "build"
    out.mkdir()
    stale = [out / ".run-999999-abcd", out / ".site.new-999999"]
    for path in stale:
        path.mkdir()
    dead_tmp = root / "tmp" / f"{publish.TMP_PREFIX}999999-x"  # PID 999999 is above Linux's default pid_max
    dead_tmp.mkdir()
    code, _, err = finish(start(root, env=environment(root, uuid.uuid4().hex)))
    assert code == 0, err
    assert leftovers(root) == []


# ---- one run per output -----------------------------------------------------------------------------


def test_second_run_on_a_held_output_fails_at_once_naming_the_holder(tmp_path):
    root = project(tmp_path)
    with publish.output_lock(root / "build"):
        code, _, err = finish(start(root, env=environment(root, uuid.uuid4().hex)))
    assert code == run.EXIT_BUSY
    assert f"is in use by another run (PID {os.getpid()}, started " in err


def test_wait_gives_up_after_its_timeout_naming_the_holder(tmp_path):
    root = project(tmp_path)
    with publish.output_lock(root / "build"):
        code, _, err = finish(start(root, "--wait", 1, env=environment(root, uuid.uuid4().hex)))
    assert code == run.EXIT_BUSY
    assert f"(PID {os.getpid()}, started " in err and "after waiting 1 s" in err


def _published(out: Path) -> dict:
    """What the published output says about the package it was made from, file by file."""
    executed = nbformat.read(out / "notebooks" / "zh" / HELLO, as_version=4)
    printed = executed.cells[3].outputs[0].text.splitlines()
    return {
        "notebook": next(line for line in printed if line.startswith("data_dir=")),
        "page": (out / "site" / "zh" / "01_hello.html").read_text(encoding="utf-8"),
        "derived": (out / "derived.csv").read_text(encoding="utf-8-sig"),
    }


def _expected(data_dir: Path) -> dict:
    from helpers.reader import params, tables

    ctx = params.setup(data_dir=str(data_dir), lang="zh")
    return {
        "notebook": f"data_dir={data_dir.resolve()}",
        "derived": tables.derived_frame(ctx).to_csv(index=False, lineterminator="\n"),
    }


def _assert_whole(out: Path, mine: Path, other: Path) -> None:
    got, want, not_want = _published(out), _expected(mine), _expected(other)
    assert got["notebook"] == want["notebook"]
    assert got["derived"] == want["derived"]
    # the site's page shows the same execution as the published notebook
    assert want["notebook"] in got["page"] and not_want["notebook"] not in got["page"]


@pytest.mark.parametrize("waits", [False, True], ids=["second-fails", "second-waits"])
def test_two_runs_on_one_output_publish_one_runs_output_whole(tmp_path, waits):
    root = project(tmp_path)
    env = environment(root, uuid.uuid4().hex)
    first = start(root, "--data-dir", DATA, env=env)
    assert "notebook executions needed" in first_line(first)  # it holds the lock
    second = start(root, "--data-dir", DISTRICT, *(["--wait", WAIT] if waits else []), env=env)
    second_code, _, second_err = finish(second)
    first_code, _, first_err = finish(first)
    assert first_code == 0, first_err
    if waits:
        assert second_code == 0, second_err
        _assert_whole(root / "build", DISTRICT, DATA)
    else:
        assert second_code == run.EXIT_BUSY
        assert f"(PID {first.pid}, started " in second_err
        _assert_whole(root / "build", DATA, DISTRICT)
