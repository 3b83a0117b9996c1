"""Product barcodes: GTINs checked and stored as GTIN-14, internal codes as typed."""

from __future__ import annotations

import pytest

from fulfilstation.domain.gs1 import gs1_check_digit, is_valid_gs1
from fulfilstation.domain.product_barcodes import BarcodeInvalid, product_barcode_key
from fulfilstation.domain.scan_codes import interpret


@pytest.mark.parametrize("code", ["036000291452", "0036000291452", "00036000291452", " 036000291452 "])
def test_a_gtin_in_any_length_is_one_key(code: str) -> None:
    assert product_barcode_key(code) == "00036000291452" == interpret("036000291452").gtin14


def test_an_internal_code_is_kept_as_typed_and_scans_back() -> None:
    assert product_barcode_key("SKU-MUG-01") == "SKU-MUG-01" == interpret("SKU-MUG-01").text


@pytest.mark.parametrize(("code", "reason"), [
    ("036000291453", "check digit should be 2, not 3"),
    ("", "blank"),
    ("Ünïcode", "characters a barcode cannot carry"),
    ("X" * 101, "at most 100"),
])
def test_bad_barcodes_say_why(code: str, reason: str) -> None:
    with pytest.raises(BarcodeInvalid, match=reason):
        product_barcode_key(code)


@pytest.mark.parametrize("code", ["²²²²²²²²", "¹²³⁴⁵⁶⁷⁸⁹⁰¹²", "١٢٣٤٥٦٧٨"])
def test_digits_that_are_not_ascii_are_refused_not_a_crash(code: str) -> None:
    """Superscripts (Windows-1252 bytes B2/B3/B9 read from a file) are digits to
    ``str.isdigit()`` but not to ``int()``: they crashed the import with ValueError."""
    with pytest.raises(BarcodeInvalid, match="characters a barcode cannot carry"):
        product_barcode_key(code)


def test_gs1_checks_take_ascii_digits_only() -> None:
    assert not is_valid_gs1("²²²²²²²²")
    with pytest.raises(ValueError, match="must be digits"):
        gs1_check_digit("¹²³")
