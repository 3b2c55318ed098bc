"""A run killed while Sphinx renders leaves nothing that reaches the next run's site: every page of the next
successful run carries that run's parameters (the site's Sphinx state is tied to its inputs, see
:mod:`helpers.build.site`).  The kill waits on the run's own line "site: zh rendered", never on a sleep."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading

import pytest

from conftest import ROOT

LINE_TIMEOUT = 900  # seconds to wait for the run to reach the line (execution included)


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


def run_to_end(district, out, fx: str) -> None:
    proc = start(district, out, fx)
    output, _ = proc.communicate(timeout=LINE_TIMEOUT)
    assert proc.returncode == 0, output[-3000:]


def footer_values(site) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for page in sorted(site.glob("*/*.html")):
        for value in re.findall(r"fx_usd_cny = ([0-9.]+)", page.read_text(encoding="utf-8")):
            found.setdefault(value, set()).add(f"{page.parent.name}/{page.name}")
    return found


@pytest.mark.slow
def test_after_a_kill_during_rendering_every_page_carries_the_next_runs_parameters(district, tmp_path):
    out = tmp_path / "out"
    run_to_end(district, out, "6.5")  # Sphinx's state now holds pages for 6.5
    proc = start(district, out, "7.0")
    lines = lines_of(proc)
    seen = []
    while True:
        line = lines.get(timeout=LINE_TIMEOUT)
        assert line is not None, "the run ended before rendering:\n" + "".join(seen)[-3000:]
        seen.append(line)
        if "site: zh rendered" in line:  # zh done, en being rendered
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    pages = footer_values(out / "site")
    assert set(pages) == {"6.5"}  # the killed run published nothing
    run_to_end(district, out, "7.0")  # same parameters as the killed run: its executions are cached
    pages = footer_values(out / "site")
    assert set(pages) == {"7.0"}, pages
    assert len(pages["7.0"]) >= 8  # every notebook page of both languages
