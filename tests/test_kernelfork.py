"""Kernels forked from a warm zygote (helpers.build.kernelfork): as fresh as a new kernel, ended with their client.

Each test starts kernels through jupyter_client's public API with the kernel name ``helpers-forked``, as nbval
does with ``--nbval-kernel-name helpers-forked``; waits are on events (a pidfd, a kernel's reply) with timeouts.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import textwrap

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from helpers.build import kernelfork
from helpers.core.paths import NOTEBOOKS

TIMEOUT = 120


@pytest.fixture
def forked(monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(kernelfork.kernelspec_dir()))
    monkeypatch.delenv("HELPERS_KERNEL_FORK", raising=False)
    yield
    kernelfork._ZYGOTE.stop()


def run(cells: list[str], kernel: str = kernelfork.NAME) -> list[str]:
    """Execute ``cells`` in a new kernel of that name (run in notebooks/); each cell's printed text."""
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    NotebookClient(nb, kernel_name=kernel, timeout=TIMEOUT, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return ["".join(o.get("text", "") for o in c.outputs if o.output_type == "stream") for c in nb.cells]


def zygote_pid() -> int:
    proc = kernelfork._ZYGOTE.proc
    assert proc is not None and proc.poll() is None
    return proc.pid


def test_a_kernel_is_forked_from_the_zygote_and_runs_in_the_notebook_folder(forked):
    (shown,) = run(["import os, sys; print(os.getppid(), os.getcwd(), sys.path[0], os.getpgid(0) == os.getpid())"])
    parent, cwd, first_path, own_group = shown.split()
    assert int(parent) == zygote_pid()
    assert cwd == first_path == str(NOTEBOOKS) and own_group == "True"


def test_a_forked_kernel_leaves_the_zygotes_imports_out_of_garbage_collection(forked):
    (forked_count,) = run(["import gc; print(gc.get_freeze_count())"])
    (fresh_count,) = run(["import gc; print(gc.get_freeze_count())"], kernel="python3")
    assert int(fresh_count) == 0 and int(forked_count) > 10_000


def test_a_kernel_is_forked_while_sys_stdout_has_no_descriptor(forked, monkeypatch):
    """A caller that captures output (sys.stdout a StringIO): the kernel writes to this process's descriptors, as
    a started kernel inherits them."""
    import io

    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    (shown,) = run(["import os; print(os.getppid())"])
    assert int(shown) == zygote_pid()


def _started(kernel: str = kernelfork.NAME):
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=kernel)
    km.start_kernel(cwd=str(NOTEBOOKS))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


def test_a_forked_kernels_manager_gives_clients_ready_at_their_kernels_word(forked):
    """The client nbval gets from the manager ends its start-up wait on an event (helpers.build.readiness)."""
    from jupyter_client.blocking import BlockingKernelClient

    km, kc = _started()  # its wait_for_ready returned
    try:
        assert isinstance(kc, BlockingKernelClient) and type(kc).helpers_ready_on_idle
        assert kc.execute_interactive("x = 1 + 1", timeout=TIMEOUT)["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_forked_kernel_talks_over_ipc_sockets_in_a_folder_removed_at_its_end(forked):
    km, kc = _started()
    try:
        folder = os.path.dirname(km.ip)
        assert km.transport == "ipc" and sorted(os.listdir(folder)) == [f"k-{n}" for n in range(1, 6)]
        assert kc.execute_interactive("x = 2 + 2", timeout=TIMEOUT)["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert not os.path.exists(folder)


def test_a_kernel_uses_tcp_when_no_ipc_path_would_be_short_enough(forked, monkeypatch, tmp_path):
    deep = tmp_path / ("d" * 90)
    deep.mkdir()
    monkeypatch.setattr(kernelfork.tempfile, "tempdir", str(deep))
    assert kernelfork.kernel_transport().folder is None and list(deep.iterdir()) == []
    km, kc = _started()
    try:
        assert km.transport == "tcp"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


#: A cell that changes what it can reach (settings, environment, a helpers module, the namespace, the folder).
LEAVE = (
    "import os, sys, matplotlib, warnings, helpers.reader.words as words\n"
    "matplotlib.rcParams['lines.linewidth'] = 9; warnings.simplefilter('error')\n"
    "os.environ['HELPERS_LEFT_BEHIND'] = '1'; sys.path.append('/left/behind'); words.LEFT_BEHIND = True\n"
    "left_behind = 1; os.chdir('/')"
)
#: A cell that shows what it finds of that.
LOOK = (
    "import os, sys, matplotlib, warnings, helpers.reader.words as words\n"
    "print(matplotlib.rcParams['lines.linewidth'], os.environ.get('HELPERS_LEFT_BEHIND'), '/left/behind' in sys.path,"
    " hasattr(words, 'LEFT_BEHIND'), 'left_behind' in dir(), os.path.basename(os.getcwd()),"
    " get_ipython().execution_count, warnings.filters[0][0] == 'error')"
)


def test_a_forked_kernel_finds_nothing_an_earlier_one_left(forked):
    run([LEAVE])
    (seen,) = run([LOOK])
    (fresh,) = run([LOOK], kernel="python3")
    assert seen == fresh
    assert seen.split()[1:6] + seen.split()[7:] == ["None", "False", "False", "False", "notebooks", "False"]


def test_a_committed_notebook_gives_the_same_outputs_forked_and_fresh(forked):
    """Byte for byte, once cleaned as the run publishes them: the notebook's own work does not see the fork."""
    from helpers.build.clean import clean

    source = NOTEBOOKS / "01_three_strategies.ipynb"
    outputs = []
    for kernel in (kernelfork.NAME, "python3"):
        nb = nbformat.read(source, as_version=4)
        NotebookClient(
            nb, kernel_name=kernel, timeout=TIMEOUT, resources={"metadata": {"path": str(NOTEBOOKS)}}
        ).execute()
        outputs.append(json.dumps([c.get("outputs") for c in clean(nb).cells], sort_keys=True))
    assert outputs[0] == outputs[1]
    assert zygote_pid()  # the first one was forked


def test_another_environment_gets_an_ordinary_kernel(forked, monkeypatch):
    run(["pass"])  # the zygote starts under this environment
    monkeypatch.setenv("HELPERS_SOMETHING_NEW", "1")
    (shown,) = run(["import os; print(os.getppid(), os.environ.get('HELPERS_SOMETHING_NEW'))"])
    parent, value = shown.split()
    assert int(parent) == os.getpid() and value == "1"  # started by this process, as jupyter_client starts one
    assert zygote_pid()  # still there for kernels of its own environment


def test_forking_can_be_turned_off(forked, monkeypatch):
    monkeypatch.setenv("HELPERS_KERNEL_FORK", "0")
    (shown,) = run(["import os; print(os.getppid())"])
    assert kernelfork._ZYGOTE.proc is None and int(shown) == os.getpid()


def test_a_forked_kernel_is_interrupted_and_killed_like_any_other(forked):
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=kernelfork.NAME)
    km.start_kernel(cwd=str(NOTEBOOKS))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        assert km.provisioner.process.__class__ is kernelfork.ForkedProcess
        # the cell runs bytecode, not a blocking wait: CPython runs a signal's handler between bytecodes, so a
        # SIGINT that lands just before a lock's wait blocks (or on another thread) would leave that wait asleep
        msg_id = kc.execute("print('waiting', flush=True)\nwhile True:\n    pass")
        while True:  # the cell is running its own code (a kernel ignores SIGINT between cells)
            msg = kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") == msg_id and msg["content"].get("text", "").startswith("waiting"):
                break
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        pid = km.provisioner.pid
        km.shutdown_kernel(now=True)
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    finally:
        kc.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=True)


def test_a_forked_kernel_listens_by_the_time_its_start_returns(forked):
    """A client connecting before the kernel listens is refused, and ZeroMQ tries again only 0.1 s later."""
    import socket

    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=kernelfork.NAME)
    km.start_kernel(cwd=str(NOTEBOOKS))
    try:
        assert km.provisioner.process.__class__ is kernelfork.ForkedProcess and km.transport == "ipc"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as shell:
            shell.settimeout(TIMEOUT)
            # refused (ConnectionRefusedError, FileNotFoundError) if the kernel had not bound its shell socket yet
            shell.connect(f"{km.ip}-{km.shell_port}")
    finally:
        km.shutdown_kernel(now=True)


def test_a_killed_forked_kernel_is_gone_when_the_kill_returns(forked):
    """jupyter_client's manager looks once, then sleeps 0.1 s between looks: the first look must find it gone."""
    from jupyter_client.manager import KernelManager
    from jupyter_core.utils import run_sync

    km = KernelManager(kernel_name=kernelfork.NAME)
    km.start_kernel(cwd=str(NOTEBOOKS))
    process = km.provisioner.process
    try:
        assert process.__class__ is kernelfork.ForkedProcess
        run_sync(km.provisioner.kill)()
        assert process.poll() == -9  # its exit status (SIGKILL), reported by the zygote that reaped it
    finally:
        km.shutdown_kernel(now=True)


#: A client process that starts a kernel and says which zygote forked it (none of its own: ``own`` is False).
SHARED_CLIENT = textwrap.dedent(
    """
    import os
    from helpers.build import kernelfork
    from jupyter_client.manager import KernelManager
    km = KernelManager(kernel_name=kernelfork.NAME)
    km.start_kernel()
    with open(f"/proc/{km.provisioner.pid}/stat") as f:
        parent = int(f.read().rsplit(")", 1)[1].split()[1])
    print(type(km.provisioner.process).__name__, parent, kernelfork._ZYGOTE.proc is not None, flush=True)
    km.shutdown_kernel(now=True)
    """
)


def _shared_client(**extra: str) -> list[str]:
    """What :data:`SHARED_CLIENT` prints, run with this process's environment and ``extra``."""
    done = subprocess.run(
        [sys.executable, "-c", SHARED_CLIENT],
        env={**os.environ, **extra},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return done.stdout.split()


def test_a_shared_zygote_forks_the_kernels_of_the_processes_started_after_it(forked):
    kernelfork.share()
    # as pytest-xdist's workers differ from their controller: their own variables, and the terminal's size
    # that GNU readline set in the controller's C environment
    shown = _shared_client(PYTEST_XDIST_WORKER="gw0", COLUMNS="80", LINES="24")
    assert shown == ["ForkedProcess", str(zygote_pid()), "False"]


def test_a_shared_zygote_of_another_environment_gives_an_ordinary_kernel(forked):
    kernelfork.share()
    kind, parent, own = _shared_client(HELPERS_SOMETHING_ELSE="1")
    assert kind == "Popen" and int(parent) != zygote_pid() and own == "False"


def test_the_shared_zygote_is_no_longer_offered_once_it_stops(forked):
    kernelfork.share()
    assert kernelfork.shared() == kernelfork._ZYGOTE.address != ""
    kernelfork._ZYGOTE.stop()
    assert kernelfork.shared() == "" and "HELPERS_ZYGOTE" not in os.environ


CLIENT = textwrap.dedent(
    """
    import os, sys
    from helpers.build import kernelfork
    os.environ["JUPYTER_PATH"] = str(kernelfork.kernelspec_dir())
    from jupyter_client.manager import KernelManager
    km = KernelManager(kernel_name=kernelfork.NAME)
    km.start_kernel()
    print(kernelfork._ZYGOTE.proc.pid, km.provisioner.pid, kernelfork._ZYGOTE.address, km.ip, flush=True)
    sys.stdin.read()  # until killed
    """
)


def test_a_process_forked_after_sharing_uses_the_shared_zygote_and_leaves_it_running(forked, tmp_path):
    assert kernelfork.share_with_children(str(tmp_path))
    address, zygote = kernelfork.shared(), zygote_pid()
    assert os.path.dirname(os.path.dirname(address)) == str(tmp_path)  # its socket in the folder given
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # a main-job worker: the zygote is not its child
        try:
            ok = kernelfork._ZYGOTE.proc is None and kernelfork._ZYGOTE.ensure(dict(os.environ)) == address
            os.write(w, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(w)
    assert os.waitpid(pid, 0)[1] == 0 and os.read(r, 1) == b"1"
    os.close(r)
    assert zygote_pid() == zygote and kernelfork.shared() == address
    kernelfork.stop()
    assert not kernelfork.shared() and list(tmp_path.iterdir()) == []


def test_no_zygote_is_shared_where_its_socket_path_would_be_too_long(forked, tmp_path):
    deep = tmp_path / ("d" * 100)
    deep.mkdir()
    assert not kernelfork.share_with_children(str(deep))
    assert not kernelfork.shared() and list(deep.iterdir()) == []


def test_the_zygote_and_its_kernels_end_when_their_client_is_killed(tmp_path):
    """... and their socket folders, which the killed client could not remove, go at the next run's start
    (``publish.clean_stale``, which ``helpers run`` calls)."""
    from helpers.build import publish

    client = subprocess.Popen(
        [sys.executable, "-c", CLIENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "JUPYTER_PATH": str(kernelfork.kernelspec_dir())},
    )
    try:
        ready, _, _ = select.select([client.stdout], [], [], TIMEOUT)
        assert ready, "the client did not start a kernel in time"
        zygote, kernel, zygote_socket, kernel_sockets = client.stdout.readline().split()
        watched = [os.pidfd_open(int(zygote)), os.pidfd_open(int(kernel))]
    finally:
        client.kill()
        client.wait(TIMEOUT)
    try:
        for fd in watched:  # a pidfd becomes readable when its process ends
            ended, _, _ = select.select([fd], [], [], TIMEOUT)
            assert ended, "a process outlived the client that started it"
    finally:
        for fd in watched:
            os.close(fd)
    folders = [os.path.dirname(zygote_socket), os.path.dirname(kernel_sockets)]
    assert all(os.path.isdir(f) for f in folders)  # left by the killed client
    publish.clean_stale(tmp_path)
    assert not any(os.path.exists(f) for f in folders)


def test_the_kernelspec_names_this_interpreter_and_the_provisioner():
    spec = json.loads((kernelfork.kernelspec_dir() / "kernels" / kernelfork.NAME / "kernel.json").read_text())
    assert spec["argv"][:3] == [sys.executable, "-m", "ipykernel_launcher"]
    assert spec["metadata"]["kernel_provisioner"]["provisioner_name"] == kernelfork.NAME
