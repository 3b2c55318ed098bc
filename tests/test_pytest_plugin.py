"""The project's pytest plugin (helpers.build.pytest_plugin): the order in which a notebook session hands out
notebooks."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from helpers.build.pytest_plugin import largest_first


def _items(folder: Path, sizes: dict[str, int], cells: int = 3) -> list:
    """Items as nbval collects them (``path``, cells in order), for notebooks of the given sizes in bytes."""
    items = []
    for name, size in sizes.items():
        (folder / name).write_bytes(b"x" * size)
        items += [SimpleNamespace(path=folder / name, nodeid=f"{name}::Cell {k}") for k in range(cells)]
    return items


def test_the_largest_notebooks_come_first_each_with_its_cells_in_order(tmp_path):
    items = _items(tmp_path, {"a.ipynb": 10, "b.ipynb": 300, "c.ipynb": 20})
    assert [i.nodeid for i in largest_first(items)] == [
        *(f"b.ipynb::Cell {k}" for k in range(3)),
        *(f"c.ipynb::Cell {k}" for k in range(3)),
        *(f"a.ipynb::Cell {k}" for k in range(3)),
    ]


def test_notebooks_of_equal_size_keep_their_collection_order(tmp_path):
    items = _items(tmp_path, {"z.ipynb": 50, "y.ipynb": 50})
    assert [i.nodeid.split("::")[0] for i in largest_first(items)][::3] == ["z.ipynb", "y.ipynb"]
