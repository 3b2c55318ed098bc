"""``--out`` that cannot hold the output: a file, a device, a read-only place, a full disk: one line, no
traceback, nothing published lost; a failed run's output is not kept on a disk that is full."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from conftest import DISTRICT, ROOT
from helpers.build import modes, publish, run


def run_cli(out) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpers", "run", "--data-dir", str(DISTRICT), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


@pytest.mark.parametrize("out", ["/dev/null", "file"])
def test_out_that_is_a_file_or_a_device_is_refused_in_one_line(tmp_path, out):
    target = Path(out) if out.startswith("/") else tmp_path / out
    if not target.exists():
        target.write_text("keep me", encoding="utf-8")
    proc = run_cli(target)
    assert proc.returncode == 2
    assert "is a file, not a folder" in one_line_error(proc)
    if not out.startswith("/"):
        assert target.read_text(encoding="utf-8") == "keep me"


def test_out_in_a_read_only_place_is_refused_in_one_line(tmp_path):
    if os.geteuid() == 0:  # root writes in a folder of mode 0o555: /sys is read-only even to root
        target = Path("/sys/helpers-out")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        target = locked / "out"
    proc = run_cli(target)
    assert proc.returncode == 2
    assert "cannot write there" in one_line_error(proc)


def test_a_disk_filling_mid_run_is_one_line_and_the_exit_is_a_failure(tmp_path, monkeypatch):
    def full(settings):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "out" / "x.ipynb"))

    monkeypatch.setattr(modes, "build", full)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = run.main(["--data-dir", str(DISTRICT), "--out", str(tmp_path / "out")])
    assert code == 1
    assert err.getvalue().count("\n") == 1 and "No space left on device" in err.getvalue()


Usage = namedtuple("Usage", "total used free")


@pytest.mark.parametrize("free, kept", [(0, False), (publish.KEEP_FAILED_FREE, True)])
def test_a_failed_runs_output_is_kept_only_while_the_disk_has_room(tmp_path, monkeypatch, free, kept):
    out, stage = tmp_path / "out", tmp_path / "out" / ".run-1"
    (stage / "notebooks").mkdir(parents=True)
    (stage / "notebooks" / "a.ipynb").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10 * free + 1, 0, free))
    failed = publish.keep_failed(stage, out)
    assert not stage.exists()
    assert (failed is not None) == kept and (out / "failed").exists() == kept
