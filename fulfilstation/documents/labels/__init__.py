"""Labels: one description (:mod:`.description`, built by :mod:`.layouts`), several renderers —
ZPL for thermal printers (:mod:`.zpl`) and PDF for plain printers and the on-screen preview
(:mod:`.pdf`). Barcodes are Code 128 / GS1-128 encoded once, in :mod:`.code128`."""

from fulfilstation.documents.labels.bin_label import LabelTooSmall, bin_label
from fulfilstation.documents.labels.code128 import Code128Data
from fulfilstation.documents.labels.description import (
    Barcode,
    Ean13,
    FittedText,
    Frame,
    LabelDescription,
    Rule,
    Text,
    fit_text,
)
from fulfilstation.documents.labels.layouts import ShippingLabelData, shipping_label
from fulfilstation.documents.labels.pdf import render_pdf
from fulfilstation.documents.labels.product_label import product_label
from fulfilstation.documents.labels.zpl import UNICODE_FONT, render_zpl, render_zpl_many

__all__ = [
    "UNICODE_FONT", "Barcode", "Code128Data", "Ean13", "FittedText", "Frame", "LabelDescription", "LabelTooSmall",
    "Rule",
    "ShippingLabelData", "Text", "bin_label", "fit_text", "product_label", "render_pdf", "render_zpl",
    "render_zpl_many", "shipping_label",
]
