"""Weights: integer grams inside, shown in lb, oz, lb/oz, kg or g."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fulfilstation.domain.units import (
    GRAMS_PER_OUNCE,
    GRAMS_PER_POUND,
    NO_WEIGHT,
    WEIGHT_UNITS,
    format_weight,
    parse_weight,
)


@pytest.mark.parametrize(("grams", "unit", "shown"), [
    (567, "lb", "1.25 lb"),
    (0, "lb", "0.00 lb"),
    (453, "lb", "1.00 lb"),
    (1250, "kg", "1.250 kg"),
    (5, "kg", "0.005 kg"),
    (1250, "g", "1250 g"),
    (567, "oz", "20.0 oz"),
    (1000, "lb-oz", "2 lb 3.3 oz"),
    (100, "lb-oz", "3.5 oz"),
    (450, "lb-oz", "15.9 oz"),
    (453, "lb-oz", "1 lb 0.0 oz"),  # 15.98 oz rounds up: the ounces carry
    (454, "lb-oz", "1 lb 0.0 oz"),
    (-57, "lb", "-0.13 lb"),
    (-1, "lb", "0.00 lb"),  # never "-0.00"
    (-1, "lb-oz", "0.0 oz"),
    (-500, "lb-oz", "-1 lb 1.6 oz"),
])
def test_format_weight(grams: int, unit: str, shown: str) -> None:
    assert format_weight(grams, unit) == shown


def test_default_unit_is_pounds() -> None:
    assert format_weight(567) == "1.25 lb"


@pytest.mark.parametrize("unit", WEIGHT_UNITS)
def test_no_weight_is_a_dash(unit: str) -> None:
    assert format_weight(None, unit) == NO_WEIGHT


def test_unknown_unit_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="'stone'.*lb, oz, lb-oz, kg, g"):
        format_weight(100, "stone")


@given(st.integers(min_value=-200_000, max_value=200_000))
def test_pounds_and_ounces_read_back_within_a_twentieth_ounce(grams: int) -> None:
    text = format_weight(grams, "lb-oz")
    match = re.fullmatch(r"(-?)(?:(\d+) lb )?(\d+\.\d) oz", text)
    assert match, text
    sign = -1 if match.group(1) else 1
    ounces = sign * (int(match.group(2) or 0) * 16 + float(match.group(3)))
    assert abs(ounces - grams / GRAMS_PER_OUNCE) <= 0.05 + 1e-9
    assert float(match.group(3)) < 16


@given(st.integers(min_value=0, max_value=500_000))
def test_pounds_read_back_within_half_a_hundredth(grams: int) -> None:
    value = float(format_weight(grams, "lb").removesuffix(" lb"))
    assert abs(value - grams / GRAMS_PER_POUND) <= 0.005 + 1e-9


@pytest.mark.parametrize("text, grams", [("1.25lb", 567), ("567g", 567), ("0.4 kg", 400), ("20oz", 567),
                                         ("1LB", 454), (" 2.5 KG ", 2500)])
def test_parse_weight_accepts_what_people_type(text: str, grams: int) -> None:
    assert parse_weight(text) == grams


@pytest.mark.parametrize("text", ["", "lb", "1.2", "-1lb", "1.2stone", "heavy", "1..2kg"])
def test_parse_weight_refuses_the_rest(text: str) -> None:
    with pytest.raises(ValueError, match="is not a weight"):
        parse_weight(text)
