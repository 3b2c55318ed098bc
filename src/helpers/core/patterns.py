"""A schema's ``pattern`` constraints, run so that no pattern can hang the validator.

Python's regular expressions backtrack: a pattern such as ``(a+)+$`` takes time exponential in the length of
a cell that almost matches.  Two guards, both here:

* :func:`problem` refuses, when the schema is read, what is not a regular expression and the shapes that
  backtrack without bound: a repeat (``*``, ``+``, ``{m,n}`` with n > 1) whose body holds another repeat or an
  alternation (``(a+)+``, ``(a|aa)*``, ``(\\w+\\s?)*``), and backreferences (``(a)\\1``).  Optional parts
  (``(\\.[0-9]+)?``) and plain repeats (``[0-9]+``) stay allowed;
* :func:`fullmatch` matches a cell within :data:`TIME_LIMIT` seconds (in the main thread, where a timer can
  interrupt the matcher); a match that takes longer is :class:`PatternTimeout`, named by the caller like any
  other failed cell.
"""

from __future__ import annotations

import re
import re._parser as _sre  # the parser of the `re` module (Python 3.11+)
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds one cell may take to match its pattern.
TIME_LIMIT = 2.0
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class PatternTimeout(Exception):
    """A cell took longer than :data:`TIME_LIMIT` to match its pattern."""


def problem(pattern: str) -> str | None:
    """Why ``pattern`` is refused (not a regular expression, or one that can backtrack without bound), or None."""
    try:
        re.compile(pattern)
        tree = _sre.parse(pattern)
    except (re.error, RecursionError, OverflowError) as e:
        return f"is not a regular expression: {e}"
    return _walk(list(tree), inside_repeat=False)


def _children(op: str, av) -> list[list]:
    if op == "SUBPATTERN":
        return [list(av[-1])]
    if op == "BRANCH":
        return [list(p) for p in av[1]]
    if op in ("ASSERT", "ASSERT_NOT"):
        return [list(av[1])]
    if op in _REPEATS:
        return [list(av[2])]
    if op == "GROUPREF_EXISTS":
        return [list(p) for p in av[1:] if p is not None]
    if op == "ATOMIC_GROUP":
        return [list(av)]
    return []


def _walk(items: list, inside_repeat: bool) -> str | None:
    for op, av in items:
        name = str(op)
        if name in ("GROUPREF", "GROUPREF_EXISTS"):
            return "uses a backreference (refused: it can take time exponential in a cell's length)"
        if inside_repeat and (name in _REPEATS or name == "BRANCH"):
            what = "an alternation" if name == "BRANCH" else "another repeat"
            return (
                f"repeats a group holding {what}, which can take time exponential in a cell's length "
                "(write it without the nested repeat)"
            )
        many = name in _REPEATS and (av[1] is _sre.MAXREPEAT or av[1] > 1)
        for child in _children(name, av):
            found = _walk(child, inside_repeat or many)
            if found:
                return found
    return None


@contextmanager
def _bounded(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # no timer outside the main thread: the shapes refused by problem() are the guard there
        return

    def expired(signum, frame) -> None:
        raise PatternTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fullmatch(pattern: str, cell: str, seconds: float = TIME_LIMIT) -> bool:
    """Whether the whole ``cell`` matches ``pattern``, decided within ``seconds`` (else :class:`PatternTimeout`)."""
    with _bounded(seconds):
        return re.fullmatch(pattern, cell) is not None
