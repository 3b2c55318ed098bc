"""The whole audit of a data package against its source text: ``python -m helpers validate --data-dir DIR``.

:func:`audit` runs every check at once and returns every problem, each naming
file, row and field (or, for the source text, its line and offset):

- the loader's checks (:func:`helpers.core.package.inspect`: schema, keys,
  vocabulary, units, base values, periods, sources);
- the first source: found (``--source`` or its ``path`` relative to the
  package), its sha256 and, when given, its ``code_points``;
- every figure's and non-figure's offsets lie inside the source and slice out
  exactly the printed digits, as a whole digit run (``source[char_start:char_end]
  == value``);
- every digit run of the source (:data:`NUMERIC_TOKEN`) is a figure or a
  non-figure, and no two rows claim the same run;
- sections lie inside the source, in order and without overlap, each title
  printed at its ``char_start``, every figure inside its section;
- what a draft leaves to curate (:mod:`helpers.core.curation`): placeholders (``TO FILL IN``,
  ``TO TRANSLATE``) and the problems of ``problems.csv`` whose cell still holds what was drafted.

Figures of a source without a text (no ``path``) have no offsets and are exempt
from the offset and coverage checks.  The command exits 0 with a per-section
summary when the package is valid, 2 with every problem listed otherwise.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core import curation, files, package, paths
from helpers.core.package import DESCRIPTOR, Errors, Package, PackageError

#: A digit run as the coverage check reads it: ASCII or full-width digits, with a decimal part.
NUMERIC_TOKEN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")

#: Exit code of ``helpers validate`` (and ``helpers new``) for a package or input that does not conform.
EXIT_INVALID = 2


@dataclass
class Audit:
    """What :func:`audit` found: the package (None when a table could not be read) and every problem."""

    data_dir: Path
    package: Package | None
    errors: list[PackageError] = field(default_factory=list)
    source_path: Path | None = None

    @property
    def valid(self) -> bool:
        return not self.errors


def audit(data_dir: str | Path, source: str | Path | None = None) -> Audit:
    """Every check of the package in ``data_dir`` against its source text (``source`` overrides its path), then
    what a draft leaves to curate (:func:`helpers.core.curation.check`: placeholders, open problems)."""
    result = _audit(Path(data_dir), source)
    if result.package is not None:
        result.errors.extend(curation.check(result.package, result.errors))
    return result


def _audit(data_dir: Path, source: str | Path | None) -> Audit:
    pkg, errors = package.inspect(data_dir)
    result = Audit(data_dir, pkg, errors)
    descriptor_path = data_dir / DESCRIPTOR
    if not (descriptor_path.is_file()) or (pkg is None and not _descriptor_sources(data_dir)):
        return result
    sources = pkg.sources if pkg is not None else _descriptor_sources(data_dir)
    text = _read_source(data_dir, sources, source, result, errors)
    if text is None or pkg is None or result.source_path is None:  # a text read has its path recorded
        return result
    src = files.shown(result.source_path)
    tokens = list(NUMERIC_TOKEN.finditer(text))
    token_starts = [m.start() for m in tokens]
    first_id = sources[0].get("id") if sources else None
    spans: dict[tuple[int, int], str] = {}
    for name, printed in (("figures", "value"), ("non_figures", "text")):
        frame = getattr(pkg, name)
        shown = frame.attrs["path"]
        for i, r in enumerate(frame.to_dict("records"), start=1):
            if (
                name == "figures"
                and "source" in frame.columns
                and not package._na(r["source"])
                and r["source"] != first_id
            ):
                continue  # offsets into another source's text, or none
            start, end, value = r["char_start"], r["char_end"], r[printed]
            if package._na(start) or package._na(end) or package._na(value):
                continue
            key = f"id {r['id']!r}"
            if not 0 <= start < end <= len(text):
                errors.add(
                    shown,
                    f"offsets {start}:{end} lie outside the source ({len(text)} code points in {src})",
                    i,
                    "char_start",
                    key,
                )
                continue
            got = text[start:end]
            if got != value:
                errors.add(shown, f"source[{start}:{end}] is {got!r}, not the printed {value!r}", i, "char_start", key)
                continue
            # a printed minus belongs to the figure; the digit run starts after it
            start = start + 1 if str(value).startswith("-") else start
            whole = _token_at(tokens, token_starts, start)
            if whole is None or whole.span() != (start, end):
                run = f"the digit run {whole.group()!r} at {whole.start()}:{whole.end()}" if whole else "no digit run"
                errors.add(
                    shown,
                    f"offsets {start}:{end} are not a whole digit run of the source ({run})",
                    i,
                    "char_start",
                    key,
                )
                continue
            where = f"{name} row {i}"
            if (start, end) in spans:
                errors.add(
                    shown,
                    f"digit run {value!r} at {start}:{end} is already claimed by {spans[(start, end)]}",
                    i,
                    "char_start",
                    key,
                )
            spans[(start, end)] = where
    for m in tokens:
        if m.span() not in spans:
            line = text.count("\n", 0, m.start()) + 1
            errors.add(
                src,
                f"digit run {m.group()!r} at {m.start()}:{m.end()} is neither a figure nor a "
                f"non-figure (add it to figures.csv or non_figures.csv)",
                row=None,
                field=f"line {line}, offset {m.start()}",
            )
    _check_sections(pkg, text, src, errors)
    return result


def _descriptor_sources(data_dir: Path) -> list[dict]:
    try:
        descriptor = package.read_descriptor(data_dir)
    except PackageError:
        return []
    sources = descriptor.get("sources")
    return [s for s in sources if isinstance(s, dict)] if isinstance(sources, list) else []


def _known_text(data_dir: Path, first: dict) -> bool:
    """Whether the source a package names outside its folder is a regular file holding exactly the bytes its
    ``sha256`` names: a package may point at a text it already knows (``helpers new`` drafts one beside the
    report), never read a file it does not (nothing of it is shown otherwise)."""
    rel = first["path"]
    if not isinstance(first.get("sha256"), str) or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", rel) or "\x00" in rel:
        return False
    try:
        return hashlib.sha256(files.read_regular(data_dir / rel)).hexdigest() == first["sha256"]
    except OSError:
        return False


def _read_source(
    data_dir: Path, sources: list[dict], given: str | Path | None, result: Audit, errors: Errors
) -> str | None:
    """The first source's text, its sha256 and code points checked; None (an error added) when unreadable."""
    shown = files.shown(data_dir / DESCRIPTOR)
    first = sources[0] if sources else {}
    if given is not None:
        path = Path(given)
    elif isinstance(first.get("path"), str) and first["path"]:
        path = data_dir / first["path"]
        outside = package.contained(data_dir, first["path"], (data_dir, paths.SHARED_SOURCES)) is None
        if outside and not _known_text(data_dir, first):
            errors.add(
                shown,
                f"{first['path']!r} lies outside the package and {paths.SHARED_SOURCES}, and is not the file the "
                "source's sha256 names (give a relative path inside either, or a text elsewhere with its sha256; "
                "--source FILE reads another)",
                field="sources[0].path",
            )
            return None
    else:
        return None  # the loader has named the missing path
    result.source_path = path
    try:
        raw = files.read_regular(path)
    except (FileNotFoundError, NotADirectoryError):
        how = "given with --source" if given is not None else "named by sources[0].path"
        errors.add(shown, f"source text not found at {path} ({how}); pass --source FILE", field="sources[0].path")
        return None
    except OSError as e:
        errors.add(shown, f"cannot read the source text {path}: {e.strerror or e}", field="sources[0].path")
        return None
    digest = hashlib.sha256(raw).hexdigest()
    if "sha256" not in first:
        errors.add(shown, f"the first source needs its sha256 (the file's is {digest})", field="sources[0].sha256")
    elif first["sha256"] != digest:
        errors.add(
            shown,
            f"{path} has sha256 {digest}, not {first['sha256']} (another or an altered file)",
            field="sources[0].sha256",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        errors.add(files.shown(path), f"not UTF-8: byte 0x{raw[e.start]:02x} at byte {e.start}")
        return None
    if "code_points" in first and first["code_points"] != len(text):
        errors.add(
            shown, f"{path} has {len(text)} code points, not {first['code_points']}", field="sources[0].code_points"
        )
    return text


def _token_at(tokens: list, starts: list[int], offset: int):
    """The digit run (a match of :data:`NUMERIC_TOKEN`) that contains ``offset``, or None."""
    i = bisect.bisect_right(starts, offset) - 1
    return tokens[i] if i >= 0 and tokens[i].start() <= offset < tokens[i].end() else None


def _check_sections(pkg: Package, text: str, src: str, errors: Errors) -> None:
    sections = pkg.sections
    shown = sections.attrs["path"]
    bounds: dict[int, tuple[int, int]] = {}
    previous_end, previous = None, None
    for i, s in enumerate(sections.to_dict("records"), start=1):
        key = f"section {s['section']!r}"
        start, end = s["char_start"], s["char_end"]
        if package._na(start) or package._na(end) or package._na(s["section"]):
            continue
        if not 0 <= start < end <= len(text):
            errors.add(
                shown,
                f"bounds {start}:{end} lie outside the source ({len(text)} code points in {src})",
                i,
                "char_end" if end > len(text) else "char_start",
                key,
            )
            continue
        bounds[s["section"]] = (start, end)
        if previous_end is not None and start < previous_end:
            errors.add(
                shown,
                f"starts at {start}, inside the previous section (row {previous}, ending at {previous_end})",
                i,
                "char_start",
                key,
            )
        previous_end, previous = end, i
        title = s["title_zh"]
        if not package._na(title) and text[start : start + len(title)] != title:
            errors.add(
                shown,
                f"the title {title!r} is not printed at {start} (the source has {text[start : start + len(title)]!r})",
                i,
                "title_zh",
                key,
            )
    figures = pkg.figures
    first_id = pkg.sources[0].get("id") if pkg.sources else None
    for i, f in enumerate(figures.to_dict("records"), start=1):
        if "source" in figures.columns and not package._na(f["source"]) and f["source"] != first_id:
            continue
        if package._na(f["char_start"]) or package._na(f["section"]) or f["section"] not in bounds:
            continue
        lo, hi = bounds[f["section"]]
        if not lo <= f["char_start"] < hi:
            errors.add(
                figures.attrs["path"],
                f"offset {f['char_start']} lies outside section {f['section']} ({lo}:{hi})",
                i,
                "section",
                f"id {f['id']!r}",
            )


def to_curate(pkg: Package) -> list[str]:
    """What a drafted package still leaves to check (rows whose ``guess`` column names guessed fields); the
    placeholders and open problems it leaves are errors (:func:`helpers.core.curation.check`)."""
    out = []
    for name in package.TABLES:
        frame = getattr(pkg, name)
        if "guess" in frame.columns:
            n = int(frame["guess"].fillna("").ne("").sum())
            if n:
                out.append(f"{name}.csv: {n} row{'s' * (n != 1)} with guesses (column 'guess')")
    return out


def register(sub, check=None) -> None:
    """``python -m helpers validate``: the whole audit, every problem at once, and a per-section summary.

    ``check(data_dir, source)`` is the audit to run (default :func:`audit`; ``helpers validate`` passes
    :func:`helpers.build.verdict.verdict`, which adds what needs the charts' font)."""
    p = sub.add_parser(
        "validate",
        help="audit a data package against its schema and its source text",
        description="Check a data package: the schema and keys, the vocabulary, units and periods, the source's "
        "sha256, every figure's and non-figure's offsets, every digit run of the source accounted "
        "for, and the sections' bounds. Lists every problem (file, row, field) and exits 2; exits "
        "0 with a per-section summary when the package is valid.",
    )
    p.add_argument(
        "--data-dir", default=str(package.REPO_DATA), help="folder holding datapackage.json (default: %(default)s)"
    )
    p.add_argument(
        "--source",
        metavar="FILE",
        help="the source text (default: the first source's path in datapackage.json, relative to it)",
    )
    p.set_defaults(func=lambda args: _cli(args, check or audit))


def _cli(args: argparse.Namespace, check=None) -> int:
    try:
        result = (check or audit)(args.data_dir, args.source)
    except Exception as e:  # noqa: BLE001 -- a bug, not bad input; still no traceback for the user
        print(f"validate: internal error while auditing {args.data_dir}: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_INVALID
    where = files.shown(Path(args.data_dir) / DESCRIPTOR)
    if result.errors:
        n = len(result.errors)
        print(f"invalid data package {where}: {n} problem{'s' * (n != 1)}", file=sys.stderr)
        for problem in result.errors:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    pkg = result.package
    # a valid audit read every table and the source text
    assert pkg is not None and result.source_path is not None
    print(
        f"{where}: valid; {len(pkg.figures)} figures, {len(pkg.non_figures)} non-figures, "
        f"{len(pkg.relations)} relations; source {files.shown(result.source_path)} (sha256 matches)"
    )
    print(package.summary(pkg).to_string(index=False))
    for line in to_curate(pkg):
        print(f"still to curate: {line}")
    return 0
