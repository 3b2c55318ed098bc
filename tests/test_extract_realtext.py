"""The extractor scored on real text: short excerpts of official publications in tests/realtext/ with hand-made keys.

Each ``NAME.txt`` has a key ``NAME.key.csv``: one row per digit run, ``kind`` figure (with value, unit_zh and
qualifier as a careful reader reads them) or non_figure (with a reason); the excerpt is committed cut to its figures
(``bench/redact.py``: the prose filled with □, offsets kept).  ``sources.csv`` names each excerpt's
publication, publisher, date and address, the year it describes, and its set: ``tuning`` (the extractor was
tuned on it) or ``held_out`` (scored, never tuned on).  The issue's targets: recall >= 99%, precision >= 98%,
unit agreement >= 97%, qualifier agreement >= 99%.  Run with ``-s`` to see the confusion.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from helpers.drafting.extract import extract_non_figures, extract_text, read_report

REALTEXT = Path(__file__).parent / "realtext"
TARGETS = {"recall": 0.99, "precision": 0.98, "unit": 0.97, "qualifier": 0.99}
DIGITS = re.compile(r"[0-9０-９]+")


def sources() -> list[dict[str, str]]:
    with open(REALTEXT / "sources.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_key(name: str) -> list[dict[str, str]]:
    with open(REALTEXT / name.replace(".txt", ".key.csv"), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class Score:
    """Counts over a set of excerpts, and every disagreement (the confusion)."""

    key: int = 0
    draft: int = 0
    matched: int = 0
    unit: int = 0
    qualifier: int = 0
    confusion: list[tuple[str, ...]] = field(default_factory=list)

    def rates(self) -> dict[str, float]:
        def rate(a: int, b: int) -> float:
            return a / b if b else 1.0

        return {
            "recall": rate(self.matched, self.key),
            "precision": rate(self.matched, self.draft),
            "unit": rate(self.unit, self.matched),
            "qualifier": rate(self.qualifier, self.matched),
        }

    def __str__(self) -> str:
        r = self.rates()
        head = (
            f"recall {r['recall']:.1%} ({self.matched}/{self.key})  precision {r['precision']:.1%} "
            f"({self.matched}/{self.draft})  unit {r['unit']:.1%} ({self.unit}/{self.matched})  "
            f"qualifier {r['qualifier']:.1%} ({self.qualifier}/{self.matched})"
        )
        return "\n".join([head, *("  " + " | ".join(c) for c in self.confusion)])


def score(sets: tuple[str, ...]) -> Score:
    total = Score()
    for src in sources():
        if src["set"] not in sets:
            continue
        name = src["file"]
        text = read_report(REALTEXT / name)
        key = read_key(name)
        figures = {(int(k["char_start"]), int(k["char_end"])): k for k in key if k["kind"] == "figure"}
        draft = extract_text(text, year=int(src["year"]))
        total.key += len(figures)
        total.draft += len(draft)
        seen = set()
        for r in draft.itertuples(index=False):
            span = (int(r.char_start), int(r.char_end))
            k = figures.get(span)
            if k is None or Decimal(k["value"]) != Decimal(r.value):
                total.confusion.append(("added", name, str(span), repr(r.printed), r.unit_zh))
                continue
            seen.add(span)
            total.matched += 1
            if k["unit_zh"] == r.unit_zh:
                total.unit += 1
            else:
                total.confusion.append(
                    ("unit", name, str(span), k["value"], f"key {k['unit_zh']!r}", f"draft {r.unit_zh!r}")
                )
            if k["qualifier"] == r.qualifier:
                total.qualifier += 1
            else:
                total.confusion.append(
                    ("qualifier", name, str(span), k["value"], f"key {k['qualifier']}", f"draft {r.qualifier}")
                )
        for span, k in figures.items():
            if span not in seen:
                total.confusion.append(("missed", name, str(span), k["value"], k["unit_zh"]))
    return total


@pytest.mark.parametrize("src", sources(), ids=lambda s: s["file"])
def test_every_key_covers_every_digit_run_and_slices_its_number(src):
    """The keys are complete: each digit run is a figure or a non-figure, and offsets slice the printed value."""
    text = read_report(REALTEXT / src["file"])
    key = read_key(src["file"])
    covered = set()
    for k in key:
        a, b = int(k["char_start"]), int(k["char_end"])
        assert k["kind"] in ("figure", "non_figure"), k
        covered.update(range(a, b))
        if k["kind"] == "figure":
            printed = text[a:b].translate(str.maketrans("０１２３４５６７８９", "0123456789"))
            assert Decimal(printed.replace(",", "").replace(" ", "").replace("·", ".")) == Decimal(k["value"]), k
    for m in DIGITS.finditer(text):
        assert set(range(*m.span())) <= covered, f"{src['file']}: digits {m.group()!r} at {m.start()} not in the key"
    for column in ("title", "publisher", "date", "address", "year"):
        assert src[column], f"sources.csv: {src['file']}: field {column} is empty"


def test_extractor_meets_the_targets_on_the_tuning_set():
    result = score(("tuning",))
    print("\ntuning set:", result, sep="\n")
    rates = result.rates()
    assert all(rates[m] >= TARGETS[m] for m in TARGETS), str(result)


def test_non_figures_of_the_tuning_texts_are_not_drafted():
    """Every digit run keyed as a non-figure is left out of the draft and listed in the non-figures draft
    (on the held-out texts the misses count against precision in the scores above)."""
    for src in sources():
        if src["set"] != "tuning":
            continue
        text = read_report(REALTEXT / src["file"])
        year = int(src["year"])
        nf = {
            (int(a), int(b))
            for a, b in zip(
                extract_non_figures(text, year=year)["char_start"], extract_non_figures(text, year=year)["char_end"]
            )
        }
        draft = extract_text(text, year=year)
        drafted = set(zip(draft["char_start"], draft["char_end"]))
        for k in read_key(src["file"]):
            if k["kind"] == "non_figure":
                span = (int(k["char_start"]), int(k["char_end"]))
                assert span not in drafted, (src["file"], k)
                assert span in nf, (src["file"], k)


def held_out_score() -> Score:
    """The score on the held-out excerpts; skipped, saying why, when there is none (a held-out set moves to tuning
    once it has been scored and tuned on, until a new one is keyed)."""
    if not any(src["set"] == "held_out" for src in sources()):
        pytest.skip("tests/realtext/sources.csv: no excerpt has set held_out (the last one was tuned on)")
    return score(("held_out",))


def test_held_out_meets_every_target():
    result = held_out_score()
    print("\nheld-out set:", result, sep="\n")
    rates = result.rates()
    assert all(rates[m] >= TARGETS[m] for m in TARGETS), str(result)
