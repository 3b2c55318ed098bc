"""Kernels forked from a warm parent: a jupyter_client kernel provisioner for nbval and the main job's warm kernels.

Owns :class:`ForkedProvisioner` (the provisioner named ``helpers-forked`` in ``pyproject.toml``'s
``jupyter_client.kernel_provisioners`` entry points), the kernelspec that selects it (:func:`kernelspec_dir`:
the kernel ``helpers-forked``, which ``pytest --nbval --nbval-kernel-name helpers-forked`` names) and the
*zygote* it forks kernels from (:mod:`helpers.build.zygote`).

A notebook's kernel normally starts a Python interpreter and imports IPython, ipykernel, pandas, seaborn and
matplotlib before its first cell does anything (the floor of ``bench/notebooks.py``).  nbval starts one such
kernel per notebook, through jupyter_client's public API only: a kernel name.  This provisioner starts, once
per client process, a zygote that has made exactly those imports and nothing else (no kernel, no socket, no
thread, no user code); each kernel is then a ``fork()`` of it that runs ``ipykernel``'s own application with
the connection file jupyter_client wrote.  A kernel is therefore as fresh as a newly started one (the
zygote never ran a cell, and each kernel is a copy of it, not a kernel reused after another notebook), but
starts in a fraction of the time.  A client process may share its zygote with the processes it starts
afterwards (:func:`share`: pytest's controller with pytest-xdist's workers; :func:`share_with_children`: the main
job's runner with its forked workers), so that one zygote imports for all of them, from before the first of them
has started.

Three waits of jupyter_client's are cut short with events.  The provisioner returns from a launch once the kernel
has bound its sockets (it writes to a pipe between initialising and starting): a client that connected earlier
would be refused, and ZeroMQ tries again only 0.1 s later.  A kill returns once the zygote has reported the
kernel's exit status: jupyter_client's manager looks whether the kernel is gone, then sleeps 0.1 s between looks.
And the manager's clients are ready once the kernel has answered their ``kernel_info`` on both channels
(:mod:`helpers.build.readiness`), not after 0.2 s of IOPub silence.

Every doubt falls back to an ordinary kernel, started as jupyter_client's :class:`LocalProvisioner` starts it:
a kernel command that is not this interpreter's ``ipykernel_launcher``, an environment that differs from the
zygote's (other than in the variables :data:`PER_KERNEL` and :data:`TERMINAL` name), a zygote that did not start
within :data:`START_TIMEOUT` seconds or that fails a request.  ``HELPERS_KERNEL_FORK=0`` turns forking off.

Lifetimes: the zygote gets SIGKILL when the client process that started it dies (``PR_SET_PDEATHSIG``) and is
asked to end at the client's exit (a shared zygote: those of the process that shared it); each kernel gets
SIGKILL when the zygote dies, runs in a session of its own (so signals to its process group reach it alone), and
is killed by the zygote when the client's connection for it closes.  The client sees each kernel as a process
(:class:`ForkedProcess`): ``poll``, ``wait``, ``send_signal``, ``kill`` and ``terminate`` act on the kernel's
pid, and its exit status comes from the zygote, which reaps it.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from helpers.build.forkspec import NAME as NAME
from helpers.build.forkspec import kernel_spec_manager as kernel_spec_manager
from helpers.build.forkspec import kernelspec_dir as kernelspec_dir
from helpers.build.kernels import kernel_transport
from helpers.build.publish import TMP_PREFIX, remove
from helpers.build.readiness import ready_on_idle

#: Seconds the zygote may take to import everything and listen; a request's answer is bounded by the same.
START_TIMEOUT = 120.0
#: Seconds a killed kernel's exit status is waited for before the kill returns (the manager goes on polling after).
KILL_WAIT = 2.0
#: What the zygote imports: what ipykernel and the notebooks import, never a kernel or a figure.
IMPORTS = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "PIL.Image",
    # what ipykernel's application imports as it starts a kernel (0.08 s, debugpy most of it)
    "ipykernel.debugger",
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.extensions.storemagic",
    "psutil",
    "sqlite3",
    "tornado.platform.asyncio",
)
#: Variables set per kernel (jupyter_client's), per test or per worker (pytest's and pytest-xdist's), or naming the
#: shared zygote (:func:`share`): not a reason to doubt the zygote's environment, since nothing the zygote imports
#: reads them.
PER_KERNEL = ("JPY_", "PYTEST_CURRENT_TEST", "PYTEST_XDIST_", "HELPERS_ZYGOTE")
#: The terminal's size, which GNU readline sets (``setenv``, unseen by ``os.environ``) in a process that loads it, as
#: pytest's controller does: the workers it starts inherit it, the zygote it starts with ``os.environ`` does not.
#: Read when text is printed, not when a module is imported.
TERMINAL = ("COLUMNS", "LINES")
_ENV_SWITCH = "HELPERS_KERNEL_FORK"
#: The address of a zygote its starter shares with the processes it starts afterwards (:func:`share`).
_SHARED = "HELPERS_ZYGOTE"


# ---- the client's side -----------------------------------------------------------------------------


class ZygoteError(RuntimeError):
    """The zygote could not start or answer: the provisioner starts an ordinary kernel instead."""


class _Zygote:
    """The zygote process of this client process: started by :func:`prestart` or on first use."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.address = ""
        self.env: dict[str, str] = {}
        self.ready_fd = -1  # read end of the pipe the zygote writes "1" to once it listens; -1 once read
        self.lock = threading.Lock()

    def start(self, env: dict[str, str], within: str | None = None) -> None:
        """Start the zygote (not waiting for it), its socket in a new folder of ``within`` (default: a folder of
        the temp dir named as the main job's run folders, ``helpers-run-PID-…``, which the next ``helpers run``
        removes as stale if this process dies without removing it); the caller holds :attr:`lock`.  Its socket
        listens from here on (the zygote inherits it): a request made before the zygote is ready waits for it, it
        is not refused."""
        prefix = f"{TMP_PREFIX}{os.getpid()}-" if within is None else "z"
        folder = tempfile.mkdtemp(prefix=prefix, dir=within)
        self.address = os.path.join(folder, "zygote.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        ready_r, ready_w = os.pipe()
        self.env = _comparable(env)
        try:
            listener.bind(self.address)
            listener.listen(16)
            command = [sys.executable, "-m", "helpers.build.zygote", str(listener.fileno()), str(ready_w)]
            self.proc = subprocess.Popen(
                [*command, str(os.getpid())],
                env=env,
                pass_fds=(ready_w, listener.fileno()),
                stdin=subprocess.DEVNULL,
            )
        except OSError:
            os.close(ready_r)
            raise
        finally:
            os.close(ready_w)
            listener.close()  # the zygote's copy listens; once it ends, a request is refused
        self.ready_fd = ready_r

    def ensure(self, env: dict[str, str]) -> str:
        """The address of a zygote that listens (started if needed, or the one a parent process shares); raises
        :class:`ZygoteError`."""
        with self.lock:
            theirs = shared()
            if self.proc is None and theirs:
                try:  # the environment the zygote imported under, which its starter wrote beside its socket
                    self.env = json.loads(_env_file(theirs).read_text(encoding="utf-8"))
                    return theirs
                except (OSError, ValueError) as e:
                    raise ZygoteError(f"the shared zygote {theirs} cannot be used ({e})") from None
            if self.proc is None or self.proc.poll() is not None:
                self.stop()
                self.start(env)
            if self.ready_fd >= 0:
                fd, self.ready_fd = self.ready_fd, -1
                try:
                    assert self.proc is not None
                    _wait_ready(fd, self.proc, START_TIMEOUT)
                except ZygoteError:
                    self.stop()
                    raise
                finally:
                    os.close(fd)
            return self.address

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if self.address and os.environ.get(_SHARED) == self.address:
            del os.environ[_SHARED]
        if self.ready_fd >= 0:
            os.close(self.ready_fd)
            self.ready_fd = -1
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        if self.address:
            remove(Path(self.address).parent)
        self.address = ""


def share(within: str | None = None) -> None:
    """Start this process's zygote (:func:`prestart`; its socket's folder in ``within``, default the temp dir) and
    share it with the processes this one starts afterwards (pytest-xdist's workers): its address in
    ``HELPERS_ZYGOTE``, the environment it imports under in a file beside its socket.  One zygote then imports for
    all of them, from the moment the first of them is started.  Does nothing when forking is off."""
    prestart(within=within)
    with _ZYGOTE.lock:
        if _ZYGOTE.proc is not None and _ZYGOTE.address:  # none when forking is off
            _env_file(_ZYGOTE.address).write_text(json.dumps(_ZYGOTE.env), encoding="utf-8")
            os.environ[_SHARED] = _ZYGOTE.address


def share_with_children(within: str) -> bool:
    """Before this process forks processes that start kernels (the main job's workers, whose managers name the
    kernel ``helpers-forked`` through :func:`kernel_spec_manager`): a zygote shared with them (:func:`share`), its
    socket's folder in ``within`` (the run's own folder, which the run removes, or the next start after it was
    killed), or the one a parent process already shares.  True when there is one to fork from (False when forking is
    off or impossible here); :func:`stop` ends it."""
    if os.environ.get(_ENV_SWITCH, "1") == "0" or not hasattr(socket, "send_fds"):
        return False
    if not shared():
        try:
            share(within)
        except OSError:  # a socket path too long for AF_UNIX, a folder that cannot be made: ordinary kernels
            stop()
            return False
    return bool(shared())


def stop() -> None:
    """End this process's zygote (and so the kernels forked from it), if it started one; a zygote a parent
    process shares is left to that process."""
    _ZYGOTE.stop()


def _forget_in_child() -> None:
    """In a process forked from this one: the zygote is not its child (it cannot wait for it, and must not end
    it), so it forgets it; it forks its kernels from the zygote this process shares (:func:`shared`) or starts
    its own."""
    inherited = _ZYGOTE.ready_fd
    _ZYGOTE.__init__()  # type: ignore[misc]  # a new lock too: another thread may have held this one at the fork
    if inherited >= 0:
        with contextlib.suppress(OSError):
            os.close(inherited)


os.register_at_fork(after_in_child=_forget_in_child)


def _env_file(address: str) -> Path:
    """Where a shared zygote's environment is written: beside its socket, in the zygote's own folder."""
    return Path(address + ".env")


def shared() -> str:
    """The address of the zygote a parent process shares with this one (:func:`share`), or ``""``."""
    return os.environ.get(_SHARED, "")


def prestart(env: dict[str, str] | None = None, within: str | None = None) -> None:
    """Start this process's zygote now, without waiting for it (its imports overlap what the caller does next,
    e.g. pytest's collection); the first kernel waits for it.  Does nothing when forking is off or it runs."""
    if os.environ.get(_ENV_SWITCH, "1") == "0":
        return
    with _ZYGOTE.lock:
        if _ZYGOTE.proc is None:
            _ZYGOTE.start(dict(os.environ if env is None else env), within)


def _signalled(fd: int, timeout: float) -> bytes | None:
    """What a pipe's writer signals (it writes ``1`` once ready): ``b"1"``, ``b""`` when it ended first, None when
    ``timeout`` seconds passed."""
    import select

    return os.read(fd, 1) if select.select([fd], [], [], timeout)[0] else None


def _wait_bound(fd: int, timeout: float) -> None:
    """Until the forked kernel has bound its sockets (it writes to ``fd``), it ends (end of file) or ``timeout``
    seconds pass; then ``fd`` is closed.  A client that connects before the kernel listens is refused, and ZeroMQ
    tries again only 0.1 s later: the kernel would answer its first request that much later.  A kernel that ended
    is left for the manager to find, as it finds any kernel that died."""
    try:
        _signalled(fd, timeout)
    finally:
        os.close(fd)


def _wait_ready(fd: int, proc: subprocess.Popen, timeout: float) -> None:
    signalled = _signalled(fd, timeout)
    if signalled is None:
        raise ZygoteError(f"the zygote did not start in {timeout:.0f} s")
    if signalled != b"1":
        code = proc.wait(10)
        raise ZygoteError(f"the zygote ended before it was ready (exit status {code})")


_ZYGOTE = _Zygote()
atexit.register(_ZYGOTE.stop)


def _comparable(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if not k.startswith(PER_KERNEL) and k not in TERMINAL}


class ForkedProcess:
    """A forked kernel as jupyter_client sees a kernel process (the part of ``subprocess.Popen`` it uses)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, conn: socket.socket):
        self.pid, self.conn = pid, conn
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.conn.setblocking(False)
            try:
                self._read()
            except BlockingIOError:
                pass
            finally:
                if self.returncode is None:
                    self.conn.setblocking(True)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.conn.settimeout(timeout)
            try:
                self._read()
            except TimeoutError:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0) from None
            finally:
                if self.returncode is None:
                    self.conn.settimeout(None)
        assert self.returncode is not None
        return self.returncode

    def _read(self) -> None:
        data = self.conn.recv(64)
        # the zygote sends the exit status and closes; nothing (EOF) means the zygote itself is gone, and
        # its kernels with it (PR_SET_PDEATHSIG)
        self.returncode = int(data.decode()) if data.strip() else -signal.SIGKILL
        self.conn.close()

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedProvisioner(LocalProvisioner):
    """:class:`LocalProvisioner` whose kernels are forked from the client's zygote when nothing argues against it
    (see the module's docstring); ``self.process`` is then a :class:`ForkedProcess`."""

    _ipc_folder = ""  # the folder of this kernel's IPC sockets, made by pre_launch

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        """A kernel its manager would connect to over TCP on this machine talks over IPC sockets instead, in a
        folder of its own (:func:`helpers.build.kernels.kernel_transport`'s; one a killed run leaves is removed as
        stale by the next ``helpers run``): a TCP port the manager picks is free when picked, but another
        process can take it before the kernel binds it, and the kernel then dies at its start (jupyter_client's
        known race, more likely with several clients starting kernels at once, as pytest-xdist's workers do).
        The main job's kernels use IPC for the same reason.  The manager's clients wait for the kernel's
        readiness as :func:`helpers.build.readiness.ready_on_idle` does (an event), not for 0.2 s of IOPub silence."""
        km = self.parent
        if km is not None:
            km.client_factory = ready_on_idle(km.client_factory)  # ready at its kernel's word, not after silence
            if km.transport == "tcp" and not self._ipc_folder:
                folder = kernel_transport().folder  # a run folder of the temp dir, as the main job's (None: too long)
                if folder is not None:
                    self._ipc_folder = str(folder)
                    km.transport, km.ip = "ipc", str(folder / "k")
        return await super().pre_launch(**kwargs)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart=restart)
        if self._ipc_folder and not restart:
            folder, self._ipc_folder = self._ipc_folder, ""
            remove(Path(folder))

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        forked = self._fork(cmd, kwargs)
        if forked is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = forked  # type: ignore[assignment]  # what jupyter_client uses of a Popen
        self.pid = self.pgid = forked.pid  # the kernel leads a session and process group of its own
        self.cwd = kwargs.get("cwd") or os.getcwd()
        return self.connection_info

    async def kill(self, restart: bool = False) -> None:
        """SIGKILL, as :class:`LocalProvisioner` sends it, then the kernel's exit status, which the zygote reports
        as soon as it has reaped it (at most :data:`KILL_WAIT` seconds): jupyter_client's manager then finds the
        kernel gone at its first look, instead of sleeping 0.1 s before looking again (nbval ends every notebook's
        kernel so)."""
        await super().kill(restart=restart)
        if isinstance(self.process, ForkedProcess):
            with contextlib.suppress(subprocess.TimeoutExpired, OSError):
                self.process.wait(timeout=KILL_WAIT)

    def _fork(self, cmd: list[str], kwargs: dict[str, Any]) -> ForkedProcess | None:
        if os.environ.get(_ENV_SWITCH, "1") == "0" or not hasattr(socket, "send_fds"):
            return None
        if cmd[:3] != [sys.executable, "-m", "ipykernel_launcher"] or "-f" not in cmd[3:-1]:
            return None
        env = dict(kwargs.get("env") or os.environ)
        try:
            address = _ZYGOTE.ensure(env)
        except (ZygoteError, OSError) as e:
            self.log.warning("helpers-forked: starting an ordinary kernel (%s)", e)
            return None
        differ = sorted(k for k in {*_comparable(env), *_ZYGOTE.env} if _comparable(env).get(k) != _ZYGOTE.env.get(k))
        if differ:  # the zygote imported under another environment: a fresh kernel settles the doubt
            self.log.info("helpers-forked: an ordinary kernel (environment differs: %s)", ", ".join(differ[:5]))
            return None
        if not kwargs.get("independent"):
            env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it: the kernel watches us
        request = {"argv": cmd[3:], "cwd": str(kwargs.get("cwd") or os.getcwd()), "env": env}
        fds, opened = self._streams(kwargs)
        if fds is None:
            return None
        bound_r, bound_w = os.pipe()  # the kernel writes "1" to it once its sockets are bound
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.settimeout(START_TIMEOUT)
            conn.connect(address)
            socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [*fds, bound_w])
            answer = conn.recv(64)
            conn.settimeout(None)
            pid = int(answer.decode())
        except (OSError, ValueError) as e:
            conn.close()
            os.close(bound_r)
            self.log.warning("helpers-forked: the zygote did not fork a kernel (%s); starting an ordinary one", e)
            return None
        finally:
            os.close(bound_w)
            for stream in opened:
                stream.close()
        _wait_bound(bound_r, START_TIMEOUT)
        return ForkedProcess(pid, conn)

    def _streams(self, kwargs: dict[str, Any]) -> tuple[list[int] | None, list[Any]]:
        """The descriptors of the kernel's stdin, stdout and stderr as ``subprocess.Popen`` would give them (None
        as this process's own descriptor, not ``sys.stdout``, which a caller may have replaced by an object without
        one; no stdin and ``DEVNULL`` as the null device), and the files opened for them, to close once sent.
        (None, []) when a kernel of its own is needed: a pipe back to this process or a stream with no descriptor."""
        fds: list[int] = []
        opened: list[Any] = []
        try:
            for i, stream in enumerate(kwargs.get(name) for name in ("stdin", "stdout", "stderr")):
                if stream is subprocess.DEVNULL or (stream is None and i == 0):
                    stream = open(os.devnull, "r+b")  # noqa: SIM115  closed by the caller, once sent
                    opened.append(stream)
                if isinstance(stream, int) and stream < 0:  # subprocess.PIPE or STDOUT
                    raise ValueError(f"stream {i} is {stream}")
                fds.append(i if stream is None else stream if isinstance(stream, int) else stream.fileno())
        except (OSError, ValueError) as e:
            for stream in opened:
                stream.close()
            self.log.info("helpers-forked: an ordinary kernel (%s)", e)
            return None, []
        return fds, opened
