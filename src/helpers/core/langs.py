"""The languages of the collection: the one list, and the one check of a language code.

Each language is described once here (its code, its HTML language tag and its Sphinx language); the
reader's layer and the build read these and never list languages of their own.  What a language is called
is a word a reader sees, and lives with the other words in the reader's layer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  #: the ``lang`` parameter's value and the site's folder (``zh``)
    tag: str  #: the HTML ``lang`` attribute (BCP 47: ``zh-CN``)
    sphinx: str  #: Sphinx's ``language`` setting (``zh_CN``)


#: Every language, in the order the collection shows them (the first is the committed notebooks' default).
LANGUAGES: dict[str, Language] = {
    "zh": Language("zh", "zh-CN", "zh_CN"),
    "en": Language("en", "en", "en"),
}
#: The language codes, in order.
LANGS: tuple[str, ...] = tuple(LANGUAGES)


class LanguageError(ValueError):
    """A language code that is not one of :data:`LANGS`; the message names what was given."""


def check_lang(lang: object, what: str = "lang") -> str:
    """``lang`` when it is one of :data:`LANGS`, else :class:`LanguageError` naming ``what`` (e.g. a parameter)."""
    if lang not in LANGUAGES:
        raise LanguageError(f"{what}: {lang!r} is not one of {', '.join(LANGS)}")
    return str(lang)
