"""Chinese magnitudes and units, and their exact conversion to base units.

A printed unit such as ``万平方米`` is a magnitude (``万`` = 10**4) followed by a
unit (``平方米``, square metres).  ``to_base("62.1", "万平方米")`` gives the value
in the unit's base unit (``m2``) as an exact :class:`fractions.Fraction`:
``62.1 * 10**4 = 621000`` m2.  Base units are

=========================  ==================================================
base unit                  printed units that convert to it
=========================  ==================================================
``CNY``                    元
``USD``                    美元
``m2``                     平方米, 亩 (1 亩 = 10000/15 m2 exactly), 公顷, 平方公里
``m``                      米, 公里
``kg``                     斤 (0.5 kg), 公斤, 吨
``W``                      瓦, 千瓦
``TEU``                    标准箱
``count``                  家, 个, 户, 人, 名, 处, 所, 条, 件, 项, 套, 栋, 村 ...
``days``                   天
``percent``                %
``per_mille``              ‰ (per thousand: birth, death and natural growth rates)
``percentage_points``      个百分点
``CNY per person per month``  元/人·月
=========================  ==================================================

Everything is exact: values are parsed from their printed decimal string, never
through a binary float.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

#: Magnitude prefixes, longest first so that ``万亿`` wins over ``万``.
MAGNITUDES: dict[str, int] = {
    "万亿": 10**12,
    "千亿": 10**11,
    "百亿": 10**10,
    "十亿": 10**9,
    "亿": 10**8,
    "千万": 10**7,
    "百万": 10**6,
    "十万": 10**5,
    "万": 10**4,
    "千": 10**3,
    "百": 10**2,
}

#: Counting words (量词 and nouns used as counters): all convert to ``count``.
COUNTERS = (
    "家",
    "个",
    "户",
    "人",
    "名",
    "处",
    "所",
    "条",
    "件",
    "项",
    "套",
    "栋",
    "村",
    "座",
    "台",
    "辆",
    "张",
    "份",
    "批",
    "次",
    "起",
    "间",
    "只",
    "头",
    "位",
    "种",
    "宗",
    "笔",
    "场",
    "支",
    "部",
    "层",
)

#: Base unit and exact factor of every unit that is not a counter.
UNITS: dict[str, tuple[str, Fraction]] = {
    "元": ("CNY", Fraction(1)),
    "美元": ("USD", Fraction(1)),
    "平方米": ("m2", Fraction(1)),
    "亩": ("m2", Fraction(10000, 15)),
    "公顷": ("m2", Fraction(10000)),
    "平方公里": ("m2", Fraction(10**6)),
    "米": ("m", Fraction(1)),
    "公里": ("m", Fraction(1000)),
    "斤": ("kg", Fraction(1, 2)),
    "公斤": ("kg", Fraction(1)),
    "吨": ("kg", Fraction(1000)),
    "瓦": ("W", Fraction(1)),
    "千瓦": ("W", Fraction(1000)),
    "标准箱": ("TEU", Fraction(1)),
    "天": ("days", Fraction(1)),
    "%": ("percent", Fraction(1)),
    "‰": ("per_mille", Fraction(1)),
    "个百分点": ("percentage_points", Fraction(1)),
    "元/人·月": ("CNY per person per month", Fraction(1)),
}
UNITS.update({c: ("count", Fraction(1)) for c in COUNTERS})

#: Base units whose quantities are counts of discrete things.
DISCRETE_BASE_UNITS = frozenset({"count", "days"})


class UnitError(ValueError):
    """A unit or value that cannot be read."""


@dataclass(frozen=True)
class Unit:
    """A printed unit split into magnitude and unit: ``万平方米`` → 10**4 × 平方米."""

    printed: str
    magnitude: int
    unit: str
    base_unit: str
    factor: Fraction  # base units per one printed unit: magnitude × unit factor

    @property
    def is_discrete(self) -> bool:
        """True for counts of things (households, firms, days)."""
        return self.base_unit in DISCRETE_BASE_UNITS


def parse_unit(printed: str) -> Unit:
    """Split a printed unit into magnitude and unit.

    ``parse_unit("亿美元")`` → magnitude 10**8, unit 美元, base ``USD``, factor 10**8.
    A unit that is itself in :data:`UNITS` (``千瓦``, ``万亿`` is not a unit) is
    taken whole before any magnitude prefix is split off.
    """
    if not isinstance(printed, str) or not printed:
        raise UnitError(f"unit must be a non-empty string, got {printed!r}")
    if printed in UNITS:
        base, factor = UNITS[printed]
        return Unit(printed, 1, printed, base, factor)
    for prefix, magnitude in MAGNITUDES.items():
        rest = printed[len(prefix) :]
        if printed.startswith(prefix) and rest in UNITS:
            base, factor = UNITS[rest]
            return Unit(printed, magnitude, rest, base, factor * magnitude)
    raise UnitError(f"unknown unit {printed!r}; known units: {', '.join(sorted(UNITS))}")


def parse_decimal(value: str) -> Fraction:
    """The exact rational value of a printed decimal such as ``"1624.5"``.

    Full-width digits and thousands separators are accepted (``"１,２３４"``).
    """
    if not isinstance(value, str):
        raise UnitError(f"value must be the printed string, got {value!r}")
    text = value.translate(_FULLWIDTH).replace(",", "").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise UnitError(f"not a printed number: {value!r}") from None
    if not number.is_finite():
        raise UnitError(f"not a finite number: {value!r}")
    return Fraction(number)


def decimals(value: str) -> int:
    """Digits after the decimal point as printed: ``"24.9"`` → 1, ``"84"`` → 0."""
    text = value.translate(_FULLWIDTH).replace(",", "").strip()
    return len(text.partition(".")[2])


def to_base(value: str, unit: str) -> tuple[Fraction, str]:
    """Exact value in base units: ``to_base("1624.5", "亩")`` → (1083000, "m2").

    base value = printed value × magnitude × unit factor.
    """
    u = parse_unit(unit)
    return parse_decimal(value) * u.factor, u.base_unit


def round_base(x: Fraction, places: int = 6) -> float:
    """A base value as stored in CSV: exact where it terminates, else rounded to ``places``."""
    return float(round(x, places))


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
