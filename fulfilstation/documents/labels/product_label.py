"""Product labels, 4 × 4 in and 2 × 1 in: SKU, name and the barcode the product already has.

Which barcode (:func:`product_symbol`), from the product's barcode as stored (a GTIN-14 or
an internal code):

* a GTIN whose GTIN-13 form is an EAN-13 (indicator 0, not a GTIN-8): that EAN-13 — and a
  UPC-A (GTIN-13 starting with 0) is that very EAN-13 symbol, bar for bar, which scanners
  report as UPC-A;
* any other GTIN (a case GTIN-14 with an indicator digit, a GTIN-8): GS1-128 ``(01)``;
* an internal code: Code 128 of that code; no barcode at all: Code 128 of the SKU;
* a lot given (a lot-tracked product, with its GTIN): GS1-128 ``(01) GTIN (17) expiry
  YYMMDD (10) lot`` — fixed-length elements first, the variable-length lot last, so the
  only FNC1 is the leading one (``code128`` places them). The lot and expiry also print
  in words. Without a GTIN the lot prints in words only (a GS1-128 needs a GTIN).

Invariants: pure (same arguments → equal descriptions, same bytes); a lot is GS1's AI 10
(at most 20 characters of GS1's character set 82) or refused (``ValueError`` with the
reason); a barcode that would need bars under 0.25 mm on the chosen size is refused
(``LabelTooSmall``) rather than printed unreadable — a lot's GS1-128 needs the 4 × 4 label.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from fulfilstation.documents.labels.bin_label import LabelTooSmall, fits
from fulfilstation.documents.labels.code128 import Code128Data
from fulfilstation.documents.labels.description import Barcode, Ean13, Element, LabelDescription, Rule, Text
from fulfilstation.documents.labels.layouts import BIN_SIZE, MARGIN, PRODUCT_SIZE
from fulfilstation.domain.gs1 import is_valid_gs1

Size = Literal["2x1", "4x4"]
SIZES: tuple[Size, ...] = ("2x1", "4x4")
SMALL_MARGIN = 1.5
LOT_MAX = 20
_CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$")


def gtin_of(barcode: str | None) -> str | None:
    """The GTIN-14 of a product barcode (8, 12, 13 or 14 digits with a right check digit), else None."""
    if barcode and barcode.isdigit() and len(barcode) in (8, 12, 13, 14) and is_valid_gs1(barcode):
        return barcode.zfill(14)
    return None


def check_lot(lot: str) -> str:
    """A lot as GS1's AI 10 carries it; ValueError saying why not."""
    text = lot.strip()
    if not text or len(text) > LOT_MAX or not _CSET82.match(text):
        raise ValueError(f"lot {text!r} cannot go in a GS1-128 barcode: a lot is 1 to {LOT_MAX} letters, digits "
                         "or - . / _ (no spaces)")
    return text


def product_symbol(sku: str, barcode: str | None, lot: str | None = None,
                   expiry: dt.date | None = None) -> Code128Data | str:
    """The barcode of the label: Code 128 / GS1-128 data, or the 13 digits of an EAN-13."""
    gtin = gtin_of(barcode)
    if gtin is not None and lot:
        elements = [("01", gtin)]
        if expiry is not None:
            elements.append(("17", f"{expiry:%y%m%d}"))
        return Code128Data.gs1(*elements, ("10", check_lot(lot)))
    if gtin is not None:
        if gtin.startswith("0") and not gtin.startswith("000000"):
            return gtin[1:]
        return Code128Data.gs1(("01", gtin))
    return Code128Data.plain(barcode or sku)


def _details(lot: str | None, expiry: dt.date | None) -> str:
    parts = ([f"LOT {lot}"] if lot else []) + ([f"EXP {expiry:%Y-%m-%d}"] if expiry else [])
    return "   ".join(parts)


def product_label(sku: str, name: str, barcode: str | None = None, detail: str = "", *, lot: str | None = None,
                  expiry: dt.date | None = None, size: Size = "4x4") -> LabelDescription:
    """The product's label (``detail``: more words, e.g. a bin, on the 4 × 4 label)."""
    if lot is not None:
        lot = check_lot(lot)
    symbol = product_symbol(sku, barcode, lot, expiry)
    words = " · ".join(part for part in (_details(lot, expiry), detail) if part)
    if size == "2x1":
        return _small(sku, name, symbol, words)
    if size != "4x4":
        raise ValueError(f"product labels are 2x1 or 4x4, not {size!r}")
    return _large(sku, name, symbol, words)


def _bars(x: float, y: float, width: float, height: float, symbol: Code128Data | str, size: str) -> Element:
    if isinstance(symbol, str):
        return Ean13(x, y, width, height, symbol, module=0.5 if size == "4x4" else 0.4)
    if not fits(symbol, width):
        raise LabelTooSmall(f"The barcode {symbol.caption()} does not fit a {size} in label: print the 4x4 label.")
    return Barcode(x, y, width, height, symbol, module=0.5)


def _caption(symbol: Code128Data | str) -> str:
    return Ean13(0, 0, 1, 1, symbol).caption() if isinstance(symbol, str) else symbol.caption()


def _large(sku: str, name: str, symbol: Code128Data | str, words: str) -> LabelDescription:
    width, height = PRODUCT_SIZE
    inner = width - 2 * MARGIN
    elements: list[Element] = [
        Text(MARGIN, MARGIN, inner, sku, 9.0, min_size=4.5, bold=True),
        Rule(MARGIN, 15.5, inner, 0.6),
        Text(MARGIN, 18.0, inner, name, 5.0, max_lines=3, min_size=3.0),
        _bars(MARGIN, 40.0, inner, 35.0, symbol, "4 x 4"),
        Text(MARGIN, 77.0, inner, _caption(symbol), 3.8, min_size=2.6, align="centre"),
    ]
    if words:
        elements.append(Text(MARGIN, 85.0, inner, words, 4.5, max_lines=2, min_size=2.8, bold=True, align="centre"))
    return LabelDescription(width, height, tuple(elements), name=f"product-{sku}")


def _small(sku: str, name: str, symbol: Code128Data | str, words: str) -> LabelDescription:
    width, height = BIN_SIZE
    inner = width - 2 * SMALL_MARGIN
    caption = " ".join(part for part in (_caption(symbol), words) if part)
    elements: tuple[Element, ...] = (
        Text(SMALL_MARGIN, SMALL_MARGIN, inner, sku, 3.2, min_size=2.2, bold=True),
        Text(SMALL_MARGIN, 5.6, inner, name, 2.4, min_size=1.8),
        _bars(SMALL_MARGIN, 9.0, inner, 10.5, symbol, "2 x 1"),
        Text(SMALL_MARGIN, 20.4, inner, caption, 2.5, min_size=1.8, align="centre"),
    )
    return LabelDescription(width, height, elements, name=f"product-{sku}")
