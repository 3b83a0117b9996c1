"""Saying which product holds a SKU or barcode another change wanted.

Uniqueness is settled by the database (the unique constraints on ``products.sku`` and
``product_barcodes.code``): a use case inserts or updates, and when the engine refuses
(``IntegrityError``, also when another station saved the same SKU or code a moment
earlier), the transaction is rolled back and ``conflict`` reads, in a fresh transaction,
who holds it now, so the refusal names the other product.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Product, ProductBarcode
from fulfilstation.domain.product_barcodes import BarcodeInvalid, product_barcode_key
from fulfilstation.services.products.refused import ProductRefused, describe


def conflict(database: Database, *, sku: str | None = None, codes: Sequence[tuple[str, str]] = (),
             own_id: int | None = None) -> ProductRefused:
    """The refusal for a unique constraint that failed: ``sku`` (the new SKU) taken by another
    product, or one of ``codes`` ((stored key, as typed)) the barcode of a product."""
    with database.unit_of_work() as session:
        if sku is not None:
            holder = session.execute(select(Product.sku, Product.name).where(Product.sku == sku)).first()
            if holder is not None and (own_id is None or session.scalar(
                    select(Product.id).where(Product.sku == sku)) != own_id):
                return ProductRefused("sku-taken", f"SKU {sku} is already {describe(*holder)}: choose another SKU, "
                                      "or edit that product instead. Nothing was changed.")
        for key, typed in codes:
            row = session.execute(select(Product.id, Product.sku, Product.name).join(ProductBarcode)
                                  .where(ProductBarcode.code == key)).first()
            if row is not None:
                return barcode_taken(typed, key, row[1], row[2], mine=row[0] == own_id)
    return ProductRefused("changed-meanwhile", "Someone saved a change to the same product at the same moment: "
                          "nothing was changed. Look at it again and try once more.")


def barcode_taken(typed: str, key: str, sku: str, name: str, *, mine: bool = False) -> ProductRefused:
    shown = typed.strip() or key
    if mine:
        return ProductRefused("barcode-already-there", f"{shown} is already a barcode of {describe(sku, name)}: "
                              "nothing to add.")
    return ProductRefused("barcode-taken", f"{shown} is already the barcode of {describe(sku, name)}: a barcode "
                          "belongs to one product. Remove it there first if it was wrong.")


def refuse_case_twin(session: Session, sku: str, own_id: int | None = None) -> None:
    """Refuse a SKU that differs from another product's only in upper and lower case
    (``mug-1`` beside ``MUG-1``): SKUs are looked up ignoring case, so both could no longer be
    found. The product being edited (``own_id``) may change the case of its own SKU. Refuse
    too a SKU that is another product's barcode: scans read barcodes first."""
    holder = session.execute(select(Product.sku, Product.name).where(
        func.lower(Product.sku) == sku.lower(), Product.sku != sku, Product.id != (own_id or 0))
        .order_by(Product.id).limit(1)).first()
    if holder is not None:
        raise ProductRefused("sku-taken", f"SKU {sku} differs from {describe(*holder)} only in upper and lower "
                             f"case: SKUs are looked up ignoring case, so use {holder[0]} (edit that product) or "
                             "choose another SKU. Nothing was changed.")
    barcode_holder = session.execute(select(Product.sku, Product.name).join(ProductBarcode).where(
        ProductBarcode.code == _as_barcode(sku), Product.id != (own_id or 0)).limit(1)).first()
    if barcode_holder is not None:
        raise ProductRefused("sku-taken", f"SKU {sku} is the barcode of {describe(*barcode_holder)}: a scan of this "
                             "product's SKU label would find that product. Choose another SKU. Nothing was changed.")


def _as_barcode(sku: str) -> str:
    try:
        return product_barcode_key(sku)
    except BarcodeInvalid:
        return sku
