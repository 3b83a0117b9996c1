"""Code 128 / GS1-128 encoding shared by the ZPL and PDF renderers: exact symbol values and
^BC field data, GS1 rules, and — for tricky data — a round trip through both renderers and
zxing-cpp."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fulfilstation.documents.labels import Barcode, Code128Data, LabelDescription, render_pdf, render_zpl
from fulfilstation.documents.labels.code128 import encode
from tests.support.pdf import pdf_barcodes
from tests.support.zpl import decode_barcodes
from tests.support.zpl import render_zpl as rasterise

SSCC = "106141411234567897"


def strip(data: Code128Data) -> LabelDescription:
    return LabelDescription(101.6, 25.4, (Barcode(3.0, 3.0, 95.6, 18.0, data, module=0.33),))


def test_sscc_is_subset_c_with_fnc1() -> None:
    symbol = encode(Code128Data.gs1(("00", SSCC)))
    assert symbol.zpl == f">;>800{SSCC}"
    digits = "00" + SSCC
    pairs = [int(digits[i:i + 2]) for i in range(0, 20, 2)]
    assert symbol.values[:-1] == (105, 102, *pairs)
    check = (105 + sum(i * v for i, v in enumerate(symbol.values[1:-1], start=1))) % 103
    assert symbol.values[-1] == check and symbol.modules == 11 * 13 + 13


@pytest.mark.parametrize(("data", "zpl"), [
    (Code128Data.plain("1Z5R89390357567127"), ">:1Z5R89390357567127"),
    (Code128Data.plain("986578788855"), ">;986578788855"),
    (Code128Data.plain("12345"), ">:12345"),  # C then a lone 5 would be no shorter
    (Code128Data.plain("1234567"), ">;1234>6567"),  # ≥ 2 characters after the change
    (Code128Data.plain("A>B^C~D"), ">:A>0B><C>=D"),
    (Code128Data.gs1(("420", "62704"), ("94", "00111206206406260787")), ">;>842062704>89400111206206406260787"),
    (Code128Data.gs1(("01", "04006381333931"), ("10", "LOT-7"), ("21", "SN1")),
     ">;>8010400638133393110>6LOT-7>821SN1"),
])
def test_field_data(data: Code128Data, zpl: str) -> None:
    assert encode(data).zpl == zpl


def test_what_a_scanner_reports_and_the_caption() -> None:
    lot = Code128Data.gs1(("01", "04006381333931"), ("17", "270131"), ("10", "LOT-7"), ("21", "SN1"))
    assert lot.scanned() == "01040063813339311727013110LOT-7\x1d21SN1"  # no FNC1 after fixed-length AIs
    assert lot.caption() == "(01) 04006381333931 (17) 270131 (10) LOT-7 (21) SN1"
    assert Code128Data.plain("A-01-1").scanned() == "A-01-1" and not Code128Data.plain("x").is_gs1


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Code128Data.plain("Zoë"), "printable ASCII"),
    (lambda: Code128Data.plain(""), "either text or"),
    (lambda: Code128Data(text="A", elements=(("00", SSCC),)), "either text or"),
    (lambda: Code128Data.gs1(("00", SSCC[:-1] + "0")), "check digit"),
    (lambda: Code128Data.gs1(("01", "123")), "takes 14 digits"),
    (lambda: Code128Data.gs1(("0A", "1")), "application identifier"),
    (lambda: Code128Data.gs1(("10", "")), "value"),
])
def test_invalid_data_is_refused(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]


TRICKY = [Code128Data.plain("12345"), Code128Data.plain("1234567"), Code128Data.plain("A>B^C~DE"),
          Code128Data.plain("BIN_07 a/b"), Code128Data.gs1(("01", "04006381333931"), ("10", "LOT-7"), ("21", "SN1")),
          Code128Data.gs1(("420", "1234"), ("94", "001112"))]


@pytest.mark.parametrize("data", TRICKY, ids=lambda d: repr(d.scanned()))
def test_tricky_data_round_trips_through_both_renderers(data: Code128Data, tmp_path: Path) -> None:
    expected = [("Code128", data.scanned(), "]C1" if data.is_gs1 else "]C0")]
    for dpi in (203, 300):
        png = rasterise(render_zpl(strip(data), dpi), tmp_path / f"z{dpi}", dpi=dpi, height_in=1)[0]
        assert [(d.format, d.text, d.symbology) for d in decode_barcodes(png)] == expected
    page = pdf_barcodes(render_pdf([strip(data)]), tmp_path)[0]
    assert [(d.format, d.text, d.symbology) for d in page] == expected


def test_a_barcode_too_wide_for_its_box_is_refused() -> None:
    wide = LabelDescription(50.8, 25.4, (Barcode(1.5, 1.5, 47.8, 13.0, Code128Data.plain("X" * 30)),))
    with pytest.raises(ValueError, match="does not fit"):
        render_zpl(wide, 203)
    with pytest.raises(ValueError, match="does not fit"):
        render_pdf([wide])


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=18))
def test_any_printable_text_decodes_from_the_pdf(text: str) -> None:
    data = Code128Data.plain(text)
    with tempfile.TemporaryDirectory() as folder:
        page = pdf_barcodes(render_pdf([strip(data)]), Path(folder))[0]
    assert [(d.text, d.symbology) for d in page] == [(text, "]C0")]
