"""Which notebooks tell a package's story: its own list (``x_notebooks``) or the generic walkthroughs.

A package's ``datapackage.json`` may list, as ``"x_notebooks": [file names in notebooks/]``, the notebooks
written for it (this report: 00-08).  Any other package gets the generic walkthroughs of
``notebooks/generic/``: an overview, one section notebook per section that holds figures (the same notebook
run with its ``section`` parameter), and the consistency checks.  :func:`collection` returns the jobs;
:func:`materialise` writes each generic job as a notebook of its own (its parameters set in its parameters
cell) so that a runner executing notebook files runs them unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core import paths

NOTEBOOKS = paths.NOTEBOOKS
GENERIC = paths.GENERIC_NOTEBOOKS
#: The generic walkthroughs, in reading order: (notebook in notebooks/generic/, name of the executed page).
OVERVIEW, SECTION, CONSISTENCY = "overview.ipynb", "section.ipynb", "consistency.ipynb"


class StoryError(ValueError):
    """A package's notebook list that cannot be followed; the message names datapackage.json and the entry."""


@dataclass(frozen=True)
class Job:
    """One notebook to execute: the notebook file, the name of its executed page, and the parameters it needs."""

    notebook: Path
    name: str
    parameters: dict = field(default_factory=dict)


def collection(data_dir: str | Path, notebooks: Path = NOTEBOOKS) -> list[Job]:
    """The notebooks that tell the package's story, in reading order.

    With ``x_notebooks``: each listed file of ``notebooks`` (no parameters of its own).  Without it: the
    generic overview ``00_overview``, then ``NN_section_S`` for each section S holding at least one figure
    (NN counting from 01; parameter ``section``), then the consistency page; every generic job also takes
    ``data_dir`` (absolute), because the generic notebooks' own default points at no package in particular.
    """
    from helpers.core import package

    data_dir = Path(data_dir).resolve()
    descriptor = package.read_descriptor(data_dir)
    listed = descriptor.get("x_notebooks")
    shown = data_dir / package.DESCRIPTOR
    if listed is not None:
        if not isinstance(listed, list) or not listed or not all(isinstance(n, str) for n in listed):
            raise StoryError(f"{shown}: x_notebooks must be a non-empty list of notebook file names")
        jobs = []
        for name in listed:
            path = Path(notebooks) / name
            if not path.is_file():
                raise StoryError(f"{shown}: x_notebooks names {name!r}, which is not a notebook in {notebooks}")
            jobs.append(Job(path.resolve(), name))
        return jobs
    pkg = package.load(data_dir)
    generic = Path(notebooks) / "generic"
    with_figures = sorted({int(s) for s in pkg.figures["section"]})
    jobs = [Job(generic / OVERVIEW, "00_overview.ipynb", {"data_dir": str(data_dir)})]
    for n, section in enumerate(with_figures, start=1):
        jobs.append(
            Job(generic / SECTION, f"{n:02d}_section_{section}.ipynb", {"data_dir": str(data_dir), "section": section})
        )
    jobs.append(
        Job(generic / CONSISTENCY, f"{len(with_figures) + 1:02d}_consistency.ipynb", {"data_dir": str(data_dir)})
    )
    return jobs


def materialise(jobs: list[Job], dest: Path) -> list[Path]:
    """Notebook files for ``jobs``: a job without parameters is its own notebook; any other is written to
    ``dest/<name>`` with its parameters set in its ``parameters`` cell (a parameter the cell lacks is an error).
    """
    paths = []
    for job in jobs:
        if not job.parameters and job.notebook.name == job.name:
            paths.append(job.notebook)
            continue
        nb = json.loads(job.notebook.read_text(encoding="utf-8"))
        cell = next((c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])), None)
        if cell is None:
            raise StoryError(f"{job.notebook}: no cell tagged 'parameters' to set {', '.join(job.parameters)} in")
        cell["source"] = set_parameters("".join(cell["source"]), job.parameters, job.notebook)
        Path(dest).mkdir(parents=True, exist_ok=True)
        target = Path(dest) / job.name
        target.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(target)
    return paths


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
