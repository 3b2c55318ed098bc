"""What an edition of the site is built with, loaded before the editions fork: their imports and jieba.

Owns :func:`prepare` (``python -m helpers run`` calls it while the notebooks execute) and :func:`quiet_jieba`
(how each build loads jieba, the word splitter of Sphinx's Chinese search).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from helpers.core.langs import LANGS


def prepare(work_dir: Path, langs: Sequence[str] = LANGS) -> None:
    """Import what each edition's Sphinx build imports (Sphinx, MyST-NB, the theme, this site's extension) and, for
    a Chinese edition among ``langs``, load jieba's dictionary, here, once: the editions, forked from this process
    (:func:`helpers.build.site.render`), then begin with them instead of each importing them again.  ``python -m
    helpers run`` calls it while the notebooks execute.  Nothing is built or written but jieba's dictionary cache,
    kept in ``work_dir``; a failure is left for the build itself to report."""
    import importlib

    try:
        quiet_jieba(Path(work_dir))  # first: Sphinx's Chinese search, imported below, imports jieba
        for name in _PREPARED:
            importlib.import_module(name)
        if "zh" not in langs:
            return
        Path(work_dir).mkdir(parents=True, exist_ok=True)
        import jieba

        jieba.initialize()  # its dictionary, which the Chinese edition's search index needs
    except Exception:  # noqa: BLE001  the build imports them again and names what fails
        return


#: What an edition's build imports (its extensions: conf's ``extensions``, the theme and the builder).
_PREPARED = (
    "nbformat",
    "nbconvert.preprocessors",  # the pages are cut per language with its TagRemovePreprocessor
    "sphinx.application",
    "sphinx.builders.html",
    "myst_nb.sphinx_ext",
    "myst_parser.sphinx_ext.main",
    "sphinx_book_theme",
    "helpers.build.sitekit.ext",
)


def quiet_jieba(cache_dir: Path) -> None:
    """Import jieba (Sphinx's Chinese search splits words with it) without its pkg_resources warning and its
    start-up messages; its dictionary cache goes to ``cache_dir``, not the system's temporary folder."""
    import logging
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            import jieba
        except ImportError:
            return
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(cache_dir)
