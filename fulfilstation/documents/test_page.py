"""A one-page PDF to check a document printer from the station settings.

Pure and thread-safe: builds bytes with reportlab, prints nothing. Takes tens of
milliseconds, so the UI calls it on a worker thread together with the print job.
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from fulfilstation.documents.pdf_parts import page_dimensions


def build_test_page(station: str, printer_uri: str, *, when: dt.datetime | None = None,
                    page_size: str = "letter") -> bytes:
    """A test page naming the station, the printer address and the time.

    ``page_size`` is ``letter`` or ``a4``; the text fits either. ``when`` defaults to
    now (local time). The output is deterministic for a given ``when``.
    """
    when = when or dt.datetime.now().astimezone()
    width, height = page_dimensions(page_size)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=True)
    pdf.setTitle("FulfilStation test page")
    pdf.setAuthor("FulfilStation")
    left, top = 20 * mm, height - 30 * mm
    pdf.setFont("Helvetica-Bold", 28)
    pdf.drawString(left, top, "FulfilStation test page")
    pdf.setFont("Helvetica", 14)
    lines = (
        f"Station: {station}",
        f"Printer: {printer_uri}",
        f"Printed: {when:%Y-%m-%d %H:%M}",
        "",
        "If you can read this page, the document printer works:",
        "packing slips and manifests will print here.",
    )
    for number, line in enumerate(lines, start=1):
        pdf.drawString(left, top - 12 * mm - number * 8 * mm, line)
    pdf.setLineWidth(1)
    pdf.rect(left, 20 * mm, width - 40 * mm, 40 * mm)  # a frame shows the margins printed
    pdf.drawString(left + 5 * mm, 38 * mm, "This frame is 20 mm from each page edge.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
