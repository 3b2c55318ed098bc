"""A keyed real text cut down to its figures before it is committed: the project holds figures, indicator names,
section titles and offsets, never a publication's sentences.

    .venv/bin/python bench/redact.py TEXT [TEXT ...]     (each TEXT beside its TEXT's .key.csv; rewritten in place)

The text is read as the extractor reads it: in reading units (``helpers.drafting.extract.layout``: a paragraph
with the lines that continue it, across hard line wraps and photo captions), each split in clauses where the
extractor splits them (``reading.CLAUSE_BREAK``: ，。；：！？ , ; : ! ?).  A clause is kept as printed when it

- holds (part of) a span its key marks ``figure`` (the figure with the words that name it, its unit and its
  change),
- is a title: a paragraph of its own of at most ``HEADING`` characters, either one of the text's first lines
  with no clause break or a section heading as the extractor finds it,
- is a run-in heading: a sentence of one clause shorter than ``TOPIC`` characters that opens its paragraph (经济运行
  总体平稳。, which the extractor reads as the paragraph's topic) or is followed by a sentence with a figure (农业
  生产总体稳定。前三季度…: a section's headline inside a paragraph),
- lies on a line of a table (a line with ``|``: its indicator names, units and figures), or
- has at most ``LEAD_IN`` characters and leads, after a comma or colon, into a clause kept for a figure (其中,
  分产业看, 全市规模以上工业增加值按可比价格计算, 全县常住人口中: what ties the figure to the one before, or
  the indicator, basis or whole it is measured on).

In every other clause each letter and symbol becomes ``FILL`` (□, the mark Chinese editions print for a
character they cannot show), except the spans its key marks ``non_figure`` and ``NEIGHBOURS`` characters either
side of each (年, 第, 月: what tells a year or an ordinal from a figure), and the words that date a figure
(``lexicon.EVENT``: 上半年, 年末, 预计 …).  Punctuation and whitespace stay, so the extractor finds the same
paragraphs, clauses and headings, and every offset of the key, and of a package drafted from the text, is the
same in the cut text as in the publication.  Cutting is idempotent:
``tests/test_redacted_texts.py`` proves that every committed real text is already cut.
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from helpers.core.files import atomic_write
from helpers.drafting.extract import lexicon
from helpers.drafting.extract.layout import headings, paragraphs, reading_units
from helpers.drafting.extract.reading import CLAUSE_BREAK
from helpers.drafting.years import TITLE_LINES

FILL = "□"
HEADING = 24  # characters: the longest title kept (the extractor's headings are shorter)
TOPIC = 20  # characters: a one-clause sentence shorter than this can be a run-in heading
LEAD_IN = 24  # characters: a clause this short that leads into a figure's clause names it or its basis
LEADS = frozenset("，,：:")  # the breaks a lead-in clause ends with (within its sentence)
SENTENCE_ENDS = frozenset("。！？!?")
NEIGHBOURS = 2  # characters kept either side of a non-figure's digits


def key_spans(key_path: Path) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(figure spans, non-figure spans) of a hand key: rows with ``char_start``, ``char_end`` and ``kind``."""
    figures: list[tuple[int, int]] = []
    others: list[tuple[int, int]] = []
    with key_path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                span = (int(row["char_start"]), int(row["char_end"]))
            except (KeyError, TypeError, ValueError):
                raise SystemExit(f"{key_path}: row {n}: field char_start/char_end: not an integer offset") from None
            if row.get("kind") == "figure":
                figures.append(span)
            elif row.get("kind") == "non_figure":
                others.append(span)
            else:
                raise SystemExit(f"{key_path}: row {n}: field kind: {row.get('kind')!r} is not figure or non_figure")
    return figures, others


def titles(text: str) -> set[int]:
    """The start offsets of the paragraphs that title the text or a section: those of the first
    ``years.TITLE_LINES`` (where the extractor looks for the text's title) with no clause break, and each heading
    the extractor finds (``layout.headings``) with, for a two-line heading, its second line."""
    paras = paragraphs(text)
    starts = {p.start: k for k, p in enumerate(paras)}
    out = {p.start for p in paras[:TITLE_LINES] if not CLAUSE_BREAK.search(text, p.start, p.end)}
    for start in headings(text, paras):
        k = starts[start]
        out.add(start)
        if not paras[k].blank_after and k + 1 < len(paras):
            out.add(paras[k + 1].start)
    return out


class Clause(NamedTuple):
    """A clause of a reading unit: it can run across a hard line wrap, and skips the captions laid out inside it."""

    offsets: list[int]  # of its characters in the text
    title: bool  # a short title on a paragraph of its own
    then: str  # the break that ends it: a mark of CLAUSE_BREAK, or "" at the end of its reading unit
    first: bool  # the first clause of its reading unit
    opens: bool  # it opens a sentence (first, or after 。！？)


def clauses(text: str) -> list[Clause]:
    """The text's clauses, in reading order."""
    paras = paragraphs(text)
    title = titles(text)
    out: list[Clause] = []
    for unit in reading_units(text, paras):
        offsets = [i for k in unit for i in range(paras[k].start, paras[k].end)]
        alone = len(unit) == 1 and len(offsets) <= HEADING and paras[unit[0]].start in title
        joined = "".join(text[i] for i in offsets)
        start, opens = 0, True
        for m in [*CLAUSE_BREAK.finditer(joined), None]:
            stop = len(joined) if m is None else m.start()
            then = "" if m is None else m.group()
            if stop > start:
                out.append(Clause(offsets[start:stop], alone, then, start == 0, opens))
            start = stop if m is None else m.end()
            opens = then in SENTENCE_ENDS
    return out


def _fillable(char: str) -> bool:
    """A letter, digit or symbol: what a cut fills (punctuation and whitespace are kept)."""
    return unicodedata.category(char)[0] not in "PZC"


def redact(text: str, figures: list[tuple[int, int]], others: list[tuple[int, int]]) -> str:
    """``text`` with every character outside what the module keeps replaced by ``FILL``; same length."""
    chars = list(text)
    in_figure = {i for a, b in figures for i in range(a, b)}
    near_other = {i for a, b in others for i in range(a - NEIGHBOURS, b + NEIGHBOURS)}
    near_other.update(i for m in lexicon.EVENT.finditer(text) for i in range(*m.span()))
    table = {i for p in paragraphs(text) if "|" in text[p.start : p.end] for i in range(p.start, p.end)}
    cut = clauses(text)
    holds = [not in_figure.isdisjoint(c.offsets) for c in cut]
    sentence = list(accumulate((c.opens for c in cut), initial=-1))[1:]  # each clause's sentence, numbered
    sentence_holds = [False] * (sentence[-1] + 2 if cut else 1)
    for n, held in enumerate(holds):
        sentence_holds[sentence[n]] |= held
    for n, clause in enumerate(cut):
        body = "".join(text[i] for i in clause.offsets).strip()
        lead_in = len(body) <= LEAD_IN and clause.then in LEADS and n + 1 < len(cut) and holds[n + 1]
        headline = (
            clause.opens
            and clause.then == "。"
            and len(body) < TOPIC
            and (clause.first or sentence_holds[sentence[n] + 1])
        )
        if clause.title or lead_in or headline or holds[n] or not table.isdisjoint(clause.offsets):
            continue
        for i in clause.offsets:
            if i not in near_other and _fillable(chars[i]):
                chars[i] = FILL
    return "".join(chars)


def redact_file(text_path: Path) -> bool:
    """Cut ``text_path`` in place by its key (``NAME.key.csv`` beside it); True when it changed."""
    text = text_path.read_text(encoding="utf-8")
    figures, others = key_spans(text_path.with_name(text_path.name.removesuffix(".txt") + ".key.csv"))
    cut = redact(text, figures, others)
    if cut != text:
        atomic_write(text_path, cut)
    return cut != text


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    for name in args:
        changed = redact_file(Path(name))
        print(f"{name}: {'cut' if changed else 'already cut'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
