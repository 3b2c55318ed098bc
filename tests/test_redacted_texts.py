"""bench/redact.py: a keyed real text keeps its figures, their names, titles and offsets, and loses its prose; every
real text the project commits (tests/realtext/, tests/journey/) is already cut.

The fixtures are sentences written for these tests."""

from __future__ import annotations

import csv

import pytest

from conftest import ROOT, bench_module

redact = bench_module("redact")
FILL = redact.FILL
KEYED = sorted(p for d in ("realtext", "journey") for p in (ROOT / "tests" / d).glob("*.txt"))


def cut(text: str, figures: tuple[str, ...] = (), others: tuple[str, ...] = ()) -> str:
    """``text`` cut with the first occurrence of each string of ``figures`` and ``others`` as its key."""

    def spans(strings: tuple[str, ...]) -> list[tuple[int, int]]:
        return [(text.index(s), text.index(s) + len(s)) for s in strings]

    return redact.redact(text, spans(figures), spans(others))


def write_keyed(tmp_path, text: str, rows: list[dict[str, str]]):
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    with open(tmp_path / "t.key.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["char_start", "char_end", "kind"])
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.mark.parametrize("path", KEYED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_committed_real_text_is_already_cut(path):
    text = path.read_text(encoding="utf-8")
    figures, others = redact.key_spans(path.with_name(path.stem + ".key.csv"))
    assert redact.redact(text, figures, others) == text, (
        f"{path}: holds prose a cut removes; run .venv/bin/python bench/redact.py {path.relative_to(ROOT)}"
    )


def test_a_sentence_without_figures_is_filled_with_its_punctuation_and_length_kept():
    text = "示例区经济运行简况\n\n示例区上下团结一心，砥砺奋进，开创了崭新局面，赢得了广泛赞誉。\n"
    out = cut(text)
    assert out == "示例区经济运行简况\n\n□□□□□□□□□，□□□□，□□□□□□□，□□□□□□□。\n" and len(out) == len(text)


def test_a_figures_clause_is_kept_and_the_prose_after_it_is_not():
    text = "示例区经济运行简况\n\n示例区生产总值比上年增长5.1%，发展态势持续向好，各项事业全面进步。\n"
    out = cut(text, figures=("5.1",))
    assert "示例区生产总值比上年增长5.1%，" in out
    assert "发展态势" not in out and "各项事业" not in out
    assert out.index("5.1") == text.index("5.1")


def test_a_clause_leading_into_a_figure_is_kept_but_not_across_a_full_stop():
    text = "示例区经济运行简况\n\n城乡居民收入按可比价计算，同比增长6.3%。\n"
    assert cut(text, figures=("6.3",)) == text
    text = "示例区经济运行简况\n\n全区社会大局保持和谐稳定并且人民安居乐业。同比增长6.3%。\n"
    out = cut(text, figures=("6.3",))
    assert "社会大局" not in out and out.endswith("同比增长6.3%。\n")


def test_a_text_ending_in_a_comma_is_cut():
    text = "示例区经济运行简况\n\n全区干部群众攻坚克难并且取得了显著的成效，"
    assert cut(text) == "示例区经济运行简况\n\n□□□□□□□□□□□□□□□□□□□□，"


def test_a_paragraphs_short_first_sentence_is_kept_as_its_topic():
    text = "示例区经济运行简况\n\n工业生产稳步回升。规上工业增加值增长7.2%。\n"
    assert cut(text, figures=("7.2",)) == text


def test_a_short_sentence_before_a_figure_is_kept_as_a_headline_and_one_after_is_not():
    text = "示例区经济运行简况\n\n工业增长较快。工业增加值增长9.1%。国际收支基本平衡。\n"
    out = cut(text, figures=("9.1",))
    assert out.startswith("示例区经济运行简况\n\n工业增长较快。工业增加值增长9.1%。")
    assert "国际收支" not in out


def test_a_non_figure_keeps_its_digits_and_two_neighbours_either_side():
    text = "示例区经济运行简况\n\n我们在2023年春天里迎来了许多美好的日子和新的希望。\n"
    out = cut(text, others=("2023",))
    at = text.index("2023")
    assert out[at - 3 : at + 7] == "□们在2023年春□"


def test_headings_titles_and_period_words_are_kept():
    text = "示例区经济运行简况\n\n一、综合\n\n上半年以来，全区干部群众攻坚克难，取得了显著成效。\n"
    out = cut(text)
    assert out.startswith("示例区经济运行简况\n\n一、综合\n\n上半年")
    assert "攻坚克难" not in out and "以来" not in out


def test_a_figures_clause_is_kept_across_a_hard_line_wrap():
    text = "示例区经济运行简况\n\n全年完成固定资产投资总\n额12.5亿元，比上年增长8.0%。\n"
    out = cut(text, figures=("12.5", "8.0"))
    assert out == text


def test_cutting_is_idempotent():
    text = "示例区经济运行简况\n\n示例区生产总值增长5.1%，在2023年春天里发展态势持续向好。\n"
    once = cut(text, figures=("5.1",), others=("2023",))
    assert cut(once, figures=("5.1",), others=("2023",)) == once


def test_redact_file_rewrites_in_place_once(tmp_path):
    text = "示例区经济运行简况\n\n示例区生产总值增长5.1%，各项事业稳步推进。\n"
    at = text.index("5.1")
    path = write_keyed(tmp_path, text, [{"char_start": at, "char_end": at + 3, "kind": "figure"}])
    assert redact.redact_file(path) is True
    assert path.read_text(encoding="utf-8") == "示例区经济运行简况\n\n示例区生产总值增长5.1%，□□□□□□□□。\n"
    assert redact.redact_file(path) is False


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"char_start": "x", "char_end": "3", "kind": "figure"}, "char_start/char_end"),
        ({"char_start": "0", "char_end": "3", "kind": "guess"}, "kind"),
    ],
)
def test_a_bad_key_row_names_the_file_row_and_field(tmp_path, row, field):
    path = write_keyed(tmp_path, "示例区生产总值增长5.1%。\n", [row])
    before = path.read_text(encoding="utf-8")
    with pytest.raises(SystemExit, match=rf"t\.key\.csv: row 2: field {field}"):
        redact.redact_file(path)
    assert path.read_text(encoding="utf-8") == before
