"""The 2 × 1 in bin (location) label: the bin code as a large Code 128 and, big, in words.

Invariants: pure (same code → equal description, same bytes); every element lies inside
the label with the bin margin (1.5 mm); the barcode carries exactly the bin code (what a
scanner types back, so scanning the label selects the bin); a code whose barcode would need
bars narrower than 0.25 mm (2 dots at 203 dpi) is refused (``LabelTooSmall``) instead of
printed unreadable.
"""

from __future__ import annotations

from collections.abc import Iterable

from fulfilstation.documents.labels.code128 import Code128Data, encode
from fulfilstation.documents.labels.description import Barcode, Element, LabelDescription, Text
from fulfilstation.documents.labels.layouts import BIN_MARGIN, BIN_SIZE
from fulfilstation.documents.labels.zpl import render_zpl_many

MIN_MODULE = 0.25  # mm: 2 dots at 203 dpi, 3 at 300 dpi


class LabelTooSmall(ValueError):
    """What a label must carry does not fit its size; ``str()`` says what to do."""


def fits(data: Code128Data, width: float) -> bool:
    """True when ``data``'s Code 128 with ten-module quiet zones fits ``width`` mm at 0.25 mm a module."""
    return (encode(data).modules + 20) * MIN_MODULE <= width


def bin_label(code: str, caption: str | None = None) -> LabelDescription:
    """The label of bin ``code`` (``caption``: other words under the bars; default the code).
    ValueError for a code Code 128 cannot carry; LabelTooSmall for one too long for 2 in."""
    width, height = BIN_SIZE
    inner = width - 2 * BIN_MARGIN
    data = Code128Data.plain(code)
    if not fits(data, inner):
        raise LabelTooSmall(f"Bin code {code} is too long for the barcode of a 2 x 1 in label: use a shorter code "
                            "(about 12 letters, or more digits) for bins that get labels.")
    elements: tuple[Element, ...] = (
        Barcode(BIN_MARGIN, BIN_MARGIN, inner, 13.0, data, module=0.5),
        Text(BIN_MARGIN, 16.0, inner, code if caption is None else caption, 6.5, min_size=3.0, bold=True,
             align="centre"),
    )
    return LabelDescription(width, height, elements, name=f"bin-{code}")


def bin_labels_zpl(codes: Iterable[str], dpi: int = 203) -> bytes:
    """One ZPL format per bin, in the order given."""
    return render_zpl_many((bin_label(code) for code in codes), dpi)
