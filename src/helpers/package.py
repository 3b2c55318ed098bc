"""The data package: reading ``data/`` into pandas against ``datapackage.json``, with errors naming file, row and field.

``datapackage.json`` is the one schema.  :func:`load` checks every resource
against it (column names, types, required values, patterns, enums, minimum and
maximum, unique and primary keys, foreign keys) and then checks what a schema
cannot say: a unit that :mod:`helpers.units` does not know, a ``base_value`` that
is not the exact conversion of ``value``, offsets that do not span the printed
number, a period that is not an ISO 8601 interval, a relation missing an input
its kind needs.  The first problem found raises :class:`PackageError`, whose
message reads ``data/figures.csv, row 3 (id 'land_sold_area'), field 'unit_zh':
unknown unit '亩亩'``: rows count data rows from 1, the header not included.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd

from helpers import periods, units

DESCRIPTOR = "datapackage.json"
REPO_DATA = Path(__file__).resolve().parents[2] / "data"

_DTYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean", "string": "string"}


class PackageError(ValueError):
    """A data package file that does not conform; the message names file, row and field."""

    def __init__(self, file: str | Path, message: str, row: int | None = None,
                 field: str | None = None, key: str | None = None):
        self.file, self.row, self.field, self.key = str(file), row, field, key
        where = self.file
        if row is not None:
            where += f", row {row}" + (f" ({key})" if key else "")
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Package:
    """The validated tables of a data package, and its descriptor."""

    data_dir: Path
    descriptor: dict
    sections: pd.DataFrame
    figures: pd.DataFrame
    non_figures: pd.DataFrame
    relations: pd.DataFrame

    @property
    def source(self) -> dict:
        """The first source of the descriptor (title, publisher, sha256 ...)."""
        return (self.descriptor.get("sources") or [{}])[0]

    def figure(self, figure_id: str) -> pd.Series:
        """One figure's row by id; KeyError names the id when it is not in the package."""
        rows = self.figures[self.figures["id"] == figure_id]
        if rows.empty:
            raise KeyError(f"no figure {figure_id!r} in {self.data_dir / 'figures.csv'}")
        return rows.iloc[0]


def load(data_dir: str | Path = REPO_DATA) -> Package:
    """Read and validate every resource of the package in ``data_dir``."""
    data_dir = Path(data_dir)
    descriptor = read_descriptor(data_dir)
    tables: dict[str, pd.DataFrame] = {}
    for resource in descriptor["resources"]:
        tables[resource["name"]] = read_resource(data_dir, resource)
    for resource in descriptor["resources"]:
        _check_foreign_keys(data_dir, resource, tables)
    missing = {"sections", "figures", "non_figures", "relations"} - set(tables)
    if missing:
        raise PackageError(data_dir / DESCRIPTOR, f"resources missing: {', '.join(sorted(missing))}")
    _check_figures(data_dir, tables["figures"])
    _check_offsets(data_dir / "non_figures.csv", tables["non_figures"], "text")
    _check_relations(data_dir, tables["relations"], tables["figures"])
    return Package(data_dir, descriptor, **{k: tables[k] for k in
                                            ("sections", "figures", "non_figures", "relations")})


def read_descriptor(data_dir: Path) -> dict:
    path = Path(data_dir) / DESCRIPTOR
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackageError(path, "file not found (a data package needs its datapackage.json)") from None
    except UnicodeDecodeError as e:
        raise PackageError(path, f"not UTF-8 ({e.reason} at byte {e.start})") from None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as e:
        raise PackageError(path, f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
    if not isinstance(descriptor.get("resources"), list) or not descriptor["resources"]:
        raise PackageError(path, "'resources' must be a non-empty list")
    return descriptor


def read_resource(data_dir: Path, resource: dict) -> pd.DataFrame:
    """One CSV resource as a DataFrame typed by its schema, every value checked."""
    path = Path(data_dir) / resource["path"]
    shown = _shown(path)
    raw = _read_bytes(path, shown)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise PackageError(shown, f"not UTF-8: byte 0x{raw[e.start]:02x} at byte {e.start} "
                                  f"(line {line}); save the file as UTF-8", row=line - 1 or None) from None
    text = text.removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise PackageError(shown, "empty file: the header row is missing")
    header, body = rows[0], rows[1:]
    fields = resource["schema"]["fields"]
    names = [f["name"] for f in fields]
    for name in names:
        if name not in header:
            raise PackageError(shown, "column missing from the header", row=None, field=name)
    for name in header:
        if name not in names:
            raise PackageError(shown, "column not described in datapackage.json", field=name)
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise PackageError(shown, "column appears twice in the header", field=dup)
    key_field = (resource["schema"].get("primaryKey") or [names[0]])[0]
    columns: dict[str, list] = {n: [] for n in names}
    seen: dict[str, dict] = {f["name"]: {} for f in fields if f.get("constraints", {}).get("unique")}
    for i, cells in enumerate(body, start=1):
        if not any(c.strip() for c in cells):
            raise PackageError(shown, "blank line inside the table", row=i)
        if len(cells) != len(header):
            raise PackageError(shown, f"{len(cells)} cells where the header has {len(header)}", row=i)
        record = dict(zip(header, cells))
        key = f"{key_field} {record.get(key_field, '')!r}"
        for field in fields:
            value = _cast(shown, i, key, field, record[field["name"]])
            if field["name"] in seen and value is not None:
                if value in seen[field["name"]]:
                    raise PackageError(shown, f"duplicate value {value!r} (first in row "
                                              f"{seen[field['name']][value]})", row=i, field=field["name"], key=key)
                seen[field["name"]][value] = i
            columns[field["name"]].append(value)
    frame = pd.DataFrame({f["name"]: pd.Series(columns[f["name"]], dtype=_DTYPES[f["type"]])
                          for f in fields})
    frame.attrs["path"] = shown
    return frame


def _shown(path: Path) -> str:
    """The path as an error shows it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read_bytes(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PackageError(shown, "file not found (listed in datapackage.json)") from None


def _cast(file: str, row: int, key: str, field: dict, cell: str):
    """A cell as its schema type, its constraints checked; None for an empty optional cell."""
    name, ftype = field["name"], field["type"]
    c = field.get("constraints", {})
    if cell == "":
        if c.get("required"):
            raise PackageError(file, "value required but empty", row, name, key)
        return None
    if ftype == "string":
        value = cell
    elif ftype == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", cell):
            raise PackageError(file, f"{cell!r} is not an integer", row, name, key)
        value = int(cell)
    elif ftype == "number":
        try:
            value = float(cell)
        except ValueError:
            raise PackageError(file, f"{cell!r} is not a number", row, name, key) from None
    elif ftype == "boolean":
        trues, falses = field.get("trueValues", ["true"]), field.get("falseValues", ["false"])
        if cell not in trues + falses:
            raise PackageError(file, f"{cell!r} is not a boolean ({'/'.join(trues + falses)})", row, name, key)
        value = cell in trues
    else:
        raise PackageError(file, f"schema type {ftype!r} is not supported by this loader", field=name)
    if "pattern" in c and not re.fullmatch(c["pattern"], cell):
        raise PackageError(file, f"{cell!r} does not match the pattern {c['pattern']}", row, name, key)
    if "enum" in c and value not in c["enum"]:
        raise PackageError(file, f"{cell!r} is not one of: {', '.join(map(str, c['enum']))}", row, name, key)
    if "minimum" in c and value < c["minimum"]:
        raise PackageError(file, f"{cell} is below the minimum {c['minimum']}", row, name, key)
    if "maximum" in c and value > c["maximum"]:
        raise PackageError(file, f"{cell} is above the maximum {c['maximum']}", row, name, key)
    return value


def _check_foreign_keys(data_dir: Path, resource: dict, tables: dict[str, pd.DataFrame]) -> None:
    frame = tables[resource["name"]]
    shown = frame.attrs["path"]
    key_field = (resource["schema"].get("primaryKey") or [frame.columns[0]])[0]
    for fk in resource["schema"].get("foreignKeys", []):
        (field,), ref = fk["fields"], fk["reference"]
        target = tables.get(ref["resource"])
        if target is None:
            raise PackageError(data_dir / DESCRIPTOR, f"foreign key of {resource['name']}.{field} "
                                                      f"names an unknown resource {ref['resource']!r}")
        allowed = set(target[ref["fields"][0]].dropna())
        for i, value in enumerate(frame[field], start=1):
            if not pd.isna(value) and value not in allowed:
                raise PackageError(shown, f"{value!r} is not an id in {ref['resource']}", row=i,
                                   field=field, key=f"{key_field} {frame[key_field].iloc[i - 1]!r}")


def _check_figures(data_dir: Path, figures: pd.DataFrame) -> None:
    """What the schema cannot say about figures: units, exact base values, periods, offsets."""
    shown = figures.attrs["path"]
    for i, f in enumerate(figures.itertuples(index=False), start=1):
        key = f"id {f.id!r}"
        try:
            unit = units.parse_unit(f.unit_zh)
        except units.UnitError as e:
            raise PackageError(shown, str(e), i, "unit_zh", key) from None
        if unit.base_unit != f.base_unit:
            raise PackageError(shown, f"{f.unit_zh} converts to {unit.base_unit!r}, not {f.base_unit!r}",
                               i, "base_unit", key)
        exact = units.parse_decimal(f.value) * unit.factor
        if abs(Fraction(f.base_value) - exact) > Fraction(1, 10**6):
            raise PackageError(shown, f"{f.base_value!r} is not {f.value} {f.unit_zh} in {unit.base_unit} "
                                      f"(expected {units.round_base(exact)})", i, "base_value", key)
        try:
            periods.parse_period(None if pd.isna(f.period) else f.period)
        except periods.PeriodError as e:
            raise PackageError(shown, str(e), i, "period", key) from None
    _check_offsets(shown, figures, "value")


def _check_offsets(shown, frame: pd.DataFrame, printed: str) -> None:
    """``char_end - char_start`` must be the length of the printed text."""
    for i, r in enumerate(frame.itertuples(index=False), start=1):
        text = getattr(r, printed)
        if r.char_end - r.char_start != len(text):
            raise PackageError(shown, f"offsets {r.char_start}:{r.char_end} span {r.char_end - r.char_start} "
                                      f"characters but {text!r} has {len(text)}", i, "char_end", f"id {r.id!r}")


def _check_relations(data_dir: Path, relations: pd.DataFrame, figures: pd.DataFrame) -> None:
    """Each relation names a known kind with the inputs and parameter that kind takes."""
    from helpers.relations import KINDS

    shown = relations.attrs["path"]
    for i, r in enumerate(relations.itertuples(index=False), start=1):
        key = f"id {r.id!r}"
        spec = KINDS[r.kind]
        if spec.binary and pd.isna(r.y):
            raise PackageError(shown, f"kind {r.kind!r} takes two figures; y is empty", i, "y", key)
        if not spec.binary and not pd.isna(r.y):
            raise PackageError(shown, f"kind {r.kind!r} takes one figure; y must be empty", i, "y", key)
        wanted = spec.parameter
        got = None if pd.isna(r.parameter) else r.parameter
        if wanted != got:
            raise PackageError(shown, f"kind {r.kind!r} takes parameter {wanted or 'none'}, not {got or 'none'}",
                               i, "parameter", key)


def summary(pkg: Package) -> pd.DataFrame:
    """Per section: title, number of figures, of relations, and the measures present."""
    counts = pkg.figures.groupby("section").size()
    rels = pkg.relations.groupby("section").size()
    measures = pkg.figures.groupby("section")["measure"].agg(lambda s: ", ".join(sorted(set(s))))
    out = pkg.sections[["section", "title_zh", "title_en"]].copy()
    out["figures"] = out["section"].map(counts).fillna(0).astype(int)
    out["relations"] = out["section"].map(rels).fillna(0).astype(int)
    out["measures"] = out["section"].map(measures).fillna("")
    return out


def register(sub) -> None:
    """``python -m helpers validate``: check the package and print a per-section summary."""
    p = sub.add_parser("validate", help="validate the data package and summarise it by section",
                       description="Validate data/ against datapackage.json (and the unit, offset and "
                                   "relation rules) and print a per-section summary.")
    p.add_argument("--data-dir", default=str(REPO_DATA), help="folder holding datapackage.json (default: %(default)s)")
    p.set_defaults(func=_validate_cli)


def _validate_cli(args) -> int:
    import sys

    try:
        pkg = load(args.data_dir)
    except PackageError as e:
        print(f"invalid data package: {e}", file=sys.stderr)
        return 1
    table = summary(pkg)
    print(f"{_shown(Path(args.data_dir) / DESCRIPTOR)}: valid; {len(pkg.figures)} figures, "
          f"{len(pkg.non_figures)} non-figures, {len(pkg.relations)} relations")
    print(table.to_string(index=False))
    return 0
