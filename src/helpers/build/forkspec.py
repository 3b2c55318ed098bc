"""What names a forked kernel (:mod:`helpers.build.kernelfork` forks it): the kernel name
``helpers-forked``, its kernelspec (a file for ``JUPYTER_PATH``, which nbval finds by the name, or in memory for a
kernel manager of the main job).  Imports nothing of ``helpers``: the
zygote's client (:mod:`~helpers.build.kernelfork`) and the main job's kernels (:mod:`~helpers.build.kernels`) both
read it.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

NAME = "helpers-forked"


def _spec() -> dict[str, Any]:
    """The kernelspec of the kernel ``helpers-forked``: a Python kernel in the client's own environment, started by
    :class:`ForkedProvisioner`."""
    return {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (helpers: kernels forked warm)",
        "language": "python",
        "metadata": {"kernel_provisioner": {"provisioner_name": NAME}},
    }


def kernel_spec_manager() -> Any:
    """A jupyter_client ``KernelSpecManager`` that knows the kernel ``helpers-forked`` without a file on
    ``JUPYTER_PATH`` (given to a ``KernelManager`` as ``kernel_spec_manager``: the main job's warm kernels), and
    every other kernel as jupyter_client's does."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    class ForkedSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            if kernel_name == NAME:
                return KernelSpec(resource_dir="", **_spec())
            return super().get_kernel_spec(kernel_name)

    return ForkedSpecs()


def kernelspec_dir() -> Path:
    """A folder for ``JUPYTER_PATH`` holding ``kernels/helpers-forked/kernel.json`` (written if missing; what
    ``--nbval-kernel-name helpers-forked`` finds)."""
    root = Path(tempfile.gettempdir()) / f"helpers-kernelspec-{os.getuid()}"
    spec = root / "kernels" / NAME / "kernel.json"
    body = json.dumps(_spec(), indent=1)
    if not spec.is_file() or spec.read_text(encoding="utf-8") != body:
        spec.parent.mkdir(parents=True, exist_ok=True)
        tmp = spec.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(body, encoding="utf-8")
        os.replace(tmp, spec)
    return root
