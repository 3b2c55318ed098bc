"""JupyterLab for students (helpers.build.lab): a notebook is handed to JupyterLab with the language_info version its
kernel will report, so that opening it does not mark it modified, and saved without it, in the committed form.

The last test opens a notebook in JupyterLab (started as `make lab` starts it) in headless Chromium and reads its
tab once the kernel's info has reached the page: no dirty mark with the contents manager, the mark without it (the
control, which shows that the test looks late enough to see it)."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import re
import select
import shutil
import subprocess
import sys
import threading
import time

import pytest
from test_site import chromium  # noqa: F401  (the browser, shared with the site's tests)

from conftest import ROOT
from helpers.build import clean, lab


def _manager(root):
    return lab.ContentsManager(root_dir=str(root))


def test_a_notebook_opens_with_the_version_its_kernel_reports_and_is_saved_without_it(tmp_path):
    shutil.copyfile(ROOT / "notebooks" / "07_extract.ipynb", tmp_path / "07_extract.ipynb")
    committed = json.loads((tmp_path / "07_extract.ipynb").read_text(encoding="utf-8"))
    assert committed["metadata"]["language_info"] == clean.LANGUAGE_INFO  # no version: the same on every machine
    manager = _manager(tmp_path)
    model = asyncio.run(manager.get("07_extract.ipynb"))
    info = model["content"]["metadata"]["language_info"]
    assert info == {**clean.LANGUAGE_INFO, "version": platform.python_version()}  # what the kernel writes on start
    asyncio.run(manager.save(model, "07_extract.ipynb"))
    saved = json.loads((tmp_path / "07_extract.ipynb").read_text(encoding="utf-8"))
    assert saved["metadata"]["language_info"] == clean.LANGUAGE_INFO
    assert saved["cells"] == committed["cells"]


def test_the_version_is_added_only_where_it_is_missing_and_only_to_python():
    given = {"metadata": {"language_info": {"name": "python", "version": "3.12.1"}}}
    lab.with_version(given)
    assert given["metadata"]["language_info"]["version"] == "3.12.1"
    other = {"metadata": {"language_info": {"name": "R"}}}
    lab.with_version(other)
    assert "version" not in other["metadata"]["language_info"]
    bare: dict = {"metadata": {}}
    lab.with_version(bare)
    assert bare == {"metadata": {}}


def test_make_lab_starts_jupyterlab_with_this_contents_manager():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lab_rule = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "--ServerApp.contents_manager_class=helpers.build.lab.ContentsManager" in lab_rule


#: Seconds JupyterLab may take to listen, and its page to receive the kernel's info.
LAB_TIMEOUT = 90
#: Counts the kernel_info replies the page receives on its kernel's websocket (installed before JupyterLab's code
#: runs; this listener is added before JupyterLab's own, so it counts a reply before JupyterLab handles it).
COUNT_INFO_REPLIES = """
(() => {
  const Native = window.WebSocket;
  window.helpersInfoReplies = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        const text = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data);
        if (text.includes('"kernel_info_reply"')) window.helpersInfoReplies += 1;
      });
    }
  };
})();
"""


def _lab_rule_arguments() -> list[str]:
    """The options `make lab` gives `jupyter lab` (its rule in the Makefile), without its Make variables."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0].splitlines()[1]
    return [a for a in rule.split() if a.startswith("--") and "$" not in a and not a.startswith("--notebook-dir")]


def _start_lab(folder, arguments: list[str]) -> tuple[subprocess.Popen, str]:
    """`jupyter lab` serving ``folder`` on a free port of 127.0.0.1 with a fixed token, its settings, workspaces and
    runtime files in ``folder`` (none in the user's home) and no request beyond this machine; its address once
    its log names it."""
    env = {
        **os.environ,
        **{name: str(folder / "jupyter" / name.lower()) for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR")},
        "JUPYTERLAB_SETTINGS_DIR": str(folder / "jupyter" / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(folder / "jupyter" / "workspaces"),
    }
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--notebook-dir={folder / 'notebooks'}"]
    command += ["--ServerApp.ip=127.0.0.1", "--port=0", "--IdentityProvider.token=helpers", "--LabApp.news_url=None"]
    command += ["--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *arguments]
    command += ["--allow-root"] if os.getuid() == 0 else []  # as the Makefile's rule adds it
    server = subprocess.Popen(command, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=env)
    deadline, log = time.monotonic() + LAB_TIMEOUT, []
    while True:
        ready, _, _ = select.select([server.stderr], [], [], max(0.0, deadline - time.monotonic()))
        line = server.stderr.readline() if ready else ""
        log.append(line)
        address = re.search(r"(http://127\.0\.0\.1:\d+)/lab", line)
        if address:  # from here on its log is read and dropped, so that a full pipe never blocks it
            threading.Thread(target=server.stderr.read, daemon=True).start()
            return server, address.group(1)
        if not line:  # its log ended (it exited) or the time is up
            server.kill()
            server.wait(LAB_TIMEOUT)
            raise AssertionError("jupyter lab did not start:\n" + "".join(log[-20:]))


@pytest.mark.parametrize("with_manager", [True, False], ids=["make-lab", "control-without-the-contents-manager"])
def test_a_notebook_opened_in_jupyterlab_is_not_marked_modified(chromium, tmp_path, with_manager):  # noqa: F811
    (tmp_path / "notebooks").mkdir()
    shutil.copyfile(ROOT / "notebooks" / "07_extract.ipynb", tmp_path / "notebooks" / "07_extract.ipynb")
    arguments = [a for a in _lab_rule_arguments() if with_manager or "contents_manager_class" not in a]
    assert with_manager == any("helpers.build.lab.ContentsManager" in a for a in arguments)
    server, address = _start_lab(tmp_path, arguments)
    page = chromium.context.new_page()
    try:
        page.route(re.compile("^" + re.escape(address) + "/"), lambda route: route.continue_())  # this server only
        page.add_init_script(COUNT_INFO_REPLIES)
        page.goto(f"{address}/lab/tree/07_extract.ipynb?token=helpers")
        page.wait_for_function("() => window.helpersInfoReplies > 0", timeout=LAB_TIMEOUT * 1000)
        # the reply's handling (the notebook's metadata updated from it) is done; two frames later the tab shows it
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="07_extract.ipynb")
        dirty = "jp-mod-dirty" in (tab.get_attribute("class", timeout=LAB_TIMEOUT * 1000) or "").split()
    finally:
        page.close()
        server.terminate()
        try:
            server.wait(LAB_TIMEOUT)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(LAB_TIMEOUT)
    assert dirty is not with_manager
    on_disk = json.loads((tmp_path / "notebooks" / "07_extract.ipynb").read_text(encoding="utf-8"))
    assert on_disk["metadata"]["language_info"] == clean.LANGUAGE_INFO  # opening wrote nothing
