"""How a number is said: units and scales in the reader's language, and an interval written out.

:func:`format_interval` is the one way an interval becomes text (tables, sentences, explanations and charts
all call it); :func:`display_scale` picks the scale (亿元, "100 million yuan") and :func:`unit_label` names a
base unit or counter.
"""

from __future__ import annotations

from fractions import Fraction

from helpers.core import periods
from helpers.core.intervals import Interval, readable_places
from helpers.core.langs import check_lang
from helpers.core.periods import Period
from helpers.reader import labels, words

#: Display scales: base unit → divisors, largest first (each named by ``scale.<unit>.<divisor>`` in words.csv).
_SCALES: dict[str, tuple[int, ...]] = {"CNY": (10**8, 10**4, 1), "USD": (10**8, 10**4, 1), "m2": (10**4, 1)}


def _scale_name(unit: str, divisor: int, lang: str) -> str:
    return words.say(f"scale.{unit}.{divisor}", lang)


def display_scale(base_unit: str, magnitude: Fraction | None, lang: str, plural: bool = True) -> tuple[int, str]:
    """(divisor, unit label) that shows a base value of about ``magnitude`` readably.

    Chinese magnitudes are kept in both languages (亿 = 10**8, 万 = 10**4) so the
    numbers match the report's; English names them in words ("100 million yuan",
    "10,000 yuan").  A composite unit (``CNY/m2``) is scaled by its first part and
    labelled part by part ("yuan per m²"; a bare measure word such as 个 gives "each").
    """
    head, *rest = base_unit.split("/")
    divisor, label = 1, unit_label(head, lang, plural)
    for d in _SCALES.get(head, ()):
        if magnitude is not None and abs(magnitude) >= d:
            divisor, label = d, _scale_name(head, d, lang)
            break
    for part in rest:
        word = unit_label(part, lang, plural=False)
        label += words.say("amount.per_unit" if word else "amount.each", lang, unit=word)
    return divisor, label.strip()


def unit_label(unit: str, lang: str, plural: bool = True) -> str:
    """A base unit or counter in the reader's language ("firms", "households"); unknown units as they are.

    Names are ``unit.<unit>`` in words.csv (English plural), ``unit_one.<unit>`` for one of it (singular).
    """
    key = f"{'unit' if plural else 'unit_one'}.{unit}"
    return words.say(key, lang) if key in words.table() else unit


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
        head = base_unit.split("/")[0]
        unit = _scale_name(head, divisor, lang) if divisor in _SCALES.get(head, ()) else unit
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
