"""Calls run at the same time, each in a forked process of its own, their results yielded as each finishes.

Owns :func:`each` (used by :mod:`helpers.build.site` to build the two editions at once).  A call's result comes
back through a pipe; an exception of the kind the caller expects comes back as its message, any other as its
type and message; a process that ends without a result, or calls that pass their timeout, raise
:class:`ForkedError` naming the call and the cause.  Every process is ended when the caller stops iterating.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from helpers.build.workers import exit_status


class ForkedError(RuntimeError):
    """A call that failed, ended without a result or took too long: names the call (its key) and the cause."""


def each(
    function: Callable[..., Any],
    calls: dict[str, tuple],
    *,
    expected: type[BaseException],
    timeout: float,
    what: str = "the call",
) -> Iterator[tuple[str, Any]]:
    """Run ``function(*args)`` for each ``key: args`` of ``calls`` in a forked process; yield ``(key, result)`` in
    the order they finish.  An ``expected`` exception is raised again as :class:`ForkedError` with its message;
    the others are named by type.  ``timeout`` (seconds) bounds them all together."""
    import multiprocessing
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("fork")
    running: dict[Any, tuple[str, Any]] = {}
    try:
        for key, args in calls.items():
            mine, theirs = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(function, key, args, expected, theirs), daemon=True)
            proc.start()
            theirs.close()
            running[mine] = (key, proc)
        deadline = time.monotonic() + timeout
        while running:
            ready: list[Any] = wait(list(running), timeout=max(0.0, deadline - time.monotonic()))
            if not ready:
                late = ", ".join(key for key, _ in running.values())
                raise ForkedError(f"{late}: {what} did not finish in {timeout:.0f} s")
            for conn in ready:
                key, proc = running.pop(conn)
                try:
                    ok, value = conn.recv()
                except EOFError:
                    proc.join(5)
                    raise ForkedError(
                        f"{key}: its process ended ({exit_status(proc.exitcode)}) without a result"
                    ) from None
                finally:
                    conn.close()
                proc.join(5)
                if not ok:
                    raise ForkedError(value)
                yield key, value
    finally:
        for conn, (_key, proc) in running.items():
            proc.kill()
            proc.join(5)
            conn.close()


def _child(function: Callable[..., Any], key: str, args: tuple, expected: type[BaseException], conn: Any) -> None:
    """In the forked process: send ``(True, result)`` or ``(False, message)``, then leave at once."""
    try:
        result: tuple = (True, function(*args))
    except expected as e:
        result = (False, str(e))
    except BaseException as e:  # anything else: named, never a traceback lost in a child
        result = (False, f"{key}: {type(e).__name__}: {e}")
    try:
        conn.send(result)
        conn.close()
    finally:
        os._exit(0)  # no atexit handlers or finalizers of the parent's objects in this copy
