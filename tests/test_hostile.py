"""A package's strings are text on every page: hostile names in every text field of a package, rendered.

The fictional district (tests/fixtures/district) with markup in every text field a reader sees that the audit
does not tie to the source text (indicator and topic names, English titles, subtitles, relation labels, the
package's and the source's titles and publisher).  The sentences of helpers.reader.prose, walk and within go
through MyST's Markdown parser here (no tag, link, image or math comes out), and the generic walkthroughs are
built by ``python -m helpers run`` in both languages and read in Chromium: no dialog opens, no script element
or handler attribute comes from the package, and each hostile string is shown literally.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from test_site import chromium  # noqa: F401  (the browser, shared with the site's tests)

from conftest import DISTRICT, ROOT
from helpers.reader import escape

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "[x](javascript:alert(3))",
    "$\\alpha$",
    "*bold*",
]
#: Text fields a reader sees that the audit does not compare with the source text (title_zh is printed there).
TEXT_FIELDS = {
    "figures.csv": ["topic_zh", "topic_en", "indicator_zh", "indicator_en"],
    "sections.csv": ["title_en", "subtitle_zh", "subtitle_en"],
    "relations.csv": ["label_zh", "label_en"],
}


def hostile_package(target: Path) -> Path:
    """A copy of the district whose every reader-visible text field carries one of :data:`HOSTILE` (in turn)."""
    shutil.copytree(DISTRICT, target)
    n = 0
    for name, fields in TEXT_FIELDS.items():
        path = target / name
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
            header = list(rows[0].keys())
        for row in rows:
            for f in fields:
                row[f] = f"{row[f] or 'x'} {HOSTILE[n % len(HOSTILE)]}"
                n += 1
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["title"] = f"Package {HOSTILE[0]}"
    descriptor["sources"][0]["title"] = f"{descriptor['sources'][0]['title']} {HOSTILE[1]}"
    descriptor["sources"][0]["publisher"] = f"Publisher {HOSTILE[2]}"
    (target / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def rendered(markdown: str) -> str:
    """Markdown as the site renders it (MyST's parser, raw HTML allowed as on the site)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(), RendererHTML).render(markdown)


def markup_in(html: str) -> list[str]:
    """What a hostile string would have become markup as: a tag, a link, emphasis or math."""
    found = re.findall(r"<(?:img|script|a|math)\b[^>]*>|<em>bold</em>", html)
    return [f for f in found if re.search(r"onerror|script|javascript|<math|bold", f)]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_package_string_escaped_for_markdown_renders_as_its_own_text(hostile):
    html = rendered(f"The figure «{escape.markdown(hostile)}» is *here*.")
    assert markup_in(html) == []
    assert "<em>here</em>" in html  # the sentence's own emphasis stays
    from html import unescape

    assert hostile in unescape(re.sub(r"<[^>]+>", "", html))


def test_an_unknown_format_is_refused_by_name():
    with pytest.raises(ValueError, match="'latex'"):
        escape.text("x", "latex")


def test_sentences_about_a_hostile_package_hold_no_markup(tmp_path):
    from helpers.reader import params, prose, walk

    pkg = hostile_package(tmp_path / "hostile")
    for lang in ("zh", "en"):
        ctx = params.setup(data_dir=str(pkg), lang=lang)
        texts = [
            walk.title(ctx),
            walk.overview(ctx),
            walk.consistency(ctx),
            prose.overview(ctx),
            prose.check_findings(ctx),
            prose.approximate(ctx),
            prose.fastest_growth(ctx),
            prose.plan_completion(ctx),
            prose.periods_summary(ctx),
            *(prose.bound_rule(ctx, r) for r in ctx.package.relations["id"]),
        ]
        for section in sorted({int(s) for s in ctx.package.figures["section"]}):
            texts += [
                walk.section_heading(ctx, section),
                walk.section_summary(ctx, section),
                walk.section_extremes(ctx, section),
            ]
        bad = {t.text: markup_in(rendered(t._repr_markdown_())) for t in texts}
        assert {k: v for k, v in bad.items() if v} == {}, lang
        shown = " ".join(t.text for t in texts)
        assert any(escape.markdown(h) in shown for h in HOSTILE), lang


# ---- in the browser: the generic walkthroughs of the hostile package, both languages -------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    pkg = hostile_package(tmp / "hostile")
    out = tmp / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "helpers", "run", "--data-dir", str(pkg), "--out", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out / "site"


PAGE_MARKUP = """() => ({
  scripts: Array.from(document.querySelectorAll('script')).map(s => (s.src || '') + ' ' + s.textContent)
      .filter(t => /alert\\(/.test(t)),
  handlers: Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)
      .filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name + '=' + a.value)),
  js_links: Array.from(document.querySelectorAll('[href], [src]'))
      .map(e => e.getAttribute('href') || e.getAttribute('src')).filter(u => /^\\s*javascript:/i.test(u)),
  math: document.querySelectorAll('math, .math, mjx-container').length,
  text: document.body.innerText,
})"""


@pytest.mark.browser
def test_hostile_names_run_no_script_and_show_as_text_in_both_languages(chromium, hostile_site):  # noqa: F811
    root = hostile_site.resolve()
    page = chromium.context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    seen: dict[str, dict] = {}
    queue = [(root / lang / "index.html").as_uri() for lang in ("zh", "en")]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        page.goto(url, wait_until="load")
        seen[url] = page.evaluate(PAGE_MARKUP)
        for link in page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"):
            target = link.split("#")[0]
            path = Path(unquote(urlsplit(target).path))
            if target.startswith("file:") and target.endswith(".html") and path.resolve().is_relative_to(root):
                if path.name not in ("genindex.html", "search.html"):
                    queue.append(target)
    page.close()
    walkthroughs = [u for u in seen if re.search(r"/(zh|en)/\d\d_", u)]
    assert {"zh", "en"} == {re.search(r"/(zh|en)/", u).group(1) for u in walkthroughs}
    assert dialogs == []
    for url, facts in seen.items():
        assert (facts["scripts"], facts["handlers"], facts["js_links"], facts["math"]) == ([], [], [], 0), url
    for lang in ("zh", "en"):
        text = " ".join(f["text"] for u, f in seen.items() if f"/{lang}/" in u)
        assert [h for h in HOSTILE if h not in text] == [], lang
