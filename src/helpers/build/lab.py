"""JupyterLab for students (``make lab``): notebooks that do not show as modified when they are opened.

When a kernel starts, JupyterLab writes the kernel's ``metadata.language_info`` into the open notebook, and a
value that differs from the file's marks the notebook as modified.  The committed notebooks carry
``language_info`` without ``version`` (:data:`helpers.build.clean.LANGUAGE_INFO`: the interpreter's patch version
differs between machines, 3.11.2 on Debian's CI and 3.11.7 here), so every notebook showed as modified right
after it was opened (measured: JupyterLab 4.6 in headless Chromium shows the dirty mark; with the kernel's version
in the file it does not).

:class:`ContentsManager` (``jupyter lab --ServerApp.contents_manager_class=helpers.build.lab.ContentsManager``) hands
JupyterLab each notebook with the version of the Python it runs on added, the one the ``python3`` kernel of the
same environment reports, and takes it out again when the notebook is saved, so the files keep the form the cleaner
writes, the same on every machine.
"""

from __future__ import annotations

import platform

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager


def python_version() -> str:
    """The version the ``python3`` kernel of this environment reports (``sys.version``'s first word)."""
    return platform.python_version()


def with_version(nb) -> None:
    """Add the interpreter's version to a Python notebook's ``language_info`` that lacks one (in place)."""
    info = nb.get("metadata", {}).get("language_info")
    if isinstance(info, dict) and info.get("name") == "python" and "version" not in info:
        info["version"] = python_version()


def without_version(nb) -> None:
    """Take the interpreter's version out of a notebook's ``language_info`` (in place): the committed form."""
    info = nb.get("metadata", {}).get("language_info")
    if isinstance(info, dict):
        info.pop("version", None)


class ContentsManager(AsyncLargeFileManager):
    """jupyter-server's default contents manager, with ``language_info.version`` added on reading a notebook and
    removed on saving one."""

    async def get(self, path, content=True, type=None, format=None, require_hash=False):
        model = await super().get(path, content=content, type=type, format=format, require_hash=require_hash)
        if model.get("type") == "notebook" and model.get("content"):
            with_version(model["content"])
        return model

    async def save(self, model, path=""):
        if model.get("type") == "notebook" and model.get("content"):
            without_version(model["content"])
        return await super().save(model, path)
