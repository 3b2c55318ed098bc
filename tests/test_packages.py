"""The generic walkthroughs of packages nobody wrote notebooks for (every folder of tests/packages/), each built once
per test session in both languages with ``helpers run --data-dir`` and read in Chromium as a person reads it:

- no plan (a plan line, a completion caption, the word) where the package holds no completion rate or plan;
- no change that went down called growth;
- no Chinese unit on an English page without its translation, outside the printed-value column;
- every section page titled with its section's title (heading, browser title, sidebar, previous/next);
- no relation dropped without a word: each is shown on its section's page, or listed there and in the run's
  output with the reason it cannot be computed.

A package added to tests/packages/ (a folder holding datapackage.json) joins these tests as it is.
"""

from __future__ import annotations

import re
import subprocess
import sys
from types import SimpleNamespace

import pytest
from test_site import chromium  # noqa: F401  (the browser, shared with the site's tests)

from conftest import ROOT
from helpers.core import package, relations, units
from helpers.reader import labels, params

PACKAGES = ROOT / "tests" / "packages"
NAMES = sorted(p.name for p in PACKAGES.iterdir() if (p / package.DESCRIPTOR).is_file()) if PACKAGES.is_dir() else []
CJK = "\u3400-\u9fff"
#: A printed Chinese unit (with its magnitude) straight after a number, not followed by its translation in brackets.
CHINESE_UNITS = sorted((u for u in units.UNITS if re.search(f"[{CJK}]", u)), key=len, reverse=True)
UNTRANSLATED = re.compile(rf"\d\s?(?:亿|万|千)?(?:{'|'.join(map(re.escape, CHINESE_UNITS))})(?![{CJK}])(?!\s*\()")
PLAN = {"en": re.compile(r"\bplans?\b", re.IGNORECASE), "zh": re.compile("计划")}

READ = """(columns) => {
  const article = document.querySelector('article') || document.body;
  const copy = article.cloneNode(true);
  for (const table of copy.querySelectorAll('table')) {
    const heads = Array.from(table.querySelectorAll('thead th')).map(th => th.innerText.trim());
    const drop = heads.map((h, i) => columns.includes(h) ? i : -1).filter(i => i >= 0);
    for (const row of table.querySelectorAll('tr')) {
      const cells = Array.from(row.children);
      for (const i of drop) { if (cells[i]) cells[i].textContent = ''; }
    }
  }
  document.body.appendChild(copy);
  const text = copy.innerText;
  copy.remove();
  const current = document.querySelector('.bd-sidenav a.current, .bd-sidenav .current > a');
  return {
    title: document.title,
    h1: (document.querySelector('article h1') || {innerText: ''}).innerText.replace(/#$/, '').trim(),
    sidebar: current ? current.innerText.trim() : '',
    prev: (document.querySelector('.prev-next-area a.left-prev .prev-next-title') || {innerText: ''}).innerText.trim(),
    next: (document.querySelector('.prev-next-area a.right-next .prev-next-title') || {innerText: ''}).innerText.trim(),
    text: text,
    full: article.innerText,
    alts: Array.from(article.querySelectorAll('img[alt]')).map(i => i.alt).join('\\n'),
  };
}"""


@pytest.fixture(scope="session", params=NAMES)
def built(request, tmp_path_factory):
    """One package built in both languages (once per session), with what its run printed."""
    data_dir = PACKAGES / request.param
    out = tmp_path_factory.mktemp(f"package-{request.param}")
    proc = subprocess.run(
        [sys.executable, "-m", "helpers", "run", "--data-dir", str(data_dir), "--out", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    ctx = {lang: params.setup(lang=lang, data_dir=data_dir) for lang in ("zh", "en")}
    return SimpleNamespace(name=request.param, site=out / "site", stdout=proc.stdout, ctx=ctx)


@pytest.fixture(scope="session")
def read_pages():
    """The facts of every walkthrough page of a built site, per language, read once per site."""
    cache: dict[str, dict] = {}

    def read(chromium, built) -> dict[str, dict[str, dict]]:  # noqa: F811
        if built.name not in cache:
            page = chromium.context.new_page()
            facts: dict[str, dict[str, dict]] = {}
            for lang in ("zh", "en"):
                columns = [labels.heading("value", lang), labels.heading("official_name", lang)]
                facts[lang] = {}
                for html in sorted((built.site / lang).glob("[0-9][0-9]_*.html")):
                    page.goto(html.resolve().as_uri(), wait_until="load")
                    facts[lang][html.stem] = page.evaluate(READ, columns)
            page.close()
            cache[built.name] = facts
        return cache[built.name]

    return read


def section_pages(facts: dict[str, dict]) -> dict[int, dict]:
    return {int(m.group(1)): f for name, f in facts.items() if (m := re.fullmatch(r"\d\d_section_(\d+)", name))}


def holds_a_plan(pkg) -> bool:
    """A completion rate among the figures, or a relation deriving a plan."""
    return bool((pkg.figures["measure"] == "completion_pct").any() or (pkg.relations["kind"] == "implied_plan").any())


@pytest.mark.browser
def test_no_plan_is_named_without_a_completion_rate(chromium, built, read_pages):  # noqa: F811
    pkg = built.ctx["en"].package
    if holds_a_plan(pkg):
        pytest.skip(f"{built.name} holds a completion rate or a plan")
    for lang, pages in read_pages(chromium, built).items():
        for name, f in pages.items():
            assert not PLAN[lang].search(f["full"]), (lang, name, PLAN[lang].search(f["full"]))
            assert not PLAN[lang].search(f["alts"]), (lang, name, "chart alt text")


@pytest.mark.browser
def test_no_change_that_went_down_is_called_growth(chromium, built, read_pages):  # noqa: F811
    figs = built.ctx["en"].package.figures
    down = [str(r["value"]).lstrip("-") for _, r in figs.iterrows() if relations.is_down(r)]
    assert down or built.name, "a package without a decline proves nothing here"
    pages = read_pages(chromium, built)
    for v in down:
        v = re.escape(v)
        called = {
            # "growth of -3.6%", "growth rates run from -3.6%", "3.6% growth", "grew ... (3.6%)"
            "en": re.compile(rf"(?:grow\w*|grew)(?: rates?)?(?: \w+){{0,3}} [−-]?{v}\s?%|{v}\s?% growth"),
            "zh": re.compile(rf"(?:增长|增速)[^。，；、（）]{{0,2}}[−-]?{v}\s?%"),  # 增长-3.6%, 增速从-3.6%
        }
        for lang, by_page in pages.items():
            for name, f in by_page.items():
                for where in ("full", "alts"):
                    found = called[lang].search(f[where])
                    assert not found, (lang, name, where, found.group(0) if found else None)


@pytest.mark.browser
def test_english_pages_translate_every_chinese_unit_outside_the_printed_values(chromium, built, read_pages):  # noqa: F811
    for name, f in read_pages(chromium, built)["en"].items():
        found = UNTRANSLATED.findall(f["text"])
        assert found == [], (name, found)


@pytest.mark.browser
def test_every_section_page_is_titled_with_its_section(chromium, built, read_pages):  # noqa: F811
    for lang, pages in read_pages(chromium, built).items():
        pkg = built.ctx[lang].package
        titles = dict(zip(pkg.sections["section"], pkg.sections[f"title_{lang}"]))
        sections = section_pages(pages)
        with_figures = sorted({int(s) for s in pkg.figures["section"]})
        assert sorted(sections) == with_figures, lang
        order = sorted(sections)
        for i, s in enumerate(order):
            f, title = sections[s], str(titles[s])
            assert f["h1"] == title, (lang, s, f["h1"])
            assert f["title"].startswith(title), (lang, s, f["title"])
            assert f["sidebar"] == title, (lang, s, f["sidebar"])
            if i > 0:
                assert f["prev"] == str(titles[order[i - 1]]), (lang, s, f["prev"])
            if i + 1 < len(order):
                assert f["next"] == str(titles[order[i + 1]]), (lang, s, f["next"])


@pytest.mark.browser
def test_no_relation_is_dropped_without_a_listed_reason(chromium, built, read_pages):  # noqa: F811
    pages = read_pages(chromium, built)
    for lang, by_page in pages.items():
        ctx = built.ctx[lang]
        sections = section_pages(by_page)
        skipped = {s.id: s for s in relations.not_computed(ctx.package, ctx.relation_params)}
        for r in ctx.package.relations.itertuples(index=False):
            text = sections[int(r.section)]["full"]
            label = getattr(r, f"label_{lang}")
            assert label in text, (lang, r.id)
            if r.id in skipped:
                reason = "数据包没有给出" if lang == "zh" else "the package states no"
                assert re.search(re.escape(label) + r"\s?[（(]" + reason, text), (lang, r.id)
    for s in relations.not_computed(built.ctx["en"].package, built.ctx["en"].relation_params):
        assert f"not computed: relation {s.id!r}" in built.stdout and "states no" in built.stdout, s.id


def test_every_package_here_validates():
    from helpers.build.verdict import verdict

    assert NAMES, f"no package in {PACKAGES}"
    for name in NAMES:
        assert [str(e) for e in verdict(PACKAGES / name).errors] == [], name
