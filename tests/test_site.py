"""Tests for helpers.build.site: the Sphinx site of both languages, read as files and as a person reads it in Chromium.

Two sites are built in the test session (into tmp_path, never the work tree):
the *fixture* site from tests/fixtures/site/{zh,en} (two small fictional
notebooks with lang-zh/lang-en pairs, executed once per language), and the
*collection* site from copies of the committed notebooks, whose stored
outputs are already executed (their prose is being made bilingual on another
branch, so only structure is checked on them).

The browser tests (marker ``browser``) drive Debian's headless Chromium
through playwright over ``file://`` with every request that would leave the
machine aborted and recorded; screenshots at 1280 and 390 px go to tmp_path.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import zipfile
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_output

from conftest import DATA, ROOT
from helpers.build import offline, site

FIXTURE = ROOT / "tests" / "fixtures" / "site"
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 20_000
FIGURE = {"zh": "社会消费品零售总额", "en": "Retail sales of consumer goods"}  # named in the fixture's table
PARAMETERS = {"fx_usd_cny": 6.7261, "population": "grid_residents"}
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def fixture_notebooks(root: Path = FIXTURE) -> dict[str, list[Path]]:
    return {lang: sorted((root / lang).glob("*.ipynb")) for lang in ("zh", "en")}


def tables(tmp: Path) -> list[Path]:
    """derived.csv, checks.csv, figures.csv as a run writes them (small stand-ins for the first two)."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "derived.csv").write_text("id,value\nd1,1\n", encoding="utf-8")
    (tmp / "checks.csv").write_text("id,status\nc1,consistent\n", encoding="utf-8")
    shutil.copyfile(DATA / "figures.csv", tmp / "figures.csv")
    return [tmp / "derived.csv", tmp / "checks.csv", tmp / "figures.csv"]


def build(tmp: Path, executed: dict[str, list[Path]], **kwargs) -> SimpleNamespace:
    dest, work = tmp / "site", tmp / "work"
    dest.mkdir(parents=True)
    downloads = kwargs.pop("downloads", None)
    downloads = tables(tmp / "tables") if downloads is None else downloads
    written = site.render(executed, dest, work_dir=work, downloads=downloads, **kwargs)
    return SimpleNamespace(dest=dest, work=work, written=written, executed=executed, downloads=downloads)


def copy_fixture(tmp: Path) -> dict[str, list[Path]]:
    shutil.copytree(FIXTURE, tmp / "notebooks", ignore=shutil.ignore_patterns("*.py"))
    return fixture_notebooks(tmp / "notebooks")


def page(built, lang: str, name: str) -> str:
    return (built.dest / lang / f"{name}.html").read_text(encoding="utf-8")


def notebook_pages(built, lang: str) -> list[Path]:
    return [built.dest / lang / f"{p.stem}.html" for p in built.executed[lang]]


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("fixture-site"), fixture_notebooks(), parameters=PARAMETERS)


@pytest.fixture(scope="module")
def collection_site(tmp_path_factory):
    """The main job on the committed collection and data/ (``python -m helpers run``): both languages' pages,
    each from the notebooks executed in that language."""
    from helpers.build import publish, run

    out = tmp_path_factory.mktemp("collection-site") / "build"
    assert run.main(["--out", str(out), "--jobs", "2"]) == run.EXIT_OK
    executed = {lang: sorted((out / "notebooks" / lang).glob("*.ipynb")) for lang in ("zh", "en")}
    downloads = [out / "derived.csv", out / "checks.csv", out / "figures.csv"]
    return SimpleNamespace(
        dest=out / "site", work=out / publish.CACHE_NAME / "site", written=None, executed=executed, downloads=downloads
    )


# ---- what a language's page keeps ------------------------------------------------------------------------


def tags_of(nb) -> list[set[str]]:
    return [set(c.metadata.get("tags", [])) for c in nb.cells]


@pytest.mark.parametrize("lang,other", [("zh", "en"), ("en", "zh")])
def test_page_drops_the_other_language_and_the_parameter_cells(lang, other):
    nb = nbformat.read(FIXTURE / lang / "01_retail.ipynb", as_version=4)
    prepared = site.prepare_notebook(nb, lang)
    assert not [t for t in tags_of(prepared) if t & {f"lang-{other}", "parameters", "injected-parameters"}]
    kept = [c.source for c in prepared.cells if f"lang-{lang}" in c.metadata.get("tags", [])]
    assert kept == [c.source for c in nb.cells if f"lang-{lang}" in c.metadata.get("tags", [])] and kept


def test_untagged_markdown_stays_on_both_languages_pages():
    nb = nbformat.read(FIXTURE / "zh" / "02_checks.ipynb", as_version=4)
    nb.cells.append(new_markdown_cell("共用 shared"))
    assert all(site.prepare_notebook(nb, lang).cells[-1].source == "共用 shared" for lang in ("zh", "en"))


def test_every_code_cell_is_folded_away():
    prepared = site.prepare_notebook(nbformat.read(FIXTURE / "en" / "01_retail.ipynb", as_version=4), "en")
    code = [c for c in prepared.cells if c.cell_type == "code"]
    assert code and all("hide-input" in c.metadata["tags"] for c in code)


def test_folded_code_is_one_click_away_on_the_page(fixture_site):
    html = page(fixture_site, "en", "01_retail")
    cells = re.findall(r'<div class="cell ([^"]*)"', html)
    assert cells and all("tag_hide-input" in c for c in cells)
    assert html.count('<details class="admonition hide above-input">') == len(cells)


def test_an_image_output_takes_its_alt_text_from_its_text_repr(tmp_path):
    executed = copy_fixture(tmp_path)
    png = re.search(r"base64,([^\"]+)", executed["en"][0].read_text(encoding="utf-8")).group(1)
    nb = nbformat.read(executed["en"][1], as_version=4)
    nb.cells[-1].outputs = [
        new_output("display_data", data={"image/png": png, "text/plain": "Two bars: 320 and 150"}),
        new_output("display_data", data={"image/png": png, "text/plain": "<Figure size 4x2>"}),
    ]
    nbformat.write(nb, executed["en"][1])
    html = page(build(tmp_path, {"en": executed["en"]}), "en", "02_checks")
    assert html.count('alt="Two bars: 320 and 150"') == 0  # two images in one cell: whose would it be?
    nb.cells[-1].outputs = nb.cells[-1].outputs[:1]
    nbformat.write(nb, executed["en"][1])
    shutil.rmtree(tmp_path / "site")
    html = page(build(tmp_path, {"en": executed["en"]}), "en", "02_checks")
    assert html.count('alt="Two bars: 320 and 150"') == 1 and 'alt="&lt;Figure' not in html


def test_unknown_language_is_refused(tmp_path):
    with pytest.raises(site.SiteError, match="'fr'"):
        site.render({"fr": fixture_notebooks()["en"]}, tmp_path, work_dir=tmp_path / "work")


# ---- the two sites and their links -------------------------------------------------------------------------


@pytest.mark.parametrize("lang,tag", [("zh", "zh-CN"), ("en", "en")])
def test_every_page_declares_its_language(fixture_site, lang, tag):
    pages = sorted((fixture_site.dest / lang).glob("*.html"))
    assert len(pages) >= 3
    assert [p.name for p in pages if f'<html lang="{tag}"' not in p.read_text(encoding="utf-8")] == []


@pytest.mark.parametrize("lang,other", [("zh", "en"), ("en", "zh")])
def test_every_page_links_to_the_same_page_in_the_other_language(fixture_site, lang, other):
    for path in [*notebook_pages(fixture_site, lang), fixture_site.dest / lang / "index.html"]:
        assert f'href="../{other}/{path.name}"' in path.read_text(encoding="utf-8"), path.name
        assert (fixture_site.dest / other / path.name).is_file()


def test_landing_page_leads_to_both_languages(fixture_site):
    html = (fixture_site.dest / "index.html").read_text(encoding="utf-8")
    assert 'href="zh/index.html"' in html and 'href="en/index.html"' in html


def test_home_page_lists_every_notebook_in_reading_order(fixture_site):
    html = page(fixture_site, "zh", "index")
    positions = [html.find(f'href="{p.stem}.html"') for p in fixture_site.executed["zh"]]
    assert -1 not in positions and positions == sorted(positions)


def test_markdown_link_to_another_notebook_resolves_to_its_page(fixture_site):
    assert 'href="02_checks.html"' in page(fixture_site, "zh", "01_retail")
    assert 'href="01_retail.html"' in page(fixture_site, "en", "02_checks")


def test_downloads_are_copied_into_each_site_and_linked_from_every_page(fixture_site):
    """The tables are copied as they are; each executed notebook is offered zipped (alone, under its own name, the
    same bytes), so that it downloads from file:// (test_downloads_from_file_are_downloads)."""
    for lang in ("zh", "en"):
        for source in fixture_site.downloads:
            assert (fixture_site.dest / lang / "downloads" / source.name).read_bytes() == source.read_bytes()
        for source in fixture_site.executed[lang]:
            with zipfile.ZipFile(fixture_site.dest / lang / "downloads" / f"{source.name}.zip") as z:
                assert z.namelist() == [source.name]
                assert z.read(source.name) == source.read_bytes()
        for path in notebook_pages(fixture_site, lang):
            html = path.read_text(encoding="utf-8")
            wanted = [f"downloads/{path.stem}.ipynb.zip", *(f"downloads/{p.name}" for p in fixture_site.downloads)]
            assert [w for w in wanted if f'href="{w}"' not in html] == [], path.name


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_downloads_from_file_are_downloads_not_navigations(chromium, collection_site, lang):
    """From file:// a click on the notebook's link and on each chart's CSV link yields a download (Chromium opens an
    .ipynb link as JSON text there, whatever its download attribute: hence the zip), and the page stays."""
    from helpers.reader.plots import sources

    path = collection_site.dest / lang / "03_new_vitality.html"
    page = chromium.context.new_page()
    page.goto(path.resolve().as_uri(), wait_until="load")
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    with page.expect_download() as notebook:
        page.click("nav.site-downloads a[href$='03_new_vitality.ipynb.zip']")
    with zipfile.ZipFile(notebook.value.path()) as z:
        executed = next(p for p in collection_site.executed[lang] if p.name == "03_new_vitality.ipynb")
        assert z.read("03_new_vitality.ipynb") == executed.read_bytes()
    links = page.locator("figure.helpers-chart a.helpers-chart-data")
    assert links.count() >= 3
    for k in range(links.count()):
        with page.expect_download() as data:
            links.nth(k).click()
        raw = Path(data.value.path()).read_bytes()
        assert raw.startswith("\ufeff".encode()), data.value.suggested_filename
        assert raw.decode("utf-8-sig").splitlines()[0] == ",".join(sources.COLUMNS)
        assert data.value.suggested_filename == links.nth(k).get_attribute("download")
    assert navigations == [] and page.url == path.resolve().as_uri()
    page.close()


def test_every_chart_names_what_it_draws_in_its_page_language(collection_site):
    """Under every chart of both editions (one that has nothing to draw aside): the line naming its figures and where
    they were printed, in the page's language, and its CSV link."""
    from helpers.reader import labels, words

    for lang in ("zh", "en"):
        lead, nothing = words.say("chart_source.lead", lang), labels.heading("not_reported", lang)
        for path in notebook_pages(collection_site, lang):
            for figure in re.findall(r'<figure class="helpers-chart".*?</figure>', path.read_text(encoding="utf-8")):
                caption = unescape(re.search(r"<figcaption>(.*?)</figcaption>", figure)[1])
                line = re.search(r'<span class="helpers-chart-source">([^<]*) <a class="helpers-chart-data"', figure)
                if line is None:
                    assert nothing in caption, (path.name, caption)
                    continue
                text = unescape(line[1])
                assert text.startswith(lead), (path.name, text)
                assert (CJK.search(text) is not None) == (lang == "zh"), (path.name, text)  # the page's language


def test_parameters_appear_in_one_line_at_each_page_foot(fixture_site):
    for lang in ("zh", "en"):
        for path in notebook_pages(fixture_site, lang):
            feet = re.findall(r'<p class="site-run-parameters">([^<]*)</p>', path.read_text(encoding="utf-8"))
            base = {"zh": "人口基数：grid_residents", "en": "population base: grid_residents"}[lang]
            assert feet == [f"{site.UI[lang]['parameters']}: {base}"]  # the default exchange rate is not listed


def test_without_run_parameters_a_page_whose_own_are_all_defaults_has_no_parameter_line(tmp_path):
    built = build(tmp_path, {"en": fixture_notebooks()["en"]})
    assert "site-run-parameters" not in page(built, "en", "01_retail")  # only defaults: no line at all


def test_the_page_foot_lists_only_parameters_that_differ_from_their_defaults_in_words():
    given = {"lang": "en", "fx_usd_cny": "7.1", "population": "platform_residents", "report": "", "city_dir": ""}
    assert site.parameters_line(given, "en") == "exchange rate: 7.1 yuan per US dollar"
    assert site.parameters_line({"approx_tolerance": 0.1}, "zh") == "“约”“预计”数字的相对误差：±10%"
    assert site.parameters_line({"fx_usd_cny": 6.7261, "lang": "zh"}, "zh") == ""
    assert site.parameters_line({"round_numbers": "last_nonzero"}, "en") == (
        "trailing zeros of round numbers: rounded to the last non-zero digit"
    )


def test_search_index_holds_the_figure_names_whole(fixture_site):
    zh = (fixture_site.dest / "zh" / "searchindex.js").read_text(encoding="utf-8")
    assert json.dumps(FIGURE["zh"]) in zh  # a jieba user word: not only its pieces 社会, 消费品, 零售 ...
    assert '"retail"' in (fixture_site.dest / "en" / "searchindex.js").read_text(encoding="utf-8")


def test_collection_renders_every_notebook_in_both_languages(collection_site):
    for lang, tag in (("zh", "zh-CN"), ("en", "en")):
        for source, path in zip(collection_site.executed[lang], notebook_pages(collection_site, lang), strict=True):
            nb = nbformat.read(source, as_version=4)
            html = path.read_text(encoding="utf-8")
            code = [
                c
                for c in nb.cells
                if c.cell_type == "code" and not set(c.metadata.get("tags", [])) & {"parameters", "injected-parameters"}
            ]
            cells = re.findall(r'<div class="cell ([^"]*)"', html)
            assert f'<html lang="{tag}"' in html, path.name
            assert len(cells) == len(code) and all("tag_hide-input" in c for c in cells), path.name
            assert "tag_parameters" not in html and "tag_injected-parameters" not in html, path.name


def test_prose_about_code_is_for_jupyterlab_readers_only(collection_site):
    """A markdown pair tagged jupyterlab-only (what params.setup checks) is in the notebook, not on the site."""
    nb = nbformat.read(ROOT / "notebooks" / "00_overview.ipynb", as_version=4)
    assert any("jupyterlab-only" in c.metadata.get("tags", []) for c in nb.cells)
    for lang in ("zh", "en"):
        for path in notebook_pages(collection_site, lang):
            assert "params.setup" not in path.read_text(encoding="utf-8"), path.name


#: A number followed by a Chinese unit or magnitude (84亿元, 12.5 万户, 2000 亩).
CHINESE_UNIT = re.compile(
    r"\d\s*(?:万亿|万|亿)?(?:元|美元|户|人|名|个|家|项|件|处|条|栋|套|所|亩|吨|头|只|天|平方米|公顷|公里|米|千瓦)"
)


def _english_output_text(html: str) -> list[str]:
    """The generated text of a page (its code cells' outputs: tables, sentences, captions, alt text), with the
    cells of every "printed" column left out: the lines an English reader reads outside the printed values."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    lines: list[str] = []
    for out in soup.select("div.cell_output"):
        for table in out.find_all("table"):
            heads = [th.get_text(" ", strip=True) for th in table.select("thead th")]
            printed = {i for i, h in enumerate(heads) if "printed" in h}
            for tr in table.select("tbody tr"):
                cells = tr.find_all(["td", "th"])
                lines += [c.get_text(" ", strip=True) for i, c in enumerate(cells) if i not in printed]
            table.decompose()
        lines += [img.get("alt", "") for img in out.find_all("img")]
        lines += [t for t in out.get_text("\n").split("\n") if t.strip()]
    return lines


def test_english_pages_show_a_chinese_unit_only_with_the_printed_value(collection_site):
    """On an English page a Chinese unit appears only in a printed-value column, or in a sentence as the printed
    value followed by the same amount in English units (``3000 万元 (30 million yuan)``, or the glossary's
    ``84亿元 is 8.4 billion yuan``); never as a unit of a
    computed number ("189,200 头", "households per person")."""
    checked = 0
    for path in notebook_pages(collection_site, "en"):
        for line in _english_output_text(path.read_text(encoding="utf-8")):
            for m in CHINESE_UNIT.finditer(line):
                checked += 1
                after = line[m.end() :].lstrip()  # the English amount follows: "(30 million yuan)", "is 8.4 …"
                assert after.startswith(("(", "is ", "=")), f"{path.name}: a Chinese unit without its English: {line!r}"
            assert "households per" not in line and "people per person" not in line, (path.name, line)
            assert "× 100 million" not in line and "× 10,000" not in line, (path.name, line)
    assert checked, "no printed value in a sentence was found: the test would prove nothing"


def test_the_chinese_unit_test_finds_a_bare_chinese_unit():
    html = (
        '<div class="cell_output"><p>Grew to 189,200 头 and 84 亿元 (8.4 billion yuan)</p>'
        "<table><thead><tr><th>indicator</th><th>value (printed)</th></tr></thead>"
        "<tbody><tr><td>x</td><td>84 亿元</td></tr></tbody></table></div>"
    )
    lines = _english_output_text(html)
    bare = [line for line in lines for m in CHINESE_UNIT.finditer(line) if not line[m.end() :].lstrip().startswith("(")]
    assert bare == ["Grew to 189,200 头 and 84 亿元 (8.4 billion yuan)"]
    assert "84 亿元" not in lines  # the printed column is left out


def test_each_edition_has_a_codebook_describing_every_column_of_its_downloads(collection_site):
    """The codebook page lists every column of derived.csv, checks.csv and figures.csv as downloaded (each a
    UTF-8 file with a byte-order mark) and of every chart's CSV, and every page's downloads link to it."""
    from helpers.build import codebook
    from helpers.reader.plots import sources

    for lang in ("zh", "en"):
        html = (collection_site.dest / lang / "codebook.html").read_text(encoding="utf-8")
        for name in ("derived.csv", "checks.csv", "figures.csv"):
            path = collection_site.dest / lang / "downloads" / name
            assert path.read_bytes().startswith("\ufeff".encode()), name
            for column in codebook.columns(path):
                assert f'<code class="docutils literal notranslate"><span class="pre">{column}</span></code>' in html
        for page_path in notebook_pages(collection_site, lang):
            page = page_path.read_text(encoding="utf-8")
            assert 'href="codebook.html"' in page, page_path.name
            # every column of every chart's CSV on the page (read from its data: link) has its row too
            for _, uri in re.findall(r'<a class="helpers-chart-data" download="([^"]*)" href="([^"]*)"', page):
                for column in sources.columns_of(unescape(uri)):
                    assert f'<span class="pre">{column}</span></code>' in html, (page_path.name, column)


def test_collection_cross_links_resolve_to_pages(collection_site):
    links = {}
    for path in notebook_pages(collection_site, "en"):
        links[path.name] = re.findall(r'<a class="reference internal" href="([^"#]+\.html)', path.read_text("utf-8"))
    assert any(links.values()), "no notebook links to another"
    assert [(p, t) for p, ts in links.items() for t in ts if not (collection_site.dest / "en" / t).is_file()] == []


# ---- what a page loads --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html,url",
    [
        ('<script src="https://cdn.example/x.js"></script>', "https://cdn.example/x.js"),
        ('<img alt="a" srcset="a.png 1x, //img.example/b.png 2x">', "//img.example/b.png"),
        ('<link rel="stylesheet" href="http://fonts.example/a.css">', "http://fonts.example/a.css"),
        ("<style>@font-face{src:url('https://fonts.example/a.woff')}</style>", "https://fonts.example/a.woff"),
        ('<style>@import "https://x.example/b.css";</style>', "https://x.example/b.css"),
        ('<div style="background: url(https://x.example/bg.png)">x</div>', "https://x.example/bg.png"),
        ('<iframe src="https://video.example/"></iframe>', "https://video.example/"),
    ],
)
def test_what_a_page_would_fetch_from_another_host_is_found(html, url):
    assert offline.external_loads(html) == [url]


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://example.org/">the source</a>',  # navigation, not a load
        "<td>url(https://example.org/a.png)</td>",  # text a table shows
        "<p>@import 'https://example.org/x.css';</p>",
        '<img alt="chart" src="data:image/png;base64,iVBORw0KGgo=">',
        '<link rel="canonical" href="https://example.org/page">',
        '<script src="_static/x.js"></script><img alt="a" src="_images/a.png">',
    ],
)
def test_text_links_and_local_files_are_not_network_loads(html):
    assert offline.external_loads(html) == []


def test_built_sites_load_nothing_from_another_host(fixture_site, collection_site):
    assert offline.site_external_loads(fixture_site.dest) == []
    assert offline.site_external_loads(collection_site.dest) == []


def test_output_that_loads_a_remote_script_fails_naming_the_page(tmp_path):
    executed = copy_fixture(tmp_path)
    nb = nbformat.read(executed["en"][1], as_version=4)
    nb.cells[-1].outputs.append(
        new_output(
            "display_data", data={"text/html": '<script src="https://cdn.example/x.js"></script>', "text/plain": "x"}
        )
    )
    nbformat.write(nb, executed["en"][1])
    with pytest.raises(site.SiteError, match=r"en/02_checks\.html.*https://cdn\.example/x\.js"):
        build(tmp_path, executed)


def test_broken_link_to_a_notebook_fails_naming_the_notebook(tmp_path):
    executed = copy_fixture(tmp_path)
    nb = nbformat.read(executed["zh"][0], as_version=4)
    nb.cells[2].source += " [缺失](09_missing.ipynb)"
    nbformat.write(nb, executed["zh"][0])
    with pytest.raises(site.SiteError, match=r"01_retail.*09_missing"):
        build(tmp_path, executed)
    with pytest.raises(site.SiteError, match=r"01_retail.*09_missing"):  # again: the failure was not cached
        site.render(executed, tmp_path / "site", work_dir=tmp_path / "work")


def test_unreadable_notebook_fails_naming_it(tmp_path):
    executed = copy_fixture(tmp_path)
    executed["en"][0].write_text("{not json", encoding="utf-8")
    with pytest.raises(site.SiteError, match=r"01_retail\.ipynb: cannot read"):
        build(tmp_path, executed)


def test_missing_download_fails_naming_it(tmp_path):
    with pytest.raises(site.SiteError, match=r"derived\.csv: download not found"):
        build(tmp_path, fixture_notebooks(), downloads=[tmp_path / "derived.csv"])


# ---- incremental -----------------------------------------------------------------------------------------------


def output_times(work: Path) -> dict[str, int]:
    return {str(p.relative_to(work)): p.stat().st_mtime_ns for p in work.glob("*/html/*.html")}


def render_again(built, tmp: Path, **kwargs) -> dict[str, list[str]]:
    dest = tmp / "site-again"
    dest.mkdir()
    written = site.render(built.executed, dest, work_dir=built.work, downloads=built.downloads, **kwargs)
    built.dest = dest
    return written


def test_second_render_with_nothing_changed_renders_no_page(tmp_path):
    built = build(tmp_path, copy_fixture(tmp_path))
    pages = {"01_retail", "02_checks", "index"}
    assert all(pages <= set(w) for w in built.written.values())
    before = output_times(built.work)
    written = render_again(built, tmp_path)
    assert {lang: sorted(set(w) & pages) for lang, w in written.items()} == {"zh": [], "en": []}
    changed = {k for k, v in output_times(built.work).items() if before.get(k) != v}
    assert sorted({Path(name).name for name in changed}) == ["genindex.html", "search.html"]  # not notebook pages
    assert (built.dest / "zh" / "01_retail.html").is_file() and (built.dest / "index.html").is_file()


def test_changed_notebook_re_renders_only_its_page(tmp_path):
    executed = copy_fixture(tmp_path)
    built = build(tmp_path, executed)
    nb = nbformat.read(executed["en"][1], as_version=4)
    nb.cells[-1].outputs = [new_output("stream", name="stdout", text="2 checks: consistent\n")]
    nbformat.write(nb, executed["en"][1])
    written = render_again(built, tmp_path)
    # the home page lists the notebook (its title could have changed), so Sphinx writes it again too
    assert sorted(set(written["en"]) - {"genindex", "search"}) == ["02_checks", "index"]
    assert sorted(set(written["zh"]) - {"genindex", "search"}) == []
    assert "2 checks: consistent" in page(built, "en", "02_checks")


def test_notebook_left_out_of_the_collection_loses_its_page(tmp_path):
    executed = copy_fixture(tmp_path)
    built = build(tmp_path, executed)
    built.executed = {lang: paths[:1] for lang, paths in executed.items()}
    for path in built.executed["zh"] + built.executed["en"]:  # 01 links to 02: that link goes first
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            cell.source = re.sub(r"\[([^]]*)\]\(02_checks\.ipynb\)", r"\1", cell.source)
        nbformat.write(nb, path)
    render_again(built, tmp_path)
    assert not (built.dest / "en" / "02_checks.html").exists()
    assert "02_checks" not in page(built, "en", "index")


# ---- in the browser ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """Debian's Chromium through playwright, with a fresh profile; missing: skip, except under CI=true."""
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
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            timeout=60_000,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(WAIT_MS)
        context.set_default_navigation_timeout(WAIT_MS)
        remote: list[str] = []
        # Everything but local files and inline data is aborted and recorded: no request leaves the machine.
        context.route(
            re.compile(r"^(?!(file|data|blob|about):)"), lambda route: (remote.append(route.request.url), route.abort())
        )
        yield SimpleNamespace(context=context, remote=remote)
        context.close()


PAGE_FACTS = """() => {
  const article = document.querySelector('article') || document.body;
  return {
    lang: document.documentElement.lang,
    title: document.title,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
    images: Array.from(document.querySelectorAll('img')).map(i => ({
        src: i.currentSrc.slice(0, 60), complete: i.complete, width: i.naturalWidth, alt: i.getAttribute('alt')})),
    cells: Array.from(article.querySelectorAll('td, th')).map(c => c.innerText.trim()),
    chrome: (() => { const b = document.body.cloneNode(true);
        b.querySelectorAll('.site-lang-switch, article').forEach(e => e.remove()); return b.innerText; })(),
    prose: Array.from(article.querySelectorAll('p, li, h1, h2, h3'))
        .filter(e => !e.closest('.cell_output, .cell_input, nav, .site-downloads'))
        .map(e => e.innerText).join('\\n'),
  };
}"""


def crawl(browser, built, shots: Path) -> dict[str, dict]:
    """Every page reachable from dest/index.html, at 1280 and 390 px: facts, problems and screenshots."""
    root = built.dest.resolve()
    page = browser.context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{page.url}: console {m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"{page.url}: page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"{page.url}: request failed: {r.url[:80]} {r.failure}"))
    # the landing page, and each search page (reached through a form, not a link)
    facts = {}
    queue = [(root / "index.html").as_uri(), *((root / lang / "search.html").as_uri() for lang in ("zh", "en"))]
    while queue:
        url = queue.pop(0)
        if url in facts:
            continue
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url, wait_until="load")
        fact = page.evaluate(PAGE_FACTS)
        name = str(Path(unquote(urlsplit(url).path)).relative_to(root)).replace("/", "_")
        page.screenshot(path=str(shots / f"1280_{name}.png"))
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_function("() => document.documentElement.clientWidth <= 390")
        fact["width_390"] = page.evaluate("() => document.documentElement.scrollWidth")
        page.screenshot(path=str(shots / f"390_{name}.png"))
        facts[url] = fact
        for link in fact["links"]:
            target = link.split("#")[0]
            if (
                target.startswith("file:")
                and target.endswith(".html")
                and Path(unquote(urlsplit(target).path)).resolve().is_relative_to(root)
                and target not in facts
            ):
                queue.append(target)
    page.close()
    return {"pages": facts, "problems": problems, "remote": list(browser.remote)}


@pytest.fixture(scope="module")
def fixture_pages(chromium, fixture_site, tmp_path_factory):
    return crawl(chromium, fixture_site, tmp_path_factory.mktemp("shots-fixture"))


@pytest.fixture(scope="module")
def collection_pages(chromium, collection_site, tmp_path_factory):
    return crawl(chromium, collection_site, tmp_path_factory.mktemp("shots-collection"))


@pytest.fixture(params=["fixture", "collection"])
def pages(request):
    return request.getfixturevalue(f"{request.param}_pages")


def notebook_facts(pages_, built, lang):
    return {
        Path(unquote(urlsplit(u).path)).stem: f
        for u, f in pages_["pages"].items()
        if f"/{lang}/" in u and Path(unquote(urlsplit(u).path)).stem in {p.stem for p in built.executed[lang]}
    }


@pytest.mark.browser
def test_every_page_of_both_languages_is_reached(pages):
    urls = list(pages["pages"])
    for lang in ("zh", "en"):
        assert {"index.html", "search.html"} <= {Path(u).name for u in urls if f"/{lang}/" in u}, lang
    assert all(f["title"] for f in pages["pages"].values())


@pytest.mark.browser
def test_every_link_resolves(pages):
    broken = []
    for url, fact in pages["pages"].items():
        for link in fact["links"]:
            target, _, fragment = link.partition("#")
            if link.startswith("data:text/csv;charset=utf-8;base64,"):  # a chart's data, inline: it must decode
                try:
                    data = base64.b64decode(link.partition(",")[2], validate=True)
                    ok = data.startswith("\ufeff".encode()) and bool(data.decode("utf-8-sig").strip())
                except ValueError:
                    ok = False
                if not ok:
                    broken.append((url, link[:80]))
                continue
            if not target.startswith("file:"):  # nothing on these pages may point off the machine
                broken.append((url, link))
                continue
            missing = not Path(unquote(urlsplit(target).path)).exists()
            unknown_anchor = (
                bool(fragment) and target in pages["pages"] and unquote(fragment) not in pages["pages"][target]["ids"]
            )
            if missing or unknown_anchor:
                broken.append((url, link))
    assert broken == []


@pytest.mark.browser
def test_every_image_loads(pages):
    images = [(url, img) for url, f in pages["pages"].items() for img in f["images"]]
    assert images, "no page shows an image"
    assert [(u, i["src"]) for u, i in images if not (i["complete"] and i["width"] > 0)] == []


@pytest.mark.browser
def test_no_console_error_and_no_request_leaves_the_machine(pages):
    assert pages["problems"] == []
    assert pages["remote"] == []


@pytest.mark.browser
def test_pages_declare_their_language_in_the_browser(pages):
    assert {Path(u).parent.name: f["lang"] for u, f in pages["pages"].items() if "/zh/" in u or "/en/" in u} == {
        "zh": "zh-CN",
        "en": "en",
    }


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone(pages):
    assert {u: f["width_390"] for u, f in pages["pages"].items() if f["width_390"] > 390} == {}


def missing_alt(pages_):
    default = "No description has been provided for this image"
    return [
        (u, i["src"])
        for u, f in pages_["pages"].items()
        for i in f["images"]
        if not (i["alt"] or "").strip() or i["alt"].strip() == default
    ]


def truncated(pages_):
    return [(u, c) for u, f in pages_["pages"].items() for c in f["cells"] if c.endswith(("...", "…"))]


@pytest.mark.browser
def test_fixture_images_have_alt_text_and_no_cell_is_truncated(fixture_pages):
    assert missing_alt(fixture_pages) == []
    assert truncated(fixture_pages) == []


@pytest.mark.browser
def test_collection_images_have_alt_text_and_no_cell_is_truncated(collection_pages):
    assert missing_alt(collection_pages) == []
    assert truncated(collection_pages) == []


@pytest.mark.browser
def test_chinese_pages_read_in_chinese_and_english_pages_in_english(fixture_pages, fixture_site):
    for lang in ("zh", "en"):
        facts = notebook_facts(fixture_pages, fixture_site, lang)
        assert len(facts) == len(fixture_site.executed[lang])
        for name, fact in facts.items():
            cjk, latin = len(CJK.findall(fact["prose"])), len(LATIN.findall(fact["prose"]))
            if lang == "zh":
                assert cjk > 40 and latin < cjk / 10, (name, fact["prose"])
            else:
                assert latin > 100 and cjk == 0, (name, fact["prose"])


@pytest.mark.browser
def test_the_theme_speaks_the_pages_language(fixture_pages):
    """Search box, contents, navigation: Chinese on zh pages; on en pages no Chinese but the link to 中文."""
    for url, fact in fixture_pages["pages"].items():
        if "/zh/" in url:
            assert "搜索" in fact["chrome"], url
        elif "/en/" in url:
            assert CJK.findall(fact["chrome"]) == [], (url, fact["chrome"])


@pytest.mark.browser
def test_a_wide_table_scrolls_inside_its_box_on_a_phone(chromium, fixture_site):
    page = chromium.context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto((fixture_site.dest / "zh" / "01_retail.html").resolve().as_uri(), wait_until="load")
    boxes = page.evaluate(
        "() => Array.from(document.querySelectorAll('article table')).map(t => "
        "[t.parentElement.scrollWidth, t.parentElement.clientWidth])"
    )
    page.close()
    assert boxes and all(scroll > client for scroll, client in boxes)  # the table is wider than its box ...
    # ... and the page is not: test_no_page_scrolls_sideways_on_a_phone


def search(chromium, built, lang: str, query: str) -> list[str]:
    page = chromium.context.new_page()
    page.goto((built.dest / lang / "search.html").resolve().as_uri() + "?q=" + query, wait_until="load")
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && s.textContent.length > 0; }"
    )
    found = page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    page.close()
    return [Path(unquote(urlsplit(u).path)).name for u in found]


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_search_fields_icon_stands_before_the_query_not_over_it(chromium, fixture_site, width):
    page = chromium.context.new_page()
    page.set_viewport_size({"width": width, "height": 844})
    page.goto((fixture_site.dest / "en" / "search.html").resolve().as_uri() + "?q=retail", wait_until="load")
    icon_right, text_left = page.evaluate(
        "() => { const f = document.querySelector('.bd-search-container form.bd-search');"
        " const i = f.querySelector('i.fa-magnifying-glass').getBoundingClientRect();"
        " const q = f.querySelector('input'); const r = q.getBoundingClientRect();"
        " return [i.right, r.left + parseFloat(getComputedStyle(q).paddingLeft)]; }"
    )
    page.close()
    assert icon_right <= text_left


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_search_finds_a_figure_by_its_name(chromium, fixture_site, lang):
    assert "01_retail.html" in search(chromium, fixture_site, lang, FIGURE[lang])


def _table_cells(path: Path) -> list[str]:
    return [unescape(c).strip() for c in re.findall(r"<td[^>]*>([^<]*)</td>", path.read_text(encoding="utf-8"))]


def figure_shown_in_a_table(built) -> tuple[dict, str]:
    """A figure of data/figures.csv named in the figures table of one page (a section's page: the table names it
    twice, beside its value and again beside its base units under the table): in Chinese on the zh page, in
    English on the en page of the same notebook."""
    import pandas as pd

    figures = pd.read_csv(DATA / "figures.csv", dtype=str, keep_default_na=False)
    for path in notebook_pages(built, "zh"):
        zh_cells, en_cells = _table_cells(path), _table_cells(built.dest / "en" / path.name)
        for row in figures.itertuples(index=False):
            if zh_cells.count(row.indicator_zh) >= 2 and en_cells.count(row.indicator_en) >= 2:
                return {"zh": row.indicator_zh, "en": row.indicator_en}, path.name
    pytest.fail("no page of the collection names a figure in a table cell in both languages")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_search_finds_a_figure_of_the_collection_by_its_name(chromium, collection_site, lang):
    names, page_name = figure_shown_in_a_table(collection_site)
    assert page_name in search(chromium, collection_site, lang, names[lang])


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_search_results_show_an_excerpt_around_the_match_from_file(chromium, collection_site, lang):
    """From file:// (no fetch allowed) each result carries an excerpt of its page around the match
    (helpers.build.searchtext), in the page's language."""
    names, page_name = figure_shown_in_a_table(collection_site)
    query = names[lang]
    page = chromium.context.new_page()
    page.goto((collection_site.dest / lang / "search.html").resolve().as_uri() + "?q=" + query, wait_until="load")
    page.wait_for_function(
        "name => Array.from(document.querySelectorAll('#search-results li'))"
        ".some(li => li.querySelector('a').href.endsWith('/' + name) && li.querySelector('p.context'))",
        arg=page_name,
    )
    excerpts = page.eval_on_selector_all(
        "#search-results li",
        "ls => ls.map(li => [li.querySelector('a').href, li.querySelector('p.context')?.textContent])",
    )
    page.close()
    found = {Path(unquote(urlsplit(u).path)).name: text for u, text in excerpts}
    excerpt = found[page_name]
    words_of = [w for w in re.findall(r"\w{4,}", query.lower())] if lang == "en" else [query]
    assert any(w in excerpt.lower() for w in words_of), (query, excerpt)
    assert "plots." not in excerpt and "ctx" not in excerpt  # the folded code is not what a page says


@pytest.mark.browser
def test_search_finds_nothing_for_a_name_no_page_has(chromium, fixture_site):
    assert search(chromium, fixture_site, "zh", "不存在的指标名称") == []


# ---- what a reader reads: numbers true to their intervals, no identifiers ----------------------------------


class _Visible(HTMLParser):
    """The text a reader sees on a page (alt text included; scripts, styles and the search form left out), and the
    rows of its tables as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.text, self.rows, self._skip, self._div, self._cell = [], [], 0, 0, None

    def handle_starttag(self, tag, attrs):
        code = tag == "div" and "cell_input" in (dict(attrs).get("class") or "")
        if tag in ("script", "style") or code or (tag == "div" and self._skip and self._div):
            self._skip += 1  # the folded code of a cell is one click away, not what the page says
            self._div += tag == "div"
        if tag == "img":
            self.text.append(dict(attrs).get("alt") or "")
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("script", "style") or (tag == "div" and self._div):
            self._skip -= 1
            self._div -= tag == "div"
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if self._cell is not None:
                self._cell.append(data)


def read_pages(built, lang: str) -> dict[str, _Visible]:
    pages = {}
    for path in notebook_pages(built, lang):
        reader = _Visible()
        reader.feed(path.read_text(encoding="utf-8"))
        pages[path.stem] = reader
    return pages


RELATIVE_WORDS = ("tolerance", "相对误差", "约", "预计", "about", "expected")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_gives_a_relative_half_width_on_a_percentage(collection_site, lang):
    """± on a percentage is in percentage points; a relative ± appears only as the 约/预计 tolerance, so named."""
    for name, page_ in read_pages(collection_site, lang).items():
        text = " ".join(page_.text)
        for m in re.finditer(r"±\s?[\d.,]+\s?%", text):
            before = text[max(0, m.start() - 60) : m.start()]
            assert any(w in before for w in RELATIVE_WORDS), (name, text[max(0, m.start() - 60) : m.end() + 20])
        assert "wide either side" not in text, name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_shows_a_parameter_name_or_a_file_path(collection_site, lang):
    code = (
        "params.setup",
        "approx_tolerance",
        "fx_usd_cny",
        "data/relations.csv",
        "city_dir",
        "platform_residents",
        "python -m",  # a command line is for JupyterLab readers (07's drafting note)
    )
    for name, page_ in read_pages(collection_site, lang).items():
        text = " ".join(page_.text)
        assert [c for c in code if c in text] == [], name


def test_every_printed_lower_bound_of_a_derived_value_is_at_most_the_true_one(collection_site):
    """In every derived-value table of the English pages, a `≥ x`/`> x` cell, read back in base units, is at most
    the derived value's exact lower end; and a value that is only a lower bound is never shown as a point or a
    bounded interval."""
    from fractions import Fraction

    from helpers.reader import amounts, labels, params, tables, words

    ctx = params.setup(lang="en", data_dir=str(DATA))
    lows = {d.label_en: d.interval.lo for d in tables.derived_values(ctx) if d.interval.hi is None}
    # every scale an English page uses ("billion yuan" = 10**9), longest label first
    scales = {
        words.say(f"scale.{u}.{d}", "en"): d
        for u in ("CNY", "USD", "m2", "kg", "W", "m")
        for d in amounts.scales(u, "en")
    }
    labels_ = sorted(scales, key=len, reverse=True)
    kinds = set(labels.KIND_LABELS["en"].values())
    checked = points_checked = 0
    for name, page_ in read_pages(collection_site, "en").items():
        for row in page_.rows:
            if not row or row[0] not in lows:
                continue
            if len(row) == 5 and row[1] in kinds:  # a derived-value row: a lower bound's interval is a bound, no point
                assert row[3].startswith(("≥", ">")), (name, row)
                points_checked += 1
            for cell in row[1:]:
                m = re.match(r"^[≥>] ([\d,]+(?:\.\d+)?)(.*)$", cell)
                if m:
                    unit = m.group(2).strip()
                    assert not unit.startswith("×"), (name, row[0], cell)  # a factor: English names the scale
                    scale = next((scales[k] for k in labels_ if unit.startswith(k)), 1)
                    shown = Fraction(m.group(1).replace(",", "")) * scale
                    assert shown <= lows[row[0]], (name, row[0], cell)
                    checked += 1
    assert checked >= 3  # the lower bounds of 03, 04 and 05 were read
    assert points_checked >= 3  # and their derived tables show no point for a value that is only a lower bound


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_home_page_leads_with_the_source_and_the_finding(collection_site, lang):
    source = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["sources"][0]
    home = unescape(page(collection_site, lang, "index"))
    assert source["title"] in home and source["sha256"] in home and source["reporter"] in home
    article = home[home.index("<article") :]
    assert article.index(source["sha256"]) < article.index('href="00_overview.html"')  # before the notebooks


def test_the_lead_is_the_output_of_the_cell_tagged_lead_and_nothing_without_one():
    nb = nbformat.v4.new_notebook()
    assert site.lead_text(nb) == ""
    cell = nbformat.v4.new_code_cell("prose.lead(ctx)", metadata={"tags": ["lead"]})
    cell.outputs = [new_output("execute_result", data={"text/markdown": "The source.", "text/plain": "x"})]
    nb.cells.append(cell)
    assert site.lead_text(nb) == "The source."


# ---- every screen: 1280, 768 and 390 px, light and dark ------------------------------------------------------

#: (width, mode) of each screen the notebook pages are read on.
SCREENS = [(1280, "light"), (768, "light"), (390, "light"), (1280, "dark"), (768, "dark"), (390, "dark")]


@pytest.fixture(scope="module")
def screens(chromium, collection_site, tmp_path_factory):
    """Every notebook page of both editions on every screen of :data:`SCREENS`: what helpers.build.pagecheck
    measures there, and a full-page screenshot of each in a temporary folder (scripts/site_shots.py puts such
    pictures side by side)."""
    from helpers.build import pagecheck

    shots = tmp_path_factory.mktemp("screens")
    found = {}
    for width, mode in SCREENS:
        page = chromium.context.new_page()
        pagecheck.use_mode(page, mode)
        page.set_viewport_size({"width": width, "height": 900})
        for lang in ("zh", "en"):
            for path in notebook_pages(collection_site, lang):
                page.goto(path.resolve().as_uri(), wait_until="load")
                page.wait_for_function(f"() => document.documentElement.dataset.mode === '{mode}'")
                found[f"{lang}/{path.name}", width, mode] = pagecheck.measure(page)
                height = min(page.evaluate("document.documentElement.scrollHeight"), 15_000)
                page.screenshot(
                    path=str(shots / f"{lang}_{path.stem}_{width}_{mode}.png"),
                    clip={"x": 0, "y": 0, "width": width, "height": height},
                    full_page=True,
                )
        page.close()
    light = chromium.context.new_page()  # the shared profile back in light mode for the other tests
    pagecheck.use_mode(light, "light")
    light.goto((collection_site.dest / "zh" / "index.html").resolve().as_uri(), wait_until="load")
    light.close()
    return SimpleNamespace(found=found, shots=shots)


@pytest.mark.browser
@pytest.mark.parametrize("width, mode", SCREENS)
def test_no_element_of_a_notebook_page_leaves_its_column_or_scrolls_sideways(screens, width, mode):
    from helpers.build import pagecheck

    pages = {name: f for (name, w, m), f in screens.found.items() if (w, m) == (width, mode)}
    assert len(pages) >= 18
    layout = {
        name: [p for p in pagecheck.problems(f, min_contrast=0) if "contrast" not in p] for name, f in pages.items()
    }
    assert {name: p for name, p in layout.items() if p} == {}


@pytest.mark.browser
@pytest.mark.parametrize("width", sorted({w for w, _ in SCREENS}))
def test_no_chart_is_wider_than_the_screen_and_a_phone_gets_the_small_variant(screens, width):
    charts = [c for (_, w, m), f in screens.found.items() if w == width and m == "light" for c in f["charts"]]
    assert len(charts) >= 30
    assert [c for c in charts if c["width"] > width] == []
    # intrinsic widths (CSS px of the SVG's pt size): the small variant is 3.8 in, the wide one 8 in
    assert all(c["natural"] < 450 for c in charts) if width < 720 else all(c["natural"] > 700 for c in charts)


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_text_has_a_contrast_of_at_least_4_5_to_1(screens, mode):
    from helpers.build import pagecheck

    low = {
        (name, w): [t for t in f["texts"] if t["ratio"] < pagecheck.MIN_CONTRAST]
        for (name, w, m), f in screens.found.items()
        if m == mode
    }
    assert {k: v for k, v in low.items() if v} == {}
    assert all(
        any("figcaption" in t["element"] for t in f["texts"])
        for (n, w, m), f in screens.found.items()
        if m == mode and n.endswith("06_consistency.html")
    )  # captions are measured


@pytest.mark.browser
def test_every_verdict_of_the_checks_table_shows_on_a_phone(chromium, collection_site):
    page = chromium.context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto((collection_site.dest / "en" / "06_consistency.html").resolve().as_uri(), wait_until="load")
    verdicts = page.evaluate(
        """() => Array.from(document.querySelectorAll('td[data-label="verdict"]')).map(td => {
             const r = td.getBoundingClientRect(); return [td.innerText, r.left, r.right, r.width]; })"""
    )
    page.close()
    assert len(verdicts) >= 6
    assert all(text.strip() and 0 <= left and right <= 390 and w > 0 for text, left, right, w in verdicts)


@pytest.mark.browser
def test_the_page_check_finds_a_text_too_faint_a_box_too_wide_and_a_box_that_scrolls(chromium):
    from helpers.build import pagecheck

    page = chromium.context.new_page()
    page.set_viewport_size({"width": 400, "height": 600})
    page.set_content(
        '<article class="bd-article" style="width:300px">'
        '<p style="color:#777;background:#999">faint</p><p style="color:#111;background:#fff">clear</p>'
        '<div style="width:600px">wide</div><div style="width:200px;overflow-x:auto"><p style="width:500px">x</p></div>'
        "</article>"
    )
    found = pagecheck.measure(page)
    page.set_content('<article class="bd-article" style="width:300px"><p>fine</p></article>')
    fine = pagecheck.measure(page)
    page.close()
    said = pagecheck.problems(found)
    assert any("'faint': contrast" in p for p in said) and not any("'clear'" in p for p in said)
    assert any("div leaves the column" in p for p in said) and any("scrolls sideways" in p for p in said)
    assert any("the page is" in p for p in said)
    assert pagecheck.problems(fine) == [] and pagecheck.least_contrast(fine) > 15


# ---- a light site ----------------------------------------------------------------------------------------------


def test_the_site_has_no_source_map_no_icon_script_and_shares_its_static_files(collection_site):
    dest = collection_site.dest
    assert list(dest.rglob("*.map")) == [] and list(dest.rglob("fontawesome.js")) == []
    assert list(dest.rglob("locales")) == []
    shared = {p.relative_to(dest / "_static") for p in (dest / "_static").rglob("*") if p.is_file()}
    assert len(shared) > 20
    for lang in ("zh", "en"):
        own = {p.relative_to(dest / lang / "_static") for p in (dest / lang / "_static").rglob("*") if p.is_file()}
        assert own and not own & shared  # what an edition keeps is its own (its options, its translations)
        for page in (dest / lang).glob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert "sourceMappingURL" not in html and "fontawesome" not in html
            for ref in re.findall(r'(?:href|src)="((?:\.\./)?_static/[^"?#]+)', html):
                assert (page.parent / ref).is_file(), (page.name, ref)
    for path in (dest / "_static").rglob("*.js"):
        assert "sourceMappingURL" not in path.read_text(encoding="utf-8"), path


def test_every_icon_a_page_shows_is_drawn_by_the_stylesheet(collection_site):
    css = (collection_site.dest / "_static" / "site.css").read_text(encoding="utf-8")
    icons = set()
    for page in collection_site.dest.glob("*/*.html"):
        icons |= set(re.findall(r'<i class="fa-solid (fa-[a-z-]+)', page.read_text(encoding="utf-8")))
    assert icons and {i for i in icons if f"i.{i} {{ --site-icon" not in css} == set()


def test_the_site_weighs_at_most_12_mb_and_its_heaviest_page_at_most_1_5_mb(collection_site):
    from helpers.build.lighten import weights

    found = weights(collection_site.dest)
    pages = {k: v for k, v in found.items() if k != "site"}
    assert found["site"] <= 12e6, found["site"]
    assert max(pages.values()) <= 1.5e6, max(pages.items(), key=lambda kv: kv[1])
    assert found["zh/03_new_vitality.html"] > (collection_site.dest / "zh" / "03_new_vitality.html").stat().st_size


PREPARE = """
import sys
from pathlib import Path
from helpers.build import siteprep
siteprep.prepare(Path(sys.argv[1]), sys.argv[2].split(","))
import jieba
print(all(name in sys.modules for name in siteprep._PREPARED), jieba.dt.initialized)
"""


def _prepared(work, langs: str) -> list[str]:
    """What :data:`PREPARE` prints, run in a fresh interpreter in which any warning is an error."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", PREPARE, str(work), langs], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_prepare_imports_what_an_edition_builds_with_and_loads_jieba(tmp_path):
    assert _prepared(tmp_path / "work", "zh,en") == ["True", "True"]
    assert (tmp_path / "work" / "jieba.cache").is_file()  # the dictionary's cache, in the work folder


def test_prepare_loads_no_dictionary_for_an_english_site(tmp_path):
    assert _prepared(tmp_path, "en") == ["True", "False"]


def test_prepare_leaves_a_failure_to_the_build(tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    assert _prepared(blocked / "work", "zh") == ["True", "False"]
