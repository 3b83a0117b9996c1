"""The two-dimensional symbols drawn into a PDF page: the shapes of :mod:`.symbol_shapes`
(zint's encoding) filled with reportlab's canvas, in the label's frame (y from the top)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from fulfilstation.documents.labels.symbol_shapes import shapes_of
from fulfilstation.documents.labels.symbols2d import MaxiCode, Pdf417


def draw_symbol(canvas: Canvas, page_height: float, element: MaxiCode | Pdf417) -> None:
    shapes = shapes_of(element)
    for polygon in shapes.polygons:
        path = canvas.beginPath()
        path.moveTo(polygon[0][0] * mm, (page_height - polygon[0][1]) * mm)
        for x, y in polygon[1:]:
            path.lineTo(x * mm, (page_height - y) * mm)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
    for x, y, width, height in shapes.rects:
        canvas.rect(x * mm, (page_height - y - height) * mm, width * mm, height * mm, stroke=0, fill=1)
    if shapes.rings:
        canvas.saveState()
        for x, y, radius, line in shapes.rings:
            canvas.setLineWidth(line * mm)
            canvas.circle(x * mm, (page_height - y) * mm, radius * mm, stroke=1, fill=0)
        canvas.restoreState()
