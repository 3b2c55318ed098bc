"""The zygote that :mod:`helpers.build.kernelfork` forks nbval's kernels from: run as ``python -m
helpers.build.zygote LISTEN_FD READY_FD PARENT_PID`` by its client, which owns the protocol.

It imports :data:`~helpers.build.kernelfork.IMPORTS` and nothing else, puts what they made out of the garbage
collector's reach (``gc.freeze``, as a warm kernel of the main job does with its imports), then, for each request
on the listening socket its client passed it (a JSON line: the kernel command's arguments, folder and environment,
with four file descriptors: the kernel's standard streams and the pipe it signals on once its sockets are bound),
forks a kernel (:func:`_become_kernel`), sends its pid back, reaps it and sends its exit status on the same
connection.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import sys
import threading
from typing import Any

from helpers.build.kernelfork import IMPORTS, START_TIMEOUT
from helpers.build.workers import die_with_parent


def serve(listen_fd: int, ready_fd: int, parent: int) -> None:
    """The zygote: import :data:`IMPORTS`, write ``1`` to ``ready_fd``, then fork a kernel for each request on the
    listening socket ``listen_fd`` (its client's) until SIGTERM, reaping each and sending its exit status to its
    client's connection."""
    import importlib
    import select

    die_with_parent(parent)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel sets it
    # debugpy's import warns on stderr that Python's frozen modules may hide breakpoints: the zygote debugs nothing
    # (each kernel runs with its client's environment, set in _become_kernel)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for name in IMPORTS:
        importlib.import_module(name)
    # what the imports made lives as long as any kernel: out of the garbage collector's reach (gc.freeze), a
    # forked kernel's collections never walk it (nor write to its pages, which the fork shares): nbval 6 % faster
    gc.collect()
    gc.freeze()
    listener = socket.socket(fileno=listen_fd)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    os.write(ready_fd, b"1")
    os.close(ready_fd)
    kernels: dict[int, socket.socket] = {}  # pid -> its client's connection
    while not stop:
        try:
            watched: list[Any] = [listener, wake_r, *kernels.values()]
            readable: list[Any] = select.select(watched, [], [])[0]
        except InterruptedError:
            continue
        if wake_r in readable:
            os.read(wake_r, 512)
        _reap(kernels)
        for conn in [c for c in readable if c not in (listener, wake_r)]:
            pid = next((p for p, c in kernels.items() if c is conn), None)
            if pid is not None and not conn.recv(64):  # the client closed: its kernel goes
                _kill(pid)
        if listener in readable:
            conn, _ = listener.accept()
            pid = _fork_kernel(conn, listener, kernels)
            if pid is not None:
                kernels[pid] = conn
    for pid in list(kernels):
        _kill(pid)
    os._exit(0)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(kernels: dict[int, socket.socket]) -> None:
    while kernels:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = kernels.pop(pid, None)
        if conn is not None:
            try:
                conn.sendall(str(os.waitstatus_to_exitcode(status)).encode())
            except OSError:
                pass
            conn.close()


def _fork_kernel(conn: socket.socket, listener: socket.socket, kernels: dict[int, socket.socket]) -> int | None:
    conn.settimeout(START_TIMEOUT)
    try:
        message, fds, _flags, _addr = socket.recv_fds(conn, 1 << 20, 4)
        request = json.loads(message.decode())
    except (OSError, ValueError):
        conn.close()
        return None
    if threading.active_count() != 1 or len(fds) != 4:
        for fd in fds:
            os.close(fd)
        conn.close()  # the client reads no pid and starts an ordinary kernel
        return None
    zygote = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            _become_kernel(request, fds, [conn, listener, *kernels.values()], zygote)
        finally:
            os._exit(1)
    for fd in fds:
        os.close(fd)
    conn.settimeout(None)
    conn.sendall(str(pid).encode())
    return pid


def _become_kernel(request: dict, fds: list[int], sockets: list[socket.socket], zygote: int) -> None:
    """In the forked child: the kernel's own session, streams, folder, environment and ``sys.path[0]``, then
    ipykernel's application with the kernel command's arguments, as ``python -m ipykernel_launcher -f FILE …``
    runs it (``launch_instance``: initialise, then start); between the two, once its sockets are bound, it writes
    ``1`` to ``fds[3]``, which the client waits for (:func:`_wait_bound`)."""
    signal.set_wakeup_fd(-1)
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL if signum != signal.SIGINT else signal.default_int_handler)
    for s in sockets:
        s.close()
    os.setsid()
    die_with_parent(zygote)
    *streams, bound = fds
    for target, fd in enumerate(streams):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.path[0] = os.getcwd()  # what `python -m ipykernel_launcher` puts first
    argv = list(request["argv"])  # the kernel command's arguments: -f FILE and what the client adds
    # a default ipykernel reads from the environment when its module is imported (in the zygote, before this
    # kernel's environment existed): given here as the kernel's own command line would give it
    parent = os.environ.get("JPY_PARENT_PID", "")
    if parent.isdigit():
        argv.append(f"--IPKernelApp.parent_handle={parent}")
    sys.argv = [sys.argv[0], *argv]
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(argv)
    os.write(bound, b"1")
    os.close(bound)
    app.start()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
