"""A kernel client is ready at its kernel's word (helpers.build.readiness): the idle status of its own kernel_info
request, not 0.2 s of IOPub silence; the checks and errors of jupyter_client's own wait are kept.

The unit tests drive the wait with channels that are queues (nothing here waits on a clock: an empty queue raises
Empty at once); tests/test_kernelfork.py starts a real kernel whose client is of this kind."""

from __future__ import annotations

import itertools
from queue import Empty

import pytest
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.blocking import BlockingKernelClient
from jupyter_core.utils import run_sync

from helpers.build import readiness


class Channel:
    """A channel whose messages are a list; ``get_msg`` raises Empty when it has none (as a timeout would)."""

    def __init__(self) -> None:
        self.messages: list[dict] = []

    def get_msg(self, timeout: float | None = None) -> dict:
        if not self.messages:
            raise Empty
        return self.messages.pop(0)


def message(msg_type: str, parent: str, **content) -> dict:
    return {"msg_type": msg_type, "parent_header": {"msg_id": parent}, "content": content}


def fake_client(base: type, *, answers: list[str], alive: bool = True, protocol: str = "5.3"):
    """A client of ``readiness.ready_on_idle(base)`` whose kernel answers its n-th kernel_info request as
    ``answers[n]`` says: ``"both"`` (reply, busy and idle on IOPub, then a later message), ``"shell"`` (the reply
    only: IOPub not yet connected) or ``"none"``."""
    ids = (f"info-{n}" for n in itertools.count())

    class Fake(readiness.ready_on_idle(base)):  # type: ignore[misc]
        shell_channel = Channel()
        iopub_channel = Channel()
        requests: list[str] = []

        def kernel_info(self) -> str:
            msg_id = next(ids)
            answer = answers[len(self.requests)] if len(self.requests) < len(answers) else "none"
            self.requests.append(msg_id)
            if answer in ("both", "shell"):
                self.shell_channel.messages.append(message("kernel_info_reply", msg_id, protocol_version=protocol))
            if answer == "both":
                self.iopub_channel.messages += [
                    message("status", msg_id, execution_state="busy"),
                    message("status", "someone-else", execution_state="idle"),
                    message("status", msg_id, execution_state="idle"),
                    message("stream", "later", name="stdout", text="published after the idle"),
                ]
            return msg_id

        def is_alive(self) -> bool:
            return alive

    return Fake()


BASES = [BlockingKernelClient, AsyncKernelClient]


def wait(client, timeout: float | None = 10) -> None:
    if isinstance(client, AsyncKernelClient):
        run_sync(client.wait_for_ready)(timeout=timeout)
    else:
        client.wait_for_ready(timeout=timeout)


@pytest.mark.parametrize("base", BASES, ids=["blocking", "async"])
def test_a_client_is_ready_at_the_idle_of_its_own_request_and_leaves_later_messages_unread(base):
    client = fake_client(base, answers=["both"])
    wait(client)
    assert client.requests == ["info-0"]
    # what came after the idle is still there: the wait ended on the event, it did not drain IOPub
    assert [m["parent_header"]["msg_id"] for m in client.iopub_channel.messages] == ["later"]


@pytest.mark.parametrize("base", BASES, ids=["blocking", "async"])
def test_a_client_asks_again_while_iopub_is_not_connected(base):
    client = fake_client(base, answers=["shell", "none", "both"])
    wait(client)
    assert client.requests == ["info-0", "info-1", "info-2"]


def test_a_kernel_that_died_before_replying_is_an_error():
    client = fake_client(BlockingKernelClient, answers=[], alive=False)
    with pytest.raises(RuntimeError, match="died before replying"):
        wait(client)


def test_a_kernel_that_never_answers_fails_after_the_timeout_it_names():
    client = fake_client(BlockingKernelClient, answers=[])
    with pytest.raises(RuntimeError, match="in 0 seconds"):
        wait(client, timeout=0)


@pytest.mark.parametrize("protocol, adapted", [("5.3", 0), ("4.1", 4)])  # 0: not adapted
def test_a_kernel_of_another_major_protocol_version_gets_messages_adapted_to_it(protocol, adapted):
    client = fake_client(BlockingKernelClient, answers=["both"], protocol=protocol)
    wait(client)
    assert client.session.adapt_version == adapted


def test_one_class_per_base_and_a_ready_class_is_kept_as_it_is():
    ready = readiness.ready_on_idle(BlockingKernelClient)
    assert readiness.ready_on_idle(BlockingKernelClient) is ready and readiness.ready_on_idle(ready) is ready
    assert issubclass(ready, BlockingKernelClient) and not issubclass(ready, AsyncKernelClient)
    assert issubclass(readiness.ready_on_idle(AsyncKernelClient), AsyncKernelClient)
