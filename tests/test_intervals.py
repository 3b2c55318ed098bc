"""Tests for helpers.core.intervals: printed numbers as intervals, and interval arithmetic."""

import math
from fractions import Fraction as F

import pytest

from helpers.core.intervals import Interval, IntervalError, from_printed
from helpers.core.units import UnitError


def half_open(lo, hi):
    """[lo, hi) from decimal strings."""
    return Interval(F(lo), F(hi), True, False)


# ---- construction and validation ---------------------------------------------


def test_ints_are_stored_as_fractions():
    i = Interval(1, 2)
    assert type(i.lo) is F and type(i.hi) is F


def test_float_end_is_rejected_naming_the_float():
    with pytest.raises(IntervalError, match=r"float 0\.1"):
        Interval(0.1, 1)


def test_point_and_closed_accept_decimal_strings():
    assert Interval.point("2.5") == Interval(F(5, 2), F(5, 2))
    assert Interval.closed("1.2065", "1.2075") == Interval(F("1.2065"), F("1.2075"))


def test_point_rejects_float():
    with pytest.raises(IntervalError, match="float"):
        Interval.point(2.5)


def test_point_rejects_unreadable_string_naming_it():
    with pytest.raises(IntervalError, match="'abc'"):
        Interval.point("abc")


def test_lower_end_above_upper_end_is_rejected():
    with pytest.raises(IntervalError, match="lower end 3 is above upper end 2"):
        Interval(3, 2)


def test_open_single_point_is_rejected():
    with pytest.raises(IntervalError, match="single point 2"):
        Interval(2, 2, True, False)


def test_infinite_end_is_stored_open():
    i = Interval(None, None, True, True)
    assert (i.lo_closed, i.hi_closed) == (False, False)


# ---- from_printed ------------------------------------------------------------


def test_rounded_percentage_is_half_a_last_digit_either_side():
    assert from_printed("24.9", "%", "exact", rounded=True) == half_open("24.85", "24.95")


def test_rounded_integer_is_half_a_unit_either_side():
    assert from_printed("84", "%", "exact", rounded=True) == half_open("83.5", "84.5")


def test_rounded_interval_is_closed_below_open_above():
    i = from_printed("24.9", "%", "exact", rounded=True)
    assert i.contains("24.85") and not i.contains("24.95")


def test_count_is_a_point():
    i = from_printed("2274", "户", "exact", rounded=False)
    assert i.is_point and i.lo == 2274


def test_rounded_value_is_converted_by_the_magnitude():
    assert from_printed("62.1", "万平方米", "exact", rounded=True) == half_open("620500", "621500")


def test_mu_uses_the_exact_factor_10000_over_15():
    i = from_printed("1624.5", "亩", "exact", rounded=True)
    assert i == Interval(F("1624.45") * F(10000, 15), F("1624.55") * F(10000, 15), True, False)


def test_approx_is_widened_by_the_default_relative_tolerance():
    # 约3.5亿元 at ±5%: [3.325, 3.675] 亿元, closed (the tolerance band is not a rounding)
    assert from_printed("3.5", "亿元", "approx", rounded=True) == Interval.closed("332500000", "367500000")


def test_estimate_is_widened_like_approx():
    assert from_printed("3.5", "亿元", "estimate", rounded=True) == from_printed("3.5", "亿元", "approx", rounded=True)


def test_tolerance_parameter_sets_the_width():
    assert from_printed("200", "万元", "approx", rounded=True, tolerance=F(1, 10)) == Interval.closed(
        "1800000", "2200000"
    )


def test_zero_tolerance_gives_the_rounding_interval():
    assert from_printed("3.5", "亿元", "approx", rounded=True, tolerance=0) == half_open("345000000", "355000000")


def test_rounding_wins_where_it_is_wider_than_the_tolerance():
    # 约3亿元 at ±1%: the rounding band [2.5, 3.5) is wider than [2.97, 3.03]
    assert from_printed("3", "亿元", "approx", rounded=True, tolerance=F(1, 100)) == half_open("250000000", "350000000")


def test_tolerance_does_not_touch_exact_figures():
    assert from_printed("3.5", "亿元", "exact", rounded=True, tolerance=F(1, 10)) == half_open("345000000", "355000000")


@pytest.mark.parametrize("bad", [F(-1, 10), 1, "2", 0.05])
def test_tolerance_outside_0_1_or_a_float_is_refused(bad):
    with pytest.raises(IntervalError, match="tolerance"):
        from_printed("3.5", "亿元", "approx", rounded=True, tolerance=bad)


def test_bound_kind_names_what_an_interval_says():
    from helpers.core.intervals import bound_kind

    assert [
        bound_kind(i)
        for i in (
            Interval.point(1),
            Interval.closed(1, 2),
            Interval(F(1), None),
            Interval(None, F(1)),
            Interval(None, None),
        )
    ] == ["point", "bounded", "lower_bound", "upper_bound", "unbounded"]


def test_lower_bound_over_bounded_is_a_lower_bound_and_over_a_lower_bound_only_positive():
    lower, bounded = Interval(F(34), None), half_open("369.5", "370.5")
    assert (lower / bounded).lo == F(34) / F("370.5") and (lower / bounded).hi is None
    assert (lower / Interval(F(370), None)) == Interval(F(0), None, lo_closed=False)


@pytest.mark.parametrize(
    "interval, places",
    [
        (half_open("24.85", "24.95"), 2),
        (half_open("83.5", "84.5"), 1),
        (Interval.closed(0, 100), 0),
        (Interval.point(3200), 0),
        (Interval.point(F("1624.5")), 1),
        (Interval(F(3200), None), 0),
        (Interval.point(F(1, 3)), 4),
        (Interval(F(1, 3), F(2, 3)), 1),
        (half_open("10.60524", "10.60616"), 4),
    ],
)
def test_readable_places_follow_the_precision_the_interval_supports(interval, places):
    from helpers.core.intervals import readable_places

    assert readable_places(interval) == places


def test_more_than_is_open_above_and_closed_at_the_printed_value():
    assert from_printed("3200", "亿元", "more_than", rounded=True) == Interval(F(3200 * 10**8), None)


def test_more_than_ignores_rounded_false():
    assert from_printed("100", "家", "more_than", rounded=False) == Interval(100, None)


def test_unknown_qualifier_error_names_it_and_the_allowed_ones():
    with pytest.raises(IntervalError, match=r"'about'.*exact, approx, estimate, more_than"):
        from_printed("5", "%", "about", rounded=True)


def test_unknown_unit_is_a_unit_error():
    with pytest.raises(UnitError, match="'furlong'"):
        from_printed("5", "furlong", "exact", rounded=True)


def test_value_must_be_the_printed_string():
    with pytest.raises(IntervalError, match="float 24.9"):
        from_printed(24.9, "%", "exact", rounded=True)


# ---- properties --------------------------------------------------------------


def test_midpoint_and_width_of_a_rounded_figure():
    i = half_open("24.85", "24.95")
    assert (i.midpoint, i.width) == (F("24.9"), F("0.1"))


def test_unbounded_interval_has_no_midpoint_or_width():
    i = Interval(1, None)
    assert (i.midpoint, i.width, i.is_bounded) == (None, None, False)


def test_bounded_non_point_is_bounded_and_not_a_point():
    i = Interval(1, 2)
    assert (i.is_bounded, i.is_point) == (True, False)


# ---- contains / overlaps / hull ----------------------------------------------


def test_contains_excludes_an_open_end():
    assert not Interval(1, 2, False, True).contains(1)


def test_contains_includes_a_closed_end():
    assert Interval(1, 2, False, True).contains(2)


def test_contains_works_on_an_unbounded_side():
    assert Interval(None, 0, False, True).contains(-(10**30))


def test_contains_rejects_float():
    with pytest.raises(IntervalError, match="float"):
        Interval(1, 2).contains(1.5)


def test_intervals_touching_at_closed_ends_overlap():
    assert Interval(1, 2).overlaps(Interval(2, 3))


def test_intervals_touching_at_an_open_end_do_not_overlap():
    assert not Interval(1, 2, True, False).overlaps(Interval(2, 3))


def test_overlap_is_symmetric_for_touching_open_end():
    assert not Interval(2, 3, False, True).overlaps(Interval(1, 2))


def test_disjoint_intervals_do_not_overlap():
    assert not Interval(1, 2).overlaps(Interval(3, 4))


def test_half_line_overlaps_anything_reaching_it():
    assert Interval(None, 0, False, True).overlaps(Interval(0, 1))


def test_hull_spans_both_and_keeps_closed_on_a_tie():
    assert Interval(1, 2, False, False).hull(Interval(1, 3, True, False)) == Interval(1, 3, True, False)


def test_hull_with_unbounded_is_unbounded():
    assert Interval(1, 2).hull(Interval(0, None)) == Interval(0, None)


# ---- arithmetic --------------------------------------------------------------


def test_sum_of_rounded_figures_adds_the_ends():
    a = from_printed("24.9", "%", "exact", rounded=True)
    b = from_printed("84", "%", "exact", rounded=True)
    assert a + b == half_open("108.35", "109.45")


def test_difference_of_rounded_figures_subtracts_opposite_ends():
    a = from_printed("84", "%", "exact", rounded=True)  # [83.5, 84.5)
    b = from_printed("24.9", "%", "exact", rounded=True)  # [24.85, 24.95)
    assert a - b == Interval(F("58.55"), F("59.65"), False, False)


def test_open_end_propagates_through_sum():
    assert Interval(1, 2, True, False) + Interval.point(1) == Interval(2, 3, True, False)


def test_negation_swaps_ends_and_their_kinds():
    assert -Interval(1, 2, True, False) == Interval(-2, -1, False, True)


def test_scalar_on_either_side_of_plus_and_minus():
    i = Interval(1, 2)
    assert (i + 1, 1 + i, i - 1, 10 - i) == (Interval(2, 3), Interval(2, 3), Interval(0, 1), Interval(8, 9))


def test_float_operand_is_rejected():
    with pytest.raises(IntervalError, match="float"):
        Interval(1, 2) + 0.5


def test_product_takes_min_and_max_of_end_products():
    assert Interval(-2, 3) * Interval(4, 5) == Interval(-10, 15)


def test_product_end_is_open_when_either_producing_end_is_open():
    assert Interval(1, 2, True, False) * Interval(3, 4) == Interval(3, 8, True, False)


def test_closed_zero_end_makes_zero_attained_in_product():
    assert Interval(0, 1, True, False) * Interval(2, 3, False, False) == Interval(0, 3, True, False)


def test_scalar_product_from_either_side_with_negative_scalar():
    assert (-2) * Interval(1, 2, True, False) == Interval(-4, -2, False, True)
    assert Interval(1, 2, True, False) * F(-2) == Interval(-4, -2, False, True)


def test_unbounded_operand_times_positive_interval():
    assert Interval(3, None) * Interval(2, 5) == Interval(6, None)


def test_zero_times_infinity_is_zero():
    assert Interval(0, 1) * Interval(1, None) == Interval(0, None)


def test_point_zero_times_whole_line_is_point_zero():
    assert Interval.point(0) * Interval(None, None) == Interval.point(0)


def test_ratio_of_rounded_figures():
    assert Interval(2, 3) / Interval(4, 5) == Interval(F(2, 5), F(3, 4))


def test_ratio_end_is_open_when_divisor_end_is_open():
    assert Interval(2, 3) / Interval(4, 5, True, False) == Interval(F(2, 5), F(3, 4), False, True)


def test_ratio_with_divisor_straddling_zero_is_unbounded():
    assert Interval(1, 2) / Interval(-1, 1) == Interval(None, None)


def test_zero_divided_by_divisor_straddling_zero_is_zero():
    assert Interval.point(0) / Interval(-1, 1) == Interval.point(0)


def test_divisor_with_closed_zero_lower_end_gives_upper_half_line():
    assert Interval(2, 3) / Interval(0, 5) == Interval(F(2, 5), None)


def test_divisor_with_open_zero_lower_end_gives_upper_half_line():
    assert Interval(2, 3) / Interval(0, 5, False, True) == Interval(F(2, 5), None)


def test_divisor_with_zero_upper_end_gives_lower_half_line():
    assert Interval(2, 3) / Interval(-5, 0) == Interval(None, F(-2, 5), False, True)


def test_division_by_the_point_zero_is_an_error():
    with pytest.raises(IntervalError, match="division by the point 0"):
        Interval(1, 2) / 0


def test_unbounded_dividend_over_rounded_exchange_rate():
    rate = from_printed("1.207", "元", "exact", rounded=True)  # [1.2065, 1.2075)
    total = Interval(F(3200 * 10**8), None)
    # the divisor never reaches 1.2075, so the lower end is not attained
    assert total / rate == Interval(F(3200 * 10**8) / F("1.2075"), None, False)


def test_divisor_unbounded_above_gives_open_zero_end():
    assert Interval(1, 2) / Interval(1, None) == Interval(0, 2, False, True)


def test_scalar_divided_by_interval():
    assert 6 / Interval(2, 3) == Interval(2, 3)


def test_interval_divided_by_scalar():
    assert Interval(2, 4, True, False) / 2 == Interval(1, 2, True, False)


# ---- output ------------------------------------------------------------------


def test_format_half_open_interval():
    assert half_open("24.85", "24.95").format() == "[24.85, 24.95)"


def test_format_unbounded_above_with_thousands_separator():
    assert Interval(3200, None).format() == "[3,200.00, ∞)"


def test_format_unbounded_below_uses_minus_infinity():
    assert Interval(None, 5).format() == "(−∞, 5.00]"


def test_format_point_prints_the_value_alone():
    assert Interval.point(2274).format() == "2,274.00"


def test_format_applies_scale_and_places():
    i = Interval(F(3200 * 10**8), F(3300 * 10**8), True, False)
    assert i.format(places=1, scale=10**8) == "[3,200.0, 3,300.0)"


def test_format_rounds_the_ends_outward():
    assert Interval(F("-0.125"), F("0.125")).format() == "[−0.13, 0.13]"
    assert Interval(F("475.76"), F("475.84")).format(1) == "[475.7, 475.9]"
    assert Interval(F("-2.01"), F("-1.99")).format(1) == "[−2.1, −1.9]"


def test_format_rounds_a_point_half_away_from_zero():
    assert Interval.point(F("-0.125")).format() == "−0.13"
    assert Interval.point(F("0.124")).format() == "0.12"


def test_format_number_rounds_down_for_a_lower_bound_and_up_for_an_upper_one():
    from helpers.core.intervals import format_number

    assert (format_number(F("475.76"), 1, -1), format_number(F("475.71"), 1, 1)) == ("475.7", "475.8")
    assert format_number(F("-0.01"), 1, -1) == "−0.1"
    assert format_number(F("-0.01"), 1, 1) == "0.0"


def test_format_rejects_non_positive_scale():
    with pytest.raises(IntervalError, match="scale must be positive, got 0"):
        Interval(1, 2).format(scale=0)


def test_str_is_default_format():
    assert str(Interval(1, 2, False, True)) == "(1.00, 2.00]"


def test_to_floats_gives_infinities_for_unbounded_ends():
    assert Interval(None, F(3, 2)).to_floats() == (-math.inf, 1.5)


def test_to_floats_applies_scale():
    assert Interval(10**8, 2 * 10**8).to_floats(scale=10**8) == (1.0, 2.0)
