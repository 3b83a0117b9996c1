"""A carrier's PDF label becomes a ZPL ``^GFA`` image at the printer's dpi: rendered by the
independent ZPL renderer, its barcode decodes (zxing-cpp) to the tracking number."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.graphics.barcode import code128
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas

from fulfilstation.carriers.gateway import CarrierLabel, CarrierProblem, LabelFormat
from fulfilstation.carriers.gateway_labels import zpl_labels
from fulfilstation.documents.labels.pdf_to_zpl import PdfLabelProblem, pdf_to_zpl
from tests.support.zpl import decode_barcodes, render_zpl

TRACKING = "1Z999AA10123456784"


def carrier_pdf(tracking: str = TRACKING, width_in: float = 4, pages: int = 1) -> bytes:
    """A 4 x 6 in label as a carrier sends it: text and a Code 128 of the tracking number."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(width_in * inch, 6 * inch))
    for number in range(pages):
        page.setFont("Helvetica-Bold", 14)
        page.drawString(0.3 * inch, 5.5 * inch, f"CARRIER LABEL {number + 1}")
        barcode = code128.Code128(f"{tracking}{number or ''}", barWidth=0.015 * inch, barHeight=1.0 * inch)
        barcode.drawOn(page, 0.3 * inch, 2.5 * inch)
        page.showPage()
    page.save()
    return out.getvalue()


@pytest.mark.parametrize("dpi", [203, 300])
def test_the_pdf_label_decodes_to_its_tracking_number_after_conversion(dpi: int, tmp_path: Path) -> None:
    zpl = pdf_to_zpl(carrier_pdf(), dpi)
    assert zpl.startswith(b"^XA^PW") and b"^GFA," in zpl and zpl.rstrip().endswith(b"^XZ")
    width = int(zpl.split(b"^PW")[1].split(b"^")[0])
    assert width == round(4 * dpi)  # the page at the printer's own resolution
    images = render_zpl(zpl, tmp_path / f"label{dpi}", dpi=dpi)
    assert [d.text for d in decode_barcodes(images[0])] == [TRACKING]


def test_every_page_is_its_own_label(tmp_path: Path) -> None:
    zpl = pdf_to_zpl(carrier_pdf(pages=2))
    assert zpl.count(b"^XA") == 2
    images = render_zpl(zpl, tmp_path / "two")
    assert [[d.text for d in decode_barcodes(image)] for image in images] == [[TRACKING], [TRACKING + "1"]]


def test_a_page_wider_than_the_label_is_refused_in_words() -> None:
    with pytest.raises(PdfLabelProblem, match="8.5 in wide"):
        pdf_to_zpl(carrier_pdf(width_in=8.5))


def test_bytes_that_are_not_a_pdf_are_refused_in_words() -> None:
    with pytest.raises(PdfLabelProblem, match="not a readable PDF"):
        pdf_to_zpl(b"^XA^FDnot a pdf^FS^XZ")


def test_a_carriers_pdf_labels_become_one_zpl_label_per_parcel(tmp_path: Path) -> None:
    """A gateway's PDF answer (all parcels in one PDF, a page each) is stored as ZPL per package."""
    label = CarrierLabel("shp_1", (TRACKING, TRACKING + "1"), (carrier_pdf(pages=2),), LabelFormat.PDF, 1234, "USD")
    stored = zpl_labels(label, 2, 203)
    assert len(stored) == 2
    assert [[d.text for d in decode_barcodes(render_zpl(text.encode(), tmp_path / f"p{i}")[0])]
            for i, text in enumerate(stored)] == [[TRACKING], [TRACKING + "1"]]


def test_labels_that_do_not_match_the_parcels_are_uncertain_not_lost() -> None:
    label = CarrierLabel("shp_1", (TRACKING,), (carrier_pdf(pages=1),), LabelFormat.PDF, 1234, "USD")
    with pytest.raises(CarrierProblem, match="1 labels for 2 parcels") as problem:
        zpl_labels(label, 2, 203)
    assert problem.value.uncertain
