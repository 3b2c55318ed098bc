"""The journey on real texts nobody tuned on (tests/journey/): ``helpers new`` → the recorded curation → ``helpers
validate`` → ``helpers run``, and the draft scored against each text's hand key.

Each ``tests/journey/NAME.txt`` was keyed by hand (``NAME.key.csv``: every digit run, with value, unit, qualifier,
direction, period and indicator) and committed before any of the project's code ran on it, then cut to its figures
(``bench/redact.py``: the prose filled with □, offsets kept); ``sources.csv`` names each text's publication.  A text
with a curated package has its curation recorded in ``tests/journey/curation/NAME.json`` (``bench/curate.py``) and
the result committed in ``tests/packages/NAME/``.
The issue's targets: recall >= 99%, precision >= 98%, unit >= 97%, direction and period >= 97% of the figures
that print them, at most one hand edit per figure on average.  ``bench/journey.py`` prints the same scores.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, bench_module
from helpers.core import audit
from helpers.drafting import draft

JOURNEY = ROOT / "tests" / "journey"
PACKAGES = ROOT / "tests" / "packages"
DIGITS = re.compile(r"[0-9]+")
TARGETS = {"recall": 0.99, "precision": 0.98, "unit": 0.97, "direction": 0.97, "period": 0.97, "report_year": 1.0}


SOURCES = bench_module("journey").sources()
CURATED = sorted(p.stem for p in (JOURNEY / "curation").glob("*.json"))


def read_key(name: str) -> list[dict[str, str]]:
    with open(JOURNEY / name.replace(".txt", ".key.csv"), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("src", SOURCES, ids=lambda s: s["file"])
def test_every_key_covers_every_digit_run_and_slices_its_number(src):
    text = (JOURNEY / src["file"]).read_text(encoding="utf-8")
    covered = set()
    for k in read_key(src["file"]):
        a, b = int(k["char_start"]), int(k["char_end"])
        assert k["kind"] in ("figure", "non_figure"), k
        covered.update(range(a, b))
        if k["kind"] == "figure":
            assert Decimal(text[a:b]) == Decimal(k["value"]), k
            assert k["direction"] in ("", "up", "down") and k["qualifier"], k
    for m in DIGITS.finditer(text):
        assert set(range(*m.span())) <= covered, f"{src['file']}: digits {m.group()!r} at {m.start()} not in the key"
    for column in ("kind", "title", "publisher", "date", "address"):
        assert src[column], f"tests/journey/sources.csv: {src['file']}: field {column} is empty"


@pytest.mark.parametrize("src", SOURCES, ids=lambda s: s["file"])
def test_new_writes_a_draft_whose_every_year_the_text_prints(src, tmp_path):
    text = (JOURNEY / src["file"]).read_text(encoding="utf-8")
    result = draft.new(JOURNEY / src["file"], tmp_path / "draft")
    assert (tmp_path / "draft" / "figures.csv").is_file() and result.out == tmp_path / "draft"
    with open(tmp_path / "draft" / "figures.csv", encoding="utf-8", newline="") as fh:
        periods = [r["period"] for r in csv.DictReader(fh)]
    printed = set(re.findall(r"((?:19|20)[0-9]{2})年", text))
    drafted = {y for p in periods if not p.startswith("TO ") for y in re.findall(r"(?:19|20)[0-9]{2}", p)}
    assert drafted <= printed, f"{src['file']}: periods name {drafted - printed}, which the text does not print"


def test_the_drafts_meet_the_targets_against_the_hand_keys():
    per, total = bench_module("journey").score_all()
    rates = total.rates()
    print("\n" + "\n".join(total.confusion))
    assert total.invented == 0, total.confusion
    assert all(rates[m] is not None and rates[m] >= TARGETS[m] for m in TARGETS), rates


def curated(name: str, tmp_path: Path) -> tuple[Path, Path]:
    """(a fresh draft of the text, that draft with its recorded curation applied)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    spec = json.loads((JOURNEY / "curation" / f"{name}.json").read_text(encoding="utf-8"))
    draft.new(JOURNEY / f"{name}.txt", tmp_path / "draft", **spec.get("new", {}))
    out = bench_module("curate").apply(tmp_path / "draft", tmp_path / "curated", spec)
    return tmp_path / "draft", out


@pytest.mark.parametrize("name", CURATED)
def test_the_committed_package_is_the_draft_with_its_recorded_curation(name, tmp_path):
    _, out = curated(name, tmp_path)
    committed = PACKAGES / name
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in committed.iterdir())
    for path in committed.iterdir():
        assert (out / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{path}: not what the draft and tests/journey/curation/{name}.json give; re-record the curation "
            f"(bench/curate.py) or the package"
        )


@pytest.mark.parametrize("name", CURATED)
def test_the_curated_package_validates(name):
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "validate", "--data-dir", str(PACKAGES / name)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_draft_with_problems_does_not_validate_until_curated(tmp_path):
    draft_dir, _ = curated(CURATED[0], tmp_path)
    assert audit.audit(draft_dir).errors


def test_the_curations_take_at_most_one_edit_per_figure_on_average(tmp_path):
    count = bench_module("edits").count
    edits = figures = 0
    for name in CURATED:
        draft_dir, _ = curated(name, tmp_path / name)
        result = count(draft_dir, PACKAGES / name)
        edits, figures = edits + result["edits"], figures + result["figures"]
    assert figures and edits / figures <= 1.0, f"{edits} edits for {figures} figures"


def test_run_builds_the_site_of_a_curated_package_in_both_languages(tmp_path):
    name = "hunan_county_2021_communique"
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "run", "--data-dir", str(PACKAGES / name), "--out", str(tmp_path / "build")]
        + ["--langs", "zh,en", "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for lang in ("zh", "en"):
        assert (tmp_path / "build" / "site" / lang / "index.html").is_file()
    with open(tmp_path / "build" / "checks.csv", encoding="utf-8-sig", newline="") as fh:
        statuses = {r["status"] for r in csv.DictReader(fh)}
    assert statuses == {"consistent"}
    with open(PACKAGES / name / "figures.csv", encoding="utf-8", newline="") as fh:
        first = next(csv.DictReader(fh))
    page = (tmp_path / "build" / "site" / "en" / "01_section_1.html").read_text(encoding="utf-8")
    assert first["value"] in page and first["indicator_en"].split(" (")[0] in page
