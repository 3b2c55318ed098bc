"""What a drafted package leaves to curate: its placeholders and its list of problems (``problems.csv``).

``helpers new`` writes every draft it can, marking what it could not know with a placeholder (:data:`TO_FILL`,
:data:`TO_TRANSLATE`) and listing every problem in ``problems.csv`` inside the draft (:data:`PROBLEM_COLUMNS`:
the file, row, key and field, the value drafted there, the problem and what to do).  :func:`check` is what
``helpers validate`` adds to the audit: every cell or descriptor string still holding a placeholder, and every
problem of ``problems.csv`` whose cell still holds the value drafted there (a problem is curated when its cell
has changed, or its row is gone).  Delete ``problems.csv`` once it lists nothing open.
"""

from __future__ import annotations

import csv
from pathlib import Path

from helpers.core import files, package
from helpers.core.package import DESCRIPTOR, Errors, Package, PackageError

TO_FILL = "TO FILL IN"
TO_TRANSLATE = "TO TRANSLATE"
PLACEHOLDERS = (TO_FILL, TO_TRANSLATE)
PROBLEMS = "problems.csv"
PROBLEM_COLUMNS = ("file", "row", "key", "field", "drafted", "problem", "to_do")
#: The column that identifies a row of each table (problems.csv names rows by it, so that reordering keeps them).
KEYS = {"sections": "section", "figures": "id", "non_figures": "id", "relations": "id"}


def placeholders(pkg: Package) -> Errors:
    """Every descriptor string and table cell still holding a placeholder, as errors naming file, row and field."""
    errors = Errors()
    shown = files.shown(pkg.data_dir / DESCRIPTOR)
    for where, value in strings(pkg.descriptor, ""):
        if where.startswith("x_draft") or where.endswith(".description") and where.count(".") > 1:
            continue  # the draft's own notes and the schema's field descriptions are not data
        for word in PLACEHOLDERS:
            if word in value:
                errors.add(shown, f"still marked {word!r}: {_todo(word)}", field=where)
    for name in package.TABLES:
        frame = getattr(pkg, name)
        key = KEYS[name]
        text = frame.select_dtypes(include=["string", "object"]).fillna("").astype(str)
        for column in text.columns:
            for i in text.index[text[column].str.contains("|".join(PLACEHOLDERS))]:
                word = next(w for w in PLACEHOLDERS if w in text.at[i, column])
                row = frame.index.get_loc(i) + 1
                errors.add(
                    frame.attrs["path"],
                    f"still marked {word!r}: {_todo(word)}",
                    row,
                    column,
                    _label(key, frame.at[i, key]) if key in frame.columns else None,
                )
    return errors


def _label(key: str, value) -> str:
    """How an error names a row: ``id 'gdp'``, ``section 2``."""
    return f"{key} {value!r}" if isinstance(value, str) else f"{key} {_plain(value)}"


def _todo(word: str) -> str:
    return "write the value the text gives" if word == TO_FILL else "write the English"


def read_problems(data_dir: Path) -> list[dict]:
    """The rows of ``problems.csv`` in ``data_dir`` (none when the file is absent)."""
    path = Path(data_dir) / PROBLEMS
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def open_problems(pkg: Package) -> Errors:
    """The problems of ``problems.csv`` whose cell still holds the value drafted there, each named by that cell."""
    errors = Errors()
    for p in read_problems(pkg.data_dir):
        found = _current(pkg, p)
        if found is not None and found[3] == p.get("drafted", ""):
            shown, row, key, _ = found
            errors.add(
                shown,
                f"{p.get('problem', '')}: {p.get('to_do', '')} (listed in {PROBLEMS})",
                row,
                p.get("field") or None,
                key,
            )
    return errors


def _current(pkg: Package, problem: dict) -> tuple[str, int | None, str | None, str] | None:
    """Where the cell a problem names is now (file shown, row, key) and its value; None when it is gone."""
    name = problem.get("file", "").removesuffix(".csv")
    field = problem.get("field", "")
    if problem.get("file") == DESCRIPTOR:
        value = lookup(pkg.descriptor, field)
        return None if value is None else (files.shown(pkg.data_dir / DESCRIPTOR), None, None, value)
    if name not in package.TABLES:
        return None
    frame = getattr(pkg, name)
    if field not in frame.columns:
        return None
    key, wanted = KEYS[name], problem.get("key", "")
    if wanted and key in frame.columns:
        hits = [i for i, v in enumerate(frame[key].astype(str)) if v == wanted]
    else:
        row = int(problem.get("row") or 0)
        hits = [row - 1] if 1 <= row <= len(frame) else []
    if not hits:
        return None
    cell = frame.iloc[hits[0]][field]
    label = _label(key, frame.iloc[hits[0]][key]) if key in frame.columns else None
    return frame.attrs["path"], hits[0] + 1, label, "" if package._na(cell) else _plain(cell)


def _plain(cell) -> str:
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if hasattr(cell, "item"):  # a numpy scalar
        cell = cell.item()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def lookup(obj, path: str) -> str | None:
    for part in path.replace("[", ".").replace("]", "").split("."):
        if isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        elif isinstance(obj, dict) and part in obj:
            obj = obj[part]
        else:
            return None
    return obj if isinstance(obj, str) else None if obj is None else str(obj)


def check(pkg: Package, found: list[PackageError]) -> Errors:
    """Placeholders and open problems not already named by ``found`` (same file, row and field)."""
    seen = {(e.file, e.row, e.field) for e in found}
    out = Errors()
    for e in placeholders(pkg) + open_problems(pkg):
        if (e.file, e.row, e.field) not in seen:
            seen.add((e.file, e.row, e.field))
            out.append(e)
    return out


def strings(value, where: str):
    """Every string of a JSON value with its path (``sources[0].title``)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, f"{where}[{i}]")
