"""A light site: what the theme ships that no reader loads is left out, and the two editions share their static files.

:func:`lighten` runs on a rendered site (``dest/<lang>/`` for each language) and:

* removes source maps (``*.map``) and the comments that point to them, and the theme's message catalogs
  (``_static/locales``: ``.po``/``.mo`` files Sphinx reads when it builds, never a browser);
* removes the FontAwesome script (1.5 MB of JavaScript for about ten icons) and its tag from every page: the
  icons the theme shows (search, light/dark, menu, contents, previous/next, back to top) are drawn by
  ``site.css`` as small masks in the text's colour, so each follows the theme's colours and weighs nothing;
* moves every static file that is byte-identical in all editions to ``dest/_static/`` and points each page's
  ``_static/…`` links at ``../_static/…``; what differs (the language's options and translations) stays in
  its edition.

:func:`weights` measures what it is for: the bytes of the whole site, of each page with everything the page
names that the site holds (stylesheets, scripts, images, fonts its stylesheets name), counted once each.
"""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

STATIC = "_static"
#: The icon script the theme loads on every page; its icons are drawn by site.css instead.
ICON_SCRIPT = "scripts/fontawesome.js"
SOURCE_MAP = re.compile(r"\n?(//# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)")
STATIC_LINK = re.compile(r'((?:href|src)=")(_static/[^"?#]+)')


def lighten(dest: Path, langs: list[str]) -> None:
    """Lighten the site in ``dest`` whose editions are ``dest/<lang>`` for each of ``langs`` (see the module)."""
    dest = Path(dest)
    for lang in langs:
        static = dest / lang / STATIC
        for path in [*static.rglob("*.map"), static / ICON_SCRIPT, *static.rglob("*.LICENSE.txt")]:
            path.unlink(missing_ok=True)
        shutil.rmtree(static / "locales", ignore_errors=True)
        for path in [*static.rglob("*.js"), *static.rglob("*.css")]:
            text = path.read_text(encoding="utf-8")
            if "sourceMappingURL" in text:
                path.write_text(SOURCE_MAP.sub("", text), encoding="utf-8")
    shared = dest / STATIC
    if shared.exists():
        shutil.rmtree(shared)
    first = dest / langs[0] / STATIC
    common = [
        p.relative_to(first)
        for p in sorted(first.rglob("*"))
        if p.is_file()
        and all(
            (dest / lang / STATIC / p.relative_to(first)).is_file()
            and filecmp.cmp(p, dest / lang / STATIC / p.relative_to(first), shallow=False)
            for lang in langs[1:]
        )
    ]
    for rel in common:
        (shared / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(first / rel, shared / rel)
        for lang in langs[1:]:
            (dest / lang / STATIC / rel).unlink()
    moved = {f"{STATIC}/{rel.as_posix()}" for rel in common}
    for lang in langs:
        for page in (dest / lang).glob("*.html"):
            text = page.read_text(encoding="utf-8")
            new = re.sub(r'<script[^>]*src="_static/' + re.escape(ICON_SCRIPT) + r'[^"]*"[^>]*></script>\n?', "", text)
            new = re.sub(r'<link[^>]*href="_static/' + re.escape(ICON_SCRIPT) + r'[^"]*"[^>]*>\n?', "", new)
            new = STATIC_LINK.sub(lambda m: m.group(1) + ("../" if m.group(2) in moved else "") + m.group(2), new)
            if new != text:
                page.write_text(new, encoding="utf-8")
        for folder in sorted((dest / lang / STATIC).rglob("*"), reverse=True):  # folders emptied by the move
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()


def _named(page: Path) -> set[Path]:
    """The files of the site that ``page`` (an HTML page or a stylesheet) names, and what those name in turn."""
    seen: set[Path] = set()
    todo = [page]
    while todo:
        current = todo.pop()
        text = current.read_text(encoding="utf-8", errors="replace")
        pattern = r'(?:href|src)="([^"#?]+)' if current.suffix == ".html" else r"url\(['\"]?([^'\")#?]+)"
        for ref in re.findall(pattern, text):
            if re.match(r"^[a-z]+:", ref) or ref.endswith(".html"):
                continue
            target = (current.parent / ref).resolve()
            if target.is_file() and target not in seen and target != page.resolve():
                seen.add(target)
                if target.suffix == ".css":
                    todo.append(target)
    return seen


def page_weight(page: Path) -> int:
    """The bytes of ``page`` and of every file of the site it names (stylesheets with what they name, scripts,
    images, fonts), each once; not the downloads it links to (``<a href>``, read only when asked)."""
    text = page.read_text(encoding="utf-8")
    linked = {(page.parent / a).resolve() for a in re.findall(r'<a [^>]*href="([^"#?]+)', text)}
    return page.stat().st_size + sum(p.stat().st_size for p in _named(page) - linked)


def weights(site: Path) -> dict[str, int]:
    """``{"site": bytes of every file, "<lang>/<page>.html": page_weight, …}`` for every page of every edition."""
    site = Path(site)
    out = {"site": sum(p.stat().st_size for p in site.rglob("*") if p.is_file())}
    for page in sorted(site.glob("*/*.html")):
        out[f"{page.parent.name}/{page.name}"] = page_weight(page)
    return out
