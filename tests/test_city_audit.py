"""data/jinan_2022 against the city's communiqué excerpt (from CITY_SOURCE): hash, offsets, every digit run."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys

import pytest

from conftest import DEFAULT_CITY_SOURCE, ROOT, city_source_path, read_city_source
from helpers.core import package

pytestmark = pytest.mark.audit

CITY = ROOT / "data" / "jinan_2022"
#: A run of digits with its decimal part (a figure's minus sign is not part of the run: see signed_span).
NUMERIC_TOKEN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


@pytest.fixture(scope="module")
def city():
    return package.load(CITY)


@pytest.fixture(scope="module")
def printed(city):
    """The figures of the communiqué excerpt (empty ``source``): those with offsets into it."""
    return city.figures[city.figures["source"].fillna("") == ""]


@pytest.fixture(scope="module")
def text() -> str:
    return read_city_source(city_source_path(), os.environ.get("CI") == "true")


def signed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The digit run of a figure's span: a leading minus sign (-1.9‰) is the figure's, not the run's."""
    return (start + 1, end) if text[start] == "-" else (start, end)


def test_city_source_sha256_and_length_match_the_package(city, text):
    assert hashlib.sha256(city_source_path().read_bytes()).hexdigest() == city.source["sha256"]
    assert len(text) == city.source["code_points"]


def test_city_source_path_in_the_descriptor_points_at_the_source(city):
    assert (CITY / city.source["path"]).resolve().name == DEFAULT_CITY_SOURCE.name


def test_every_city_figure_offset_slices_its_printed_value(printed, text):
    wrong = [
        (f.id, f.value, text[f.char_start : f.char_end])
        for f in printed.itertuples()
        if text[f.char_start : f.char_end] != f.value
    ]
    assert wrong == []


def test_every_city_non_figure_offset_slices_its_text(city, text):
    wrong = [
        (n.id, n.text, text[n.char_start : n.char_end])
        for n in city.non_figures.itertuples()
        if text[n.char_start : n.char_end] != n.text
    ]
    assert wrong == []


def test_every_digit_run_of_the_communique_is_a_figure_or_a_non_figure(city, printed, text):
    spans = {signed_span(text, f.char_start, f.char_end) for f in printed.itertuples()}
    spans |= {(n.char_start, n.char_end) for n in city.non_figures.itertuples()}
    tokens = {m.span() for m in NUMERIC_TOKEN.finditer(text)}
    assert sorted(tokens - spans) == [], "digit runs not accounted for"
    assert sorted(spans - tokens) == [], "recorded spans that are not whole digit runs"


def test_city_figures_lie_inside_their_sections(city, printed):
    bounds = {s.section: (s.char_start, s.char_end) for s in city.sections.itertuples()}
    outside = [f.id for f in printed.itertuples() if not bounds[f.section][0] <= f.char_start < bounds[f.section][1]]
    assert outside == []


def test_city_section_titles_are_at_their_offsets(city, text):
    wrong = [
        s.title_zh
        for s in city.sections.itertuples()
        if text[s.char_start : s.char_start + len(s.title_zh)] != s.title_zh
    ]
    assert wrong == []


def test_city_sections_tile_the_source(city, text):
    s = city.sections.sort_values("section")
    assert s["char_start"].iloc[0] == 0 and s["char_end"].iloc[-1] == len(text)
    assert list(s["char_start"].iloc[1:]) == list(s["char_end"].iloc[:-1])


def test_footnote_markers_are_the_digits_inside_brackets(city, text):
    markers = city.non_figures[city.non_figures["reason"] == "footnote_marker"]
    assert len(markers) == len(re.findall(r"\[[0-9]\]", text))
    assert all(text[n.char_start - 1] == "[" and text[n.char_end] == "]" for n in markers.itertuples())


def test_frictionless_validates_the_city_descriptor():
    out = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(CITY / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_city_schema_keeps_the_reports_fields():
    """Same schema as data/datapackage.json: the same resources with the same field names; figures adds source."""
    import json

    ours = {
        r["name"]: [f["name"] for f in r["schema"]["fields"]]
        for r in json.loads((CITY / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    }
    theirs = {
        r["name"]: [f["name"] for f in r["schema"]["fields"]]
        for r in json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    }
    assert {name: ours[name] for name in theirs if name != "figures"} == {
        n: f for n, f in theirs.items() if n != "figures"
    }
    assert set(ours) == set(theirs)
    assert ours["figures"] == theirs["figures"] + ["source"]


def test_only_the_figures_of_text_less_sources_lack_offsets(city, printed):
    """Every figure of the communiqué has both offsets; every other names a source without a path and has none."""
    assert printed["char_start"].notna().all() and printed["char_end"].notna().all()
    others = city.figures.drop(printed.index)
    sources = {s["id"]: s for s in city.sources}
    assert not others.empty
    assert others["char_start"].isna().all() and others["char_end"].isna().all()
    assert all("path" not in sources[sid] for sid in others["source"])
