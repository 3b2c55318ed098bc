"""The data package: reading a package folder into pandas against its ``datapackage.json``, every error named.

``datapackage.json`` is the one schema.  :func:`inspect` reads every resource
against it and collects *every* problem it finds; :func:`load` raises them all
at once as :class:`PackageErrors` (a :class:`PackageError`).  Each message reads
``data/figures.csv, row 3 (id 'land_sold_area'), field 'unit_zh': unknown unit
'亩亩'``: rows count data rows from 1, the header not included.

The general Table Schema reading (types, constraints, missing values, primary
and foreign keys, one CSV file per resource) is :mod:`helpers.core.tableschema`;
this module holds this project's rules and the :class:`Package` record.

Beyond the schema (control characters and resource paths aside, which the
reader refuses): the fields helpers reads, with their types; a unit that
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

import json
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd

from helpers.core import files, paths, periods, tableschema, units
from helpers.core.columns import CHANGE_MEASURES, DIRECTIONS, NEEDED
from helpers.core.tableschema import Errors, PackageError, PackageErrors

__all__ = [
    "DESCRIPTOR",
    "OTHER_SOURCE_FIELDS",
    "REPO_DATA",
    "TABLES",
    "Errors",
    "Package",
    "PackageError",
    "PackageErrors",
    "inspect",
    "load",
    "read_descriptor",
    "summary",
]

DESCRIPTOR = "datapackage.json"
REPO_DATA = paths.DATA
TABLES = ("sections", "figures", "non_figures", "relations")

_DESCRIPTOR_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PRINTED = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,30})?")
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
    if errors or pkg is None:  # every table unread has its errors
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
    _check_paths(shown, descriptor, data_dir, errors)
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
        frame = tableschema.read_resource(data_dir, resource, i, errors, shown, _check_needed_fields)
        if frame is not None:
            tables[name] = frame
    for name, resource in resources.items():
        if name in tables:
            tableschema.check_keys(shown, resource, tables, errors, set(resources))
    missing = [t for t in TABLES if t not in resources]
    if missing:
        errors.add(shown, f"resources missing: {', '.join(missing)}", field="resources")
    if all(t in tables for t in TABLES):
        _check_figures(tables["figures"], sources, errors)
        _check_offsets(tables["non_figures"], "text", errors)
        _check_relations(tables["relations"], errors, tables["figures"])
    if not all(t in tables for t in TABLES):
        return None, errors
    pkg = Package(
        data_dir,
        descriptor,
        tables["sections"],
        tables["figures"],
        tables["non_figures"],
        tables["relations"],
        sources=sources,
    )
    return pkg, errors


def read_descriptor(data_dir: Path) -> dict:
    """The parsed ``datapackage.json`` of ``data_dir``; :class:`PackageError` when it cannot be read."""
    errors = Errors()
    descriptor = _read_descriptor(Path(data_dir), errors)
    if errors or descriptor is None:  # None comes with its errors
        raise PackageErrors(errors)
    return descriptor


def _read_descriptor(data_dir: Path, errors: Errors) -> dict | None:
    path = Path(data_dir) / DESCRIPTOR
    shown = files.shown(path)
    try:
        text = files.read_regular(path).decode("utf-8")
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
    except RecursionError:
        errors.add(shown, "not readable: JSON nested too deeply (arrays or objects inside each other)")
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


def contained(base: Path, rel: object, roots: tuple[Path, ...]) -> Path | None:
    """``base / rel`` resolved (symlinks followed) when ``rel`` is a relative path that lands inside one of
    ``roots``, else None (an absolute path, a URL, a NUL, or a path that climbs out)."""
    if not isinstance(rel, str) or not rel or "\x00" in rel or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", rel):
        return None
    if Path(rel).is_absolute():
        return None
    path = (Path(base) / rel).resolve()
    return path if any(path.is_relative_to(Path(r).resolve()) for r in roots) else None


def _check_paths(shown: str, descriptor: dict, data_dir: Path, errors: Errors) -> None:
    """The paths the descriptor names for the run stay where they may: ``x_notebooks`` are file names of the
    project's ``notebooks/``; ``x_city_package`` is a folder inside the package.  (A source's ``path`` is checked
    where the text is read, :mod:`helpers.core.audit`, because ``--source`` may replace it.)"""
    listed = descriptor.get("x_notebooks")
    if listed is not None:
        if not isinstance(listed, list) or not listed:
            errors.add(shown, "x_notebooks must be a non-empty list of notebook file names", field="x_notebooks")
        else:
            for i, name in enumerate(listed):
                plain = isinstance(name, str) and name.endswith(".ipynb") and Path(name).name == name
                if not plain or contained(paths.NOTEBOOKS, name, (paths.NOTEBOOKS,)) is None:
                    errors.add(
                        shown,
                        f"{name!r} is not the file name of a notebook in the project's notebooks/ "
                        "(no folder, no '..', no absolute path)",
                        field=f"x_notebooks[{i}]",
                    )
    city = descriptor.get("x_city_package")
    if city is not None and (
        contained(data_dir, city, (data_dir,)) is None or Path(data_dir, city).resolve() == Path(data_dir).resolve()
    ):
        errors.add(
            shown, f"{city!r} is not a folder inside the package (no '..', no absolute path)", field="x_city_package"
        )


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


def _check_needed_fields(descriptor: str, where: str, resource_name: str, fields: list, errors: Errors) -> None:
    """The fields helpers reads from a table (:data:`helpers.core.columns.NEEDED`) are in its schema, typed."""
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


def _check_direction(f: dict, shown: str, i: int, key: str, errors: Errors) -> None:
    """A change measure has a direction (up or down); a value printed with its minus is a change down."""
    direction = "" if _na(f.get("direction")) else f["direction"]
    if direction and direction not in DIRECTIONS:
        errors.add(shown, f"{direction!r} is not a direction ({', '.join(DIRECTIONS)})", i, "direction", key)
    elif not direction and f.get("measure") in CHANGE_MEASURES:
        errors.add(
            shown,
            f"a change ({f['measure']}) whose direction is unknown: write up or down, as the text says",
            i,
            "direction",
            key,
        )
    elif direction == "up" and not _na(f["value"]) and str(f["value"]).startswith("-"):
        errors.add(shown, f"{f['value']!r} is printed with a minus but its direction is 'up'", i, "direction", key)


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
        _check_direction(f, shown, i, key, errors)
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


def _check_relations(relations: pd.DataFrame, errors: Errors, figures: pd.DataFrame | None = None) -> None:
    """Each relation names a kind :data:`helpers.core.relations.KINDS` knows, with the inputs and parameter it takes,
    in the dimensions it can combine (:func:`helpers.core.relations.dimension_problem`)."""
    from helpers.core.relations import KINDS, dimension_problem

    units = {}
    if figures is not None:
        units = {
            r["id"]: (r["base_unit"], r["unit_zh"])
            for r in figures.to_dict("records")
            if not (_na(r["base_unit"]) or _na(r["unit_zh"]))
        }

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
        x, y = units.get(r["x"]), None if _na(r["y"]) else units.get(r["y"])
        why = dimension_problem(r["kind"], x, y) if x and (y or not spec.binary) else None
        if why:
            errors.add(shown, f"relation {r['id']!r}: {why}", i, "kind", key)


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
