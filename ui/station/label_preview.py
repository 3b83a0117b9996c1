"""The on-screen label preview: the third renderer of the one label description.

``render_description(description, dots_per_mm)`` draws a :class:`LabelDescription` on a
white ``QImage`` as :mod:`fulfilstation.documents.labels.zpl` and ``.pdf`` draw it on
paper: rules and frames are black rectangles, text is laid out by ``fit_text`` with this
renderer's own measure, and barcodes are the bars of the Code 128 symbol
:func:`~fulfilstation.documents.labels.code128.encode` computes — the very symbol the
printer prints — or of an EAN-13 (:mod:`~fulfilstation.documents.labels.ean13`); a MaxiCode or
PDF417 is zint's symbol of the same data, as the PDF draws it
(:mod:`~fulfilstation.documents.labels.symbol_shapes`). (Captions
are ``Text`` elements of the description, drawn like any text.)

Invariants:

* Text never leaves its box: it is measured with ``QFontMetricsF`` at a fixed reference
  size (unhinted, so widths scale exactly) and drawn as the outline of the same font
  scaled to the fitted size, so what was measured is what is drawn. Missing glyphs (CJK
  …) come from Qt's fallback fonts, measured the same way.
* Rules, frames and bars snap to whole dots; a module of at least one dot is a whole
  number of dots, so at 8 dots/mm (203 dpi) the preview's barcode scans like the
  printed one. Like the other renderers, a barcode whose module would be under 0.25 mm
  is refused (ValueError) rather than drawn.
* Deterministic layout: line breaks, sizes and positions depend only on the description,
  the resolution and the font's metrics. (Glyph edges may differ by a few shades of
  antialiasing from one thread to another: FreeType faces are shared by Qt's per-thread
  font engines.) Rectangles are filled in one call and each text line is one outline,
  so a label costs a few dozen Qt calls, whatever its barcode.

Threading: ``QImage``, ``QPainter`` and fonts are safe off the GUI thread; render in the
background (``run_in_background``) and hand the image to the GUI thread.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import replace

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QTransform

from fulfilstation.documents.labels.code128 import encode
from fulfilstation.documents.labels.description import (
    LEADING,
    Barcode,
    Ean13,
    Frame,
    LabelDescription,
    Measure,
    Text,
    fit_text,
)
from fulfilstation.documents.labels.ean13 import ean13_modules
from fulfilstation.documents.labels.symbol_shapes import shapes_of
from fulfilstation.documents.labels.symbols2d import MaxiCode, Pdf417

DOTS_PER_MM = 8  # 203 dpi, the thermal printers' resolution
MIN_MODULE_MM = 0.25
REFERENCE_PX = 100  # fonts are measured and outlined at this size, then scaled
BASELINE = 0.9  # first baseline below the top of a text box, × size (as the PDF renderer)
FAMILIES = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"]
#: Bar and space widths (modules) of Code 128 symbol values 0–106 (106: stop).
PATTERNS = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213", "221312",
    "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132", "221231", "213212",
    "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211", "212123", "212321", "232121",
    "111323", "131123", "131321", "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331",
    "132131", "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131", "311123",
    "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111", "111224", "111422", "121124",
    "121421", "141122", "141221", "112214", "112412", "122114", "122411", "142112", "142211", "241211", "221114",
    "413111", "241112", "134111", "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112",
    "421211", "212141", "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
)
STOP = 106
BLACK = QColor("black")


def label_font(bold: bool) -> QFont:
    """The preview's text font at the reference size: a sans serif, unhinted."""
    font = QFont()
    font.setFamilies(FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setPixelSize(REFERENCE_PX)
    font.setBold(bold)
    return font


class _Fonts:
    """The regular and bold fonts of one rendering, with their measures (mm at a size in mm)."""

    def __init__(self) -> None:
        self.fonts = {bold: label_font(bold) for bold in (False, True)}
        self.metrics = {bold: QFontMetricsF(font) for bold, font in self.fonts.items()}

    def measure(self, bold: bool) -> Measure:
        metrics = self.metrics[bold]
        return lambda text, size: metrics.horizontalAdvance(text) * size / REFERENCE_PX


def qt_measure(bold: bool = False) -> Measure:
    """The width (mm) this renderer gives ``text`` at ``size`` mm: ``fit_text``'s measure."""
    return _Fonts().measure(bold)


def render_description(description: LabelDescription, dots_per_mm: float = DOTS_PER_MM) -> QImage:
    """``description`` drawn on a white image of its size at ``dots_per_mm``."""
    if dots_per_mm <= 0:
        raise ValueError("a preview needs a positive number of dots per mm")
    image = QImage(max(1, round(description.width * dots_per_mm)), max(1, round(description.height * dots_per_mm)),
                   QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    fonts = _Fonts()
    boxes: list[QRect] = []  # rules, frames and bars, filled in one call
    lines: list[QPainterPath] = []  # text lines, already placed and scaled
    for element in description.elements:
        if isinstance(element, Text):
            lines += _text(element, fonts, dots_per_mm)
        elif isinstance(element, Barcode):
            boxes += _bars(element, dots_per_mm)
        elif isinstance(element, Ean13):
            boxes += _ean_bars(element, dots_per_mm)
        elif isinstance(element, MaxiCode | Pdf417):
            lines += _symbol(element, dots_per_mm)
        elif isinstance(element, Frame):
            x, y, w, h, t = element.x, element.y, element.width, element.height, element.thickness
            boxes += [_rect(*box, dots_per_mm) for box in ((x, y, w, t), (x, y + h - t, w, t), (x, y, t, h),
                                                           (x + w - t, y, t, h))]
        else:
            boxes.append(_rect(element.x, element.y, element.width, element.height, dots_per_mm))
    painter = QPainter(image)
    try:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BLACK)
        if boxes:
            painter.drawRects(boxes)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for path in lines:
            painter.drawPath(path)
    finally:
        painter.end()
    return image


VOID_RED = QColor(200, 0, 0)


def stamp_void(image: QImage) -> QImage:
    """A copy of ``image`` with VOID across it (a voided shipment's label must never be
    mistaken for a live one): a red frame and the word, diagonally, over the whole label."""
    stamped = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = stamped.width(), stamped.height()
    painter = QPainter(stamped)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(VOID_RED)
        border = max(2, min(width, height) // 40)
        painter.drawRects([QRect(0, 0, width, border), QRect(0, height - border, width, border),
                           QRect(0, 0, border, height), QRect(width - border, 0, border, height)])
        font = label_font(True)
        font.setPixelSize(max(8, round(math.hypot(width, height) / 5)))
        path = QPainterPath()
        path.addText(QPointF(0, 0), font, "VOID")
        box = path.boundingRect()
        transform = QTransform()
        transform.translate(width / 2, height / 2)
        transform.rotate(-math.degrees(math.atan2(height, width)))
        transform.translate(-box.center().x(), -box.center().y())
        painter.drawPath(transform.map(path))
    finally:
        painter.end()
    return stamped


def _rect(x: float, y: float, width: float, height: float, per_mm: float) -> QRect:
    return QRect(round(x * per_mm), round(y * per_mm), max(1, round(width * per_mm)), max(1, round(height * per_mm)))


def _text(text: Text, fonts: _Fonts, per_mm: float) -> list[QPainterPath]:
    """Each fitted line as an outline in image pixels."""
    text = replace(text, text=unicodedata.normalize("NFC", text.text))
    measure = fonts.measure(text.bold)
    fitted = fit_text(text, measure)
    scale = fitted.size * per_mm / REFERENCE_PX
    paths = []
    for index, line in enumerate(fitted.lines):
        slack = text.width - measure(line, fitted.size)
        x = text.x + {"left": 0.0, "centre": slack / 2, "right": slack}[text.align]
        baseline = text.y + index * fitted.size * LEADING + fitted.size * BASELINE
        outline = QPainterPath()
        outline.addText(QPointF(0, 0), fonts.fonts[text.bold], line)
        paths.append(QTransform.fromTranslate(x * per_mm, baseline * per_mm).scale(scale, scale).map(outline))
    return paths


def _symbol(element: MaxiCode | Pdf417, per_mm: float) -> list[QPainterPath]:
    """A 2D symbol (zint's shapes, as the PDF draws them) as filled paths in image pixels: the
    modules in one, each bullseye ring in its own (even-odd: the disc less its hole)."""
    shapes = shapes_of(element)
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for polygon in shapes.polygons:
        path.moveTo(polygon[0][0] * per_mm, polygon[0][1] * per_mm)
        for x, y in polygon[1:]:
            path.lineTo(x * per_mm, y * per_mm)
        path.closeSubpath()
    for x, y, width, height in shapes.rects:
        path.addRect(QRectF(x * per_mm, y * per_mm, width * per_mm, height * per_mm))
    paths = [path]
    for x, y, radius, line in shapes.rings:
        ring = QPainterPath()
        ring.setFillRule(Qt.FillRule.OddEvenFill)
        centre = QPointF(x * per_mm, y * per_mm)
        ring.addEllipse(centre, (radius + line / 2) * per_mm, (radius + line / 2) * per_mm)
        ring.addEllipse(centre, (radius - line / 2) * per_mm, (radius - line / 2) * per_mm)
        paths.append(ring)
    return paths


def bar_widths(barcode: Barcode) -> list[int]:
    """Alternating bar and space widths in modules, first bar to the stop's last bar."""
    symbol = encode(barcode.data)
    return [int(width) for value in (*symbol.values, STOP) for width in PATTERNS[value]]


def _ean_bars(barcode: Ean13, per_mm: float) -> list[QRect]:
    """An EAN-13 as runs of bars (its modules from ``ean13``), placed like a Code 128."""
    runs = [len(run) for run in re.findall(r"1+|0+", ean13_modules(barcode.digits))]
    module_mm = min(barcode.module, barcode.width / (Ean13.MODULES + Ean13.QUIET))
    if module_mm < MIN_MODULE_MM:
        raise ValueError(f"the EAN-13 {barcode.digits} does not fit in {barcode.width:.1f} mm")
    return _runs(runs, barcode.x, barcode.y, barcode.width, barcode.height, module_mm, per_mm)


def _bars(barcode: Barcode, per_mm: float) -> list[QRect]:
    widths = bar_widths(barcode)
    modules = sum(widths)
    module_mm = min(barcode.module, barcode.width / (modules + 20))
    if module_mm < MIN_MODULE_MM:
        raise ValueError(f"the barcode {barcode.data.caption()!r} does not fit in {barcode.width:.1f} mm")
    return _runs(widths, barcode.x, barcode.y, barcode.width, barcode.height, module_mm, per_mm)


def _runs(widths: list[int], x_mm: float, y_mm: float, width_mm: float, height_mm: float, module_mm: float,
          per_mm: float) -> list[QRect]:
    """Bars and spaces (``widths`` in modules, a bar first) centred in the box."""
    modules = sum(widths)
    module = module_mm * per_mm
    top, height = round(y_mm * per_mm), max(1, round(height_mm * per_mm))
    if module >= 1:  # whole dots: every bar and space keeps its exact width
        whole = math.floor(module)
        x = float(round(x_mm * per_mm) + (round(width_mm * per_mm) - modules * whole) // 2)
        module = float(whole)
    else:  # a thumbnail: bars narrower than a dot only look like a barcode
        x = (x_mm + (width_mm - modules * module_mm) / 2) * per_mm
    bars = []
    for index, width in enumerate(widths):
        if index % 2 == 0:
            bars.append(QRect(round(x), top, max(1, round(x + width * module) - round(x)), height))
        x += width * module
    return bars
