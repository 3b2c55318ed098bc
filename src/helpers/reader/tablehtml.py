"""A display table as HTML that fits its column: every cell labelled with its heading, secondary columns on demand.

:func:`html` writes ``<table class="helpers-table">`` with a ``data-label`` (the column's heading) on every
cell, so that on a narrow screen the site's stylesheet shows each row as a card of "heading: value" lines
(every column of a row visible, the verdict of a check too) instead of a table wider than the screen.
Columns named ``secondary`` (a figure's value in base units and its qualifier) leave the main table for a
``<details>`` under it, which repeats the first column beside them: at hand, not crowding the table.  Every
cell is left-aligned (:data:`LEFT`), in JupyterLab too.
Every cell and heading is escaped here (:func:`helpers.reader.escape.text`, ``"html"``/``"attribute"``).
"""

from __future__ import annotations

import pandas as pd

from helpers.reader import escape

#: Every cell left-aligned where it is read: JupyterLab right-aligns table cells (its stylesheet, which an inline
#: style overrides); names and words read from the left, in Chinese as in English.
LEFT = ' style="text-align:left"'


#: A column whose every cell is at most this many characters (a period such as 2022年1-10月, a count, a verdict)
#: is marked ``helpers-short``: the site's stylesheet keeps such cells on one line, and the long ones wrap.
SHORT = 12
SHORT_CLASS = ' class="helpers-short"'


def _cell(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def table_html(frame: pd.DataFrame, columns: list) -> str:
    """``frame``'s ``columns`` as a table: headings in ``<thead>``, each cell with its heading as ``data-label``."""
    head = "".join(f"<th{LEFT}>{escape.text(c, 'html')}</th>" for c in columns)
    short = {c for c in columns if all(len(_cell(v)) <= SHORT for v in frame[c])}
    rows = []
    for row in frame[columns].itertuples(index=False, name=None):
        cells = "".join(
            f'<td{LEFT}{SHORT_CLASS if c in short else ""} data-label="{escape.text(c, "attribute")}">'
            f"{escape.text(_cell(v), 'html')}</td>"
            for c, v in zip(columns, row)
        )
        rows.append(f"<tr>{cells}</tr>")
    body = "\n".join(rows)
    return f'<table class="helpers-table">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'


def html(frame: pd.DataFrame, secondary: tuple = (), more: str = "", note: str = "") -> str:
    """The table without its ``secondary`` columns, then (when it has any) a ``<details>`` whose summary is ``more``
    holding the first column and the secondary ones, then ``note`` (a paragraph)."""
    columns = list(frame.columns)
    aside = [c for c in columns[1:] if c in secondary]
    out = table_html(frame, [c for c in columns if c not in aside])
    if aside:
        out += (
            f'\n<details class="helpers-more"><summary>{escape.text(more, "html")}</summary>\n'
            f"{table_html(frame, [columns[0], *aside])}\n</details>"
        )
    if note:
        out += f'\n<p class="table-note">{escape.text(note, "html")}</p>'
    return out
