"""The order in which a notebook session hands out notebooks (helpers.build.pytest_plugin, with
helpers.core.files.largest_first)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from helpers.core.files import largest_first


def _items(folder: Path, sizes: dict[str, int], cells: int = 3) -> list:
    """Items as nbval collects them (``path``, cells in order), for notebooks of the given sizes in bytes."""
    items = []
    for name, size in sizes.items():
        (folder / name).write_bytes(b"x" * size)
        items += [SimpleNamespace(path=folder / name, nodeid=f"{name}::Cell {k}") for k in range(cells)]
    return items


def test_the_largest_notebooks_come_first_each_with_its_cells_in_order(tmp_path):
    items = _items(tmp_path, {"a.ipynb": 10, "b.ipynb": 300, "c.ipynb": 20})
    assert [i.nodeid for i in largest_first(items, lambda item: item.path)] == [
        *(f"b.ipynb::Cell {k}" for k in range(3)),
        *(f"c.ipynb::Cell {k}" for k in range(3)),
        *(f"a.ipynb::Cell {k}" for k in range(3)),
    ]


def test_notebooks_of_equal_size_keep_their_collection_order(tmp_path):
    items = _items(tmp_path, {"z.ipynb": 50, "y.ipynb": 50})
    order = [i.nodeid.split("::")[0] for i in largest_first(items, lambda item: item.path)]
    assert order[::3] == ["z.ipynb", "y.ipynb"]


def test_a_notebook_session_collects_the_largest_notebooks_first(tmp_path):
    import json
    import subprocess
    import sys

    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": "1"}
    # by name the smallest comes first, by size the largest
    for name, cells in {"a_small.ipynb": 1, "b_middle.ipynb": 10, "c_large.ipynb": 40}.items():
        nb = {"cells": [cell] * cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (tmp_path / name).write_text(json.dumps(nb), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "--nbval", "-p", "no:xdist", "-p", "no:cacheprovider"]
        + ["-p", "helpers.build.pytest_plugin", "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    ids = [line for line in done.stdout.splitlines() if "::" in line]
    assert [i.split("::")[0] for i in ids][::10][:3] == ["c_large.ipynb"] * 3 and ids[40].startswith("b_middle.ipynb")
    assert ids[-1].startswith("a_small.ipynb") and [i.split("::")[1] for i in ids[:3]] == ["Cell 0", "Cell 1", "Cell 2"]


def _config(workerinput: bool, numprocesses: int | None) -> SimpleNamespace:
    config = SimpleNamespace(getoption=lambda name: numprocesses)
    if workerinput:
        config.workerinput = {}
    return config


def test_a_worker_and_the_controller_freeze_their_objects_before_exiting_and_a_plain_run_does_not():
    import gc

    from helpers.build import pytest_plugin

    seen = {}
    for role, config in {
        "worker": _config(True, None),
        "controller": _config(False, 3),
        "single": _config(False, None),
    }.items():
        gc.unfreeze()
        pytest_plugin.pytest_unconfigure(config)
        seen[role] = gc.get_freeze_count() > 0
    gc.unfreeze()
    assert seen == {"worker": True, "controller": True, "single": False}
