"""A Table Schema reader: one CSV resource of a Frictionless data package read into pandas against its inline schema.

It knows the Table Schema specification, as far as implemented, and nothing of this project (figures,
relations, units: :mod:`helpers.core.package` adds those rules through ``check_fields`` and its own checks).
Every problem is collected as a :class:`PackageError` in an :class:`Errors` list, so one pass names them all;
a cell that fails is read as missing.  Anything else in a schema is refused by name, never silently ignored:

- field types ``string`` (formats ``default``, ``email``, ``uri``, ``uuid``), ``integer`` (within a signed
  64-bit integer), ``number`` (finite: ``nan``, ``inf`` and ``1e400`` are refused), ``boolean``
  (``trueValues`` / ``falseValues``);
- constraints ``required``, ``unique``, ``enum``, ``minimum``, ``maximum``, ``exclusiveMinimum``,
  ``exclusiveMaximum``, ``minLength``, ``maxLength``, ``pattern`` (the whole cell must match; a pattern that
  could backtrack for ever is refused and a match is time-bound, :mod:`helpers.core.patterns`);
- schema ``missingValues`` (default ``[""]``), ``primaryKey`` and ``foreignKeys`` (one or several fields;
  ``"resource": ""`` is the resource itself) (:func:`check_keys`, once every table is read);
- beyond the specification: strict UTF-8, no control characters in a cell, a resource path inside the package.

Why not ``frictionless``
========================

Measured on this project's ``data/`` (4 tables, 149 rows), each in a fresh process, median of 5, on a shared 2-CPU
host (frictionless 5.21): ``package.load("data")`` 0.57 s wall / 0.70 s CPU, nearly all of it importing pandas (the
reading itself: 0.02 s warm); ``frictionless.validate("data/datapackage.json")`` 3.2 s (0.15 s warm; the issue saw
0.87 s), and a notebook would still need the pandas frames after it.  On broken copies of the test fixture
frictionless names the same wrong type, enum, duplicate key, dangling foreign key, missing column, non-UTF-8 file
and unsafe path, but passes ``nan`` and ``inf`` numbers, a 20-digit integer and a control character in a cell, and
(rightly) none of this project's rules (units, exact base values, offsets, periods, relation kinds).  Decision: the
reader stays hand-written, here, apart from the project's rules: it is 5x faster cold and 7x warm, checks more, and
its messages name file, row, key and field the way ``helpers validate`` and the tests read them; frictionless stays
a cross-check (``tests/test_package.py`` validates the descriptor with it).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from helpers.core import files, patterns

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
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


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


#: A caller's rules about a resource's fields: (descriptor as shown, JSON path of the resource, resource name,
#: the schema's fields, errors).
FieldCheck = Callable[[str, str, str, list, "Errors"], None]


def read_resource(
    data_dir: Path,
    resource: dict,
    index: int,
    errors: Errors,
    descriptor: str,
    check_fields: FieldCheck | None = None,
) -> pd.DataFrame | None:
    """``resources[index]`` of a descriptor (shown as ``descriptor``), its one CSV file read into a DataFrame typed
    by its inline schema; every problem added to ``errors``, a cell that fails read as missing.

    ``check_fields(descriptor, where, resource_name, fields, errors)`` adds a caller's own rules about the
    schema's fields (run after the general ones; any error it adds stops the reading too).  The frame's
    ``attrs``: ``path`` (the file as messages show it), ``key`` (the field naming a row in messages) and
    ``named`` (the (row, field) cells whose problem is already named).
    """
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
    fields = _schema_fields(descriptor, where, schema, errors, resource["name"], check_fields)
    if fields is None:
        return None
    shown = files.shown(path)
    try:
        raw = files.read_regular(path)
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
    pk = field_list(schema.get("primaryKey"))
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


def field_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _schema_fields(
    descriptor: str,
    where: str,
    schema: dict,
    errors: Errors,
    resource_name: str = "",
    check_fields: FieldCheck | None = None,
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
        if isinstance(c.get("pattern"), str) and (why := patterns.problem(c["pattern"])):
            errors.add(descriptor, f"pattern {c['pattern']!r} {why}", field=at)
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
        for name in field_list(schema.get(key)):
            if name not in names:
                errors.add(descriptor, f"primary key field {name!r} is not a field", field=f"{where}.schema.{key}")
    for k, fk in enumerate(schema.get("foreignKeys", []) or []):
        at = f"{where}.schema.foreignKeys[{k}]"
        ref = fk.get("reference") if isinstance(fk, dict) else None
        if (
            not isinstance(ref, dict)
            or len(field_list(fk.get("fields"))) != len(field_list(ref.get("fields")))
            or not field_list(fk.get("fields"))
        ):
            errors.add(descriptor, "a foreign key needs fields and a reference with as many fields", field=at)
            continue
        for name in field_list(fk.get("fields")):
            if name not in names:
                errors.add(descriptor, f"foreign key field {name!r} is not a field", field=at)
    if check_fields is not None:
        check_fields(descriptor, where, resource_name, fields, errors)
    if len(errors) > n:
        return None
    return [{**f, "type": f.get("type", "string")} for f in fields]


#: A cell read as its schema type (None: missing or refused).
Cell = str | int | float | bool | None


def _cast(file: str, row: int, key: str, field: dict, cell: str, missing_values: list, errors: Errors) -> Cell:
    """A cell as its schema type, its constraints checked; None for a missing or refused cell."""
    name, ftype = field["name"], field["type"]
    value: str | int | float | bool
    c = field.get("constraints", {})
    if cell in missing_values or (c.get("required") and not cell.strip()):
        if c.get("required"):
            blank = "empty" if cell == "" else f"{cell!r} marks it missing" if cell in missing_values else "blank"
            errors.add(
                file,
                f"value required but {blank}",
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
    try:
        unmatched = "pattern" in c and not patterns.fullmatch(c["pattern"], cell)
    except patterns.PatternTimeout:
        errors.add(file, f"matching the pattern {c['pattern']} took over {patterns.TIME_LIMIT} s", row, name, key)
        return None
    if unmatched:
        errors.add(file, f"{cell!r} does not match the pattern {c['pattern']}", row, name, key)
        return None
    if "enum" in c and value not in c["enum"] and cell not in [str(e) for e in c["enum"]]:
        errors.add(file, f"{cell!r} is not one of: {', '.join(map(str, c['enum']))}", row, name, key)
        return None
    if ftype == "string":
        if "minLength" in c and len(cell) < c["minLength"]:
            errors.add(file, f"{cell!r} is shorter than the minimum length {c['minLength']}", row, name, key)
            return None
        if "maxLength" in c and len(cell) > c["maxLength"]:
            errors.add(file, f"{len(cell)} characters, more than the maximum length {c['maxLength']}", row, name, key)
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


def check_keys(
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

    pk = field_list(schema.get("primaryKey"))
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
        own, ref = field_list(fk["fields"]), fk["reference"]
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
        ref_fields = field_list(ref["fields"])
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
