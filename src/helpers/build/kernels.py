"""A worker's kernel: started by the worker, kept warm from notebook to notebook when provably clean, shut down quietly.

Owns :class:`Kernel` (one per worker process), the kernel manager class whose kernels die with their worker
and whose notebooks all go through one client (:func:`kernel_manager_class`), and the code a warm kernel runs
between notebooks (:data:`KERNEL_SIDE`).

A warm kernel is forked from the run's zygote when there is one (:mod:`helpers.build.kernelfork`, the kernel name
``helpers-forked``: ipykernel, pandas, seaborn and matplotlib already imported), else started as any kernel.  It
imports, once, what the notebooks import (pandas, seaborn, matplotlib and every module of
``helpers.reader`` and ``helpers.drafting``), then drops the ``helpers`` modules again, moves what it imported
out of garbage collection's reach (``gc.freeze``: the main job's CPU about 4 % lower) and records a *baseline*:
the modules loaded, the user namespace, the execution counter, matplotlib's rcParams and open figures, the
warnings filters, the environment, ``sys.path`` and the import hooks, the threads, pandas'
options, numpy's print options and error handling, matplotlib's unit converters, IPython's display
formatters and event callbacks, the display and exception hooks, the builtins, the SIGINT and SIGTERM
handlers, the locale, the decimal context, the root logger and the umask.  Before each later notebook it
puts back what a notebook may change (the namespace, history and execution counter via IPython's
``reset``, every ``helpers`` module dropped so that the notebook imports them afresh with empty caches,
rcParams, warnings filters with their "once" registries, the environment, ``sys.path``, open figures, the
working folder), then compares everything above with the baseline.  Any difference, an error or a timeout
there, a notebook that failed, timed out or whose kernel died: the kernel is shut down and the next
notebook gets a fresh one.  ``fresh=True`` gives every notebook a kernel of its own, started as
papermill would start it, with nothing imported in advance.

Kernels are shut down with ``request_shutdown`` and ``finish_shutdown``, never ``shutdown_kernel``:
jupyter_client's ``shutdown_kernel`` first interrupts the kernel (SIGINT), which ipykernel logs as
``[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.`` on every successful run.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.build import forkspec, readiness
from helpers.build.publish import RUNTIME_PREFIX, TMP_PREFIX, runtime_dir

#: sun_path holds 108 bytes with its NUL; jupyter_client names IPC sockets IP-PORT (PORT a small number).
IPC_PATH_MAX = 100

#: Run in place of the kernel command: the kernel gets SIGKILL when the worker that started it dies.
_DIE_WITH_PARENT = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG\n"
    "os.getppid() == int(sys.argv[1]) or os._exit(1)\n"
    "os.execvp(sys.argv[2], sys.argv[2:])"
)

#: The packages whose modules every notebook imports afresh in a warm kernel (their caches start empty).
OWN = ("helpers",)
#: Imported once by a warm kernel, as the notebooks would import them (matplotlib's backend as helpers sets it).
WARM_IMPORTS = (
    "import matplotlib, matplotlib.pyplot, seaborn, pandas, numpy",
    # a first figure loads the kernel's backend (inline) and its IPython integration, as in any kernel
    "matplotlib.pyplot.close(matplotlib.pyplot.figure())",
    "import importlib, pkgutil, helpers.reader, helpers.drafting",
    "for _p in (helpers.reader, helpers.drafting):\n"
    "    for _m in pkgutil.walk_packages(_p.__path__, _p.__name__ + '.'):\n"
    "        importlib.import_module(_m.name)",
    # what tables, charts and the kernel's output load on first use
    "import PIL.Image; PIL.Image.init()",
    "import IPython.core.logger, PIL.features, pandas.io.formats.html, pandas.io.formats.string",
    "import pandas.core.methods.to_dict, matplotlib.backends.backend_agg, matplotlib.backends.backend_svg",
    "import zmq.utils.garbage; zmq.utils.garbage.gc.start()",  # the thread that frees zero-copy messages
)

#: The module a warm kernel holds as ``_helpers_warm``: ``settle()`` records the baseline, ``reset(cwd)``
#: restores it before a notebook and raises ``NotClean`` naming what still differs.
KERNEL_SIDE = """
import builtins, decimal, gc, locale, logging, os, signal, sys, threading, warnings
from IPython import get_ipython

OWN = %(own)r
SAVED = {}
BASELINE = {}


class NotClean(RuntimeError):
    pass


def _name(obj):
    kind = obj if isinstance(obj, type) else type(obj)
    name = getattr(obj, "__qualname__", None) or kind.__qualname__
    return f"{getattr(obj, '__module__', None) or kind.__module__}.{name}"


def _options(wrapper, prefix=""):
    found = []
    for key in dir(wrapper):
        value = getattr(wrapper, key)
        if type(value).__name__ == "DictWrapper":
            found += _options(value, prefix + key + ".")
        else:
            found.append((prefix + key, repr(value)))
    return found


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def state():
    import matplotlib, matplotlib.pyplot as plt, matplotlib.units, numpy, pandas

    ip = get_ipython()
    formatters = ip.display_formatter.formatters
    return {
        "modules": sorted(sys.modules),
        "namespace": sorted(ip.user_ns),
        "execution count": ip.execution_count,
        "rcParams": repr(sorted(dict.items(matplotlib.rcParams))),
        "figures": plt.get_fignums(),
        "warnings": repr((warnings.filters, warnings.defaultaction, _name(warnings.showwarning))),
        "environment": sorted(os.environ.items()),
        "sys.path": (list(sys.path), [_name(f) for f in sys.meta_path], [_name(f) for f in sys.path_hooks]),
        "threads": sorted(f"{t.name}:{_name(t)}:{_name(getattr(t, '_target', None))}" for t in threading.enumerate()),
        "pandas options": _options(pandas.options),
        "numpy options": (repr(numpy.get_printoptions()), repr(numpy.geterr())),
        "unit converters": sorted(_name(k) + ":" + _name(v) for k, v in matplotlib.units.registry.items()),
        "display formatters": sorted(
            (k, sorted(map(_name, f.type_printers)), sorted(map(str, f.deferred_printers)))
            for k, f in formatters.items()
        ),
        "events": sorted((k, [_name(c) for c in v]) for k, v in ip.events.callbacks.items()),
        "hooks": (_name(sys.displayhook), _name(sys.excepthook)),
        "builtins": sorted(vars(builtins)),
        "signals": [_name(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM)],
        "locale": locale.setlocale(locale.LC_ALL),
        "decimal": repr(decimal.getcontext()),
        "logging": (logging.root.level, [_name(h) for h in logging.root.handlers]),
        "recursion limit": sys.getrecursionlimit(),
        "umask": _umask(),
    }


def _own(name):
    return any(name == p or name.startswith(p + ".") for p in OWN)


def _restore():
    import matplotlib, matplotlib.pyplot as plt

    plt.close("all")
    if matplotlib.get_backend() != SAVED["backend"]:  # helpers' charts use agg; a notebook may show inline figures
        plt.switch_backend(SAVED["backend"])
    get_ipython().reset(new_session=True)
    for name in [n for n in sys.modules if _own(n)]:
        del sys.modules[name]
    dict.update(matplotlib.rcParams, SAVED["rc"])
    warnings.resetwarnings()  # also empties the "once" and "default" registries
    warnings.filters[:] = SAVED["filters"]
    os.environ.clear()
    os.environ.update(SAVED["environ"])
    sys.path[:] = SAVED["path"]


def settle():
    import matplotlib

    SAVED.update(
        backend=matplotlib.get_backend(),
        rc=dict(dict.items(matplotlib.rcParams)),
        filters=list(warnings.filters),
        environ=dict(os.environ),
        path=list(sys.path),
    )
    _restore()
    gc.collect()
    gc.freeze()  # what the warm-up imported is never garbage: later collections leave it out
    BASELINE.update(state())


def reset(cwd):
    _restore()
    os.chdir(cwd)
    now = state()
    differ = [_difference(k, BASELINE[k], now[k]) for k in BASELINE if now[k] != BASELINE[k]]
    if differ:
        raise NotClean("not as after the warm-up: " + "; ".join(differ))


def _difference(key, was, now):
    if isinstance(was, list) and isinstance(now, list):
        gone = [repr(x) for x in was if x not in now][:20]
        new = [repr(x) for x in now if x not in was][:20]
        return f"{key} (new: {', '.join(new) or '-'}; gone: {', '.join(gone) or '-'})"
    return f"{key} (was {str(was)[:300]}, now {str(now)[:300]})"
"""


def compile_helpers(root: Path | None = None) -> int:
    """Write the bytecode of every module under ``root`` (default: the ``helpers`` package) that lacks it or
    whose source changed; returns how many modules were compiled.

    A warm kernel imports ``helpers`` afresh for each notebook (see above), and nbval starts a kernel per
    notebook: without bytecode on disk each of those imports compiles every module from source (0.15 s a
    notebook here, where ``PYTHONDONTWRITEBYTECODE`` is set so that imports never write it).  ``compileall``
    writes it explicitly, compares each source's timestamp first (a few milliseconds when nothing changed) and is
    silent; a folder that cannot be written (an installed, read-only copy) is left as it is: imports then compile
    from source, as before.
    """
    import compileall
    import contextlib
    import io

    if root is None:
        from helpers.core.paths import HELPERS

        root = HELPERS
    stale = [p for p in root.rglob("*.py") if not _bytecode_current(p)]
    if stale:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(OSError):
            compileall.compile_dir(str(root), quiet=2, workers=1)
    return sum(_bytecode_current(p) for p in stale)


def _bytecode_current(source: Path) -> bool:
    """Whether ``source`` has bytecode the import system accepts: the header of its ``.pyc`` (PEP 552,
    timestamp-based) records the source's modification time and size."""
    import importlib.util

    try:
        stat = source.stat()
        with open(importlib.util.cache_from_source(str(source)), "rb") as f:
            header = f.read(16)
    except OSError:
        return False
    return (
        len(header) == 16
        and header[:4] == importlib.util.MAGIC_NUMBER
        and header[4:8] == b"\0\0\0\0"
        and int.from_bytes(header[8:12], "little") == int(stat.st_mtime) & 0xFFFFFFFF
        and int.from_bytes(header[12:16], "little") == stat.st_size & 0xFFFFFFFF
    )


_MANAGER: list[type] = []


def kernel_manager_class() -> type:
    """jupyter_client's AsyncKernelManager, its kernel command prefixed so that the kernel dies with its worker.

    Only public methods are overridden: ``format_kernel_cmd`` (the command becomes
    ``python -c <set PR_SET_PDEATHSIG, exec> WORKER_PID <kernel command>``; a kernel named ``helpers-forked`` keeps
    its command, which its provisioner forks from the zygote, which ends it with its worker's connection) and
    ``client``, which returns the
    manager's ``kept_client`` when one is set (:meth:`Kernel.client`: nbclient asks the manager for a client at
    every notebook and would otherwise connect a new one each time).
    """
    if not _MANAGER:
        from jupyter_client.asynchronous import AsyncKernelClient
        from jupyter_client.manager import AsyncKernelManager
        from traitlets import default

        class KeptClient(readiness.ready_on_idle(AsyncKernelClient)):  # type: ignore[misc]
            """An asyncio client connected once and used for notebook after notebook: nbclient calls
            ``start_channels`` and ``wait_for_ready`` at every notebook; running channels are left be (a second
            start of the heartbeat's thread would raise) and only the first wait asks the kernel (a kernel_info
            round trip, until its idle status comes: :func:`.readiness.ready_on_idle`); a later one returns at
            once, the kernel having just run the worker's reset (:meth:`Kernel.ready`)."""

            proven = False

            def start_channels(self, *args: Any, **kwargs: Any) -> None:
                if not self.channels_running:
                    super().start_channels(*args, **kwargs)

            async def wait_for_ready(self, timeout: float | None = None) -> None:
                if not self.proven:
                    await super().wait_for_ready(timeout=timeout)
                    self.proven = True

        class DiesWithParent(AsyncKernelManager):
            @default("client_factory")
            def _kept_clients(self) -> type:
                return KeptClient

            def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
                cmd = super().format_kernel_cmd(extra_arguments)
                # a forked kernel is the zygote's child: the zygote kills it when its worker's connection closes
                if self.kernel_name == forkspec.NAME:
                    return cmd
                return [sys.executable, "-c", _DIE_WITH_PARENT, str(os.getpid()), *cmd]

            kept_client: Any = None  # set by Kernel.client

            def client(self, **kwargs: Any) -> Any:
                return self.kept_client if self.kept_client is not None else super().client(**kwargs)

        _MANAGER.append(DiesWithParent)
    return _MANAGER[0]


class Kernel:
    """The kernel of one worker process: :meth:`ready` before each notebook, :meth:`done` after it,
    :meth:`close` at the end.

    ``config(index)`` gives a new kernel manager's traitlets Config (its transport and connection file);
    ``start_timeout`` bounds a start, a warm-up and a reset.
    """

    def __init__(self, name: str, config: Any, start_timeout: float, fresh: bool = False):
        self.name, self.config, self.start_timeout, self.fresh = name, config, start_timeout, fresh
        self.km: Any = None
        self.kc: Any = None  # the worker's own blocking client of the kernel (warm-up and resets)
        self.warm = False  # the kernel holds the warm-up's imports and baseline
        self.notebooks = 0  # notebooks run in this kernel
        self.warm_failed = ""  # why the last warm-up failed (the worker then gives its notebooks fresh kernels)
        self.reused = 0  # notebooks run in a kernel that ran another before
        self.last_reused = False  # the last notebook did
        self.doubts: list[str] = []  # why a warm kernel was not reused, each time

    def ready(self, cwd: Path, index: int) -> Any:
        """A kernel manager whose kernel is running in ``cwd`` and provably clean; raises if none could start."""
        from jupyter_core.utils import run_sync

        self.last_reused = False
        if self.km is not None and self.warm:  # one that ran notebooks, or one prepared and not used yet
            try:
                if not run_sync(self.km.is_alive)():
                    raise RuntimeError("the kernel died after its last notebook")
                self._run(f"__import__('_helpers_warm').reset({str(cwd)!r})")
                if self.notebooks:
                    self.reused += 1
                    self.last_reused = True
                return self.km
            except Exception as e:
                self.doubts.append(f"{type(e).__name__}: {e}")
                self.discard()
        elif self.km is not None:
            self.discard()
        self._start(cwd, index)
        return self.km

    def prepare(self, cwd: Path, index: int) -> None:
        """Start and warm the kernel before the first notebook is known (the worker has nothing else to do); a
        failure here is only remembered: :meth:`ready` then starts the first notebook's kernel as usual."""
        if self.km is not None or self.fresh:
            return
        try:
            self._start(cwd, index)
            self.client()
        except Exception as e:
            self.doubts.append(f"preparing: {type(e).__name__}: {e}")
            self.discard(now=True)

    def client(self) -> Any:
        """The client papermill executes this kernel's notebooks through, connected once per kernel and kept as its
        manager's ``kept_client`` (which nbclient's ``km.client()`` then returns): a newly connected client
        connects its channels and waits for a kernel_info round trip, which every notebook paid when nbclient
        connected its own; the kept client's later waits return at once.  nbclient reads only the
        replies and outputs of the requests it sent (it matches each message's parent id), so one notebook's
        messages never reach the next."""
        from jupyter_core.utils import run_sync

        if self.km.kept_client is None:
            kc = self.km.client()
            kc.start_channels()
            self.km.kept_client = kc  # discard() closes it, also when the wait below fails
            run_sync(kc.wait_for_ready)(timeout=self.start_timeout)
        return self.km.kept_client

    def done(self, ok: bool) -> None:
        """After a notebook: a kernel is kept only when warm and the notebook succeeded."""
        self.notebooks += 1
        if not (ok and self.warm and not self.fresh):
            self.discard(now=not ok)

    def discard(self, now: bool = False) -> None:
        """Shut the kernel down (at once when ``now``: it failed, may be busy or dead)."""
        km, self.km, self.warm, self.notebooks = self.km, None, False, 0
        clients, self.kc = (self.kc, km.kept_client if km is not None else None), None
        for kc in clients:
            if kc is not None:
                try:
                    kc.stop_channels()
                except Exception:  # its channels already closed
                    pass
        if km is None:
            return
        from jupyter_core.utils import run_sync

        try:
            if not now:
                run_sync(km.request_shutdown)()
            run_sync(km.finish_shutdown)(waittime=0 if now else max(2.0, km.shutdown_wait_time))
        except Exception:  # a kernel already gone
            pass
        try:
            run_sync(km.cleanup_resources)()
        except Exception:
            pass

    close = discard

    def _start(self, cwd: Path, index: int) -> None:
        from jupyter_core.utils import run_sync

        km = kernel_manager_class()(kernel_name=self.name, config=self.config(index), **self._specs())
        self.km = km
        run_sync(km.start_kernel)(cwd=str(cwd))
        if self.fresh or self.warm_failed:
            return
        try:
            self._run(_warm_up_code())
            self.warm = True
        except Exception as e:  # the worker stops warming: this notebook gets a new kernel, nothing imported
            self.warm_failed = f"{type(e).__name__}: {e}"
            self.discard(now=True)
            self.km = km = kernel_manager_class()(kernel_name=self.name, config=self.config(index), **self._specs())
            run_sync(km.start_kernel)(cwd=str(cwd))

    def _specs(self) -> dict[str, Any]:
        """A forked kernel's manager finds its kernelspec in memory (:func:`forkspec.kernel_spec_manager`)."""
        return {"kernel_spec_manager": forkspec.kernel_spec_manager()} if self.name == forkspec.NAME else {}

    def _run(self, code: str) -> None:
        """Execute ``code`` silently (no history, no execution count) with the worker's own client; raise on error."""
        if self.kc is None:
            self.kc = self.km.blocking_client()
            self.kc.start_channels()
            self.kc.wait_for_ready(timeout=self.start_timeout)
        reply = self.kc.execute_interactive(
            code, silent=True, store_history=False, timeout=self.start_timeout, output_hook=lambda msg: None
        )
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")


def _warm_up_code() -> str:
    return "\n".join(
        [
            "import sys, types",
            "_helpers_warm = types.ModuleType('_helpers_warm')",
            f"exec({KERNEL_SIDE % {'own': OWN}!r}, _helpers_warm.__dict__)",
            "sys.modules['_helpers_warm'] = _helpers_warm",
            *WARM_IMPORTS,
            "_helpers_warm.settle()",
        ]
    )


@dataclass
class Transport:
    """How kernels talk to their worker: IPC sockets in ``folder``, or TCP on 127.0.0.1 (folder None)."""

    folder: Path | None
    note: str = ""

    def config(self, index: int) -> Any:
        """The traitlets Config of kernel ``index``'s manager: its transport, address and connection file."""
        from traitlets.config import Config

        if self.folder is None:  # the connection file in Jupyter's runtime dir (jupyter_client's default: TMPDIR)
            runtime = Path(runtime_dir())
            runtime.mkdir(parents=True, exist_ok=True)
            name = f"{RUNTIME_PREFIX}{os.getpid()}-{index}-{os.urandom(4).hex()}.json"
            return Config(
                {"KernelManager": {"transport": "tcp", "ip": "127.0.0.1", "connection_file": str(runtime / name)}}
            )
        return Config(
            {
                "KernelManager": {
                    "transport": "ipc",
                    "ip": str(self.folder / f"k{index}"),
                    "connection_file": str(self.folder / f"k{index}.json"),
                }
            }
        )


def kernel_transport() -> Transport:
    """A folder of this run under the temp dir for the kernels' sockets, or TCP when there is none.

    TCP is used, and ``note`` says why, when the temp dir is not writable or when its socket paths would
    pass :data:`IPC_PATH_MAX` characters (ZMQ fails with "File name too long").
    """
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-"))
    except OSError as e:
        return Transport(
            None, f"temp dir {tempfile.gettempdir()} is not usable ({e.strerror}): kernels use TCP on 127.0.0.1"
        )
    longest = len(str(folder / "k9999")) + len("-99")
    if longest > IPC_PATH_MAX:
        folder.rmdir()
        return Transport(
            None,
            f"kernel socket paths under {tempfile.gettempdir()} would be {longest} characters "
            f"(more than {IPC_PATH_MAX}): kernels use TCP on 127.0.0.1",
        )
    return Transport(folder)
