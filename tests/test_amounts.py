"""Property tests for helpers.reader.amounts: every printed bound encloses the true one, and a result without a
bound is never printed as a number."""

import re
from fractions import Fraction as F

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.core.intervals import Interval
from helpers.reader import amounts

NUMBER = re.compile(r"−?\d+(?:,\d{3})*(?:\.\d+)?")
DETERMINISTIC = settings(derandomize=True, max_examples=300, deadline=None)

ends = st.fractions(min_value=F(-(10**9)), max_value=F(10**9), max_denominator=10**6)
scales = st.sampled_from([1, 10**4, 10**8])


def numbers(text: str) -> list[F]:
    return [F(n.replace(",", "").replace("−", "-")) for n in NUMBER.findall(text)]


@st.composite
def bounded(draw):
    a, b = sorted((draw(ends), draw(ends)))
    if a == b:
        return Interval.point(a)
    return Interval(a, b, draw(st.booleans()), draw(st.booleans()))


@DETERMINISTIC
@given(bounded(), scales, st.sampled_from(["CNY", "percent", "count"]), st.sampled_from(["zh", "en"]))
def test_a_printed_interval_encloses_the_true_one(interval, scale, unit, lang):
    text = amounts.format_interval(interval, unit, lang, scale if unit == "CNY" else None)
    shown = numbers(text.split(" ×")[0].split(" 亿")[0].split(" 万")[0])
    divisor = scale if unit == "CNY" else 1
    if interval.is_point:
        return  # a point is printed as its value (rounded half away from zero), not as a bound
    lo, hi = shown[0], shown[1]
    assert lo <= interval.lo / divisor and hi >= interval.hi / divisor, text


@DETERMINISTIC
@given(ends, scales, st.booleans(), st.sampled_from(["zh", "en"]))
def test_a_printed_lower_bound_is_never_above_the_true_one(lo, scale, closed, lang):
    text = amounts.format_interval(Interval(lo, None, closed), "CNY", lang, scale)
    assert text.startswith("≥" if closed else ">")
    assert numbers(text)[0] <= lo / scale, text


@DETERMINISTIC
@given(ends, st.sampled_from(["zh", "en"]))
def test_a_printed_upper_bound_is_never_below_the_true_one(hi, lang):
    text = amounts.format_interval(Interval(None, hi), "count", lang)
    assert numbers(text)[0] >= hi, text


@DETERMINISTIC
@given(bounded(), st.sampled_from(["zh", "en"]))
def test_a_range_encloses_the_interval(interval, lang):
    shown = numbers(amounts.range_text(interval, lang))
    if not interval.is_point:
        assert shown[0] <= interval.lo and shown[-1] >= interval.hi


positive = st.fractions(min_value=F(1, 10**3), max_value=F(10**6), max_denominator=10**4)


@DETERMINISTIC
@given(positive, positive, positive, st.sampled_from(["zh", "en"]))
def test_a_ratio_of_two_lower_bounds_is_never_printed_as_a_number(a, b, width, lang):
    text = amounts.ratio_text(Interval(a, None) / Interval(b, None), lang)
    assert not numbers(text), text
    assert text == amounts.ratio_text(Interval(a + width, None, False) / Interval(b, None), lang)


@DETERMINISTIC
@given(positive, positive, positive, st.sampled_from(["zh", "en"]))
def test_a_ratio_of_a_lower_bound_is_at_least_a_number_rounded_down(a, b, width, lang):
    ratio = Interval(a, None) / Interval(b, b + width)
    shown = numbers(amounts.ratio_text(ratio, lang))
    assert len(shown) == 1 and shown[0] <= ratio.lo


@DETERMINISTIC
@given(bounded(), st.sampled_from(["zh", "en"]))
def test_a_half_width_is_never_narrower_than_the_true_one(interval, lang):
    if interval.is_point:
        return
    shown = numbers(amounts.half_width_text(interval, "percent", lang))
    assert shown[0] >= interval.width / 2


def test_a_half_width_on_a_percentage_is_in_percentage_points():
    growth = Interval(F("2.25"), F("2.35"), True, False)
    assert amounts.half_width_text(growth, "percent", "en") == "± 0.05 pp"
    assert amounts.half_width_text(growth, "percent", "zh") == "±0.05个百分点"


def test_a_half_width_of_money_keeps_the_printed_unit():
    i = Interval(F("369.5") * 10**8, F("370.5") * 10**8, True, False)
    assert amounts.half_width_text(i, "CNY", "zh", 10**8, "亿元") == "±0.5亿元"


def test_a_lower_bound_is_rounded_down_not_to_the_nearest():
    assert amounts.format_interval(Interval(F("53.897") * 10**8, None, False), "CNY", "zh", 10**8) == "> 53.89 亿元"
