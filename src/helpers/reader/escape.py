"""How a string from a data package reaches a page: as text, never as markup (the one escaping boundary).

A package is data: an indicator name, a section title, a relation label, a unit or a source's title is
shown as the characters it holds, whatever it holds (``<script>``, ``[x](javascript:…)``, ``$\\alpha$``,
``*bold*``).  :func:`text` escapes such a string for the format it lands in:

* ``"markdown"`` — a sentence of :mod:`helpers.reader.prose`, ``walk`` or ``within`` (MyST Markdown on the
  site, Markdown in JupyterLab): every character Markdown, MyST or HTML could read as markup is
  backslash-escaped (CommonMark's escape of ASCII punctuation) and a line break becomes a space, so a name
  can neither open a tag, a link, a role, math or emphasis, nor start a block;
* ``"html"`` — a table's note or a caption (element text), and ``"attribute"`` — alt text (an attribute's
  value): ``&``, ``<``, ``>`` and both quotes as entities (a table's cells and headings too, in
  :mod:`helpers.reader.tablehtml`);
* ``"mathtext"`` and ``"svg"`` — a chart's labels: returned as they are, because the charts' theme
  (:func:`helpers.reader.plots.grammar.pyplot`) turns mathtext off (``text.parse_math``) and draws text as
  paths (``svg.fonttype = "path"``), so no label becomes math or SVG markup; the formats are named here so
  that every caller says where its string goes.

The computed parts of a sentence (numbers, intervals, words of ``words.csv``) are the helpers' own and are
not escaped; only what a package supplies is.
"""

from __future__ import annotations

import html as _html

#: The characters a package string must not bring into Markdown as markup (CommonMark escapes any ASCII
#: punctuation with a backslash; these are the ones that open a tag, an entity, a link, an image, code, math,
#: emphasis, a table cell, a strike-through, a MyST role or substitution, or a heading).  Ordinary names
#: (parentheses, hyphens, apostrophes, colons) are left as they are, so a sentence reads the same in a terminal.
MARKDOWN_SPECIAL = frozenset("\\`*_{}[]<>#!|$~&")
FORMATS = ("markdown", "html", "attribute", "mathtext", "svg")


def text(value: object, fmt: str) -> str:
    """``value`` (a package's string; anything else is shown as ``str(value)``) escaped for ``fmt``."""
    s = "" if value is None else str(value)
    if fmt == "markdown":
        s = " ".join(s.splitlines()) if ("\n" in s or "\r" in s) else s
        return "".join(f"\\{c}" if c in MARKDOWN_SPECIAL else c for c in s)
    if fmt in ("html", "attribute"):
        return _html.escape(s, quote=True)
    if fmt in ("mathtext", "svg"):
        return s
    raise ValueError(f"escape.text: unknown format {fmt!r}; known: {', '.join(FORMATS)}")


def markdown(value: object) -> str:
    """``text(value, "markdown")``: a package string inside a Markdown sentence."""
    return text(value, "markdown")
