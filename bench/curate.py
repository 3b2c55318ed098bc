"""A recorded curation: the hand edits that take a draft (``helpers new``) to its curated package, kept as data.

    .venv/bin/python bench/curate.py DRAFT_DIR OUT_DIR CURATION.json

``CURATION.json`` (one per text in ``tests/journey/curation/``) holds only what the curator changed:

- ``new``: the options the curator drafted with (``{"year": 2025}`` for ``helpers new --year 2025``, when the
  text prints no year); the draft the edits are counted from is made with them;

- ``datapackage``: top-level fields of ``datapackage.json`` (title, description);
- ``source``: fields of its first source (title, publisher, date, and the path the package reads its text from);
- ``figures``, ``relations``, ``non_figures`` (keyed by ``id``) and ``sections`` (keyed by ``section``): for each
  row, the fields set by hand (an ``id`` renamed here is renamed in the relations and non-figures that name it),
  or ``"DELETE"`` to drop the row; ``figures_add``, ``non_figures_add`` … rows typed in whole (non-figures kept in
  text order).

Applying it copies the draft to ``OUT_DIR`` (replaced), sets those fields, and does what the README's curation
ends with: drops ``problems.csv``, every ``guess`` column (and its field in the schemas) and ``x_draft``.  The
result is the committed package in ``tests/packages/NAME/`` (``tests/test_journey.py`` proves it), and
``bench/edits.py`` counts the same edits between the draft and it.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

from helpers.core.files import atomic_write

TABLES = {"figures": "id", "relations": "id", "non_figures": "id", "sections": "section"}
ID_COLUMNS = ("id", "x", "y", "figure_id")


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    atomic_write(path, out.getvalue())


def apply(draft_dir: str | Path, out_dir: str | Path, curation: dict) -> Path:
    """Write ``draft_dir`` with ``curation`` applied to ``out_dir`` (see the module); returns ``out_dir``."""
    draft_dir, out_dir = Path(draft_dir), Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(draft_dir, out_dir)
    (out_dir / "problems.csv").unlink(missing_ok=True)
    descriptor = json.loads((out_dir / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(curation.get("datapackage", {}))
    descriptor["sources"][0].update(curation.get("source", {}))
    descriptor.pop("x_draft", None)
    for resource in descriptor["resources"]:
        resource["schema"]["fields"] = [f for f in resource["schema"]["fields"] if f["name"] != "guess"]
    atomic_write(out_dir / "datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
    renamed = {k: v["id"] for k, v in curation.get("figures", {}).items() if isinstance(v, dict) and "id" in v}
    for table, key in TABLES.items():
        path = out_dir / f"{table}.csv"
        columns, rows = _rows(path)
        edits = curation.get(table, {})
        kept = []
        for row in rows:
            change = edits.get(row[key], {})
            if change == "DELETE":
                continue
            for column in ID_COLUMNS:
                if column in row and row[column] in renamed:
                    row[column] = renamed[row[column]]
            row.update(change)
            kept.append(row)
        kept += curation.get(f"{table}_add", [])
        if table == "non_figures":
            kept.sort(key=lambda r: int(r["char_start"]))
        _write(path, [c for c in columns if c != "guess"], kept)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    curation = json.loads(Path(args[2]).read_text(encoding="utf-8"))
    apply(args[0], args[1], curation)
    return 0


if __name__ == "__main__":
    sys.exit(main())
