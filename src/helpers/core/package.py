"""The data package: reading a package folder into pandas against its ``datapackage.json``, every error named.

``datapackage.json`` is the one schema.  :func:`inspect` reads every resource
against it and collects *every* problem it finds; :func:`load` raises them all
at once as :class:`PackageErrors` (a :class:`PackageError`).  Each message reads
``data/figures.csv, row 3 (id 'land_sold_area'), field 'unit_zh': unknown unit
'亩亩'``: rows count data rows from 1, the header not included.

Table Schema, as far as the loader implements it (anything else in a schema is
refused by name, never silently ignored):

- field types ``string`` (formats ``default``, ``email``, ``uri``, ``uuid``),
  ``integer`` (within a signed 64-bit integer), ``number`` (finite: ``nan``,
  ``inf`` and ``1e400`` are refused), ``boolean`` (``trueValues`` /
  ``falseValues``);
- constraints ``required``, ``unique``, ``enum``, ``minimum``, ``maximum``,
  ``exclusiveMinimum``, ``exclusiveMaximum``, ``minLength``, ``maxLength``,
  ``pattern`` (the whole cell must match);
- schema ``missingValues`` (default ``[""]``), ``primaryKey`` and
  ``foreignKeys`` (one or several fields; ``"resource": ""`` is the resource
  itself).

Beyond the schema: no control characters (NUL, U+0001–U+001F, U+007F–U+009F)
in any cell; resource paths stay inside the package folder; a unit that
:mod:`helpers.core.units` does not know, a ``base_value`` that is not the exact
conversion of ``value``, a period that is not an ISO 8601 interval, a qualifier
outside :data:`helpers.core.intervals.QUALIFIERS`, a relation kind outside
:data:`helpers.core.relations.KINDS` or missing an input its kind needs.

Sources (``sources`` in the descriptor): the first is the text the offsets point
into (``path``, ``sha256``).  Further sources are releases read elsewhere
(``id``, ``title``, ``publisher``, ``date``, ``read_in``, no ``path``).  A
figures table may have a ``source`` column (a source ``id``; empty = the first
source); a figure of a source without ``path`` has empty offsets, every other
figure has both.  What needs the source text itself (sha256, offsets slicing
the printed digits, coverage) is :mod:`helpers.core.audit`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd

from helpers.core import files, paths, periods, units
from helpers.core.columns import NEEDED

DESCRIPTOR = "datapackage.json"
REPO_DATA = paths.DATA
TABLES = ("sections", "figures", "non_figures", "relations")

_DTYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean", "string": "string"}
_INT64 = 2**63
_FIELD_KEYS = {
    "name",
    "type",
    "format",
    "title",
    "description",
    "example",
    "constraints",
    "trueValues",
    "falseValues",
    "rdfType",
}
_CONSTRAINTS = {
    "required",
    "unique",
    "enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
}
_STRING_FORMATS = {
    "default": None,
    "email": re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"),
    "uri": re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+"),
    "uuid": re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DESCRIPTOR_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PRINTED = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,30})?")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: The columns the helpers read from each table are helpers.core.columns.NEEDED (a schema may add others, never drop
#: these).  The schema type each of those columns must have.
_NEEDED_TYPES = {
    "section": "integer",
    "char_start": "integer",
    "char_end": "integer",
    "base_value": "number",
    "rounded": "boolean",
    "allow_mixed_periods": "boolean",
}
#: Fields a source without ``path`` must give (interface 4).
OTHER_SOURCE_FIELDS = ("id", "title", "publisher", "date", "read_in")


class PackageError(ValueError):
    """A data package file that does not conform; the message names file, row and field."""

    def __init__(
        self, file: str | Path, message: str, row: int | None = None, field: str | None = None, key: str | None = None
    ):
        self.file, self.row, self.field, self.key, self.reason = str(file), row, field, key, message
        where = self.file
        if row is not None:
            where += f", row {row}" + (f" ({key})" if key else "")
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


class PackageErrors(PackageError):
    """Every problem found in a package, one :class:`PackageError` per line; the first gives file, row, field."""

    def __init__(self, errors: list[PackageError]):
        if not errors:
            raise ValueError("PackageErrors needs at least one error")
        self.errors = list(errors)
        first = errors[0]
        self.file, self.row, self.field, self.key, self.reason = (
            first.file,
            first.row,
            first.field,
            first.key,
            first.reason,
        )
        ValueError.__init__(self, "\n".join(str(e) for e in errors))


class Errors(list):
    """A list of :class:`PackageError` that checks append to, so that one pass reports every problem."""

    def add(self, file, message: str, row: int | None = None, field: str | None = None, key: str | None = None) -> None:
        self.append(PackageError(file, message, row, field, key))


@dataclass(frozen=True)
class Package:
    """The validated tables of a data package, and its descriptor."""

    data_dir: Path
    descriptor: dict
    sections: pd.DataFrame
    figures: pd.DataFrame
    non_figures: pd.DataFrame
    relations: pd.DataFrame
    sources: list = field(default_factory=list)

    @property
    def source(self) -> dict:
        """The first source of the descriptor: the text the offsets point into (title, path, sha256 ...)."""
        return (self.sources or [{}])[0]

    def figure(self, figure_id: str) -> pd.Series:
        """One figure's row by id; KeyError names the id when it is not in the package."""
        rows = self.figures[self.figures["id"] == figure_id]
        if rows.empty:
            raise KeyError(f"no figure {figure_id!r} in {self.data_dir / 'figures.csv'}")
        return rows.iloc[0]


def load(data_dir: str | Path = REPO_DATA) -> Package:
    """Read and validate every resource of the package in ``data_dir``; :class:`PackageErrors` lists every problem."""
    pkg, errors = inspect(data_dir)
    if errors:
        raise PackageErrors(errors)
    return pkg


def inspect(data_dir: str | Path = REPO_DATA) -> tuple[Package | None, Errors]:
    """The package and every problem found in it; the package is None when a table could not be read at all.

    Cells that fail their checks are read as missing, so that the later checks
    still see the rest of the table.
    """
    data_dir = Path(data_dir)
    errors = Errors()
    descriptor = _read_descriptor(data_dir, errors)
    if descriptor is None:
        return None, errors
    shown = files.shown(data_dir / DESCRIPTOR)
    sources = _check_sources(shown, descriptor, errors)
    tables: dict[str, pd.DataFrame] = {}
    resources = {}
    for i, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict):
            errors.add(shown, "a resource must be an object", field=f"resources[{i}]")
            continue
        name = resource.get("name")
        if not isinstance(name, str) or not name:
            errors.add(shown, "resource without a name", field=f"resources[{i}].name")
            continue
        if name in resources:
            errors.add(shown, f"resource name {name!r} appears twice", field=f"resources[{i}].name")
            continue
        resources[name] = resource
        frame = _read_resource(data_dir, resource, i, errors)
        if frame is not None:
            tables[name] = frame
    for name, resource in resources.items():
        if name in tables:
            _check_keys(shown, resource, tables, errors, set(resources))
    missing = [t for t in TABLES if t not in resources]
    if missing:
        errors.add(shown, f"resources missing: {', '.join(missing)}", field="resources")
    if all(t in tables for t in TABLES):
        _check_figures(tables["figures"], sources, errors)
        _check_offsets(tables["non_figures"], "text", errors)
        _check_relations(tables["relations"], errors)
    if not all(t in tables for t in TABLES):
        return None, errors
    return Package(data_dir, descriptor, *(tables[t] for t in TABLES), sources=sources), errors


def read_descriptor(data_dir: Path) -> dict:
    """The parsed ``datapackage.json`` of ``data_dir``; :class:`PackageError` when it cannot be read."""
    errors = Errors()
    descriptor = _read_descriptor(Path(data_dir), errors)
    if errors:
        raise PackageErrors(errors)
    return descriptor


def _read_descriptor(data_dir: Path, errors: Errors) -> dict | None:
    path = Path(data_dir) / DESCRIPTOR
    shown = files.shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        errors.add(shown, "file not found (a data package needs its datapackage.json)")
        return None
    except UnicodeDecodeError as e:
        errors.add(shown, f"not UTF-8 ({e.reason} at byte {e.start})")
        return None
    except OSError as e:
        errors.add(shown, f"cannot read: {e.strerror or e}")
        return None
    try:
        descriptor = json.loads(text, parse_constant=lambda c: _reject_constant(c))
    except (json.JSONDecodeError, ValueError) as e:
        msg = f"{e.msg} at line {e.lineno}, column {e.colno}" if isinstance(e, json.JSONDecodeError) else str(e)
        errors.add(shown, f"not valid JSON: {msg}")
        return None
    if not isinstance(descriptor, dict):
        errors.add(shown, "the descriptor must be a JSON object")
        return None
    for where, bad in _control_characters(descriptor, ""):
        errors.add(shown, f"control character U+{ord(bad):04X} in a string (remove it)", field=where or None)
    if not isinstance(descriptor.get("resources"), list) or not descriptor["resources"]:
        errors.add(shown, "'resources' must be a non-empty list", field="resources")
        return None
    return descriptor


def _control_characters(value, where: str):
    """(JSON path, character) for every string of the descriptor holding a control character (tab, newline aside)."""
    if isinstance(value, str):
        m = _DESCRIPTOR_CONTROL.search(value)
        if m:
            yield where, m.group()
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _control_characters(k, where)
            yield from _control_characters(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _control_characters(v, f"{where}[{i}]")


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _check_sources(shown: str, descriptor: dict, errors: Errors) -> list[dict]:
    """``sources``: a non-empty list; the first has ``path``; the others have the fields of a release read elsewhere."""
    sources = descriptor.get("sources")
    if not isinstance(sources, list) or not sources or not all(isinstance(s, dict) for s in sources):
        errors.add(
            shown,
            "'sources' must be a non-empty list of objects (the first: the text the offsets point into)",
            field="sources",
        )
        return [s for s in sources if isinstance(s, dict)] if isinstance(sources, list) else []
    if not isinstance(sources[0].get("path"), str) or not sources[0]["path"]:
        errors.add(
            shown, "the first source must give the 'path' of the text the offsets point into", field="sources[0].path"
        )
    seen: dict[str, int] = {}
    for i, s in enumerate(sources):
        sid = s.get("id")
        if sid is None:
            if len(sources) > 1:
                errors.add(shown, "every source needs an 'id' when there are several", field=f"sources[{i}].id")
            continue
        if not isinstance(sid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", sid):
            errors.add(shown, f"{sid!r} is not a snake_case id", field=f"sources[{i}].id")
        elif sid in seen:
            errors.add(
                shown, f"source id {sid!r} appears twice (first in sources[{seen[sid]}])", field=f"sources[{i}].id"
            )
        else:
            seen[sid] = i
        if i > 0 and not s.get("path"):
            for name in OTHER_SOURCE_FIELDS:
                if not isinstance(s.get(name), str) or not s[name].strip():
                    errors.add(shown, "a source without a text needs this field", field=f"sources[{i}].{name}")
    return sources


def _read_resource(data_dir: Path, resource: dict, index: int, errors: Errors) -> pd.DataFrame | None:
    """One CSV resource as a DataFrame typed by its schema; every problem added to ``errors``."""
    descriptor = files.shown(Path(data_dir) / DESCRIPTOR)
    where = f"resources[{index}]"
    rel = resource.get("path")
    if not isinstance(rel, str) or not rel:
        what = "a list of files (only one CSV file per resource is read)" if isinstance(rel, list) else "missing"
        errors.add(
            descriptor,
            f"resource {resource['name']!r}: path {what}; give the CSV file's name in the package folder",
            field=f"{where}.path",
        )
        return None
    path = _inside(data_dir, rel)
    if path is None:
        errors.add(
            descriptor,
            f"resource path {rel!r} is outside the package folder (refused: a resource must be "
            f"a file inside {files.shown(data_dir)})",
            field=f"{where}.path",
        )
        return None
    schema = resource.get("schema")
    if not isinstance(schema, dict):
        what = "a path or URL (only an inline schema is read)" if isinstance(schema, str) else "missing"
        errors.add(
            descriptor,
            f"resource {resource['name']!r}: schema {what}; every resource needs an inline schema with its fields",
            field=f"{where}.schema",
        )
        return None
    fields = _schema_fields(descriptor, where, schema, errors, resource["name"])
    if fields is None:
        return None
    shown = files.shown(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        errors.add(shown, "file not found (listed in datapackage.json)")
        return None
    except OSError as e:
        errors.add(shown, f"cannot read: {e.strerror or e}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        errors.add(
            shown,
            f"not UTF-8: byte 0x{raw[e.start]:02x} at byte {e.start} (line {line}); save the file as UTF-8",
            row=line - 1 or None,
        )
        return None
    text = text.removeprefix("\ufeff")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        errors.add(shown, f"not readable as CSV: {e}")
        return None
    if not rows:
        errors.add(shown, "empty file: the header row is missing")
        return None
    header, body = rows[0], rows[1:]
    names = [f["name"] for f in fields]
    bad_header = False
    for name in names:
        if name not in header:
            errors.add(shown, "column missing from the header", field=name)
            bad_header = True
    for name in header:
        if name not in names:
            errors.add(shown, "column not described in datapackage.json", field=name)
            bad_header = True
    for name in sorted({h for h in header if header.count(h) > 1}):
        errors.add(shown, "column appears twice in the header", field=name)
        bad_header = True
    if bad_header:
        return None
    missing_values = schema.get("missingValues", [""])
    pk = _field_list(schema.get("primaryKey"))
    key_field = pk[0] if pk else names[0]
    columns: dict[str, list] = {n: [] for n in names}
    seen: dict[str, dict] = {f["name"]: {} for f in fields if f.get("constraints", {}).get("unique")}
    named: set[tuple[int, str]] = set()
    for i, cells in enumerate(body, start=1):
        if not any(c.strip() for c in cells):
            errors.add(shown, "blank line inside the table", row=i)
            cells = [""] * len(header)
        elif len(cells) != len(header):
            errors.add(shown, f"{len(cells)} cells where the header has {len(header)}", row=i)
            cells = (cells + [""] * len(header))[: len(header)]
        record = dict(zip(header, cells))
        key = f"{key_field} {record.get(key_field, '')!r}"
        for f in fields:
            value = _cast(shown, i, key, f, record[f["name"]], missing_values, errors)
            cell = record[f["name"]]
            if value is None and (cell not in missing_values or f.get("constraints", {}).get("required")):
                named.add((i, f["name"]))  # a problem already named: later checks leave this cell alone
            if f["name"] in seen and value is not None:
                first = seen[f["name"]].get(value)
                if first is not None:
                    errors.add(shown, f"duplicate value {value!r} (first in row {first})", i, f["name"], key)
                else:
                    seen[f["name"]][value] = i
            columns[f["name"]].append(value)
    frame = pd.DataFrame(
        {f["name"]: pd.Series(columns[f["name"]], dtype=_DTYPES[f["type"]], name=f["name"]) for f in fields}
    )
    frame.attrs["path"] = shown
    frame.attrs["key"] = key_field
    frame.attrs["named"] = named
    return frame


def _inside(data_dir: Path, rel: str) -> Path | None:
    """``data_dir / rel`` when it is a file path that stays inside ``data_dir`` (symlinks resolved), else None."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", rel) or Path(rel).is_absolute() or "\x00" in rel:
        return None
    root = Path(data_dir).resolve()
    path = (root / rel).resolve()
    return path if path.is_relative_to(root) and path != root else None


def _field_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _schema_fields(
    descriptor: str, where: str, schema: dict, errors: Errors, resource_name: str = ""
) -> list[dict] | None:
    """The schema's fields when every option they use is one this loader implements; else None (errors added)."""
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        errors.add(descriptor, "schema without fields", field=f"{where}.schema.fields")
        return None
    n = len(errors)
    for j, f in enumerate(fields):
        at = f"{where}.schema.fields[{j}]"
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            errors.add(descriptor, "a field needs a name", field=at)
            continue
        at = f"{where}.schema.fields[{j}] ({f['name']})"
        if f.get("type", "string") not in _DTYPES:
            errors.add(
                descriptor, f"type {f.get('type')!r} is not supported by this loader ({', '.join(_DTYPES)})", field=at
            )
        for k in sorted(set(f) - _FIELD_KEYS):
            errors.add(descriptor, f"field option {k!r} is not supported by this loader", field=at)
        fmt = f.get("format", "default")
        if f.get("type", "string") == "string" and fmt not in _STRING_FORMATS:
            errors.add(descriptor, f"string format {fmt!r} is not supported ({', '.join(_STRING_FORMATS)})", field=at)
        elif f.get("type", "string") != "string" and fmt != "default":
            errors.add(descriptor, f"format {fmt!r} is not supported for type {f.get('type')!r}", field=at)
        c = f.get("constraints", {})
        if not isinstance(c, dict):
            errors.add(descriptor, "constraints must be an object", field=at)
            continue
        for k in sorted(set(c) - _CONSTRAINTS):
            errors.add(descriptor, f"constraint {k!r} is not supported by this loader", field=at)
        if isinstance(c.get("pattern"), str):
            try:
                re.compile(c["pattern"])
            except re.error as e:
                errors.add(descriptor, f"pattern {c['pattern']!r} is not a regular expression: {e}", field=at)
        if "enum" in c and not isinstance(c["enum"], list):
            errors.add(descriptor, "enum must be a list", field=at)
        for k in ("required", "unique"):
            if k in c and not isinstance(c[k], bool):
                errors.add(descriptor, f"constraint {k!r} must be true or false, not {c[k]!r}", field=at)
        for k in ("minLength", "maxLength"):
            if k in c and (isinstance(c[k], bool) or not isinstance(c[k], int)):
                errors.add(descriptor, f"constraint {k!r} must be an integer, not {c[k]!r}", field=at)
        for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if k in c and (isinstance(c[k], bool) or not isinstance(c[k], (int, float))):
                errors.add(descriptor, f"constraint {k!r} must be a number, not {c[k]!r}", field=at)
        if "pattern" in c and not isinstance(c["pattern"], str):
            errors.add(descriptor, f"pattern must be a string, not {c['pattern']!r}", field=at)
        for k in ("trueValues", "falseValues"):
            if k in f and (not isinstance(f[k], list) or not all(isinstance(v, str) for v in f[k])):
                errors.add(descriptor, f"{k} must be a list of strings", field=at)
    missing_values = schema.get("missingValues", [""])
    if not isinstance(missing_values, list) or not all(isinstance(v, str) for v in missing_values):
        errors.add(descriptor, "missingValues must be a list of strings", field=f"{where}.schema.missingValues")
    if not isinstance(schema.get("foreignKeys", []), list):
        errors.add(descriptor, "foreignKeys must be a list", field=f"{where}.schema.foreignKeys")
        schema = {**schema, "foreignKeys": []}
    pk = schema.get("primaryKey")
    if pk is not None and not (isinstance(pk, str) or (isinstance(pk, list) and all(isinstance(x, str) for x in pk))):
        errors.add(descriptor, "primaryKey must be a field name or a list of them", field=f"{where}.schema.primaryKey")
        schema = {**schema, "primaryKey": None}
    names = [f.get("name") for f in fields if isinstance(f, dict)]
    for key in ("primaryKey",):
        for name in _field_list(schema.get(key)):
            if name not in names:
                errors.add(descriptor, f"primary key field {name!r} is not a field", field=f"{where}.schema.{key}")
    for k, fk in enumerate(schema.get("foreignKeys", []) or []):
        at = f"{where}.schema.foreignKeys[{k}]"
        ref = fk.get("reference") if isinstance(fk, dict) else None
        if (
            not isinstance(ref, dict)
            or len(_field_list(fk.get("fields"))) != len(_field_list(ref.get("fields")))
            or not _field_list(fk.get("fields"))
        ):
            errors.add(descriptor, "a foreign key needs fields and a reference with as many fields", field=at)
            continue
        for name in _field_list(fk.get("fields")):
            if name not in names:
                errors.add(descriptor, f"foreign key field {name!r} is not a field", field=at)
    for name in NEEDED.get(resource_name, ()):
        f = next((f for f in fields if isinstance(f, dict) and f.get("name") == name), None)
        if f is None:
            errors.add(
                descriptor,
                f"the schema of {resource_name!r} lacks the field {name!r} that helpers reads",
                field=f"{where}.schema.fields",
            )
        elif f.get("type", "string") != _NEEDED_TYPES.get(name, "string"):
            errors.add(
                descriptor,
                f"field {name!r} of {resource_name!r} must have type "
                f"{_NEEDED_TYPES.get(name, 'string')!r}, not {f.get('type', 'string')!r}",
                field=f"{where}.schema.fields",
            )
    if len(errors) > n:
        return None
    return [{**f, "type": f.get("type", "string")} for f in fields]


def _cast(file: str, row: int, key: str, field: dict, cell: str, missing_values: list, errors: Errors):
    """A cell as its schema type, its constraints checked; None for a missing or refused cell."""
    name, ftype = field["name"], field["type"]
    c = field.get("constraints", {})
    if cell in missing_values:
        if c.get("required"):
            errors.add(
                file,
                "value required but empty" if cell == "" else f"value required but {cell!r} marks it missing",
                row,
                name,
                key,
            )
        return None
    bad = _CONTROL.search(cell)
    if bad:
        errors.add(
            file, f"control character U+{ord(bad.group()):04X} at position {bad.start()} (remove it)", row, name, key
        )
        return None
    if ftype == "string":
        value = cell
        fmt = _STRING_FORMATS[field.get("format", "default")]
        if fmt is not None and not fmt.fullmatch(cell):
            errors.add(file, f"{cell!r} is not a valid {field['format']}", row, name, key)
            return None
    elif ftype == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", cell):
            errors.add(file, f"{cell!r} is not an integer", row, name, key)
            return None
        value = int(cell)
        if not -_INT64 <= value < _INT64:
            errors.add(file, f"{cell} is out of range (a 64-bit integer)", row, name, key)
            return None
    elif ftype == "number":
        if not _NUMBER.fullmatch(cell):
            errors.add(file, f"{cell!r} is not a finite number", row, name, key)
            return None
        value = float(cell)
        if not math.isfinite(value):
            errors.add(file, f"{cell} is out of range (beyond a double's ±1.8e308)", row, name, key)
            return None
    else:
        trues, falses = field.get("trueValues", ["true"]), field.get("falseValues", ["false"])
        if cell not in trues + falses:
            errors.add(file, f"{cell!r} is not a boolean ({'/'.join(trues + falses)})", row, name, key)
            return None
        value = cell in trues
    if "pattern" in c and not re.fullmatch(c["pattern"], cell):
        errors.add(file, f"{cell!r} does not match the pattern {c['pattern']}", row, name, key)
        return None
    if "enum" in c and value not in c["enum"] and cell not in [str(e) for e in c["enum"]]:
        errors.add(file, f"{cell!r} is not one of: {', '.join(map(str, c['enum']))}", row, name, key)
        return None
    if ftype == "string":
        if "minLength" in c and len(value) < c["minLength"]:
            errors.add(file, f"{cell!r} is shorter than the minimum length {c['minLength']}", row, name, key)
            return None
        if "maxLength" in c and len(value) > c["maxLength"]:
            errors.add(file, f"{len(value)} characters, more than the maximum length {c['maxLength']}", row, name, key)
            return None
    elif ftype in ("integer", "number"):
        for bound, fails, words in (
            ("minimum", lambda b: value < b, "below the minimum"),
            ("maximum", lambda b: value > b, "above the maximum"),
            ("exclusiveMinimum", lambda b: value <= b, "not above the exclusive minimum"),
            ("exclusiveMaximum", lambda b: value >= b, "not below the exclusive maximum"),
        ):
            if bound in c and fails(c[bound]):
                errors.add(file, f"{cell} is {words} {c[bound]}", row, name, key)
                return None
    return value


def _check_keys(
    descriptor: str, resource: dict, tables: dict[str, pd.DataFrame], errors: Errors, resource_names: set[str]
) -> None:
    """Primary key (every key field present, the combination unique) and foreign keys (the values exist)."""
    frame = tables[resource["name"]]
    shown, key_field = frame.attrs["path"], frame.attrs["key"]
    schema = resource["schema"]
    fields = {f["name"]: f for f in schema["fields"]}

    keys = frame[key_field].tolist()

    def key(i: int) -> str:
        return f"{key_field} {keys[i - 1]!r}"

    pk = _field_list(schema.get("primaryKey"))
    if pk:
        seen: dict[tuple, int] = {}
        single_unique = len(pk) == 1 and fields[pk[0]].get("constraints", {}).get("unique")
        for i, values in enumerate(zip(*(frame[n].tolist() for n in pk)), start=1):
            if any(pd.isna(v) for v in values):
                for n, v in zip(pk, values):
                    if pd.isna(v) and not fields[n].get("constraints", {}).get("required"):
                        errors.add(shown, "primary key field is empty", i, n, key(i))
                continue
            if values in seen and not single_unique:
                errors.add(shown, f"duplicate primary key {values!r} (first in row {seen[values]})", i, pk[0], key(i))
            seen.setdefault(values, i)
    for fk in schema.get("foreignKeys", []) or []:
        own, ref = _field_list(fk["fields"]), fk["reference"]
        target_name = ref.get("resource") or resource["name"]
        target = tables.get(target_name)
        if target is None:  # a resource that could not be read has had its problems named already
            if target_name not in resource_names:
                errors.add(
                    descriptor,
                    f"foreign key of {resource['name']}.{', '.join(own)} names an unknown resource {target_name!r}",
                    field=f"{resource['name']}.foreignKeys",
                )
            continue
        ref_fields = _field_list(ref["fields"])
        if any(n not in target.columns for n in ref_fields):
            errors.add(
                descriptor,
                f"foreign key of {resource['name']} names fields {ref_fields} that {target_name} does not have",
                field=f"{resource['name']}.foreignKeys",
            )
            continue
        allowed = {tuple(v) for v in zip(*(target[n].tolist() for n in ref_fields)) if not any(pd.isna(x) for x in v)}
        for i, values in enumerate(zip(*(frame[n].tolist() for n in own)), start=1):
            if not any(pd.isna(v) for v in values) and tuple(values) not in allowed:
                shown_value = values[0] if len(values) == 1 else values
                errors.add(
                    shown,
                    f"{shown_value!r} is not {'an id' if len(values) == 1 else 'a key'} in {target_name}",
                    i,
                    own[0],
                    key(i),
                )


def _check_figures(figures: pd.DataFrame, sources: list[dict], errors: Errors) -> None:
    """What the schema cannot say about figures: units, exact base values, periods, qualifiers, sources, offsets."""
    from helpers.core.intervals import QUALIFIERS

    shown = figures.attrs["path"]
    by_id = {s.get("id"): s for s in sources if s.get("id") is not None}
    has_source = "source" in figures.columns
    for i, f in enumerate(figures.to_dict("records"), start=1):
        key = f"id {f['id']!r}"
        unit = None
        if not _na(f["unit_zh"]):
            try:
                unit = units.parse_unit(f["unit_zh"])
            except units.UnitError as e:
                errors.add(shown, str(e), i, "unit_zh", key)
        if unit is not None and not _na(f["base_unit"]) and unit.base_unit != f["base_unit"]:
            errors.add(
                shown, f"{f['unit_zh']} converts to {unit.base_unit!r}, not {f['base_unit']!r}", i, "base_unit", key
            )
        if not _na(f["value"]) and not _PRINTED.fullmatch(f["value"]):
            errors.add(
                shown,
                f"{f['value']!r} is not a number as printed (an optional minus, ASCII digits, a decimal part)",
                i,
                "value",
                key,
            )
        elif unit is not None and not _na(f["value"]) and not _na(f["base_value"]):
            try:
                exact = units.parse_decimal(f["value"]) * unit.factor
            except (units.UnitError, ValueError, ArithmeticError) as e:
                errors.add(shown, str(e), i, "value", key)
            else:
                if abs(Fraction(f["base_value"]) - exact) > Fraction(1, 10**6):
                    errors.add(
                        shown,
                        f"{f['base_value']!r} is not {f['value']} {f['unit_zh']} in "
                        f"{unit.base_unit} (expected {units.round_base(exact)})",
                        i,
                        "base_value",
                        key,
                    )
        if not _na(f["qualifier"]) and f["qualifier"] not in QUALIFIERS:
            errors.add(
                shown,
                f"{f['qualifier']!r} is not a qualifier helpers.core.intervals knows ({', '.join(QUALIFIERS)})",
                i,
                "qualifier",
                key,
            )
        if not _na(f["period"]):
            try:
                periods.parse_period(f["period"])
            except (periods.PeriodError, ValueError, OverflowError) as e:
                errors.add(shown, str(e), i, "period", key)
        source = sources[0] if sources else {}
        if has_source and not _na(f["source"]):
            if f["source"] not in by_id:
                errors.add(
                    shown,
                    f"{f['source']!r} is not the id of a source in datapackage.json "
                    f"({', '.join(map(str, by_id)) or 'no source has an id'})",
                    i,
                    "source",
                    key,
                )
                continue
            source = by_id[f["source"]]
        starts, ends = _na(f["char_start"]), _na(f["char_end"])
        if source.get("path"):
            for name, empty in (("char_start", starts), ("char_end", ends)):
                if empty and (i, name) not in figures.attrs["named"]:
                    errors.add(shown, "offsets required: the figure's source has a text", i, name, key)
        else:
            for name, empty in (("char_start", starts), ("char_end", ends)):
                if not empty:
                    errors.add(
                        shown, f"source {source.get('id')!r} has no text (no path): offsets must be empty", i, name, key
                    )
    _check_offsets(figures, "value", errors)


def _check_offsets(frame: pd.DataFrame, printed: str, errors: Errors) -> None:
    """``char_end - char_start`` must be the length of the printed text."""
    shown = frame.attrs["path"]
    for i, r in enumerate(frame.to_dict("records"), start=1):
        text, start, end = r[printed], r["char_start"], r["char_end"]
        if _na(text) or _na(start) or _na(end):
            continue
        if end - start != len(text):
            errors.add(
                shown,
                f"offsets {start}:{end} span {end - start} characters but {text!r} has {len(text)}",
                i,
                "char_end",
                f"id {r['id']!r}",
            )


def _check_relations(relations: pd.DataFrame, errors: Errors) -> None:
    """Each relation names a kind :data:`helpers.core.relations.KINDS` knows, with the inputs and parameter it takes."""
    from helpers.core.relations import KINDS

    shown = relations.attrs["path"]
    for i, r in enumerate(relations.to_dict("records"), start=1):
        key = f"id {r['id']!r}"
        if _na(r["kind"]):
            continue
        spec = KINDS.get(r["kind"])
        if spec is None:
            errors.add(
                shown,
                f"{r['kind']!r} is not a relation kind helpers.core.relations knows ({', '.join(KINDS)})",
                i,
                "kind",
                key,
            )
            continue
        if spec.binary and _na(r["y"]):
            errors.add(shown, f"kind {r['kind']!r} takes two figures; y is empty", i, "y", key)
        if not spec.binary and not _na(r["y"]):
            errors.add(shown, f"kind {r['kind']!r} takes one figure; y must be empty", i, "y", key)
        wanted = spec.parameter
        got = None if _na(r["parameter"]) else r["parameter"]
        if wanted != got:
            errors.add(
                shown,
                f"kind {r['kind']!r} takes parameter {wanted or 'none'}, not {got or 'none'}",
                i,
                "parameter",
                key,
            )


def _na(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def summary(pkg: Package) -> pd.DataFrame:
    """Per section: title, number of figures, of relations, and the measures present."""
    counts = pkg.figures.groupby("section").size()
    rels = pkg.relations.groupby("section").size()
    measures = pkg.figures.groupby("section")["measure"].agg(lambda s: ", ".join(sorted(set(s.dropna()))))
    out = pkg.sections[["section", "title_zh", "title_en"]].copy()
    out["figures"] = out["section"].map(counts).fillna(0).astype(int)
    out["relations"] = out["section"].map(rels).fillna(0).astype(int)
    out["measures"] = out["section"].map(measures).fillna("")
    return out
