"""Product barcodes: GTINs checked and stored as GTIN-14, internal codes as typed."""

from __future__ import annotations

import pytest

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
