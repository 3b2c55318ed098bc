"""Relations between figures: one function per kind, each turning its inputs' intervals into a derived interval.

A relation row in ``data/relations.csv`` names a kind, its figures ``x`` and
``y`` and, for some kinds, a notebook parameter.  :data:`KINDS` holds the kinds
(code); the rows are data, so another report's package brings its own.  Every
kind documents its formula; every input is the interval its printed precision
and qualifier allow (:func:`helpers.core.intervals.from_printed`), so every derived
value carries honest bounds.  Inputs of different periods are refused unless the
row sets ``allow_mixed_periods``.

Where ``x`` appears twice in a formula, the kinds use the algebraically equal
form in which it appears once (``x·g/(1+g)`` for ``x − x/(1+g)``), so that the
interval is as tight as the inputs allow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from helpers.core import periods
from helpers.core.intervals import Interval, from_printed
from helpers.core.periods import Period
from helpers.core.units import parse_decimal, parse_unit

HUNDRED = Fraction(100)
MONTHS_PER_YEAR = 12
M2_PER_HECTARE = 10_000


@dataclass(frozen=True)
class Input:
    """One figure as a relation sees it."""

    id: str
    interval: Interval  # in base units
    unit: str  # the unit a reader would attach: a base unit, or the counter (户, 个) for counts
    period: Period | None


@dataclass(frozen=True)
class Kind:
    """A relation kind: arity, parameter, formula as text, and the computation."""

    name: str
    binary: bool
    parameter: str | None
    formula: str  # in x, y and p (the parameter); rendered with the figures' ids
    compute: Callable[..., Interval]
    unit: Callable[..., str]
    needs_period: bool = False


@dataclass(frozen=True)
class Derived:
    """A value derived from figures by one relation."""

    id: str
    section: int
    kind: str
    inputs: tuple[str, ...]
    formula: str
    interval: Interval
    unit: str
    period: Period | None
    label_zh: str
    label_en: str


def _share_of_period(x: Interval, y, p, period: Period) -> Interval:
    return HUNDRED * x / period.days


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("sum", True, None, "x + y", lambda x, y, p, t: x + y, lambda ux, uy: ux),
        Kind("per_unit", True, None, "x / y", lambda x, y, p, t: x / y, lambda ux, uy: f"{ux}/{uy}"),
        Kind("per_capita", False, "population", "x / population", lambda x, y, p, t: x / p, lambda ux, uy: f"{ux}/人"),
        Kind(
            "per_year",
            False,
            None,
            "x × 12",
            lambda x, y, p, t: x * MONTHS_PER_YEAR,
            lambda ux, uy: ux.replace("per month", "per year"),
        ),
        Kind("to_hectares", False, None, "x / 10000", lambda x, y, p, t: x / M2_PER_HECTARE, lambda ux, uy: "ha"),
        Kind("usd_to_cny", False, "fx_usd_cny", "x × fx_usd_cny", lambda x, y, p, t: x * p, lambda ux, uy: "CNY"),
        Kind(
            "monthly_average",
            False,
            None,
            "x / months",
            lambda x, y, p, t: x / t.months,
            lambda ux, uy: f"{ux}/month",
            needs_period=True,
        ),
        Kind("share_of_whole", True, None, "100 × x / y", lambda x, y, p, t: HUNDRED * x / y, lambda ux, uy: "percent"),
        Kind("part_from_share", True, None, "x × y / 100", lambda x, y, p, t: x * y / HUNDRED, lambda ux, uy: ux),
        Kind("implied_whole", True, None, "x / (y / 100)", lambda x, y, p, t: x / (y / HUNDRED), lambda ux, uy: ux),
        Kind(
            "prior_level", True, None, "x / (1 + y / 100)", lambda x, y, p, t: x / (1 + y / HUNDRED), lambda ux, uy: ux
        ),
        Kind(
            "yoy_increment",
            True,
            None,
            "x × (y / 100) / (1 + y / 100)",
            lambda x, y, p, t: x * _growth_share(y),
            lambda ux, uy: ux,
        ),
        Kind("stock_before_flow", True, None, "x − y", lambda x, y, p, t: x - y, lambda ux, uy: ux),
        Kind(
            "stock_growth",
            True,
            None,
            "100 × y / (x − y)",
            lambda x, y, p, t: HUNDRED * y / (x - y),
            lambda ux, uy: "percent",
        ),
        Kind("implied_plan", True, None, "x / (y / 100)", lambda x, y, p, t: x / (y / HUNDRED), lambda ux, uy: ux),
        Kind(
            "share_of_period",
            True,
            None,
            "100 × x / days in the period",
            _share_of_period,
            lambda ux, uy: "percent",
            needs_period=True,
        ),
        # Kinds that read sibling rows of relations.csv (see derive): parts of a whole, printed shares, rates.
        Kind("sum_of_parts", True, None, "x + earlier parts of y", lambda x, y, p, t: x, lambda ux, uy: ux),
        Kind("printed_share", True, None, "100 × y / whole of y", lambda x, y, p, t: y, lambda ux, uy: "percent"),
        Kind("prior_share", True, None, "x − y", lambda x, y, p, t: x - y, lambda ux, uy: ux),
    ]
}

#: Kinds whose rows name a part and the whole it belongs to (x part, y whole): where printed_share finds a whole.
WHOLE_KINDS = ("share_of_whole", "sum_of_parts")


#: What each kind needs of its inputs' dimensions (base units): the same for both (counts: the same counter), a
#: percentage as y, or one given base unit for x (and y).  Kinds not listed take any (a ratio, a per-capita value).
SAME_DIMENSION = ("sum", "stock_before_flow", "stock_growth", "sum_of_parts", "share_of_whole")
Y_PERCENT = ("part_from_share", "implied_whole", "implied_plan", "prior_level", "yoy_increment")
X_UNIT = {
    "printed_share": ("percent", None),
    "prior_share": ("percent", "percentage_points"),
    "to_hectares": ("m2", None),
    "usd_to_cny": ("USD", None),
    "share_of_period": ("days", None),
    "per_year": ("CNY per person per month", None),
}


def dimension_problem(kind: str, x: tuple[str, str], y: tuple[str, str] | None) -> str | None:
    """Why a relation of ``kind`` cannot combine these inputs, each ``(base_unit, printed unit)`` (None: it can):
    adding money to a count, a share of two different units, a growth rate that is not a percentage."""
    (bx, px), (by, py) = x, (y or ("", ""))
    if kind in SAME_DIMENSION and y is not None:
        if bx != by:
            return f"kind {kind!r} combines x in {bx} with y in {by}: both must be in the same unit"
        if bx == "count" and px[-1:] != py[-1:]:
            return f"kind {kind!r} combines a count of {px[-1:]} with a count of {py[-1:]}: both must count the same"
    if kind in Y_PERCENT and y is not None and by != "percent":
        return f"kind {kind!r} needs y in percent (a rate or share), not {by}"
    if kind in X_UNIT:
        want_x, want_y = X_UNIT[kind]
        if bx != want_x:
            return f"kind {kind!r} needs x in {want_x}, not {bx}"
        if want_y and y is not None and by != want_y:
            return f"kind {kind!r} needs y in {want_y}, not {by}"
    return None


def _growth_share(g: Interval) -> Interval:
    """g/(1+g) for a growth rate g in percent, written so that g appears once: 1 − 1/(1 + g/100)."""
    return 1 - 1 / (1 + g / HUNDRED)


class RelationError(ValueError):
    """A relation that cannot be computed; the message names the relation id."""


class MixedPeriods(RelationError, periods.PeriodMismatch):
    """A relation whose inputs cover different periods without ``allow_mixed_periods``: names the relation, the
    figures with their periods, and the CSV field that allows it."""


def round_to(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures with a ``round_to`` column: for a rounded whole number printed with trailing zeros (370, 2000) and
    no bound qualifier, the place of its last non-zero digit (10, 1000), read as how far it was rounded; empty for
    every other figure."""
    figures = figures.copy()

    def step(row) -> object:
        value = str(row["value"])
        exact_or_rough = row["qualifier"] in ("exact", "approx", "estimate")  # a bound (超) is no rounded value
        if not exact_or_rough or not bool(row["rounded"]) or not value.isdigit() or value.strip("0") == "":
            return None
        zeros = len(value) - len(value.rstrip("0"))
        return 10**zeros if zeros else None

    figures["round_to"] = [step(r) for _, r in figures.iterrows()]
    return figures


def is_down(figure: pd.Series | object) -> bool:
    """Whether a figure is a change down (its ``direction`` is ``down``; a package without the column has none)."""
    direction = figure.get("direction") if isinstance(figure, pd.Series) else getattr(figure, "direction", None)
    return isinstance(direction, str) and direction == "down"


def figure_input(figure: pd.Series | object, tolerance: Fraction | None = None) -> Input:
    """A figure row as the interval it stands for, with its display unit and period: a change down printed
    without its minus (下降4.2%) stands for the negative change (−4.2%).

    ``tolerance`` is the relative tolerance of 约/预计 figures (None: the default of
    :func:`helpers.core.intervals.from_printed`).  A figure with a ``round_to`` field (set by the notebook
    parameter ``round_numbers``; see :func:`round_to`) reaches half that step either way.
    """
    get = figure.__getitem__ if isinstance(figure, pd.Series) else lambda k: getattr(figure, k)
    interval = from_printed(get("value"), get("unit_zh"), get("qualifier"), bool(get("rounded")), tolerance)
    try:  # a round number read as rounded to its last non-zero digit: 370 亿元 with round_to 10 is [365, 375) 亿元
        step = get("round_to")
    except (KeyError, AttributeError):
        step = None
    if step and not pd.isna(step) and bool(get("rounded")) and get("qualifier") in ("exact", "approx", "estimate"):
        factor, v, half = parse_unit(get("unit_zh")).factor, parse_decimal(str(get("value"))), Fraction(int(step), 2)
        interval = interval.hull(Interval((v - half) * factor, (v + half) * factor, True, False))
    if is_down(figure) and not str(get("value")).startswith("-"):
        interval = -interval  # 下降4.2%: the change is -4.2%, as every relation must use it
    base = get("base_unit")
    unit = get("unit_zh")[-1] if base == "count" else base
    return Input(get("id"), interval, unit, periods.parse_period(_text(get("period"))))


def derive(relation, figures: pd.DataFrame, params: dict, relations: pd.DataFrame | None = None) -> Derived:
    """The value one relation row derives.

    ``params`` holds ``fx_usd_cny`` (yuan per US dollar, a Fraction) and
    ``population`` (residents, an :class:`Interval`) for the kinds that use them, and
    ``approx_tolerance`` (optional, a Fraction) for 约/预计 inputs.
    ``relations`` (the package's whole table) is needed by the kinds that read sibling rows:

    * ``sum_of_parts`` (x a part, y the whole): the rows with the same y, in file order, are the whole's
      complete decomposition; each row derives the running total ``x + the parts listed before it`` (same unit
      as x), so the group's last row holds the sum of all parts, which :mod:`helpers.core.checks` compares with y;
    * ``printed_share`` (x a printed share in %, y the part it is the share of): the whole is the y of the
      ``share_of_whole`` or ``sum_of_parts`` row whose x is this part; derives ``100 × part / whole`` (percent),
      which :mod:`helpers.core.checks` compares with x;
    * ``prior_share`` (x a share in %, y its change in percentage points): ``x − y``, the share a year earlier.
    """
    if relation.kind == "sum_of_parts":
        return _running_sum(relation, figures, relations, params.get("approx_tolerance"))
    if relation.kind == "printed_share":
        return _printed_share(relation, figures, relations, params.get("approx_tolerance"))
    kind = KINDS[relation.kind]
    by_id = figures.set_index("id", drop=False)
    ids = [relation.x] + ([relation.y] if kind.binary else [])
    missing = [i for i in ids if i not in by_id.index]
    if missing:
        raise RelationError(f"relation {relation.id!r}: figure(s) not in the package: {', '.join(missing)}")
    tolerance = params.get("approx_tolerance")
    x = figure_input(by_id.loc[relation.x], tolerance)
    y = figure_input(by_id.loc[relation.y], tolerance) if kind.binary else None
    period = _common_period(relation, [x, y] if y else [x])
    if kind.needs_period and x.period is None:
        raise RelationError(f"relation {relation.id!r}: kind {kind.name!r} needs a stated period for {x.id}")
    p = params[kind.parameter] if kind.parameter else None
    interval = kind.compute(x.interval, y.interval if y else None, p, x.period)
    formula = _render(kind.formula, relation.x, relation.y if kind.binary else None)
    return Derived(
        relation.id,
        int(relation.section),
        kind.name,
        tuple(ids),
        formula,
        interval,
        kind.unit(x.unit, y.unit if y else None),
        period if kind.binary else x.period,
        relation.label_zh,
        relation.label_en,
    )


def _common_period(relation, inputs: list[Input]) -> Period | None:
    """The one period a relation's inputs cover (None: not stated, or mixed on purpose); inputs of different
    periods are a :class:`RelationError` naming the relation and its ``allow_mixed_periods`` field."""
    allow = relation.allow_mixed_periods
    try:
        return periods.common_period({i.id: i.period for i in inputs}, allow_mixed=bool(allow) and not pd.isna(allow))
    except periods.PeriodMismatch as e:
        listed = ", ".join(f"{i} {'not stated' if p is None else p.iso}" for i, p in e.periods.items())
        raise MixedPeriods(
            f"relation {relation.id!r} combines figures of different periods ({listed}); set its "
            "allow_mixed_periods field to true in relations.csv to combine them on purpose",
            e.periods,
        ) from None


def _inputs(relation, figures: pd.DataFrame, ids: list[str], tolerance: Fraction | None = None) -> list[Input]:
    by_id = figures.set_index("id", drop=False)
    missing = [i for i in ids if i not in by_id.index]
    if missing:
        raise RelationError(f"relation {relation.id!r}: figure(s) not in the package: {', '.join(missing)}")
    return [figure_input(by_id.loc[i], tolerance) for i in ids]


def _siblings(relation, relations: pd.DataFrame | None) -> pd.DataFrame:
    if relations is None:
        raise RelationError(
            f"relation {relation.id!r}: kind {relation.kind!r} reads the other rows of "
            f"relations.csv; pass them (derive(..., relations=pkg.relations))"
        )
    return relations


def group_parts(relations: pd.DataFrame, whole: str) -> list[str]:
    """The parts listed for ``whole`` by ``sum_of_parts`` rows, in file order."""
    rows = relations[(relations["kind"] == "sum_of_parts") & (relations["y"] == whole)]
    return list(rows["x"])


def _running_sum(
    relation, figures: pd.DataFrame, relations: pd.DataFrame | None, tolerance: Fraction | None = None
) -> Derived:
    """``sum_of_parts``: this part plus the parts listed before it for the same whole (inputs: parts, then whole)."""
    rels = _siblings(relation, relations)
    parts = group_parts(rels, relation.y)
    upto = parts[: parts.index(relation.x) + 1] if relation.x in parts else [relation.x]
    inputs = _inputs(relation, figures, upto + [relation.y], tolerance)
    total = inputs[0].interval
    for i in inputs[1:-1]:
        total = total + i.interval
    period = _common_period(relation, inputs)
    complete = upto == parts
    note = f" (all parts of {relation.y})" if complete else f" (parts of {relation.y} so far)"
    return Derived(
        relation.id,
        int(relation.section),
        "sum_of_parts",
        tuple(i.id for i in inputs),
        " + ".join(upto) + note,
        total,
        inputs[0].unit,
        period,
        relation.label_zh,
        relation.label_en,
    )


def whole_of(relations: pd.DataFrame, part: str) -> str | None:
    """The whole a part is related to by a ``share_of_whole`` or ``sum_of_parts`` row (None if none)."""
    rows = relations[relations["kind"].isin(WHOLE_KINDS) & (relations["x"] == part)]
    wholes = sorted(set(rows["y"].dropna()))
    if len(wholes) > 1:
        raise RelationError(
            f"figure {part!r} is a part of several wholes ({', '.join(wholes)}); "
            f"printed_share cannot tell which its share is of"
        )
    return wholes[0] if wholes else None


def _printed_share(
    relation, figures: pd.DataFrame, relations: pd.DataFrame | None, tolerance: Fraction | None = None
) -> Derived:
    """``printed_share``: ``100 × part / whole`` (inputs: the printed share, the part, the whole)."""
    whole = whole_of(_siblings(relation, relations), relation.y)
    if whole is None:
        raise RelationError(
            f"relation {relation.id!r}: no share_of_whole or sum_of_parts row has "
            f"x = {relation.y!r}, so the whole its printed share is of is unknown"
        )
    share, part, total = _inputs(relation, figures, [relation.x, relation.y, whole], tolerance)
    period = _common_period(relation, [share, part, total])
    return Derived(
        relation.id,
        int(relation.section),
        "printed_share",
        (share.id, part.id, total.id),
        f"100 × {part.id} / {total.id}",
        HUNDRED * part.interval / total.interval,
        "percent",
        period,
        relation.label_zh,
        relation.label_en,
    )


def _render(formula: str, x: str, y: str | None) -> str:
    """The formula with the figures' ids in place of x and y."""
    out = []
    for token in formula.split(" "):
        out.append(
            token.replace("x", x)
            if token.strip("()") == "x"
            else token.replace("y", y)
            if (y and token.strip("()") == "y")
            else token
        )
    return " ".join(out)


@dataclass(frozen=True)
class Skipped:
    """A relation that cannot be computed here: the parameter it needs (``population``, ``fx_usd_cny``) has no
    value (the package states none and none was given)."""

    id: str
    section: int
    kind: str
    parameter: str
    label_zh: str
    label_en: str


def not_computed(pkg, params: dict, section: int | None = None) -> list[Skipped]:
    """The relations :func:`derive_all` leaves out, in file order, each with the parameter it lacks."""
    rows = pkg.relations if section is None else pkg.relations[pkg.relations["section"] == section]
    return [
        Skipped(r.id, int(r.section), r.kind, str(KINDS[r.kind].parameter), r.label_zh, r.label_en)
        for r in rows.itertuples(index=False)
        if KINDS[r.kind].parameter and params.get(KINDS[r.kind].parameter) is None
    ]


def derive_all(pkg, params: dict, section: int | None = None) -> list[Derived]:
    """Every relation of the package (or of one section), in file order.

    Relations whose parameter is None (e.g. no population base in this package) are left out: :func:`not_computed`
    lists them, for the pages and the run's output to say so.
    """
    rows = pkg.relations if section is None else pkg.relations[pkg.relations["section"] == section]
    return [
        derive(r, pkg.figures, params, pkg.relations)
        for r in rows.itertuples(index=False)
        if not (KINDS[r.kind].parameter and params.get(KINDS[r.kind].parameter) is None)
    ]


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)
