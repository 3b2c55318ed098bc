"""The codebook page of each edition: every column of every CSV the site offers for download, described in the
page's language.

The columns are read from the files themselves (their header row), so a column added to a table without a
description fails the build naming the file and the column.  The CSV under each chart (a ``data:`` link in the
notebook's output, :mod:`helpers.reader.plots.sources`) is read the same way from the pages' notebooks: every column
any chart offers is described once, in a section of its own.  The descriptions are ``codebook.<file>.<column>`` in
``helpers/reader/words.csv`` (one home for every word a reader sees).
"""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

from helpers.reader import escape, words
from helpers.reader.plots import sources

#: A chart's CSV link in a notebook's HTML output (:func:`helpers.reader.plots.sources.html`).
_CHART_LINK = re.compile(r'<a class="helpers-chart-data" download="([^"]*)" href="(data:text/csv[^"]*)"')

#: The page's name in the site (codebook.md → codebook.html).
NAME = "codebook"


class CodebookError(ValueError):
    """A download whose columns cannot all be described."""


def columns(path: Path) -> list[str]:
    """The header row of a CSV download (UTF-8, with or without a byte-order mark)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), [])


def chart_tables(nb, name: str) -> dict[str, list[str]]:
    """The CSVs the charts of notebook ``nb`` offer (their ``data:`` links), by ``"<name>: <file>"``: each one's
    columns as the file holds them."""
    found: dict[str, list[str]] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html")
            text = "".join(text) if isinstance(text, list) else text or ""
            for file, uri in _CHART_LINK.findall(text):
                try:
                    found[f"{name}: {html.unescape(file)}"] = sources.columns_of(html.unescape(uri))
                except ValueError as e:
                    raise CodebookError(f"{name}: chart data {html.unescape(file)!r}: {e}") from e
    return found


def page(lang: str, downloads: list[Path], charts: dict[str, list[str]] | None = None) -> str:
    """The codebook in ``lang`` as Markdown: for each CSV of ``downloads``, what one row is and a table of its
    columns with their meaning; then the columns of the charts' CSVs (``charts``: :func:`chart_tables`), each column
    once.  A column without a description: :class:`CodebookError` naming file and column."""
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
    if charts:
        parts += [f"## {say('codebook.charts')}", "", say("codebook.file.chart"), ""]
        parts += [f"| {say('codebook.column')} | {say('codebook.meaning')} |", "|---|---|"]
        seen: dict[str, str] = {}
        for where, cols in charts.items():
            for column in cols:
                key = f"codebook.chart.{column}"
                if key not in known:
                    raise CodebookError(
                        f"{where}: chart data column {column!r} has no description ({key} in words.csv)"
                    )
                seen.setdefault(column, escape.markdown(say(key)))
        parts += [f"| `{column}` | {meaning} |" for column, meaning in seen.items()]
        parts.append("")
    return "\n".join(parts)
