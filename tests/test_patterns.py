"""A schema ``pattern`` cannot hang the validator: shapes that backtrack without bound are refused naming the
field, and a match is bounded in time (:mod:`helpers.core.patterns`)."""

from __future__ import annotations

import json

import pytest

from helpers.core import package, patterns


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|aa)*b", r"^(\w+\s?)*$", r"(x)\1", r"((ab)*)*"])
def test_a_pattern_that_can_backtrack_without_bound_is_refused(pattern):
    assert patterns.problem(pattern) is not None


@pytest.mark.parametrize(
    "pattern", [r"^-?[0-9]+(\.[0-9]+)?$", r"^[a-z][a-z0-9_]*$", r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$", r"(?:ab){2,}"]
)
def test_the_patterns_packages_use_are_allowed(pattern):
    assert patterns.problem(pattern) is None


def test_a_slow_match_stops_at_its_time_bound():
    with pytest.raises(patterns.PatternTimeout):  # polynomial backtracking: allowed shape, bounded time
        patterns.fullmatch(r"a*a*a*a*a*a*a*b", "a" * 5000, seconds=0.2)


def test_a_descriptor_with_a_catastrophic_pattern_is_refused_naming_the_field(district):
    path = district / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    figures = next(r for r in descriptor["resources"] if r["name"] == "figures")
    field = next(f for f in figures["schema"]["fields"] if f["name"] == "indicator_en")
    field.setdefault("constraints", {})["pattern"] = "(a+)+$"
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(package.PackageError) as caught:
        package.load(district)
    assert "(a+)+$" in str(caught.value) and "nested repeat" in str(caught.value)
    assert "indicator_en" in str(caught.value)
