"""The interval a printed number stands for, and exact arithmetic on such intervals.

A figure printed as ``24.9%`` is not the number 24.9: it is any value that rounds to 24.9, i.e. the half-open
interval ``[24.85, 24.95)``.  Derived numbers (sums, differences, ratios) inherit that uncertainty, and interval
arithmetic carries it through exactly.  :func:`from_printed` turns a printed value into its interval in base units
(see :mod:`helpers.core.units`); :class:`Interval` does the arithmetic.

Everything is exact: endpoints are :class:`fractions.Fraction` (or ``None`` for an infinite end), never binary
floats.  Floats are rejected wherever a number is accepted; :meth:`Interval.to_floats` exists only for plotting.

An interval is a non-empty set of *finite* real numbers.  An infinite end is always open: ``Interval(3, None)`` is
``[3, +∞)``, the reals ``x >= 3``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from helpers.core.units import UnitError, decimals, parse_decimal, parse_unit

#: Qualifiers a printed figure may carry, with the Chinese words they stand for.
QUALIFIERS: dict[str, str] = {
    "exact": "printed without qualifier",
    "approx": "约 (about)",
    "estimate": "预计 (expected)",
    "more_than": "超, 余, 突破 (more than)",
    "at_most": "以内, 以下, 不足 (at most)",
    "range": "3-5 (a printed range; the value is its low end)",
}

#: Qualifiers whose number is a writer's approximation (约) or forecast (预计), widened by a relative tolerance.
APPROXIMATE = ("approx", "estimate")

#: Default relative tolerance for 约 and 预计 figures: ±5% of the printed value (parameter ``approx_tolerance``).
APPROX_TOLERANCE = Fraction(5, 100)

_MINUS = "\u2212"  # typographic minus sign, used by Interval.format
_INF = math.inf  # private stand-in for an infinite end inside the arithmetic


class IntervalError(ValueError):
    """An interval, a printed figure or an interval operation that makes no sense."""


def _exact(x: object, what: str) -> Fraction:
    """``x`` as an exact Fraction; ints and Fractions only (floats are not exact)."""
    if isinstance(x, bool):
        raise IntervalError(f"{what} must be an int or Fraction, got the bool {x!r}")
    if isinstance(x, float):
        raise IntervalError(
            f"{what} must be exact (int, Fraction or a decimal string), got the float {x!r}; "
            f"write Fraction({str(x)!r}) or pass the printed string"
        )
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    raise IntervalError(f"{what} must be an int or Fraction, got {type(x).__name__} {x!r}")


def _number(x: object, what: str) -> Fraction:
    """Like :func:`_exact` but also reads a printed decimal string such as ``"1.2065"``."""
    if isinstance(x, str):
        try:
            return parse_decimal(x)
        except UnitError as exc:
            raise IntervalError(f"{what}: {exc}") from None
    return _exact(x, what)


@dataclass(frozen=True)
class Interval:
    """A non-empty interval of real numbers with exact, possibly infinite, ends.

    ``lo is None`` means −∞ and ``hi is None`` means +∞; an infinite end is always open (its ``*_closed`` flag is
    stored as False whatever was passed).  ``lo <= hi`` is required, and a single point ``lo == hi`` must be
    closed at both ends.

    Ends may be given as int or Fraction; floats are rejected because they are not the printed numbers.  Use
    :meth:`point` or :meth:`closed` to build an interval from decimal strings.
    """

    lo: Fraction | None  # None means -infinity
    hi: Fraction | None  # None means +infinity
    lo_closed: bool = True  # ignored (stored False) when lo is None
    hi_closed: bool = True  # ignored (stored False) when hi is None

    def __post_init__(self) -> None:
        lo = None if self.lo is None else _exact(self.lo, "lower end")
        hi = None if self.hi is None else _exact(self.hi, "upper end")
        for name in ("lo_closed", "hi_closed"):
            if not isinstance(getattr(self, name), bool):
                raise IntervalError(f"{name} must be a bool, got {getattr(self, name)!r}")
        lo_closed = self.lo_closed and lo is not None
        hi_closed = self.hi_closed and hi is not None
        if lo is not None and hi is not None:
            if lo > hi:
                raise IntervalError(f"lower end {lo} is above upper end {hi}")
            if lo == hi and not (lo_closed and hi_closed):
                raise IntervalError(f"the single point {lo} must be closed at both ends (an open point is empty)")
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)
        object.__setattr__(self, "lo_closed", lo_closed)
        object.__setattr__(self, "hi_closed", hi_closed)

    # ---- constructors -------------------------------------------------------

    @classmethod
    def point(cls, x: int | Fraction | str) -> Interval:
        """The single exact value ``[x, x]``; ``x`` may be a decimal string."""
        v = _number(x, "point")
        return cls(v, v)

    @classmethod
    def closed(cls, lo: int | Fraction | str, hi: int | Fraction | str) -> Interval:
        """The closed interval ``[lo, hi]``; ends may be decimal strings."""
        return cls(_number(lo, "lower end"), _number(hi, "upper end"))

    # ---- properties ---------------------------------------------------------

    @property
    def is_point(self) -> bool:
        """True for a single exact value ``[x, x]``."""
        return self.lo is not None and self.lo == self.hi

    @property
    def is_bounded(self) -> bool:
        """True when both ends are finite."""
        return self.lo is not None and self.hi is not None

    @property
    def midpoint(self) -> Fraction | None:
        """``(lo + hi) / 2``, or None when an end is infinite."""
        if self.lo is None or self.hi is None:
            return None
        return (self.lo + self.hi) / 2

    @property
    def width(self) -> Fraction | None:
        """``hi − lo`` in the interval's units, or None when an end is infinite."""
        if self.lo is None or self.hi is None:
            return None
        return self.hi - self.lo

    # ---- set relations ------------------------------------------------------

    def contains(self, x: int | Fraction | str) -> bool:
        """True when the exact value ``x`` lies in the interval (open ends excluded)."""
        v = _number(x, "value")
        if self.lo is not None and (v < self.lo or (v == self.lo and not self.lo_closed)):
            return False
        if self.hi is not None and (v > self.hi or (v == self.hi and not self.hi_closed)):
            return False
        return True

    def overlaps(self, other: Interval) -> bool:
        """True when the two intervals share at least one value.

        Touching ends share a value only if both are closed: ``[1, 2]`` and
        ``[2, 3]`` overlap, ``[1, 2)`` and ``[2, 3]`` do not.
        """
        other = _as_interval(other, "overlaps")
        return _below_or_touching(self, other) and _below_or_touching(other, self)

    def hull(self, other: Interval) -> Interval:
        """The smallest interval containing both (an end is closed if the end that made it is)."""
        other = _as_interval(other, "hull")
        lo, lo_closed = _pick_end((self.lo, self.lo_closed), (other.lo, other.lo_closed), lower=True)
        hi, hi_closed = _pick_end((self.hi, self.hi_closed), (other.hi, other.hi_closed), lower=False)
        return Interval(lo, hi, lo_closed, hi_closed)

    # ---- arithmetic ---------------------------------------------------------
    #
    # x ∈ A, y ∈ B  ⇒  x + y ∈ A + B, x − y ∈ A − B, x·y ∈ A·B, x / y ∈ A / B.
    # An end of the result is closed only if it is attained, i.e. both ends that
    # produced it are closed (or, for products, one of them is a closed 0).

    def __neg__(self) -> Interval:
        """``−[lo, hi] = [−hi, −lo]``; ends swap, keeping their open/closed kind."""
        return Interval(
            None if self.hi is None else -self.hi,
            None if self.lo is None else -self.lo,
            self.hi_closed,
            self.lo_closed,
        )

    def __add__(self, other: Interval | int | Fraction) -> Interval:
        """``[a, b] + [c, d] = [a + c, b + d]``; an infinite end stays infinite."""
        other = _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return Interval(
            None if self.lo is None or other.lo is None else self.lo + other.lo,
            None if self.hi is None or other.hi is None else self.hi + other.hi,
            self.lo_closed and other.lo_closed,
            self.hi_closed and other.hi_closed,
        )

    def __radd__(self, other: int | Fraction) -> Interval:
        return self.__add__(other)

    def __sub__(self, other: Interval | int | Fraction) -> Interval:
        """``[a, b] − [c, d] = [a − d, b − c]`` (the widths add up)."""
        other = _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other: int | Fraction) -> Interval:
        left = _operand(other)
        if left is NotImplemented:
            return NotImplemented
        return left - self

    def __mul__(self, other: Interval | int | Fraction) -> Interval:
        """``[a, b]·[c, d] = [min, max]`` of the four end products ``ac, ad, bc, bd``.

        With an infinite end, ``0 × ∞`` counts as 0: every member of an interval is a finite real, so a 0 end
        times the values near an infinite end is still 0 (and the other end products supply the unbounded side).
        An end of the result is closed when some end product reaching it comes from two closed ends, or from a
        closed 0 end (0 times any member of the other interval).
        """
        other = _operand(other)
        if other is NotImplemented:
            return NotImplemented
        candidates = [
            (_ext_mul(x, y), (xc and yc) or (x == 0 and xc) or (y == 0 and yc))
            for x, xc in _ends(self)
            for y, yc in _ends(other)
        ]
        lo = min(v for v, _ in candidates)
        hi = max(v for v, _ in candidates)
        return Interval(
            _finite(lo),
            _finite(hi),
            any(c for v, c in candidates if v == lo),
            any(c for v, c in candidates if v == hi),
        )

    def __rmul__(self, other: int | Fraction) -> Interval:
        return self.__mul__(other)

    def __truediv__(self, other: Interval | int | Fraction) -> Interval:
        """``A / B = A × (1 / B)`` over the divisors in ``B`` other than 0.

        * ``B`` the point 0: :class:`IntervalError` (nothing to divide by).
        * 0 strictly inside ``B``: the quotients form two half-lines, e.g. ``[1, 2] / [−1, 1] = (−∞, −1] ∪ [1, +∞)``;
          the result is their hull, the whole line ``Interval(None, None)`` — the honest answer for a ratio whose
          divisor might be either sign (except ``0 / B``, which is the point 0).
        * 0 an end of ``B`` (open or closed): divisors near 0 give unbounded quotients, so the result is a
          half-line, e.g. ``[2, 3] / [0, 5] = [2/5, +∞)``.
        """
        other = _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return self * _reciprocal(other, self)

    def __rtruediv__(self, other: int | Fraction) -> Interval:
        left = _operand(other)
        if left is NotImplemented:
            return NotImplemented
        return left / self

    # ---- output -------------------------------------------------------------

    def format(self, places: int = 2, scale: Fraction | int = 1) -> str:
        """The interval for people: ends divided by ``scale``, rounded outward to ``places`` decimals.

        The lower end is rounded down and the upper end up, so the printed interval encloses the true one:
        ``[24.85, 24.95)``, ``[3,200.00, ∞)``, ``(−∞, 5.00]``, ``[−0.13, 0.13]`` for ±0.125.  A point prints as its
        value alone, rounded half away from zero: ``2,274.00``.  Thousands separators, the typographic minus ``−``;
        ``scale`` (a positive int or Fraction) converts base units for display (``10**8`` prints yuan as 亿元).
        """
        places, scale = _display_args(places, scale)
        if self.is_point and self.lo is not None:
            return format_number(self.lo / scale, places)
        lo = f"{_MINUS}∞" if self.lo is None else format_number(self.lo / scale, places, -1)
        hi = "∞" if self.hi is None else format_number(self.hi / scale, places, 1)
        return f"{'[' if self.lo_closed else '('}{lo}, {hi}{']' if self.hi_closed else ')'}"

    def __str__(self) -> str:
        return self.format()

    def to_floats(self, scale: Fraction | int = 1) -> tuple[float, float]:
        """``(lo / scale, hi / scale)`` as floats for plotting; infinite ends as ∓inf."""
        _, scale = _display_args(0, scale)
        return (
            -math.inf if self.lo is None else float(self.lo / scale),
            math.inf if self.hi is None else float(self.hi / scale),
        )


def from_printed(
    value: str, unit: str, qualifier: str, rounded: bool, tolerance: Fraction | int | None = None
) -> Interval:
    """The interval, in base units, that a printed figure stands for.

    ``value`` is the number as printed (a string, so that its precision is
    known), ``unit`` the printed unit (``亿元``, ``亩``, ``%``), ``qualifier`` one of
    :data:`QUALIFIERS`.  With ``v`` the printed value and ``f`` the unit's factor
    to base units (:func:`helpers.core.units.parse_unit`):

    * ``rounded=False`` (counts, exact values): the point ``[v·f, v·f]``.
    * ``rounded=True``: half a unit of the last printed digit,
      ``h = 0.5 × 10**(−decimals)``, gives ``[(v − h)·f, (v + h)·f)``.  The convention is
      round-half-up: a true value exactly halfway between two printed values is
      printed as the upper one, so the lower end is closed and the upper open.
      ``24.9`` → ``[24.85, 24.95)``; ``84`` → ``[83.5, 84.5)``.
    * ``approx`` (约) and ``estimate`` (预计): the writer's number is rougher than its
      printed digits, so it is widened by the relative ``tolerance`` ``t`` (a Fraction,
      default :data:`APPROX_TOLERANCE`, ±5%): the closed interval ``[v·(1 − t)·f, v·(1 + t)·f]``,
      or the rounding interval where that is wider (``t`` = 0 gives the rounding interval).
      ``约4557万元`` at ±5% → ``[4329.15, 4784.85]`` 万元.
    * ``more_than`` (超, 余, 突破): ``[v·f, +∞)``, closed at the printed value,
      whatever ``rounded`` says.
    * ``at_most`` (以内, 以下, 不足): ``(−∞, v·f]``, open below, closed at the printed value.
    * ``range`` (3-5个): the value is the range's low end and the schema keeps no high end, so
      ``[v·f, +∞)``, a lower bound, like ``more_than``.
    """
    if qualifier not in QUALIFIERS:
        raise IntervalError(f"unknown qualifier {qualifier!r}; allowed: {', '.join(QUALIFIERS)}")
    if not isinstance(value, str):
        raise IntervalError(f"value must be the printed string, got {type(value).__name__} {value!r}")
    if not isinstance(rounded, bool):
        raise IntervalError(f"rounded must be True or False, got {rounded!r}")
    t = check_tolerance(APPROX_TOLERANCE if tolerance is None else tolerance)
    factor = parse_unit(unit).factor
    try:
        v = parse_decimal(value)
    except UnitError as exc:
        raise IntervalError(str(exc)) from None
    if qualifier in ("more_than", "range"):
        return Interval(v * factor, None)
    if qualifier == "at_most":
        return Interval(None, v * factor)
    if not rounded:
        exact = Interval(v * factor, v * factor)
    else:
        h = Fraction(1, 2) / 10 ** decimals(value)
        exact = Interval((v - h) * factor, (v + h) * factor, lo_closed=True, hi_closed=False)
    if qualifier in APPROXIMATE and t:
        spread = abs(v) * t
        return exact.hull(Interval((v - spread) * factor, (v + spread) * factor))
    return exact


def check_tolerance(tolerance: object) -> Fraction:
    """A relative tolerance as an exact Fraction in [0, 1); anything else is an :class:`IntervalError`."""
    t = _number(tolerance, "tolerance")
    if not 0 <= t < 1:
        raise IntervalError(f"tolerance must be a relative half-width in [0, 1), e.g. 0.05 for ±5%; got {tolerance!r}")
    return t


def bound_kind(interval: Interval) -> str:
    """What an interval says about its value: ``point``, ``bounded``, ``lower_bound``, ``upper_bound`` or ``unbounded``.

    The rule for ratios follows from it: a lower bound divided by a bounded positive
    value is a lower bound; a lower bound divided by a lower bound is unbounded
    above (the divisor may be arbitrarily large), so it bounds nothing but its sign.
    """
    if interval.is_point:
        return "point"
    if interval.is_bounded:
        return "bounded"
    if interval.lo is not None:
        return "lower_bound"
    if interval.hi is not None:
        return "upper_bound"
    return "unbounded"


# ---- private helpers ---------------------------------------------------------


def _operand(x: object) -> Interval:
    """An arithmetic operand as an Interval: scalars become points; floats are refused."""
    if isinstance(x, Interval):
        return x
    if isinstance(x, (int, Fraction, float)) and not isinstance(x, bool):
        return Interval.point(_exact(x, "operand"))
    return NotImplemented


def _as_interval(x: object, op: str) -> Interval:
    if not isinstance(x, Interval):
        raise IntervalError(f"{op} needs an Interval, got {type(x).__name__} {x!r}")
    return x


def _ends(i: Interval) -> tuple[tuple[Fraction | float, bool], tuple[Fraction | float, bool]]:
    """Both ends with infinities as ∓math.inf (private to the arithmetic)."""
    return (
        (-_INF if i.lo is None else i.lo, i.lo_closed),
        (_INF if i.hi is None else i.hi, i.hi_closed),
    )


def _ext_mul(x: Fraction | float, y: Fraction | float) -> Fraction | float:
    """Product on the extended line with ``0 × ∞ = 0`` (members are finite reals)."""
    if x == 0 or y == 0:
        return Fraction(0)
    if math.isinf(x) or math.isinf(y):
        return _INF if (x > 0) == (y > 0) else -_INF
    return x * y


def _finite(x: Fraction | float) -> Fraction | None:
    """An end of the extended line as an Interval end: ∓math.inf (the only floats in the arithmetic) → None."""
    return None if isinstance(x, float) else x


def _reciprocal(b: Interval, numerator: Interval) -> Interval:
    """``{1/y : y ∈ b, y ≠ 0}`` as an interval, or its hull (see ``__truediv__``)."""
    if b.is_point and b.lo == 0:
        raise IntervalError(f"division by the point 0 (dividing {numerator})")
    lo_neg = b.lo is None or b.lo < 0
    hi_pos = b.hi is None or b.hi > 0
    if lo_neg and hi_pos:  # 0 strictly inside: two half-lines, hull is everything
        if numerator.is_point and numerator.lo == 0:
            return Interval(Fraction(0), Fraction(0))  # 0 / y = 0 for every y ≠ 0
        return Interval(None, None)
    if b.lo is not None and not lo_neg:  # b ⊂ [0, +∞)
        lo = Fraction(0) if b.hi is None else 1 / b.hi
        lo_closed = b.hi is not None and b.hi_closed
        hi = None if b.lo == 0 else 1 / b.lo
        return Interval(lo, hi, lo_closed, b.lo_closed)
    return -_reciprocal(-b, numerator)  # b ⊂ (−∞, 0]


def _below_or_touching(a: Interval, b: Interval) -> bool:
    """True when ``a`` does not lie entirely above ``b``: a.lo reaches b.hi."""
    if a.lo is None or b.hi is None:
        return True
    return a.lo < b.hi or (a.lo == b.hi and a.lo_closed and b.hi_closed)


def _pick_end(
    a: tuple[Fraction | None, bool], b: tuple[Fraction | None, bool], lower: bool
) -> tuple[Fraction | None, bool]:
    """The outer of two ends (None = infinite wins); on a tie, closed wins."""
    a0, b0 = a[0], b[0]
    if a0 is None or b0 is None:
        return None, False
    if a0 == b0:
        return a0, a[1] or b[1]
    return a if (a0 < b0 if lower else a0 > b0) else b


def _display_args(places: object, scale: object) -> tuple[int, Fraction]:
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise IntervalError(f"places must be a non-negative int, got {places!r}")
    s = _exact(scale, "scale")
    if s <= 0:
        raise IntervalError(f"scale must be positive, got {scale!r}")
    return places, s


def readable_places(interval: Interval, scale: Fraction | int = 1, most: int = 6) -> int:
    """The fewest decimals that print an interval (divided by ``scale``) honestly.

    * a bounded interval: the fewest decimals ``p`` whose outward rounding at most doubles its width
      (``2·10**−p <= width``: ``[24.85, 24.95)`` → 2, ``[83.5, 84.5)`` → 1, ``[0, 100]`` → 0), and no more than
      its ends need to print exactly;
    * a point or the finite end of a half-line: its exact decimals when there are at most 2, else four
      significant digits (``3,200``, ``1,624.5``, ``0.1234``);
    * never more than ``most``.
    """
    _, scale = _display_args(0, scale)
    ends = [e / scale for e in (interval.lo, interval.hi) if e is not None]
    exact = max((_exact_decimals(e, most) for e in ends), default=0)
    bounded_width = interval.width  # None unless the interval is bounded
    if bounded_width is not None and not interval.is_point:
        needed = next((p for p in range(most + 1) if 2 * Fraction(1, 10**p) <= bounded_width / scale), most)
        return max(0, min(needed, exact, most))
    if exact <= 2:
        return exact
    top = max(abs(e) for e in ends)
    digits = 1 + math.floor(math.log10(top)) if top else 1
    return max(0, min(4 - digits, most, exact))


def _exact_decimals(x: Fraction, most: int) -> int:
    """The fewest decimals (at most ``most``) that print ``x`` exactly; ``most`` when it does not terminate there."""
    for p in range(most + 1):
        if (x * 10**p).denominator == 1:
            return p
    return most


def format_number(x: Fraction, places: int, way: int = 0) -> str:
    """``x`` to ``places`` decimals (``1,234.50``): ``way`` 0 half away from zero, −1 down (lower bounds), +1 up."""
    scaled = x * 10**places
    half = math.floor(abs(scaled) + Fraction(1, 2)) * (1 if x >= 0 else -1)
    n = math.ceil(scaled) if way > 0 else math.floor(scaled) if way < 0 else half
    whole, frac = divmod(abs(n), 10**places)
    text = f"{whole:,}" + (f".{frac:0{places}d}" if places else "")
    return f"{_MINUS}{text}" if n < 0 else text
