"""The end-of-day manifest the driver signs: a reportlab PDF drawn straight on the canvas.

Invariants:

* Pure and thread-safe: ``ManifestSheet`` in, PDF bytes out; deterministic (``invariant``).
* Every page repeats the header — carrier, account, date, pickup address, the manifest
  number and its Code 128 barcode (decodes to exactly the number), and for an EasyPost
  manifest "EasyPost scan form: sf_…" under the number (never cut) — and the column
  headings, and says "Page n of m". Rows have one fixed height, so the page count is known
  before drawing: no second pass, which keeps a 10,000-package day to a second or two
  (platypus tables are far slower at that size).
* One row per package: tracking number (never cut: the font shrinks to fit), service,
  weight in lb and g, destination postal code, reference (order number). Long text first
  shrinks (down to 6 pt); only a service or reference still too long is cut with "…". The totals and
  the driver's signature block (name, signature, date and time) come after the last row,
  on a page of their own when the last page has no room.
* Text in any script prints with :mod:`fulfilstation.documents.fonts`; plain ASCII takes a
  fast path (one ``drawString``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as pdf_canvas

from fulfilstation.documents.fonts import FontSet, document_fonts
from fulfilstation.documents.manifest_sheet import ManifestRow, ManifestSheet, pounds
from fulfilstation.documents.pdf_parts import code128, code128_can_encode, page_dimensions
from fulfilstation.domain.words import plural

MARGIN = 12 * mm
HEADER = 43 * mm  # from the top margin to the first row
FOOTER = 8 * mm
ROW = 4.6 * mm
SIZE = 8.5
MIN_SIZE = 6.0  # text shrinks down to this before anything is cut
BLOCK = 50 * mm  # totals and signature block after the last row
GREY = colors.HexColor("#555555")
LIGHT = colors.HexColor("#F0F0F0")
# (heading, share of the width, right-aligned)
COLUMNS = (("#", 0.055, True), ("Tracking number", 0.28, False), ("Service", 0.19, False),
           ("Weight lb", 0.09, True), ("Weight g", 0.09, True), ("Postal code", 0.105, False),
           ("Reference", 0.19, False))


def page_plan(row_count: int, page_height: float) -> list[range]:
    """Which rows go on each page (the last page also needs room for the totals block)."""
    per_page = int((page_height - 2 * MARGIN - HEADER - FOOTER) // ROW)
    pages = [range(start, min(start + per_page, row_count)) for start in range(0, row_count, per_page)] or [range(0)]
    if (per_page - len(pages[-1])) * ROW < BLOCK:
        pages.append(range(row_count, row_count))
    return pages


def build_manifest_pdf(sheet: ManifestSheet, *, page_size: str = "letter") -> bytes:
    """The manifest as PDF bytes, on Letter (default) or A4."""
    width, height = page_dimensions(page_size)
    buffer = io.BytesIO()
    canvas = pdf_canvas.Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1)
    canvas.setTitle(f"Manifest {sheet.number}")
    canvas.setAuthor("FulfilStation")
    plan = page_plan(len(sheet.rows), height)
    painter = _Painter(canvas, document_fonts(), sheet, width, height)
    for page_number, rows in enumerate(plan, start=1):
        painter.header()
        y = height - MARGIN - HEADER
        for index in rows:
            y -= ROW
            painter.row(index, sheet.rows[index], y)
        if page_number == len(plan):
            painter.totals(y)
        painter.footer(page_number, len(plan))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@dataclass
class _Painter:
    canvas: Any
    fonts: FontSet
    sheet: ManifestSheet
    width: float
    height: float

    def __post_init__(self) -> None:
        self.left, self.right = MARGIN, self.width - MARGIN
        span = self.right - self.left
        self.columns: list[tuple[float, float, bool]] = []  # (x of the cell's left, width, right-aligned)
        x = self.left
        for _title, share, right in COLUMNS:
            self.columns.append((x, span * share, right))
            x += span * share

    def text(self, x: float, y: float, text: str, size: float = SIZE, *, bold: bool = False,
             anchor: str = "left") -> None:
        if not text.isascii():
            self.fonts.draw(self.canvas, x, y, text, size, bold=bold, anchor=anchor)
            return
        self.canvas.setFont(self.fonts.bold if bold else self.fonts.regular, size)
        if anchor == "right":
            self.canvas.drawRightString(x, y, text)
        elif anchor == "centre":
            self.canvas.drawCentredString(x, y, text)
        else:
            self.canvas.drawString(x, y, text)

    def measure(self, text: str, size: float = SIZE, *, bold: bool = False) -> float:
        if text.isascii():
            return float(pdfmetrics.stringWidth(text, self.fonts.bold if bold else self.fonts.regular, size))
        return self.fonts.width(text, size, bold=bold)

    def fit(self, text: str, width: float, size: float = SIZE, *, bold: bool = False) -> str:
        if self.measure(text, size, bold=bold) <= width:
            return text
        return self.fonts.fit(text, width, size, bold=bold)

    def header(self) -> None:
        sheet, top, canvas = self.sheet, self.height - MARGIN, self.canvas
        barcode_width = 0.0
        if code128_can_encode(sheet.number):
            barcode = code128(sheet.number, max_width=82 * mm, bar_height=12 * mm)
            barcode_width = barcode.width
            barcode.drawOn(canvas, self.right - barcode_width, top - 13 * mm)
        block = max(barcode_width, 40 * mm)
        self.text(self.right - block / 2, top - 17.5 * mm, sheet.number, 10, bold=True, anchor="centre")
        low_block = block  # beside the lines under the number (the pickup address)
        if sheet.scan_form_id:
            form = f"EasyPost scan form: {sheet.scan_form_id}"
            low_block = max(block, self.measure(form, 8))
            self.text(self.right - low_block / 2, top - 22 * mm, form, 8, anchor="centre")
        closed = sheet.closed_at.astimezone()
        by = f" by {sheet.closed_by}" if sheet.closed_by else ""
        lines = ((f"End-of-day manifest — {sheet.carrier_name}", 15, True, 6),
                 (f"Account {sheet.account_number} ({sheet.account_name})", 10.5, True, 12),
                 (f"Date {sheet.manifest_date:%Y-%m-%d} · closed {closed:%Y-%m-%d %H:%M}{by}", 9, False, 17),
                 ("Pickup: " + (sheet.pickup[0] if sheet.pickup else "—"), 9, False, 22),
                 (", ".join(sheet.pickup[1:]), 9, False, 26.5))
        for text, size, bold, drop in lines:
            room = self.right - self.left - (block if drop < 20 else low_block) - 6 * mm
            self.text(self.left, top - drop * mm, self.fit(text, room, size, bold=bold), size, bold=bold)
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.8)
        canvas.line(self.left, top - 31 * mm, self.right, top - 31 * mm)
        heading_y = top - HEADER + 2.2 * mm
        for (title, _share, right), (x, width, _) in zip(COLUMNS, self.columns, strict=True):
            self.text(x + width - 1.5 * mm if right else x + 1 * mm, heading_y, title, 8, bold=True,
                      anchor="right" if right else "left")
        canvas.setStrokeColor(colors.black)
        canvas.line(self.left, top - HEADER + 0.8 * mm, self.right, top - HEADER + 0.8 * mm)

    def row(self, index: int, row: ManifestRow, y: float) -> None:
        if index % 2:
            self.canvas.setFillColor(LIGHT)
            self.canvas.rect(self.left, y - 1.3 * mm, self.right - self.left, ROW, stroke=0, fill=1)
            self.canvas.setFillColor(colors.black)
        cells = (str(index + 1), row.tracking_number, row.service, pounds(row.weight_g), str(row.weight_g),
                 row.postal_code, row.reference)
        for column, ((x, width, right), text) in enumerate(zip(self.columns, cells, strict=True)):
            room = width - 2.5 * mm
            needed = self.measure(text)
            size = SIZE if needed <= room else max(SIZE * room / needed, MIN_SIZE if column != 1 else 0.0)
            if size * needed / SIZE > room:  # still too long at the smallest size (never a tracking number)
                text = self.fit(text, room, size)
            self.text(x + width - 1.5 * mm if right else x + 1 * mm, y, text, size,
                      anchor="right" if right else "left")

    def totals(self, y: float) -> None:
        sheet, canvas = self.sheet, self.canvas
        y -= 3 * mm
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.8)
        canvas.line(self.left, y, self.right, y)
        summary = (f"Total: {plural(sheet.package_count, 'package')} · {pounds(sheet.total_weight_g)} lb "
                   f"({sheet.total_weight_g} g) · {plural(sheet.shipment_count, 'shipment')}")
        self.text(self.left, y - 6 * mm, summary, 11, bold=True)
        self.text(self.left, y - 12 * mm, f"Received by the driver of {sheet.carrier_name}: the packages listed "
                  "above, counted and in good order.", 9)
        self.text(self.left, y - 18 * mm, "Packages counted by the driver: ________", 9)
        third = (self.right - self.left) / 3
        for n, label in enumerate(("Driver name", "Signature", "Date and time")):
            x = self.left + n * third
            canvas.line(x, y - 34 * mm, x + third - 6 * mm, y - 34 * mm)
            self.text(x, y - 38 * mm, label, 8.5)

    def footer(self, page: int, total: int) -> None:
        self.canvas.setFillColor(GREY)
        sheet = self.sheet
        self.text(self.left, MARGIN, f"Manifest {sheet.number} · {sheet.carrier_name} {sheet.account_number} · "
                  f"{sheet.manifest_date:%Y-%m-%d}", 8)
        self.text(self.right, MARGIN, f"Page {page} of {total}", 8, anchor="right")
        self.canvas.setFillColor(colors.black)


def page_count(sheet: ManifestSheet, page_size: str = "letter") -> int:
    """How many pages ``build_manifest_pdf`` makes for ``sheet``."""
    return len(page_plan(len(sheet.rows), page_dimensions(page_size)[1]))


__all__ = ["build_manifest_pdf", "page_count", "page_plan"]
