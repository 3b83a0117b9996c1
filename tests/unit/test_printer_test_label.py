"""The printer test label: built as a label description, rendered by the one ZPL renderer,
drawn by an independent renderer (zpl-renderer-js) and read back with zxing-cpp."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fulfilstation.documents.labels import render_zpl
from fulfilstation.documents.labels.printer_test_label import (
    FOOTER,
    TITLE,
    printer_test_label,
    printer_test_label_zpl,
)
from tests.support.zpl import decode_barcodes
from tests.support.zpl import render_zpl as rasterise
from tests.unit.test_label_zpl import black_box

WHEN = dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.timezone(dt.timedelta(hours=1)))
SIZES = {203: (812, 1218), 300: (1200, 1800)}


@pytest.mark.parametrize("dpi", [203, 300])
def test_the_test_label_prints_its_barcode_and_stays_on_the_label(dpi: int, tmp_path: Path) -> None:
    zpl = printer_test_label_zpl("PACK-01", dpi, when=WHEN)
    width, height = SIZES[dpi]
    assert f"^PW{width}\n^LL{height}\n".encode() in zpl
    [page] = rasterise(zpl, tmp_path / "test-label", dpi=dpi)
    assert [(d.format, d.text, d.symbology) for d in decode_barcodes(page)] == [
        ("Code128", "FSTEST250304050607", "]C0")]
    left, top, right, bottom = black_box(page, width) or (0, 0, 0, 0)
    inset = 1.5 * dpi / 25.4 - 1  # the frame, 1.5 mm inside each edge
    assert left >= inset and top >= inset and right <= width - inset and bottom <= height - inset


def test_it_says_what_a_technician_needs_to_know() -> None:
    label = printer_test_label("PACK-01", 300, when=WHEN)
    assert [text.text for text in label.texts()] == [
        TITLE, "Station: PACK-01", "Time: 2025-03-04 05:06:07 +0100", "300 dpi, 4 x 6 in (1200 x 1800 dots)",
        "FSTEST250304050607", FOOTER]
    assert [barcode.data.text for barcode in label.barcodes()] == ["FSTEST250304050607"]


def test_the_station_name_goes_through_the_one_field_escaper() -> None:
    zpl = printer_test_label_zpl("Bench 3 ^~_ \\ Ünïcode", when=WHEN)
    assert "^FH^FDStation: Bench 3 _5E_7E_5F \\\\ Ünïcode^FS" in zpl.decode()
    assert zpl.count(b"^XA") == 1 and zpl.count(b"^XZ") == 1


def test_it_is_pure_and_renders_like_any_other_label() -> None:
    assert printer_test_label_zpl("S1", 203, when=WHEN) == render_zpl(printer_test_label("S1", 203, when=WHEN), 203)
    assert printer_test_label("S1", when=WHEN) == printer_test_label("S1", when=WHEN)
    assert printer_test_label("", when=WHEN).texts()[1].text == "Station: -"


def test_only_the_resolutions_labels_print_at() -> None:
    with pytest.raises(ValueError, match="203 or 300 dpi, not 600"):
        printer_test_label("S1", 600)
    with pytest.raises(ValueError, match="printable ASCII"):
        printer_test_label("S1", barcode="FS\x00")
