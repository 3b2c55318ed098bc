"""The run's settings: everything a run was told, resolved once into one frozen record every later step reads.

Owns :class:`Settings` (the output folder, the notebooks or the package's story, the languages, the
parameters, *the* data package folder, the workers, the timeouts, force/refresh/wait), how it is made from
what the command line parsed (:func:`resolve`: the one place the data package folder is resolved), the
notebooks a ``--notebooks`` list names (:func:`find_notebooks`), the exit codes and :class:`UsageError`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from helpers.build import story
from helpers.core.langs import LANGS
from helpers.core.paths import DATA, NOTEBOOKS

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
#: The committed notebooks: ``NN_name.ipynb`` in a folder form the collection.
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


class UsageError(ValueError):
    """A bad command line or parameters file; raised before anything runs."""


@dataclass(frozen=True)
class Timeouts:
    """Every timeout of a run, in seconds (the command line's defaults are these)."""

    timeout: int | None = 600  # one cell
    start_timeout: int = 180  # one kernel's start
    worker_timeout: int = 3600  # one notebook's worker, all cells


@dataclass(frozen=True)
class Settings:
    """One run, as resolved from its command line before anything runs."""

    out: Path  #: the output folder (absolute)
    data_dir: Path  #: the data package every notebook, the tables and the site read (absolute)
    notebooks: tuple[Path, ...] = ()  #: the notebooks to execute (absolute); empty until ``pages`` are written
    pages: tuple[story.Page, ...] = ()  #: the package's story, written as notebooks under OUT's lock
    langs: tuple[str, ...] = LANGS  #: languages to execute every notebook in; the site is the first's
    #: passed to every notebook (never ``lang``: that is ``langs``); ``data_dir`` only when given
    parameters: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    jobs: int = 1  #: notebooks executed at once
    timeouts: Timeouts = Timeouts()
    force: bool = False  #: execute every notebook, cached or not
    refresh: bool = False  #: re-execute the committed notebooks in place (``make notebooks``)
    wait: float | None = None  #: seconds to wait for another run holding OUT (None: fail at once)
    fresh_kernels: bool = False  #: a kernel per notebook instead of a warm kernel per worker

    def with_notebooks(self, notebooks: Sequence[Path]) -> Settings:
        """These settings with the notebooks the story's pages were written as."""
        return replace(self, notebooks=tuple(notebooks))

    @property
    def site_parameters(self) -> dict[str, object]:
        """The parameters as the notebooks of the site's language see them, for
        :func:`helpers.reader.params.setup` in this process (the tables) and the site's page foot."""
        return {**self.parameters, "data_dir": str(self.data_dir), "lang": self.langs[0]}


def cores() -> int:
    """Cores this process may use (its CPU affinity, which a container may restrict)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve(
    *,
    out: Path,
    notebooks: Sequence[Path] | None,
    parameters: Mapping[str, object],
    langs: tuple[str, ...] = LANGS,
    jobs: int | None = None,
    timeouts: Timeouts = Timeouts(),
    force: bool = False,
    refresh: bool = False,
    wait: float | None = None,
) -> Settings:
    """The run's :class:`Settings`: ``notebooks`` given (or ``refresh``) are found (:func:`find_notebooks`),
    else the package's story is read (:func:`helpers.build.story.collection`); :class:`UsageError` names
    what cannot be followed.

    The data package folder is resolved here, once: ``parameters["data_dir"]`` (made absolute against the
    current directory, and passed on so), else the notebooks' own default (``../data`` from their folder, as
    they read it themselves), else the repository's ``data/`` (the story of the committed notebooks).
    Notebooks in folders whose defaults name different packages need ``--data-dir``: the run's tables, site
    and cache keys read one package.
    """
    found: tuple[Path, ...] = ()
    if notebooks or refresh:
        found = tuple(find_notebooks(notebooks))
    given = parameters.get("data_dir")
    if given is not None:
        data_dir = Path(str(given)).resolve()
    elif found:
        defaults = list(dict.fromkeys(_default_data_dir(nb) for nb in found))
        if len(defaults) > 1 and not refresh:
            raise UsageError(
                f"the notebooks read different data packages by default ({', '.join(map(str, defaults))}); "
                "choose one with --data-dir"
            )
        data_dir = defaults[0]
    else:
        data_dir = DATA.resolve()
    pages: tuple[story.Page, ...] = ()
    if not found:
        from helpers.core import package

        try:
            pages = tuple(story.collection(data_dir))
        except story.StoryError as e:
            raise UsageError(str(e)) from None
        except package.PackageError as e:
            from helpers.build.verdict import refusal, verdict

            raise UsageError(refusal(data_dir, verdict(data_dir).errors or [e])) from None
    params = dict(parameters)
    if given is not None:  # passed on as the notebooks read it, from their own folder: absolute
        params["data_dir"] = str(data_dir)
    return Settings(
        out=Path(out).resolve(),
        data_dir=data_dir,
        notebooks=found,
        pages=pages,
        langs=tuple(langs),
        parameters=MappingProxyType(params),
        jobs=jobs or cores(),
        timeouts=timeouts,
        force=force,
        refresh=refresh,
        wait=wait,
    )


def _default_data_dir(notebook: Path) -> Path:
    """The data package a notebook reads when no ``data_dir`` is passed: the ``data_dir`` literal of its own
    parameters cell (the generic walkthroughs name ``../../data/jinan_2022``), else the collection's default,
    from the notebook's folder."""
    import ast
    import json

    from helpers.reader.params import DEFAULTS

    given = str(DEFAULTS["data_dir"])
    try:  # plain JSON: a warm run imports no nbformat
        cell = story.parameters_cell(json.loads(notebook.read_text(encoding="utf-8")))
    except (OSError, ValueError, AttributeError):
        cell = None  # an unreadable notebook fails later, naming itself
    source = "".join(cell.get("source", "")) if cell is not None else ""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        body = []
    for node in body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "data_dir" for t in node.targets):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                given = node.value.value
    return (notebook.parent / given).resolve()


def find_notebooks(paths: Sequence[Path] | None = None) -> list[Path]:
    """Absolute notebook paths: the files given, or ``NN_*.ipynb`` in the folders given (default notebooks/)."""
    wanted = list(paths) if paths else [NOTEBOOKS]
    found: list[Path] = []
    for path in map(Path, wanted):
        if path.is_dir():
            inside = sorted(path.glob(NOTEBOOK_GLOB))
            if not inside:
                raise UsageError(f"no {NOTEBOOK_GLOB} notebooks in {path}")
            found.extend(inside)
        elif path.is_file() and path.suffix == ".ipynb":
            found.append(path)
        else:
            raise UsageError(f"--notebooks {path}: not a notebook (.ipynb) or a folder of notebooks")
    found = [p.resolve() for p in found]
    names = [p.name for p in found]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise UsageError(f"two notebooks named {dupes[0]}: executed notebooks share one folder")
    return found
