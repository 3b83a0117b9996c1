"""The printer test label (4 × 6 in) that ``fulfilstation devices print-test`` and the station
settings' Test button send to a label printer.

It is a :class:`LabelDescription` like every other label, so the one ZPL renderer prints it
(field escaping, fonts, Code 128 encoding) at 203 or 300 dpi. It shows a title, the station
name, the time, the resolution with the label size in dots, and a Code 128 barcode
(``FSTEST`` + the time, ``yymmddHHMMSS``) with its text below; a frame 1.5 mm inside the
edges shows whether the label stock is aligned.

Invariants: pure (the time is a parameter; same arguments → equal descriptions and the same
bytes); every element lies inside the frame; the barcode keeps ten-module quiet zones clear
of the frame at both resolutions.
"""

from __future__ import annotations

import datetime as dt

from fulfilstation.documents.labels.code128 import Code128Data
from fulfilstation.documents.labels.description import Barcode, Element, Frame, LabelDescription, Text
from fulfilstation.documents.labels.layouts import MARGIN, SHIPPING_SIZE
from fulfilstation.documents.labels.zpl import DPIS, render_zpl
from fulfilstation.domain.units import MM_PER_INCH

TITLE = "FulfilStation test label"
FOOTER = "If you can read this, printing works."
FRAME_INSET = 1.5  # mm from each edge to the frame's outer side


def printer_test_label(station: str, dpi: int = 203, *, when: dt.datetime | None = None,
                       barcode: str | None = None) -> LabelDescription:
    """The test label for a printer of ``dpi`` (203 or 300) at ``station``, printed ``when``
    (default: now, local time). ValueError for another dpi or a barcode Code 128 cannot carry."""
    if dpi not in DPIS:
        raise ValueError(f"test labels print at {' or '.join(map(str, DPIS))} dpi, not {dpi}")
    when = when or dt.datetime.now().astimezone()
    data = Code128Data.plain(barcode if barcode is not None else f"FSTEST{when:%y%m%d%H%M%S}")
    width, height = SHIPPING_SIZE
    inner = width - 2 * MARGIN
    size_in_dots = f"{round(width / MM_PER_INCH * dpi)} x {round(height / MM_PER_INCH * dpi)} dots"
    elements: tuple[Element, ...] = (
        Frame(FRAME_INSET, FRAME_INSET, width - 2 * FRAME_INSET, height - 2 * FRAME_INSET, thickness=0.5),
        Text(MARGIN, 10.0, inner, TITLE, 7.0, min_size=4.0, bold=True, align="centre"),
        Text(MARGIN, 24.0, inner, f"Station: {station or '-'}", 5.0, max_lines=2, min_size=3.0),
        Text(MARGIN, 37.0, inner, f"Time: {when:%Y-%m-%d %H:%M:%S %z}", 5.0, min_size=3.0),
        Text(MARGIN, 44.0, inner, f"{dpi} dpi, 4 x 6 in ({size_in_dots})", 5.0, min_size=3.0),
        Barcode(MARGIN, 60.0, inner, 30.0, data, module=0.5),
        Text(MARGIN, 92.0, inner, data.caption(), 4.0, min_size=2.6, align="centre"),
        Text(MARGIN, 135.0, inner, FOOTER, 4.0, min_size=3.0, align="centre"),
    )
    return LabelDescription(width, height, elements, name="test-label")


def printer_test_label_zpl(station: str, dpi: int = 203, *, when: dt.datetime | None = None) -> bytes:
    """:func:`printer_test_label` as ZPL, ready to send."""
    return render_zpl(printer_test_label(station, dpi, when=when), dpi)
