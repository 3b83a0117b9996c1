"""The packing slip that goes into the parcel: a reportlab PDF built from plain data.

Invariants:

* Pure and thread-safe: ``PackingSlip`` in, PDF bytes out; no database, no devices, no Qt.
  The output is deterministic for the same slip (reportlab's ``invariant`` mode).
* Every page repeats the header — order number, its Code 128 barcode (so scanning the slip
  at a station looks the order up), ship-to name, ship-by — and numbers itself "Page n of m";
  the lines table repeats its column headings, and long text wraps inside its cell (a row
  taller than a page splits), so a 70-line order simply flows onto more pages.
* Every barcode printed decodes to exactly its data: Code 128 takes printable ASCII only,
  so a value with other characters is printed as text without a barcode (never a barcode of
  part of it — reportlab would silently drop the characters it cannot encode).
* No prices, ever: a slip is a packing list, and a gift slip must never show what the
  present cost. ``PackingSlip`` carries no money at all, so no caller can leak it.
* Names in any script print with the fonts of :mod:`fulfilstation.documents.fonts`.
* A part of a split order (``part_note`` set: partial shipments) never hides the rest: the
  table has the columns Ordered (what the customer ordered in the shop), Shipped now and To
  follow, and ``part_note`` is printed under it. Without ``part_note`` the slip is exactly
  the plain one (Ordered, Shipped).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from fulfilstation.documents.fonts import FontSet, document_fonts
from fulfilstation.documents.pdf_parts import code128, code128_can_encode, page_dimensions

MARGIN = 14 * mm
HEADER = 30 * mm
FOOTER = 10 * mm
GREY = colors.HexColor("#555555")


@dataclass(frozen=True)
class SlipLine:
    """One order line: what was ordered, what is in this shipment, and its lots/serials."""

    sku: str
    name: str
    ordered: int
    shipped: int
    lots: tuple[str, ...] = ()
    serials: tuple[str, ...] = ()
    kit: bool = False  # a kit: its components follow it (``component``); ordered/shipped count whole kits
    component: bool = False  # part of the kit line above it, listed indented and unnumbered
    to_follow: int = 0  # a split order: units of this line in its other parts still to ship


@dataclass(frozen=True)
class PackingSlip:
    """Everything a packing slip shows. Address lines are ready to print, top to bottom."""

    order_number: str
    ship_from: tuple[str, ...]
    ship_to: tuple[str, ...]
    order_date: dt.date | None
    ship_by: dt.date | None
    service: str
    tracking_numbers: tuple[str, ...]
    lines: tuple[SlipLine, ...]
    gift_message: str | None = None
    part_note: str | None = None  # a split order: "The rest of your order follows … (order 1001-2)."


def numbered_canvas(draw_footer: Callable[[Any, int, int], None]) -> type:
    """A canvas class that holds pages back until the end, then calls ``draw_footer(canvas,
    page, total)`` on each: how "Page n of m" knows m."""

    class NumberedCanvas(pdf_canvas.Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._held:
                self.__dict__.update(state)
                draw_footer(self, self._pageNumber, len(self._held))
                super().showPage()
            super().save()

    return NumberedCanvas


def build_packing_slip(slip: PackingSlip, *, page_size: str = "letter") -> bytes:
    """The slip as PDF bytes, on Letter (default) or A4 (``page_size="a4"``)."""
    fonts = document_fonts()
    width, height = page_dimensions(page_size)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=(width, height), title=f"Packing slip {slip.order_number}",
                          author="FulfilStation", invariant=1)
    frame = Frame(MARGIN, MARGIN + FOOTER, width - 2 * MARGIN, height - 2 * MARGIN - HEADER - FOOTER,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    pages = _Pages(slip, fonts, width, height)
    doc.addPageTemplates([PageTemplate("slip", [frame], onPage=pages.header)])
    doc.build(_story(slip, fonts, frame.width), canvasmaker=numbered_canvas(pages.footer))
    return buffer.getvalue()


@dataclass(frozen=True)
class _Pages:
    slip: PackingSlip
    fonts: FontSet
    width: float
    height: float

    def header(self, canvas: Any, _doc: Any) -> None:
        slip, fonts, top, right = self.slip, self.fonts, self.height - MARGIN, self.width - MARGIN
        barcode_width = 0.0
        if code128_can_encode(slip.order_number):
            barcode = code128(slip.order_number, max_width=85 * mm, bar_height=13 * mm)
            barcode_width = barcode.width
            barcode.drawOn(canvas, right - barcode_width, top - 14 * mm)
        fonts.draw(canvas, right - max(barcode_width, 30 * mm) / 2, top - 19 * mm, slip.order_number, 9,
                   anchor="centre")
        text_width = self.width - 2 * MARGIN - max(barcode_width, 30 * mm) - 6 * mm
        fonts.draw(canvas, MARGIN, top - 6 * mm, "Packing slip", 16, bold=True)
        fonts.draw(canvas, MARGIN, top - 13 * mm, fonts.fit(f"Order {slip.order_number}", text_width, 13, bold=True),
                   13, bold=True)
        name = slip.ship_to[0] if slip.ship_to else ""
        fonts.draw(canvas, MARGIN, top - 19 * mm, fonts.fit(f"Ship to: {name}", text_width, 10), 10)
        when = f"Ship by {slip.ship_by:%Y-%m-%d}" if slip.ship_by else ""
        fonts.draw(canvas, MARGIN, top - 24 * mm, fonts.fit(" · ".join(p for p in (when, slip.service) if p),
                                                           text_width, 9), 9)
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, top - HEADER + 2 * mm, right, top - HEADER + 2 * mm)

    def footer(self, canvas: Any, page: int, total: int) -> None:
        canvas.setFillColor(GREY)
        self.fonts.draw(canvas, MARGIN, MARGIN, self.fonts.fit(f"Order {self.slip.order_number}", 100 * mm, 8), 8)
        self.fonts.draw(canvas, self.width - MARGIN, MARGIN, f"Page {page} of {total}", 8, anchor="right")


def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=9.5, leading=12)
    return {
        "body": body,
        "strong": ParagraphStyle("strong", body, fontName=fonts.bold, fontSize=11, leading=14),
        "label": ParagraphStyle("label", body, fontName=fonts.bold, fontSize=7.5, leading=10, textColor=GREY),
        "cell": ParagraphStyle("cell", body, fontSize=9, leading=11),
        "head": ParagraphStyle("head", body, fontName=fonts.bold, fontSize=8.5, leading=10.5),
        "number": ParagraphStyle("number", body, fontSize=9, leading=11, alignment=TA_RIGHT),
        "component": ParagraphStyle("component", body, fontSize=9, leading=11, leftIndent=3 * mm),
        "gift": ParagraphStyle("gift", body, fontSize=12, leading=16, borderWidth=0.8, borderColor=GREY,
                               borderPadding=8, spaceBefore=10, spaceAfter=14),
    }


def _story(slip: PackingSlip, fonts: FontSet, width: float) -> list[Any]:
    styles = _styles(fonts)

    def para(text: str, style: str = "body", bold: bool = False) -> Paragraph:
        return Paragraph(fonts.markup(text, bold=bold or style in ("label", "head", "strong")), styles[style])

    def lines(values: Sequence[str], first: str = "body") -> list[Paragraph]:
        return [para(value, first if index == 0 else "body") for index, value in enumerate(values)] or [para("—")]

    addresses = Table([[para("SHIP FROM", "label"), para("SHIP TO", "label")],
                       [lines(slip.ship_from), lines(slip.ship_to, "strong")]],
                      colWidths=[width * 0.45, width * 0.55], hAlign="LEFT")
    addresses.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    count = len(slip.tracking_numbers)
    details = Table([
        [para("Order date", "label"), para(f"{slip.order_date:%Y-%m-%d}" if slip.order_date else "—"),
         para("Service", "label"), para(slip.service or "—")],
        [para("Ship by", "label"), para(f"{slip.ship_by:%Y-%m-%d}" if slip.ship_by else "—"),
         para("Tracking", "label"),
         lines([f"{n}/{count} {t}" if count > 1 else t for n, t in enumerate(slip.tracking_numbers, start=1)])],
    ], colWidths=[width * 0.14, width * 0.31, width * 0.17, width * 0.38], hAlign="LEFT")
    details.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story: list[Any] = [addresses, Spacer(1, 4 * mm), details, Spacer(1, 4 * mm)]
    if slip.gift_message and slip.gift_message.strip():
        story += [para("GIFT MESSAGE", "label"),
                  Paragraph("<br/>".join(fonts.markup(part) for part in slip.gift_message.strip().splitlines()),
                            styles["gift"])]
    story.append(_lines_table(slip, width, para))
    if slip.part_note is not None:
        story += [Spacer(1, 3 * mm), para(slip.part_note, "strong")]
    return story


def _lines_table(slip: PackingSlip, width: float, para: Callable[..., Paragraph]) -> Table:
    split = slip.part_note is not None  # a part of a split order: what is still to follow, per line
    heads = ("#", "SKU", "Item", "Ordered", "Shipped now", "To follow", "Lot / serial") if split else (
        "#", "SKU", "Item", "Ordered", "Shipped", "Lot / serial")
    rows: list[list[Any]] = [[para(h, "head") for h in heads]]
    number = 0
    for line in slip.lines:
        tracked = [f"Lot {', '.join(line.lots)}"] if line.lots else []
        tracked += [f"S/N {', '.join(line.serials)}"] if line.serials else []
        number += 0 if line.component else 1
        name = f"{line.name} (kit)" if line.kit else f"– {line.name}" if line.component else line.name
        follow = [para(str(line.to_follow), "number")] if split else []
        rows.append([para("" if line.component else str(number), "cell"), para(line.sku, "cell"),
                     para(name, "component" if line.component else "cell"),
                     para(str(line.ordered), "number"), para(str(line.shipped), "number"), *follow,
                     para("; ".join(tracked), "cell")])
    units = [x for x in slip.lines if not x.kit]  # a kit's units are its components'
    follows = [para(str(sum(x.to_follow for x in units)), "number")] if split else []
    rows.append(["", "", para("Total units", "head"), para(str(sum(x.ordered for x in units)), "number"),
                 para(str(sum(x.shipped for x in units)), "number"), *follows, ""])
    fractions = (0.04, 0.15, 0.27, 0.105, 0.145, 0.11, 0.18) if split else (0.045, 0.19, 0.37, 0.105, 0.105, 0.185)
    table = Table(rows, colWidths=[width * f for f in fractions], repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.HexColor("#BBBBBB")),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.HexColor("#F2F2F2")]),
    ]))
    return table
