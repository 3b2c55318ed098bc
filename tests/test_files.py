"""core.files: the one atomic write (permissions, refusal to overwrite, nothing left behind) and write_if_changed."""

from __future__ import annotations

import os
import stat

import pytest

from helpers.core import files


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    files.atomic_write(tmp_path / "atomic.txt", "x")
    assert _mode(tmp_path / "atomic.txt") == _mode(plain) == 0o666 & ~umask


def test_a_replaced_file_keeps_its_mode(tmp_path):
    target = tmp_path / "kept.csv"
    target.write_text("old")
    target.chmod(0o640)
    files.atomic_write(target, "new")
    assert target.read_text() == "new"
    assert _mode(target) == 0o640


def test_without_overwrite_an_existing_file_is_refused_and_kept(tmp_path):
    target = tmp_path / "draft.csv"
    target.write_text("curated")
    with pytest.raises(FileExistsError):
        files.atomic_write(target, "draft", overwrite=False)
    assert target.read_text() == "curated"
    assert [p.name for p in tmp_path.iterdir()] == ["draft.csv"]


def test_without_overwrite_a_new_file_is_written(tmp_path):
    files.atomic_write(tmp_path / "new.csv", b"a,b\n", overwrite=False, fsync=True)
    assert (tmp_path / "new.csv").read_bytes() == b"a,b\n"
    assert [p.name for p in tmp_path.iterdir()] == ["new.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "kept.txt"
    target.write_text("old")
    with pytest.raises(TypeError):
        files.atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.txt"]


def test_write_if_changed_leaves_identical_bytes_alone(tmp_path):
    target = tmp_path / "page.html"
    assert files.write_if_changed(target, b"<p>1</p>")
    os.utime(target, (1, 1))
    assert not files.write_if_changed(target, b"<p>1</p>")
    assert target.stat().st_mtime == 1
    assert files.write_if_changed(target, b"<p>2</p>")
    assert target.read_bytes() == b"<p>2</p>"
