"""Nothing done twice: the content keys of a run's executions and tables, and the digests they are made of.

Owns :func:`job_key` (one notebook's execution), :func:`tables_key` (the CSV tables) and the digests of what
either depends on besides the notebook and its parameters: the data package (:func:`package_digest`), the
helpers package (:func:`helpers_digest`: every file of it that can change a result) and requirements.lock
(:func:`lock_digest`).  An executed notebook is cached in ``OUT/.cache/`` under its key.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from helpers.core import paths
from helpers.core.files import read_regular

#: Folders of the helpers package that no result depends on (besides .pyc files and hidden files).
_NOT_SOURCE = ("__pycache__",)


def _digest_files(files: Iterable[Path], base: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(str(Path(f).relative_to(base)).encode() + b"\0")
        h.update(hashlib.sha256(Path(f).read_bytes()).digest())
    return h.hexdigest()


def helpers_digest(root: Path = paths.HELPERS) -> str:
    """The helpers package: every file in it (source, data files such as the extractor's lexicon, the site's
    templates and styles), but for ``__pycache__`` folders, ``.pyc`` files and hidden files."""
    files = [
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix not in (".pyc", ".pyo")
        and not any(part in _NOT_SOURCE or part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return _digest_files(files, root)


def package_digest(data_dir: Path) -> str:
    """Every file of the data package folder, and the source texts it names outside it (so that a changed source
    is audited again); a missing folder gives a digest of nothing (the run then fails)."""
    data_dir = Path(data_dir)
    files = [p for p in data_dir.rglob("*") if p.is_file()] if data_dir.is_dir() else []
    h = hashlib.sha256(_digest_files(files, data_dir).encode())
    for source in _outside_sources(data_dir):
        h.update(str(source).encode() + b"\0" + hashlib.sha256(read_regular(source)).digest())
    return h.hexdigest()


def _outside_sources(data_dir: Path) -> list[Path]:
    try:
        descriptor = json.loads(read_regular(data_dir / "datapackage.json"))
        named = [s["path"] for s in descriptor.get("sources", []) if isinstance(s.get("path"), str)]
    except (OSError, ValueError, RecursionError, AttributeError, TypeError):
        return []  # the audit names what is wrong with the descriptor
    found = []
    for rel in named:
        path = (data_dir / rel).resolve()
        if "://" not in rel and path.is_file() and not path.is_relative_to(data_dir.resolve()):
            found.append(path)
    return found


def lock_digest(lock_file: Path = paths.LOCK_FILE) -> str:
    """requirements.lock, the pinned environment ("" when there is none)."""
    return hashlib.sha256(lock_file.read_bytes()).hexdigest() if lock_file.is_file() else ""


def job_key(notebook: Path, parameters: Mapping[str, object], package: str, helpers: str, lock: str) -> str:
    """The content key of one execution: the notebook's bytes, its parameters, the digests of the data
    package, the helpers source and requirements.lock, and the Python version (sha256, hex)."""
    h = hashlib.sha256()
    for part in (
        Path(notebook).read_bytes(),
        json.dumps(parameters, sort_keys=True, default=str).encode(),
        package.encode(),
        helpers.encode(),
        lock.encode(),
        sys.version.encode(),
    ):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def tables_key(parameters: Mapping[str, object], package: str, helpers: str, lock: str) -> str:
    """The content key of the CSV tables: the parameters they are computed with, the digests of the data
    package, the helpers source and requirements.lock, and the Python version (sha256, hex)."""
    h = hashlib.sha256(json.dumps(parameters, sort_keys=True, default=str).encode())
    for part in (package, helpers, lock, sys.version):
        h.update(part.encode())
    return h.hexdigest()
