"""helpers.build.forked.each: calls at once in forked processes, every way they can end named."""

from __future__ import annotations

import os
import threading

import pytest

from helpers.build.forked import ForkedError, each


class Expected(RuntimeError):
    pass


def double(x: int) -> int:
    return 2 * x


def refuse(x: int) -> int:
    raise Expected(f"call {x}: refused")


def crash(x: int) -> int:
    raise ZeroDivisionError("division by zero")


def vanish(x: int) -> int:
    os._exit(3)


def block(x: int) -> int:
    threading.Event().wait()  # never set: only the timeout ends it
    return x


def test_every_result_comes_back_under_its_key():
    assert dict(each(double, {"a": (1,), "b": (2,)}, expected=Expected, timeout=60)) == {"a": 2, "b": 4}


def test_an_expected_failure_keeps_its_message():
    with pytest.raises(ForkedError, match="^call 7: refused$"):
        list(each(refuse, {"a": (7,)}, expected=Expected, timeout=60))


def test_another_failure_is_named_by_its_key_and_type():
    with pytest.raises(ForkedError, match="^b: ZeroDivisionError: division by zero$"):
        list(each(crash, {"b": (1,)}, expected=Expected, timeout=60))


def test_a_process_that_ends_without_a_result_is_named_with_its_exit_status():
    with pytest.raises(ForkedError, match="c: its process ended \\(exit status 3\\) without a result"):
        list(each(vanish, {"c": (1,)}, expected=Expected, timeout=60))


def test_calls_that_pass_their_timeout_are_named_and_ended():
    with pytest.raises(ForkedError, match="d: Sphinx did not finish in 1 s"):
        list(each(block, {"d": (1,)}, expected=Expected, timeout=1, what="Sphinx"))
