"""The package against the source article: hash, offsets, and every numeric token accounted for."""

from __future__ import annotations

import hashlib
import re

import pytest

from conftest import DATA, read_source, source_path
from helpers import package

pytestmark = pytest.mark.audit

#: A numeric token: a run of ASCII or full-width digits, with a decimal part.
NUMERIC_TOKEN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


@pytest.fixture(scope="module")
def pkg():
    return package.load(DATA)


def test_source_sha256_matches_the_package(pkg, source_text):
    digest = hashlib.sha256(source_path().read_bytes()).hexdigest()
    assert digest == pkg.source["sha256"]
    assert len(source_text) == pkg.source["code_points"]


def test_every_figure_offset_slices_its_printed_value(pkg, source_text):
    wrong = [(f.id, f.value, source_text[f.char_start:f.char_end]) for f in pkg.figures.itertuples()
             if source_text[f.char_start:f.char_end] != f.value]
    assert wrong == []


def test_every_non_figure_offset_slices_its_text(pkg, source_text):
    wrong = [(n.id, n.text, source_text[n.char_start:n.char_end]) for n in pkg.non_figures.itertuples()
             if source_text[n.char_start:n.char_end] != n.text]
    assert wrong == []


def test_every_numeric_token_is_a_figure_or_a_non_figure(pkg, source_text):
    spans = {(f.char_start, f.char_end) for f in pkg.figures.itertuples()}
    spans |= {(n.char_start, n.char_end) for n in pkg.non_figures.itertuples()}
    tokens = {m.span() for m in NUMERIC_TOKEN.finditer(source_text)}
    assert sorted(tokens - spans) == [], "numeric tokens not accounted for"
    assert sorted(spans - tokens) == [], "recorded spans that are not whole numeric tokens"


def test_figures_lie_inside_their_sections(pkg):
    bounds = {s.section: (s.char_start, s.char_end) for s in pkg.sections.itertuples()}
    outside = [f.id for f in pkg.figures.itertuples()
               if not bounds[f.section][0] <= f.char_start < bounds[f.section][1]]
    assert outside == []


def test_section_titles_are_at_their_offsets(pkg, source_text):
    wrong = [s.title_zh for s in pkg.sections.itertuples()
             if source_text[s.char_start:s.char_start + len(s.title_zh)] != s.title_zh]
    assert wrong == []


def test_missing_source_skips_with_its_path_outside_ci(tmp_path):
    with pytest.raises(pytest.skip.Exception, match=r"source article not found at .*absent\.txt; set REPORT_SOURCE"):
        read_source(tmp_path / "absent.txt", ci=False)


def test_missing_source_fails_under_ci(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="source article not found"):
        read_source(tmp_path / "absent.txt", ci=True)
