"""Consistency checks: verdicts from overlapping intervals, with the arithmetic written out.

Some relations constrain figures the report states separately.  Each check
recomputes one number from the others (with interval arithmetic, so printed
rounding is allowed for) and compares it with what the report prints or with
what must hold:

* ``share_of_period``: ``100 × x / days of x's period`` against the printed share ``y``;
* ``share_of_whole``: a part is at most its whole, so ``100 × x / y`` must overlap [0, 100];
* ``part_from_share`` on counts: ``x × y / 100`` counts things, so it must contain a whole number;
* ``sum_of_parts``: the running total of a whole's parts is at most the whole, and the total of all of them
  (the group's last row) must overlap the whole;
* ``printed_share``: ``100 × part / whole`` against the printed share.

Findings and bookkeeping: a check against a printed figure (a share, a total, a whole number of things) could
have failed and is a finding; a check that a part lies within its whole (``share_of_whole`` in [0, 100], a
running total of parts at most the whole) only confirms how the package was entered (its parts were recorded as
parts of that whole) and is bookkeeping (:data:`BOOKKEEPING_KINDS`, :func:`findings`): shown, never counted
among the findings.

Verdicts: ``consistent`` (the intervals overlap: rounding can explain any
difference), ``inconsistent`` (they cannot overlap, whatever the rounding) and
``cannot tell`` (an input is only a bound, so the recomputed value is open on
the side that matters).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from helpers.core import periods
from helpers.core.intervals import Interval
from helpers.core.relations import Derived, figure_input

STATUSES = ("consistent", "inconsistent", "cannot tell")
#: The kinds of check (:attr:`Check.kind`) that only confirm the package's own bookkeeping: a part within its whole.
BOOKKEEPING_KINDS = ("share_of_whole", "partial_sum")
CHECKED_KINDS = ("share_of_period", "share_of_whole", "part_from_share", "sum_of_parts", "printed_share")


@dataclass(frozen=True)
class Check:
    """One verdict: what the other figures imply against what is observed or required."""

    id: str
    section: int
    inputs: tuple[str, ...]
    expected: Interval  # recomputed from the inputs
    observed: Interval  # printed (or required) interval it must overlap
    status: str
    explanation: str  # in English with figure ids (for checks.csv); :func:`explain` writes it for readers
    kind: str = ""


def check(derived: Derived, figures, tolerance: Fraction | None = None) -> Check | None:
    """The check a derived value allows, or None for kinds that only derive.

    ``tolerance`` is the relative tolerance of 约/预计 inputs (None: the default).
    """
    if derived.kind not in CHECKED_KINDS:
        return None
    by_id = figures.set_index("id", drop=False)
    if derived.kind in ("sum_of_parts", "printed_share"):
        return _group_check(derived, [figure_input(by_id.loc[i], tolerance) for i in derived.inputs])
    x = figure_input(by_id.loc[derived.inputs[0]], tolerance)
    y = figure_input(by_id.loc[derived.inputs[1]], tolerance)
    expected = derived.interval
    if derived.kind == "share_of_period":
        assert x.period is not None  # relations.derive refuses a share_of_period whose x has no period
        observed = y.interval
        arithmetic = (
            f"100 × {x.id} {x.interval.format(0)} / {x.period.days} days "
            f"({_log_period(x.period)}) = {expected.format(2)} %; "
            f"{y.id} is printed as {y.interval.format(2)} %"
        )
    elif derived.kind == "share_of_whole":
        observed = Interval.closed(0, 100)
        arithmetic = (
            f"100 × {x.id} / {y.id} = {expected.format(4)} %; a part is at most "
            f"its whole, so the share must lie in [0, 100]"
        )
    else:  # part_from_share
        observed = _whole_numbers_in(expected)
        arithmetic = (
            f"{x.id} {x.interval.format(0)} × {y.id} {y.interval.format(2)} % / 100 = "
            f"{expected.format(2)}; a count of things must be a whole number"
        )
    status = verdict(expected, observed)
    note = ""
    if x.period != y.period:
        note = (
            f" The inputs cover different periods ({x.id}: {_log_period(x.period)}; "
            f"{y.id}: {_log_period(y.period)}), combined deliberately."
        )
    return Check(
        derived.id,
        derived.section,
        derived.inputs,
        expected,
        observed,
        status,
        f"{arithmetic}: {status}.{note}",
        derived.kind,
    )


def _group_check(derived: Derived, inputs: list) -> Check:
    """The checks of the kinds with more than two inputs (sum_of_parts, printed_share)."""
    expected = derived.interval
    if derived.kind == "printed_share":
        share, part, whole = inputs
        observed = share.interval
        arithmetic = (
            f"100 × {part.id} / {whole.id} = {expected.format(4)} %; "
            f"{share.id} is printed as {share.interval.format(2)} %"
        )
    else:
        *parts, whole = inputs
        names = " + ".join(p.id for p in parts)
        if _is_last(derived):
            observed = whole.interval
            arithmetic = (
                f"{names} = {expected.format(2)}; the parts together must make {whole.id} {whole.interval.format(2)}"
            )
        else:
            observed = Interval(None, whole.interval.hi, hi_closed=whole.interval.hi_closed)
            arithmetic = f"{names} = {expected.format(2)}; parts of {whole.id} add up to at most the whole"
    status = verdict(expected, observed)
    kind = derived.kind if derived.kind == "printed_share" or _is_last(derived) else "partial_sum"
    return Check(
        derived.id, derived.section, derived.inputs, expected, observed, status, f"{arithmetic}: {status}.", kind
    )


#: How checks.csv's log (English with figure ids, not a reader's page) writes a period: see periods.form.
_LOG_PERIOD = {
    "none": "not stated",
    "year": "{y1}",
    "years": "{y1}–{y2}",
    "month": "{mon1} {y1}",
    "months": "{mon1}–{mon2} {y1}",
    "months_across_years": "{mon1} {y1}–{mon2} {y2}",
    "days": "{d1} {mon1}–{d2} {mon2} {y1}",
    "days_across_years": "{d1} {mon1} {y1}–{d2} {mon2} {y2}",
}
_LOG_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _log_period(period: periods.Period | None) -> str:
    form, fields = periods.form(period)
    months = {f"mon{k}": _LOG_MONTHS[fields[f"m{k}"] - 1] for k in (1, 2) if f"m{k}" in fields}
    return _LOG_PERIOD[form].format(**fields, **months)


def _is_last(derived: Derived) -> bool:
    """A sum_of_parts value that totals every part of its whole (its formula says so: see relations)."""
    return "(all parts of " in derived.formula


def verdict(expected: Interval, observed: Interval) -> str:
    """consistent if the intervals overlap; cannot tell if ``expected`` is unbounded; else inconsistent."""
    if expected.overlaps(observed):
        return "consistent"
    if not expected.is_bounded:
        return "cannot tell"
    return "inconsistent"


def _whole_numbers_in(i: Interval) -> Interval:
    """The smallest closed interval of whole numbers around ``i`` (its integer hull), or the point just below.

    A bounded interval containing an integer overlaps the returned interval;
    one containing none does not: the result is then the nearest integer below.
    """
    if i.lo is None or i.hi is None:  # not bounded
        return Interval(None, None)
    lo = math.ceil(i.lo) if i.lo_closed else math.floor(i.lo) + 1
    hi = math.floor(i.hi) if i.hi_closed else math.ceil(i.hi) - 1
    if lo > hi:
        return Interval.point(Fraction(math.floor(i.lo)))
    return Interval.closed(Fraction(lo), Fraction(hi))


def check_all(derived: list[Derived], figures, tolerance: Fraction | None = None) -> list[Check]:
    """The checks among ``derived``, in order (``tolerance``: see :func:`check`)."""
    return [c for c in (check(d, figures, tolerance) for d in derived) if c is not None]


def is_bookkeeping(c: Check) -> bool:
    """Whether a check only confirms that a part lies within its whole (see the module's docstring)."""
    return c.kind in BOOKKEEPING_KINDS


def findings(found: list[Check]) -> list[Check]:
    """The checks that could have failed (every check but the bookkeeping ones), in order."""
    return [c for c in found if not is_bookkeeping(c)]


def bookkeeping(found: list[Check]) -> list[Check]:
    """The bookkeeping checks among ``found``, in order."""
    return [c for c in found if is_bookkeeping(c)]
