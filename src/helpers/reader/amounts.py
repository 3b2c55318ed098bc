"""How a number is said: units and scales in the reader's language, and an interval written out.

:func:`format_interval` is the one way an interval becomes text (tables, sentences, explanations and charts
all call it); :func:`display_scale` picks the scale (亿元, "100 million yuan") and :func:`unit_label` names a
base unit or counter.
"""

from __future__ import annotations

from fractions import Fraction

from helpers.core.intervals import Interval, readable_places
from helpers.reader import labels

#: Display scales: base unit → (divisor, zh label, en label), largest first.
_SCALES = {
    "CNY": [(10**8, "亿元", "100 million yuan"), (10**4, "万元", "10,000 yuan"), (1, "元", "yuan")],
    "USD": [
        (10**8, "亿美元", "100 million US dollars"),
        (10**4, "万美元", "10,000 US dollars"),
        (1, "美元", "US dollars"),
    ],
    "m2": [(10**4, "万平方米", "10,000 m²"), (1, "平方米", "m²")],
}


def display_scale(base_unit: str, magnitude: Fraction | None, lang: str, plural: bool = True) -> tuple[int, str]:
    """(divisor, unit label) that shows a base value of about ``magnitude`` readably.

    Chinese magnitudes are kept in both languages (亿 = 10**8, 万 = 10**4) so the
    numbers match the report's; English names them in words ("100 million yuan",
    "10,000 yuan").  A composite unit (``CNY/m2``) is scaled by its first part and
    labelled part by part ("yuan per m²"; a bare measure word such as 个 gives "each").
    """
    head, *rest = base_unit.split("/")
    divisor, label = 1, unit_label(head, lang, plural)
    for d, zh, en in _SCALES.get(head, []):
        if magnitude is not None and abs(magnitude) >= d:
            divisor, label = d, (zh if lang == "zh" else en)
            break
    for part in rest:
        if lang == "zh":
            label += f"/{unit_label(part, lang)}"
        else:
            word = unit_label(part, lang, plural=False)
            label += f" per {word}" if word else " each"
    return divisor, label.strip()


#: Names of base units, (zh, en singular, en plural).
_UNIT_NAMES = {
    "CNY": ("元", "yuan", "yuan"),
    "USD": ("美元", "US dollar", "US dollars"),
    "percent": ("%", "%", "%"),
    "percentage_points": ("个百分点", "percentage point", "percentage points"),
    "days": ("天", "day", "days"),
    "count": ("", "", ""),
    "ha": ("公顷", "hectare", "hectares"),
    "m": ("米", "m", "m"),
    "m2": ("平方米", "m²", "m²"),
    "month": ("月", "month", "months"),
    "CNY per person per month": ("元/人·月", "yuan per person per month", "yuan per person per month"),
    "CNY per person per year": ("元/人·年", "yuan per person per year", "yuan per person per year"),
    "人": ("人", "person", "people"),
    "名": ("人", "person", "people"),
    "户": ("户", "household", "households"),
    "栋": ("栋", "building", "buildings"),
    "套": ("套", "dwelling", "dwellings"),
    "所": ("所", "school", "schools"),
    # measure words that only count (家 counts firms and institutions alike): the indicator says what
    "家": ("家", "", ""),
    "个": ("个", "", ""),
    "件": ("件", "", ""),
    "项": ("项", "", ""),
    "处": ("处", "", ""),
    "条": ("条", "", ""),
    "per_mille": ("‰", "‰", "‰"),
}


def unit_label(unit: str, lang: str, plural: bool = True) -> str:
    """A base unit or counter in the reader's language ("firms", "households"); unknown units as they are."""
    names = _UNIT_NAMES.get(unit, (unit, unit, unit))
    return names[0] if lang == "zh" else names[2 if plural else 1]


def format_interval(interval: Interval, base_unit: str, lang: str, divisor: int | None = None) -> str:
    """An interval in a readable scale with its unit: ``[83.5, 84.5) 亿元``; lower bounds as ``≥ 3,200 亿元``.

    Decimals follow the precision the interval supports
    (:func:`helpers.core.intervals.readable_places`); ``divisor`` fixes the scale
    (e.g. 10**8 for 亿元) instead of choosing it from the value.
    """
    anchor = interval.lo if interval.lo is not None else interval.hi
    scale, unit = display_scale(base_unit, anchor, lang, plural=not (interval.is_point and interval.lo == 1))
    if divisor is not None:
        scale = divisor
        unit = next(
            (zh if lang == "zh" else en for d, zh, en in _SCALES.get(base_unit.split("/")[0], []) if d == divisor), unit
        )
    unit = "" if not unit or unit == "%" else f" × {unit}" if unit[0].isdigit() else f" {unit}"
    unit = unit or ("%" if base_unit == "percent" else "")
    p = readable_places(interval, scale)
    if interval.lo is not None and interval.hi is None:
        sign = "≥" if interval.lo_closed else ">"
        return f"{sign} {Interval.point(interval.lo).format(p, scale)}{unit}"
    if interval.hi is not None and interval.lo is None:
        sign = "≤" if interval.hi_closed else "<"
        return f"{sign} {Interval.point(interval.hi).format(p, scale)}{unit}"
    if interval.lo is None and interval.hi is None:
        return labels.heading("no_bound", lang)
    return f"{interval.format(p, scale)}{unit}"


#: Printed units (without magnitude) named in English.
_PRINTED_EN = {
    "元": "yuan",
    "美元": "US dollars",
    "平方米": "m²",
    "亩": "mu, 1/15 hectare",
    "公顷": "hectares",
    "平方公里": "km²",
    "公里": "km",
    "米": "m",
    "天": "days",
    "%": "per cent",
    "个百分点": "percentage points",
    "元/人·月": "yuan per person per month",
}
_MAGNITUDES_EN = {10**4: "10,000", 10**8: "100 million", 10**12: "trillion"}


def printed_unit_label(printed: str, lang: str) -> str:
    """A printed unit, and on English pages what it means: ``亿元 (100 million yuan)``, ``亩 (mu, 1/15 hectare)``."""
    from helpers.core.units import parse_unit

    if lang == "zh":
        return printed
    u = parse_unit(printed)
    word = _PRINTED_EN.get(u.unit) or unit_label(u.unit, lang) or labels.heading("things", lang)
    if u.magnitude != 1:
        word = f"{_MAGNITUDES_EN.get(u.magnitude, f'{u.magnitude:,}')} {word}"
    return f"{printed} ({word})"
