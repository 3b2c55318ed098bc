"""Which notebooks tell a package's story: its own list (``x_notebooks``) or the generic walkthroughs.

A package's ``datapackage.json`` may list, as ``"x_notebooks": [file names in notebooks/]``, the notebooks
written for it (this report: 00-08).  Any other package gets the generic walkthroughs of
``notebooks/generic/``: an overview, one section notebook per section that holds figures (the same notebook
run with its ``section`` parameter), and the consistency checks.  :func:`collection` returns the pages;
:func:`materialise` writes each generic page as a notebook of its own (its parameters set in its parameters
cell) so that a runner executing notebook files runs them unchanged.  (A :class:`Page` is what a reader
gets; the runner's :class:`helpers.build.workers.Job` is one execution of a notebook file in one language.)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.core import paths

NOTEBOOKS = paths.NOTEBOOKS
#: The generic walkthroughs, in reading order: (notebook in notebooks/generic/, name of the executed page).
OVERVIEW, SECTION, CONSISTENCY = "overview.ipynb", "section.ipynb", "consistency.ipynb"


class StoryError(ValueError):
    """A package's notebook list that cannot be followed; the message names datapackage.json and the entry."""


@dataclass(frozen=True)
class Page:
    """One page of the story: the notebook that makes it, the page's file name, and the parameters it needs."""

    notebook: Path
    name: str
    parameters: dict = field(default_factory=dict)
    #: per language: the page's title (a section page's: its section's title), replacing the notebook's ``# ``
    #: heading in that language's cell; none: the notebook's own
    titles: dict = field(default_factory=dict)
    #: per language: one line saying what the page holds, put under its title (the home page lists it)
    summaries: dict = field(default_factory=dict)


def collection(data_dir: Path, notebooks: Path = NOTEBOOKS) -> list[Page]:
    """The notebooks that tell the package's story, in reading order.

    With ``x_notebooks``: each listed file of ``notebooks`` (no parameters of its own).  Without it: the
    generic overview ``00_overview``, then ``NN_section_S`` for each section S holding at least one figure
    (NN counting from 01; parameter ``section``), then the consistency page; every generic page also takes
    ``data_dir``, because the generic notebooks' own default points at no package in particular: so
    ``data_dir`` must be absolute (as :func:`helpers.build.settings.resolve` gives it).
    """
    from helpers.core import package

    data_dir = Path(data_dir)
    if not data_dir.is_absolute():
        raise ValueError(f"collection: data_dir {data_dir} is not absolute")
    descriptor = package.read_descriptor(data_dir)
    listed = descriptor.get("x_notebooks")
    shown = data_dir / package.DESCRIPTOR
    if listed is not None:
        if not isinstance(listed, list) or not listed or not all(isinstance(n, str) for n in listed):
            raise StoryError(f"{shown}: x_notebooks must be a non-empty list of notebook file names")
        pages: list[Page] = []
        for name in listed:
            path = Path(notebooks) / name
            if package.contained(Path(notebooks), name, (Path(notebooks),)) is None or Path(name).name != name:
                raise StoryError(f"{shown}: x_notebooks names {name!r}, which is not a file name in {notebooks}")
            if not path.is_file():
                raise StoryError(f"{shown}: x_notebooks names {name!r}, which is not a notebook in {notebooks}")
            pages.append(Page(path.resolve(), name))
        return pages
    from helpers.core.langs import LANGS
    from helpers.reader import params, walk

    try:
        contexts = {lang: params.setup(lang=lang, data_dir=data_dir) for lang in LANGS}
    except ValueError:  # a package parameter of the wrong shape: helpers.build.verdict refuses the package, naming it
        contexts = {}
    pkg: Any = contexts[LANGS[0]].package if contexts else package.load(data_dir)
    generic = Path(notebooks) / "generic"
    with_figures = sorted({int(s) for s in pkg.figures["section"]})

    def summaries(**how) -> dict:
        try:
            return {lang: walk.page_summary(ctx, **how) for lang, ctx in contexts.items()}
        except ValueError:  # a relation that cannot be computed: helpers.build.verdict refuses the package, naming it
            return {}

    pages = [Page(generic / OVERVIEW, "00_overview.ipynb", {"data_dir": str(data_dir)}, {}, summaries(page="overview"))]
    for n, section in enumerate(with_figures, start=1):
        pages.append(
            Page(
                generic / SECTION,
                f"{n:02d}_section_{section}.ipynb",
                {"data_dir": str(data_dir), "section": section},
                {lang: walk.page_title(ctx, section) for lang, ctx in contexts.items()},
                summaries(section=section),
            )
        )
    pages.append(
        Page(
            generic / CONSISTENCY,
            f"{len(with_figures) + 1:02d}_consistency.ipynb",
            {"data_dir": str(data_dir)},
            {},
            summaries(page="consistency"),
        )
    )
    return pages


def parameters_cell(nb: dict) -> dict | None:
    """The cell tagged ``parameters`` of a notebook read as plain JSON (no notebook library), or None."""
    return next((c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])), None)


def materialise(pages: Sequence[Page], dest: Path) -> list[Path]:
    """Notebook files for ``pages``: a page without parameters is its own notebook; any other is written to
    ``dest/<name>`` with its parameters set in its ``parameters`` cell (a parameter the cell lacks is an error).
    """
    files: list[Path] = []
    for page in pages:
        if Path(page.name).name != page.name or page.name in ("", ".", ".."):
            raise StoryError(f"page {page.name!r}: a page is written as a file name in {dest}, never elsewhere")
        if not page.parameters and page.notebook.name == page.name:
            files.append(page.notebook)
            continue
        nb = json.loads(page.notebook.read_text(encoding="utf-8"))
        cell = parameters_cell(nb)
        if cell is None:
            raise StoryError(f"{page.notebook}: no cell tagged 'parameters' to set {', '.join(page.parameters)} in")
        cell["source"] = set_parameters("".join(cell["source"]), page.parameters, page.notebook)
        retitle(nb, page.titles, page.summaries)
        Path(dest).mkdir(parents=True, exist_ok=True)
        target = Path(dest) / page.name
        target.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        files.append(target)
    return files


def retitle(nb: dict, titles: dict, summaries: dict) -> None:
    """In each language's first ``# `` heading cell (tagged ``lang-<lang>``): the heading replaced by
    ``titles[lang]`` and ``summaries[lang]`` put under it as a paragraph (each only when given)."""
    for lang in set(titles) | set(summaries):
        cell = next(
            (
                c
                for c in nb["cells"]
                if c["cell_type"] == "markdown"
                and f"lang-{lang}" in c.get("metadata", {}).get("tags", [])
                and "".join(c["source"]).startswith("# ")
            ),
            None,
        )
        if cell is None:
            raise StoryError(f"no '# ' heading cell tagged lang-{lang} to title")
        head, _, rest = "".join(cell["source"]).partition("\n")
        head = f"# {titles[lang]}" if lang in titles else head
        summary = f"\n\n{summaries[lang]}" if summaries.get(lang) else ""
        cell["source"] = head + summary + (f"\n{rest}" if rest else "")


def set_parameters(source: str, parameters: dict, where: Path | str = "") -> str:
    """A parameters cell's source with each ``name = literal`` line given a new literal (its comment kept)."""
    lines = source.split("\n")
    for name, value in parameters.items():
        hits = [i for i, line in enumerate(lines) if line.split("=")[0].strip() == name]
        if not hits:
            raise StoryError(f"{where}: the parameters cell has no parameter {name!r}")
        line = lines[hits[0]]
        comment = line[line.index("#") :] if "#" in line else ""
        lines[hits[0]] = f"{name} = {value!r}" + (f"  {comment}" if comment else "")
    return "\n".join(lines)
