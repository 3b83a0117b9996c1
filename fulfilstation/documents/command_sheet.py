"""The command sheet pinned at a packing station: a barcode for each station command and box.

Scanning a command barcode does what its button does (``StationCommand``); scanning a box
barcode chooses that box for the open package. The packer never needs the mouse.

Invariants:

* Pure and thread-safe: station name and ``(code, name)`` box types in, PDF bytes out
  (the database read lives in ``fulfilstation.services.packing.command_sheet``). Deterministic.
* Every barcode printed is Code 128 of exactly the value a scan must produce: the
  ``StationCommand`` value, or the box code. A box code Code 128 cannot carry (not printable
  ASCII) or that would not fit is printed as text with a note, never as a wrong barcode.
* The six commands and up to about fifteen boxes fit one page (Letter or A4); more boxes
  flow onto a second page. Bars are as wide as the cell allows, up to 0.5 mm.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from fulfilstation.documents.fonts import FontSet, document_fonts
from fulfilstation.documents.pdf_parts import code128, code128_can_encode, page_dimensions
from fulfilstation.domain.commands import StationCommand

MARGIN = 14 * mm
CELL_PADDING = 3 * mm
COMMAND_BAR_HEIGHT = 17 * mm
BOX_BAR_HEIGHT = 12 * mm
MAX_BAR_WIDTH = 0.5 * mm
MIN_BAR_WIDTH = 0.254 * mm
GREY = colors.HexColor("#555555")


def build_command_sheet(station_name: str, box_types: Sequence[tuple[str, str]] = (), *,
                        page_size: str = "letter") -> bytes:
    """The sheet for ``station_name``: every ``StationCommand``, then ``box_types`` as given."""
    fonts = document_fonts()
    width, height = page_dimensions(page_size)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(width, height), leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, title=f"Command sheet {station_name}",
                            author="FulfilStation", invariant=1)
    styles = _styles(fonts)

    def para(text: str, style: str) -> Paragraph:
        return Paragraph(fonts.markup(text, bold=style in ("title", "section", "command", "box")), styles[style])

    story: list[Any] = [
        para("Command sheet", "title"),
        para(f"Station {station_name}", "subtitle"),
        para("Scan a barcode to do what its button does. Scan a box barcode to choose that box for the "
             "package being packed.", "body"),
        para("Station commands", "section"),
        _grid([_cell(para, command.label, command.value, "command", COMMAND_BAR_HEIGHT, doc.width / 2)
               for command in StationCommand], 2, doc.width),
    ]
    if box_types:
        columns = _box_columns([code for code, _name in box_types], doc.width)
        story += [Spacer(1, 2 * mm), para("Boxes", "section"),
                  _grid([_cell(para, name, code, "box", BOX_BAR_HEIGHT, doc.width / columns)
                         for code, name in box_types], columns, doc.width)]
    doc.build(story)
    return buffer.getvalue()


def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=10, leading=13, spaceAfter=4)
    return {
        "body": body,
        "title": ParagraphStyle("title", body, fontName=fonts.bold, fontSize=20, leading=24),
        "subtitle": ParagraphStyle("subtitle", body, fontSize=13, leading=17),
        "section": ParagraphStyle("section", body, fontName=fonts.bold, fontSize=13, leading=16, spaceBefore=8),
        "command": ParagraphStyle("command", body, fontName=fonts.bold, fontSize=14, leading=17,
                                  alignment=TA_CENTER),
        "box": ParagraphStyle("box", body, fontName=fonts.bold, fontSize=11, leading=13, alignment=TA_CENTER),
        "value": ParagraphStyle("value", body, fontSize=8.5, leading=10, textColor=GREY, alignment=TA_CENTER),
        "note": ParagraphStyle("note", body, fontSize=9, leading=11, textColor=colors.red, alignment=TA_CENTER),
    }


def _cell(para: Any, label: str, value: str, style: str, bar_height: float, cell_width: float) -> list[Any]:
    """Label, barcode and the value in words; a note instead of the barcode if it cannot be one."""
    try:
        barcode = code128(value, max_width=cell_width - 2 * CELL_PADDING, bar_height=bar_height,
                          bar_width=MAX_BAR_WIDTH, min_bar_width=MIN_BAR_WIDTH)
    except ValueError:
        reason = "is too long for" if code128_can_encode(value) else "has characters that cannot be"
        return [para(label, style), para(f"{value}: this code {reason} a barcode; rename it in Box types.", "note")]
    barcode.hAlign = "CENTER"
    return [para(label, style), Spacer(1, 1.5 * mm), barcode, Spacer(1, 1 * mm), para(value, "value")]


def _box_columns(codes: Sequence[str], width: float) -> int:
    """3 columns when every box barcode that can print at all fits a third of the page, else 2, else 1."""

    def fits(code: str, columns: int) -> bool:
        try:
            code128(code, max_width=width / columns - 2 * CELL_PADDING, bar_height=BOX_BAR_HEIGHT,
                    min_bar_width=MIN_BAR_WIDTH)
        except ValueError:
            return False
        return True

    printable = [code for code in codes if fits(code, 1)]
    return next((columns for columns in (3, 2) if all(fits(code, columns) for code in printable)), 1)


def _grid(cells: list[list[Any]], columns: int, width: float) -> Table:
    rows = [cells[i:i + columns] + [[]] * (columns - len(cells[i:i + columns])) for i in range(0, len(cells), columns)]
    table = Table(rows, colWidths=[width / columns] * columns, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
        ("BOX", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
    ]))
    return table
