"""Label descriptions for bins and products, checked: what the service prints or writes.

Turns a request (bins chosen by code or zone; a product with copies, lot, expiry, size)
into :class:`LabelDescription`\\ s, refusing in words (``LabelsRefused``) whatever cannot
become a readable label. Blocking only for the short reads it makes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fulfilstation.db.database import Database
from fulfilstation.documents.labels import LabelDescription
from fulfilstation.documents.labels.bin_label import bin_label
from fulfilstation.documents.labels.product_label import SIZES, Size, product_label
from fulfilstation.services.bins.service import select_bins
from fulfilstation.services.bins.views import BinsRefused
from fulfilstation.services.labels.products import LabelProduct, LabelsRefused, label_product

MAX_COPIES = 500


def bin_labels(database: Database, codes: Sequence[str] = (), zone: str | None = None) -> list[LabelDescription]:
    """A label per bin: the bins named (in that order), else the active bins of ``zone``,
    else every active bin, in walking order."""
    try:
        chosen = select_bins(database, codes, zone)
    except BinsRefused as exc:
        raise LabelsRefused("no-bin", exc.message) from exc
    if not chosen:
        raise LabelsRefused("no-bin", "There is no active bin to label: add bins first.")
    try:
        return [bin_label(found.code) for found in chosen]
    except ValueError as exc:
        raise LabelsRefused("bad-label", str(exc)) from exc


def product_labels(database: Database, reference: str, copies: int = 1, lot: str | None = None,
                   expiry: dt.date | None = None, size: str = "2x1") -> tuple[LabelProduct, list[LabelDescription]]:
    """``copies`` labels of the product (by SKU or barcode)."""
    if size not in SIZES:
        raise LabelsRefused("bad-label", f"Product labels are {' or '.join(SIZES)} in, not {size!r}.")
    if not 1 <= copies <= MAX_COPIES:
        raise LabelsRefused("bad-label", f"Print 1 to {MAX_COPIES} copies at a time, not {copies}.")
    product = label_product(database, reference)
    lot = lot.strip() if lot and lot.strip() else None
    if expiry is not None and lot is None:
        raise LabelsRefused("bad-label", f"An expiry date goes on a label with its lot: give the lot of {product.sku} "
                            "too.")
    if lot is not None and not product.lot_tracked:
        raise LabelsRefused("bad-label", f"{product.sku} is not lot-tracked: print its label without a lot, or mark "
                            "it lot-tracked in Products first.")
    chosen: Size = "4x4" if size == "4x4" else "2x1"
    try:
        label = product_label(product.sku, product.name, product.barcode, lot=lot, expiry=expiry, size=chosen)
    except ValueError as exc:
        raise LabelsRefused("bad-label", f"{str(exc)[:1].upper()}{str(exc)[1:]}") from exc
    return product, [label] * copies
