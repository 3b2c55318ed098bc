"""Notebook parameters: validated, resolved against the data package, and failing clearly on bad values.

Every notebook's ``parameters`` cell holds plain literals (see ``DEFAULTS``);
:func:`setup` checks them and returns a :class:`Context` with the loaded package
and the exact values the relations use.  An unknown parameter or a bad value
raises :class:`ParameterError` naming the parameter.

The values a package's relations and charts need and only the package can know (its exchange rate, its
population base) are the package's own: ``x_defaults`` in its ``datapackage.json``
(``{"fx_usd_cny": "6.8985", "population": "resident_population"}``, see :data:`PACKAGE_DEFAULTS`).  A parameter the
notebook does not pass takes the package's value; with neither, it has none (a relation needing it is listed as
not computed, never computed with another report's value).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from helpers.core.intervals import Interval
from helpers.core.langs import LANGS

#: Parameters every notebook accepts, with their defaults (the values of the parameters cells).
DEFAULTS: dict[str, object] = {
    "lang": "zh",
    "data_dir": "../data",
    "fx_usd_cny": 6.7261,
    "population": "platform_residents",
    "report": "",
    "approx_tolerance": 0.05,
    # the city's package that 08_district_in_city sets the district in; "" = the one the package names
    # (``x_city_package`` in its datapackage.json, a folder relative to data_dir)
    "city_dir": "",
    # how a round number (370 亿元, 2000 亩) is read: "significant" (every printed digit, trailing zeros too, is
    # significant: 370 is [369.5, 370.5)) or "last_nonzero" (rounded to its last non-zero digit: [365, 375))
    "round_numbers": "significant",
}

#: The parameters a package states for itself in ``x_defaults`` (its datapackage.json): a notebook that does not
#: pass one gets the package's value, or none.
PACKAGE_DEFAULTS = ("fx_usd_cny", "population")
#: Where a package states them.
DEFAULTS_FIELD = "x_defaults"

#: The values the ``round_numbers`` parameter accepts.
ROUND_NUMBERS = ("significant", "last_nonzero")


class ParameterError(ValueError):
    """A notebook parameter with a bad value; the message names the parameter."""


@dataclass(frozen=True)
class Context:
    """What a notebook works with: the validated parameters and the loaded package."""

    lang: str
    data_dir: Path
    fx_usd_cny: Fraction | None  # yuan per US dollar, exact from its printed decimal; None: the package states none
    population: Interval | None  # residents (a figure's interval, or a point); None: the default figure is absent
    package: object = field(repr=False)
    report: Path | None = None  # the report's text (07_extract); None when it is not on this machine
    approx_tolerance: Fraction = Fraction(5, 100)  # relative half-width given to 约 and 预计 figures
    city_dir: Path | None = None  # city: the city's package (08_district_in_city; helpers.reader.within loads it)
    round_numbers: str = "significant"  # how trailing zeros of a round number are read (ROUND_NUMBERS)

    @property
    def fx(self) -> Fraction:
        """The exchange rate, for what converts US dollars (``helpers validate`` refuses a package holding dollars
        without its ``x_defaults.fx_usd_cny``, so a run that gets here has one)."""
        if self.fx_usd_cny is None:
            raise ParameterError(
                f"parameter fx_usd_cny: {self.data_dir / 'datapackage.json'} states no {DEFAULTS_FIELD}.fx_usd_cny "
                "and none was given"
            )
        return self.fx_usd_cny

    def figure_interval(self, figure) -> Interval:
        """A figure's interval in base units, with this context's tolerance for 约/预计 figures."""
        from helpers.core import relations

        return relations.figure_input(figure, self.approx_tolerance).interval

    @property
    def relation_params(self) -> dict:
        """The values relation kinds take by name (see ``helpers.core.relations.KINDS``)."""
        return {"fx_usd_cny": self.fx_usd_cny, "population": self.population, "approx_tolerance": self.approx_tolerance}


def setup(**params) -> Context:
    """Validate notebook parameters and load the package they point at.

    ``data_dir`` is read relative to the working directory (a notebook's own
    folder when run by Jupyter, nbval or :mod:`helpers.build.run`).
    """
    from helpers.core import package, relations

    unknown = sorted(set(params) - set(DEFAULTS))
    if unknown:
        raise ParameterError(f"unknown parameter(s): {', '.join(unknown)}; known: {', '.join(DEFAULTS)}")
    p = {**{k: v for k, v in DEFAULTS.items() if k not in PACKAGE_DEFAULTS}, **params}
    lang = p["lang"]
    if lang not in LANGS:
        raise ParameterError(f"parameter lang: {lang!r} is not one of {', '.join(LANGS)}")
    tolerance = _tolerance(p["approx_tolerance"])
    if not isinstance(p["data_dir"], (str, Path)) or not str(p["data_dir"]):
        raise ParameterError(f"parameter data_dir: expected a folder path, got {p['data_dir']!r}")
    data_dir = Path(p["data_dir"])
    if not (data_dir / package.DESCRIPTOR).is_file():
        raise ParameterError(f"parameter data_dir: no {package.DESCRIPTOR} in {data_dir}")
    pkg = package.load(data_dir)
    own = package_defaults(pkg.descriptor, data_dir)
    p = {**own, **p}
    fx = None if p.get("fx_usd_cny") is None else _positive_number("fx_usd_cny", p["fx_usd_cny"])
    rounding = p["round_numbers"]
    if rounding not in ROUND_NUMBERS:
        raise ParameterError(f"parameter round_numbers: {rounding!r} is not one of {', '.join(ROUND_NUMBERS)}")
    if rounding == "last_nonzero":
        pkg = dataclasses.replace(pkg, figures=relations.round_to(pkg.figures))
    report = _report_path(p["report"], data_dir, pkg)
    city_dir = _city_dir(p["city_dir"], data_dir, pkg)
    population = p.get("population")
    if population == DEFAULTS["population"] and population not in set(pkg.figures["id"]):
        # this report's notebooks pass their own default: another package without that figure gets its own base
        population = own.get("population")
    if population is None:
        # A package that states no population base: its per-resident values are listed as not computed.
        return Context(lang, data_dir, fx, None, pkg, report, tolerance, city_dir, rounding)
    if isinstance(population, str):
        if population not in set(pkg.figures["id"]):
            raise ParameterError(
                f"parameter population: {population!r} is neither a number nor a figure id "
                f"in {data_dir / 'figures.csv'}"
            )
        row = pkg.figure(population)
        if row["base_unit"] != "count":
            raise ParameterError(f"parameter population: figure {population!r} is not a count of people")
        pop = relations.figure_input(row, tolerance).interval
    else:
        pop = Interval.point(_positive_number("population", population))
    return Context(lang, data_dir, fx, pop, pkg, report, tolerance, city_dir, rounding)


def package_defaults(descriptor: dict, data_dir: Path | str = "") -> dict:
    """The parameters a package states for itself (``x_defaults``, keys of :data:`PACKAGE_DEFAULTS`); a field of
    another shape is a :class:`ParameterError` naming the file and the field (``helpers validate`` lists it first)."""
    own = descriptor.get(DEFAULTS_FIELD, {})
    where = Path(data_dir) / "datapackage.json"
    if not isinstance(own, dict):
        raise ParameterError(f"{where}: {DEFAULTS_FIELD} must be an object ({', '.join(PACKAGE_DEFAULTS)})")
    unknown = sorted(set(own) - set(PACKAGE_DEFAULTS))
    if unknown:
        raise ParameterError(
            f"{where}: {DEFAULTS_FIELD}.{unknown[0]} is not a parameter a package states "
            f"(known: {', '.join(PACKAGE_DEFAULTS)})"
        )
    return dict(own)


def _report_path(report, data_dir: Path, pkg) -> Path | None:
    """The report text: the given path, or (when empty) the package's source, resolved from datapackage.json.

    An explicit path that does not exist is an error; the package's own source may be
    absent (it is kept outside the repository), which gives None.
    """
    if not isinstance(report, (str, Path)):
        raise ParameterError(f'parameter report: expected a file path or "", got {report!r}')
    if str(report):
        given = Path(report)
        if not given.is_file():
            raise ParameterError(f"parameter report: no file {given}")
        return given
    source = pkg.source.get("path")
    path = data_dir / source if source else None
    return path if path is not None and path.is_file() else None


def _tolerance(value) -> Fraction:
    """``approx_tolerance``: a relative half-width in [0, 1) (0.05 = ±5%), exact from its printed decimal."""
    from helpers.core.intervals import IntervalError, check_tolerance

    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ParameterError(f"parameter approx_tolerance: expected a number in [0, 1), got {value!r}")
    try:
        return check_tolerance(repr(value) if isinstance(value, float) else str(value))
    except IntervalError:
        raise ParameterError(
            f"parameter approx_tolerance: expected a relative half-width in [0, 1) (0.05 = ±5%), got {value!r}"
        ) from None


def _positive_number(name: str, value) -> Fraction:
    """A positive int, float or decimal string as an exact Fraction (floats via their shortest repr)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ParameterError(f"parameter {name}: expected a positive number, got {value!r}")
    try:
        number = Fraction(repr(value) if isinstance(value, float) else str(value))
    except (ValueError, ZeroDivisionError):
        raise ParameterError(f"parameter {name}: expected a positive number, got {value!r}") from None
    if number <= 0:
        raise ParameterError(f"parameter {name}: must be positive, got {value!r}")
    try:
        as_float = float(number)
    except OverflowError:
        as_float = math.inf
    if not math.isfinite(as_float) or as_float == 0:  # the charts and tables compute in floats too
        raise ParameterError(f"parameter {name}: {value!r} is out of range (a finite positive number is needed)")
    return number


def _city_dir(value, data_dir: Path, pkg) -> Path | None:
    """``city_dir``: the folder given, or (when empty) the package's ``x_city_package`` read relative to
    ``data_dir``; None when neither names one (the city comparison then says what is missing)."""
    if not isinstance(value, (str, Path)):
        raise ParameterError(f"parameter city_dir: expected a folder path, got {value!r}")
    if str(value):
        from helpers.core.package import DESCRIPTOR

        if not (Path(value) / DESCRIPTOR).is_file():
            raise ParameterError(f"parameter city_dir: no {DESCRIPTOR} in {value} (a city's data package folder)")
        return Path(value)
    companion = pkg.descriptor.get("x_city_package")
    return data_dir / companion if isinstance(companion, str) and companion else None
