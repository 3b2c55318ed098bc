"""One home for every word a reader sees: words.csv and glossary.csv, read through helpers.reader.words."""

from __future__ import annotations

import ast
import csv
import io
import re
import string
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

import helpers
from helpers.core.langs import LANGS
from helpers.reader import words

SRC = Path(helpers.__file__).parent
WORDS_MODULE = SRC / "reader" / "words.py"


def raw_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("helpers.reader").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_file_has_its_columns_and_is_read_once():
    assert list(raw_rows(words.WORDS)[0]) == ["key", "zh", "en", "note"]
    assert words.table() is words.table()
    assert words.glossary() is words.glossary()


def test_no_key_appears_twice():
    counts = Counter(row["key"] for row in raw_rows(words.WORDS))
    assert [key for key, n in counts.items() if n > 1] == []


def test_keys_are_family_dot_name():
    bad = [row["key"] for row in raw_rows(words.WORDS) if not re.fullmatch(r"[a-z_]+\.\S(.*\S)?", row["key"])]
    assert bad == []


def test_every_text_is_in_both_languages_or_its_note_says_why_not():
    missing = [
        (key, lang) for key, row in words.table().items() for lang in LANGS if not row[lang] and not row["note"].strip()
    ]
    assert missing == []


def test_every_text_is_a_valid_template():
    for key, row in words.table().items():
        for lang in LANGS:
            try:
                fields(row[lang])
            except ValueError as e:
                pytest.fail(f"{key} ({lang}): {e}")


def test_both_languages_have_the_same_fields_unless_the_note_names_what_is_left_out():
    """A text empty in one language (its note says why) has no fields to match; otherwise a field only one
    language uses must be named in the note, ``{field}`` and all."""
    wrong = []
    for key, row in words.table().items():
        if not row["zh"] or not row["en"]:
            continue
        one_sided = fields(row["zh"]) ^ fields(row["en"])
        unexplained = [f for f in one_sided if f"{{{f}}}" not in row["note"]]
        if unexplained:
            wrong.append((key, sorted(unexplained)))
    assert wrong == []


def test_say_fills_the_fields():
    assert words.say("prose.no_period_many", "zh", n=3) == "未注明时期的数字有3个"
    assert words.say("prose.no_period_many", "en", n=3) == "3 figures state no period"
    assert words.say("status.cannot tell", "en") == "cannot tell"


def test_a_missing_field_is_named():
    with pytest.raises(KeyError, match="'n'"):
        words.say("prose.no_period_many", "en")


def test_a_missing_key_fails_naming_the_key_and_the_language():
    with pytest.raises(KeyError, match=r"status\.no_such_status.*'en'"):
        words.say("status.no_such_status", "en")
    with pytest.raises(KeyError, match=r"no_such_family\.\*.*'zh'"):
        words.family("no_such_family", "zh")


@pytest.mark.parametrize("call", [lambda: words.say("status.consistent", "fr"), lambda: words.family("status", "fr")])
def test_a_bad_language_fails_naming_it(call):
    with pytest.raises(ValueError, match="'fr'"):
        call()


def test_a_family_keeps_the_file_order():
    assert list(words.family("status", "en")) == ["consistent", "inconsistent", "cannot tell"]
    assert words.by_lang("status")["zh"]["consistent"] == "一致"


def test_pick_chooses_the_callers_text_and_checks_the_language():
    assert words.pick("en", zh="标题", en="Title") == "Title"
    with pytest.raises(ValueError, match="'fr'"):
        words.pick("fr", zh="标题", en="Title")
    with pytest.raises(KeyError, match="'en'"):
        words.pick("en", zh="标题")


def test_every_glossary_row_is_complete():
    rows = raw_rows(words.GLOSSARY)
    assert list(rows[0]) == ["term_zh", "term_en", "en", "zh"]
    assert [r for r in rows if not all(v.strip() for v in r.values())] == []
    assert len({r["term_zh"] for r in rows}) == len(rows)


# ---- the one home stays the one home ----------------------------------------------------------------------


def _is_text(node: ast.AST) -> bool:
    """A string literal, an f-string, or a literal container holding only those."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Dict):
        return bool(node.values) and all(_is_text(v) for v in node.values)
    if isinstance(node, (ast.Tuple, ast.List)):
        return bool(node.elts) and all(_is_text(e) for e in node.elts)
    return False


def bilingual_literals(tree: ast.AST) -> list[int]:
    """Lines of dict literals (or dict(zh=…, en=…) calls) that map "zh" and "en" to text."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            by_key = {k.value: v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant)}
            if {"zh", "en"} <= set(by_key) and _is_text(by_key["zh"]) and _is_text(by_key["en"]):
                found.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            by_name = {k.arg: k.value for k in node.keywords}
            if {"zh", "en"} <= set(by_name) and _is_text(by_name["zh"]) and _is_text(by_name["en"]):
                found.append(node.lineno)
    return found


def test_the_scan_finds_a_bilingual_table():
    assert bilingual_literals(ast.parse('X = {"zh": {"a": "甲"}, "en": {"a": "a"}}')) == [1]
    assert bilingual_literals(ast.parse('X = dict(zh="甲", en=f"{a}")')) == [1]
    assert bilingual_literals(ast.parse('WRAP = {"zh": 15, "en": 32}')) == []


def test_no_module_but_words_holds_a_table_of_zh_and_en_texts():
    found = {
        str(path.relative_to(SRC)): lines
        for path in sorted(SRC.rglob("*.py"))
        if path != WORDS_MODULE and (lines := bilingual_literals(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}


# ---- the vocabulary of units and measures, labelled in both languages -------------------------------------


def _schema_enum(field: str) -> list[str]:
    import json

    pkg = json.loads((Path(helpers.__file__).parents[2] / "data" / "datapackage.json").read_text(encoding="utf-8"))
    figures = next(r for r in pkg["resources"] if r["name"] == "figures")
    return next(f for f in figures["schema"]["fields"] if f["name"] == field)["constraints"]["enum"]


def test_every_measure_of_the_schema_and_the_drafter_has_a_label_in_both_languages():
    from helpers.drafting.extract import MEASURES

    assert set(_schema_enum("measure")) == set(MEASURES)  # one vocabulary
    for m in MEASURES:
        for lang in LANGS:
            assert words.say(f"measure.{m}", lang).strip(), (m, lang)
    assert "per person per month" not in words.say("measure.rate", "en")  # a rate is not always a 低保 standard


def test_every_printed_unit_has_a_meaning_in_both_languages():
    """Every unit the drafter and the loader know (元, 亩, 吨, 头, 户 …) says what it counts on an English page."""
    from helpers.core.units import UNITS

    for u in UNITS:
        for lang in LANGS:
            assert words.say(f"printed.{u}", lang).strip(), (u, lang)
        assert not re.search(r"[\u4e00-\u9fff]", words.say(f"printed.{u}", "en")), u


def test_every_base_unit_has_a_label_in_both_languages_and_count_says_why_it_has_none():
    from helpers.core.units import COUNTERS

    for b in _schema_enum("base_unit"):
        if b == "count":
            row = next(r for r in raw_rows("words.csv") if r["key"] == "unit.count")
            assert "indicator names what is counted" in row["note"]
            continue
        for lang in LANGS:
            assert words.say(f"unit.{b}", lang).strip(), (b, lang)
    for c in COUNTERS:  # a counter has an English noun, or a note that it only counts
        row = next(r for r in raw_rows("words.csv") if r["key"] == f"unit.{c}")
        assert row["zh"] == c and (row["en"] or "only counts" in row["note"]), row
