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


def periods_mixed_without_leave(district) -> str:
    """A growth rate of another period than its level: finance_prior_year combines them without leave."""
    path = district / "figures.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace("2022-01/2022-09", "2022-01/2022-06")
    path.write_text("\n".join(lines), encoding="utf-8")
    return "relations.csv, row 1 (id 'finance_prior_year'), field 'allow_mixed_periods'"


def dollars_without_a_rate(district) -> str:
    path = district / "figures.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("80,亿元,8000000000,CNY", "80,亿美元,8000000000,USD"), encoding="utf-8"
    )
    return "field 'x_defaults.fx_usd_cny'"


def population_base_not_a_figure(district) -> str:
    d = descriptor_of(district)
    d["x_defaults"] = {"population": "residents_nowhere"}
    write_descriptor(district, d)
    return "field 'x_defaults.population': 'residents_nowhere' is not a figure id"


def placeholder_left(district) -> str:
    path = district / "figures.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Park revenue", "TO TRANSLATE: 园区"), encoding="utf-8")
    return "still marked 'TO TRANSLATE'"


DEFECTS = [
    wrong_sha256,
    digit_changed_sha256_updated,
    money_plus_count,
    blank_required_name,
    name_the_font_lacks,
    periods_mixed_without_leave,
    dollars_without_a_rate,
    population_base_not_a_figure,
    placeholder_left,
]


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


def test_mixed_periods_allowed_by_the_csv_field_pass(district):
    periods_mixed_without_leave(district)
    path = district / "relations.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("finance_value_added_yoy,,false", "finance_value_added_yoy,,true"),
        encoding="utf-8",
    )
    assert verdict(district).errors == []


def test_the_mixed_periods_message_names_the_csv_field_not_a_python_keyword(district):
    periods_mixed_without_leave(district)
    (problem,) = [str(e) for e in verdict(district).errors]
    assert "allow_mixed_periods field to true in relations.csv" in problem and "allow_mixed=" not in problem
    assert "finance_value_added 2022-01/2022-09" in problem and "finance_value_added_yoy 2022-01/2022-06" in problem


def test_dollars_with_the_package_rate_pass(district):
    dollars_without_a_rate(district)
    d = descriptor_of(district)
    d["x_defaults"] = {"fx_usd_cny": "7.0"}
    write_descriptor(district, d)
    assert verdict(district).errors == []


def test_a_rate_that_is_not_a_number_is_named(district):
    d = descriptor_of(district)
    d["x_defaults"] = {"fx_usd_cny": "seven"}
    write_descriptor(district, d)
    (problem,) = [str(e) for e in verdict(district).errors]
    assert "field 'x_defaults.fx_usd_cny'" in problem and "'seven'" in problem
