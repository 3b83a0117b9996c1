"""One label, described once: positioned elements in millimetres, drawn by every renderer.

A :class:`LabelDescription` is a page size plus text blocks, filled rectangles (rules),
outlined boxes and Code 128 barcodes, each at ``(x, y)`` from the label's top-left corner.
Renderers (:mod:`.zpl`, :mod:`.pdf`) only translate; what goes where is decided here and
in :mod:`.layouts`.

Invariants:

* Everything is frozen plain data: a description can be built in any thread, compared,
  and rendered again to the same bytes.
* A :class:`Text` owns the box ``(x, y, width, height)`` with ``height = max_lines ×
  size × LEADING``. :func:`fit_text` wraps it at word boundaries (breaking a word only when
  it alone is too wide), shrinks the size step by step down to ``min_size`` until the lines
  fit, and as a last resort cuts the last line with ``...``. Given the renderer's own
  ``measure``, the result has at most ``max_lines`` lines, each at most ``width`` wide, at a
  size between ``min_size`` and ``size``: text never leaves its box, whatever its length.
* A :class:`Barcode` is centred in its box with quiet zones of ten modules on each side;
  the renderer picks the widest module (at most ``module``) that fits, and refuses to
  print (ValueError) rather than print bars narrower than its minimum.
* An :class:`Ean13` (retail EAN-13; a UPC-A is the EAN-13 of its digits with a leading 0,
  bar for bar the same symbol) is centred the same way with its quiet zones of 11 modules
  on the left and 7 on the right; its 13 digits carry a right GS1 check digit.
* A :class:`~.symbols2d.MaxiCode` (UPS) or :class:`~.symbols2d.Pdf417` (FedEx) is a 2D
  symbol (:mod:`.symbols2d`): the ZPL printer encodes it, the PDF renderer draws zint's symbol.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

from fulfilstation.documents.labels.code128 import Code128Data
from fulfilstation.documents.labels.symbols2d import MaxiCode, Pdf417
from fulfilstation.domain.gs1 import is_valid_gs1

LEADING = 1.2  # line pitch as a multiple of the size
ELLIPSIS = "..."  # plain dots: every printer font has them
Align = Literal["left", "centre", "right"]
Measure = Callable[[str, float], float]  # (text, size mm) -> width mm


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    width: float
    text: str  # "\n" starts a new paragraph (an address line)
    size: float  # character height in mm (ZPL cell height; PDF font size)
    max_lines: int = 1
    min_size: float | None = None  # shrink at most to this; default: 60 % of size
    bold: bool = False
    align: Align = "left"

    @property
    def height(self) -> float:
        return self.max_lines * self.size * LEADING

    @property
    def smallest(self) -> float:
        return self.min_size if self.min_size is not None else self.size * 0.6


@dataclass(frozen=True)
class Rule:
    """A filled rectangle: a horizontal or vertical line, or a black bar."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Frame:
    """An outlined rectangle with lines ``thickness`` mm wide, drawn inside the box."""

    x: float
    y: float
    width: float
    height: float
    thickness: float = 0.5


@dataclass(frozen=True)
class Barcode:
    x: float
    y: float
    width: float  # the box: bars and quiet zones stay inside it
    height: float  # bar height
    data: Code128Data
    module: float = 0.5  # widest module (narrow bar) wanted, mm


@dataclass(frozen=True)
class Ean13:
    x: float
    y: float
    width: float  # the box: bars and quiet zones stay inside it
    height: float  # bar height
    digits: str  # 13 digits, the check digit included
    module: float = 0.4  # widest module wanted, mm

    MODULES = 95  # guards and 12 encoded digits, without quiet zones
    QUIET = 18  # 11 modules left, 7 right

    def __post_init__(self) -> None:
        if len(self.digits) != 13 or not is_valid_gs1(self.digits):
            raise ValueError(f"{self.digits!r} is not an EAN-13 (13 digits with a right check digit)")

    def caption(self) -> str:
        """The digits as printed under the bars; a UPC-A (leading 0) without that 0."""
        return self.digits[1:] if self.digits.startswith("0") else self.digits


Element = Text | Rule | Frame | Barcode | Ean13 | MaxiCode | Pdf417


@dataclass(frozen=True)
class LabelDescription:
    width: float  # mm
    height: float  # mm
    elements: tuple[Element, ...]
    name: str = "label"  # e.g. the tracking number: PDF title, file names

    def barcodes(self) -> tuple[Barcode, ...]:
        return tuple(element for element in self.elements if isinstance(element, Barcode))

    def texts(self) -> tuple[Text, ...]:
        return tuple(element for element in self.elements if isinstance(element, Text))


@dataclass(frozen=True)
class FittedText:
    lines: tuple[str, ...]
    size: float


def fit_text(text: Text, measure: Measure) -> FittedText:
    """The lines and size that fit ``text`` in its box, measured with ``measure``."""
    paragraphs = [" ".join(part.split()) for part in text.text.splitlines()]
    paragraphs = [part for part in paragraphs if part]
    size = text.size
    while True:
        lines = _wrap(paragraphs, text.width, partial(_at_size, measure, size))
        if len(lines) <= text.max_lines:
            return FittedText(tuple(lines), size)
        if size <= text.smallest:
            break
        size = max(text.smallest, round(size * 0.92, 3))
    last = lines[text.max_lines - 1]
    while last and measure(last + ELLIPSIS, size) > text.width:
        last = last[:-1]
    return FittedText((*lines[:text.max_lines - 1], last.rstrip() + ELLIPSIS), size)


def _at_size(measure: Measure, size: float, value: str) -> float:
    return measure(value, size)


def _wrap(paragraphs: list[str], width: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if measure(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while len(word) > 1 and measure(word) > width:  # too long alone: break it
                cut = max((n for n in range(1, len(word)) if measure(word[:n]) <= width), default=1)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines
