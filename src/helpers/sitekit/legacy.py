"""The previous, home-made site (nbconvert pages and an index), kept only while ``helpers.run`` still uses it.

``helpers.site.render`` (Sphinx + MyST-NB) replaces it: when ``run.py`` calls
``site.render``, delete this module and ``helpers.site.__getattr__``.

Pages are rendered with nbconvert's ``lab`` template minus everything it loads
from the network; :class:`SiteBuilder` builds into a temporary sibling folder
and only replaces ``site/`` once the new site is complete; an incomplete one
goes to ``site.failed/`` and the previous ``site/`` is left as it was.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from helpers.site import SiteError, external_loads

#: nbconvert's lab template without the blocks that load scripts from CDNs.
OFFLINE_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}
{{ super() }}
<nav class="jp-Cell" style="padding: 0.5em 0;"><a href="index.html">&larr; {{ resources.index_label | e }}</a></nav>
{%- endblock body_header -%}
"""
#: nbconvert accepts ISO 639-1 codes only; the page's ``lang`` attribute selects the CJK font.
LANG_CODES = {"zh": "zh", "en": "en"}
INDEX = "index.html"

UI = {
    "zh": {
        "notebooks": "分析笔记本", "notebook": "笔记本", "summary": "摘要", "sections": "报道结构",
        "section": "部分", "title": "标题", "subtitle": "副标题", "glossary": "术语表",
        "term_zh": "中文术语", "term_en": "英文术语", "explanation": "解释", "failed": "执行失败",
        "parameters": "参数", "source": "来源", "index": "目录",
    },
    "en": {
        "notebooks": "Notebooks", "notebook": "Notebook", "summary": "Summary", "sections": "Sections of the report",
        "section": "Section", "title": "Title", "subtitle": "Subtitle", "glossary": "Glossary",
        "term_zh": "Chinese term", "term_en": "English term", "explanation": "Explanation",
        "failed": "failed to execute", "parameters": "Parameters", "source": "Source", "index": "Contents",
    },
}

STYLE = """\
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1.5rem;
       line-height: 1.6; color: #1f2328; background: #fff; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid #eaeef2; }
th { background: #f6f8fa; }
.source, footer { color: #59636e; font-size: .9rem; }
.failed { color: #b42318; font-weight: bold; }
td.num { text-align: right; }
"""


@dataclass(frozen=True)
class Entry:
    """One notebook as the index lists it."""

    name: str  # file name of the notebook, e.g. 01_growth.ipynb
    title: str
    summary_html: str  # already escaped/rendered inline HTML
    href: str | None  # page in the site, None when no page could be rendered
    ok: bool


# ---- notebooks -------------------------------------------------------------------------------------


def _markdown_cells(nb) -> list[str]:
    return [c.source for c in nb.cells
            if c.cell_type == "markdown" and "papermill-error-cell-tag" not in c.metadata.get("tags", [])]


def notebook_title(nb, default: str = "") -> str:
    """The text of the first ``# `` heading in the notebook's first markdown cell (else ``default``)."""
    cells = _markdown_cells(nb)
    if cells:
        for line in cells[0].splitlines():
            m = re.match(r"#\s+(.+?)\s*#*\s*$", line.strip())
            if m:
                return m.group(1)
    return default


def notebook_summary(nb) -> str:
    """The first paragraph after the ``# `` title, as one line of Markdown ("" when there is none).

    Searched in the rest of the title cell, then in the following markdown
    cells; headings, HTML comments and blank lines are skipped.
    """
    cells = _markdown_cells(nb)
    if not cells:
        return ""
    first = cells[0].splitlines()
    title_at = next((i for i, line in enumerate(first) if re.match(r"#\s", line.strip())), None)
    texts = ["\n".join(first[title_at + 1:]) if title_at is not None else cells[0], *cells[1:]]
    for text in texts:
        text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
        for block in re.split(r"\n\s*\n", text):
            block = block.strip()
            if block and not block.startswith("#"):
                return " ".join(line.strip() for line in block.splitlines())
    return ""


def inline_markdown(text: str) -> str:
    """One line of Markdown as inline HTML; raw HTML in it is escaped, not rendered."""
    import mistune

    rendered = mistune.create_markdown(escape=True)(text).strip()
    m = re.fullmatch(r"<p>(.*)</p>", rendered, flags=re.DOTALL)
    return m.group(1) if m else rendered


def make_exporter(lang: str = "zh"):
    """An nbconvert HTMLExporter that writes self-contained pages (no CDN scripts, images inlined)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file="offline.html.j2",
        extra_loaders=[DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})],
        embed_images=True,
        language_code=LANG_CODES.get(lang, "en"),
    )


def render_notebook(nb, source: Path, exporter=None, lang: str = "zh") -> str:
    """``nb`` (executed) as one self-contained HTML page; SiteError if it still loads anything remote."""
    exporter = exporter or make_exporter(lang)
    source = Path(source)
    title = notebook_title(nb, source.stem)
    resources = {"metadata": {"name": title, "path": str(source.parent)},
                 "index_label": UI.get(lang, UI["en"])["index"]}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    remote = external_references(body)
    if remote:
        raise SiteError(f"{source.name}: the page would load {len(remote)} thing(s) from the network, "
                        f"first {remote[0]}")
    return body


def external_references(page: str) -> list[str]:
    """URLs that ``page`` would load from another host (see :func:`helpers.site.external_loads`)."""
    return external_loads(page)


# ---- the index ----------------------------------------------------------------------------------------


def _e(value) -> str:
    """A value from the data package, escaped for HTML text and attributes ("" for missing)."""
    try:
        import pandas as pd

        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def _table(headers: list[str], rows: list[list[str]], numeric: tuple[int, ...] = ()) -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    num = ' class="num"'
    body = "\n".join(
        "<tr>" + "".join(f"<td{num if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def render_index(entries: list[Entry], package, glossary, lang: str = "zh", parameters: dict | None = None) -> str:
    """index.html: the report, its notebooks with summaries and links, its sections, the glossary.

    ``package`` is a :class:`helpers.package.Package` (sections, source);
    ``glossary`` a DataFrame with term_zh, term_en, explanation.  Every string
    taken from them is escaped.
    """
    ui = UI.get(lang, UI["en"])
    source = getattr(package, "source", {}) or {}
    descriptor = getattr(package, "descriptor", {}) or {}
    title = source.get("title") if lang == "zh" else descriptor.get("title")
    title = title or descriptor.get("title") or source.get("title") or "Report"
    byline = " · ".join(_e(source[k]) for k in ("series", "publisher", "date") if source.get(k))

    nb_rows = []
    for entry in entries:
        name = _e(entry.title or entry.name)
        link = f'<a href="{_e(entry.href)}">{name}</a>' if entry.href else name
        status = "" if entry.ok else f' <span class="failed">({ui["failed"]})</span>'
        nb_rows.append([f"{link}{status}<br><small>{_e(entry.name)}</small>", entry.summary_html])

    other = "en" if lang == "zh" else "zh"

    def both(row, field: str) -> str:
        first, second = _e(getattr(row, f"{field}_{lang}")), _e(getattr(row, f"{field}_{other}"))
        return first + (f"<br><small>{second}</small>" if second else "")

    sec_rows = [[_e(row.section), both(row, "title"), both(row, "subtitle")]
                for row in package.sections.itertuples(index=False)]

    glossary_rows = [[_e(r.term_zh), _e(r.term_en), _e(r.explanation)] for r in glossary.itertuples(index=False)]
    params = " · ".join(f"{_e(k)} = {_e(v)}" for k, v in (parameters or {}).items())
    return f"""<!DOCTYPE html>
<html lang="{LANG_CODES.get(lang, 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>
{STYLE}</style>
</head>
<body>
<header>
<h1>{_e(title)}</h1>
<p class="source">{ui["source"]}: {byline}</p>
</header>
<main>
<section id="notebooks">
<h2>{ui["notebooks"]}</h2>
{_table([ui["notebook"], ui["summary"]], nb_rows)}
</section>
<section id="sections">
<h2>{ui["sections"]}</h2>
{_table([ui["section"], ui["title"], ui["subtitle"]], sec_rows, numeric=(0,))}
</section>
<section id="glossary">
<h2>{ui["glossary"]}</h2>
{_table([ui["term_zh"], ui["term_en"], ui["explanation"]], glossary_rows)}
</section>
</main>
<footer>
<p>{ui["parameters"]}: {params}</p>
</footer>
</body>
</html>
"""


# ---- building and publishing ---------------------------------------------------------------------------


class SiteBuilder:
    """Assembles a new site next to ``site_dir`` and swaps it in only when complete.

    ``add()`` each executed notebook as it finishes, then ``finish(complete)``:
    a complete site replaces ``site_dir`` with two renames; an incomplete one
    becomes ``site_dir`` + ``.failed`` and ``site_dir`` is not touched.
    """

    def __init__(self, site_dir: Path, ctx, exporter=None):
        self.site_dir = Path(site_dir).resolve()
        self.ctx = ctx
        self.lang = getattr(ctx, "lang", "zh")
        self.new_dir = self.site_dir.with_name(f".{self.site_dir.name}.new-{os.getpid()}")
        self.failed_dir: Path | None = None
        self.entries: list[Entry] = []
        self._exporter = exporter
        remove(self.new_dir)
        self.new_dir.mkdir(parents=True)

    def warm_up(self) -> None:
        """Import nbconvert and compile the page template now, rendering a one-cell notebook (1.2 s in a
        fresh process), so that the first real page costs no more than the others (0.1 s); ``helpers.run``
        calls this before its workers start, while its kernels' zygote is still importing on the other core."""
        from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

        if self._exporter is None:
            self._exporter = make_exporter(self.lang)
        nb = new_notebook(cells=[new_markdown_cell("# Title\n\n*text*"), new_code_cell("1", execution_count=1, outputs=[
            new_output("execute_result", data={"text/plain": "1", "text/html": "<b>1</b>"}, execution_count=1)])])
        render_notebook(nb, self.new_dir / "warm-up.ipynb", self._exporter, self.lang)

    def add(self, source: Path, nb, ok: bool = True) -> Entry:
        """Render one executed notebook (None if it could not be read) into the new site."""
        source = Path(source)
        if nb is None:
            entry = Entry(source.name, source.stem, "", None, False)
        else:
            if self._exporter is None:
                self._exporter = make_exporter(self.lang)
            page = render_notebook(nb, source, self._exporter, self.lang)
            href = f"{source.stem}.html"
            (self.new_dir / href).write_text(page, encoding="utf-8")
            entry = Entry(source.name, notebook_title(nb, source.stem),
                          inline_markdown(notebook_summary(nb)), href, ok)
        self.entries.append(entry)
        return entry

    def finish(self, complete: bool) -> Path:
        """Write the index; publish the site if ``complete``, else set it aside as ``.failed``."""
        from helpers import labels

        entries = sorted(self.entries, key=lambda e: e.name)
        page = render_index(entries, self.ctx.package, labels.glossary_frame(self.lang), self.lang,
                            parameters=index_parameters(self.ctx))
        remote = external_references(page)
        if remote:
            raise SiteError(f"{INDEX}: would load {remote[0]} from the network")
        (self.new_dir / INDEX).write_text(page, encoding="utf-8")
        if complete and all(e.ok for e in entries):
            publish(self.new_dir, self.site_dir)
            remove(self.site_dir.with_name(self.site_dir.name + ".failed"))  # stale: this run succeeded
            return self.site_dir
        return self.abandon()

    def abandon(self) -> Path:
        """Keep what was built as ``site_dir.failed`` for inspection; ``site_dir`` stays as it was."""
        self.failed_dir = self.site_dir.with_name(self.site_dir.name + ".failed")
        if self.new_dir.exists():
            remove(self.failed_dir)
            os.rename(self.new_dir, self.failed_dir)
        return self.failed_dir

    def discard_unfinished(self) -> None:
        """Remove the temporary folder if neither finish() nor abandon() moved it (an interrupted run)."""
        remove(self.new_dir)


def index_parameters(ctx) -> dict:
    """The parameters a reader needs to know the pages were computed with (no machine paths)."""
    fx = getattr(ctx, "fx_usd_cny", None)
    return {
        "lang": getattr(ctx, "lang", ""),
        "fx_usd_cny": f"{float(fx):g}" if fx is not None else "",
        "population": getattr(ctx, "population_label", ""),
    }


def publish(new_dir: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``new_dir`` (same parent folder) with renames; the old one is deleted after."""
    new_dir, site_dir = Path(new_dir), Path(site_dir)
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    remove(old)
    if site_dir.exists():
        os.rename(site_dir, old)
    os.rename(new_dir, site_dir)
    remove(old)


def remove(path: Path) -> None:
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
