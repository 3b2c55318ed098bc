"""A run killed while Sphinx renders leaves nothing that reaches the next run's site: every page of the next
successful run carries that run's parameters (the site's Sphinx state is tied to its inputs, see
:mod:`helpers.build.site`).

The kill waits on events, never on a sleep: the run's line "site: zh rendered", then the kernel's notice
(inotify) that Sphinx recorded the English build's new parameters (``.buildinfo`` rewritten), which it does before
writing any page.  Its state then says "built for 7.0" while pages whose notebooks do not depend on the parameter
still carry 6.5 at their foot: a next run that took that state as up to date would publish a site of mixed
parameters."""

from __future__ import annotations

import ctypes
import os
import queue
import re
import select
import signal
import struct
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT
from helpers.core.langs import LANGS
from helpers.reader import words

LINE_TIMEOUT = 900  # seconds to wait for the run to reach the line (execution included)
#: The exchange rate as the page foot words it (words.csv site_param.fx_usd_cny, both languages).
FOOTER_FX = "|".join(
    re.escape(words.say("site_param.fx_usd_cny", lang, value="@")).replace("@", "([0-9.]+)") for lang in LANGS
)


def start(district, out, fx: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "helpers", "run", "--data-dir", str(district), "--out", str(out), "--jobs", "2"]
        + ["-p", "fx_usd_cny", fx],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )


def lines_of(proc: subprocess.Popen) -> queue.Queue:
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


IN_CLOSE_WRITE, IN_MOVED_TO, IN_CREATE, IN_DELETE_SELF = 0x08, 0x80, 0x100, 0x400


def rewritten(path, old: bytes | None, timeout: float) -> None:
    """Block until ``path`` holds bytes other than ``old`` (inotify on its nearest existing folder, which follows
    the folder being removed and made again), within ``timeout`` s.  The checks after each watch is added close the
    races with a write, or a nearer folder made, before it (inotify does not report what happens inside a subfolder
    of the watched one: a subfolder made between finding the folder and watching it would hide the file's write)."""
    libc = ctypes.CDLL(None, use_errno=True)
    deadline = time.monotonic() + timeout
    while True:
        folder = path.parent
        while not folder.is_dir():
            folder = folder.parent
        fd = libc.inotify_init()
        assert fd >= 0, os.strerror(ctypes.get_errno())
        try:
            mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF
            if libc.inotify_add_watch(fd, str(folder).encode(), mask) < 0:
                continue  # the folder went away meanwhile: look again
            nearest = path.parent
            while not nearest.is_dir():
                nearest = nearest.parent
            if nearest != folder:
                continue  # a folder nearer the file appeared before the watch: its events would not reach this one
            try:
                if path.read_bytes() != old:
                    return
            except OSError:
                pass
            left = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(left, 0))
            assert ready, f"{path} not rewritten within {timeout} s"
            data = os.read(fd, 65536)
            assert struct.calcsize("iIII") <= len(data)
        finally:
            os.close(fd)


def run_to_end(district, out, fx: str) -> None:
    proc = start(district, out, fx)
    output, _ = proc.communicate(timeout=LINE_TIMEOUT)
    assert proc.returncode == 0, output[-3000:]


def footer_values(site) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for page in sorted(site.glob("*/*.html")):
        for match in re.finditer(FOOTER_FX, page.read_text(encoding="utf-8")):
            value = next(g for g in match.groups() if g)
            found.setdefault(value, set()).add(f"{page.parent.name}/{page.name}")
    return found


@pytest.mark.slow
def test_after_a_kill_during_rendering_every_page_carries_the_next_runs_parameters(district, tmp_path):
    out = tmp_path / "out"
    run_to_end(district, out, "6.5")  # Sphinx's state now holds pages for 6.5
    buildinfo = out / ".cache" / "site" / "en" / "html" / ".buildinfo"
    before = buildinfo.read_bytes()  # the English build's parameters as Sphinx recorded them for 6.5
    proc = start(district, out, "7.0")
    lines = lines_of(proc)
    seen = []
    while True:
        line = lines.get(timeout=LINE_TIMEOUT)
        assert line is not None, "the run ended before rendering:\n" + "".join(seen)[-3000:]
        seen.append(line)
        if "site: zh rendered" in line:  # zh done; en about to be rendered
            break
    # Sphinx records the new parameters first (.buildinfo), then writes the pages whose notebooks changed
    rewritten(buildinfo, before, LINE_TIMEOUT)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert set(footer_values(out / "site")) == {"6.5"}  # the killed run published nothing
    run_to_end(district, out, "7.0")  # the killed run's parameters again (its executions are cached)
    pages = footer_values(out / "site")
    assert set(pages) == {"7.0"}, pages
    assert len(pages["7.0"]) >= 8  # every notebook page of both languages
