"""Tests for helpers.core.periods: ISO periods parsed, compared, labelled and never silently mixed."""

from datetime import date, datetime

import pytest

from helpers.core.periods import (
    Period,
    PeriodError,
    PeriodMismatch,
    common_period,
    contains,
    overlaps,
    parse_period,
)
from helpers.reader.amounts import period_label as label

JAN_NOV = Period(date(2022, 1, 1), date(2022, 11, 30))
JAN_SEP = Period(date(2022, 1, 1), date(2022, 9, 30))
JAN_OCT = Period(date(2022, 1, 1), date(2022, 10, 31))


# ---- Period ------------------------------------------------------------------


def test_period_ending_before_it_starts_is_rejected():
    with pytest.raises(PeriodError, match="2022-01-01.*before.*2022-02-01"):
        Period(date(2022, 2, 1), date(2022, 1, 1))


def test_period_rejects_datetime():
    with pytest.raises(PeriodError, match="datetime"):
        Period(datetime(2022, 1, 1), date(2022, 2, 1))


def test_periods_order_by_start_then_end():
    assert sorted([JAN_NOV, JAN_SEP]) == [JAN_SEP, JAN_NOV]


def test_iso_of_month_aligned_period_uses_months():
    assert JAN_NOV.iso == "2022-01/2022-11"


def test_iso_of_whole_year_uses_months():
    assert Period(date(2022, 1, 1), date(2022, 12, 31)).iso == "2022-01/2022-12"


def test_iso_of_period_not_month_aligned_uses_days():
    assert Period(date(2022, 1, 5), date(2022, 11, 30)).iso == "2022-01-05/2022-11-30"


def test_days_counts_both_ends():
    assert JAN_NOV.days == 334


def test_days_of_one_day_period_is_one():
    assert Period(date(2022, 3, 1), date(2022, 3, 1)).days == 1


def test_months_of_month_aligned_period():
    assert JAN_NOV.months == 11


def test_months_across_a_year_boundary():
    assert parse_period("2021-12/2022-02").months == 3


def test_months_is_none_when_not_month_aligned():
    assert Period(date(2022, 1, 1), date(2022, 11, 29)).months is None


# ---- parse_period ------------------------------------------------------------


@pytest.mark.parametrize("empty", [None, "", "  ", float("nan")])
def test_unstated_period_parses_to_none(empty):
    assert parse_period(empty) is None


def test_month_range_runs_to_end_of_last_month():
    assert parse_period("2022-01/2022-11") == JAN_NOV


def test_month_range_ending_in_leap_february():
    assert parse_period("2024-01/2024-02").end == date(2024, 2, 29)


def test_day_range_parses_both_days():
    assert parse_period("2022-01-01/2022-11-30") == JAN_NOV


def test_single_month():
    assert parse_period("2022-03") == Period(date(2022, 3, 1), date(2022, 3, 31))


def test_single_year():
    assert parse_period("2022") == Period(date(2022, 1, 1), date(2022, 12, 31))


@pytest.mark.parametrize("text", ["2022年1-11月", "2022-1/2022-11", "2022-01/2022-11-30", "22"])
def test_unaccepted_form_error_names_text_and_forms(text):
    with pytest.raises(PeriodError, match=rf"{text!r}.*YYYY-MM/YYYY-MM"):
        parse_period(text)


def test_impossible_month_is_rejected_naming_text():
    with pytest.raises(PeriodError, match="'2022-13'"):
        parse_period("2022-13")


def test_impossible_day_is_rejected_naming_text():
    with pytest.raises(PeriodError, match="'2022-02-30/2022-03-01'"):
        parse_period("2022-02-30/2022-03-01")


def test_end_before_start_is_rejected_naming_text():
    with pytest.raises(PeriodError, match="'2022-11/2022-01'"):
        parse_period("2022-11/2022-01")


def test_non_string_is_rejected():
    with pytest.raises(PeriodError, match="int 2022"):
        parse_period(2022)


# ---- label -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "zh", "en"),
    [
        ("2022-01/2022-11", "2022年1-11月", "Jan–Nov 2022"),
        ("2022-01/2022-09", "2022年1-9月", "Jan–Sep 2022"),
        ("2022", "2022年", "2022"),
        ("2022-03", "2022年3月", "Mar 2022"),
        ("2021-12/2022-02", "2021年12月-2022年2月", "Dec 2021–Feb 2022"),
        ("2021-01/2022-12", "2021-2022年", "2021–2022"),
        ("2022-01-05/2022-11-30", "2022年1月5日-11月30日", "5 Jan–30 Nov 2022"),
    ],
)
def test_label_in_both_languages(iso, zh, en):
    p = parse_period(iso)
    assert (label(p, "zh"), label(p, "en")) == (zh, en)


def test_label_of_unstated_period():
    assert (label(None, "zh"), label(None, "en")) == ("未注明", "not stated")


def test_label_rejects_unknown_language_naming_it():
    with pytest.raises(ValueError, match="'fr'"):
        label(JAN_NOV, "fr")


# ---- common_period -----------------------------------------------------------


def test_common_period_of_equal_periods_is_that_period():
    assert common_period({"retail_sales": JAN_NOV, "fixed_investment": parse_period("2022-01/2022-11")}) == JAN_NOV


def test_common_period_of_all_unstated_is_none():
    assert common_period({"a": None, "b": None}) is None


def test_different_periods_raise_mismatch_naming_each_id():
    with pytest.raises(PeriodMismatch) as err:
        common_period({"retail_sales": JAN_SEP, "imports_exports": JAN_OCT})
    assert str(err.value) == (
        "figures cover different periods: retail_sales 2022-01/2022-09, "
        "imports_exports 2022-01/2022-10; pass allow_mixed=True to combine them anyway"
    )


def test_stated_and_unstated_periods_mismatch():
    with pytest.raises(PeriodMismatch, match="b not stated"):
        common_period({"a": JAN_NOV, "b": None})


def test_mismatch_is_a_period_error():
    assert issubclass(PeriodMismatch, PeriodError) and issubclass(PeriodError, ValueError)


def test_allow_mixed_returns_none_for_different_periods():
    assert common_period({"a": JAN_SEP, "b": JAN_OCT}, allow_mixed=True) is None


def test_allow_mixed_still_returns_the_shared_period():
    assert common_period({"a": JAN_SEP, "b": JAN_SEP}, allow_mixed=True) == JAN_SEP


def test_common_period_of_no_figures_is_an_error():
    with pytest.raises(PeriodError, match="at least one"):
        common_period({})


def test_common_period_rejects_unparsed_string_naming_the_id():
    with pytest.raises(PeriodError, match="'a'.*'2022-01/2022-11'"):
        common_period({"a": "2022-01/2022-11"})


# ---- contains / overlaps -----------------------------------------------------


def test_year_contains_its_months():
    assert contains(parse_period("2022"), JAN_NOV)


def test_shorter_period_does_not_contain_longer():
    assert not contains(JAN_SEP, JAN_NOV)


def test_periods_sharing_a_day_overlap():
    assert overlaps(parse_period("2022-01-01/2022-03-01"), parse_period("2022-03-01/2022-04-30"))


def test_adjacent_periods_do_not_overlap():
    assert not overlaps(parse_period("2022-01/2022-02"), parse_period("2022-03/2022-04"))


def test_unstated_period_cannot_be_compared():
    with pytest.raises(PeriodError, match="not stated"):
        contains(JAN_NOV, None)
