"""The on-screen label preview, the third renderer of the label description (offscreen):
every barcode it draws decodes with zxing-cpp to exactly the label's data (GS1 structure
included), text stays inside its box whatever its length or script, and a carrier's label
without a description falls back to the rough ZPL drawing, marked as the carrier's."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fulfilstation.documents.labels import Ean13, LabelDescription, Text, fit_text, shipping_label
from fulfilstation.services.shipping.labels import ShipmentLabels
from tests.support.zpl import decode_barcodes
from tests.unit.test_label_zpl import CASES, LONG_NAME, SSCC, shipping_data
from ui.station.label_preview import DOTS_PER_MM, qt_measure, render_description
from ui.station.last_label import CARRIERS_NOTE, LastLabelDialog, pages_of
from ui.worker import run_in_background

SLACK = 0.3 * DOTS_PER_MM  # antialiased glyph edges and accents may reach 0.3 mm past the box
NON_LATIN = ("佐藤 花子 様 株式会社たいへん長い会社名ホールディングス", "Zoë Łukasiewicz-Fernández Ελληνικά Кириллица",
             "丸の内1-9-1 グラントウキョウノースタワー 12階 受付", "千代田区, 東京都 100-0005", "JP")
ENDLESS = " ".join(["Extraordinarily-long-words-that-never-end"] * 12)


def ink(image: QImage, path: Path) -> tuple[int, int, int, int] | None:
    """Bounding box (left, top, right, bottom) of the dark pixels."""
    assert image.save(str(path))
    return Image.open(path).convert("L").point(lambda v: 255 if v < 128 else 0).getbbox()


def decoded(image: QImage, path: Path) -> list[tuple[str, str, str]]:
    assert image.save(str(path))
    return [(d.format, d.text, d.symbology) for d in decode_barcodes(path)]


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_label_kind_decodes_to_exactly_its_data(qapp: QApplication, case: str, tmp_path: Path) -> None:
    label, _kind, expected = CASES[case]
    image = render_description(label)
    assert (image.width(), image.height()) == (round(label.width * 8), round(label.height * 8))
    assert decoded(image, tmp_path / f"{case}.png") == [expected]
    if expected[0] == "EAN-13":
        [ean] = [element for element in label.elements if isinstance(element, Ean13)]
        assert expected[1] == ean.digits
        return
    [barcode] = label.barcodes()
    assert expected[1] == barcode.data.scanned() and expected[2] == ("]C1" if barcode.data.is_gs1 else "]C0")


@pytest.mark.parametrize("ship_to", [None, NON_LATIN], ids=["long-latin", "non-latin"])
def test_text_never_leaves_its_box(qapp: QApplication, ship_to: tuple[str, ...] | None, tmp_path: Path) -> None:
    changes = {"ship_to": ship_to, "reference": ENDLESS} if ship_to else {"service": ENDLESS}
    label = shipping_label(shipping_data("sscc", SSCC, **changes))
    drawn = 0
    for index, text in enumerate(label.texts()):
        alone = dataclasses.replace(label, elements=(text,))
        box = ink(render_description(alone), tmp_path / f"text-{index}.png")
        assert box is not None, f"{text.text!r} drew nothing"
        left, top, right, bottom = (text.x * 8, text.y * 8, (text.x + text.width) * 8, (text.y + text.height) * 8)
        assert box[0] >= left - SLACK and box[1] >= top - SLACK, text.text
        assert box[2] <= right + SLACK and box[3] <= bottom + SLACK, text.text
        fitted = fit_text(text, qt_measure(text.bold))
        assert len(fitted.lines) <= text.max_lines and fitted.size >= text.smallest
        assert all(qt_measure(text.bold)(line, fitted.size) <= text.width for line in fitted.lines)
        drawn += 1
    assert drawn == len(label.texts()) >= 10
    whole = render_description(label)
    left, top, right, bottom = ink(whole, tmp_path / "whole.png") or (0, 0, 0, 0)
    margin = 3.0 * 8 - SLACK
    assert left >= margin and top >= margin
    assert right <= whole.width() - margin and bottom <= whole.height() - margin
    assert decoded(whole, tmp_path / "whole-code.png") == [("Code128", f"00{SSCC}", "]C1")]


def test_the_longest_words_shrink_then_wrap_then_end_in_dots(qapp: QApplication, tmp_path: Path) -> None:
    text = Text(10.0, 10.0, 40.0, ENDLESS, 5.0, max_lines=2, min_size=3.0, bold=True)
    fitted = fit_text(text, qt_measure(True))
    assert fitted.size == 3.0 and len(fitted.lines) == 2 and fitted.lines[-1].endswith("...")
    assert fitted.lines[0] in ENDLESS and LONG_NAME not in fitted.lines
    box = ink(render_description(LabelDescription(60.0, 30.0, (text,))), tmp_path / "dots.png")
    assert box is not None and box[0] >= 80 - SLACK and box[2] <= 400 + SLACK and box[3] <= (10 + 12) * 8 + SLACK


def test_a_label_renders_in_the_background(qtbot: QtBot, tmp_path: Path) -> None:
    label, _kind, expected = CASES["usps-impb"]
    images: list[QImage] = []
    run_in_background(lambda: render_description(label), images.append, lambda exc: pytest.fail(str(exc)))
    qtbot.waitUntil(lambda: len(images) == 1, timeout=10_000)
    assert decoded(images[0], tmp_path / "worker.png") == [expected]
    assert images[0].size() == render_description(label).size()


def test_too_narrow_a_barcode_is_refused_like_the_printers_refuse_it(qapp: QApplication) -> None:
    label, _kind, _expected = CASES["usps-impb"]
    [barcode] = label.barcodes()
    narrow = dataclasses.replace(label, elements=(dataclasses.replace(barcode, width=30.0),))
    with pytest.raises(ValueError, match="does not fit in 30.0 mm"):
        render_description(narrow)


def carrier_labels(zpl: bytes) -> ShipmentLabels:
    """A last shipment whose label was bought from a carrier's API: ZPL, no description."""
    return ShipmentLabels(7, "SO-7", "Carrier Express", (), (zpl, b""))


def test_a_carriers_label_falls_back_to_its_zpl_and_says_so(qtbot: QtBot) -> None:
    zpl = b"^XA^PW812^LL1218^FO50,50^A0N,40,40^FDCARRIER LABEL 1Z999^FS^FO50,200^BCN,100^FD1Z999^FS^XZ"
    pages = pages_of(carrier_labels(zpl))
    assert pages.carriers and len(pages.images) == 1  # the package without a stored label has no page
    assert (pages.images[0].width(), pages.images[0].height()) == (812, 1218)
    dialog = LastLabelDialog(lambda: carrier_labels(zpl))  # its source, as the station's last_labels
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.pages is not None, timeout=10_000)
    assert dialog.caption.text() == "SO-7 · Carrier Express · package 1 of 1"
    assert dialog.note.text() == CARRIERS_NOTE and not dialog.note.isHidden()
    assert dialog.image.image is not None and dialog.previous.isHidden() and dialog.next.isHidden()


def test_a_station_that_shipped_nothing_says_so(qtbot: QtBot) -> None:
    dialog = LastLabelDialog(lambda: None)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.caption.text() != "Loading the last label…", timeout=10_000)
    assert dialog.pages is None and dialog.caption.text() == "This station has not shipped anything yet."
    assert dialog.image.image is None and dialog.note.isHidden()


def test_a_voided_shipments_preview_is_stamped_void(qapp: QApplication) -> None:
    label = shipping_data("sscc", SSCC)
    live = ShipmentLabels(7, "SO-1001", "Ground", (label,), (b"",))
    voided = dataclasses.replace(live, voided=True)
    plain, stamped = pages_of(live).images[0], pages_of(voided).images[0]
    assert pages_of(voided).voided and stamped.size() == plain.size()
    red = [(x, y) for x in range(0, stamped.width(), 4) for y in range(0, stamped.height(), 4)
           if (c := stamped.pixelColor(x, y)).red() > 150 and c.green() < 80 and c.blue() < 80]
    assert len(red) > stamped.width() * stamped.height() // 16 // 50  # a big red VOID, not a speck
    assert not any((c := plain.pixelColor(x, y)).red() > 150 and c.green() < 80
                   for x in range(0, plain.width(), 4) for y in range(0, plain.height(), 4))
    assert stamped.pixelColor(1, 1).red() > 150 and plain.pixelColor(1, 1).red() > 200 and \
        plain.pixelColor(1, 1).green() > 200  # the red frame, where the live label is white
