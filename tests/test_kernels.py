"""helpers.kernels: a kernel forked from the zygote is the kernel jupyter_client would have launched.

The zygote imports what every notebook imports once; each kernel is then a
fork.  These tests compare a forked kernel with a launched one on what the
preloaded imports decide (pandas' options, matplotlib's rcParams, warning
filters...) and on what the launch sets up (environment, working directory,
sys.path, argv, signal handlers, session), check that forked kernels can be
interrupted and killed and die with their zygote, and that kernels are launched
the ordinary way whenever the zygote cannot stand in for the launch.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from helpers import kernels
from helpers.pytest_plugin import _only_notebooks

pytestmark = pytest.mark.skipif(not kernels.available(), reason="kernels are forked on Linux only")

NOTEBOOKS = ROOT / "notebooks"

#: Run in each kernel: what the preloaded imports and the launch decide, as JSON.
STATE = r"""
import json, os, signal, sys, warnings
import matplotlib, pandas as pd
from helpers import params, plots, tables
ctx = params.setup(lang="zh", data_dir="../data", fx_usd_cny=6.7261, population="platform_residents")
chart = plots.money(ctx)
import matplotlib.pyplot as plt
state = {
    "pandas_options": {k: repr(pd.get_option(k)) for k in pd._config.config._registered_options
                       if not k.startswith("display.latex")},
    "rcParams": {k: repr(v) for k, v in matplotlib.rcParams.items()},
    "backend": matplotlib.get_backend(),
    "warning_filters": [repr(f) for f in warnings.filters],
    "env": dict(os.environ),
    "cwd": os.getcwd(),
    "path": sys.path,
    "argv0": sys.argv[0], "argv_flags": sys.argv[1::2],
    "orig_argv": sys.orig_argv[:3],
    "stdout": [type(sys.stdout).__name__, sys.stdout.encoding],
    "signals": [repr(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE)],
    "session_leader": os.getsid(0) == os.getpid() == os.getpgid(0),
    "modules": sorted(m for m in sys.modules if not m.startswith("helpers.kernels")),
    "flags": repr(sys.flags),
    "chart": chart.png.hex(),
}
print(json.dumps(state))
"""


def start(manager_class, cwd=NOTEBOOKS):
    km = manager_class(kernel_name="python3")
    km.start_kernel(cwd=str(cwd))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def run(kc, code: str, timeout: float = 60) -> tuple[str, dict]:
    """stdout of ``code`` and the execute reply's content."""
    out = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda m: out.append(
        m["content"].get("text", "") if m["msg_type"] == "stream" and m["content"]["name"] == "stdout" else ""))
    return "".join(out), reply["content"]


def stop(km, kc) -> None:
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def forked(km) -> bool:
    return isinstance(getattr(km.provisioner, "process", None), kernels.ForkedKernel)


@pytest.fixture(scope="module")
def zygote():
    with kernels.Zygote(NOTEBOOKS) as z:
        assert z.process is not None
        yield z


@pytest.fixture(scope="module")
def states(zygote):
    """The state of a launched kernel and of a forked one, from the same test process."""
    from jupyter_client.manager import KernelManager

    found = {}
    for name, manager in (("launched", KernelManager), ("forked", kernels.manager_class(sync=True))):
        km, kc = start(manager)
        try:
            assert forked(km) == (name == "forked")
            text, reply = run(kc, STATE)
            assert reply["status"] == "ok", reply
            found[name] = json.loads(text.strip().splitlines()[-1])
        finally:
            stop(km, kc)
    return found


@pytest.mark.parametrize("key", ["pandas_options", "rcParams", "backend", "cwd", "path", "argv0", "argv_flags",
                                 "orig_argv", "stdout", "signals", "session_leader", "modules", "flags", "chart"])
def test_forked_kernel_has_what_a_launched_kernel_has(states, key):
    assert states["forked"][key] == states["launched"][key]


def test_forked_kernel_has_the_launched_kernels_warning_filters(states):
    # The same filters; only ipykernel's one for Trio's RuntimeWarning comes before numpy's instead of after
    # them (numpy was imported first).  They match different messages, so the order changes nothing.
    assert sorted(states["forked"]["warning_filters"]) == sorted(states["launched"]["warning_filters"])


def test_forked_kernel_has_the_launched_kernels_environment(states):
    launched, forked_env = states["launched"]["env"], states["forked"]["env"]
    assert forked_env == launched


def test_forked_kernel_can_be_interrupted_and_killed(zygote):
    km, kc = start(kernels.manager_class(sync=True))
    try:
        assert forked(km)
        msg_id = kc.execute("import time\ntime.sleep(30)")
        time.sleep(0.5)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=10)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        assert run(kc, "print(6 * 7)")[0] == "42\n"  # the kernel lives on after the interrupt
        pid = km.provisioner.pid
    finally:
        stop(km, kc)
    assert not km.is_alive()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_kernels_die_with_their_zygote():
    with kernels.Zygote(NOTEBOOKS) as z:
        km, kc = start(kernels.manager_class(sync=True))
        assert forked(km)
        z.stop()
        try:
            assert km.provisioner.process.wait(timeout=5) is not None
        finally:
            stop(km, kc)


def test_kernel_is_launched_normally_when_the_environment_changed(zygote, monkeypatch):
    monkeypatch.setenv("HELPERS_TEST_ONLY", "set after the zygote started")
    km, kc = start(kernels.manager_class(sync=True))
    try:
        assert not forked(km) and isinstance(km.provisioner.process, subprocess.Popen)
        assert run(kc, "import os; print(os.environ['HELPERS_TEST_ONLY'])")[0] == "set after the zygote started\n"
    finally:
        stop(km, kc)


def test_kernel_is_launched_normally_in_a_folder_that_shadows_a_preloaded_module(zygote, tmp_path):
    (tmp_path / "seaborn.py").write_text("NAME = 'local'\n", encoding="utf-8")
    km, kc = start(kernels.manager_class(sync=True), cwd=tmp_path)
    try:
        assert not forked(km)
        assert run(kc, "import seaborn; print(seaborn.NAME)")[0] == "local\n"
    finally:
        stop(km, kc)


def test_no_zygote_when_disabled(monkeypatch):
    monkeypatch.setenv(kernels.ENABLE_ENV, "0")
    with kernels.Zygote(NOTEBOOKS) as z:
        assert z.process is None
        km, kc = start(kernels.manager_class(sync=True))
        try:
            assert not forked(km)
        finally:
            stop(km, kc)


def test_zygote_leaves_nothing_behind():
    z = kernels.Zygote(NOTEBOOKS).start()
    folder = os.path.dirname(kernels._zygote_address)
    z.stop()
    assert kernels._zygote_address is None and not os.path.exists(folder)
    assert z.process is None


@pytest.mark.parametrize(("ids", "only"), [
    (["notebooks/00_overview.ipynb::Cell 0", "notebooks/07_extract.ipynb::Cell 4"], True),
    (["notebooks/00_overview.ipynb::Cell 0", "tests/test_run.py::test_clean"], False),
    ([], False),
])
def test_hypothesis_is_dropped_only_from_notebook_only_sessions(ids, only):
    assert _only_notebooks(ids) is only


def test_plugin_is_loaded_before_nbval_so_jsonschema_skips_rfc3987_syntax():
    # pyproject.toml's addopts load helpers.pytest_plugin with -p, before nbval imports nbformat
    assert "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None


class FakeKernel:
    """(km, kc) as nbval's start_new_kernel returns them, recording what was done to them."""

    def __init__(self, log, **kwargs):
        self.log, self.kwargs = log, kwargs

    def stop_channels(self):
        self.log.append(("stop_channels", self.kwargs["cwd"]))

    def shutdown_kernel(self, now=False):
        self.log.append(("shutdown", self.kwargs["cwd"]))


def fake_nbval_kernel(log):
    import types

    def start_new_kernel(startup_timeout=60, kernel_name="python", **kwargs):
        log.append(("start", kwargs["cwd"]))
        kernel = FakeKernel(log, kernel_name=kernel_name, startup_timeout=startup_timeout, **kwargs)
        return kernel, kernel

    return types.SimpleNamespace(start_new_kernel=start_new_kernel)


def test_kernels_ahead_hand_out_the_kernel_started_for_the_same_folder_and_start_the_next():
    from helpers.pytest_plugin import KernelsAhead

    log = []
    module = fake_nbval_kernel(log)
    original = module.start_new_kernel
    ahead = KernelsAhead(module)
    ahead.start("k", "/nb", 60)
    km, _ = module.start_new_kernel(startup_timeout=60, kernel_name="k", stderr=open(os.devnull, "w"), cwd="/nb")
    assert km.kwargs["cwd"] == "/nb"
    ahead.next[1].result()
    assert log == [("start", "/nb"), ("start", "/nb")]  # the one handed out, then the next one
    # another folder: the kernel started ahead is shut down, the notebook gets its own
    module.start_new_kernel(startup_timeout=60, kernel_name="k", stderr=open(os.devnull, "w"), cwd="/other")
    ahead.next[1].result()
    assert log[2:] == [("stop_channels", "/nb"), ("shutdown", "/nb"), ("start", "/other"), ("start", "/other")]
    ahead.close()
    assert log[-2:] == [("stop_channels", "/other"), ("shutdown", "/other")]
    assert module.start_new_kernel is original


def test_kernels_ahead_leave_unusual_launches_to_nbval():
    from helpers.pytest_plugin import KernelsAhead

    log = []
    module = fake_nbval_kernel(log)
    ahead = KernelsAhead(module)
    module.start_new_kernel(startup_timeout=60, kernel_name="k", stderr=None, cwd="/nb")
    assert ahead.next is None and log == [("start", "/nb")]
    ahead.close()
