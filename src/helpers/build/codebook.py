"""The codebook page of each edition: every column of every CSV the site offers for download, described in the
page's language.

The columns are read from the files themselves (their header row), so a column added to a table without a
description fails the build naming the file and the column; the descriptions are ``codebook.<file>.<column>`` in
``helpers/reader/words.csv`` (one home for every word a reader sees).
"""

from __future__ import annotations

import csv
from pathlib import Path

from helpers.reader import escape, words

#: The page's name in the site (codebook.md → codebook.html).
NAME = "codebook"


class CodebookError(ValueError):
    """A download whose columns cannot all be described."""


def columns(path: Path) -> list[str]:
    """The header row of a CSV download (UTF-8, with or without a byte-order mark)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), [])


def page(lang: str, downloads: list[Path]) -> str:
    """The codebook in ``lang`` as Markdown: for each CSV of ``downloads``, what one row is and a table of its
    columns with their meaning.  A column without a description: :class:`CodebookError` naming file and column."""
    known = words.table()
    say = lambda key: words.say(key, lang)  # noqa: E731
    parts = [f"# {say('codebook.title')}", "", say("codebook.intro"), ""]
    for path in (p for p in downloads if p.suffix == ".csv"):
        stem = path.stem
        parts += [f"## {stem}.csv", ""]
        if f"codebook.file.{stem}" in known:
            parts += [say(f"codebook.file.{stem}"), ""]
        parts += [f"| {say('codebook.column')} | {say('codebook.meaning')} |", "|---|---|"]
        for column in columns(path):
            key = f"codebook.{stem}.{column}"
            if key not in known:
                raise CodebookError(f"{path}: column {column!r} has no description ({key} in words.csv)")
            meaning = escape.markdown(say(key))  # escapes | too: the cell stays one cell
            parts.append(f"| `{column}` | {meaning} |")
        parts.append("")
    return "\n".join(parts)
