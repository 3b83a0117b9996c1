"""The RMA slip: what the customer puts in the return parcel, and what the dock scans.

One page (more when the lines run over): the RMA number as a Code 128 barcode (the Returns
screen and ``rma receive`` open the RMA from it), the order, the lines with their quantities
and reasons, the address to send the parcel to (the site's ship-from), the return label's
carrier and tracking number when one was made, and the instructions.

Pure: the data in, PDF bytes out (reportlab, ``invariant=1``: the same slip gives the same
bytes). Safe in any thread.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from fulfilstation.documents.fonts import document_fonts
from fulfilstation.documents.pdf_parts import code128, page_dimensions

MARGIN = 16 * mm
GREY = colors.Color(0.35, 0.35, 0.35)


@dataclass(frozen=True)
class SlipLine:
    sku: str
    name: str
    quantity: int
    reason: str  # in words


@dataclass(frozen=True)
class RmaSlip:
    number: str
    order_number: str
    issued: dt.date
    customer: tuple[str, ...]  # the customer's address lines (the order's ship-to)
    return_to: tuple[str, ...]  # where the parcel goes: the site's ship-from
    lines: tuple[SlipLine, ...]
    tracking_number: str | None = None
    carrier: str | None = None


def instructions(slip: RmaSlip) -> Sequence[str]:
    carrier = (slip.carrier or "carrier").upper()
    label = (f"Stick the prepaid return label ({carrier} {slip.tracking_number}) on the parcel."
             if slip.tracking_number else "Send the parcel to the address above with a carrier of your choice.")
    return ("Put this slip in the parcel with the items listed, in their packaging if you still have it.",
            label,
            f"Write {slip.number} on the outside of the parcel. Parcels without it take longer to process.",
            "Your refund follows once the items are received and inspected.")


def rma_slip_pdf(slip: RmaSlip, *, page_size: str = "letter") -> bytes:
    fonts = document_fonts()
    width, height = page_dimensions(page_size)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(width, height), leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, title=f"RMA slip {slip.number}",
                            author="FulfilStation", invariant=1)
    inner = width - 2 * MARGIN
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=10, leading=13)
    styles = {"body": body,
              "title": ParagraphStyle("title", body, fontName=fonts.bold, fontSize=18, leading=22),
              "strong": ParagraphStyle("strong", body, fontName=fonts.bold, fontSize=12, leading=15),
              "label": ParagraphStyle("label", body, fontName=fonts.bold, fontSize=8, leading=10, textColor=GREY),
              "head": ParagraphStyle("head", body, fontName=fonts.bold, fontSize=9, leading=11)}
    styles["caption"] = ParagraphStyle("caption", styles["head"], alignment=TA_CENTER)  # centred under the bars

    def para(text: str, style: str = "body") -> Paragraph:
        bold = style in ("title", "strong", "label", "head", "caption")
        return Paragraph(fonts.markup(text, bold=bold), styles[style])

    def block(values: Sequence[str], first: str = "body") -> list[Paragraph]:
        return [para(v, first if i == 0 else "body") for i, v in enumerate(values)] or [para("—")]

    barcode = code128(slip.number, max_width=inner * 0.5, bar_height=16 * mm)
    header = Table([[[para("Return authorisation", "title"), para(f"{slip.number} · order {slip.order_number}",
                                                                  "strong"),
                      para(f"Issued {slip.issued:%Y-%m-%d}")], [barcode, para(slip.number, "caption")]]],
                   colWidths=[inner * 0.48, inner * 0.52], hAlign="LEFT")
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "CENTER"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    addresses = Table([[para("SEND THE PARCEL TO", "label"), para("FROM", "label")],
                       [block(slip.return_to, "strong"), block(slip.customer)]],
                      colWidths=[inner * 0.5, inner * 0.5], hAlign="LEFT")
    addresses.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    rows: list[list[Any]] = [[para("SKU", "head"), para("Item", "head"), para("Qty", "head"),
                              para("Reason", "head")]]
    rows += [[para(line.sku), para(line.name), para(str(line.quantity)), para(line.reason)] for line in slip.lines]
    table = Table(rows, colWidths=[inner * 0.2, inner * 0.45, inner * 0.08, inner * 0.27], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, 0), 0.8, GREY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.lightgrey)]))
    story: list[Any] = [header, Spacer(1, 6 * mm), addresses, Spacer(1, 6 * mm), table, Spacer(1, 6 * mm),
                        para("WHAT TO DO", "label")]
    story += [para(f"{n}. {text}") for n, text in enumerate(instructions(slip), start=1)]
    doc.build(story)
    return buffer.getvalue()
