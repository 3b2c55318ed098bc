"""Search results with an excerpt from ``file://``: each page's text, handed to Sphinx's search without a fetch.

Sphinx 9's ``searchtools.js`` builds a result's excerpt (``Search.makeSearchSummary``: 240 characters around the
match, from the text of the page's ``[role="main"]``, or of the section its anchor names) from the page it
``fetch()``es; a page read from ``file://`` may not fetch another file, so the results had titles only.
:func:`write` puts each page's main text (its sections kept, with their ids, for anchored results; code and its
show/hide toggles, images, scripts and heading links left out) into ``searchtext.js`` beside ``search.html``,
loaded by a ``<script>`` tag of that page only (no other page gets heavier), and that script answers the search's
``fetch`` of a page of the edition from it; any other request goes to the browser's own ``fetch``.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

#: The script written beside each edition's search page.
NAME = "searchtext.js"
#: Pages that are not searched for their text.
SKIP = {"search.html", "genindex.html"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_DROPPED_TAGS = {"script", "style", "svg", "picture", "button", "template", "noscript", "summary"}
_DROPPED_CLASSES = {"headerlink", "cell_input", "site-downloads"}


class _MainText(HTMLParser):
    """The text of the page's ``role="main"`` element, as minimal HTML: ``<section id>`` kept, every other element
    reduced to its text (block ends as spaces), dropped elements left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._depth = 0  # open elements inside main (0: outside)
        self._drop = 0  # depth at which a dropped element opened (0: none)
        self._sections: list[bool] = []  # per open element inside main: was it a kept <section>

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        a = dict(attrs)
        if not self._depth:
            if a.get("role") == "main":
                self._depth = 1
                self._sections = [False]
            return
        self._depth += 1
        classes = set((a.get("class") or "").split())
        if not self._drop and (tag in _DROPPED_TAGS or classes & _DROPPED_CLASSES):
            self._drop = self._depth
        keep = not self._drop and tag == "section" and bool(a.get("id"))
        if keep:
            self.out.append(f'<section id="{html.escape(a["id"], quote=True)}">')
        self._sections.append(keep)

    def handle_endtag(self, tag):
        if not self._depth or tag in _VOID:
            return
        kept = self._sections.pop() if self._sections else False
        if kept:
            self.out.append("</section>")
        elif not self._drop:
            self.out.append(" ")
        if self._drop == self._depth:
            self._drop = 0
        self._depth -= 1

    def handle_data(self, data):
        if self._depth and not self._drop:
            self.out.append(html.escape(data, quote=False))


def main_text(page: str) -> str:
    """The searchable text of a page (its ``role="main"`` element) as minimal HTML for ``makeSearchSummary``."""
    parser = _MainText()
    parser.feed(page)
    parser.close()
    text = re.sub(r"\s+", " ", "".join(parser.out))
    return f'<div role="main">{text.strip()}</div>'


_SCRIPT = """// Each page's text for the search's excerpts (helpers.build.searchtext): from file:// a page may not fetch
// another, so the search's fetch of a page of this edition is answered from here.
(() => {
  const texts = %s;
  const own = window.fetch ? window.fetch.bind(window) : null;
  window.fetch = (resource, ...rest) => {
    const url = String(resource && resource.url ? resource.url : resource);
    const name = decodeURIComponent(url.split("#")[0].split("?")[0].replace(/^.*\\//, ""));
    if (Object.prototype.hasOwnProperty.call(texts, name))
      return Promise.resolve(new Response(texts[name], {headers: {"Content-Type": "text/html; charset=utf-8"}}));
    return own ? own(resource, ...rest) : Promise.reject(new TypeError("fetch is not available"));
  };
})();
"""

_TAG = f'<script src="{NAME}"></script>'


def write(edition: Path) -> int:
    """Write ``edition/searchtext.js`` from the edition's pages and load it from its ``search.html`` (before the
    search runs); the bytes written.  An edition without a search page gets nothing."""
    search = edition / "search.html"
    if not search.is_file():
        return 0
    texts = {
        p.name: main_text(p.read_text(encoding="utf-8")) for p in sorted(edition.glob("*.html")) if p.name not in SKIP
    }
    script = _SCRIPT % json.dumps(texts, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    data = script.encode("utf-8")
    (edition / NAME).write_bytes(data)
    page = search.read_text(encoding="utf-8")
    if _TAG not in page:
        page = page.replace("</head>", f"  {_TAG}\n</head>", 1)  # before searchtools.js runs (on DOMContentLoaded)
        search.write_text(page, encoding="utf-8")
    return len(data)
