"""The project's pytest plugin, loaded with ``-p helpers.build.pytest_plugin`` (pyproject.toml's addopts).

These things make the test runs (``pytest tests`` and nbval over notebooks/) cheaper, none changing what
is tested:

* As ``python -m helpers run`` does in its own process (:func:`helpers.build.clean.quiet_imports`), it keeps
  jsonschema from importing ``rfc3987_syntax``, which compiles a Lark grammar on import (1.6 s of CPU in
  every pytest process: the controller and each xdist worker import nbval, hence nbformat, hence
  jsonschema).  That module only adds jsonschema's optional "iri" format checker, which nothing run in
  the pytest processes uses (nbformat's schema has no IRI formats; frictionless runs in a subprocess).
  ``-p`` plugins are imported before the plugins installed as entry points (nbval), which is why this is
  a ``-p`` plugin and not a conftest.py: those are imported after nbval.
* In a session that collects only notebooks, hypothesis's plugin is unregistered once collection is done:
  it has nothing to report on notebooks, but its pytest_terminal_summary imports hypothesis, and since
  pytest rewrites the asserts of plugin packages (and cannot cache that here, PYTHONDONTWRITEBYTECODE is
  set), that import took 0.9 s at the end of each xdist worker and again in the controller.
* With ``--nbval-kernel-name helpers-forked``, the kernels are forked from one zygote
  (:mod:`helpers.build.kernelfork`), which xdist's controller starts as it configures and shares with its
  workers, and a session of notebooks only hands out the largest notebooks first.
* helpers' bytecode is written once, before any worker or kernel starts (:func:`pytest_configure`).
"""

from __future__ import annotations

import pytest

from helpers.build.clean import quiet_imports

quiet_imports()


def pytest_configure(config) -> None:
    """In the controller (or a run without xdist), before any worker or kernel starts: helpers' bytecode on disk
    (:func:`helpers.build.kernels.compile_helpers`), so that each notebook's kernel and each worker reads it
    rather than compiling every module again.  With ``--nbval-kernel-name helpers-forked``: the kernelspec on
    ``JUPYTER_PATH`` and the zygote, started by the controller and shared with its workers
    (:func:`helpers.build.kernelfork.share`), or by a process that has none shared with it."""
    if _role(config) != "worker":
        from helpers.build.kernels import compile_helpers

        compile_helpers()
    if _option(config, "nbval_kernel_name") == "helpers-forked":
        import os

        from helpers.build import kernelfork

        ours, found = str(kernelfork.kernelspec_dir()), os.environ.get("JUPYTER_PATH", "")
        if ours not in found.split(os.pathsep):  # xdist's workers inherit it from the controller
            os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (ours, found) if p)
        if _role(config) == "controller":  # one zygote for every worker, importing while they start and collect
            kernelfork.share()
        elif not kernelfork.shared():  # the zygote imports while pytest collects
            kernelfork.prestart()


def _option(config, name: str):
    try:
        return config.getoption(name)
    except ValueError:  # the plugin that adds it is not loaded
        return None


def _role(config) -> str:
    """ "worker" (pytest-xdist's), "controller" (xdist's, which runs no tests itself) or "single" (no xdist)."""
    if hasattr(config, "workerinput"):
        return "worker"
    try:
        return "controller" if config.getoption("numprocesses") else "single"
    except ValueError:  # xdist not installed or disabled (-p no:xdist)
        return "single"


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config) -> None:
    """An xdist worker, and the controller, exit right after this: skip the interpreter's final garbage
    collection over everything imported (a worker's 0.3 s, which the controller waits for; the controller's
    0.1 s, which its caller waits for), as ``python -m helpers`` does: gc.freeze() puts every object in the
    generation that collection leaves.  Not in a run without xdist, which may be pytest.main() in a longer
    process."""
    if _role(config) in ("worker", "controller"):
        import gc

        gc.freeze()


def _only_notebooks(nodeids: list[str]) -> bool:
    return bool(nodeids) and all(nodeid.split("::", 1)[0].endswith(".ipynb") for nodeid in nodeids)


def _drop_hypothesis(config) -> None:
    plugin = config.pluginmanager.get_plugin("hypothesispytest")
    if plugin is not None:
        config.pluginmanager.unregister(plugin)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items) -> None:
    """In a process that collects (an xdist worker, or a run without xdist): in a session of notebooks only, the
    largest notebooks first (:func:`helpers.core.files.largest_first`), each notebook's cells in their order;
    ``--dist loadscope --no-loadscope-reorder`` then hands the notebooks to the workers in that order."""
    if _only_notebooks([item.nodeid for item in items]):
        from helpers.core.files import largest_first

        _drop_hypothesis(config)
        items[:] = largest_first(items, lambda item: item.path)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids) -> None:
    """In xdist's controller, which collects nothing itself (every worker collects the same items)."""
    if _only_notebooks(list(ids)):
        _drop_hypothesis(node.config)
