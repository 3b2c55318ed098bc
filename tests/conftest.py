"""Shared fixtures: the repository's data, the fictional district, and the source article (from REPORT_SOURCE)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
DISTRICT = ROOT / "tests" / "fixtures" / "district"
DEFAULT_SOURCE = ROOT.parent / "shared" / "source" / "000_2bd6ca4ad038a17f.txt"
DEFAULT_CITY_SOURCE = ROOT.parent / "shared" / "source" / "jinan_2022_communique_excerpt.txt"


def bench_module(name: str) -> ModuleType:
    """The script ``bench/NAME.py`` as a module ``bench_NAME``, loaded once and registered (its dataclasses need
    their module in ``sys.modules``)."""
    if f"bench_{name}" in sys.modules:
        return sys.modules[f"bench_{name}"]
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None, f"bench/{name}.py: not a Python file"
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def source_path() -> Path:
    """The article's path: $REPORT_SOURCE, or ../shared/source/… beside the checkout."""
    return Path(os.environ.get("REPORT_SOURCE") or DEFAULT_SOURCE)


def city_source_path() -> Path:
    """The city communiqué excerpt's path: $CITY_SOURCE, or ../shared/source/… beside the checkout."""
    return Path(os.environ.get("CITY_SOURCE") or DEFAULT_CITY_SOURCE)


def outside_file(path: Path, what: str, variable: str, ci: bool | None = None) -> Path:
    """``path``, a text kept outside the repository (``what``, found through ``$variable``).  Missing: skip naming
    the path and the variable, except under CI (``ci``; default: whether CI=true), where it is a failure."""
    if not path.is_file():
        message = (
            f"{what} not found at {path}; set {variable} to its path "
            f"(it is kept outside the repository, in ../shared/source/)"
        )
        if os.environ.get("CI") == "true" if ci is None else ci:
            pytest.fail(message)
        pytest.skip(message)
    return path


def read_source(path: Path, ci: bool) -> str:
    """The article's text (:func:`outside_file`)."""
    return outside_file(path, "source article", "REPORT_SOURCE", ci).read_text(encoding="utf-8")


def read_city_source(path: Path, ci: bool) -> str:
    """The communiqué excerpt's text (:func:`outside_file`)."""
    return outside_file(path, "city source", "CITY_SOURCE", ci).read_text(encoding="utf-8")


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
