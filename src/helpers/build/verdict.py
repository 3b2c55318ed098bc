"""One verdict on a data package, the same for ``helpers validate`` and ``helpers run``.

:func:`verdict` is :func:`helpers.core.audit.audit` (schema, keys, vocabulary, units, dimensions of relations,
contained paths, the source's sha256 and every offset) plus what needs the charts' font: every name a chart
may print is drawable by it (a name in a script the font lacks is named by its file, row and field instead of
failing inside a notebook).  A city package the package names (``x_city_package``) gets the same verdict.
``helpers run`` calls it before it executes anything and refuses what ``validate`` refuses.
"""

from __future__ import annotations

from pathlib import Path

from helpers.core import audit
from helpers.core.package import DESCRIPTOR, Package
from helpers.core.tableschema import Errors, PackageError

#: The text fields a chart, a table or a sentence may print, per table.
SHOWN_FIELDS = {
    "figures": ("topic_zh", "topic_en", "indicator_zh", "indicator_en", "unit_zh"),
    "sections": ("title_zh", "title_en", "subtitle_zh", "subtitle_en"),
    "relations": ("label_zh", "label_en"),
}


def glyph_problems(pkg: Package) -> list[PackageError]:
    """Every name the charts' font cannot draw, naming file, row and field and the characters.  Without the font
    installed there is nothing to check against (the first chart of a run says how to install it)."""
    from helpers.reader.plots.grammar import FONT, GlyphError, missing_glyphs

    try:
        missing_glyphs("")
    except GlyphError:
        return []
    errors = Errors()
    for table, fields in SHOWN_FIELDS.items():
        frame = getattr(pkg, table)
        key = frame.attrs.get("key", "id")
        for i, r in enumerate(frame.to_dict("records"), start=1):
            for name in fields:
                value = r.get(name)
                missing = missing_glyphs(value) if isinstance(value, str) else []
                if missing:
                    errors.add(
                        frame.attrs["path"],
                        f"the charts' font ({FONT}) has no glyph for {' '.join(missing)} "
                        f"({', '.join(f'U+{ord(c):04X}' for c in missing)}); write the name in characters it has",
                        i,
                        name,
                        f"{key} {r.get(key)!r}",
                    )
    return list(errors)


def verdict(data_dir: str | Path, source: str | Path | None = None) -> audit.Audit:
    """The whole audit of ``data_dir`` (see the module's docstring); ``source`` replaces the first source's path."""
    result = audit.audit(data_dir, source)
    if result.package is not None:
        result.errors.extend(glyph_problems(result.package))
        city = result.package.descriptor.get("x_city_package")
        if isinstance(city, str) and city and not any("x_city_package" in str(e) for e in result.errors):
            city_dir = Path(data_dir) / city
            if not (city_dir / DESCRIPTOR).is_file():
                result.errors.append(
                    PackageError(
                        str(Path(data_dir) / DESCRIPTOR),
                        f"x_city_package names {city!r}, which holds no {DESCRIPTOR}",
                        field="x_city_package",
                    )
                )
            else:
                result.errors.extend(verdict(city_dir).errors)
    return result


def refusal(data_dir: Path, errors: list[PackageError]) -> str:
    """How ``helpers run`` says it refuses a package: one line, then every problem ``validate`` lists."""
    from helpers.core.files import shown

    n = len(errors)
    head = (
        f"the data package {shown(data_dir)} fails validation ({n} problem{'s' * (n != 1)}; "
        f"python -m helpers validate --data-dir {shown(data_dir)} lists the same):"
    )
    return "\n".join([head, *(f"  {e}" for e in errors)])


def register(sub) -> None:
    """``python -m helpers validate``: :func:`verdict`, every problem at once, and a per-section summary."""
    audit.register(sub, check=verdict)
