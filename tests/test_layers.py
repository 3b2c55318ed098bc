"""The layers of ``src/helpers`` as its docstrings draw them: core, drafting, reader, build, imports only downward.

Every ``import`` in every module (at the top or inside a function) is read from the source with ``ast``, so
a lazy import counts like any other.  ``helpers/__init__.py`` and ``helpers/__main__.py`` stand above the
layers (the command line dispatches to each of them).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers.core import paths

#: The layers, lowest first: a module may import its own layer and the ones before it.
LAYERS = ("core", "drafting", "reader", "build")
SRC = paths.HELPERS
MAX_LINES = 500


def modules() -> dict[str, Path]:
    """Dotted name → file, for every module of the package."""
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(path: Path, name: str) -> set[str]:
    """The ``helpers`` modules ``path`` imports (``from helpers.x import y`` counts ``helpers.x.y`` when it is one)."""
    known = modules()
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            submodules = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known}
            # ``from package import submodule`` depends on the submodule; the package's __init__ runs first, as
            # for every import of a submodule, and is not counted as a dependency of its own
            found |= submodules if len(submodules) == len(node.names) else submodules | {base}
    return {m for m in found if m in known and m != name}


def layer(name: str) -> int | None:
    """The index of the module's layer in :data:`LAYERS`; None for ``helpers`` and ``helpers.__main__``."""
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def graph() -> dict[str, set[str]]:
    return {name: imports(path, name) for name, path in modules().items()}


def test_every_module_but_the_top_lives_in_a_layer():
    loose = [n for n in modules() if layer(n) is None and n not in ("helpers", "helpers.__main__")]
    assert loose == []


def test_no_module_imports_a_layer_above_its_own():
    upward = [
        f"{name} ({LAYERS[layer(name)]}) imports {dep} ({LAYERS[layer(dep)]})"
        for name, deps in graph().items()
        if layer(name) is not None
        for dep in deps
        if layer(dep) is not None and layer(dep) > layer(name)
    ]
    assert upward == []


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_there_is_no_import_circle():
    assert cycles(graph()) == []


def test_the_circle_finder_finds_a_circle_and_the_layer_test_an_upward_import():
    """The two checks above can fail: a made-up graph with a circle, and a core module importing the reader."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer("helpers.reader.tables") > layer("helpers.core.checks")


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_is_over_500_lines(name):
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_only_core_paths_computes_a_path_from_a_module_s_location():
    """Where the repository's folders are is decided once (helpers.core.paths); sitekit's data files aside."""
    users = [
        name
        for name, path in modules().items()
        if "__file__" in path.read_text(encoding="utf-8") and name != "helpers.core.paths"
    ]
    assert users == []


def test_the_languages_are_listed_once():
    """No module but helpers.core.langs spells out the tuple of language codes."""
    listed = []
    for name, path in modules().items():
        if name == "helpers.core.langs":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                if len(values) == len(node.elts) and sorted(values) == ["en", "zh"]:
                    listed.append(f"{name}:{node.lineno}")
    assert listed == []


def test_the_core_holds_no_reader_words():
    """The core has no text for readers: nothing in it branches on the reader's language.  (Its Chinese
    literals are the vocabulary it parses, 亿, 万, 年, 约, not words it shows.)"""
    found = []
    for name, path in modules().items():
        if layer(name) != 0:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(
                isinstance(c, ast.Constant) and c.value in ("zh", "en") for c in node.comparators
            ):
                found.append(f"{name}:{node.lineno} branches on a language")
    assert found == []


@pytest.mark.parametrize("name", ["helpers", *(f"helpers.{layer}" for layer in LAYERS)])
def test_each_layer_says_what_it_owns_and_what_it_may_import(name):
    doc = ast.get_docstring(ast.parse(modules()[name].read_text(encoding="utf-8"))) or ""
    assert "Owns" in doc or name == "helpers", doc
    assert "May import" in doc or name == "helpers", doc
    assert name != "helpers" or all(f"helpers.{layer}" in doc for layer in LAYERS), doc


def test_every_module_opens_with_a_docstring():
    bare = [n for n, p in modules().items() if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert bare == []
