"""How many hand edits take a draft (``helpers new``) to its curated package, per figure.

    .venv/bin/python bench/edits.py DRAFT_DIR CURATED_DIR [--csv PER_FIGURE.csv]

Figures are matched by where they are printed (``char_start``, ``char_end``).  An edit is one cell changed:

- a matched figure: each curated field whose value differs from the draft's (numbers compared as numbers, periods
  as the days they span: ``2022`` is ``2022-01/2022-12``) (the ``guess`` column, which the
  curator deletes once, is not counted; a renamed id is one edit of its figure, and the relations and non-figures
  naming it follow the rename without further edits);
- a curated figure the draft lacks: one edit per non-empty field (it is typed in whole);
- a drafted figure the curated package drops: one edit (the row deleted);
- relations: a curated relation the draft lacks, one edit per non-empty field; a drafted one dropped, one edit;
  a relation kept (same kind, x and y after the id mapping) counts its changed fields;
- sections and non-figures: likewise, matched by ``char_start``;
- ``datapackage.json``: one edit per top-level or source field that differs (title, description, sources' fields).

It prints the totals per table and the edits per figure (the total divided by the curated figures), and with
``--csv`` writes one row per figure (``char_start, id, edits, fields``).  It reads CSV text only: no package
validation, so a draft with problems is counted too.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

SKIP = {"guess"}


def _rows(folder: Path, name: str) -> list[dict]:
    path = folder / name
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _same(a: str, b: str, field: str = "") -> bool:
    """Equal as text, as numbers, or (for a period) as the same span of days: 2022 is 2022-01/2022-12."""
    if a == b:
        return True
    if field == "period":
        from helpers.core import periods

        try:
            pa, pb = periods.parse_period(a or None), periods.parse_period(b or None)
        except periods.PeriodError:
            return False
        return pa is not None and pb is not None and (pa.start, pa.end) == (pb.start, pb.end)
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _diff(draft: dict, curated: dict, ids: dict[str, str], id_fields=("id", "x", "y", "figure_id")) -> list[str]:
    out = []
    for field, value in curated.items():
        if field in SKIP:
            continue
        drafted = draft.get(field, "")
        if field in id_fields:
            drafted = ids.get(drafted, drafted)
        if not _same(drafted or "", value or "", field):
            out.append(field)
    return out


def _filled(row: dict) -> int:
    return sum(1 for k, v in row.items() if k not in SKIP and v not in ("", None))


def count(draft_dir: str | Path, curated_dir: str | Path) -> dict:
    """Edits between a draft and its curated package: totals per table and per figure (see the module docstring)."""
    draft_dir, curated_dir = Path(draft_dir), Path(curated_dir)
    drafted = {(r["char_start"], r["char_end"]): r for r in _rows(draft_dir, "figures.csv")}
    curated = _rows(curated_dir, "figures.csv")
    ids = {}
    for r in curated:
        d = drafted.get((r.get("char_start", ""), r.get("char_end", "")))
        if d is not None:
            ids[d["id"]] = r["id"]
    per_figure, seen = [], set()
    for r in curated:
        key = (r.get("char_start", ""), r.get("char_end", ""))
        d = drafted.get(key)
        if d is None:
            per_figure.append({"char_start": key[0], "id": r["id"], "edits": _filled(r), "fields": "(typed in)"})
            continue
        seen.add(key)
        fields = _diff(d, r, ids, ("figure_id",))  # a renamed id is an edit of its figure's row
        per_figure.append({"char_start": key[0], "id": r["id"], "edits": len(fields), "fields": " ".join(fields)})
    dropped = [d for k, d in drafted.items() if k not in seen]
    per_figure += [{"char_start": d["char_start"], "id": d["id"], "edits": 1, "fields": "(deleted)"} for d in dropped]
    totals = {"figures": sum(p["edits"] for p in per_figure)}
    totals["relations"] = _relations(draft_dir, curated_dir, ids)
    for name, key in (("sections", "char_start"), ("non_figures", "char_start")):
        totals[name] = _by_key(draft_dir, curated_dir, name, key, ids)
    totals["datapackage"] = _descriptor(draft_dir, curated_dir)
    n = len(curated)
    return {
        "totals": totals,
        "edits": sum(totals.values()),
        "figures": n,
        "per_figure": sum(totals.values()) / n if n else 0.0,
        "rows": per_figure,
    }


def _relations(draft_dir: Path, curated_dir: Path, ids: dict[str, str]) -> int:
    drafted = {}
    for r in _rows(draft_dir, "relations.csv"):
        drafted[(r["kind"], ids.get(r["x"], r["x"]), ids.get(r.get("y", ""), r.get("y", "")))] = r
    edits, kept = 0, set()
    for r in _rows(curated_dir, "relations.csv"):
        key = (r["kind"], r["x"], r.get("y", ""))
        if key in drafted:
            kept.add(key)
            edits += len(_diff(drafted[key], r, ids, ("x", "y")))
        else:
            edits += _filled(r)
    return edits + sum(1 for k in drafted if k not in kept)


def _by_key(draft_dir: Path, curated_dir: Path, name: str, key: str, ids: dict[str, str]) -> int:
    drafted = {r[key]: r for r in _rows(draft_dir, f"{name}.csv")}
    edits, kept = 0, set()
    for r in _rows(curated_dir, f"{name}.csv"):
        if r[key] in drafted:
            kept.add(r[key])
            edits += len(_diff(drafted[r[key]], r, ids, ("figure_id",)))
        else:
            edits += _filled(r)
    return edits + sum(1 for k in drafted if k not in kept)


def _descriptor(draft_dir: Path, curated_dir: Path) -> int:
    def read(folder: Path) -> dict:
        path = folder / "datapackage.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    d, c = read(draft_dir), read(curated_dir)
    edits = sum(1 for k in ("title", "description") if d.get(k) != c.get(k))
    ds, cs = (d.get("sources") or [{}])[0], (c.get("sources") or [{}])[0]
    edits += sum(1 for k in ("title", "publisher", "date") if ds.get(k) != cs.get(k))
    return edits + max(0, len(c.get("sources") or []) - 1)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("draft", help="the folder helpers new wrote")
    p.add_argument("curated", help="the curated package's folder")
    p.add_argument("--csv", help="write one row per figure (char_start, id, edits, fields) to this file")
    args = p.parse_args(argv)
    for folder in (args.draft, args.curated):
        if not (Path(folder) / "figures.csv").is_file():
            print(f"edits: {folder}: no figures.csv", file=sys.stderr)
            return 2
    result = count(args.draft, args.curated)
    print(f"edits: {result['edits']} for {result['figures']} curated figures: {result['per_figure']:.2f} per figure")
    for name, n in result["totals"].items():
        print(f"  {name}: {n}")
    if args.csv:
        with open(args.csv, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, ["char_start", "id", "edits", "fields"], lineterminator="\n")
            w.writeheader()
            w.writerows(result["rows"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
