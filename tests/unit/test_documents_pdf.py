"""Packing slips and command sheets, read back like a person and a scanner would: poppler
rasterises each page at 200 dpi, zxing-cpp decodes every barcode, pdftotext reads the words."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from fulfilstation.documents import packing_slip as packing_slip_module
from fulfilstation.documents.command_sheet import build_command_sheet
from fulfilstation.documents.fonts import document_fonts, load_fonts
from fulfilstation.documents.packing_slip import PackingSlip, SlipLine, build_packing_slip
from fulfilstation.documents.pdf_parts import code128, code128_can_encode
from fulfilstation.domain.commands import StationCommand
from tests.support.pdf import pdf_barcodes, pdf_page_texts, pdf_pages_to_png, pdf_text
from tests.support.zpl import Decoded

LETTER_200DPI = (1700, 2200)
A4_200DPI = (1654, 2339)
BOXES = [("BOX-POLY-S", "Poly mailer S"), ("BOX-MAIL-A5", "Cardboard mailer A5"), ("BOX-S", "Box S 20x15x10"),
         ("BOX-M", "Box M 30x20x15"), ("BOX-L", "Box L 40x30x20"), ("BOX-XL", "Box XL 60x40x30")]


def make_slip(count: int = 3, **changes: Any) -> PackingSlip:
    slip = PackingSlip(
        order_number="SO-10042",
        ship_from=("Demo Goods Warehouse", "1200 Industrial Pkwy, Unit 4", "Columbus OH 43219", "US"),
        ship_to=("Zoë Łukasiewicz", "Flat 2", "12 Long Road", "Leeds LS1 4AB", "GB"),
        order_date=dt.date(2026, 3, 1), ship_by=dt.date(2026, 3, 3), service="Own courier — Next day",
        tracking_numbers=("003123456700000018",),
        lines=tuple(SlipLine(f"SKU-{n:03d}", f"Product {n}", 2, 2) for n in range(1, count + 1)),
    )
    return dataclasses.replace(slip, **changes)


def need_cjk_font() -> None:
    if not any(document_fonts().covers(font, "佐") for font in document_fonts().fallbacks):
        pytest.skip("no TrueType font for Japanese on this PC (install fonts-droid-fallback)")


def codes(decoded: list[Decoded]) -> list[tuple[str, str, str]]:
    return [(d.format, d.text, d.symbology) for d in decoded]


def test_order_barcode_decodes_to_exactly_the_order_number(tmp_path: Path) -> None:
    pdf = build_packing_slip(make_slip())
    pages = pdf_barcodes(pdf, tmp_path)
    assert [codes(page) for page in pages] == [[("Code128", "SO-10042", "]C0")]]
    assert pdf_pages_to_png(pdf, tmp_path)[0].stat().st_size > 0


def test_letter_by_default_and_a4_on_request(tmp_path: Path) -> None:
    from PIL import Image

    letter = pdf_pages_to_png(build_packing_slip(make_slip()), tmp_path)
    a4_pdf = build_packing_slip(make_slip(), page_size="a4")
    assert Image.open(letter[0]).size == LETTER_200DPI
    assert Image.open(pdf_pages_to_png(a4_pdf, tmp_path)[0]).size == A4_200DPI
    assert codes(pdf_barcodes(a4_pdf, tmp_path)[0]) == [("Code128", "SO-10042", "]C0")]
    with pytest.raises(ValueError, match="letter, a4"):
        build_packing_slip(make_slip(), page_size="legal")


def test_slip_shows_addresses_dates_service_tracking_and_lines(tmp_path: Path) -> None:
    lines = (SlipLine("TEA-EARL-100", "Earl Grey Loose Tea 100 g", 3, 3, lots=("L26123", "L26124")),
             SlipLine("SPK-BT-MINI", "Mini Bluetooth Speaker", 2, 2, serials=("SPK-000123", "SPK-000124")),
             SlipLine("MUG-CER-350", "Ceramic Mug 350 ml, Slate", 1, 0))
    text = pdf_text(build_packing_slip(make_slip(lines=lines, tracking_numbers=("0031A", "0031B"))), tmp_path)
    for expected in ("Packing slip", "Order SO-10042", "Demo Goods Warehouse", "Leeds LS1 4AB", "2026-03-01",
                     "2026-03-03", "Own courier — Next day", "1/2 0031A", "2/2 0031B", "Page 1 of 1"):
        assert expected in text
    assert re.search(r"Lot L26123,\s+L26124", text) and re.search(r"S/N SPK-000123,\s+SPK-000124", text)
    assert re.search(r"TEA-EARL-100\s+Earl Grey Loose Tea 100 g\s+3\s+3", text)
    assert re.search(r"MUG-CER-350\s+Ceramic Mug 350 ml, Slate\s+1\s+0", text)
    assert re.search(r"Total units\s+6\s+5", text)


def test_seventy_lines_flow_onto_pages_that_each_repeat_the_header(tmp_path: Path) -> None:
    pdf = build_packing_slip(make_slip(70))
    texts, barcodes = pdf_page_texts(pdf, tmp_path), pdf_barcodes(pdf, tmp_path)
    assert len(texts) == len(barcodes) >= 2
    seen: list[int] = []
    for number, (text, found) in enumerate(zip(texts, barcodes, strict=True), start=1):
        assert codes(found) == [("Code128", "SO-10042", "]C0")]
        assert "Packing slip" in text and "Order SO-10042" in text and "Ship to: Zoë Łukasiewicz" in text
        assert re.search(r"#\s+SKU\s+Item\s+Ordered\s+Shipped\s+Lot / serial", text), f"page {number}"
        assert f"Page {number} of {len(texts)}" in text
        on_page = [int(n) for n in re.findall(r"SKU-(\d{3})", text)]
        assert on_page == sorted(on_page)
        seen += on_page
    assert seen == list(range(1, 71))  # every line once, in order, none lost at a page break
    assert "Total units" in texts[-1] and "140" in texts[-1]


def test_long_text_wraps_and_a_row_taller_than_a_page_splits(tmp_path: Path) -> None:
    name = " ".join(f"word{n}" for n in range(60))
    serials = tuple(f"SN-{n:06d}" for n in range(150))
    lines = (SlipLine("SKU-LONG", name, 1, 1), SlipLine("SKU-SER", "Serial tracked", 150, 150, serials=serials))
    pdf = build_packing_slip(make_slip(lines=lines, ship_to=("Zoë " + "Łukasiewicz-" * 20, "Road")))
    texts = pdf_page_texts(pdf, tmp_path)
    text = "\f".join(texts)
    assert all(f"word{n}" in text for n in range(60))
    first = next(row for row in text.splitlines() if "word0" in row)
    assert "word59" not in first  # wrapped inside its cell, not run off the page
    assert re.findall(r"SN-\d{6}", text) == list(serials)
    assert len(texts) >= 2 and "…" in texts[0].split("SHIP FROM")[0]  # the header cuts a long name short


def test_gift_slip_shows_the_message_and_never_a_price(tmp_path: Path) -> None:
    assert not [f.name for f in dataclasses.fields(PackingSlip) if "price" in f.name or "total" in f.name]
    assert not [f.name for f in dataclasses.fields(SlipLine) if "price" in f.name]
    message = "Happy birthday, Zoë!\nWith love from all of us"
    text = pdf_text(build_packing_slip(make_slip(gift_message=message)), tmp_path)
    assert "GIFT MESSAGE" in text and "Happy birthday, Zoë!" in text and "With love from all of us" in text
    assert not re.search(r"[$€£]|price|USD", text, re.IGNORECASE)
    assert "GIFT MESSAGE" not in pdf_text(build_packing_slip(make_slip(gift_message="  ")), tmp_path)


def test_non_latin_names_are_embedded_and_read_back(tmp_path: Path) -> None:
    need_cjk_font()
    slip = make_slip(ship_to=("佐藤 花子", "Zoë Łukasiewicz", "渋谷区 1-2-3", "Tokyo 150-0002", "JP"),
                     gift_message="お誕生日おめでとう", lines=(SlipLine("TEA-01", "抹茶 Matcha 100 g", 1, 1),))
    pdf = build_packing_slip(slip)
    text = pdf_text(pdf, tmp_path)
    expected = ("Ship to: 佐藤 花子", "Zoë Łukasiewicz", "渋谷区 1-2-3", "お誕生日おめでとう",
                "抹茶 Matcha 100 g")
    assert [value for value in expected if value not in text] == []
    assert b"/FontFile2" in pdf  # TrueType subsets embedded: no viewer font substitution
    assert codes(pdf_barcodes(pdf, tmp_path)[0]) == [("Code128", "SO-10042", "]C0")]


def test_without_usable_fonts_the_slip_still_prints_with_placeholders(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    bare = load_fonts([tmp_path / "no-fonts-here"])  # reportlab's own Latin-1 Vera, no fallback
    assert bare.fallbacks == () and bare.regular == "FS-Vera"
    assert "".join(chunk for _font, chunk in bare.runs("佐藤 Zoë Ő")) == "?? Zoë O"
    monkeypatch.setattr(packing_slip_module, "document_fonts", lambda: bare)
    pdf = build_packing_slip(make_slip(ship_to=("佐藤 花子", "Tokyo")))
    assert "Ship to: ?? ??" in pdf_text(pdf, tmp_path)
    assert codes(pdf_barcodes(pdf, tmp_path)[0]) == [("Code128", "SO-10042", "]C0")]


def test_an_order_number_code128_cannot_carry_prints_as_text_only(tmp_path: Path) -> None:
    assert code128_can_encode("SO-10042") and not code128_can_encode("SO-Ω1") and not code128_can_encode("")
    with pytest.raises(ValueError, match="printable ASCII"):
        code128("Zoë", max_width=100, bar_height=10)  # reportlab alone would encode "Zo" and drop the rest
    pdf = build_packing_slip(make_slip(order_number="SO-Ω1"))
    assert pdf_barcodes(pdf, tmp_path) == [[]]
    assert "Order SO-Ω1" in pdf_text(pdf, tmp_path)


def test_same_slip_gives_the_same_bytes() -> None:
    assert build_packing_slip(make_slip(5)) == build_packing_slip(make_slip(5))


def test_every_command_and_box_barcode_decodes_to_its_value(tmp_path: Path) -> None:
    pdf = build_command_sheet("PACK-01", BOXES)
    pages = pdf_barcodes(pdf, tmp_path)
    assert len(pages) == 1
    found = codes(pages[0])
    expected = [c.value for c in StationCommand] + [code for code, _name in BOXES]
    assert sorted(text for _f, text, _s in found) == sorted(expected)  # each exactly once
    assert {(f, s) for f, _t, s in found} == {("Code128", "]C0")}
    text = pdf_text(pdf, tmp_path)
    assert "Station PACK-01" in text
    assert all(command.label in text for command in StationCommand)
    assert all(name in text for _code, name in BOXES)


def test_command_sheet_on_a4_and_with_codes_that_cannot_be_barcodes(tmp_path: Path) -> None:
    from PIL import Image

    boxes = [*BOXES, ("BOXÉ-1", "Accented box"), ("BOX-" + "7" * 28, "Long code"), ("X" * 120, "Far too long")]
    pdf = build_command_sheet("佐藤 PACK", boxes, page_size="a4")
    pages = pdf_pages_to_png(pdf, tmp_path)
    assert all(Image.open(page).size == A4_200DPI for page in pages)
    decoded = sorted(text for page in pdf_barcodes(pdf, tmp_path) for _f, text, _s in codes(page))
    assert decoded == sorted([c.value for c in StationCommand] + [code for code, _name in BOXES]
                             + ["BOX-" + "7" * 28])
    text = pdf_text(pdf, tmp_path)
    assert re.search(r"BOXÉ-1: this code has characters that cannot be\s+a\s+barcode", text)
    assert re.search(r"this code is too long for\s+a\s+barcode", text)


def test_command_sheet_without_boxes_has_only_the_commands(tmp_path: Path) -> None:
    found = pdf_barcodes(build_command_sheet("PACK-02"), tmp_path)
    assert sorted(text for _f, text, _s in codes(found[0])) == sorted(c.value for c in StationCommand)
    assert "Boxes" not in pdf_text(build_command_sheet("PACK-02"), tmp_path)
