"""One verdict: ``helpers run`` refuses, before executing anything, every package ``helpers validate`` refuses,
listing the same problems (sha256, offsets, vocabulary, blank names, dimensions of relations, glyphs)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json

import pytest

from helpers.__main__ import main as helpers_main
from helpers.build.verdict import verdict
from helpers.core import relations


def descriptor_of(district) -> dict:
    return json.loads((district / "datapackage.json").read_text(encoding="utf-8"))


def write_descriptor(district, descriptor) -> None:
    (district / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def wrong_sha256(district) -> str:
    d = descriptor_of(district)
    d["sources"][0]["sha256"] = "0" * 64
    write_descriptor(district, d)
    return "sha256"


def digit_changed_sha256_updated(district) -> str:
    source = district / "source.txt"
    text = source.read_text(encoding="utf-8").replace("50.5亿元", "58.5亿元")
    source.write_text(text, encoding="utf-8")
    d = descriptor_of(district)
    d["sources"][0]["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    write_descriptor(district, d)
    return "char_start"


def money_plus_count(district) -> str:
    path = district / "relations.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "money_and_firms,sum,1,park_revenue,new_high_tech_firms,,false,营收加企业,Revenue plus firms\n",
        encoding="utf-8",
    )
    return "money_and_firms"


def blank_required_name(district) -> str:
    path = district / "figures.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Park revenue", "   "),
        encoding="utf-8",
    )
    return "value required but blank"


def name_the_font_lacks(district) -> str:
    path = district / "figures.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Park revenue", "Park مرحبا 🎉"), encoding="utf-8")
    return "U+1F389"


DEFECTS = [wrong_sha256, digit_changed_sha256_updated, money_plus_count, blank_required_name, name_the_font_lacks]


def invoke(*argv) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = helpers_main([str(a) for a in argv])
    return code, err.getvalue()


def test_the_fixture_passes_both(district):
    assert verdict(district).errors == []


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda f: f.__name__)
def test_run_refuses_before_executing_what_validate_refuses(district, tmp_path, defect):
    named = defect(district)
    problems = [str(e) for e in verdict(district).errors]
    assert any(named in p for p in problems), problems
    code, err = invoke("validate", "--data-dir", district)
    assert code == 2 and named in err
    out = tmp_path / "out"
    code, err = invoke("run", "--data-dir", district, "--out", out, "--langs", "en")
    assert code == 2, err
    assert named in err and "fails validation" in err
    assert [p for p in problems if p not in err] == []  # the same list as validate's
    assert not (out / "site").exists() and not list(out.glob("notebooks*")), "something ran"


@pytest.mark.parametrize(
    "kind, x, y, named",
    [
        ("sum", ("CNY", "亿元"), ("count", "所"), "CNY with y in count"),
        ("sum", ("count", "家"), ("count", "所"), "count of 家 with a count of 所"),
        ("share_of_whole", ("CNY", "亿元"), ("m2", "亩"), "same unit"),
        ("prior_level", ("CNY", "亿元"), ("CNY", "亿元"), "y in percent"),
        ("usd_to_cny", ("CNY", "亿元"), None, "x in USD"),
        ("prior_share", ("percent", "%"), ("percent", "%"), "percentage_points"),
    ],
)
def test_a_relation_of_inputs_it_cannot_combine_is_named(kind, x, y, named):
    assert named in relations.dimension_problem(kind, x, y)


@pytest.mark.parametrize(
    "kind, x, y",
    [
        ("sum", ("CNY", "亿元"), ("CNY", "万元")),
        ("per_unit", ("CNY", "亿元"), ("count", "所")),
        ("prior_level", ("count", "万人"), ("percent", "%")),
        ("to_hectares", ("m2", "亩"), None),
    ],
)
def test_a_relation_of_inputs_it_can_combine_passes(kind, x, y):
    assert relations.dimension_problem(kind, x, y) is None
