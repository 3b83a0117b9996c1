from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fulfilstation.domain.gs1 import gs1_check_digit, gtin14, is_valid_gs1, with_check_digit
from fulfilstation.domain.pins import badge_digest, hash_pin, verify_pin

PUBLISHED = ["106141411234567897", "4006381333931", "036000291452", "96385074", "9400111206206406260787"]


@pytest.mark.parametrize("number", PUBLISHED)
def test_published_gs1_examples_are_valid(number: str) -> None:
    assert is_valid_gs1(number)


@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_check_digit_makes_any_digits_valid_and_catches_single_errors(data: str) -> None:
    number = with_check_digit(data)
    assert is_valid_gs1(number)
    wrong = str((gs1_check_digit(data) + 1) % 10)
    assert not is_valid_gs1(data + wrong)


def test_gtin14_normalises_upc_and_ean() -> None:
    assert gtin14("036000291452") == "00036000291452"
    assert gtin14("4006381333931") == "04006381333931"
    with pytest.raises(ValueError):
        gtin14("4006381333932")


def test_pin_hash_is_salted_and_verifies() -> None:
    first, second = hash_pin("1234"), hash_pin("1234")
    assert first != second
    # The stored form is scheme, cost parameters, salt and digest; the PIN itself is none of its
    # fields. (A substring test would fail by chance: random hex contains "1234" now and then.)
    scheme, *parameters, salt, digest = first.split("$")
    assert scheme == "scrypt" and all(p.isdigit() for p in parameters)
    assert len(bytes.fromhex(salt)) >= 16 and len(bytes.fromhex(digest)) >= 32
    assert "1234" not in first.split("$")
    assert verify_pin("1234", first) and verify_pin("1234", second)
    assert not verify_pin("1235", first)
    assert not verify_pin("1234", "garbage") and not verify_pin("1234", None)


def test_badge_digest_is_stable_and_trims() -> None:
    salt = b"0123456789abcdef"
    assert badge_digest("BADGE-1", salt) == badge_digest(" BADGE-1\n", salt) != badge_digest("BADGE-2", salt)
