"""The project's pytest plugin, loaded with ``-p helpers.pytest_plugin`` (pyproject.toml's addopts).

Three things make the test runs (``pytest tests`` and nbval over notebooks/) cheaper, none changing what
is tested:

* As ``python -m helpers run`` does in its own process (:func:`helpers.run._quiet_imports`), it keeps
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
* Under ``--nbval``, nbval's kernels are forked from a zygote (:mod:`helpers.kernels`) instead of
  launched: each kernel starts with pandas, matplotlib, seaborn and the helpers already imported.  With
  pytest-xdist the controller starts the one zygote, before the workers exist, and the workers use it (in
  5 paired runs, 0.2 to 2 s faster than a zygote per worker, median 0.9 s); without xdist the pytest
  process starts its own.  nbval still runs every notebook in a fresh kernel and compares every output
  (a changed output still fails); ``HELPERS_FORK_KERNELS=0`` launches the kernels the ordinary way.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.run import _quiet_imports

_quiet_imports()


def _role(config) -> str:
    """"worker" (pytest-xdist's), "controller" (xdist's, which runs no tests itself) or "single" (no xdist)."""
    if hasattr(config, "workerinput"):
        return "worker"
    try:
        return "controller" if config.getoption("numprocesses") else "single"
    except ValueError:  # xdist not installed or disabled (-p no:xdist)
        return "single"


def _notebook_folder(config) -> Path:
    """The folder of the first notebook or folder named on the command line (nbval runs each kernel there)."""
    base = Path(config.invocation_params.dir)
    for arg in config.args:
        path = base / str(arg).split("::")[0]
        if path.is_dir():
            return path.resolve()
        if path.is_file():
            return path.resolve().parent
    return base


def pytest_configure(config) -> None:
    if not (getattr(config.option, "nbval", False) or getattr(config.option, "nbval_lax", False)):
        return
    try:
        import nbval.kernel
    except ImportError:
        return
    from helpers import kernels

    role = _role(config)
    if role == "worker" and os.environ.get(kernels.ADDRESS_ENV):
        # the controller's zygote: one set of imports for all the workers, started before they were
        kernels.use(os.environ[kernels.ADDRESS_ENV])
    else:
        zygote = kernels.Zygote(_notebook_folder(config), export=role == "controller").start()
        config.add_cleanup(zygote.stop)
        if zygote.process is None or role == "controller":
            return
    # nbval's start_new_kernel() creates a jupyter_client KernelManager by this module-level name.
    original = nbval.kernel.KernelManager
    nbval.kernel.KernelManager = kernels.manager_class(sync=True)
    config.add_cleanup(lambda: setattr(nbval.kernel, "KernelManager", original))
    ahead = KernelsAhead(nbval.kernel)
    config.add_cleanup(ahead.close)
    if config.option.nbval_current_env:  # the first notebook's kernel, while this process collects
        ahead.start(nbval.kernel.CURRENT_ENV_KERNEL_NAME, _notebook_folder(config),
                    config.option.nbval_kernel_startup_timeout)


class KernelsAhead:
    """Each notebook's kernel started while the previous notebook runs, so that it is ready when needed.

    nbval starts a notebook's kernel when the notebook starts and waits for it
    (0.4 s with a forked kernel, most of it jupyter_client's kernel_info
    handshake and its 0.2 s wait for IOPub to fall quiet).  This replaces
    nbval's ``start_new_kernel`` with one that hands out a kernel started the
    same way (same kernel name, working directory and startup timeout, stderr
    to os.devnull as nbval sends it) in a background thread, and starts the next
    one.  The kernel is still fresh: started for one notebook and used by it
    alone; the last one started is shut down at the end.  Anything else (other
    launch options, another folder, a failed start) gets nbval's own start.
    """

    def __init__(self, module):
        from concurrent.futures import ThreadPoolExecutor

        self.module, self.start_new_kernel = module, module.start_new_kernel
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nbval-kernel-ahead")
        self.next: tuple[tuple, object] | None = None  # (key, future of (km, kc))
        module.start_new_kernel = self.take

    def start(self, kernel_name: str, cwd, startup_timeout: float) -> None:
        key = (kernel_name, str(cwd), startup_timeout)
        self.next = (key, self.pool.submit(self.start_new_kernel, startup_timeout=startup_timeout,
                                           kernel_name=kernel_name, stderr=open(os.devnull, "w"), cwd=str(cwd)))

    def take(self, startup_timeout=60, kernel_name="python", **kwargs):
        stderr = kwargs.get("stderr")
        usual = set(kwargs) <= {"stderr", "cwd"} and getattr(stderr, "name", None) == os.devnull
        key = (kernel_name, str(kwargs.get("cwd")), startup_timeout)
        found, self.next = self.next, None
        kernel = None
        if found is not None:
            if usual and found[0] == key:
                try:
                    kernel = found[1].result()
                except Exception:  # nbval's own start below reports what is wrong
                    kernel = None
            else:
                self._discard(found[1])
        if kernel is None:
            kernel = self.start_new_kernel(startup_timeout=startup_timeout, kernel_name=kernel_name, **kwargs)
        if usual:
            self.start(kernel_name, kwargs.get("cwd"), startup_timeout)
        return kernel

    @staticmethod
    def _discard(future) -> None:
        try:
            km, kc = future.result()
        except Exception:
            return
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    def close(self) -> None:
        self.module.start_new_kernel = self.start_new_kernel
        if self.next is not None:
            self._discard(self.next[1])
            self.next = None
        self.pool.shutdown(wait=True)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config) -> None:
    """An xdist worker is a process of its own that exits right after this: skip the interpreter's final
    garbage collection over everything imported (0.3 s, which the controller waits for), as
    ``python -m helpers`` does: gc.freeze() puts every object in the generation that collection leaves."""
    if _role(config) == "worker":
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
    """In a process that collects (an xdist worker, or a run without xdist)."""
    if _only_notebooks([item.nodeid for item in items]):
        _drop_hypothesis(config)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids) -> None:
    """In xdist's controller, which collects nothing itself (every worker collects the same items)."""
    if _only_notebooks(list(ids)):
        _drop_hypothesis(node.config)
