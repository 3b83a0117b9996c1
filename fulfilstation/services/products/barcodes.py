"""A product's barcodes: adding one (with a pack quantity: a case GTIN-14 counts its units)
and removing one. A product keeps any number of barcodes, none included.

Invariants: a code is checked and normalised by ``domain/product_barcodes`` alone (a GTIN
is stored as GTIN-14, so UPC-A, EAN-13 and GTIN-14 forms of one item are one code); a code
belongs to one product, settled by the unique constraint on ``product_barcodes.code`` —
two stations adding the same code at once: the second is refused, naming the first's
product (``conflicts``). Each change is one transaction with its audit entry
(``product.barcode_added`` / ``product.barcode_removed``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Product, ProductBarcode
from fulfilstation.domain.product_barcodes import BarcodeInvalid, product_barcode_key
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.products.conflicts import conflict
from fulfilstation.services.products.detail import detail_of
from fulfilstation.services.products.refused import ProductRefused, describe, find_product
from fulfilstation.services.products.views import BarcodeSpec, ProductDetail

MAX_PACK_QUANTITY = 100_000


def checked_barcode(code: str, pack_quantity: int = 1) -> str:
    """The stored key of ``code``; ProductRefused when it is no barcode or the quantity is wrong."""
    try:
        key = product_barcode_key(code)
    except BarcodeInvalid as invalid:
        raise ProductRefused("barcode-invalid", f"{_capital(str(invalid))}: check the number, or scan it again. "
                             "Nothing was changed.") from None
    if isinstance(pack_quantity, bool) or not 1 <= pack_quantity <= MAX_PACK_QUANTITY:
        raise ProductRefused("pack-quantity", f"A pack quantity is a whole number of units from 1 to "
                             f"{MAX_PACK_QUANTITY:,} (a case of 12 counts 12), not {pack_quantity!r}.")
    return key


def checked_barcodes(specs: Sequence[BarcodeSpec]) -> list[tuple[str, int, str]]:
    """(key, pack quantity, as typed) of each; ProductRefused for a bad one or one given twice."""
    found: dict[str, str] = {}
    result = []
    for spec in specs:
        key = checked_barcode(spec.code, spec.pack_quantity)
        if key in found:
            raise ProductRefused("barcode-twice", f"{spec.code.strip()} and {found[key]} are the same barcode: "
                                 "give it once.")
        found[key] = spec.code.strip()
        result.append((key, spec.pack_quantity, spec.code))
    return result


def add_barcode(database: Database, actor: Actor, sku: str, code: str, pack_quantity: int = 1) -> ProductDetail:
    key = checked_barcode(code, pack_quantity)
    own_id: int | None = None
    try:
        with database.unit_of_work() as session:
            product = find_product(session, sku)
            own_id = product.id
            session.add(ProductBarcode(product_id=product.id, code=key, pack_quantity=pack_quantity))
            session.flush()
            audit.record(session, actor, "product.barcode_added", "product", product.id,
                         {"sku": product.sku, "code": key, "pack_quantity": pack_quantity})
            return detail_of(session, product)
    except IntegrityError:
        raise conflict(database, codes=[(key, code)], own_id=own_id) from None


def remove_barcode(database: Database, actor: Actor, sku: str, code: str) -> ProductDetail:
    try:
        key = product_barcode_key(code)
    except BarcodeInvalid:
        key = code.strip()  # whatever was stored before the rule: still removable as typed
    with database.unit_of_work() as session:
        product = find_product(session, sku)
        removed = rows_changed(session, delete(ProductBarcode).where(ProductBarcode.product_id == product.id,
                                                                      ProductBarcode.code == key))
        if not removed:
            raise _not_its_barcode(session, product, code, key)
        audit.record(session, actor, "product.barcode_removed", "product", product.id,
                     {"sku": product.sku, "code": key})
        session.expire(product)
        return detail_of(session, product)


def _not_its_barcode(session: Session, product: Product, typed: str, key: str) -> ProductRefused:
    other = session.execute(select(Product.sku, Product.name).join(ProductBarcode)
                            .where(ProductBarcode.code == key)).first()
    if other is not None:
        return ProductRefused("barcode-of-another", f"{typed.strip()} is the barcode of {describe(*other)}, not of "
                              f"{describe(product.sku, product.name)}: nothing was removed.")
    codes = session.scalars(select(ProductBarcode.code).where(ProductBarcode.product_id == product.id)
                            .order_by(ProductBarcode.pack_quantity, ProductBarcode.id)).all()
    has = f"its barcodes are {', '.join(codes)}" if codes else "it has no barcode"
    return ProductRefused("barcode-not-found", f"{typed.strip()} is not a barcode of "
                          f"{describe(product.sku, product.name)} ({has}): nothing was removed.")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
