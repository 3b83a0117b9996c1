"""Scanned data as different scanners send it, read into GTIN, lot, serial, expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fulfilstation.domain.gs1 import with_check_digit
from fulfilstation.domain.scan_codes import interpret

UPC = "036000291452"


@pytest.mark.parametrize("raw, symbology", [
    (UPC, None),                       # UPC-A as typed by a wedge scanner
    ("0" + UPC, None),                 # EAN-13 form with the leading zero
    ("0" + UPC, "]E0"),                # HID POS: AIM id apart from the data
    ("]E00" + UPC, None),              # AIM id transmitted in front of the data
    ("00" + UPC, None),                # GTIN-14 with leading zeros
    ("]C101" + "00" + UPC, None),      # GS1-128 with AI 01
])
def test_every_form_of_one_item_meets_on_one_key(raw: str, symbology: str | None) -> None:
    code = interpret(raw, symbology)
    assert code.gtin14 == "00" + UPC
    assert code.lot is None and code.serial is None


def test_case_gtin14_is_its_own_key_and_not_read_as_element_strings() -> None:
    case = with_check_digit("1" + "0614141" + "00001")
    code = interpret(case)
    assert code.gtin14 == case and code.lot is None


def test_gs1_128_with_lot_expiry_and_serial() -> None:
    code = interpret("]C1" + "0100614141000012" + "10LOT42\x1d" + "17261231" + "21SN-0009")
    assert (code.gtin14, code.lot, code.expiry, code.serial) == ("00614141000012", "LOT42",
                                                                 dt.date(2026, 12, 31), "SN-0009")
    assert code.symbology == "]C1"


def test_gs1_datamatrix_from_hid_scanner() -> None:
    code = interpret("0100614141000012" + "21ABC123\x1d" + "10B7", "]d2")
    assert (code.gtin14, code.serial, code.lot) == ("00614141000012", "ABC123", "B7")


@pytest.mark.parametrize("written, raw, symbology", [
    ("(01)00614141000302(10)L26660", "010061414100030210L26660", None),   # typed from under the barcode
    ("(01)00614141000012(10)LOT42(17)261231(21)SN-0009",
     "0100614141000012" + "10LOT42\x1d" + "17261231" + "21SN-0009", None),  # variable lengths: \x1d between
    ("]C1(01)00614141000012(17)261231", "]C1" + "0100614141000012" + "17261231", None),
    ("(01)00614141000012(21)ABC123", "0100614141000012" + "21ABC123", "]d2"),
    ("(00)106141411234567897", "00106141411234567897", None),
])
def test_the_bracketed_written_form_reads_as_the_raw_element_string(written: str, raw: str,
                                                                    symbology: str | None) -> None:
    code = interpret(written, symbology)
    assert code == interpret(raw, symbology)
    assert code.gtin14 is not None or code.sscc is not None


@pytest.mark.parametrize("text", ["(01)0061", "(hello)", "(10)", "(99)"])
def test_brackets_that_are_not_gs1_stay_text(text: str) -> None:
    assert interpret(text).text == text


def test_sscc_is_recognised() -> None:
    assert interpret("00106141411234567897").sscc == "106141411234567897"


@pytest.mark.parametrize("raw", ["SO-10001", "BADGE-0001", "A-01-1", "036000291453", "FS:NEXT", "]", "]C", "]]]"])
def test_other_codes_are_plain_text(raw: str) -> None:
    code = interpret(raw)
    assert code.gtin14 is None and code.text == raw


@given(st.text(max_size=60))
def test_any_input_is_interpreted_without_raising(raw: str) -> None:
    code = interpret(raw)
    assert code.gtin14 is None or (len(code.gtin14) == 14 and code.gtin14.isdigit())
