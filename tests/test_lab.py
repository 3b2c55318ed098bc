"""JupyterLab for students (helpers.build.lab): a notebook is handed to JupyterLab with the language_info version its
kernel will report, so that opening it does not mark it modified, and saved without it, in the committed form.

Checked by hand in JupyterLab 4.6 (headless Chromium, `make lab`'s command line, 03_new_vitality.ipynb): without the
contents manager the notebook shows the dirty mark once its kernel is idle; with it, it does not."""

from __future__ import annotations

import asyncio
import json
import platform
import shutil

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
