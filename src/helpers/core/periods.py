"""The periods figures cover, as ISO 8601 intervals: parsed, compared, and never silently mixed.

A figure such as "1-11月 retail sales" covers a period; the report's figures do
not all cover the same one.  :func:`parse_period` reads the ISO forms stored in
the data (``2022-01/2022-11``, ``2022-01-01/2022-11-30``, ``2022-03``, ``2022``),
:class:`Period` holds the first and last day (both inclusive), :func:`form`
says how a period is written (the reader's layer words it:
``helpers.reader.amounts.period_label``), and :func:`common_period` refuses to
combine figures that cover different periods unless asked to.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

ACCEPTED_FORMS = "YYYY-MM/YYYY-MM, YYYY-MM-DD/YYYY-MM-DD, YYYY-MM or YYYY"

_MONTH_RANGE = re.compile(r"(\d{4})-(\d{2})/(\d{4})-(\d{2})")
_DAY_RANGE = re.compile(r"(\d{4})-(\d{2})-(\d{2})/(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")


class PeriodError(ValueError):
    """A period that cannot be read, labelled or compared."""


class PeriodMismatch(PeriodError):
    """Figures that cover different periods were about to be combined.

    ``periods`` holds the figure ids and their periods (None: not stated).
    """

    def __init__(self, message: str, periods: Mapping[str, Period | None]) -> None:
        super().__init__(message)
        self.periods = dict(periods)


@dataclass(frozen=True, order=True)
class Period:
    """The calendar days from ``start`` to ``end``, both inclusive (``end`` is the last day).

    Periods order by start, then end.
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, date) or isinstance(value, datetime):
                raise PeriodError(f"{name} must be a datetime.date, got {type(value).__name__} {value!r}")
        if self.end < self.start:
            raise PeriodError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def is_month_aligned(self) -> bool:
        """True when the period runs from the 1st of a month to the last day of a month."""
        return self.start.day == 1 and self.end.day == _last_day(self.end.year, self.end.month)

    @property
    def is_whole_years(self) -> bool:
        """True when the period runs from 1 January to 31 December."""
        return self.is_month_aligned and self.start.month == 1 and self.end.month == 12

    @property
    def iso(self) -> str:
        """ISO 8601 interval: ``2022-01/2022-11`` when month-aligned, else ``2022-01-05/2022-11-30``.

        A whole calendar year is ``2022-01/2022-12``; one month ``2022-03/2022-03``.
        """
        if self.is_month_aligned:
            return f"{self.start:%Y-%m}/{self.end:%Y-%m}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def days(self) -> int:
        """Calendar days in the period, both ends included: ``2022-01/2022-11`` → 334."""
        return (self.end - self.start).days + 1

    @property
    def months(self) -> int | None:
        """Whole months in the period (``2022-01/2022-11`` → 11), or None when not month-aligned."""
        if not self.is_month_aligned:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def parse_period(text: str | None) -> Period | None:
    """The period an ISO string stands for; None when the report states no period.

    ``""``, ``None`` and NaN (an empty CSV cell read by pandas) → None.
    ``"2022-01/2022-11"`` → 1 Jan to 30 Nov 2022; ``"2022-01-01/2022-11-30"`` → the
    same; ``"2022-03"`` → March 2022; ``"2022"`` → the year 2022.  Anything else, an
    impossible date, or an end before the start → :class:`PeriodError`.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    if not isinstance(text, str):
        raise PeriodError(
            f"period must be a string, got {type(text).__name__} {text!r}; accepted forms: {ACCEPTED_FORMS}"
        )
    s = text.strip()
    if not s:
        return None
    try:
        if m := _MONTH_RANGE.fullmatch(s):
            y1, m1, y2, m2 = map(int, m.groups())
            return Period(date(y1, m1, 1), date(y2, m2, _last_day(y2, m2)))
        if m := _DAY_RANGE.fullmatch(s):
            y1, m1, d1, y2, m2, d2 = map(int, m.groups())
            return Period(date(y1, m1, d1), date(y2, m2, d2))
        if m := _MONTH.fullmatch(s):
            y, mo = map(int, m.groups())
            return Period(date(y, mo, 1), date(y, mo, _last_day(y, mo)))
        if m := _YEAR.fullmatch(s):
            y = int(m.group(1))
            return Period(date(y, 1, 1), date(y, 12, 31))
    except (ValueError, calendar.IllegalMonthError) as exc:  # PeriodError is a ValueError too
        raise PeriodError(f"cannot read period {text!r}: {exc}; accepted forms: {ACCEPTED_FORMS}") from None
    raise PeriodError(f"cannot read period {text!r}; accepted forms: {ACCEPTED_FORMS}")


def form(period: Period | None) -> tuple[str, dict[str, int]]:
    """How a period is written, without words: the form's name and the numbers it shows.

    The reader's layer words each form (``helpers.reader.amounts.period_label``); the numbers are
    ``y1, m1, d1`` (start) and ``y2, m2, d2`` (end), as far as the form shows them:

    * ``none`` (the report states no period): no numbers
    * ``year`` (2022), ``years`` (2021-2022): ``y1`` (``y2``)
    * ``month`` (2022-03), ``months`` (2022-01/2022-11), ``months_across_years`` (2021-12/2022-02)
    * ``days`` (2022-01-05/2022-11-30), ``days_across_years`` (2021-12-05/2022-01-30)
    """
    if period is None:
        return "none", {}
    if not isinstance(period, Period):
        raise PeriodError(f"label needs a Period or None, got {type(period).__name__} {period!r}")
    s, e = period.start, period.end
    same_year = s.year == e.year
    if period.is_whole_years:
        return ("year", {"y1": s.year}) if same_year else ("years", {"y1": s.year, "y2": e.year})
    if period.is_month_aligned:
        if not same_year:
            return "months_across_years", {"y1": s.year, "m1": s.month, "y2": e.year, "m2": e.month}
        if s.month == e.month:
            return "month", {"y1": s.year, "m1": s.month}
        return "months", {"y1": s.year, "m1": s.month, "m2": e.month}
    fields = {"y1": s.year, "m1": s.month, "d1": s.day, "y2": e.year, "m2": e.month, "d2": e.day}
    return ("days" if same_year else "days_across_years"), fields


def common_period(periods: Mapping[str, Period | None], allow_mixed: bool = False) -> Period | None:
    """The one period all the figures cover, keyed by figure id.

    All equal → that period (all not stated → None).  Different → :class:`PeriodMismatch`
    listing every id with its period, unless ``allow_mixed=True``, which returns None
    (there is no single period).  No figures at all → :class:`PeriodError`.
    """
    if not periods:
        raise PeriodError("common_period needs at least one figure id, got none")
    for fid, p in periods.items():
        if p is not None and not isinstance(p, Period):
            raise PeriodError(f"period of {fid!r} must be a Period or None, got {type(p).__name__} {p!r}")
    values = list(periods.values())
    if all(p == values[0] for p in values):
        return values[0]
    if allow_mixed:
        return None
    listed = ", ".join(f"{fid} {'not stated' if p is None else p.iso}" for fid, p in periods.items())
    raise PeriodMismatch(
        f"figures cover different periods: {listed}; pass allow_mixed=True to combine them anyway",
        periods,
    )


def contains(outer: Period, inner: Period) -> bool:
    """True when every day of ``inner`` lies in ``outer``."""
    _require(outer, "outer")
    _require(inner, "inner")
    return outer.start <= inner.start and inner.end <= outer.end


def overlaps(a: Period, b: Period) -> bool:
    """True when the two periods share at least one day."""
    _require(a, "a")
    _require(b, "b")
    return a.start <= b.end and b.start <= a.end


def _require(p: object, name: str) -> None:
    if not isinstance(p, Period):
        raise PeriodError(f"{name} must be a Period (a period not stated cannot be compared), got {p!r}")


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]
