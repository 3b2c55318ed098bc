"""A kernel client that is ready when its kernel says so: jupyter_client's ``wait_for_ready`` with its last wait
made an event.

Owns :func:`ready_on_idle`, the client class a :class:`~helpers.build.kernelfork.ForkedProvisioner` gives the
manager whose kernel it starts (nbval's) and the main job's kept clients derive from.

jupyter_client's ``wait_for_ready`` asks for ``kernel_info`` until a reply comes on the shell channel and IOPub
has carried a message, then drains IOPub until it has been silent for 0.2 s: every kernel start spends those
0.2 s idle after its kernel is ready, and nbval starts one kernel per notebook.  A kernel publishes
``status: idle`` on IOPub once it has handled a request, after everything else the request made it publish (the
messaging protocol: ``busy`` before any request, ``idle`` after it), so the ``idle`` that answers the client's
own ``kernel_info`` says both that IOPub is connected and that nothing of that request is still to come.  This
client waits for that message instead of for silence: the same request, each try bounded by jupyter_client's own
waits (:data:`REPLY_WAIT`, :data:`IOPUB_WAIT`), the same retries while IOPub is not yet connected and the same
errors when the kernel dies or the timeout passes.  Callers that read a request's messages match them by its id
(nbval and nbclient do), so a message the kernel publishes later is never taken for one of theirs.
"""

from __future__ import annotations

import math
import time
from queue import Empty
from typing import Any

#: Seconds jupyter_client waits for a ``kernel_info`` reply before it asks again.
REPLY_WAIT = 1.0
#: Seconds it waits for an IOPub message before it takes IOPub for not (yet) connected.
IOPUB_WAIT = 0.2

_CLASSES: dict[type, type] = {}


def ready_on_idle(base: type) -> type:
    """``base``, a blocking or asyncio ``KernelClient`` class, with ``wait_for_ready`` ending at the ``idle``
    status of its own ``kernel_info`` request (:func:`wait_until_idle`); a class that already does is returned as
    it is.  One class per ``base``."""
    from jupyter_client.asynchronous import AsyncKernelClient

    if getattr(base, "helpers_ready_on_idle", False):
        return base
    if base not in _CLASSES:
        if issubclass(base, AsyncKernelClient):

            class AsyncReadyOnIdle(base):
                helpers_ready_on_idle = True

                async def wait_for_ready(self, timeout: float | None = None) -> None:
                    await wait_until_idle(self, timeout)

            _CLASSES[base] = AsyncReadyOnIdle
        else:
            from jupyter_core.utils import run_sync

            class ReadyOnIdle(base):
                helpers_ready_on_idle = True

                def wait_for_ready(self, timeout: float | None = None) -> None:
                    run_sync(wait_until_idle)(self, timeout)

            _CLASSES[base] = ReadyOnIdle
    return _CLASSES[base]


async def wait_until_idle(client: Any, timeout: float | None = None) -> None:
    """Until ``client``'s kernel has replied to a ``kernel_info`` request on the shell channel and published that
    request's ``idle`` status on IOPub; asked again after :data:`REPLY_WAIT` seconds without a reply or
    :data:`IOPUB_WAIT` seconds without an IOPub message (IOPub not yet connected), as jupyter_client asks again.
    Raises RuntimeError when the kernel dies first or ``timeout`` seconds (None: no limit) pass."""
    from jupyter_core.utils import ensure_async

    deadline = time.monotonic() + (math.inf if timeout is None else timeout)
    while True:
        msg_id = client.kernel_info()
        try:
            reply = await ensure_async(client.shell_channel.get_msg(timeout=REPLY_WAIT))
        except Empty:
            reply = None
        if reply is not None and reply["msg_type"] == "kernel_info_reply" and await _idle(client, msg_id, deadline):
            _adapt(client, reply)
            return
        if not await ensure_async(client.is_alive()):
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


def _adapt(client: Any, reply: dict) -> None:
    """As jupyter_client's own wait does with the reply: a kernel of another major protocol version gets messages
    adapted to it (``Session.adapt_version``)."""
    from jupyter_client import protocol_version_info

    major = int(reply["content"]["protocol_version"].split(".")[0])
    if major != protocol_version_info[0]:
        client.session.adapt_version = major


async def _idle(client: Any, msg_id: str, deadline: float) -> bool:
    """True once IOPub carries the ``idle`` status of request ``msg_id``; False after :data:`IOPUB_WAIT` seconds
    without a message or once ``deadline`` (monotonic seconds) has passed."""
    from jupyter_core.utils import ensure_async

    while time.monotonic() <= deadline:
        try:
            msg = await ensure_async(client.iopub_channel.get_msg(timeout=IOPUB_WAIT))
        except Empty:
            return False
        if (
            msg["msg_type"] == "status"
            and msg["parent_header"].get("msg_id") == msg_id
            and msg["content"].get("execution_state") == "idle"
        ):
            return True
    return False
