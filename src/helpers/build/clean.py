"""Cleaning an executed notebook: what changes from run to run is removed, so equal content gives equal bytes.

Owns :func:`clean` (papermill's and nbclient's metadata, the one kernelspec, stable cell ids, joined
streams, no memory addresses), reading and writing notebooks as JupyterLab does (:func:`read_notebook`,
:func:`notebook_bytes`, :func:`clean_file`) and :func:`quiet_imports`, which keeps nbformat's import cheap.
"""

from __future__ import annotations

import copy
import hashlib
import re
import sys
from pathlib import Path
from typing import Any

from helpers.core.files import atomic_write

#: The one kernelspec every cleaned notebook carries (and the kernel a run starts).
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
#: language_info without the interpreter's patch version, which differs between machines.
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
#: Notebook-level metadata that records a run, a machine or an editor session, never content.
VOLATILE_NOTEBOOK_METADATA = ("papermill", "widgets", "vscode", "interpreter", "varInspector", "toc-autonumbering")
#: Cell-level metadata written by papermill (timings, status), nbclient (execution timestamps) and ExecuteTime.
VOLATILE_CELL_METADATA = ("papermill", "execution", "ExecuteTime")
#: Cells that papermill adds: the injected parameters and the error banners.
INJECTED_TAG = "injected-parameters"
ERROR_MARKER_TAG = "papermill-error-cell-tag"
_CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
#: Default object reprs (``<Line2D at 0x7f3a...>``) carry a memory address that changes every run.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{4,16}>")
#: An ``nbformat.NotebookNode`` (a dict with attribute access; nbformat is imported only when needed).
Notebook = Any


def quiet_imports() -> None:
    """Skip jsonschema's optional IRI format checker in this process.

    ``rfc3987_syntax`` compiles a Lark grammar when imported (1.6 s here), and
    nbformat imports jsonschema, which imports it; nbformat never validates IRIs.
    """
    if "jsonschema" not in sys.modules:
        # a None entry makes ``import rfc3987_syntax`` raise ImportError, which jsonschema expects and skips
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None is the documented blocker


def clean(nb: Notebook) -> Notebook:
    """A copy of ``nb`` without what changes from run to run.

    Removes papermill's and nbclient's metadata (timings, durations, status,
    exceptions, input/output paths, execution timestamps), sets the one
    :data:`KERNELSPEC` and a :data:`LANGUAGE_INFO` without the Python patch
    version, gives every cell a stable id (kept when valid and unique, else
    derived from position and source), joins consecutive stream outputs that
    the kernel happened to flush in pieces, and drops memory addresses from
    default object reprs (``<Line2D at 0x7f...>`` becomes ``<Line2D>``).
    Tags, sources, outputs and execution counts are kept.
    """
    nb = copy.deepcopy(nb)
    for key in VOLATILE_NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = copy.deepcopy(LANGUAGE_INFO)
    nb.nbformat, nb.nbformat_minor = 4, max(5, nb.get("nbformat_minor", 0))
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.metadata.get("tags") == []:  # papermill adds an empty list to every cell
            del cell.metadata["tags"]
        cell["id"] = _stable_id(cell, index, seen)
        seen.add(cell["id"])
        if cell.cell_type == "code":
            cell.outputs = _clean_outputs(cell.get("outputs", []))
    return nb


def _stable_id(cell: Notebook, index: int, seen: set[str]) -> str:
    tags = cell.metadata.get("tags", [])
    cid = cell.get("id")
    if INJECTED_TAG in tags:
        cid = INJECTED_TAG
    elif ERROR_MARKER_TAG in tags or not (isinstance(cid, str) and _CELL_ID.match(cid)):
        cid = None
    while cid is None or cid in seen:
        basis = f"{index}\0{cell.get('source', '')}\0{cid or ''}"
        cid = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:8]
    return cid


def _clean_outputs(outputs: list[Any]) -> list[Any]:
    """Copies of ``outputs``: consecutive stream outputs of one stream joined, memory addresses dropped."""
    merged: list[Any] = []
    for out in outputs:
        out = copy.deepcopy(out)
        if out.get("output_type") == "stream":
            text = out.get("text", "")
            out["text"] = _ADDRESS.sub(">", "".join(text) if isinstance(text, list) else text)
            prev = merged[-1] if merged else None
            if prev is not None and prev.get("output_type") == "stream" and prev.get("name") == out.get("name"):
                prev["text"] += out["text"]
                continue
        elif out.get("output_type") in ("execute_result", "display_data"):
            plain = out.get("data", {}).get("text/plain")
            if plain is not None:
                joined = "".join(plain) if isinstance(plain, list) else plain
                out["data"]["text/plain"] = _ADDRESS.sub(">", joined)
        merged.append(out)
    return merged


def read_notebook(path: Path) -> Notebook:
    """The notebook at ``path`` (nbformat 4)."""
    import nbformat

    return nbformat.read(str(path), as_version=4)


def notebook_bytes(nb: Notebook) -> bytes:
    """The notebook as JupyterLab saves it: JSON, one-space indent, sorted keys, final newline."""
    import nbformat

    text = nbformat.writes(nb, version=4)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def clean_file(path: Path) -> Notebook | None:
    """Clean the notebook at ``path`` in place; return the cleaned notebook (None if unreadable)."""
    try:
        nb = clean(read_notebook(path))
    except Exception:  # papermill could not even write it (unreadable source): nothing to clean
        return None
    atomic_write(path, notebook_bytes(nb))
    return nb
