"""Words a reader sees, by family: zh/en labels for headings, kinds, statuses and measures, and the glossary.

Every word lives in :mod:`helpers.reader.words` (``words.csv``, ``glossary.csv``); the tables here are views of
its families in the shape notebooks and tests have used (``STATUS_LABELS["en"]["consistent"]``).  The glossary's
explanations are this project's own words, in English and Chinese.
"""

from __future__ import annotations

import pandas as pd

from helpers.core.langs import check_lang
from helpers.reader import words

#: Column headings and other interface words, by language.
HEADINGS = words.by_lang("heading")
#: The extractor's scores (07_extract), by language.
SCORE_LABELS = words.by_lang("score")
#: Kinds of disagreement between the extractor's draft and the curated package.
CONFUSION_LABELS = words.by_lang("confusion")
#: Words that stand for parameters and calendar quantities in relation formulas.
FORMULA_WORDS = words.by_lang("formula")
QUALIFIER_LABELS = words.by_lang("qualifier")
MEASURE_LABELS = words.by_lang("measure")
STATUS_LABELS = words.by_lang("status")
KIND_LABELS = words.by_lang("kind")
#: Sentences helpers put on a page, by language; ``{name}`` fields are filled from the data.
SENTENCES = words.by_lang("sentence")

#: (Chinese term, English term, explanation in English, explanation in Chinese) — in this project's own words.
GLOSSARY: list[tuple[str, str, str, str]] = [(t.term_zh, t.term_en, t.en, t.zh) for t in words.glossary()]


def sentence(key: str, lang: str, **fields: object) -> str:
    """A sentence in ``lang`` with its fields filled in (a missing field is a KeyError naming it)."""
    return words.say(f"sentence.{key}", lang, **fields)


def heading(key: str, lang: str) -> str:
    """A column heading or interface word in ``lang``."""
    return words.say(f"heading.{key}", lang)


def glossary_frame(lang: str) -> pd.DataFrame:
    """The glossary: columns term_zh, term_en and explanation (a line in ``lang``)."""
    check_lang(lang)
    return pd.DataFrame(
        [(t.term_zh, t.term_en, getattr(t, lang)) for t in words.glossary()],
        columns=["term_zh", "term_en", "explanation"],
    )
