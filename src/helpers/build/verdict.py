"""One verdict on a data package, the same for ``helpers validate`` and ``helpers run``.

:func:`verdict` is :func:`helpers.core.audit.audit` (schema, keys, vocabulary, units, dimensions of relations,
contained paths, the source's sha256 and every offset, placeholders a draft left) plus what the notebooks would
otherwise find only while running:

- every name a chart may print is drawable by the charts' font (a name in a script the font lacks is named by its
  file, row and field instead of failing inside a notebook);
- the package's own parameters (``x_defaults``: see :mod:`helpers.reader.params`) are of the right shape, and a
  package holding US dollars states its exchange rate;
- every relation can be computed (inputs of different periods without ``allow_mixed_periods``, a printed share
  without its whole ...), each refusal naming relations.csv, the row, the relation and the field.

A city package the package names (``x_city_package``) gets the same verdict.  ``helpers run`` calls it before
it executes anything and refuses what ``validate`` refuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from helpers.core import audit, files
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


def parameter_problems(pkg: Package) -> list[PackageError]:
    """What is wrong with the package's own parameters (``x_defaults``), naming datapackage.json and the field:
    its shape, an exchange rate that is not a positive number, a population base that is neither a positive number
    nor a figure counting people, and US dollars (a figure or a ``usd_to_cny`` relation) without an exchange rate."""
    from helpers.reader import params

    shown = files.shown(pkg.data_dir / DESCRIPTOR)
    errors = Errors()
    try:
        own = params.package_defaults(pkg.descriptor, pkg.data_dir)
    except params.ParameterError as e:
        errors.add(shown, str(e).split(": ", 1)[-1], field=params.DEFAULTS_FIELD)
        return list(errors)
    field = f"{params.DEFAULTS_FIELD}.fx_usd_cny"
    if "fx_usd_cny" in own:
        try:
            params._positive_number("fx_usd_cny", own["fx_usd_cny"])
        except params.ParameterError:
            errors.add(shown, f"{own['fx_usd_cny']!r} is not a positive number of yuan per US dollar", field=field)
    elif (pkg.figures["base_unit"] == "USD").any() or (pkg.relations["kind"] == "usd_to_cny").any():
        errors.add(
            shown,
            "the package holds US dollars but states no exchange rate: give its yuan per US dollar (as a "
            'string, e.g. "6.8985") and say where it comes from in the description',
            field=field,
        )
    population = own.get("population")
    if isinstance(population, str):
        ids = set(pkg.figures["id"])
        if population not in ids:
            errors.add(
                shown, f"{population!r} is not a figure id of figures.csv", field=f"{params.DEFAULTS_FIELD}.population"
            )
        elif pkg.figure(population)["base_unit"] != "count":
            errors.add(
                shown, f"figure {population!r} is not a count of people", field=f"{params.DEFAULTS_FIELD}.population"
            )
    elif population is not None:
        try:
            params._positive_number("population", population)
        except params.ParameterError:
            errors.add(
                shown,
                f"{population!r} is neither a positive number nor a figure id",
                field=f"{params.DEFAULTS_FIELD}.population",
            )
    return list(errors)


def relation_problems(pkg: Package, known: Sequence[PackageError] = ()) -> list[PackageError]:
    """Every relation that cannot be computed, whatever the parameters (each is computed with a stand-in for the
    parameter it takes): named by relations.csv, its row and id, and the field to change (``allow_mixed_periods``
    for inputs of different periods).  A relation whose row or figures already have a problem in ``known`` is
    not computed (its problem is listed once, where it lies)."""
    import pandas as pd

    from helpers.core import relations
    from helpers.core.intervals import Interval

    frame = pkg.relations
    troubled = {e.key for e in known if e.key and Path(e.file).name in ("figures.csv", "relations.csv")}
    stand_in = {"fx_usd_cny": Fraction(1), "population": Interval.point(Fraction(1))}
    errors = Errors()
    for i, r in enumerate(frame.itertuples(index=False), start=1):
        if r.kind not in relations.KINDS or any(pd.isna(v) for v in (r.section, r.x)):
            continue  # the loader has named the row already
        if {f"id {r.id!r}", f"id {r.x!r}", f"id {r.y!r}"} & troubled:
            continue
        try:
            relations.derive(r, pkg.figures, stand_in, frame)
        except relations.MixedPeriods as e:
            errors.add(frame.attrs["path"], str(e), i, "allow_mixed_periods", f"id {r.id!r}")
        except (ValueError, ArithmeticError, KeyError, TypeError) as e:
            errors.add(frame.attrs["path"], f"cannot be computed: {e}", i, "kind", f"id {r.id!r}")
    return list(errors)


def verdict(data_dir: str | Path, source: str | Path | None = None) -> audit.Audit:
    """The whole audit of ``data_dir`` (see the module's docstring); ``source`` replaces the first source's path."""
    result = audit.audit(data_dir, source)
    if result.package is not None:
        result.errors.extend(glyph_problems(result.package))
        result.errors.extend(parameter_problems(result.package))
        result.errors.extend(relation_problems(result.package, result.errors))
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
