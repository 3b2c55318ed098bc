"""A Sphinx extension for the reader's edition: a Chinese search whose browser half runs.

Sphinx 9.0's Chinese search language ships the English Snowball stemmer to the
browser (Chinese words are not stemmed) but then assigns ``ChineseStemmer``,
which no script defines, so the search page fails with "ChineseStemmer is not
defined".  :class:`ChineseSearch` names the stemmer that is shipped.
"""

from __future__ import annotations

from sphinx.search.zh import SearchChinese


class ChineseSearch(SearchChinese):
    """Sphinx's Chinese search (jieba splits the words) with the stemmer name its JavaScript defines."""

    language_name = "English"


def setup(app):
    app.add_search_language(ChineseSearch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
