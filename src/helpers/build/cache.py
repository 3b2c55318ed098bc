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
    """Every file of the data package folder (missing folder: a digest of nothing; the run then fails)."""
    data_dir = Path(data_dir)
    files = [p for p in data_dir.rglob("*") if p.is_file()] if data_dir.is_dir() else []
    return _digest_files(files, data_dir)


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
