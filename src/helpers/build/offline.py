"""What a page would fetch from another host: the check that keeps the reader's site offline.

:func:`external_loads` reads an HTML page (sources of scripts, images, frames and media, stylesheet, icon and
preload links, the url()/@import of its <style> elements and style attributes), :func:`css_loads` a stylesheet,
and :func:`site_external_loads` every page and stylesheet of a built site.  A URL is remote when it names a host
(http:, https:, protocol-relative //host); data: and file: URLs, plain links and displayed text are not loads.

May import: the standard library only.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# Attributes through which an element makes the browser fetch something (plain <a href> is navigation).
_FETCHING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "link": ("href",),
}
_LINK_FETCHES = {
    "stylesheet",
    "icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "apple-touch-icon",
    "shortcut",
    "dns-prefetch",
    "preconnect",
}
_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_LOADS = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)|@import\s+(["'])([^"']+)\3""", re.IGNORECASE)


def _remote(url: str) -> bool:
    """True for a URL that leaves the machine (http:, https:, protocol-relative //host; not data: or file:)."""
    return bool(_REMOTE.match(url)) and not url.strip().lower().startswith("file:")


def css_loads(css: str) -> list[str]:
    """Remote URLs that a stylesheet would fetch: ``url(...)`` and ``@import``."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found = [m.group(2) or m.group(4) for m in _CSS_LOADS.finditer(css)]
    return [url.strip() for url in found if _remote(url)]


class _LoadFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        names = _FETCHING.get(tag, ())
        if tag == "link" and not (set(attrs.get("rel", "").lower().split()) & _LINK_FETCHES):
            names = ()
        for name in names:
            value = attrs.get(name, "")
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
            self.found += [url for url in urls if url and _remote(url)]
        if "style" in attrs:
            self.found += css_loads(attrs["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:  # only a <style> element's text is CSS; any other text is what the page shows
            self.found += css_loads(data)


def external_loads(page: str) -> list[str]:
    """URLs on other hosts that an HTML page would fetch: the sources of scripts, images, frames, media,
    stylesheet/icon/preload links, and the url()/@import of its <style> elements and style attributes.

    Text the page displays (a table cell quoting ``url(https://...)``) and plain
    links are not loads.
    """
    finder = _LoadFinder()
    finder.feed(page)
    finder.close()
    return finder.found


def site_external_loads(root: Path) -> list[tuple[str, str]]:
    """(file, URL) for every remote load in the HTML pages and stylesheets under ``root``."""
    found = []
    for path in sorted(Path(root).rglob("*")):
        if path.suffix == ".html":
            found += [(str(path.relative_to(root)), url) for url in external_loads(path.read_text("utf-8"))]
        elif path.suffix == ".css":
            found += [(str(path.relative_to(root)), url) for url in css_loads(path.read_text("utf-8"))]
    return found
