"""Files: the one atomic write and the one way a path is shown in a message.

:func:`atomic_write` writes through a temporary sibling and renames it into place, so a reader (or a
killed run) never sees half a file; with ``overwrite=False`` it links instead of renaming and refuses an
existing file, even one that appears meanwhile.  :func:`shown` is how every message prints a path;
:func:`largest_first` orders work by the size of the file each part names.
:func:`read_regular` is how every input file is read (a package's descriptor and tables, a source text, a
report to extract from, a parameters file): only a regular file, at most :data:`MAX_BYTES`, so that a named
pipe, a device (``/dev/zero``) or a folder given as a file is refused by name instead of blocking or filling
the memory.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: The largest input file read (a package's descriptor or table, a source text, a report, a parameters file).
MAX_BYTES = 64 * 2**20


class NotRegularFile(OSError):
    """An input that is not a regular file (a pipe, a device, a folder) or is larger than :data:`MAX_BYTES`; the
    message names the path and what it is."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_regular(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path`` when it is a regular file (symlinks followed) of at most ``limit`` bytes.

    Opened without blocking (a named pipe with no writer does not hang) and checked on the open descriptor;
    :class:`NotRegularFile` names a pipe, a device, a folder or a file too large; other :class:`OSError`\\ s
    (missing, unreadable) pass through.
    """
    path = Path(path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
            raise NotRegularFile(f"{shown(path)} is {what}, not a regular file")
        if st.st_size > limit:
            raise NotRegularFile(f"{shown(path)} is {st.st_size:,} bytes, over the limit of {limit:,}")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:  # grew while read
        raise NotRegularFile(f"{shown(path)} is over the limit of {limit:,} bytes")
    return data


def atomic_write(path: str | Path, data: bytes | str, *, overwrite: bool = True, fsync: bool = False) -> None:
    """Write ``data`` (``str`` as UTF-8, newlines kept) to ``path`` all at once.

    ``overwrite=False`` → :class:`FileExistsError` when ``path`` exists (checked by ``os.link``, atomically).
    ``fsync`` flushes the data to disk before the rename (for files a user keeps, such as a draft).
    The file gets the permission bits of the one it replaces, or a new file's (0o666 less the umask).
    Any :class:`OSError` propagates after the temporary file is removed.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), _mode_for(path))  # mkstemp's 0o600 would make a site or a draft private
            fh.write(payload)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)  # fails if path exists: no overwrite, even in a race
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _read_umask() -> int:
    """The process's umask (os.umask can only be read by setting it: done once, at import)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _mode_for(path: Path) -> int:
    """The permission bits the written file gets: those of the file it replaces, else what ``open`` would give a
    new file (0o666 less the process's umask)."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def write_if_changed(path: str | Path, data: bytes) -> bool:
    """:func:`atomic_write` unless ``path`` already holds exactly ``data`` (its mtime kept); True if written."""
    path = Path(path)
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)
    return True


def shown(path: str | Path) -> str:
    """A path as messages show it: relative to the current directory when inside it, else normalised."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return os.path.normpath(path)


def largest_first(things: Sequence[T], path: Callable[[T], Path]) -> list[T]:
    """``things`` in descending order of the size of the file ``path(thing)`` names, equal sizes in their order
    (each file measured once).  Notebooks run longest first by this measure: a notebook's stored outputs, mostly its
    charts, are the guess of its running time that needs no earlier run, and workers handed the longest first
    finish together instead of one waiting for another's last notebook."""
    sizes: dict[Path, int] = {}
    for thing in things:
        where = path(thing)
        if where not in sizes:
            sizes[where] = where.stat().st_size
    return sorted(things, key=lambda thing: -sizes[path(thing)])
