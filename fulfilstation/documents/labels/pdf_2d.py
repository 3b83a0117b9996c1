"""The two-dimensional symbols (:mod:`.symbols2d`) drawn into a PDF: reportlab has neither
MaxiCode nor PDF417, so zint (``zint-bindings``) encodes them and its vector output — hexagons
and bullseye rings, or bars — is drawn with reportlab's canvas.

Invariants: zint receives exactly the data the ZPL renderer sends to the printer (the
MaxiCode's primary message as zint spells it: postal code, country, class), so both labels
read back to the same text; a MaxiCode is drawn at its standard 28.14 mm width; a PDF417's
module is the widest up to the element's ``module`` that fits with 4-module quiet zones,
never under 0.25 mm. Pure and thread-safe: one zint symbol per call.
"""

from __future__ import annotations

import math

import zint
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from fulfilstation.documents.labels.symbols2d import MaxiCode, Pdf417

MIN_MODULE = 0.25  # mm


def _encoded(symbology: zint.Symbology, data: str, **options: object) -> zint.Symbol:
    symbol = zint.Symbol()
    symbol.symbology = symbology
    for name, value in options.items():
        setattr(symbol, name, value)
    symbol.encode(data.encode("latin-1"))
    if symbol.errtxt and symbol.errtxt.startswith("Error"):
        raise ValueError(f"zint could not encode the symbol: {symbol.errtxt}")
    symbol.buffer_vector()
    return symbol


def draw_maxicode(canvas: Canvas, page_height: float, element: MaxiCode) -> None:
    """Draw the symbol with its top-left corner at the element's (x, y) mm."""
    symbol = _encoded(zint.Symbology.MAXICODE, element.message, option_1=element.mode,
                      primary=f"{element.postal_code}{element.country}{element.service_class}")
    vector = symbol.vector
    unit = element.width / vector.width  # mm per zint unit

    def point(x: float, y: float) -> tuple[float, float]:
        return (element.x + x * unit) * mm, (page_height - element.y - y * unit) * mm

    for hexagon in vector.hexagons:
        radius = hexagon.diameter / 2
        corners = [point(hexagon.x + radius * math.cos(math.radians(90 + hexagon.rotation + 60 * k)),
                         hexagon.y + radius * math.sin(math.radians(90 + hexagon.rotation + 60 * k)))
                   for k in range(6)]
        path = canvas.beginPath()
        path.moveTo(*corners[0])
        for corner in corners[1:]:
            path.lineTo(*corner)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1, 0)
    for circle in vector.circles:  # the bullseye: rings of line width ``width`` around their centre line
        canvas.setLineWidth(circle.width * unit * mm)
        cx, cy = point(circle.x, circle.y)
        canvas.circle(cx, cy, circle.diameter / 2 * unit * mm, stroke=1, fill=0)
    canvas.restoreState()


def draw_pdf417(canvas: Canvas, page_height: float, element: Pdf417) -> None:
    """Draw the symbol centred in the element's box, from its top edge."""
    symbol = _encoded(zint.Symbology.PDF417, element.data, option_1=element.security, option_2=element.columns)
    vector = symbol.vector
    modules = symbol.width
    module = min(element.module, element.width / (modules + 8))
    if module < MIN_MODULE:
        raise ValueError(f"the PDF417 does not fit in {element.width:.1f} mm")
    unit = module * modules / vector.width  # mm per zint unit
    left = element.x + (element.width - modules * module) / 2
    for bar in vector.rectangles:
        canvas.rect((left + bar.x * unit) * mm, (page_height - element.y - (bar.y + bar.height) * unit) * mm,
                    bar.width * unit * mm, bar.height * unit * mm, stroke=0, fill=1)


def maxicode_fits(element: MaxiCode) -> bool:
    """Whether one MaxiCode symbol holds the element's message (zint's encoder decides)."""
    try:
        _encoded(zint.Symbology.MAXICODE, element.message, option_1=element.mode,
                 primary=f"{element.postal_code}{element.country}{element.service_class}")
    except (ValueError, RuntimeError):
        return False
    return True
