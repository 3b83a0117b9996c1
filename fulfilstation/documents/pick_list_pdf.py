"""The printed pick list: a reportlab PDF built from plain data.

Invariants:

* Pure and thread-safe: ``PickListDocument`` in, PDF bytes out (reportlab's ``invariant``
  mode: the same list gives the same bytes). No database, no devices, no Qt.
* Code 128 barcodes of the list number (top of every page: scanning it opens the list at
  the Picking screen or at the packing station), of every tote (the totes section first),
  and for every stop of the walk the bin code and the product (its unit barcode, else its
  SKU). A value Code 128 cannot carry is printed as text only, never as a barcode of part
  of it. Every barcode keeps at least 0.254 mm bars and its quiet zones.
* The walk in the order given (the service sorts it); with ``by_zone`` one section per
  zone, each starting on a fresh line with its heading. A row's tote split ("tote 1: 3,
  tote 3: 4") wraps over as many lines, and pages, as it needs.
* Drawn straight onto the canvas (no layout engine): a list of 500 orders is a few hundred
  barcodes and prints in well under a second.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from fulfilstation.documents.fonts import FontSet, document_fonts
from fulfilstation.documents.pdf_parts import code128, code128_can_encode, page_dimensions
from fulfilstation.domain.words import noun, plural

MARGIN = 12 * mm
HEADER = 24 * mm
FOOTER = 9 * mm
ROW = 24 * mm  # a walk row's barcodes and words
TOTE_ROW = 17 * mm
TEXT_LINE = 4.2 * mm


@dataclass(frozen=True)
class PdfTote:
    code: str
    index: int
    order: str


@dataclass(frozen=True)
class PdfRow:
    bin: str
    zone: str
    sku: str
    name: str
    barcode: str
    lot: str
    quantity: int
    totes: str  # "tote 1: 3, tote 3: 4"


@dataclass(frozen=True)
class PickListDocument:
    number: str
    description: str
    created: str  # as people read it
    by_zone: bool
    totes: Sequence[PdfTote]
    rows: Sequence[PdfRow]


class _Pages:
    """The canvas and where the next thing goes (``y`` falls from the top; new pages as needed)."""

    def __init__(self, document: PickListDocument, paper: str) -> None:
        self.document = document
        self.width, self.height = page_dimensions(paper)
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=(self.width, self.height), invariant=1, pageCompression=1)
        self.canvas.setTitle(f"Pick list {document.number}")
        self.canvas.setAuthor("FulfilStation")
        self.fonts: FontSet = document_fonts()
        self.page = 0
        self.y = 0.0
        self._start_page()

    def _start_page(self) -> None:
        self.page += 1
        document, canvas, fonts = self.document, self.canvas, self.fonts
        top = self.height - MARGIN
        fonts.draw(canvas, MARGIN, top - 7 * mm, f"Pick list {document.number}", 16, bold=True)
        fonts.draw(canvas, MARGIN, top - 13 * mm, fonts.fit(document.description, 110 * mm, 10), 10)
        orders = plural(len(document.totes), "order")
        fonts.draw(canvas, MARGIN, top - 18 * mm, f"{orders} · created {document.created}", 9)
        barcode(self, document.number, self.width - MARGIN - 70 * mm, top - 16 * mm, 70 * mm, 14 * mm)
        fonts.draw(canvas, MARGIN, MARGIN - 4 * mm, f"Pick list {document.number}", 8)
        fonts.draw(canvas, self.width - MARGIN, MARGIN - 4 * mm, f"Page {self.page}", 8, anchor="right")
        self.y = top - HEADER

    def need(self, height: float) -> None:
        if self.y - height < MARGIN + FOOTER - 4 * mm:
            self.canvas.showPage()
            self._start_page()

    def heading(self, text: str) -> None:
        self.need(10 * mm + ROW)
        self.fonts.draw(self.canvas, MARGIN, self.y - 6 * mm, text, 13, bold=True)
        self.canvas.line(MARGIN, self.y - 8 * mm, self.width - MARGIN, self.y - 8 * mm)
        self.y -= 10 * mm

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def barcode(pages: _Pages, data: str, x: float, y: float, max_width: float, height: float) -> bool:
    """Draw a Code 128 of ``data`` with its bottom-left at (x, y); False (nothing drawn) when
    Code 128 cannot carry it or it does not fit."""
    if not code128_can_encode(data):
        return False
    try:
        drawing: Any = code128(data, max_width=max_width, bar_height=height, bar_width=0.33 * mm)
    except ValueError:
        return False
    drawing.drawOn(pages.canvas, x, y)
    return True


def pick_list_pdf(document: PickListDocument, paper: str = "letter") -> bytes:
    pages = _Pages(document, paper)
    _totes(pages)
    _walk(pages)
    return pages.finish()


def _totes(pages: _Pages) -> None:
    pages.heading("Totes: one per order")
    column = (pages.width - 2 * MARGIN) / 2
    for start in range(0, len(pages.document.totes), 2):
        pages.need(TOTE_ROW)
        for offset, tote in enumerate(pages.document.totes[start:start + 2]):
            x = MARGIN + offset * column
            barcode(pages, tote.code, x, pages.y - 10 * mm, column - 6 * mm, 9 * mm)
            words = f"Tote {tote.index}: {tote.code} · order {tote.order}"
            pages.fonts.draw(pages.canvas, x + 3 * mm, pages.y - 14 * mm, pages.fonts.fit(words, column - 8 * mm, 9), 9)
        pages.y -= TOTE_ROW


def _walk(pages: _Pages) -> None:
    zone: str | None = None
    pages.heading("The walk: bin, item, units")
    for row in pages.document.rows:
        if pages.document.by_zone and row.zone != zone:
            zone = row.zone
            pages.heading(f"Zone {zone or '(none)'}")
        _row(pages, row)


def _row(pages: _Pages, row: PdfRow) -> None:
    fonts, canvas = pages.fonts, pages.canvas
    pages.need(ROW)
    top = pages.y
    barcode(pages, row.bin, MARGIN, top - 13 * mm, 55 * mm, 11 * mm)
    fonts.draw(canvas, MARGIN + 3 * mm, top - 19 * mm, row.bin, 14, bold=True)
    product_x = MARGIN + 62 * mm
    barcode(pages, row.barcode, product_x, top - 13 * mm, 70 * mm, 11 * mm)
    lot = f" · lot {row.lot}" if row.lot else ""
    fonts.draw(canvas, product_x + 3 * mm, top - 17 * mm, fonts.fit(f"{row.sku}{lot}", 70 * mm, 10, bold=True), 10,
               bold=True)
    fonts.draw(canvas, product_x + 3 * mm, top - 21 * mm, fonts.fit(row.name, 70 * mm, 8), 8)
    fonts.draw(canvas, pages.width - MARGIN, top - 12 * mm, f"{row.quantity}", 22, bold=True, anchor="right")
    fonts.draw(canvas, pages.width - MARGIN, top - 17 * mm, noun(row.quantity, "unit"), 8, anchor="right")
    pages.y -= ROW
    for line in simpleSplit(row.totes, fonts.regular, 9, pages.width - 2 * MARGIN - 6 * mm):
        pages.need(TEXT_LINE)
        fonts.draw(canvas, MARGIN + 3 * mm, pages.y - 3 * mm, line, 9)
        pages.y -= TEXT_LINE
    canvas.setStrokeGray(0.7)
    canvas.line(MARGIN, pages.y - 1 * mm, pages.width - MARGIN, pages.y - 1 * mm)
    canvas.setStrokeGray(0)
    pages.y -= 3 * mm
