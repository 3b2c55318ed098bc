"""What a chart draws, as data: the line under each chart naming the figures it draws and where they were printed,
and a small CSV of exactly the marks drawn (:func:`chart_data`).

The layouts record every mark they draw with its row, its axis divisor and its axis unit (:func:`record`); each
:class:`~helpers.reader.plots.grammar.Mark` carries where its numbers come from (:class:`Printed`: the figures it
draws, or the printed figures a derived value is computed from).  :func:`~helpers.reader.plots.grammar.render`
turns the records into the chart's source line (:func:`source_line`) and its CSV (:func:`csv_bytes`), in the
chart's language.

The CSV's columns are the same in both languages (:data:`COLUMNS`, English identifiers like those of
``figures.csv`` and ``derived.csv``, so that one script reads either edition's files); its cells (names, units,
kinds) are in the page's language; it is UTF-8 with a byte-order mark (Excel on Windows reads its Chinese).  The
codebook page describes every column (``codebook.chart.<column>`` in ``words.csv``).
"""

from __future__ import annotations

import base64
import csv
import io
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from helpers.reader import escape, labels, words

#: The CSV's columns, in order (described on the codebook page as ``codebook.chart.<column>``).
COLUMNS = (
    "row",
    "mark",
    "kind",
    "qualifier",
    "value",
    "low",
    "high",
    "unit",
    "printed_in",
    "figure_ids",
    "relation_id",
)
#: The file name a chart's CSV is offered under when its title gives none.
FALLBACK_NAME = "chart"
BOM = "\ufeff"


@dataclass(frozen=True)
class Printed:
    """A printed figure a mark draws or is computed from: its id, its name and where it was printed, the last two in
    the chart's language (``第2部分“夯实新基础”`` / ``section 2, “New foundations”``)."""

    id: str
    name: str
    where: str
    section: int | None = None  # the report's section it is printed in; None for another release


@dataclass(frozen=True)
class Drawn:
    """One mark as drawn: the row it stands in, the mark, and the axis it is drawn on (divisor and unit label)."""

    row: str
    mark: Any  # a grammar.Mark (grammar imports this module)
    divisor: object
    unit: str


def record(fig, row: str, mark, divisor, unit: str) -> None:
    """Note on ``fig`` that ``mark`` is drawn in ``row`` on an axis in ``unit`` after dividing by ``divisor``."""
    fig.__dict__.setdefault("helpers_drawn", []).append(Drawn(row, mark, divisor, unit))


def drawn(fig) -> list[Drawn]:
    """The marks ``fig`` draws, in drawing order."""
    return list(fig.__dict__.get("helpers_drawn", []))


def set_lang(fig, lang: str) -> None:
    fig.__dict__["helpers_lang"] = lang


def lang_of(fig) -> str:
    return str(fig.__dict__.get("helpers_lang", ""))


def set_title(fig, title: str) -> None:
    fig.__dict__["helpers_title"] = title


def title_of(fig) -> str:
    return str(fig.__dict__.get("helpers_title", ""))


def _say(key: str, lang: str, **fields: object) -> str:
    return words.say(f"chart_source.{key}", lang, **fields)


def _number(x: Fraction | None, divisor) -> str:
    """An interval end in the axis unit as a plain decimal (up to 12 significant digits); empty for an open end."""
    if x is None:
        return ""
    text = format(float(Fraction(x) / Fraction(divisor)), ".12g")
    return "0" if text == "-0" else text


def _kind(mark, lang: str) -> str:
    if mark.requirement:
        return _say("kind_required", lang)
    return _say("kind_derived" if mark.derived else "kind_printed", lang)


def _qualifier(mark, lang: str) -> str:
    """The qualifier's label as the legend gives it; empty for a required range and for a derived value that
    inherits none (it was not printed, so "as printed" would say the wrong thing)."""
    if mark.requirement or (mark.derived and mark.kind == "exact"):
        return ""
    return labels.QUALIFIER_LABELS[lang].get(mark.kind, mark.kind)


def _wheres(found: list[Printed], lang: str) -> str:
    """Where figures were printed, each place once: one section of the report by its number and title, several by
    their numbers (``the report, sections 2, 3 and 5``), other releases by title."""
    report = sorted({p.section for p in found if p.section is not None})
    parts = list(dict.fromkeys(p.where for p in found if p.section is None))
    if len(report) == 1:
        parts.insert(0, next(p.where for p in found if p.section == report[0]))
    elif report:
        numbers = [str(n) for n in report]
        listed = words.say("punct.list", lang).join(numbers[:-1]) + words.say("punct.last", lang) + numbers[-1]
        parts.insert(0, _say("in_sections", lang, ns=listed))
    return words.say("prose.and" if lang == "zh" else "punct.semicolon", lang).join(parts)


def _names(found: list[Drawn]) -> dict[int, str]:
    """The name each drawn mark goes by in the source line: its row where its own label is shared by the marks
    of several rows (a check's "recomputed"), else its label."""
    rows_of: dict[str, set[str]] = {}
    for d in found:
        rows_of.setdefault(d.mark.label, set()).add(d.row)
    return {id(d): (d.row if len(rows_of[d.mark.label]) > 1 else d.mark.label) for d in found}


def rows(fig) -> list[dict[str, str]]:
    """One row per mark drawn (:data:`COLUMNS`), in the chart's language."""
    lang = lang_of(fig)
    out = []
    for d in drawn(fig):
        m = d.mark
        out.append(
            {
                "row": d.row,
                "mark": m.label,
                "kind": _kind(m, lang),
                "qualifier": _qualifier(m, lang),
                "value": "" if m.requirement else _number(m.value, d.divisor),
                "low": _number(m.interval.lo, d.divisor),
                "high": _number(m.interval.hi, d.divisor),
                "unit": d.unit,
                "printed_in": words.say("prose.and", lang).join(dict.fromkeys(p.where for p in m.printed)),
                "figure_ids": ";".join(dict.fromkeys(p.id for p in m.printed)),
                "relation_id": m.relation,
            }
        )
    return out


def csv_bytes(fig) -> bytes:
    """The CSV of what ``fig`` draws (UTF-8 with a byte-order mark, ``\\n`` line ends); empty when nothing is drawn."""
    found = rows(fig)
    if not found:
        return b""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(found)
    return (BOM + buf.getvalue()).encode("utf-8")


def file_name(title: str) -> str:
    """The name a chart's CSV downloads under: its title without characters a file system refuses, ``.csv``."""
    name = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", title)
    name = re.sub(r"\s+", " ", name).strip(" .")[:80].strip(" .")
    return f"{name or FALLBACK_NAME}.csv"


#: Printed figures of one place a chart's source line names one by one; more than this, all of them rows of the chart,
#: are counted instead ("the 18 figures named on the chart's rows"): the names are on the rows and in the CSV.
LISTED = 8


def source_line(fig) -> str:
    """The sentence under a chart: which printed figures it draws and where they were printed (by name, or by count
    when more than :data:`LISTED` of one place are all rows of the chart), which values are derived from printed
    figures; empty when nothing is drawn."""
    lang = lang_of(fig)
    found = [d for d in drawn(fig) if not d.mark.requirement]
    if not found:
        return ""
    sep = _say("sep", lang)
    printed: dict[str, list[str]] = {}
    for d in found:
        if not d.mark.derived:
            for p in d.mark.printed:
                names = printed.setdefault(p.where, [])
                if p.name not in names:
                    names.append(p.name)
    quoted = lambda names: sep.join(words.say("quote.name", lang, name=n) for n in names)  # noqa: E731
    rows = {d.row for d in found} | {d.mark.label for d in found}
    parts = [
        _say("printed_rows", lang, where=where, n=len(names))
        if len(names) > LISTED and set(names) <= rows
        else _say("printed", lang, where=where, names=quoted(names))
        for where, names in printed.items()
    ]
    named = _names(found)
    derived = list(dict.fromkeys(named[id(d)] for d in found if d.mark.derived))
    if derived:
        inputs = [p for d in found if d.mark.derived for p in d.mark.printed]
        parts.append(
            _say(
                "derived_from" if inputs else "derived",
                lang,
                names=quoted(derived),
                where=_wheres(inputs, lang) if inputs else "",
            )
        )
    if lang == "en":  # each part after the first is a sentence of its own
        parts = parts[:1] + [p[0].upper() + p[1:] for p in parts[1:]]
    stop = words.say("punct.stop", lang)
    return _say("lead", lang) + (stop + words.say("punct.space", lang)).join(parts) + stop


def data_uri(data: bytes) -> str:
    """``data:text/csv;charset=utf-8;base64,…``: a link a browser downloads (with ``download``), from ``file://``
    too."""
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(data).decode("ascii")


def html(source: str, data: bytes, name: str, lang: str) -> str:
    """The line under a chart (inside its ``<figcaption>``): the source sentence and the link to its CSV."""
    if not source:
        return ""
    link = ""
    if data:
        link = (
            f' <a class="helpers-chart-data" download="{escape.text(name, "attribute")}" '
            f'href="{data_uri(data)}">{escape.text(_say("download", lang), "html")}</a>'
        )
    return f'<span class="helpers-chart-source">{escape.text(source, "html")}{link}</span>'


def columns_of(uri: str) -> list[str]:
    """The header of a chart's CSV from its ``data:`` link (the site's codebook reads what the pages offer)."""
    head, _, payload = uri.partition(",")
    if not head.endswith(";base64"):
        raise ValueError(f"a chart's data link is not base64: {head[:60]!r}")
    text = base64.b64decode(payload).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text)), [])
