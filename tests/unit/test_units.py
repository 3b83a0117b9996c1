"""Weights: the one table of factors, the one parser of typed weights, integer grams shown in lb,
oz, lb/oz, kg or g."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fulfilstation.domain.units import (
    ACCEPTED_FORM,
    GRAMS_PER_OUNCE,
    GRAMS_PER_POUND,
    GRAMS_PER_UNIT,
    MM_PER_INCH,
    NO_WEIGHT,
    WEIGHT_UNITS,
    format_least_weight,
    format_weight,
    from_grams,
    parse_weight,
    parse_weight_and_unit,
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


# --------------------------------------------------------------------------- the one table


def test_the_float_views_are_the_exact_factors() -> None:
    assert GRAMS_PER_UNIT["lb"] == Decimal("453.59237")
    assert GRAMS_PER_UNIT["oz"] * 16 == GRAMS_PER_UNIT["lb"]
    assert (GRAMS_PER_POUND, GRAMS_PER_OUNCE, MM_PER_INCH) == (453.59237, 453.59237 / 16, 25.4)


@pytest.mark.parametrize(("grams", "unit", "decimals", "value"), [
    (567, "lb", 2, "1.25"), (1009, "oz", 1, "35.6"), (1250, "kg", 3, "1.250"), (100, "g", 2, "100.00"),
])
def test_from_grams(grams: int, unit: str, decimals: int, value: str) -> None:
    assert str(from_grams(grams, unit, decimals)) == value


# --------------------------------------------------------------------------- the one parser


@pytest.mark.parametrize(("text", "grams", "unit"), [
    ("1.25lb", 567, "lb"), ("567g", 567, "g"), ("0.4 kg", 400, "kg"), ("20oz", 567, "oz"), ("1LB", 454, "lb"),
    (" 2.5 KG ", 2500, "kg"), ("1.25 lbs", 567, "lb"), ("2 Pounds", 907, "lb"), ("16 ounces", 454, "oz"),
    (".5kg", 500, "kg"), ("3.lb", 1361, "lb"), ("0g", 0, "g"), ("0.4  kg", 400, "kg"), ("999999999g", 999999999, "g"),
    ("0.5g", 1, "g"), ("2.5 g", 3, "g"), ("0.0005kg", 1, "kg"), ("0.49g", 0, "g"),  # half up
])
def test_parse_weight_accepts_what_people_type(text: str, grams: int, unit: str) -> None:
    assert parse_weight(text) == grams
    assert parse_weight_and_unit(text) == (grams, unit)


@pytest.mark.parametrize("text", [
    "", "lb", "1.2", ".", ".lb", "-1lb", "+1lb", "- 1 lb", "1e3g", "1E3g", "1e-3kg", "nan g", "NaN", "inf kg",
    "infinity lb", "1,5kg", "1 000g", "1..2kg", "1.2.3g", "1.2stone", "1 mg", "1ozt", "heavy", "1lb 4oz",
    "1\tkg", "1 kg.", "\u0661g", "1 \u212ag", "1234567890g", "0x10g", "1_000g",
])
def test_parse_weight_refuses_the_rest_and_shows_the_accepted_form(text: str) -> None:
    for parse in (parse_weight, parse_weight_and_unit):
        with pytest.raises(ValueError) as refused:
            parse(text)
        assert str(refused.value) == f"{text!r} is not a weight: write {ACCEPTED_FORM}"
        assert "like 1.25lb, 567g, 0.4 kg or 20oz" in str(refused.value)


# An independent statement of the rules, in Fractions: what any typed weight must give.
POUND = Fraction(45359237, 100000)
ORACLE_UNITS = {"g": ("g", Fraction(1)), "gram": ("g", Fraction(1)), "grams": ("g", Fraction(1)),
                "kg": ("kg", Fraction(1000)), "kgs": ("kg", Fraction(1000)), "kilo": ("kg", Fraction(1000)),
                "kilos": ("kg", Fraction(1000)), "kilogram": ("kg", Fraction(1000)),
                "kilograms": ("kg", Fraction(1000)), "lb": ("lb", POUND), "lbs": ("lb", POUND),
                "pound": ("lb", POUND), "pounds": ("lb", POUND), "oz": ("oz", POUND / 16),
                "ounce": ("oz", POUND / 16), "ounces": ("oz", POUND / 16)}
UNIT_TEXTS = [*ORACLE_UNITS, "LB", "Kg", "OZ", "Grams", "", "stone", "mg", "ozt", "ct", "k g", "lb.", "#"]


@given(
    outer=st.sampled_from(["", " ", "  "]),
    sign=st.sampled_from(["", "", "", "-", "+"]),
    whole=st.text("0123456789", max_size=11),
    fraction=st.none() | st.text("0123456789", max_size=5),
    exponent=st.sampled_from(["", "", "", "e3", "E-2"]),
    gap=st.sampled_from(["", " ", "  ", "\t", "_"]),
    unit=st.sampled_from(UNIT_TEXTS),
)
def test_every_typed_weight_gives_what_the_rules_say(outer: str, sign: str, whole: str, fraction: str | None,
                                                     exponent: str, gap: str, unit: str) -> None:
    number = whole if fraction is None else f"{whole}.{fraction}"
    text = f"{outer}{sign}{number}{exponent}{gap}{unit}{outer}"
    plain_number = (1 <= len(whole) <= 9 or (not whole and bool(fraction))) and not sign and not exponent
    known = ORACLE_UNITS.get(unit.lower())
    if plain_number and known is not None and gap in ("", " ", "  "):
        name, factor = known
        exact = Fraction(number) * factor
        assert parse_weight_and_unit(text) == (math.floor(exact + Fraction(1, 2)), name)
    else:
        with pytest.raises(ValueError, match="is not a weight: write a plain number and a unit"):
            parse_weight(text)


def test_a_ranges_lower_bound_never_shows_a_positive_weight_as_zero() -> None:
    assert [format_least_weight(1, unit) for unit in WEIGHT_UNITS] == ["0.01 lb", "0.1 oz", "0.1 oz", "0.001 kg",
                                                                        "1 g"]
    assert format_least_weight(0, "lb") == "0.00 lb" and format_least_weight(567, "lb") == format_weight(567, "lb")
    assert format_least_weight(3, "lb") == "0.01 lb" and format_least_weight(2, "kg") == "0.002 kg"
