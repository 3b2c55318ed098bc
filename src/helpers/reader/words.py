"""Every word a reader sees, in Chinese and English: read once from ``words.csv`` (and the glossary from
``glossary.csv``), and said through :func:`say`.

``words.csv`` has one row per key: ``key,zh,en,note`` (UTF-8).  A key is ``family.name`` (``status.consistent``,
``heading.period``, ``prose.overview``); a text may hold ``{fields}`` in :meth:`str.format` style, the same in
both languages.  A text that is empty in one language says why in its note (a measure word such as 个 has no
English name of its own: the indicator says what is counted).  Leading and trailing spaces are part of a text
(an English sentence that follows another starts with one).

``glossary.csv`` has one row per term: ``term_zh,term_en,en,zh`` (the explanation in each language).

* :func:`say` — one text in one language with its fields filled in;
* :func:`family` — the texts of one family as a dict (``family("status", "en")["consistent"]``), in file order;
* :func:`pick` — a text the caller holds in both languages (a notebook's chart title), chosen by language;
* :func:`glossary` — the glossary's rows.

A key that is missing fails naming the key and the language; a language that is not one of
:data:`helpers.core.langs.LANGS` fails naming it.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from helpers.core.langs import LANGS, check_lang

WORDS = "words.csv"
GLOSSARY = "glossary.csv"


class WordsError(KeyError):
    """A key that ``words.csv`` does not hold (the message names the key and the language)."""

    def __str__(self) -> str:  # KeyError's own str() would quote the whole message
        return str(self.args[0])


class Term(NamedTuple):
    """A glossary row: the term in Chinese and in English, and its explanation in each language."""

    term_zh: str
    term_en: str
    en: str
    zh: str


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("helpers.reader").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """Every row of ``words.csv`` by key: ``{"zh": …, "en": …, "note": …}``, in file order (read once).

    A key that appears twice is an error naming it.
    """
    rows: dict[str, dict[str, str]] = {}
    for line, row in enumerate(_read(WORDS), start=2):
        key = row["key"]
        if key in rows:
            raise ValueError(f"{WORDS}: line {line}: key {key!r} appears twice")
        rows[key] = {lang: row[lang] for lang in (*LANGS, "note")}
    return rows


def say(key: str, lang: str, **fields: object) -> str:
    """The text of ``key`` in ``lang`` with its ``{fields}`` filled in (a missing field is a KeyError naming it)."""
    check_lang(lang)
    row = table().get(key)
    if row is None:
        raise WordsError(f"{WORDS} has no key {key!r} (lang {lang!r})")
    return row[lang].format(**fields)


def family(name: str, lang: str) -> dict[str, str]:
    """The texts of the keys ``name.*`` in ``lang``, by the rest of their key, in file order (fields unfilled).

    A family without keys fails naming it and the language.
    """
    check_lang(lang)
    prefix = f"{name}."
    found = {key[len(prefix) :]: row[lang] for key, row in table().items() if key.startswith(prefix)}
    if not found:
        raise WordsError(f"{WORDS} has no key {prefix}* (lang {lang!r})")
    return found


def pick(lang: str, **texts: str) -> str:
    """The caller's own text in ``lang`` (``pick(lang, zh=title_zh, en=title_en)``): for texts a notebook or the
    data supplies in both languages, not words.csv's.  A text missing for ``lang`` fails naming it."""
    check_lang(lang)
    if lang not in texts:
        raise WordsError(f"no text in lang {lang!r} among {', '.join(texts) or 'none'}")
    return texts[lang]


def by_lang(name: str) -> dict[str, dict[str, str]]:
    """:func:`family` in every language: ``{"zh": {…}, "en": {…}}`` (the shape of the older label tables)."""
    return {lang: family(name, lang) for lang in LANGS}


@lru_cache(maxsize=1)
def glossary() -> tuple[Term, ...]:
    """The glossary's rows, in file order (read once)."""
    return tuple(Term(r["term_zh"], r["term_en"], r["en"], r["zh"]) for r in _read(GLOSSARY))
