"""The reader's edition: executed notebooks as one Sphinx site per language (MyST-NB, sphinx-book-theme).

:func:`render` writes ``dest/zh/`` and ``dest/en/`` (one page per executed
notebook, a home page, offline search) and ``dest/index.html`` leading to
both.  Nothing is executed (``nb_execution_mode = "off"``: papermill is the
executor) and nothing is fetched: :func:`helpers.build.offline.external_loads` checks every page and
stylesheet for what it would load from another host.

Each language's pages come from notebooks prepared by :func:`prepare_notebook`:
nbconvert's ``TagRemovePreprocessor`` drops the other language's cells
(``lang-en`` on Chinese pages, ``lang-zh`` on English ones) and the
``parameters``/``injected-parameters`` cells, and every code cell is tagged
``hide-input`` (MyST-NB folds its source away; one click shows it).

Sphinx's environment and doctrees live in ``work_dir/<lang>/``: a prepared
notebook is rewritten only when its bytes change, so a second call with the
same notebooks reads and writes no notebook page, and a changed notebook
re-renders only its own page (and the home page that lists it).  That state is
tied to its inputs: ``work_dir/<lang>/inputs.key`` holds the digest of the
parameters, the notebooks' names and the downloads it was built for, written
only when Sphinx has finished; a call with other inputs, or after a call that
did not finish (killed while rendering), starts from an empty folder, so no
page of an earlier run's parameters reaches a new site.
"""

from __future__ import annotations

import copy
import hashlib
import html
import io
import json
import re
import shutil
import warnings as warnings_module
from importlib.resources import files
from pathlib import Path

from helpers.build import codebook, searchtext
from helpers.build.downloads import ZIP, notebook_zip
from helpers.build.lighten import lighten
from helpers.build.offline import site_external_loads
from helpers.build.search import search_terms
from helpers.build.siteprep import quiet_jieba
from helpers.core.files import write_if_changed
from helpers.core.langs import LANGS, LANGUAGES
from helpers.reader import words

#: Per language: the label of the link to it, in that language (its tag and Sphinx language:
#: :data:`helpers.core.langs.LANGUAGES`).
LABELS = {lang: words.say("language.self", lang) for lang in LANGS}
#: Cells no reader of the site sees: papermill's parameter cells, and prose about the code that only a reader in
#: JupyterLab needs (``jupyterlab-only``: what ``params.setup`` checks, which file a table reads).
HIDDEN_TAGS = ("parameters", "injected-parameters", "jupyterlab-only")
#: The site's templates and stylesheet (package data, a folder on disk for Sphinx).
KIT = Path(str(files("helpers.build.sitekit")))
DOWNLOADS = "downloads"
INDEX = "index.html"

#: The site's own words (title, headings, buttons), by language: the ``site`` family of words.csv.
UI = words.by_lang("site")


class SiteError(RuntimeError):
    """A site that cannot be built: names the notebook (or file) and the cause."""


# ---- notebooks ---------------------------------------------------------------------------------------


def prepare_notebook(nb, lang: str):
    """A copy of executed ``nb`` as the ``lang`` page shows it.

    Drops the cells tagged for another language and the parameter cells
    (nbconvert's TagRemovePreprocessor), tags every remaining code cell
    ``hide-input``, and drops widget state (whose renderer would load scripts
    from a CDN).
    """
    from nbconvert.preprocessors import TagRemovePreprocessor

    if lang not in LANGS:
        raise SiteError(f"unknown language {lang!r} (known: {', '.join(LANGS)})")
    remove = {f"lang-{other}" for other in LANGS if other != lang} | set(HIDDEN_TAGS)
    nb = copy.deepcopy(nb)
    nb, _ = TagRemovePreprocessor(remove_cell_tags=remove, enabled=True).preprocess(nb, {})
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            tags = list(cell.metadata.get("tags", []))
            if "hide-input" not in tags:
                cell.metadata["tags"] = [*tags, "hide-input"]
            alt = _image_alt(cell)
            if alt:
                cell.metadata.setdefault("mystnb", {}).setdefault("image", {}).setdefault("alt", alt)
    nb.metadata.pop("widgets", None)
    return nb


def _image_alt(cell) -> str:
    """The text/plain of a cell's one image output, when it describes the image (not a ``<Figure ...>`` repr):
    MyST-NB writes such outputs as <img> files and takes their alt text from the cell's metadata."""
    images = [o for o in cell.get("outputs", []) if any(k.startswith("image/") for k in o.get("data", {}))]
    if len(images) != 1 or "text/html" in images[0]["data"]:
        return ""
    text = images[0]["data"].get("text/plain", "")
    text = ("".join(text) if isinstance(text, list) else text).strip()
    return "" if text.startswith("<") else text


def notebook_summary(nb) -> str:
    """The first paragraph after the ``# `` title, as one line of Markdown ("" when there is none)."""
    seen_title = False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"<!--.*?-->", "", cell.source, flags=re.DOTALL)
        for block in re.split(r"\n\s*\n", text):
            block = block.strip()
            if re.match(r"#\s", block):
                seen_title = True
                rest = block.split("\n", 1)[1].strip() if "\n" in block else ""
                if rest and not rest.startswith("#"):
                    return " ".join(line.strip() for line in rest.splitlines())
            elif block and seen_title and not block.startswith("#"):
                return " ".join(line.strip() for line in block.splitlines())
    return ""


def parameters_line(parameters: dict | None, lang: str) -> str:
    """The parameters that differ from the notebooks' defaults, in words (``site_param.<name>`` in words.csv):
    ``exchange rate: 7 yuan per US dollar · population base: 913000``; "" when every one is its default.

    The language and the data folder are not listed (the page's language and title say them); a parameter the
    notebooks do not know is named as given."""
    from helpers.reader.params import DEFAULTS

    parts = []
    for key, value in (parameters or {}).items():
        if key in ("lang", "data_dir") or (key in DEFAULTS and _same(value, DEFAULTS[key])):
            continue
        shown = Path(str(value)).name if key in ("report", "city_dir") else value
        if key == "approx_tolerance":
            shown = f"±{float(value) * 100:g}%"
        if key == "round_numbers" and f"round.{value}" in words.table():
            shown = words.say(f"round.{value}", lang)
        wkey = f"site_param.{key}"
        parts.append(words.say(wkey, lang, value=shown) if wkey in words.table() else f"{key}: {value}")
    return " · ".join(parts)


def _same(value: object, default: object) -> bool:
    """A parameter equal to its default, also when given as text (``-p fx_usd_cny 6.7261``)."""
    if str(value) == str(default):
        return True
    try:
        return isinstance(default, float) and float(str(value)) == default
    except ValueError:
        return False


# ---- building ------------------------------------------------------------------------------------------


def render(
    executed: dict[str, list[Path]],
    dest: Path,
    *,
    work_dir: Path,
    downloads=(),
    parameters: dict | None = None,
    progress=None,
) -> dict[str, list[str]]:
    """Write the site for ``executed`` ({language: executed notebooks in reading order}) into ``dest``.

    ``dest/<lang>/`` for each language, ``dest/index.html`` leading to them;
    ``downloads`` (derived.csv, checks.csv, figures.csv) and the executed
    notebooks are copied into each language's ``downloads/`` and linked from
    every page; ``parameters`` appear in one line at each page's foot (without
    them, each notebook's own papermill parameters).  ``work_dir`` keeps
    Sphinx's state between calls.  Returns {language: the pages Sphinx wrote}
    (empty when nothing changed); ``progress(lang)``, when given, is called as
    each language's pages are done.  Raises :class:`SiteError` naming the
    notebook or file and the cause.
    """
    dest, work_dir = Path(dest), Path(work_dir)
    unknown = [lang for lang in executed if lang not in LANGS]
    if unknown:
        raise SiteError(f"unknown language {unknown[0]!r} (known: {', '.join(LANGS)})")
    if not executed:
        raise SiteError("no notebooks to render")
    downloads = [Path(p) for p in downloads]
    for path in downloads:
        if not path.is_file():
            raise SiteError(f"{path}: download not found")
    written = {}
    for lang, (out, written[lang]) in _build_editions(executed, work_dir, downloads, parameters):
        notebooks = executed[lang]
        target = dest / lang
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(out, target, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
        searchtext.write(target)  # the search's excerpts without a fetch (file:// refuses it)
        (target / DOWNLOADS).mkdir()
        for path in notebooks:
            notebook_zip(Path(path), target / DOWNLOADS / f"{Path(path).name}{ZIP}")
        for path in downloads:
            shutil.copyfile(path, target / DOWNLOADS / Path(path).name)
        if progress is not None:
            progress(lang)
    lighten(dest, list(executed))  # no source maps or icon script; static files shared by the editions
    (dest / INDEX).write_text(landing_page(list(executed)), encoding="utf-8")
    remote = site_external_loads(dest)
    if remote:
        raise SiteError(
            f"{remote[0][0]}: the page would load {remote[0][1]} from the network ({len(remote)} remote load(s) in all)"
        )
    return written


def _build_editions(executed: dict[str, list[Path]], work_dir: Path, downloads: list[Path], parameters: dict | None):
    """``(lang, (output folder, pages written))`` as each edition is done: two or more at once, each Sphinx build in a
    forked process (:func:`helpers.build.forked.each`; each has its own ``work_dir/lang``); SiteError names a
    failure."""
    from helpers.build.forked import ForkedError, each

    jobs = {}
    for lang, nbs in executed.items():
        other = next((o for o in executed if o != lang), None)
        jobs[lang] = (lang, [Path(p) for p in nbs], work_dir / lang, downloads, parameters, other)
    if len(jobs) == 1:  # one edition: built here
        yield from ((lang, _build(*args)) for lang, args in jobs.items())
        return
    try:
        yield from each(_build, jobs, expected=SiteError, timeout=EDITION_TIMEOUT, what="Sphinx")
    except ForkedError as e:
        raise SiteError(str(e)) from None


EDITION_TIMEOUT = 1800.0  #: seconds an edition's Sphinx build may take in its process (a cold one takes seconds)


def landing_page(langs: list[str]) -> str:
    """dest/index.html: one link to each language's home page."""
    items = "\n".join(
        f'<li><a href="{lang}/index.html" lang="{LANGUAGES[lang].tag}" hreflang="{LANGUAGES[lang].tag}">'
        f"{html.escape(LABELS[lang])} · {html.escape(UI[lang]['title'])}</a></li>"
        for lang in langs
    )
    title = " / ".join(UI[lang]["title"] for lang in langs)
    return f"""<!DOCTYPE html>
<html lang="{LANGUAGES[langs[0]].tag}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", system-ui, sans-serif; max-width: 40rem; margin: 3rem auto;
       padding: 0 1rem; line-height: 1.6; }}
li {{ margin: .75rem 0; font-size: 1.2rem; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>{" / ".join(html.escape(UI[lang]["landing"]) for lang in langs)}</p>
<ul>
{items}
</ul>
</body>
</html>
"""


def lead_text(nb) -> str:
    """The Markdown output of the notebook's first code cell tagged ``lead`` (the source and the finding, computed by
    ``helpers.reader.prose.lead``), "" when there is none: the home page leads with it."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "lead" in cell.metadata.get("tags", []):
            for out in cell.get("outputs", []):
                text = out.get("data", {}).get("text/markdown")
                if text:
                    return "".join(text) if isinstance(text, list) else str(text)
    return ""


def _home_page(lang: str, pages: list[tuple[str, str]], lead: str = "") -> str:
    """index.md: the title, what the notebooks do, the source and finding (``lead``), the toctree (sidebar,
    previous/next) and a list with summaries."""
    ui = UI[lang]
    names = "\n".join([*(name for name, _ in pages), codebook.NAME])
    items = "\n".join(f"- [](<{name}.ipynb>){' — ' + summary if summary else ''}" for name, summary in pages)
    lead = f"{lead.strip()}\n\n" if lead.strip() else ""
    return (
        f"# {ui['title']}\n\n{ui['intro']}\n\n{lead}```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{names}\n```\n\n"
        f"## {ui['notebooks']}\n\n{items}\n"
    )


def _config(
    lang: str,
    other: str | None,
    notebook_downloads,
    table_downloads,
    page_parameters,
    run_parameters: str,
    search_dict: Path | None,
) -> dict:
    ui = UI[lang]
    config = {
        "project": ui["title"],
        "html_title": ui["title"],
        "copyright": "",
        "language": LANGUAGES[lang].sphinx,
        "root_doc": "index",
        "extensions": ["myst_nb", "helpers.build.sitekit.ext"],
        "nb_execution_mode": "off",
        "nb_output_stderr": "show",
        "nb_merge_streams": True,
        "nb_code_prompt_show": ui["show_code"],
        "nb_code_prompt_hide": ui["hide_code"],
        "myst_heading_anchors": 3,
        "suppress_warnings": ["mystnb.unknown_mime_type"],
        "exclude_patterns": ["**.ipynb_checkpoints"],
        "html_theme": "sphinx_book_theme",
        "templates_path": [str(KIT / "templates")],
        "html_static_path": [str(KIT / "static")],
        "html_css_files": ["site.css"],
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_show_sphinx": False,
        "html_show_copyright": False,
        "html_show_search_summary": True,  # from helpers.build.searchtext's script, not fetch()ed
        "html_last_updated_fmt": None,
        "html_sidebars": {"**": ["navbar-logo.html", "lang-switch.html", "sbt-sidebar-nav.html", "downloads.html"]},
        "html_theme_options": {
            "use_download_button": False,
            "use_fullscreen_button": False,
            "use_repository_button": False,
            "home_page_in_toc": True,
            "show_toc_level": 2,
            "footer_content_items": ["run-parameters.html"],
            "navigation_with_keys": False,
        },
        "html_context": {
            "site_ui": ui,
            "default_mode": "light",  # pydata-sphinx-theme: a first visit has no stored mode
            "other_lang": other or "",
            "other_lang_tag": LANGUAGES[other].tag if other else "",
            "other_lang_label": LABELS[other] if other else "",
            "notebook_downloads": notebook_downloads,
            "table_downloads": table_downloads,
            "page_parameters": page_parameters,
            "run_parameters": run_parameters,
        },
    }
    if search_dict is not None:
        config["html_search_options"] = {"dict": str(search_dict)}
    return config


def _build(
    lang: str, notebooks: list[Path], wd: Path, downloads: list[Path], parameters: dict | None, other: str | None
) -> tuple[Path, list[str]]:
    """Prepare ``lang``'s sources in ``wd/src`` (only what changed) and run Sphinx; the output folder and the
    pages it wrote."""
    import nbformat

    src, out = wd / "src", wd / "html"
    names = [p.stem for p in notebooks]
    marker = wd / "inputs.key"
    key = hashlib.sha256(
        json.dumps([lang, other, names, [p.name for p in downloads], parameters], default=str).encode()
    ).hexdigest()
    if wd.exists() and (not marker.is_file() or marker.read_text(encoding="ascii") != key):
        shutil.rmtree(wd)  # built for other inputs, or by a render that did not finish: start afresh
    src.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)  # until Sphinx has finished, this state belongs to no finished render
    if len(set(names)) != len(names):
        raise SiteError(f"two notebooks named {next(n for n in names if names.count(n) > 1)}.ipynb for {lang}")
    if "index" in names or codebook.NAME in names:
        taken = "index" if "index" in names else codebook.NAME
        raise SiteError(f"{taken}.ipynb: the name of a page the site writes itself; rename the notebook")
    pages, page_parameters, terms, lead = [], {}, set(), ""
    charts: dict[str, list[str]] = {}
    for path in notebooks:
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as e:
            raise SiteError(f"{path}: cannot read the executed notebook: {type(e).__name__}: {e}") from e
        try:
            prepared = prepare_notebook(nb, lang)
        except Exception as e:
            raise SiteError(f"{path.name}: preparing the {lang} page failed: {type(e).__name__}: {e}") from e
        write_if_changed(src / path.name, nbformat.writes(prepared).encode("utf-8"))
        pages.append((path.stem, notebook_summary(prepared)))
        lead = lead or lead_text(prepared)
        own = nb.metadata.get("papermill", {}).get("parameters")
        page_parameters[path.stem] = parameters_line(parameters if parameters is not None else own, lang)
        terms |= search_terms(prepared)
        try:
            charts |= codebook.chart_tables(prepared, path.name)
        except codebook.CodebookError as e:
            raise SiteError(f"codebook: {e}") from e
    for stale in src.glob("*.ipynb"):  # a notebook no longer in the collection: its page goes too
        if stale.stem not in names:
            stale.unlink()
            (out / f"{stale.stem}.html").unlink(missing_ok=True)
    try:
        write_if_changed(src / f"{codebook.NAME}.md", codebook.page(lang, downloads, charts).encode("utf-8"))
    except (codebook.CodebookError, OSError) as e:
        raise SiteError(f"codebook: {e}") from e
    write_if_changed(src / "index.md", _home_page(lang, pages, lead).encode("utf-8"))
    search_dict = None
    if lang == "zh" and terms:
        search_dict = wd / "search-words.txt"
        write_if_changed(
            search_dict, "".join(f"{t.replace(' ', '')} 100000 n\n" for t in sorted(terms)).encode("utf-8")
        )
    config = _config(
        lang,
        other,
        [(n, f"{DOWNLOADS}/{n}.ipynb{ZIP}") for n in names],
        [f"{DOWNLOADS}/{p.name}" for p in downloads],
        page_parameters,
        parameters_line(parameters, lang),
        search_dict,
    )
    try:
        written = _sphinx(src, out, wd / "doctrees", config)
        marker.write_text(key, encoding="ascii")
        return out, written
    except SiteError:
        # Sphinx may have recorded the faulty page as read: the next call must read it (and fail) again
        shutil.rmtree(wd, ignore_errors=True)
        raise


def _sphinx(src: Path, out: Path, doctrees: Path, config: dict) -> list[str]:
    """Run Sphinx's html builder incrementally; the pages written.  SiteError names the notebook on failure."""
    import sphinx.locale
    from sphinx.application import Sphinx
    from sphinx.deprecation import RemovedInSphinx11Warning
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    quiet_jieba(doctrees.parent)
    # Sphinx keeps its message catalogs (its own and the themes') in one module-level dict: without this the
    # English site, built after the Chinese one in this process, would say 搜索 and 目录.
    sphinx.locale.translators.clear()
    status, warnings = io.StringIO(), io.StringIO()
    current = {"doc": None}
    written: list[str] = []
    try:
        # As sphinx-build does: docutils' registries are restored afterwards, so that the next language's
        # application (in this same process) registers its nodes and directives afresh.
        with patch_docutils(None), docutils_namespace(), warnings_module.catch_warnings():
            # sphinx-book-theme and myst-parser still use APIs Sphinx 11 removes: not the reader's concern
            warnings_module.simplefilter("ignore", RemovedInSphinx11Warning)
            app = Sphinx(
                str(src),
                None,
                str(out),
                str(doctrees),
                "html",
                confoverrides=config,
                status=status,
                warning=warnings,
                freshenv=False,
                warningiserror=False,
                verbosity=0,
            )
            app.connect("source-read", lambda _app, docname, _source: current.update(doc=docname))
            app.connect("html-page-context", lambda _app, pagename, *_: written.append(pagename))
            app.build()
    except Exception as e:
        where = f"{current['doc']}.ipynb" if current["doc"] and current["doc"] != "index" else str(src)
        raise SiteError(f"{where}: Sphinx failed: {type(e).__name__}: {e}") from e
    text = re.sub(r"\x1b\[[0-9;]*m", "", warnings.getvalue())
    problems = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]
    if problems:
        raise SiteError(f"{_named(problems[0], src)} ({len(problems)} warning(s) in all)")
    return written


def _named(line: str, src: Path) -> str:
    """A Sphinx warning with the notebook's name instead of its prepared copy's path."""
    return line.replace(str(src) + "/", "")
