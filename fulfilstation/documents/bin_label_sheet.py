"""A sheet of small labels (2 × 1 in bin labels, or product labels) on A4 or US Letter paper.

The labels sit in a grid centred on the page: as many columns and rows as fit with at least
10 mm page margins (what office printers can print) and 3 mm between labels (room to cut
along the grey dashed guides) — 3 × 9 two-by-one-inch labels on both A4 and Letter. Labels
fill the grid row by row, left to right, and run onto further pages.

Invariants: pure and deterministic (reportlab's invariant mode: same labels → same bytes);
every label is drawn at its true size (1 mm on paper is 1 mm on the label), so each
barcode keeps the module width the label chose and scans as the thermal label does.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from fulfilstation.documents.labels.description import LabelDescription
from fulfilstation.documents.labels.pdf import draw_label_at
from fulfilstation.documents.pdf_parts import page_dimensions

PAGE_MARGIN = 10.0  # mm
GAP = 3.0  # mm between labels


@dataclass(frozen=True)
class Grid:
    columns: int
    rows: int
    left: float  # mm from the page's left edge to the first column
    top: float  # mm from the page's top edge to the first row
    pitch_x: float  # mm from one column to the next
    pitch_y: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


def grid_for(paper: str, width: float, height: float) -> Grid:
    """The grid of ``width`` × ``height`` mm labels on ``paper`` (``a4`` or ``letter``)."""
    page_width, page_height = (side / mm for side in page_dimensions(paper))
    columns = math.floor((page_width - 2 * PAGE_MARGIN + GAP) / (width + GAP))
    rows = math.floor((page_height - 2 * PAGE_MARGIN + GAP) / (height + GAP))
    if columns < 1 or rows < 1:
        raise ValueError(f"a {width:.0f} × {height:.0f} mm label does not fit a {paper} page")
    used_x, used_y = columns * (width + GAP) - GAP, rows * (height + GAP) - GAP
    return Grid(columns, rows, (page_width - used_x) / 2, (page_height - used_y) / 2, width + GAP, height + GAP)


def label_sheet_pdf(labels: Sequence[LabelDescription], paper: str = "letter", title: str = "Labels") -> bytes:
    """The labels (all of one size) in a grid on ``paper`` pages; ValueError when there are none."""
    if not labels:
        raise ValueError("no label to put on the sheet")
    first = labels[0]
    grid = grid_for(paper, first.width, first.height)
    page_width, page_height = page_dimensions(paper)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_width, page_height), invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("FulfilStation")
    for index, label in enumerate(labels):
        slot = index % grid.per_page
        if index and not slot:
            canvas.showPage()
        column, row = slot % grid.columns, slot // grid.columns
        x = grid.left + column * grid.pitch_x
        top = grid.top + row * grid.pitch_y
        draw_label_at(canvas, label, x * mm, page_height - (top + label.height) * mm, guide=True)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def bin_label_sheet(labels: Sequence[LabelDescription], paper: str = "letter") -> bytes:
    """Bin labels (``documents.labels.bin_label``) on a sheet, in the order given."""
    return label_sheet_pdf(labels, paper, title=f"Bin labels ({len(labels)})")
