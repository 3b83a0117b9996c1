"""The blind count sheet of a cycle count: what a counter carries round the bins.

The count's number as a Code 128 at the top; then each bin in walking order (pick sequence)
with its code as a Code 128, and under it each product expected there — SKU, name, lot, the
product's barcode as a Code 128 — and an empty box to write the units found; a few empty
rows per bin for products found that were not expected. Every page's foot names the count
and says "Page n of m" (a loose page is matched to its count). NO expected quantity is printed
(the sheet is blind: the caller passes none).

Invariants: pure and deterministic (reportlab's invariant mode); every barcode is Code 128 of
exactly what a scan of it must give (the count number, the bin code, the product's barcode
or, without one, its SKU); a value Code 128 cannot carry is printed as text, never as a
wrong barcode. Safe in any thread.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from fulfilstation.documents.fonts import document_fonts
from fulfilstation.documents.packing_slip import numbered_canvas
from fulfilstation.documents.pdf_parts import code128, page_dimensions

MARGIN = 14 * mm
BAR_WIDTH = 0.42 * mm
MIN_BAR_WIDTH = 0.3 * mm
BLANK_ROWS = 2  # per bin, for products found that were not expected
GRID = colors.HexColor("#999999")


@dataclass(frozen=True)
class SheetLine:
    sku: str
    name: str
    lot: str
    barcode: str  # the product's barcode ('' : its SKU is printed as the barcode)


@dataclass(frozen=True)
class SheetBin:
    code: str
    lines: tuple[SheetLine, ...]


def build_count_sheet(number: str, description: str, bins: Sequence[SheetBin], *, page_size: str = "letter") -> bytes:
    """The sheet of count ``number`` over ``bins`` (in the order given: walking order)."""
    fonts = document_fonts()
    width, height = page_dimensions(page_size)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(width, height), leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, title=f"Count sheet {number}",
                            author="FulfilStation", invariant=1)
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=10, leading=12)
    bold = ParagraphStyle("bold", body, fontName=fonts.bold, fontSize=12, leading=14)
    title = ParagraphStyle("title", body, fontName=fonts.bold, fontSize=20, leading=24)

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        """A paragraph of ``text``; a newline starts a new line."""
        return Paragraph("<br/>".join(fonts.markup(part, bold=style is not body) for part in text.split("\n")),
                         style)

    story: list[Any] = [
        Table([[para(f"Cycle count {number}", title), _barcode(number, 80 * mm, 14 * mm, para)]],
              colWidths=[doc.width - 85 * mm, 85 * mm], style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")]),
        para(description or ""),
        para("Blind count: scan the bin, then every item in it; write the units you find in the box. "
             "Write any product not listed on an empty row."),
        Spacer(1, 4 * mm),
    ]
    columns = [doc.width * share for share in (0.38, 0.42, 0.20)]
    for bin_ in bins:
        rows: list[list[Any]] = [[para(f"Bin {bin_.code}", bold), _barcode(bin_.code, columns[1] - 4 * mm,
                                                                          11 * mm, para), para("Units found", bold)]]
        for line in bin_.lines:
            lot = f"\nLot {line.lot}" if line.lot else ""
            rows.append([para(f"{line.sku}\n{line.name}{lot}"),
                         _barcode(line.barcode or line.sku, columns[1] - 4 * mm, 10 * mm, para), ""])
        rows += [["", "", ""] for _ in range(BLANK_ROWS)]
        table = Table(rows, colWidths=columns, rowHeights=[None] * (len(rows) - BLANK_ROWS) + [10 * mm] * BLANK_ROWS)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 0), (1, -1), "CENTER"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BOX", (2, 1), (2, -1), 1.2, colors.black),
            ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
        ]))
        story += [KeepTogether([table]), Spacer(1, 4 * mm)]
    def footer(canvas: Any, page: int, total: int) -> None:
        canvas.setFillColor(colors.HexColor("#555555"))
        fonts.draw(canvas, MARGIN, MARGIN / 2, fonts.fit(f"Cycle count {number}", 100 * mm, 9), 9)
        fonts.draw(canvas, width - MARGIN, MARGIN / 2, f"Page {page} of {total}", 9, anchor="right")

    doc.build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()


def _barcode(value: str, max_width: float, bar_height: float, para: Any) -> Any:
    try:
        barcode = code128(value, max_width=max_width, bar_height=bar_height, bar_width=BAR_WIDTH,
                          min_bar_width=MIN_BAR_WIDTH)
    except ValueError:
        return para(f"{value} (no barcode: scan cannot carry it; type it)")
    barcode.hAlign = "CENTER"
    return barcode
