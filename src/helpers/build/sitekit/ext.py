"""A Sphinx extension for the reader's edition: a Chinese search whose browser half runs, and page titles that
stay text.

Sphinx 9.0's Chinese search language ships the English Snowball stemmer to the
browser (Chinese words are not stemmed) but then assigns ``ChineseStemmer``,
which no script defines, so the search page fails with "ChineseStemmer is not
defined".  :class:`ChineseSearch` names the stemmer that is shipped.

sphinx-book-theme prints ``pagetitle`` (the title with its tags stripped, which also decodes its entities) into
the printed edition's heading without escaping it: a page titled by a package's section title
(``Industry <img ...>``) would put markup there.  :func:`escape_page_title` hands the theme the title escaped.
"""

from __future__ import annotations

from sphinx.search.zh import SearchChinese


class ChineseSearch(SearchChinese):
    """Sphinx's Chinese search (jieba splits the words) with the stemmer name its JavaScript defines."""

    language_name = "English"


def escape_page_title(app, pagename, templatename, context, doctree) -> None:
    """``pagetitle`` as text for every template (escaped once: Markup is not escaped again where a template
    escapes it itself)."""
    from markupsafe import escape

    if isinstance(context.get("pagetitle"), str):
        context["pagetitle"] = escape(context["pagetitle"])


def setup(app):
    app.add_search_language(ChineseSearch)
    app.connect("html-page-context", escape_page_title, priority=900)  # after the theme sets it
    return {"parallel_read_safe": True, "parallel_write_safe": True}
