"""Shared fixtures: the repository's data, the fictional district, and the source article (from REPORT_SOURCE)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
DISTRICT = ROOT / "tests" / "fixtures" / "district"
DEFAULT_SOURCE = ROOT.parent / "shared" / "source" / "000_2bd6ca4ad038a17f.txt"


def source_path() -> Path:
    """The article's path: $REPORT_SOURCE, or ../shared/source/… beside the checkout."""
    return Path(os.environ.get("REPORT_SOURCE") or DEFAULT_SOURCE)


def read_source(path: Path, ci: bool) -> str:
    """The article's text. Missing: skip with the reason, except under CI, where it is a failure."""
    if not path.is_file():
        message = (
            f"source article not found at {path}; set REPORT_SOURCE to its path "
            f"(it is kept outside the repository, in ../shared/source/)"
        )
        if ci:
            pytest.fail(message)
        pytest.skip(message)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def source_text() -> str:
    """The source article, read from $REPORT_SOURCE (see :func:`read_source`)."""
    return read_source(source_path(), os.environ.get("CI") == "true")


@pytest.fixture
def district(tmp_path) -> Path:
    """A writable copy of the fictional district's package, for tests that break it."""
    target = tmp_path / "district"
    shutil.copytree(DISTRICT, target)
    return target
