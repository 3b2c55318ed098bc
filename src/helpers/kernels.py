"""Kernels forked from a warm process, so that each notebook does not pay for the same imports again.

Every notebook runs in a fresh IPython kernel, and a fresh kernel spends most of
its life importing: ipykernel, IPython and debugpy to start, pandas and the
helpers in the setup cell, matplotlib and seaborn on the first chart.  Measured
on 2 cores, those imports (about 1.5 s of CPU per kernel) were half of the work
of ``python -m helpers run`` and of nbval over the collection.

A *zygote* (as in Android, or Python's ``forkserver``) is a process that
imports all that once (:data:`KERNEL_PRELOAD`, :data:`NOTEBOOK_PRELOAD`) and
then waits.  For each kernel it forks a child that becomes what
``jupyter_client`` would have launched (its own session, the manager's stdio,
environment and working directory, ``ipykernel_launcher``'s ``sys.argv``) and
runs ipykernel's entry point.  The child is still a fresh kernel: a new process,
an empty user namespace, its own execution count; only ``sys.modules`` is
already filled.  The zygote imports modules and calls nothing: no matplotlib
backend is chosen, no seaborn theme set, no data read.  It imports them as a
kernel would (see :func:`_preload`), and tests/test_kernels.py checks that a
forked kernel and a launched one agree on what those imports decide (pandas'
options, matplotlib's rcParams, the environment, sys.path, signal handlers...).
One difference remains by nature: kernels forked from one zygote share its
string-hash seed (``PYTHONHASHSEED``), as they share everything it imported.

:func:`manager_class` gives jupyter_client kernel managers (asyncio for
nbclient and papermill, blocking for nbval) whose provisioner asks the zygote
for the kernel instead of ``Popen``-ing ``python -m ipykernel_launcher``.  They
launch the ordinary way (and log why) whenever a forked kernel could differ
from a launched one: no zygote running, ``HELPERS_FORK_KERNELS=0``, a kernel
command other than this interpreter's ``-m ipykernel_launcher``, stdio the
zygote cannot be handed, an environment other than the one the zygote imported
in, a working directory holding a ``matplotlibrc`` or a file that would shadow
a preloaded module, a preloaded module that printed or warned while imported
(that would have been a cell's output), or a zygote that does not answer.

Linux only (pidfds); elsewhere :func:`available` is False and every kernel is
launched as usual.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

#: What a kernel imports while it starts (ipykernel.debugger pulls in debugpy; the history is kept in sqlite3).
KERNEL_PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython.core.completerlib",
    "IPython.core.debugger", "IPython.extensions.storemagic", "sqlite3",
)
#: What the notebooks' cells import: the setup cell's libraries and helpers, and the plotting stack that
#: helpers.plots imports on the first chart.  Only imported, never called.
NOTEBOOK_PRELOAD = ("pandas", "matplotlib", "matplotlib.pyplot", "seaborn", "helpers.params", "helpers.tables",
                    "helpers.plots")
#: Set to 0 to launch every kernel the ordinary way (to compare, or to rule the zygote out).
ENABLE_ENV = "HELPERS_FORK_KERNELS"
#: Where a zygote started by another process (pytest-xdist's controller) tells its workers its socket is.
ADDRESS_ENV = "HELPERS_KERNEL_ZYGOTE"
#: ipykernel sets MPLBACKEND to this before user code runs, when it is unset; matplotlib reads it on import.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Environment variables that may differ between a kernel's environment and the zygote's and that no preloaded
#: module reads on import (each kernel still gets its own values): jupyter_client's (JPY_PARENT_PID,
#: JPY_SESSION_NAME), pytest's and pytest-xdist's (PYTEST_CURRENT_TEST, PYTEST_XDIST_WORKER), and the terminal
#: size, which GNU readline setenv()s when imported, so that pytest-xdist's workers inherit it from their
#: controller without it being in the controller's os.environ.
UNREAD_ENV_PREFIXES = ("JPY_", "PYTEST_")
UNREAD_ENV = ("COLUMNS", "LINES")
#: How long a kernel request waits for the zygote (which may still be importing) before launching normally.
REQUEST_TIMEOUT = 60.0
#: The zygote's first lines: as ipykernel_launcher does before importing anything, the working directory is
#: not on sys.path (``python -c`` put it first; the kernel puts it back as it starts, in init_path).
_BOOT = ("import sys\n"
         "if sys.path and sys.path[0] == '':\n"
         "    del sys.path[0]\n"
         "from helpers.kernels import _zygote_main\n"
         "_zygote_main()\n")

_zygote_address: str | None = None  # the running zygote's socket, for this process and the processes it forks


def available() -> bool:
    """Whether kernels can be forked here (Linux, pidfds) and $HELPERS_FORK_KERNELS does not forbid it."""
    return (sys.platform.startswith("linux") and hasattr(os, "pidfd_open") and hasattr(signal, "pidfd_send_signal")
            and hasattr(socket, "send_fds") and os.environ.get(ENABLE_ENV, "1") != "0")


def use(address: str | None) -> None:
    """Have this process's kernel managers ask the zygote listening at ``address`` (None: launch as usual)."""
    global _zygote_address
    _zygote_address = address if available() else None


# ---- the owner's side ------------------------------------------------------------------------------------


class Zygote:
    """The zygote of this process and of the processes it forks afterwards; a context manager.

    ``cwd`` is the folder the kernels will run in (matplotlib reads a
    ``matplotlibrc`` from the working directory when it is imported).  The
    zygote starts importing at once, in parallel with its owner; requests made
    meanwhile wait in its socket's queue.  It exits at :meth:`stop`, or when its
    owner and all the owner's forks are gone, and its kernels with it.  If it
    cannot start, kernels are launched as usual.
    """

    def __init__(self, cwd: Path | str, export: bool = False):
        """``export``: also put the socket's path in $HELPERS_KERNEL_ZYGOTE, for processes started later."""
        self.cwd, self.export = str(cwd), export
        self.process: subprocess.Popen | None = None
        self._dir: str | None = None
        self._lifeline: int | None = None

    def start(self) -> Zygote:
        if not available() or self.process is not None:
            return self
        try:
            self._start()
        except Exception as e:  # not worth failing a run for: its kernels are launched the ordinary way
            print(f"helpers.kernels: no zygote ({type(e).__name__}: {e}); kernels are launched as usual",
                  file=sys.stderr)
            self.stop()
        return self

    def _start(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="helpers-zygote-")  # mode 0700: only this user may ask for kernels
        address = os.path.join(self._dir, "socket")
        # Listening before the zygote exists, so that no request can come too early.
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            listener.bind(address)
            listener.listen(64)
            life_r, self._lifeline = os.pipe()  # the zygote exits when every copy of the write end is closed
            if self.export:  # before the zygote starts: it compares each kernel's environment with its own
                os.environ[ADDRESS_ENV] = address
            try:
                self.process = subprocess.Popen(
                    [sys.executable, "-c", _BOOT, str(listener.fileno()), str(life_r),
                     ",".join(KERNEL_PRELOAD), ",".join(NOTEBOOK_PRELOAD)],
                    # os.environ, not the C-level environment Popen would otherwise pass: jupyter_client
                    # launches kernels with env=os.environ.copy(), and libraries may setenv() behind
                    # os.environ's back (GNU readline sets LINES and COLUMNS when imported).
                    env=dict(os.environ),
                    cwd=self.cwd, stdin=subprocess.DEVNULL, pass_fds=(listener.fileno(), life_r))
            finally:
                os.close(life_r)
        finally:
            listener.close()
        use(address)

    def stop(self) -> None:
        if self._lifeline is not None:
            os.close(self._lifeline)
            self._lifeline = None
        if self.process is not None:
            # No need to wait for it to see the EOF (it may still be importing): nothing in it needs cleaning up.
            self.process.terminate()
            self.process.wait()
            self.process = None
        if self._dir is not None:
            mine = self._dir + os.sep
            if _zygote_address and _zygote_address.startswith(mine):
                use(None)
            if self.export and os.environ.get(ADDRESS_ENV, "").startswith(mine):
                del os.environ[ADDRESS_ENV]
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> Zygote:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# ---- the zygote ------------------------------------------------------------------------------------------


def _zygote_main() -> None:
    """``python -c _BOOT LISTENER_FD LIFELINE_FD KERNEL_MODULES NOTEBOOK_MODULES``: import, then fork kernels."""
    import importlib.util
    import runpy  # noqa: F401  a launched kernel has it: python -m ipykernel_launcher runs through runpy
    import select
    import threading

    listener_fd, lifeline_fd, kernel_modules, notebook_modules = sys.argv[1:5]
    # Ctrl-C in a terminal reaches the whole process group: the owner stops the zygote itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    listener = socket.socket(fileno=int(listener_fd))
    lifeline = int(lifeline_fd)
    state: dict[str, Any] = {"env": dict(os.environ), "cwd": os.getcwd(), "zygote": os.getpid(),
                             "preload": [*kernel_modules.split(","), *notebook_modules.split(",")]}
    # ipykernel sets MPLBACKEND before any user code can import matplotlib: import it in that same environment.
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    state["unfaithful"] = _preload(kernel_modules.split(","), notebook_modules.split(","))
    # What importing changed in the environment (MPLBACKEND, debugpy's PYDEVD_USE_FRAME_EVAL), to set again in
    # each kernel's environment as the same imports would have there.
    state["env_changes"] = {k: v for k, v in os.environ.items() if state["env"].get(k) != v}
    state["launcher"] = importlib.util.find_spec("ipykernel_launcher").origin
    if threading.active_count() > 1 and not state["unfaithful"]:  # forking a threaded process is not safe
        state["unfaithful"] = f"importing started threads: {[t.name for t in threading.enumerate()]}"
        print(f"helpers.kernels: zygote: {state['unfaithful']}; kernels are launched as usual", file=sys.stderr)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the system reaps the kernels; managers watch them by pidfd
    while True:
        ready, _, _ = select.select([listener, lifeline], [], [])
        if lifeline in ready:  # EOF: the owner stopped the zygote or is gone
            return
        try:
            conn, _ = listener.accept()
        except OSError:
            continue
        with conn:
            conn.settimeout(10)  # a requester sends its request at once; never wait on one that does not
            try:
                _serve_one(conn, [listener], lifeline, state)
            except Exception as e:  # refuse this kernel; the manager launches it normally
                try:
                    conn.send(json.dumps({"error": f"{type(e).__name__}: {e}"}).encode())
                except OSError:
                    pass


class _KernelStream(io.StringIO):
    """Stands for ipykernel's OutStream while the zygote imports: pandas reads the encoding of sys.stdout."""

    encoding = "UTF-8"  # ipykernel.iostream.OutStream.encoding


class _KernelShell:
    """Stands for the kernel's shell while the zygote imports: pandas tells a notebook from a terminal by
    ``hasattr(get_ipython(), "kernel")`` (display.max_columns: 20 in a notebook, 0 in a terminal)."""

    kernel = None


def _preload(kernel_modules: list[str], notebook_modules: list[str]) -> str | None:
    """Import the modules as a kernel would; why forked kernels would differ from launched ones (None: they won't).

    Kernel modules are imported while a kernel starts, before any cell: what
    they print is no cell's output (debugpy warns about frozen modules on fd 2
    when imported; a launched kernel does not show that either).  Notebook
    modules are imported by cells, with ipykernel's stdout (its encoding) and a
    ``get_ipython()`` that has a kernel, and anything they print or warn while
    imported would have been a cell's output: then no kernel is forked.  A module
    that fails to import is left for the kernel to import (and fail) itself.
    """
    import builtins
    import importlib
    import warnings

    failed, said = [], []
    saved_fds, saved_streams = (os.dup(1), os.dup(2)), (sys.stdout, sys.stderr)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 1)
        os.dup2(captured.fileno(), 2)
        try:
            for name in kernel_modules:
                try:
                    importlib.import_module(name)
                except Exception as e:
                    failed.append(f"{name}: {type(e).__name__}: {e}")
            sys.stdout.flush()
            sys.stderr.flush()
            captured.seek(0)
            captured.truncate()
            sys.stdout, sys.stderr = _KernelStream(), _KernelStream()
            builtins.get_ipython = _KernelShell  # type: ignore[attr-defined]
            # Warnings are recorded, not shown (a kernel would show them in the cell); the filters are left
            # alone (catch_warnings() would undo the filters the modules set up on import).
            saved_showwarning = warnings.showwarning
            warnings.showwarning = lambda message, category, *args, **kw: said.append(
                f"warning: {category.__name__}: {message}")
            try:
                for name in notebook_modules:
                    try:
                        importlib.import_module(name)
                    except Exception as e:
                        failed.append(f"{name}: {type(e).__name__}: {e}")
            finally:
                warnings.showwarning = saved_showwarning
            said += [text for text in (sys.stdout.getvalue(), sys.stderr.getvalue()) if text]
        finally:
            if hasattr(builtins, "get_ipython"):
                del builtins.get_ipython  # type: ignore[attr-defined]
            sys.stdout, sys.stderr = saved_streams
            for target, fd in enumerate(saved_fds, start=1):
                os.dup2(fd, target)
                os.close(fd)
        captured.seek(0)
        said += [text for text in [captured.read().decode(errors="replace")] if text]
    for line in failed:
        print(f"helpers.kernels: zygote: could not preload {line}", file=sys.stderr)
    if said:
        reason = f"importing {', '.join(notebook_modules)} printed or warned: {said[0].strip()[:200]}"
        print(f"helpers.kernels: zygote: {reason}; kernels are launched as usual", file=sys.stderr)
        return reason
    return None


def _matplotlibrc(folder: str) -> str | None:
    path = os.path.join(folder, "matplotlibrc")
    return os.path.realpath(path) if os.path.exists(path) else None


def _differences(request: dict, state: dict) -> str | None:
    """Why a kernel forked for ``request`` could differ from a launched one (None: it would not)."""
    if state["unfaithful"]:
        return state["unfaithful"]

    def comparable(env: dict) -> dict:
        return {k: v for k, v in env.items() if not k.startswith(UNREAD_ENV_PREFIXES) and k not in UNREAD_ENV}

    env, cwd = comparable(request["env"]), request["cwd"]
    if env != comparable(state["env"]):
        theirs = comparable(state["env"])
        names = sorted(k for k in env.keys() | theirs.keys() if env.get(k) != theirs.get(k))
        return f"the environment differs from the zygote's in {', '.join(names)}"
    if _matplotlibrc(cwd) != _matplotlibrc(state["cwd"]):
        return f"{cwd} and {state['cwd']} do not share one matplotlibrc"
    for top in sorted({name.split(".")[0] for name in state["preload"]}):
        for candidate in (top, f"{top}.py"):
            if os.path.exists(os.path.join(cwd, candidate)):
                return f"{os.path.join(cwd, candidate)} would shadow the preloaded {top}"
    return None


def _serve_one(conn: socket.socket, sockets: list, lifeline: int, state: dict) -> None:
    data, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
    try:
        request = json.loads(data)
        if len(fds) != 3:
            raise ValueError(f"expected 3 file descriptors, got {len(fds)}")
        reason = _differences(request, state)
        if reason:
            raise ValueError(reason)
        ready_r, ready_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the kernel: never returns into this loop
            try:
                os.close(ready_r)
                _kernel_child(request, state, fds, ready_w, [conn, *sockets, lifeline])
            finally:
                os._exit(1)
        os.close(ready_w)
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            raise RuntimeError("the kernel exited at once") from None
        try:
            os.read(ready_r, 1)  # the child has its own session now: its manager may signal its process group
        finally:
            os.close(ready_r)
        try:
            socket.send_fds(conn, [json.dumps({"pid": pid}).encode()], [pidfd])
        finally:
            os.close(pidfd)
    finally:
        for fd in fds:
            os.close(fd)


def _kernel_child(request: dict, state: dict, fds: list[int], ready_w: int, inherited: list) -> None:
    """In the forked child: become what ``launch_kernel`` would have started, then run ipykernel."""
    code = 1
    try:
        os.setsid()  # as launch_kernel's start_new_session=True: interrupts go to the kernel's process group
        os.write(ready_w, b"1")
        os.close(ready_w)
        for item in inherited:  # the zygote's sockets and lifeline
            item.close() if hasattr(item, "close") else os.close(item)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel waits for its own subprocesses
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as Python sets it up: interrupts the cell
        _die_with(state["zygote"])
        for target, fd in enumerate(fds):  # stdin, stdout, stderr
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.update(state["env_changes"])
        sys.argv = [state["launcher"], *request["cmd"][3:]]
        sys.orig_argv = list(request["cmd"])
        if "numpy.random" in sys.modules:  # a fresh import seeds numpy's legacy global generator from the OS
            sys.modules["numpy.random"].seed()
        from ipykernel import kernelapp

        # ipykernel_launcher's launch_new_instance(), passing the one trait whose default ipykernel read from the
        # environment at import (in the zygote, before the manager's JPY_PARENT_PID was known).
        app = kernelapp.IPKernelApp.instance(parent_handle=int(os.environ.get("JPY_PARENT_PID") or 0))
        app.initialize(sys.argv[1:])
        app.start()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        _exit_like_interpreter(code)


def _die_with(zygote: int) -> None:
    """Be killed when the zygote exits, as a launched kernel's parent poller ends it when its manager is gone."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != zygote:  # the zygote exited before prctl()
        os._exit(1)


def _exit_like_interpreter(code: int) -> None:
    """End the child as the interpreter ends a launched kernel (threads, atexit, flush), never returning."""
    import atexit
    import threading

    for step in (threading._shutdown, atexit._run_exitfuncs):  # type: ignore[attr-defined]  # what Py_Finalize does
        try:
            step()
        except BaseException:
            pass
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except BaseException:
            pass
    os._exit(code)


# ---- the managers' side ----------------------------------------------------------------------------------


class ForkedKernel:
    """The kernel process as a ``Popen``-like object, watched through a pidfd (it is the zygote's child).

    Its exit status is not known here: :attr:`returncode` is 0 once it has
    exited, or minus the signal this object sent to end it.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int):
        self.pid, self._pidfd = pid, pidfd
        self.returncode: int | None = None
        self._signalled = 0

    def poll(self) -> int | None:
        if self.returncode is None and self._exited(0):
            self._reap()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if not self._exited(timeout):
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            self._reap()
        return self.returncode  # type: ignore[return-value]

    async def wait_async(self) -> None:
        """Return as soon as the kernel has exited (its pidfd becomes readable), without polling."""
        import asyncio

        if self.poll() is not None:
            return
        loop = asyncio.get_running_loop()
        exited = loop.create_future()
        loop.add_reader(self._pidfd, lambda: exited.done() or exited.set_result(None))
        try:
            await exited
        finally:
            loop.remove_reader(self._pidfd)
        self.poll()

    def send_signal(self, signum: int) -> None:
        if self.poll() is not None:  # as Popen: nothing to signal once it has exited
            return
        signal.pidfd_send_signal(self._pidfd, signum)
        if signum in (signal.SIGKILL, signal.SIGTERM):
            self._signalled = signum

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def _exited(self, timeout: float | None) -> bool:
        import select

        return bool(select.select([self._pidfd], [], [], timeout)[0])

    def _reap(self) -> None:
        self.returncode = -self._signalled
        os.close(self._pidfd)
        self._pidfd = -1

    def __del__(self):
        if getattr(self, "_pidfd", -1) >= 0:
            os.close(self._pidfd)


def _stdio_fd(value: Any, default: int) -> int | None:
    """The descriptor ``Popen`` would give the kernel for ``value`` (None if only Popen can make it)."""
    if value is None:
        return default
    if isinstance(value, int):
        return value if value >= 0 else None  # PIPE, STDOUT, DEVNULL
    try:
        return value.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def request_kernel(cmd: list[str], kwargs: dict, log=None) -> ForkedKernel | None:
    """Have the zygote fork the kernel ``launch_kernel(cmd, **kwargs)`` would start; None if it cannot."""
    address = _zygote_address
    if address is None or not available():
        return None

    def refuse(reason: str) -> None:
        if log is not None:
            log.warning("helpers.kernels: launching the kernel normally: %s", reason)

    try:
        same_python = len(cmd) >= 3 and os.path.samefile(cmd[0], sys.executable)
    except OSError:
        same_python = False
    if not same_python or cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return refuse(f"not this interpreter's -m ipykernel_launcher: {cmd[:3]}")
    unknown = set(kwargs) - {"env", "cwd", "stdin", "stdout", "stderr"}
    if unknown:
        return refuse(f"launch options the zygote does not take: {sorted(unknown)}")
    stdout, stderr = _stdio_fd(kwargs.get("stdout"), 1), _stdio_fd(kwargs.get("stderr"), 2)
    if stdout is None or stderr is None or kwargs.get("stdin") is not None:
        return refuse("stdio other than inherited descriptors or open files")
    env = dict(kwargs["env"] if kwargs.get("env") is not None else os.environ)
    env["JPY_PARENT_PID"] = str(os.getpid())  # as launch_kernel does
    request = {"env": env, "cwd": os.path.abspath(kwargs.get("cwd") or os.getcwd()), "cmd": list(cmd)}
    stdin_r, stdin_w = os.pipe()  # as launch_kernel leaves it: a pipe whose write end is closed at once
    os.close(stdin_w)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as conn:
            conn.settimeout(REQUEST_TIMEOUT)
            conn.connect(address)
            socket.send_fds(conn, [json.dumps(request).encode()], [stdin_r, stdout, stderr])
            data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 1)
    except (OSError, ValueError) as e:
        return refuse(f"no answer from the zygote ({type(e).__name__}: {e})")
    finally:
        os.close(stdin_r)
    try:
        reply = json.loads(data or b"{}")
    except ValueError:
        reply = {}
    if "pid" not in reply or len(fds) != 1:
        for fd in fds:
            os.close(fd)
        return refuse(reply.get("error", "the zygote closed the connection"))
    return ForkedKernel(reply["pid"], fds[0])


_classes: dict[str, type] = {}


def manager_class(sync: bool = False) -> type:
    """A kernel manager whose kernels the zygote forks: asyncio (nbclient, papermill) or blocking (nbval).

    Without a running zygote it is jupyter_client's own manager in all but name.
    """
    key = "sync" if sync else "async"
    if key not in _classes:
        import uuid

        from jupyter_client.manager import AsyncKernelManager, KernelManager
        from jupyter_client.provisioning.local_provisioner import LocalProvisioner

        class ForkProvisioner(LocalProvisioner):
            """LocalProvisioner whose kernel the zygote forks (``Popen``-ed as usual when it cannot)."""

            async def launch_kernel(self, cmd: list[str], **kwargs: Any):
                process = request_kernel(cmd, LocalProvisioner._scrub_kwargs(kwargs), self.log)
                if process is None:
                    return await super().launch_kernel(cmd, **kwargs)
                self.process = process
                self.pid = self.pgid = process.pid  # the child called setsid() before the zygote answered
                self.cwd = kwargs.get("cwd", Path.cwd())
                return self.connection_info

        class ForkManagerMixin:
            async def _async_pre_start_kernel(self, **kw: Any):
                if self.provisioner is None and _zygote_address is not None:
                    kernel_id = kw.pop("kernel_id", None)
                    self.kernel_id = self.kernel_id or kernel_id or str(uuid.uuid4())
                    self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                       parent=self)
                return await super()._async_pre_start_kernel(**kw)

            async def _async_wait(self, pollinterval: float = 0.1) -> None:
                # jupyter_client polls every 0.1 s for the kernel to have exited (on every shutdown); a forked
                # kernel's pidfd says so at once.
                process = getattr(self.provisioner, "process", None)
                if isinstance(process, ForkedKernel):
                    await process.wait_async()
                else:
                    await super()._async_wait(pollinterval)

        _classes["async"] = type("ForkKernelManager", (ForkManagerMixin, AsyncKernelManager), {})
        _classes["sync"] = type("SyncForkKernelManager", (ForkManagerMixin, KernelManager), {})
    return _classes[key]
