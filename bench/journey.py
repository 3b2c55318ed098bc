"""The draft scored against hand keys on the journey set (tests/journey/), and the hand edits left to curate it.

    .venv/bin/python bench/journey.py [--record FIRST_SIGHT.csv]

For each text of ``tests/journey/sources.csv`` it drafts a package exactly as a user would (``helpers new TEXT``,
no ``--year``) and compares the draft's ``figures.csv`` with the text's hand key (``NAME.key.csv``, written before any
of the project's code ran on the text).  A drafted figure matches a key figure when both sit at the same offsets and
hold the same value.  Over the matched figures:

- recall = matched / key figures; precision = matched / drafted figures;
- unit, qualifier: the share of matched figures whose ``unit_zh`` / ``qualifier`` equals the key's;
- direction: the share of matched figures the key gives a direction (up, down) whose drafted direction is the same;
- period: the share of matched figures the key gives a period whose drafted period spans the same days
  (``2021`` is ``2021-01/2021-12``); a drafted period (other than one left to fill in) where the key has none is an
  invented period, counted apart;
- report year: whether the draft read the year the text describes (the key's ``year`` column; empty when the text
  prints none, and then the draft must leave it unknown);
- edits per figure: where a curated package of the text is committed (``tests/packages/NAME/``), the hand edits
  between the draft and it (``bench/edits.py``), divided by its figures; the draft is made with the options its
  recorded curation names (``tests/journey/curation/NAME.json``, ``new``: ``--year`` for a text without one).

It prints a Markdown section (per text and overall) with the first-sight scores (``bench/journey_first_sight.csv``,
recorded once before the drafter was changed for this set) next to the current ones; ``--record`` writes the
current overall scores to a file of that form (``measure,value,note``) instead.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JOURNEY = ROOT / "tests" / "journey"
PACKAGES = ROOT / "tests" / "packages"
FIRST_SIGHT = ROOT / "bench" / "journey_first_sight.csv"
MEASURES = ("recall", "precision", "unit", "qualifier", "direction", "period", "report_year", "edits_per_figure")
TARGETS = {
    "recall": ">= 99%",
    "precision": ">= 98%",
    "unit": ">= 97%",
    "direction": ">= 97%",
    "period": ">= 97%",
    "edits_per_figure": "<= 1",
}


def _edits():
    spec = importlib.util.spec_from_file_location("bench_edits", ROOT / "bench" / "edits.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sources() -> list[dict[str, str]]:
    with open(JOURNEY / "sources.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class Score:
    """Counts over one text or the whole set, and every disagreement (the confusion)."""

    key: int = 0
    draft: int = 0
    matched: int = 0
    unit: int = 0
    qualifier: int = 0
    directions: int = 0
    direction: int = 0
    periods: int = 0
    period: int = 0
    invented: int = 0
    texts: int = 0
    years: int = 0
    edits: int = 0
    curated: int = 0
    confusion: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            if name != "confusion":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.confusion += other.confusion

    def rates(self) -> dict[str, float | None]:
        def rate(a: int, b: int) -> float | None:
            return a / b if b else None

        return {
            "recall": rate(self.matched, self.key),
            "precision": rate(self.matched, self.draft),
            "unit": rate(self.unit, self.matched),
            "qualifier": rate(self.qualifier, self.matched),
            "direction": rate(self.direction, self.directions),
            "period": rate(self.period, self.periods),
            "report_year": rate(self.years, self.texts),
            "edits_per_figure": rate(self.edits, self.curated),
        }


def score_text(src: dict[str, str], draft_dir: Path) -> Score:
    """Score the draft in ``draft_dir`` (``helpers new`` of ``src``'s text) against the text's key."""
    import json

    same = _edits()._same
    name = src["file"]
    key = read_csv(JOURNEY / name.replace(".txt", ".key.csv"))
    figures = {(int(k["char_start"]), int(k["char_end"])): k for k in key if k["kind"] == "figure"}
    drafted = read_csv(draft_dir / "figures.csv")
    s = Score(key=len(figures), draft=len(drafted), texts=1)
    descriptor = json.loads((draft_dir / "datapackage.json").read_text(encoding="utf-8"))
    year = descriptor.get("x_report_year")
    drafted_year = "" if str(year).startswith("TO FILL") else str(year or "")
    if drafted_year == src["year"]:
        s.years = 1
    else:
        s.confusion.append(f"report year | {name} | key {src['year'] or '(none)'} | draft {year}")
    seen = set()
    for r in drafted:
        span = (int(r["char_start"]), int(r["char_end"]))
        k = figures.get(span)
        if k is None or Decimal(k["value"]) != Decimal(r["value"]):
            s.confusion.append(f"added | {name} | {span} | {r['value']} {r['unit_zh']}")
            continue
        seen.add(span)
        s.matched += 1
        where = f"{name} | {span} | {k['value']}"
        if k["unit_zh"] == r["unit_zh"]:
            s.unit += 1
        else:
            s.confusion.append(f"unit | {where} | key {k['unit_zh']!r} | draft {r['unit_zh']!r}")
        if k["qualifier"] == r["qualifier"]:
            s.qualifier += 1
        else:
            s.confusion.append(f"qualifier | {where} | key {k['qualifier']} | draft {r['qualifier']}")
        if k["direction"]:
            s.directions += 1
            if r.get("direction", "") == k["direction"]:
                s.direction += 1
            else:
                s.confusion.append(f"direction | {where} | key {k['direction']} | draft {r.get('direction', '')!r}")
        period = r.get("period", "")
        if k["period"]:
            s.periods += 1
            if same(period, k["period"], "period"):
                s.period += 1
            else:
                s.confusion.append(f"period | {where} | key {k['period']} | draft {period!r}")
        elif period and not period.startswith("TO FILL"):
            s.invented += 1
            s.confusion.append(f"invented period | {where} | draft {period!r}")
    for span, k in figures.items():
        if span not in seen:
            s.confusion.append(f"missed | {name} | {span} | {k['value']} {k['unit_zh']}")
    curated = PACKAGES / Path(name).stem
    curation = JOURNEY / "curation" / f"{Path(name).stem}.json"
    if (curated / "figures.csv").is_file() and curation.is_file():
        options = json.loads(curation.read_text(encoding="utf-8")).get("new", {})
        if options:  # the curator drafted again with options (--year): count the edits from that draft
            from helpers.drafting import draft

            draft_dir = draft_dir.with_name(draft_dir.name + "_curated_from")
            draft.new(JOURNEY / name, draft_dir, **options)
        result = _edits().count(draft_dir, curated)
        s.edits, s.curated = result["edits"], result["figures"]
    return s


def score_all() -> tuple[dict[str, Score], Score]:
    """Draft every text of the set into a temporary folder and score it: (per text, overall)."""
    from helpers.drafting import draft

    per, total = {}, Score()
    with tempfile.TemporaryDirectory() as tmp:
        for src in sources():
            out = Path(tmp) / Path(src["file"]).stem
            draft.new(JOURNEY / src["file"], out)
            per[src["file"]] = score_text(src, out)
            total.add(per[src["file"]])
    return per, total


def _pct(x: float | None, measure: str) -> str:
    if x is None:
        return "–"
    return f"{x:.2f}" if measure == "edits_per_figure" else f"{x:.1%}"


def first_sight() -> dict[str, str]:
    if not FIRST_SIGHT.is_file():
        return {}
    return {r["measure"]: r["value"] for r in read_csv(FIRST_SIGHT)}


def markdown(per: dict[str, Score], total: Score) -> str:
    rates = total.rates()
    first = first_sight()
    lines = [
        "## Drafts of new texts (tests/journey/)",
        "",
        f"{len(per)} real texts nobody had tuned on, each keyed by hand before the drafter ran on it "
        f"({total.key} figures); `helpers new TEXT` without `--year`, scored by `bench/journey.py`. First sight: "
        "the draft of these texts before any change made for them (recorded once, `bench/journey_first_sight.csv`; "
        "its edits per figure were counted from that revision's drafts once the curated packages existed).",
        "",
        "| measure | first sight | now | target |",
        "| --- | ---: | ---: | --- |",
    ]
    for m in MEASURES:
        lines.append(f"| {m.replace('_', ' ')} | {first.get(m, '–')} | {_pct(rates[m], m)} | {TARGETS.get(m, '')} |")
    lines += [
        "",
        f"Invented periods (a drafted period where the text prints none): {total.invented}.",
        "",
        "| text | figures | recall | precision | unit | qualifier | direction | period | year | edits/figure |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for name, s in per.items():
        r = s.rates()
        lines.append(
            f"| {name} | {s.key} | "
            + " | ".join(_pct(r[m], m) for m in MEASURES[:6])
            + f" | {'yes' if s.years else 'no'} | {_pct(r['edits_per_figure'], 'edits_per_figure')} |"
        )
    if total.confusion:
        lines += ["", "Disagreements left:", ""] + [f"- {c}" for c in total.confusion]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--record", help="write the overall scores (measure, value) to this CSV instead of printing")
    args = p.parse_args(argv)
    per, total = score_all()
    if args.record:
        rates = total.rates()
        with open(args.record, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["measure", "value", "note"])
            w.writerows([m, _pct(rates[m], m), "recorded by bench/journey.py --record"] for m in MEASURES)
        return 0
    print(markdown(per, total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
