"""PDF labels (reportlab) for plain printers, from :class:`LabelDescription`\\ s.

``sheet="label"`` gives one page per label, the page the label's own size: what a label
printer driver takes, and what the station's on-screen preview rasterises (QtPdf) — render
a single label with ``render_pdf([label])``. ``sheet="letter"`` or ``"a4"`` puts two labels
per page, one in each half, turned a quarter (a 4 × 6 in label fits a half sheet only
sideways), with grey dashed cut guides around them.

Invariants:

* Pure and deterministic (reportlab's ``invariant`` mode): same labels → same bytes.
* Text is laid out by :func:`.description.fit_text` with the real widths of the fonts of
  :mod:`fulfilstation.documents.fonts` (TrueType, embedded), so non-Latin names print and
  stay in their boxes.
* An EAN-13 is reportlab's EAN-13 bars of the same 12 digits the ZPL renderer sends (the
  check digit computed alike), without its own digits (the layout prints a caption).
* Barcodes are the symbols of :mod:`.code128` — the very values the ZPL renderer sends —
  drawn by reportlab's ``Code128`` bar drawing; FNC1 is symbol value 102. The module is the
  widest up to the element's ``module`` that fits with quiet zones, never under 0.25 mm.
* MaxiCode and PDF417 are zint's symbols of the same data (:mod:`.symbol_shapes`, :mod:`.pdf_2d`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from fulfilstation.documents.fonts import FontSet, document_fonts
from fulfilstation.documents.labels.code128 import encode
from fulfilstation.documents.labels.description import (
    LEADING,
    Barcode,
    Ean13,
    Frame,
    LabelDescription,
    Text,
    fit_text,
)
from fulfilstation.documents.labels.pdf_2d import draw_symbol
from fulfilstation.documents.labels.symbols2d import MaxiCode, Pdf417

SHEETS = {"letter": LETTER, "a4": A4}
MIN_MODULE = 0.25  # mm
STOP = 106
BASELINE = 0.9  # first baseline below the top of a text box, × size


class _Symbol(Code128):  # type: ignore[misc]
    """reportlab's Code 128 bars for symbol values computed by :func:`.code128.encode`."""

    def __init__(self, values: tuple[int, ...], **options: Any) -> None:
        self._values = values
        super().__init__("", quiet=0, humanReadable=0, **options)

    def encode(self) -> list[int]:
        self.encoded = [*self._values, STOP]
        return self.encoded


def render_pdf(labels: Sequence[LabelDescription], *, sheet: str = "label", title: str = "Labels") -> bytes:
    """The labels as one PDF: a page per label, or two per Letter/A4 page."""
    if not labels:
        raise ValueError("no label to render")
    fonts = document_fonts()
    buffer = io.BytesIO()
    first = labels[0]
    page = _page(first, sheet)
    canvas = Canvas(buffer, pagesize=page, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("FulfilStation")
    if sheet == "label":
        for label in labels:
            canvas.setPageSize((label.width * mm, label.height * mm))
            _draw(canvas, label, fonts)
            canvas.showPage()
    else:
        for start in range(0, len(labels), 2):
            for slot, label in enumerate(labels[start:start + 2]):
                _place(canvas, label, fonts, slot, page)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _page(label: LabelDescription, sheet: str) -> tuple[float, float]:
    if sheet == "label":
        return label.width * mm, label.height * mm
    if sheet not in SHEETS:
        raise ValueError(f"sheet must be label, {' or '.join(SHEETS)}, not {sheet!r}")
    size: tuple[float, float] = SHEETS[sheet]
    return size


def _place(canvas: Canvas, label: LabelDescription, fonts: FontSet, slot: int, page: tuple[float, float]) -> None:
    """Draw ``label`` turned a quarter, centred in the top (slot 0) or bottom half of the page."""
    page_width, page_height = page
    half = page_height / 2
    if label.height * mm > page_width or label.width * mm > half:
        raise ValueError(f"a {label.width:.0f} × {label.height:.0f} mm label does not fit half a sheet")
    centre_x, centre_y = page_width / 2, half * (1.5 - slot)
    canvas.saveState()
    canvas.translate(centre_x, centre_y)
    canvas.rotate(90)
    canvas.translate(-label.width * mm / 2, -label.height * mm / 2)
    canvas.setStrokeColor(colors.HexColor("#999999"))
    canvas.setLineWidth(0.4)
    canvas.setDash(3, 3)
    canvas.rect(-1 * mm, -1 * mm, (label.width + 2) * mm, (label.height + 2) * mm, stroke=1, fill=0)
    canvas.setDash()
    _draw(canvas, label, fonts)
    canvas.restoreState()


def _draw(canvas: Canvas, label: LabelDescription, fonts: FontSet) -> None:
    """Draw in the label's own frame: origin bottom-left, 1 unit = 1 pt."""

    def rect(x: float, y: float, width: float, height: float) -> None:
        canvas.rect(x * mm, (label.height - y - height) * mm, width * mm, height * mm, stroke=0, fill=1)

    canvas.setFillColor(colors.black)
    for element in label.elements:
        if isinstance(element, Text):
            _text(canvas, label, element, fonts)
        elif isinstance(element, Barcode):
            _barcode(canvas, label, element)
        elif isinstance(element, Ean13):
            _ean13(canvas, label, element)
        elif isinstance(element, MaxiCode | Pdf417):
            draw_symbol(canvas, label.height, element)
        elif isinstance(element, Frame):
            x, y, w, h, t = element.x, element.y, element.width, element.height, element.thickness
            for box in ((x, y, w, t), (x, y + h - t, w, t), (x, y, t, h), (x + w - t, y, t, h)):
                rect(*box)
        else:
            rect(element.x, element.y, element.width, element.height)


def _text(canvas: Canvas, label: LabelDescription, text: Text, fonts: FontSet) -> None:
    fitted = fit_text(text, lambda value, size: fonts.width(value, size, bold=text.bold))
    x = {"left": text.x, "centre": text.x + text.width / 2, "right": text.x + text.width}[text.align]
    for index, line in enumerate(fitted.lines):
        baseline = text.y + index * fitted.size * LEADING + fitted.size * BASELINE
        fonts.draw(canvas, x * mm, (label.height - baseline) * mm, line, fitted.size * mm, bold=text.bold,
                   anchor=text.align)


def _barcode(canvas: Canvas, label: LabelDescription, barcode: Barcode) -> None:
    symbol = encode(barcode.data)
    module = min(barcode.module, barcode.width / (symbol.modules + 20))
    if module < MIN_MODULE:
        raise ValueError(f"the barcode {barcode.data.caption()!r} does not fit in {barcode.width:.1f} mm")
    bars = _Symbol(symbol.values, barWidth=module * mm, barHeight=barcode.height * mm)
    x = barcode.x + (barcode.width - symbol.modules * module) / 2
    bars.drawOn(canvas, x * mm, (label.height - barcode.y - barcode.height) * mm)


def _ean13(canvas: Canvas, label: LabelDescription, barcode: Ean13) -> None:
    module = min(barcode.module, barcode.width / (Ean13.MODULES + Ean13.QUIET))
    if module < MIN_MODULE:
        raise ValueError(f"the EAN-13 {barcode.digits} does not fit in {barcode.width:.1f} mm")
    bars = Ean13BarcodeWidget(barcode.digits[:12], barWidth=module * mm, barHeight=barcode.height * mm,
                              humanReadable=0, quiet=0)
    drawing = Drawing(Ean13.MODULES * module * mm, barcode.height * mm)
    drawing.add(bars)
    x = barcode.x + (barcode.width - Ean13.MODULES * module) / 2
    renderPDF.draw(drawing, canvas, x * mm, (label.height - barcode.y - barcode.height) * mm)


def draw_label_at(canvas: Canvas, label: LabelDescription, x: float, y: float, *, guide: bool = False) -> None:
    """Draw ``label`` with its bottom-left corner at (``x``, ``y``) points on the page (a label
    sheet's cell); ``guide`` adds a grey dashed cut line 1 mm outside it."""
    canvas.saveState()
    canvas.translate(x, y)
    if guide:
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.4)
        canvas.setDash(3, 3)
        canvas.rect(-1 * mm, -1 * mm, (label.width + 2) * mm, (label.height + 2) * mm, stroke=1, fill=0)
        canvas.setDash()
    _draw(canvas, label, document_fonts())
    canvas.restoreState()
