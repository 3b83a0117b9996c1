"""The 4 x 6 in carrier label in ZPL: a thin wrapper over :mod:`fulfilstation.documents.labels`.

``ShippingLabel`` is :class:`~fulfilstation.documents.labels.ShippingLabelData` (plain data,
the barcode as Code 128 text or GS1 element strings) and ``render_zpl(label, dpi)`` renders
its description (:func:`~fulfilstation.documents.labels.shipping_label`) at 203 or 300 dpi.
The same data renders to the same bytes, so a label re-rendered from the database at 203 dpi
equals the one stored when the shipment was recorded (as long as the data has not changed).
"""

from __future__ import annotations

from fulfilstation.documents.labels import ShippingLabelData, shipping_label
from fulfilstation.documents.labels import render_zpl as render_description

ShippingLabel = ShippingLabelData

__all__ = ["ShippingLabel", "render_zpl"]


def render_zpl(label: ShippingLabelData, dpi: int = 203) -> bytes:
    return render_description(shipping_label(label), dpi)
