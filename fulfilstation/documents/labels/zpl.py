"""ZPL for Zebra-compatible thermal printers, at 203 or 300 dpi, from a :class:`LabelDescription`.

Invariants:

* Pure and deterministic: same description, dpi and font → same bytes (UTF-8, one
  ``^XA … ^XZ`` format per label, lines ending in ``\\n``). A 4 × 6 in label is ``^PW812^LL1218``
  at 203 dpi and ``^PW1200^LL1800`` at 300 dpi (1 mm = dpi / 25.4 dots, rounded).
* Text is UTF-8 (``^CI28``) and escaped with ``^FH``: ``^``, ``~`` and ``_`` travel as hex,
  a backslash as ``\\\\`` (``^FB``'s own escape), so no data can end a field or start a command.
  Every text block is laid out by :func:`.description.fit_text` with a conservative estimate
  of the printer font's widths, then printed as an ``^FB`` block of exactly those lines: the
  printer's wrapping only ever acts as a safety net, and ``^FB``'s line limit keeps even a
  wrongly estimated line inside the block.
* Text is NFC-normalised and typographic dashes, quotes and ellipses become their plain
  forms (:data:`PLAIN_PUNCTUATION`). Latin-1 text prints in the resident scalable font 0.
  Other text (Greek, Cyrillic, CJK …) prints with ``^A@`` in ``unicode_font``, by default
  ``E:TT0003M_.FNT`` (Zebra's Swiss 721 Unicode font, standard on most current printers).
  CJK needs a font that has the glyphs: download a TrueType font to the printer (or map one
  with ``^CW``) and pass its name.
* EAN-13 (and UPC-A as the EAN-13 with a leading 0: the same bars) is ``^BE`` with its first
  12 digits (the printer adds the check digit, which the description has checked), no
  interpretation line (the layout prints its own caption).
* Barcodes are ``^BC`` in mode N with explicit invocation codes from :mod:`.code128`
  (``>;`` subset C, ``>8`` FNC1 for GS1-128), so the printer encodes exactly the symbol
  the PDF renderer draws; the module is a whole number of dots (at least 2 at 203 dpi,
  3 at 300 dpi — 0.25 mm).
* MaxiCode is ``^BD`` and PDF417 ``^B7``, their data escaped with ``^FH_`` (:mod:`.zpl_2d`).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace

from fulfilstation.documents.labels.code128 import encode
from fulfilstation.documents.labels.description import (
    LEADING,
    Barcode,
    Ean13,
    Element,
    Frame,
    LabelDescription,
    Measure,
    Text,
    fit_text,
)
from fulfilstation.documents.labels.symbols2d import MaxiCode, Pdf417
from fulfilstation.documents.labels.zpl_2d import maxicode_zpl, pdf417_zpl
from fulfilstation.domain.units import MM_PER_INCH

DPIS = (203, 300)
UNICODE_FONT = "E:TT0003M_.FNT"
MIN_MODULE_DOTS = {203: 2, 300: 3}
_WIDE, _NARROW = frozenset("WM%@m&w-"), frozenset(" iljI!|.,:;'`()[]{}/\"ftr")
_JUSTIFY = {"left": "L", "centre": "C", "right": "R"}
#: Typographic punctuation outside Latin-1, printed as its plain form so the text stays in font 0.
PLAIN_PUNCTUATION = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                                   "\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201c": '"', "\u201d": '"',
                                   "\u201e": '"', "\u2026": "...", "\u2022": "-", "\u00a0": " "})
Dots = Callable[[float], int]  # mm -> dots


def is_latin1(text: str) -> bool:
    return all(ord(char) < 0x100 for char in text)


def _advance(char: str) -> float:
    """Upper bound of font 0's advance width for ``char``, as a fraction of its height."""
    if not char.isascii():
        base = unicodedata.normalize("NFKD", char)[:1]
        return _advance(base) if base.isascii() and base else 0.86
    if char in _WIDE:
        return 0.86
    if char in _NARROW:
        return 0.36
    return 0.64 if char.isupper() or not char.isalnum() else 0.53


def zpl_measure(latin1: bool, dpi: int) -> Measure:
    """Text width in mm as the printer will draw it (an upper bound, on the safe side)."""
    per_mm = dpi / MM_PER_INCH

    def measure(text: str, size: float) -> float:
        cell = math.floor(size * per_mm) / per_mm
        return cell * (sum(map(_advance, text)) if latin1 else 1.22 * len(text))

    return measure


def render_zpl(label: LabelDescription, dpi: int = 203, *, unicode_font: str = UNICODE_FONT) -> bytes:
    """One label as a ZPL format (``^XA … ^XZ``)."""
    if dpi not in DPIS:
        raise ValueError(f"labels print at 203 or 300 dpi, not {dpi}")
    per_mm = dpi / MM_PER_INCH

    def dots(mm: float) -> int:
        return round(mm * per_mm)

    parts = ["^XA", "^CI28", f"^PW{dots(label.width)}", f"^LL{dots(label.height)}", "^LH0,0"]
    for element in label.elements:
        parts.extend(_element(element, dpi, dots, unicode_font))
    parts += ["^PQ1", "^XZ"]
    return ("\n".join(parts) + "\n").encode("utf-8")


def render_zpl_many(labels: Iterable[LabelDescription], dpi: int = 203, *,
                    unicode_font: str = UNICODE_FONT) -> bytes:
    return b"".join(render_zpl(label, dpi, unicode_font=unicode_font) for label in labels)


def _element(element: Element, dpi: int, dots: Dots, unicode_font: str) -> list[str]:
    if isinstance(element, Text):
        return _text(element, dpi, dots, unicode_font)
    if isinstance(element, Barcode):
        return [_barcode(element, dpi, dots)]
    if isinstance(element, Ean13):
        return [_ean13(element, dpi, dots)]
    if isinstance(element, MaxiCode):
        return [maxicode_zpl(element, dots)]
    if isinstance(element, Pdf417):
        return [pdf417_zpl(element, dpi, dots)]
    width, height = max(1, dots(element.width)), max(1, dots(element.height))
    thickness = max(1, dots(element.thickness)) if isinstance(element, Frame) else min(width, height)
    return [f"^FO{dots(element.x)},{dots(element.y)}^GB{width},{height},{thickness},B,0^FS"]


def _text(text: Text, dpi: int, dots: Dots, unicode_font: str) -> list[str]:
    text = replace(text, text=unicodedata.normalize("NFC", text.text).translate(PLAIN_PUNCTUATION))
    latin1 = is_latin1(text.text)
    fitted = fit_text(text, zpl_measure(latin1, dpi))
    if not fitted.lines:
        return []
    cell = math.floor(fitted.size * dpi / MM_PER_INCH)
    font = f"^A0N,{cell},{cell}" if latin1 else f"^A@N,{cell},{cell},{unicode_font}"
    spacing = round(cell * (LEADING - 1))
    body = "\\&".join(_escape(line) for line in fitted.lines)
    return [f"^FO{dots(text.x)},{dots(text.y)}{font}^FB{dots(text.width)},{len(fitted.lines)},{spacing},"
            f"{_JUSTIFY[text.align]},0^FH^FD{body}^FS"]


def _escape(text: str) -> str:
    return "".join(f"_{ord(c):02X}" if c in "^~_" else "\\\\" if c == "\\" else c for c in text)


def _barcode(barcode: Barcode, dpi: int, dots: Dots) -> str:
    symbol = encode(barcode.data)
    box = dots(barcode.width)
    wanted = max(MIN_MODULE_DOTS[dpi], math.floor(barcode.module * dpi / MM_PER_INCH))
    module = next((m for m in range(wanted, MIN_MODULE_DOTS[dpi] - 1, -1) if (symbol.modules + 20) * m <= box), 0)
    if not module:
        raise ValueError(f"the barcode {barcode.data.caption()!r} does not fit in {barcode.width:.1f} mm at {dpi} dpi")
    x = dots(barcode.x) + (box - symbol.modules * module) // 2
    height = dots(barcode.height)
    return f"^FO{x},{dots(barcode.y)}^BY{module},3,{height}^BCN,{height},N,N,N^FD{symbol.zpl}^FS"


def _ean13(barcode: Ean13, dpi: int, dots: Dots) -> str:
    box = dots(barcode.width)
    wanted = max(MIN_MODULE_DOTS[dpi], math.floor(barcode.module * dpi / MM_PER_INCH))
    modules = Ean13.MODULES + Ean13.QUIET
    module = next((m for m in range(wanted, MIN_MODULE_DOTS[dpi] - 1, -1) if modules * m <= box), 0)
    if not module:
        raise ValueError(f"the EAN-13 {barcode.digits} does not fit in {barcode.width:.1f} mm at {dpi} dpi")
    x = dots(barcode.x) + (box - Ean13.MODULES * module) // 2
    height = dots(barcode.height)
    return f"^FO{x},{dots(barcode.y)}^BY{module},3,{height}^BEN,{height},N,N^FD{barcode.digits[:12]}^FS"
