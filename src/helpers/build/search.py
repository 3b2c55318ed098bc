"""Whole Chinese names for the site's search index: what a reader searches for, kept in one piece.

:func:`search_terms` reads the short texts of a notebook's HTML outputs (table cells, captions, alt texts) and
keeps the Chinese ones; the site adds them to jieba's dictionary so that 社会消费品零售总额 is found whole.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_CJK_TERM = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff0-9A-Za-z（）()·、]{2,40}$")


class _OutputTerms(HTMLParser):
    """The short texts of table cells, captions and alt texts: the names a reader searches for."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.terms: set[str] = set()
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th", "figcaption"):
            self._cell = []
        if tag == "img":
            self._add(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag):
        if tag in ("td", "th", "figcaption") and self._cell is not None:
            self._add("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def _add(self, text: str):
        text = text.strip()
        if _CJK_TERM.match(text) and re.search(r"[\u3400-\u9fff]", text):
            self.terms.add(text)


def search_terms(nb) -> set[str]:
    """Chinese names shown in ``nb``'s HTML outputs (table cells, captions, alt texts), whole words for the
    Chinese search index (jieba would otherwise cut 社会消费品零售总额 into pieces and never match it whole)."""
    finder = _OutputTerms()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html")
            if text:
                finder.feed(text if isinstance(text, str) else "".join(text))
    return finder.terms
