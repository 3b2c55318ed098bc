"""bench/extract.py's comparison with an earlier revision: it exports that revision's src/, or names what failed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT, bench_module


def _bench():
    return bench_module("extract")


needs_git = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs git and a checkout with history"
)


@needs_git
def test_against_exports_the_revisions_extractor(tmp_path):
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    src, short = _bench().export_src("HEAD", tmp_path)
    assert short == head
    assert (src / "helpers" / "drafting" / "extract" / "__init__.py").is_file()


@needs_git
def test_against_times_an_extractor_from_before_the_layers(tmp_path):
    src, _ = _bench().export_src("3971f9e", tmp_path)
    body = tmp_path / "corpus.txt"
    body.write_text("2022年全市地区生产总值增长3.5%。", encoding="utf-8")
    assert _bench().time_in_child(src, body, 1)["figures"] == 1


@needs_git
def test_against_an_unknown_revision_fails_naming_it(tmp_path):
    with pytest.raises(SystemExit, match=r"--against no-such-revision: git .* failed"):
        _bench().export_src("no-such-revision", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_instruction_count_is_read_from_callgrinds_summary():
    stderr = "==123== Events    : Ir\n==123== Collected : 845200376\n==123==\n==123== I   refs:      845,200,376\n"
    assert _bench().collected(stderr) == 845200376


def test_a_callgrind_run_without_a_count_fails_showing_its_output():
    with pytest.raises(SystemExit, match="callgrind printed no instruction count: valgrind: no such tool"):
        _bench().collected("valgrind: no such tool\n")


def test_without_valgrind_the_instructions_are_reported_as_not_counted(monkeypatch, tmp_path):
    bench = _bench()
    monkeypatch.setattr(bench.shutil, "which", lambda name: None)
    assert bench.instruction_lines({"a": tmp_path, "b": tmp_path}, tmp_path / "corpus.txt") == [
        "Instructions: not counted (valgrind is not installed)."
    ]
