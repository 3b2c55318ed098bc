"""How a number is said: units and scales in the reader's language, and an interval written out.

:func:`format_interval` is the one way an interval becomes text (tables, sentences, explanations and charts
all call it); :func:`display_scale` picks the scale and :func:`unit_label` names a base unit or counter.
Scales follow the reader's language: a Chinese page counts money in 亿元 (10**8 yuan) and 万元 (10**4), as the
report prints it; an English page in billion (10**9) and million (10**6) yuan, as an English reader counts
(370亿元 = 37.0 billion yuan).  The printed value, in its printed Chinese unit, stays beside it in the tables.
"""

from __future__ import annotations

import math
from fractions import Fraction

from helpers.core import periods
from helpers.core.intervals import Interval, format_number, readable_places
from helpers.core.langs import check_lang
from helpers.core.periods import Period
from helpers.core.units import COUNTERS
from helpers.reader import labels, words

#: Mass, power and length in both languages: tonnes (吨), kW (千瓦), km (公里) from a thousand base units up.
_METRIC: dict[str, tuple[int, ...]] = {"kg": (1000, 1), "W": (1000, 1), "m": (1000, 1)}
#: Display scales by language: base unit → divisors, largest first (each named by ``scale.<unit>.<divisor>``
#: in words.csv).  Chinese keeps the report's 亿 and 万; English uses billion and million.
_SCALES: dict[str, dict[str, tuple[int, ...]]] = {
    "zh": {"CNY": (10**8, 10**4, 1), "USD": (10**8, 10**4, 1), "m2": (10**4, 1), **_METRIC},
    "en": {"CNY": (10**9, 10**6, 1), "USD": (10**9, 10**6, 1), "m2": (10**6, 1), **_METRIC},
}


def _scale_name(unit: str, divisor: int, lang: str) -> str:
    return words.say(f"scale.{unit}.{divisor}", lang)


def scales(base_unit: str, lang: str) -> tuple[int, ...]:
    """The divisors a page in ``lang`` shows ``base_unit`` at, largest first (() for a unit shown as it is)."""
    check_lang(lang)
    return _SCALES[lang].get(base_unit, ())


def money_scale(lang: str) -> tuple[int, str]:
    """(divisor, label) of the one scale every money amount of a page is put on: 亿元 (10**8 yuan) in Chinese,
    billion yuan (10**9) in English."""
    divisor = scales("CNY", lang)[0]
    return divisor, _scale_name("CNY", divisor, lang)


def display_scale(base_unit: str, magnitude: Fraction | None, lang: str, plural: bool = True) -> tuple[int, str]:
    """(divisor, unit label) that shows a base value of about ``magnitude`` readably.

    Chinese keeps the report's magnitudes (亿 = 10**8, 万 = 10**4); English counts in billions and millions
    (:data:`_SCALES`).  A composite unit (``CNY/m2``) is scaled by its first part and labelled part by part
    ("yuan per m²"; a bare measure word such as 个 gives "each").  A ratio of two counts (``人/名``, residents
    per grid worker) has no unit word in English: the row's label names both things counted.
    """
    head, *rest = base_unit.split("/")
    divisor, label = 1, unit_label(head, lang, plural)
    if lang == "en" and rest and _is_counter(head) and all(_is_counter(p) for p in rest):
        return 1, ""
    for d in scales(head, lang):
        if magnitude is not None and abs(magnitude) >= d:
            divisor, label = d, _scale_name(head, d, lang)
            break
    for part in rest:
        word = unit_label(part, lang, plural=False)
        label += words.say("amount.per_unit" if word else "amount.each", lang, unit=word)
    return divisor, label.strip()


def _is_counter(unit: str) -> bool:
    return unit in COUNTERS or unit == "count"


def unit_label(unit: str, lang: str, plural: bool = True) -> str:
    """A base unit or counter in the reader's language ("firms", "households"); unknown units as they are.

    Names are ``unit.<unit>`` in words.csv (English plural), ``unit_one.<unit>`` for one of it (singular).
    """
    key = f"{'unit' if plural else 'unit_one'}.{unit}"
    return words.say(key, lang) if key in words.table() else unit


def format_interval(interval: Interval, base_unit: str, lang: str, divisor: int | None = None) -> str:
    """An interval in a readable scale with its unit: ``[83.5, 84.5) 亿元``; lower bounds as ``≥ 3,200 亿元``.

    Decimals are the fewest that print the interval honestly
    (:func:`helpers.core.intervals.readable_places`), and every printed end encloses the true one: a lower end
    is rounded down, an upper end up (``≥ 475.7`` for 475.76).  ``divisor`` fixes the scale (e.g. 10**8 for
    亿元) instead of choosing it from the value.
    """
    anchor = interval.lo if interval.lo is not None else interval.hi
    scale, unit = display_scale(base_unit, anchor, lang, plural=not (interval.is_point and interval.lo == 1))
    if divisor is not None:
        scale = divisor
        head = base_unit.split("/")[0]
        unit = _scale_name(head, divisor, lang) if divisor in scales(head, lang) else unit
    unit = "" if not unit or unit == "%" else f" × {unit}" if unit[0].isdigit() else f" {unit}"
    unit = unit or ("%" if base_unit == "percent" else "")
    p = readable_places(interval, scale)
    if interval.lo is not None and interval.hi is None:
        sign = "≥" if interval.lo_closed else ">"
        return f"{sign} {format_number(interval.lo / scale, p, -1)}{unit}"
    if interval.hi is not None and interval.lo is None:
        sign = "≤" if interval.hi_closed else "<"
        return f"{sign} {format_number(interval.hi / scale, p, 1)}{unit}"
    if interval.lo is None and interval.hi is None:
        return labels.heading("no_bound", lang)
    return f"{interval.format(p, scale)}{unit}"


def bound_text(interval: Interval, lang: str, divisor: Fraction | int = 1, places: int | None = None) -> str:
    """A bare number for an interval at ``divisor`` (no unit), honest in every case: a point as its value, a
    lower bound as ``≥ x`` rounded down, an upper bound as ``≤ x`` rounded up, a bounded interval with its
    ends rounded outward (``[17,834, 18,720]``), no bound in words; ``places`` None: :func:`readable_places`."""
    p = readable_places(interval, divisor) if places is None else places
    if interval.lo is not None and interval.hi is None:
        return f"{'≥' if interval.lo_closed else '>'} {format_number(interval.lo / divisor, p, -1)}"
    if interval.hi is not None and interval.lo is None:
        return f"{'≤' if interval.hi_closed else '<'} {format_number(interval.hi / divisor, p, 1)}"
    return labels.heading("no_bound", lang) if interval.lo is None else interval.format(p, divisor)


def range_text(interval: Interval, lang: str, divisor: Fraction | int = 1) -> str:
    """Like :func:`bound_text`, a bounded interval written as a range ``2.9–3.5`` (ends rounded outward)."""
    if interval.is_bounded and not interval.is_point and interval.lo is not None and interval.hi is not None:
        p = readable_places(interval, divisor)
        lo, hi = format_number(interval.lo / divisor, p, -1), format_number(interval.hi / divisor, p, 1)
        return lo if lo == hi else words.say("amount.range", lang, lo=lo, hi=hi)
    return bound_text(interval, lang, divisor)


def half_width_text(interval: Interval, base_unit: str, lang: str, divisor: Fraction | int = 1, unit: str = "") -> str:
    """Half an interval's width in the value's own unit, rounded up to two significant digits: ``±0.05 pp`` on a
    percentage (never a relative ±), ``±0.5 亿元`` (``unit``: the label after the number, "" on a chart axis)."""
    if interval.width is None or interval.is_point:
        raise ValueError(f"half_width_text: {interval} has no finite, non-zero width")
    half = interval.width / 2 / Fraction(divisor)
    places = max(0, min(6, 1 - math.floor(math.log10(half))))
    places = next((q for q in range(places) if (half * 10**q).denominator == 1), places)  # no trailing zeros
    number = format_number(half, places, 1)
    if base_unit == "percent":
        return words.say("amount.half_width_pp", lang, hw=number)
    unit = f"× {unit}" if unit[:1].isdigit() else unit  # "100 million yuan" is a factor: ± 0.5 × 100 million yuan
    return words.say("amount.half_width_unit" if unit else "amount.half_width", lang, hw=number, unit=unit)


def ratio_text(ratio: Interval, lang: str) -> str:
    """How many times one uncertain amount is another, as honest words: ``2,780–2,800 times`` (ends rounded
    outward), ``at least 9,400 times`` (a lower bound, rounded down), ``cannot be bounded`` (no finite upper end
    and no positive lower one); never a point from a bound."""
    if ratio.lo is None or ratio.lo <= 0 and ratio.hi is None:
        return words.say("amount.ratio_unbounded", lang)
    if ratio.hi is None:
        p = readable_places(ratio)
        return words.say("amount.ratio_at_least", lang, x=format_number(ratio.lo, p, -1))
    if ratio.is_point:
        return words.say("amount.ratio_point", lang, x=format_number(ratio.lo, readable_places(ratio)))
    p = readable_places(ratio)
    lo, hi = format_number(ratio.lo, p, -1), format_number(ratio.hi, p, 1)
    return words.say("amount.ratio_point" if lo == hi else "amount.ratio_between", lang, x=lo, lo=lo, hi=hi)


def printed_unit_label(printed: str, lang: str) -> str:
    """A printed unit, and on English pages what it means: ``亿元 (100 million yuan)``, ``亩 (mu, 1/15 hectare)``.

    The meanings are ``printed.<unit>`` and ``magnitude.<factor>`` in words.csv.
    """
    from helpers.core.units import parse_unit

    if lang == "zh":  # a Chinese page shows the unit as printed: it needs no gloss
        return printed
    u = parse_unit(printed)
    known = words.table()
    word = (
        (words.say(f"printed.{u.unit}", lang) if f"printed.{u.unit}" in known else "")
        or unit_label(u.unit, lang)
        or labels.heading("things", lang)
    )
    if u.magnitude != 1:
        magnitude = words.say(f"magnitude.{u.magnitude}", lang) if f"magnitude.{u.magnitude}" in known else ""
        word = f"{magnitude or f'{u.magnitude:,}'} {word}"
    return f"{printed} ({word})"


def printed_text(value: str, printed: str, lang: str) -> str:
    """A figure as the report prints it, for a sentence: ``3000万元`` on a Chinese page; on an English page the
    printed number and unit followed by the same amount in English units, ``3000 万元 (30 million yuan)``,
    ``12.5 万户 (125,000)``, ``12个`` as ``12`` (a measure word English has no noun for), ``1624.5 亩 (108.3
    hectares)`` (exact: the printed number × its unit's factor, at :func:`display_scale`; land in hectares; a
    counter with its English noun, if it has one; a result that is not a short decimal as ``≈`` four digits)."""
    from helpers.core.units import parse_unit

    check_lang(lang)
    if lang == "zh":
        return f"{value}{printed}"
    u = parse_unit(printed)
    if not any("\u4e00" <= ch <= "\u9fff" for ch in printed):  # %, ‰: nothing to translate
        return f"{value}{printed}"
    base = Fraction(value) * u.factor
    if u.unit in ("亩", "公顷"):  # land: hectares, as an English reader measures it
        divisor, label = 10**4, unit_label("ha", lang, plural=base != 10**4)
    elif u.base_unit == "count":  # a counter names what it counts where English has a noun (人 → people)
        divisor, label = 1, unit_label(u.unit, lang, plural=base != 1)
        if u.magnitude == 1 and not label:  # 12个: the number is all an English reader needs
            return format_number(base, 0)
    else:
        divisor, label = display_scale(u.base_unit, abs(base), lang, plural=base != 1)
    q = base / divisor
    places = next((p for p in range(4) if (q * 10**p).denominator == 1), None)
    if places is None:  # not a short decimal (2000 亩 = 133.33… ha): four significant digits, marked as rounded
        places = max(0, 3 - math.floor(math.log10(abs(q)))) if q else 0
    approx = "≈ " if (q * 10**places).denominator != 1 else ""
    label = "" if not label else f" {label}"
    english = f"{approx}{format_number(q, places)}{label}"
    return f"{value} {printed} ({english})"


def period_text(iso: object, lang: str) -> str:
    """A period as the data stores it (ISO text; "" or a missing value such as None or NaN: not stated) in words:
    :func:`period_label`."""
    return period_label(periods.parse_period(iso if isinstance(iso, str) else None), lang)


def period_label(period: Period | None, lang: str) -> str:
    """The period as a reader would write it (``period.<form>`` and ``month.<n>`` in words.csv).

    * 2022-01/2022-11: zh ``2022年1-11月``, en ``Jan–Nov 2022``
    * 2022-03 (one month): ``2022年3月``, ``Mar 2022``
    * 2022 (a calendar year): ``2022年``, ``2022``; 2021-2022: ``2021-2022年``, ``2021–2022``
    * 2021-12/2022-02: ``2021年12月-2022年2月``, ``Dec 2021–Feb 2022``
    * 2022-01-05/2022-11-30: ``2022年1月5日-11月30日``, ``5 Jan–30 Nov 2022``
    * None (the report states no period): ``未注明``, ``not stated``

    ``lang`` other than ``"zh"`` or ``"en"`` → :class:`~helpers.core.langs.LanguageError` (a ValueError).
    """
    check_lang(lang)
    form, fields = periods.form(period)
    months = {f"mon{k}": words.say(f"month.{fields[f'm{k}']}", lang) for k in (1, 2) if f"m{k}" in fields}
    return words.say(f"period.{form}", lang, **fields, **months)
