"""Drafting a whole data package from a report's text: ``python -m helpers new REPORT.txt --out DIR``.

The draft is always written (unless the text cannot be read), to be curated by hand:

- ``datapackage.json``: the schemas of the template (``data/datapackage.json``),
  each with one more column ``guess``; the source's path (relative to ``DIR``),
  sha256 and code points; the package's and the source's title, publisher and
  date left to fill in, marked ``TO FILL IN`` (listed under ``x_draft``);
- ``figures.csv``: the extractor's rows (:func:`helpers.drafting.extract.extract_text`),
  each given the section its offset falls in; topic, indicator and measure are
  the extractor's guesses, the English names are marked ``TO TRANSLATE``;
- ``non_figures.csv``: the extractor's non-figures and every other digit run of
  the text that no figure claims, with a reason guessed from its neighbours;
- ``sections.csv`` (:mod:`helpers.drafting.sections`) and ``relations.csv``
  (:mod:`helpers.drafting.implied`);
- ``problems.csv`` (:mod:`helpers.core.curation`): every problem the audit of
  the draft finds (placeholders included), each naming file, row, key and field,
  the value drafted there and what to do; ``helpers validate`` fails on each
  until its cell is curated.

Every guessed field is named in the row's ``guess`` column.  The draft is
written to a temporary folder beside ``DIR``, audited there and moved into
place whole.  An existing ``DIR`` (other than an empty folder) is replaced only
with ``--force``.  Exit status: 0 a draft with nothing to curate, 3
(:data:`EXIT_PROBLEMS`) a draft written with problems, 2 nothing written.
"""

from __future__ import annotations

import argparse
import copy
import csv
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core import audit, curation, package
from helpers.core.files import read_regular, shown
from helpers.drafting import dating, implied, lists, names, tablecells, wording, years
from helpers.drafting import sections as sections_mod
from helpers.drafting.extract.lexicon import fold

TEMPLATE = package.REPO_DATA / package.DESCRIPTOR
TO_FILL = curation.TO_FILL
TO_TRANSLATE = curation.TO_TRANSLATE
GUESS_FIELD = {
    "name": "guess",
    "type": "string",
    "description": "The fields of this row that `helpers new` guessed, to check by hand (empty once curated; "
    "the column and this field may then be removed).",
}
_RESOURCE_TEXT = {
    "sections": "The lead and the sections in report order, with their printed titles and where they start and "
    "end in the source.",
    "figures": "One row per figure printed in the report: as printed, in base units, with qualifier, period, kind "
    "of measure and location in the source.",
    "non_figures": "Every run of digits in the source that is not a figure.",
    "relations": "The relations the report's wording implies between its figures.",
}


class DraftError(ValueError):
    """An input or an output folder that ``helpers new`` cannot use; the message names it.

    ``errors`` holds the audit's problems when the draft itself would not validate.
    """

    def __init__(self, message: str, errors: list | None = None):
        super().__init__(message)
        self.errors = list(errors or [])


def _format_number(x) -> str:
    if package._na(x):
        return ""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e18 else repr(x)


def _text(v) -> str:
    return "" if package._na(v) else str(v)


def draft_figures(frame, sections: list[dict], text: str = "") -> list[dict]:
    """The extractor's rows in the figures schema, with their section, topic and English names marked
    (and, for the parts of a ratio printed without a unit, the unit and measure marked as guessed)."""
    from helpers.drafting.extract.guesses import ratio_part

    titles = {s["section"]: s for s in sections}
    rows = []
    for r in frame.to_dict("records"):
        section = sections_mod.section_of(sections, int(r["char_start"]))
        guess = "section, topic, indicator, measure; indicator_en to translate"
        if text and ratio_part(text, int(r["char_start"]), int(r["char_end"])) is not None:
            guess = (
                "section, topic, indicator, unit and measure (a ratio's part: % if the parts sum to 100, "
                "else 份); indicator_en to translate"
            )
        rows.append(
            {
                "id": r["id"],
                "section": section,
                # a work report's ——经济运行总体平稳 headline: the topic without its dashes
                "topic_zh": _text(r.get("topic_zh")).lstrip("—–-─ ")
                or _subject(sections_mod.unnumbered(titles[section]["title_zh"]))[0],
                "topic_en": _text(r.get("topic_en")) or _topic_en(_text(r.get("topic_zh")), titles[section]),
                "indicator_zh": _text(r.get("indicator_zh"))
                or f"{TO_FILL}: {_text(r['value'])}{_text(r.get('unit_zh'))}",
                "indicator_en": _text(r.get("indicator_en"))
                or f"{TO_TRANSLATE}: {_text(r.get('indicator_zh')) or TO_FILL}",
                "value": _text(r["value"]),
                "unit_zh": _text(r.get("unit_zh")),
                "base_value": _format_number(r.get("base_value")),
                "base_unit": _text(r.get("base_unit")),
                "qualifier": _text(r.get("qualifier")),
                "rounded": "" if package._na(r.get("rounded")) else ("true" if r.get("rounded") else "false"),
                "period": _text(r.get("period")),
                "measure": _text(r.get("measure")),
                "char_start": int(r["char_start"]),
                "char_end": int(r["char_end"]),
                "guess": guess,
            }
        )
    return rows


def _subject(title: str) -> tuple[str, str | None]:
    """The topic a section's title gives: the title itself when the glossary knows it (or nothing of it), else the
    longest known term it starts with when the title is a headline sentence (固定資產投資總額保持較快增長 →
    固定資產投資總額, as printed), with that term's English."""
    if names.english(title) is not None:
        return title, None
    for end in range(len(title) - 1, 3, -1):
        found = names.english(title[:end])
        if found is not None:
            return title[:end], found[0][:1].upper() + found[0][1:]
    return title, None


def _topic_en(topic_zh: str, section: dict) -> str:
    """A topic's English: the section's, when the topic is the section; the term's a headline title starts with;
    else the glossary's, or to translate."""
    topic = topic_zh.lstrip("—–-─ ")
    subject, subject_en = _subject(sections_mod.unnumbered(section["title_zh"]))
    if not topic and subject_en:
        return subject_en
    if not topic or topic == sections_mod.unnumbered(section["title_zh"]):
        return section["title_en"]
    found = names.english(topic)
    return found[0][:1].upper() + found[0][1:] if found else f"{TO_TRANSLATE}: {topic}"


def _reason(text: str, start: int, end: int) -> str:
    """A reason from the schema's list for a digit run no figure claims, from the characters around it."""
    before, after, digits = text[max(0, start - 3) : start], text[end : end + 2], text[start:end]
    if tablecells.in_row_label(text, start):
        return "table_label"
    if re.fullmatch(r"(19|20)[0-9]{2}", digits):
        line_start = text.rfind("\n", 0, start) + 1
        return "title_year" if not text[line_start:start].strip() and not after.startswith("年") else "period_marker"
    if after[:1] in ("月", "季", "日", "年") or before.endswith("第"):
        return "period_marker"
    if after[:1] in ("强", "名") or before.endswith(("前", "TOP", "Top", "top")):
        return "ranking"
    return "name"


def draft_non_figures(frame, figures: list[dict], text: str, renamed: dict[str, str] | None = None) -> list[dict]:
    """The extractor's non-figures and every digit run that neither claims, each with a guessed reason
    (``renamed``: the figures' drafted ids by the extractor's, for the figure a non-figure belongs to)."""
    renamed = renamed or {}
    rows = [
        {
            **{k: _text(v) for k, v in r.items()},
            "figure_id": renamed.get(_text(r.get("figure_id")), _text(r.get("figure_id"))),
            "char_start": int(r["char_start"]),
            "char_end": int(r["char_end"]),
            "guess": "reason, figure_id",
        }
        for r in frame.to_dict("records")
    ]
    # a figure printed with a minus (-1.9) claims the digit run after its sign, as the audit reads it
    claimed = {(f["char_start"] + f["value"].startswith("-"), f["char_end"]) for f in figures}
    claimed |= {(r["char_start"], r["char_end"]) for r in rows}
    ids = {r["id"] for r in rows}
    for m in audit.NUMERIC_TOKEN.finditer(text):
        if m.span() in claimed:
            continue
        n = len(ids) + 1
        while f"digit_run_{n:03d}" in ids:
            n += 1
        ids.add(f"digit_run_{n:03d}")
        rows.append(
            {
                "id": f"digit_run_{n:03d}",
                "text": m.group(),
                "reason": _reason(text, *m.span()),
                "figure_id": "",
                "char_start": m.start(),
                "char_end": m.end(),
                "guess": "reason (not claimed by the extractor)",
            }
        )
    return sorted(rows, key=lambda r: r["char_start"])


def draft_descriptor(report: Path, out: Path, text: str, raw: bytes, year: int | None, sections: list[dict]) -> dict:
    """The template's descriptor for a new report: schemas with a ``guess`` column, the source, fields to fill in."""
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    name = re.sub(r"[^a-z0-9]+", "-", report.stem.lower()).strip("-") or "draft-package"
    d = {
        "profile": template.get("profile", "tabular-data-package"),
        "name": name,
        "title": f"{TO_FILL}: the package's title",
        "description": f"{TO_FILL}: what the report is. Drafted by `python -m helpers new` from {report.name}; "
        f"every guessed field is named in its row's guess column.",
        "version": "0.1.0",
        "sources": [
            {
                "id": "report",
                "title": f"{TO_FILL}: the report's title",
                "publisher": TO_FILL,
                "date": f"{TO_FILL} (YYYY-MM-DD)",
                "path": os.path.relpath(report.resolve(), out.resolve()),
                "encoding": "utf-8",
                "code_points": len(text),
                "sha256": hashlib.sha256(raw).hexdigest(),
            }
        ],
        "x_report_year": year if year is not None else f"{TO_FILL}: the year the report describes (--year sets it)",
        "x_draft": {
            "made_by": "python -m helpers new",
            "fill_in": ["title", "description", "sources[0].title", "sources[0].publisher", "sources[0].date"],
            "guesses": "the guess column of every table names the fields guessed in that row",
        },
        "resources": [],
    }
    for resource in template["resources"]:
        r = copy.deepcopy(resource)
        r["description"] = _RESOURCE_TEXT.get(r["name"], r.get("description", ""))
        r["schema"]["fields"].append(dict(GUESS_FIELD))
        for f in r["schema"]["fields"]:
            if f["name"] == "section" and "maximum" in f.get("constraints", {}):
                f["constraints"]["maximum"] = max(s["section"] for s in sections)
        d["resources"].append(r)
    return d


def _csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


@dataclass
class Draft:
    """What ``helpers new`` wrote: the folder, the audit of the draft as written, and every problem it lists."""

    out: Path
    audit: audit.Audit
    problems: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


#: What to do about a problem, by the field it names (the default for any other field: :data:`_TODO_OTHER`).
_TODO = {
    "unit_zh": "write the unit as printed (one helpers.core.units knows), or move the row to non_figures.csv",
    "base_unit": "add the base unit to this field's enum in datapackage.json, or correct unit_zh",
    "base_value": "write value × the unit's factor, exact",
    "period": "write the ISO 8601 period the text gives (python -m helpers new --year YEAR dates 全年, 上半年 …)",
    "direction": "write up or down, as the text says (增长, 提高 → up; 下降, 减少, 回落 → down)",
    "x_report_year": "write the year the report describes, or draft again with --year YEAR",
}
_TODO_OTHER = "correct the value (or the schema in datapackage.json) as the problem says"
_KEY = re.compile(r"\w+ '(.*)'")


#: The year the extractor is given when the text prints none: every period it dates with it is left to fill in.
UNKNOWN_YEAR = 1
NO_YEAR = (
    "the text prints no year it describes: every period that needs one (全年, 上半年, 1-6月 …) is marked "
    f"{TO_FILL!r}; draft again with --year YEAR to date them"
)


def _as_printed(sections: list[dict], plain: str, text: str) -> list[dict]:
    """Sections found in ``plain`` (the text folded), their titles and subtitles given back as ``text`` prints them
    (the same offsets: the fold keeps them)."""
    for s in sections:
        for key in ("title_zh", "subtitle_zh"):
            title = s.get(key) or ""
            at = plain.find(title, int(s["char_start"])) if title else -1
            if at >= 0:
                s[key] = text[at : at + len(title)]
    return sections


def _undated(figures: list[dict]) -> None:
    """Mark the periods dated with :data:`UNKNOWN_YEAR` to fill in (``YYYY-01/YYYY-06`` for 上半年)."""
    for f in figures:
        if f["period"].startswith(f"{UNKNOWN_YEAR:04d}-") or f"/{UNKNOWN_YEAR:04d}-" in f["period"]:
            f["period"] = f"{TO_FILL}: " + f["period"].replace(f"{UNKNOWN_YEAR:04d}", "YYYY") + " (no year printed)"


def new(report: str | Path, out: str | Path, *, year: int | None = None, force: bool = False) -> Draft:
    """Draft the package for ``report`` into ``out``, with every problem listed in its ``problems.csv``.

    :class:`DraftError` (nothing written) only when the text cannot be read or ``out`` cannot be written.
    """
    from helpers.drafting import extract

    report, out = Path(report), Path(out)
    if out.exists() and not force and not (out.is_dir() and not any(out.iterdir())):
        raise DraftError(f"{out} exists; pass --force to replace it")
    if out.exists() and not out.is_dir():
        raise DraftError(f"{out} is a file, not a folder")
    if not out.parent.is_dir():
        raise DraftError(f"{out}: the folder {out.parent} does not exist")
    try:
        text = extract.read_report(report)
        raw = read_regular(report)
        # every look-up reads the text folded to simplified script (same length: offsets hold); what is stored
        # from the text itself (the source, section titles) stays as printed
        plain = fold(text)
        notes = []
        if year is None:
            year, where = years.report_year(plain)
            notes.append(f"the report's year {year}, read from {where} (--year sets another)" if year else NO_YEAR)
        figures_frame = extract.extract_text(text, year=year or UNKNOWN_YEAR)
        non_figures_frame = extract.extract_non_figures(text, year=year or UNKNOWN_YEAR)
        sections = _as_printed(sections_mod.detect_sections(plain), plain, text)
    except (ValueError, OSError) as e:  # the extractor's errors are ValueErrors naming the file
        raise DraftError(str(e)) from None
    names.name_sections(sections, sections_mod.unnumbered)
    figures = [
        f for f in draft_figures(figures_frame, sections, plain) if not tablecells.in_row_label(plain, f["char_start"])
    ]
    if year is None:
        _undated(figures)
    else:
        dating.fill(figures, plain, years.report_period(plain, year))
    wording.apply(figures, plain, known=lambda name: names.english(name) is not None)
    lists.apply(figures, plain)
    tablecells.apply(figures, plain)
    names.name_figures(figures, lambda f: wording.noun_phrase(f["indicator_zh"]))
    renamed = names.ids(figures)
    for f in figures:
        f["id"] = renamed[f["id"]]
    tables = {
        "sections": sections,
        "figures": figures,
        "non_figures": draft_non_figures(non_figures_frame, figures, plain, renamed),
        "relations": implied.draft_relations(figures, plain),
    }
    descriptor = draft_descriptor(report, out, text, raw, year, sections)
    columns = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]}
    files = {f"{name}.csv": _csv(rows, columns[name]) for name, rows in tables.items()}
    files[package.DESCRIPTOR] = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    try:
        tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new-"))
    except OSError as e:
        raise DraftError(f"{out}: cannot write in {out.parent}: {e.strerror or e}") from None
    try:
        os.chmod(tmp, 0o755)
        for name, content in files.items():
            (tmp / name).write_text(content, encoding="utf-8")
        result = audit.audit(tmp, source=report)
        problems = [_problem(e, tmp, report, tables, descriptor) for e in result.errors]
        if problems:
            (tmp / curation.PROBLEMS).write_text(_csv(problems, list(curation.PROBLEM_COLUMNS)), encoding="utf-8")
        _publish(tmp, out)
    except OSError as e:
        raise DraftError(f"{out}: cannot write the draft: {e.strerror or e}") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    result.data_dir = out
    return Draft(out, result, problems, notes)


def _problem(e, tmp: Path, report: Path, tables: dict[str, list[dict]], descriptor: dict) -> dict:
    """One audit error of the draft as a row of ``problems.csv``: where, what was drafted there, what to do."""
    name = Path(e.file).name
    key = _KEY.fullmatch(e.key or "")
    drafted = ""
    if name == package.DESCRIPTOR:
        drafted = curation.lookup(descriptor, e.field or "") or ""
    elif name.removesuffix(".csv") in tables and e.row is not None and e.field:
        rows = tables[name.removesuffix(".csv")]
        drafted = _text(rows[e.row - 1].get(e.field, "")) if 0 < e.row <= len(rows) else ""
    elif Path(e.file).resolve() == report.resolve() or name == report.name:
        name = report.name
    reason = str(e.reason).replace(str(tmp), ".").replace(shown(tmp), ".")
    return {
        "file": name,
        "row": "" if e.row is None else e.row,
        "key": key.group(1) if key else "",
        "field": e.field or "",
        "drafted": drafted,
        "problem": reason.split(": ", 1)[0] if reason.startswith("still marked") else reason,
        "to_do": _todo(e.field or "", reason),
    }


def _todo(field_name: str, reason: str) -> str:
    if "neither a figure nor a non-figure" in reason:
        return "add it to figures.csv or non_figures.csv"
    if reason.startswith("still marked"):
        return reason.split(": ", 1)[-1]
    return _TODO.get(field_name.split("[")[0], _TODO_OTHER)


def _publish(tmp: Path, out: Path) -> None:
    """Move the audited draft into place; an existing ``out`` (allowed by the caller) is replaced whole or kept."""
    if not out.exists():
        os.replace(tmp, out)  # fails if a non-empty folder appeared meanwhile: nothing is lost
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.replace(out, old)
    try:
        os.replace(tmp, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


#: Exit status of ``helpers new`` for a draft written with problems to curate (2: nothing could be written).
EXIT_PROBLEMS = 3


def register(sub) -> None:
    """``python -m helpers new REPORT.txt --out DIR``."""
    p = sub.add_parser(
        "new",
        help="draft a whole data package for a new report's text, listing every problem to curate",
        description="Draft datapackage.json, figures.csv, non_figures.csv, sections.csv and relations.csv for a "
        "report's text, every guess marked in a guess column and every field to fill in marked "
        f"'{TO_FILL}'. The draft is always written; every problem is listed on screen and in the draft's "
        f"{curation.PROBLEMS} (file, row, field, what to do), and helpers validate fails until each is curated. "
        f"Exit 0: a draft with no problem; {EXIT_PROBLEMS}: a draft written with problems; "
        f"{audit.EXIT_INVALID}: nothing written (the text could not be read, or DIR not written).",
    )
    p.add_argument("report", metavar="REPORT.txt", help="the report's text (UTF-8)")
    p.add_argument("--out", required=True, metavar="DIR", help="the package folder to write (must not exist)")
    p.add_argument(
        "--year",
        type=int,
        default=None,
        help="the year the report describes; dates periods such as 全年, 上半年, 1-11月份 (default: read from the "
        "text: its opening 2020年全区…, its title, its periods; when it prints none, periods are left to fill in)",
    )
    p.add_argument("--force", action="store_true", help="replace DIR when it exists")
    p.set_defaults(func=_cli)


def _cli(args: argparse.Namespace) -> int:
    try:
        drafted = new(args.report, args.out, year=args.year, force=args.force)
    except DraftError as e:
        print(f"new: {e}; nothing written", file=sys.stderr)
        return audit.EXIT_INVALID
    except Exception as e:  # noqa: BLE001 -- a bug, not bad input; still no traceback for the user
        print(f"new: internal error while drafting {args.report}: {type(e).__name__}: {e}", file=sys.stderr)
        return audit.EXIT_INVALID
    pkg = drafted.audit.package
    counts = (
        f"{len(pkg.sections)} sections, {len(pkg.figures)} figures, {len(pkg.non_figures)} non-figures, "
        f"{len(pkg.relations)} relations"
        if pkg is not None
        else "tables not all readable"
    )
    n = len(drafted.problems)
    for note in drafted.notes:
        print(f"new: {note}")
    if not n:
        print(f"new: drafted {shown(args.out)}: {counts} (guesses in each guess column); no problem to curate")
        return 0
    print(
        f"new: drafted {shown(args.out)}: {counts}, with {n} problem{'s' * (n != 1)} to curate "
        f"(listed in {shown(Path(args.out) / curation.PROBLEMS)}; helpers validate fails until each is curated):"
    )
    for p in drafted.problems:
        where = p["file"] + (f", row {p['row']}" if p["row"] != "" else "") + (f" ({p['key']})" if p["key"] else "")
        print(f"  {where}, field {p['field']!r}: {p['problem']} -> {p['to_do']}")
    return EXIT_PROBLEMS
