"""Tests for helpers.site: pages that load nothing remote, an index that escapes the data, and a real browser.

The browser test (marker ``browser``) drives Debian's headless Chromium through
playwright over ``file://``: it builds a site from the fixture notebooks and
the fictional district (whose section title is set to a <script> tag), or
checks the site in $SITE_DIR (``SITE_DIR=build/site pytest -m browser``).
Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from conftest import DISTRICT, ROOT
from helpers import package, site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "build" / "screenshots"
SCRIPT = "<script>alert(1)</script>"
# A 1x1 PNG.
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def executed(title="# 标题 Title", summary="第一段 **摘要**。", outputs=None):
    """An executed notebook with a title, a summary, a formula, and (by default) an image output."""
    nb = new_notebook(cells=[
        new_markdown_cell(f"{title}\n\n{summary}\n\nMore: $x^2$."),
        new_code_cell("show()", execution_count=1, outputs=outputs if outputs is not None else [
            new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})]),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return nb


GLOSSARY = pd.DataFrame({"term_zh": ["总投资"], "term_en": ["total investment"], "explanation": ["说明"]})


def district_with_section_title(tmp_path, title: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DISTRICT, data)
    sections = pd.read_csv(data / "sections.csv", dtype=str, keep_default_na=False)
    sections.loc[sections["section"] == "1", "title_zh"] = title
    sections.to_csv(data / "sections.csv", index=False, lineterminator="\n")
    return data


# ---- pages ----------------------------------------------------------------------------------------------


def test_stock_lab_template_would_load_scripts_from_a_cdn():
    """Why site.OFFLINE_TEMPLATE exists; and proof that external_references() sees it."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(executed())
    assert any(url.startswith("https://") for url in site.external_references(body))


def test_rendered_page_loads_nothing_from_the_network(tmp_path):
    page = site.render_notebook(executed(), tmp_path / "01_x.ipynb")
    assert site.external_references(page) == []
    assert not re.search(r"<(script|link)\b[^>]*\b(src|href)=[\"']?(https?:)?//", page, re.IGNORECASE)


def test_rendered_page_inlines_its_images(tmp_path):
    page = site.render_notebook(executed(), tmp_path / "01_x.ipynb")
    assert f'src="data:image/png;base64,{PNG}"' in page


def test_rendered_page_declares_utf8_and_its_language(tmp_path):
    page = site.render_notebook(executed(), tmp_path / "01_x.ipynb", lang="zh")
    assert '<meta charset="utf-8"' in page and '<html lang="zh">' in page
    assert '<html lang="en">' in site.render_notebook(executed(), tmp_path / "01_x.ipynb", lang="en")


def test_page_whose_output_loads_a_remote_script_is_refused_naming_the_notebook(tmp_path):
    remote = [new_output("display_data", data={"text/html": '<script src="https://cdn.example/x.js"></script>'})]
    with pytest.raises(site.SiteError, match=r"01_x\.ipynb.*https://cdn\.example/x\.js"):
        site.render_notebook(executed(outputs=remote), tmp_path / "01_x.ipynb")


def test_plain_links_to_other_sites_are_not_network_loads():
    assert site.external_references('<a href="https://example.org/">source</a>') == []


def test_css_url_to_another_host_is_a_network_load():
    assert site.external_references("<style>@font-face{src:url('https://fonts.example/a.woff')}</style>") \
        == ["https://fonts.example/a.woff"]


# ---- titles and summaries --------------------------------------------------------------------------------


def test_title_is_the_first_heading_of_the_first_markdown_cell():
    assert site.notebook_title(executed(title="# 00 · 概览 — Overview")) == "00 · 概览 — Overview"


def test_summary_is_the_first_paragraph_after_the_title():
    assert site.notebook_summary(executed(summary="第一段\n继续。\n\n第二段。")) == "第一段 继续。"


def test_summary_comes_from_the_next_markdown_cell_when_the_title_stands_alone():
    nb = executed(summary="")
    nb.cells[0].source = "# 标题"
    nb.cells.append(new_markdown_cell("## 小标题\n\n下一格的第一段。"))
    assert site.notebook_summary(nb) == "下一格的第一段。"


def test_summary_html_escapes_raw_html():
    html = site.inline_markdown('看 <img src=x onerror="alert(1)"> **粗**')
    assert "<img" not in html and "&lt;img" in html and "<strong>粗</strong>" in html


# ---- the index -------------------------------------------------------------------------------------------


def test_index_shows_a_script_tag_in_a_section_title_as_text(tmp_path):
    pkg = package.load(district_with_section_title(tmp_path, SCRIPT))
    page = site.render_index([], pkg, GLOSSARY, "zh")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page


def test_index_escapes_glossary_strings():
    pkg = package.load(DISTRICT)
    glossary = GLOSSARY.assign(explanation=['<img src=x onerror="alert(1)">'])
    assert "<img" not in site.render_index([], pkg, glossary, "en")


def test_index_declares_utf8_and_its_language():
    page = site.render_index([], package.load(DISTRICT), GLOSSARY, "en")
    assert '<meta charset="utf-8">' in page and '<html lang="en">' in page


# ---- publishing -----------------------------------------------------------------------------------------


def test_publish_replaces_the_site_and_leaves_no_old_copy(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "index.html").write_text("new")
    site.publish(tmp_path / "new", tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# ---- the browser ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    """$SITE_DIR, or a site built from the fixture notebooks with a <script> section title."""
    if os.environ.get("SITE_DIR"):
        path = Path(os.environ["SITE_DIR"]).resolve()
        assert (path / site.INDEX).is_file(), f"SITE_DIR={path} holds no {site.INDEX}"
        return path
    from test_run import FIXTURES, HELLO, TEXT, invoke

    root = tmp_path_factory.mktemp("browser")
    data = district_with_section_title(root, SCRIPT)
    code, _, stderr = invoke("--notebooks", FIXTURES / HELLO, FIXTURES / TEXT, "--out", root / "build",
                             "--data-dir", data)
    assert code == 0, stderr
    return root / "build" / "site"


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through playwright; missing: skip, except under CI=true where it fails."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} not found: install Debian's chromium (bash scripts/setup.sh --browser)"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as e:
            problem = f"playwright is not installed ({e})"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.mark.browser
def test_site_works_offline_in_a_real_browser(site_dir, chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    remote, problems, dialogs = [], [], []
    context.route(re.compile(r"^(https?|wss?)://"), lambda route: (remote.append(route.request.url), route.abort()))
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url[:80]} {r.failure}"))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    index = (site_dir / site.INDEX).as_uri()
    page.goto(index, wait_until="load")
    body = page.inner_text("body")
    assert re.search(r"[\u4e00-\u9fff]{2,}", body), "no Chinese text on the index"
    if not os.environ.get("SITE_DIR"):
        assert SCRIPT in body  # the section title shows as text ...

    # Follow every link to a local page, from the index and from each page reached (the back links too).
    images, seen, queue = [], {index}, [index]
    while queue:
        url = queue.pop(0)
        if url != page.url.split("#")[0]:
            page.goto(url, wait_until="load")
        assert page.title(), f"{url}: no title"
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        if url == index:
            assert any(link.startswith("file:") and link.split("#")[0] != index for link in links), \
                "the index links to no page"
        for link in links:
            target = link.split("#")[0]
            if target.startswith("file:") and target not in seen:
                seen.add(target)
                queue.append(target)
        images += [(url, *img) for img in page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => [i.src.slice(0, 40), i.complete, i.naturalWidth])")]
        page.screenshot(path=str(SCREENSHOTS / (Path(url).stem + ".png")), full_page=True)
    assert images, "no page shows an image"
    assert [img for img in images if not (img[2] and img[3] > 0)] == []
    assert dialogs == []  # ... and never runs
    assert remote == []
    assert problems == []
    context.close()
