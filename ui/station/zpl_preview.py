"""A rough preview of ZPL text: the fallback for labels that have no description of ours.

A label bought from a carrier's API arrives as the carrier's own ZPL
(``ShipmentLabels.stored_zpl``, ``descriptions`` empty): only for those is this used, and
the screens say so ("the carrier's label"). Every label of ours is drawn from its description by
:mod:`ui.station.label_preview`.

Not a ZPL renderer: it reads the field origins (``^FO``), fonts (``^A0``), boxes and
lines (``^GB``), barcodes (``^BC``/``^BY``, drawn as stripes that are *not* scannable,
with their data under them) and the field data (``^FD``, with ``^FH`` hex escapes), and
draws them on a white label of the ``^PW`` × ``^LL`` size. Pure functions and a
``QImage``: safe off the GUI thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

_COMMAND = re.compile(r"[\^~]([A-Z@][A-Z0-9@]?)([^\^~]*)", re.S)
_HEX = re.compile(r"_([0-9A-Fa-f]{2})")
DEFAULT_SIZE = (812, 1218)  # 4 x 6 in at 203 dpi


@dataclass(frozen=True)
class Field:
    x: int
    y: int
    height: int
    text: str
    barcode: bool = False
    width: int | None = None  # the ^FB block width: text beyond it is cut off


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int
    thickness: int


@dataclass(frozen=True)
class ParsedLabel:
    width: int
    height: int
    fields: tuple[Field, ...]
    boxes: tuple[Box, ...]

    @property
    def texts(self) -> list[str]:
        return [f.text for f in self.fields]


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().lstrip("-").isdigit()]


def parse_label(zpl: bytes) -> ParsedLabel:
    """The fields and boxes of the first label (``^XA…^XZ``) in ``zpl``."""
    text = zpl.decode("utf-8", "replace")
    width, height = DEFAULT_SIZE
    x = y = 0
    font, bar_height, barcode, hex_escapes = 30, 100, False, False
    block: int | None = None
    fields: list[Field] = []
    boxes: list[Box] = []
    for command, args in ((m.group(1), m.group(2)) for m in _COMMAND.finditer(text)):
        values = _numbers(args)
        if command == "XZ":
            break
        if command == "PW" and values:
            width = values[0]
        elif command == "LL" and values:
            height = values[0]
        elif command == "FO" and len(values) >= 2:
            x, y = values[0], values[1]
        elif command.startswith("A") and len(command) == 2 and values:
            font = values[0]
        elif command == "BY" and len(values) >= 3:
            bar_height = values[2]
        elif command.startswith("B") and len(command) == 2:
            barcode = True
            bar_height = values[0] if values else bar_height
        elif command == "GB":
            w, h, t = ([*values, 1, 1, 1])[:3]
            boxes.append(Box(x, y, w, h, t))
        elif command == "FH":
            hex_escapes = True
        elif command == "FB" and values:
            block = values[0]
        elif command == "FD":
            data = _HEX.sub(lambda m: chr(int(m.group(1), 16)), args) if hex_escapes else args
            fields.append(Field(x, y, bar_height if barcode else font, data.strip(), barcode, block))
        elif command == "FS":
            barcode = hex_escapes = False
            block = None
    return ParsedLabel(width, height, tuple(fields), tuple(boxes))


def render_label(zpl: bytes, scale: float = 0.4) -> QImage:
    """``zpl``'s first label drawn at ``scale`` (0.4 ≈ 325 × 487 pixels for 4 × 6 in)."""
    label = parse_label(zpl)
    image = QImage(max(1, round(label.width * scale)), max(1, round(label.height * scale)),
                   QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        painter.setPen(QColor("black"))
        for box in label.boxes:
            painter.fillRect(QRect(box.x, box.y, max(box.width, box.thickness), max(box.height, box.thickness)),
                             QColor("black"))
        for field in label.fields:
            _draw_field(painter, field, label.width)
    finally:
        painter.end()
    return image


def _draw_field(painter: QPainter, field: Field, label_width: int) -> None:
    font = QFont("Sans Serif")
    font.setStretch(QFont.Stretch.Condensed)  # closer to the printer's narrow font 0
    if field.barcode:  # stripes that look like a barcode; the data is printed under the real one
        width = label_width - 2 * field.x
        codes = field.text.encode("utf-8") or b"0"
        bars = max(30, len(codes) * 6)
        step = max(1, width // bars)
        for i in range(bars):
            if (codes[i % len(codes)] >> (i % 3)) & 1 or i % 7 == 0:
                painter.fillRect(field.x + i * step, field.y, max(1, step * 2 // 3), field.height, QColor("black"))
        return
    font.setPixelSize(max(8, field.height))
    painter.setFont(font)
    width = field.width if field.width is not None else label_width - field.x
    painter.drawText(QRect(field.x, field.y, width, round(field.height * 1.3)),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), field.text)
