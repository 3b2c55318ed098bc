"""Notebook 06's claim boxes (helpers.reader.claims): one per check, the figures as printed, the arithmetic, the
verdict, and for a verdict other than "consistent" the likeliest explanation or "none found"."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import DATA
from helpers.core import checks
from helpers.reader import amounts, claims, labels, params, tables


@pytest.fixture(params=["zh", "en"])
def ctx(request):
    return params.setup(lang=request.param, data_dir=str(DATA))


def _found(ctx):
    return checks.check_all(tables.derived_values(ctx), ctx.package.figures, ctx.approx_tolerance)


def _boxes(text: str) -> list[str]:
    return [b for b in text.split("\n\n") if b.startswith("> ")]


def test_one_box_per_check_in_order_each_with_its_verdict(ctx):
    found = _found(ctx)
    out = claims.boxes(ctx)
    boxes = _boxes(out.text)
    assert len(boxes) == len(found) and out.findings == {c.id: c.status for c in found}
    for box, c in zip(boxes, found, strict=True):
        head = box.split("\n", 1)[0]
        assert f"**{labels.STATUS_LABELS[ctx.lang][c.status]}**" in head, head
        assert all(line.startswith(">") for line in box.split("\n"))  # one block quote: one box


def test_every_input_is_shown_as_printed_with_its_section(ctx):
    by_id = ctx.package.figures.set_index("id", drop=False)
    sections = ctx.package.sections.set_index("section")
    for box, c in zip(_boxes(claims.boxes(ctx).text), _found(ctx), strict=True):
        for i in c.inputs:
            row = by_id.loc[i]
            printed = amounts.printed_text(row["value"], row["unit_zh"], ctx.lang)
            assert printed.replace("[", "\\[") in box or printed in box, (i, box)
            assert str(sections.loc[int(row["section"]), f"title_{ctx.lang}"]) in box


def test_only_a_verdict_other_than_consistent_gets_an_explanation_line(ctx):
    for box, c in zip(_boxes(claims.boxes(ctx).text), _found(ctx), strict=True):
        lines = [line for line in box.split("\n") if line.strip() != ">"]
        assert len(lines) == (3 if c.status == "consistent" else 4), box


def test_the_calendar_check_names_its_likely_reason_and_a_broken_count_says_none_found(ctx):
    found = {c.id: c for c in _found(ctx)}
    bad = [i for i, c in found.items() if c.status == "inconsistent"]
    assert bad, "the package's inconsistent check is the one this test reads"
    boxes = dict(zip(found, _boxes(claims.boxes(ctx).text), strict=True))
    for i in bad:
        assert ("334" in boxes[i]) and ("天" in boxes[i] if ctx.lang == "zh" else "calendar days" in boxes[i])
    # a compliance rate that makes the count of compliant sections fractional: inconsistent, with no known reason
    figures = ctx.package.figures.copy()
    at = figures["id"] == "water_sections_compliance"
    figures.loc[at, "value"], figures.loc[at, "base_value"] = "50", 50.0
    broken = dataclasses.replace(ctx, package=dataclasses.replace(ctx.package, figures=figures))
    out = claims.boxes(broken)
    assert out.findings["water_sections_meeting_standard"] == "inconsistent"
    box = dict(zip(out.findings, _boxes(out.text), strict=True))["water_sections_meeting_standard"]
    assert box.rstrip().endswith("未找到。" if ctx.lang == "zh" else "none found.")


def test_a_bookkeeping_box_says_it_is_bookkeeping_and_a_finding_does_not(ctx):
    word = "记账核对" if ctx.lang == "zh" else "bookkeeping"
    found = _found(ctx)
    assert any(checks.is_bookkeeping(c) for c in found) and any(not checks.is_bookkeeping(c) for c in found)
    for box, c in zip(_boxes(claims.boxes(ctx).text), found, strict=True):
        assert (word in box.split("\n", 1)[0]) == checks.is_bookkeeping(c), box
