"""Drafting a whole data package from a report's text: ``python -m helpers new REPORT.txt --out DIR``.

The draft is a package that :mod:`helpers.core.audit` accepts as it stands, to be
curated by hand:

- ``datapackage.json``: the schemas of the template (``data/datapackage.json``),
  each with one more column ``guess``; the source's path (relative to ``DIR``),
  sha256 and code points; the package's and the source's title, publisher and
  date left to fill in, marked ``TO FILL IN`` (listed under ``x_draft``);
- ``figures.csv``: the extractor's rows (:func:`helpers.drafting.extract.extract_text`),
  each given the section its offset falls in; topic, indicator and measure are
  the extractor's guesses, the English names are marked ``TO TRANSLATE``;
- ``non_figures.csv``: the extractor's non-figures
  (:func:`helpers.drafting.extract.extract_non_figures`) and every other digit run of
  the text that no figure claims, with a reason guessed from its neighbours;
- ``sections.csv``: the lead (from the first line) and one section per
  heading found: numbered headings (一、 …, else （一） …), else short title-like
  lines (2–12 characters, no punctuation, digit or space, followed directly by
  text); a short line right after a heading is its subtitle;
- ``relations.csv``: what the wording implies between two figures of one
  sentence: a level with its 同比增长 → ``prior_level``; a part with its 占…
  share → ``implied_whole``; an outcome with its 完成…任务/计划/目标 rate →
  ``implied_plan``; a stock with what was 新建/新增 in it → ``stock_before_flow``.

Every guessed field is named in the row's ``guess`` column.  The draft is
written to a temporary folder beside ``DIR`` and audited there; only a draft
that passes is moved into place, so a failure writes nothing.  An existing
``DIR`` (other than an empty folder) is replaced only with ``--force``.  When the
extractor proposes values the schema does not allow (a measure, qualifier or
reason outside the template's vocabulary, a figure without unit), the command
lists every such row and exits 2: the vocabulary is the extractor's to fix.
"""

from __future__ import annotations

import argparse
import copy
import csv
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from helpers.core import audit, package
from helpers.core.files import read_regular, shown

TEMPLATE = package.REPO_DATA / package.DESCRIPTOR
TO_FILL = "TO FILL IN"
TO_TRANSLATE = "TO TRANSLATE"
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
_NUMBERED = re.compile(r"[一二三四五六七八九十]+、")
_SUBNUMBERED = re.compile(r"[（(][一二三四五六七八九十]+[）)]")
_TITLE_LIKE = re.compile(r"[^\s0-9０-９。，,、；;：:！？!?“”\"'（）()\[\]【】《》…·.]{2,12}")
_SENTENCE_BREAK = re.compile(r"[。；;！？!?\n]")
_TITLE_MAX = 19  # a title is at most 19 characters: the project never holds a run of 20 CJK characters


class DraftError(ValueError):
    """An input or an output folder that ``helpers new`` cannot use; the message names it.

    ``errors`` holds the audit's problems when the draft itself would not validate.
    """

    def __init__(self, message: str, errors: list | None = None):
        super().__init__(message)
        self.errors = list(errors or [])


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines as (offset of the first non-space character, stripped text)."""
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            out.append((pos + len(raw) - len(raw.lstrip()), stripped))
        pos += len(raw)
    return out


def detect_sections(text: str) -> list[dict]:
    """The lead and the sections the headings of ``text`` open, as rows of ``sections.csv`` (``guess`` included)."""
    lines = _lines(text)
    if not lines:
        raise DraftError("the text has no line to read")
    raw_lines = text.splitlines(keepends=True)
    line_starts = []
    pos = 0
    for raw in raw_lines:
        line_starts.append(pos)
        pos += len(raw)

    def next_line_is_text(offset: int) -> bool:
        i = max(j for j, s in enumerate(line_starts) if s <= offset)
        return i + 1 < len(raw_lines) and raw_lines[i + 1].strip() != ""

    lead_start = lines[0][0]
    numbered = [(o, t) for o, t in lines if _NUMBERED.match(t) and o > lead_start]
    if not numbered:
        numbered = [(o, t) for o, t in lines if _SUBNUMBERED.match(t) and o > lead_start]
    if numbered:
        headings = [(o, _title(t.split("\n")[0].split("。")[0].split("，")[0].split(",")[0])) for o, t in numbered]
        how = "numbered heading"
    else:
        headings = [(o, t) for o, t in lines if o > lead_start and _TITLE_LIKE.fullmatch(t) and next_line_is_text(o)]
        how = "short title-like line"
    by_offset = dict(lines)
    rows = [
        {
            "section": 0,
            "title_zh": _title(lines[0][1]),
            "title_en": f"Lead ({TO_TRANSLATE})",
            "subtitle_zh": "",
            "subtitle_en": "",
            "char_start": lead_start,
            "guess": "title_en",
        }
    ]
    for n, (offset, title) in enumerate(headings, start=1):
        subtitle = ""
        after = offset + len(by_offset[offset])
        following = [(o, t) for o, t in lines if o > after]
        if (
            following
            and following[0][0] - after <= 1
            and len(following[0][1]) <= 16
            and not re.search(r"[。！？!?]", following[0][1])
            and following[0][0] not in dict(headings)
        ):
            subtitle = _title(following[0][1])
        rows.append(
            {
                "section": n,
                "title_zh": title,
                "title_en": f"Section {n} ({TO_TRANSLATE})",
                "subtitle_zh": subtitle,
                "subtitle_en": f"{TO_TRANSLATE}" if subtitle else "",
                "char_start": offset,
                "guess": f"section ({how}), title_en" + (", subtitle" if subtitle else ""),
            }
        )
    for row, nxt in zip(rows, rows[1:] + [None]):
        row["char_end"] = nxt["char_start"] if nxt else len(text)
    return rows


def _title(line: str) -> str:
    return line[:_TITLE_MAX]


def _unnumbered(title: str) -> str:
    """A heading without its number (一、综合 → 综合); the heading itself when nothing is left."""
    m = _NUMBERED.match(title) or _SUBNUMBERED.match(title)
    return title[m.end() :].strip() or title if m else title


def _section_of(sections: list[dict], offset: int) -> int:
    found = 0
    for s in sections:
        if s["char_start"] <= offset:
            found = s["section"]
    return found


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
        section = _section_of(sections, int(r["char_start"]))
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
                "topic_zh": _text(r.get("topic_zh")) or _unnumbered(titles[section]["title_zh"]),
                "topic_en": _text(r.get("topic_en")) or titles[section]["title_en"],
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


def _reason(text: str, start: int, end: int) -> str:
    """A reason from the schema's list for a digit run no figure claims, from the characters around it."""
    before, after, digits = text[max(0, start - 3) : start], text[end : end + 2], text[start:end]
    if re.fullmatch(r"(19|20)[0-9]{2}", digits):
        line_start = text.rfind("\n", 0, start) + 1
        return "title_year" if not text[line_start:start].strip() and not after.startswith("年") else "period_marker"
    if after[:1] in ("月", "季", "日", "年") or before.endswith("第"):
        return "period_marker"
    if after[:1] in ("强", "名") or before.endswith(("前", "TOP", "Top", "top")):
        return "ranking"
    return "name"


def draft_non_figures(frame, figures: list[dict], text: str) -> list[dict]:
    """The extractor's non-figures and every digit run that neither claims, each with a guessed reason."""
    rows = [
        {
            **{k: _text(v) for k, v in r.items()},
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


#: (kind, measure of y, words that must be printed between x and y, label_zh suffix, label_en pattern)
_RULES = (
    ("prior_level", ("change_yoy_pct",), ("增长",), "上年同期", "{x}: level a year earlier"),
    ("implied_whole", ("share_pct",), ("占",), "所占总体", "{x}: the whole its share implies"),
    ("implied_plan", ("completion_pct",), ("完成",), "计划", "{x}: the plan its completion rate implies"),
    ("stock_before_flow", ("flow",), ("新建", "新增"), "新增前存量", "{x}: the stock before what was added"),
)


def draft_relations(figures: list[dict], text: str) -> list[dict]:
    """Relations the wording implies between two figures of one sentence (see the module docstring)."""
    rows, ids = [], set()
    for a, b in itertools.pairwise(figures):
        between = text[a["char_end"] : b["char_start"]]
        if _SENTENCE_BREAK.search(between) or a["base_unit"] in ("percent", "percentage_points", ""):
            continue
        for kind, measures, words, zh, en in _RULES:
            if b["measure"] not in measures or not any(w in between for w in words):
                continue
            if kind == "implied_plan" and not re.search("任务|计划|目标", text[a["char_end"] : b["char_end"] + 4]):
                continue
            if kind == "stock_before_flow" and (a["measure"] != "stock" or a["base_unit"] != b["base_unit"]):
                continue
            rid = f"{a['id']}_{kind}"
            if rid in ids:
                continue
            ids.add(rid)
            rows.append(
                {
                    "id": rid,
                    "kind": kind,
                    "section": a["section"],
                    "x": a["id"],
                    "y": b["id"],
                    "parameter": "",
                    "allow_mixed_periods": "true" if a["period"] != b["period"] else "false",
                    "label_zh": f"{a['indicator_zh'] or a['id']}{zh}"[:_TITLE_MAX],
                    "label_en": en.format(x=a["id"]),
                    "guess": f"kind (the wording between {a['id']} and {b['id']}), labels",
                }
            )
    return rows


def draft_descriptor(report: Path, out: Path, text: str, raw: bytes, year: int, sections: list[dict]) -> dict:
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
        "x_report_year": year,
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


def new(report: str | Path, out: str | Path, *, year: int = 2022, force: bool = False) -> audit.Audit:
    """Draft the package for ``report`` into ``out``; :class:`DraftError` (nothing written) when it would not validate.

    The audit of the written draft is returned.
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
        figures_frame = extract.extract_text(text, year=year)
        non_figures_frame = extract.extract_non_figures(text, year=year)
    except (ValueError, OSError) as e:  # the extractor's errors are ValueErrors naming the file
        raise DraftError(str(e)) from None
    sections = detect_sections(text)
    figures = draft_figures(figures_frame, sections, text)
    non_figures = draft_non_figures(non_figures_frame, figures, text)
    relations = draft_relations(figures, text)
    descriptor = draft_descriptor(report, out, text, raw, year, sections)
    columns = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]}
    files = {
        "sections.csv": _csv(sections, columns["sections"]),
        "figures.csv": _csv(figures, columns["figures"]),
        "non_figures.csv": _csv(non_figures, columns["non_figures"]),
        "relations.csv": _csv(relations, columns["relations"]),
        package.DESCRIPTOR: json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
    }
    try:
        tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new-"))
    except OSError as e:
        raise DraftError(f"{out}: cannot write in {out.parent}: {e.strerror or e}") from None
    try:
        os.chmod(tmp, 0o755)
        for name, content in files.items():
            (tmp / name).write_text(content, encoding="utf-8")
        result = audit.audit(tmp, source=report)
        if result.errors:
            lines = [str(e).replace(str(tmp), str(out)).replace(shown(tmp), str(out)) for e in result.errors]
            raise DraftError(
                f"the draft of {report} would not validate ({len(lines)} problem"
                f"{'s' * (len(lines) != 1)}; nothing written to {out}). Values outside the schema's "
                f"vocabulary, or rows without a unit, come from the extractor (helpers.drafting.extract):\n  "
                + "\n  ".join(lines),
                result.errors,
            )
        _publish(tmp, out)
    except OSError as e:
        raise DraftError(f"{out}: cannot write the draft: {e.strerror or e}") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    result.data_dir = out
    return result


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


def register(sub) -> None:
    """``python -m helpers new REPORT.txt --out DIR``."""
    p = sub.add_parser(
        "new",
        help="draft a whole data package for a new report's text (validates as it stands)",
        description="Draft datapackage.json, figures.csv, non_figures.csv, sections.csv and relations.csv for a "
        "report's text, every guess marked in a guess column and every field to fill in marked "
        f"'{TO_FILL}'. The draft is audited before it is written; on failure nothing is written "
        "and every problem is listed (exit 2).",
    )
    p.add_argument("report", metavar="REPORT.txt", help="the report's text (UTF-8)")
    p.add_argument("--out", required=True, metavar="DIR", help="the package folder to write (must not exist)")
    p.add_argument(
        "--year",
        type=int,
        default=2022,
        help="the year the report describes; dates periods such as 1-11月份 (default: %(default)s)",
    )
    p.add_argument("--force", action="store_true", help="replace DIR when it exists")
    p.set_defaults(func=_cli)


def _cli(args: argparse.Namespace) -> int:
    try:
        result = new(args.report, args.out, year=args.year, force=args.force)
    except DraftError as e:
        print(f"new: {e}", file=sys.stderr)
        return audit.EXIT_INVALID
    except Exception as e:  # noqa: BLE001 -- a bug, not bad input; still no traceback for the user
        print(f"new: internal error while drafting {args.report}: {type(e).__name__}: {e}", file=sys.stderr)
        return audit.EXIT_INVALID
    pkg = result.package
    assert pkg is not None  # new() raises DraftError for a draft that does not validate, so its tables were read
    print(
        f"new: drafted {args.out}: {len(pkg.sections)} sections, {len(pkg.figures)} figures, "
        f"{len(pkg.non_figures)} non-figures, {len(pkg.relations)} relations (guesses in each guess column; "
        f"fill in the fields marked {TO_FILL!r} in datapackage.json); it validates as it stands"
    )
    return 0
