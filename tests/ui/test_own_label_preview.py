"""The station's on-screen preview draws our own UPS, USPS and FedEx labels with every symbol
readable: zint's MaxiCode and PDF417 as the PDF draws them, the Code 128 bars as printed."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtWidgets import QApplication

from fulfilstation.documents.labels.symbols2d import MaxiCode
from tests.unit.test_own_carrier_labels import CASES
from ui.station.label_preview import DOTS_PER_MM, render_description


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_preview_of_an_own_carrier_label_reads_back(qapp: QApplication, case: str, tmp_path: Path) -> None:
    description, barcodes, maxicode = CASES[case]
    image = render_description(description)
    path = tmp_path / f"{case}.png"
    assert image.save(str(path))
    page = Image.open(path).convert("L")
    found = zxingcpp.read_barcodes(page, text_mode=zxingcpp.TextMode.Plain)
    assert sorted((str(r.format).replace(" ", ""), r.text) for r in found) == sorted(barcodes)
    if maxicode is not None:
        symbol = next(e for e in description.elements if isinstance(e, MaxiCode))
        box = tuple(round(v * DOTS_PER_MM) for v in (symbol.x - 1, symbol.y - 1, symbol.x + symbol.width + 1,
                                                      symbol.y + symbol.height + 1))
        crop = page.crop(box)
        ink = crop.point(lambda v: 255 if v < 128 else 0).getbbox()
        assert ink is not None
        crop = crop.crop((ink[0] - 2, ink[1] - 2, ink[2] + 2, ink[3] + 2))
        read = zxingcpp.read_barcodes(crop, formats=zxingcpp.BarcodeFormat.MaxiCode, text_mode=zxingcpp.TextMode.Plain)
        assert [r.text for r in read] == [maxicode]
