"""Check digits against the published examples in specs/devices.md."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fulfilstation.carriers.check_digits import (
    fedex_express_check_digit,
    fedex_express_tracking,
    sscc,
    ups_check_digit,
    ups_tracking,
    usps_impb_tracking,
)
from fulfilstation.domain.gs1 import is_valid_gs1


def test_published_ups_example() -> None:
    assert ups_check_digit("5R8939035756712") == 7  # 1Z5R89390357567127
    assert ups_tracking("5R8939", "03", 5756712) == "1Z5R89390357567127"


def test_published_fedex_express_example() -> None:
    assert fedex_express_check_digit("98657878885") == 5  # 986578788855
    assert fedex_express_tracking(98657878885) == "986578788855"


def test_published_usps_impb_example() -> None:
    assert is_valid_gs1("9400111206206406260787")
    # the same 22 digits read with a 9-digit MID (7-digit serial) or a 6-digit MID (10-digit serial)
    assert usps_impb_tracking("001", "112062064", 626078) == "9400111206206406260787"
    assert usps_impb_tracking("001", "112062", 640626078) == "9400111206206406260787"


def test_usps_serial_must_fit_beside_its_mailer_id() -> None:
    with pytest.raises(ValueError, match="at most 7 digits"):
        usps_impb_tracking("001", "112062064", 10_000_000)
    with pytest.raises(ValueError, match="6- or 9-digit"):
        usps_impb_tracking("001", "1120620", 1)


def test_published_sscc_example() -> None:
    assert sscc("1", "0614141", 123456789) == "106141411234567897"


@given(st.integers(0, 9_999_999), st.sampled_from(["01", "02", "03", "12", "13"]))
def test_ups_numbers_are_18_characters_and_catch_a_changed_digit(serial: int, service: str) -> None:
    number = ups_tracking("0W1X23", service, serial)
    assert len(number) == 18 and number.startswith("1Z0W1X23" + service)
    changed = number[:10] + str((int(number[10]) + 1) % 10) + number[11:17]
    assert ups_check_digit(changed[2:]) != int(number[-1])


@pytest.mark.parametrize("body", ["", "12345", "1Z5R8939035756712"])
def test_bad_input_is_refused(body: str) -> None:
    with pytest.raises(ValueError):
        ups_check_digit(body)
