"""The two-dimensional symbols (:mod:`.symbols2d`) as shapes in mm, for the renderers that draw
them themselves (PDF: :mod:`.pdf_2d`; the on-screen preview). reportlab and Qt have neither
MaxiCode nor PDF417, so zint (``zint-bindings``) encodes them and its vector output — hexagons
and bullseye rings, or bars — is turned into polygons, rings and rectangles placed on the label.

Invariants: zint receives exactly the data the ZPL renderer sends to the printer (the
MaxiCode's primary message as zint spells it: postal code, country, class), so every renderer's
symbol reads back to the same text; a MaxiCode is 28.14 mm wide; a PDF417's module is the
widest up to the element's ``module`` that fits with 4-module quiet zones, never under
0.25 mm (ValueError). Pure and thread-safe: one zint symbol per call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import zint

from fulfilstation.documents.labels.symbols2d import MaxiCode, Pdf417

MIN_MODULE = 0.25  # mm
Point = tuple[float, float]


@dataclass(frozen=True)
class Shapes:
    """Filled polygons, rings (centre x, y, radius of the line's centre, line width) and filled
    rectangles (x, y, width, height), in mm from the label's top-left corner."""

    polygons: tuple[tuple[Point, ...], ...] = ()
    rings: tuple[tuple[float, float, float, float], ...] = ()
    rects: tuple[tuple[float, float, float, float], ...] = ()


def _encoded(symbology: zint.Symbology, data: str, **options: object) -> zint.Symbol:
    symbol = zint.Symbol()
    symbol.symbology = symbology
    for name, value in options.items():
        setattr(symbol, name, value)
    try:
        symbol.encode(data.encode("latin-1"))
    except RuntimeError as exc:
        raise ValueError(f"zint could not encode the symbol: {exc}") from exc
    symbol.buffer_vector()
    return symbol


def _maxicode_symbol(element: MaxiCode) -> zint.Symbol:
    return _encoded(zint.Symbology.MAXICODE, element.message, option_1=element.mode,
                    primary=f"{element.postal_code}{element.country}{element.service_class}")


def maxicode_fits(element: MaxiCode) -> bool:
    """Whether one MaxiCode symbol holds the element's message (zint's encoder decides)."""
    try:
        _maxicode_symbol(element)
    except ValueError:
        return False
    return True


def maxicode_shapes(element: MaxiCode) -> Shapes:
    vector = _maxicode_symbol(element).vector
    unit = element.width / vector.width  # mm per zint unit

    def point(x: float, y: float) -> Point:
        return element.x + x * unit, element.y + y * unit

    polygons = tuple(
        tuple(point(h.x + h.diameter / 2 * math.cos(math.radians(90 + h.rotation + 60 * k)),
                    h.y + h.diameter / 2 * math.sin(math.radians(90 + h.rotation + 60 * k))) for k in range(6))
        for h in vector.hexagons)
    rings = tuple((*point(c.x, c.y), c.diameter / 2 * unit, c.width * unit) for c in vector.circles)
    return Shapes(polygons=polygons, rings=rings)


def pdf417_shapes(element: Pdf417) -> Shapes:
    symbol = _encoded(zint.Symbology.PDF417, element.data, option_1=element.security, option_2=element.columns)
    vector = symbol.vector
    modules = symbol.width
    module = min(element.module, element.width / (modules + 8))
    if module < MIN_MODULE:
        raise ValueError(f"the PDF417 does not fit in {element.width:.1f} mm")
    unit = module * modules / vector.width  # mm per zint unit
    left = element.x + (element.width - modules * module) / 2
    return Shapes(rects=tuple((left + bar.x * unit, element.y + bar.y * unit, bar.width * unit, bar.height * unit)
                              for bar in vector.rectangles))


def shapes_of(element: MaxiCode | Pdf417) -> Shapes:
    return maxicode_shapes(element) if isinstance(element, MaxiCode) else pdf417_shapes(element)
