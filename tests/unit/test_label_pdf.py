"""PDF labels read back like a person and a scanner would: poppler rasterises at 200 dpi,
zxing-cpp decodes every barcode (GS1 structure included), pdftotext reads the words."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fulfilstation.documents.fonts import document_fonts
from fulfilstation.documents.labels import LabelDescription, fit_text, render_pdf, shipping_label
from tests.support.pdf import pdf_barcodes, pdf_page_texts, pdf_pages_to_png
from tests.unit.test_label_zpl import CASES, LONG_COMPANY, LONG_NAME, SSCC, shipping_data

SHIPPING = ["sscc", "usps-impb", "usps-impb-zip9", "ups", "fedex"]
LETTER_200DPI, A4_200DPI = (1700, 2200), (1654, 2339)


def page_size(png: Path) -> tuple[int, int]:
    from PIL import Image

    return Image.open(png).size


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_label_kind_decodes_to_exactly_its_data(case: str, tmp_path: Path) -> None:
    label, _kind, expected = CASES[case]
    pdf = render_pdf([label])
    pages = pdf_barcodes(pdf, tmp_path)
    assert [[(d.format, d.text, d.symbology) for d in page] for page in pages] == [[expected]]
    png = pdf_pages_to_png(pdf, tmp_path / "size")[0]
    assert page_size(png) == (round(label.width / 25.4 * 200), round(label.height / 25.4 * 200))


@pytest.mark.parametrize(("sheet", "pixels"), [("letter", LETTER_200DPI), ("a4", A4_200DPI)])
def test_two_shipping_labels_per_sheet(sheet: str, pixels: tuple[int, int], tmp_path: Path) -> None:
    labels = [CASES[case][0] for case in SHIPPING]
    pdf = render_pdf(labels, sheet=sheet)
    pages = pdf_barcodes(pdf, tmp_path)
    assert len(pages) == 3
    found = sorted((d.text, d.symbology) for page in pages for d in page)
    assert found == sorted((CASES[case][2][1], CASES[case][2][2]) for case in SHIPPING)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert {page_size(png) for png in pdf_pages_to_png(pdf, tmp_path / "sizes")} == {pixels}
    with pytest.raises(ValueError, match="sheet must be"):
        render_pdf(labels, sheet="legal")


def test_only_labels_that_fit_half_a_sheet_go_two_up() -> None:
    too_big = dataclasses.replace(CASES["bin"][0], width=150.0, height=220.0)
    with pytest.raises(ValueError, match="does not fit half a sheet"):
        render_pdf([too_big], sheet="letter")
    with pytest.raises(ValueError, match="no label"):
        render_pdf([])


def test_same_labels_give_the_same_bytes() -> None:
    labels = [CASES["sscc"][0], CASES["product-gtin"][0]]
    assert render_pdf(labels) == render_pdf(labels)
    assert render_pdf(labels[:1], sheet="a4") == render_pdf(labels[:1], sheet="a4")


def test_long_names_fit_their_boxes_with_the_real_font_widths(tmp_path: Path) -> None:
    label: LabelDescription = CASES["sscc"][0]
    fonts = document_fonts()
    for text in label.texts():
        fitted = fit_text(text, lambda value, size, bold=text.bold: fonts.width(value, size, bold=bold))
        assert len(fitted.lines) <= text.max_lines and fitted.size >= (text.min_size or 0)
        assert all(fonts.width(line, fitted.size, bold=text.bold) <= text.width for line in fitted.lines)
    words = " ".join(pdf_page_texts(render_pdf([label]), tmp_path)[0].split())
    assert LONG_NAME in words
    assert LONG_COMPANY in words and "Rancho Santa Margarita CA 92688" in words


def test_non_latin_names_and_addresses_print(tmp_path: Path) -> None:
    fonts = document_fonts()
    if not any(fonts.covers(font, "佐") for font in fonts.fallbacks):
        pytest.skip("no TrueType font for Japanese on this PC (install fonts-droid-fallback)")
    label = shipping_label(shipping_data("sscc", SSCC, ship_to=(
        "佐藤 花子", "Zoë Łukasiewicz-Fernández", "丸の内1-9-1", "千代田区, 東京都 100-0005", "JP")))
    pdf = render_pdf([label])
    text = pdf_page_texts(pdf, tmp_path)[0]
    for words in ("佐藤 花子", "Zoë Łukasiewicz-Fernández", "丸の内1-9-1", "千代田区, 東京都 100-0005"):
        assert words in text
    assert [(d.text, d.symbology) for d in pdf_barcodes(pdf, tmp_path / "codes")[0]] == [(f"00{SSCC}", "]C1")]
