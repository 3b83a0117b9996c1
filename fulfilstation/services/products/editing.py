"""Creating, editing, deactivating and reactivating a product (a manager's or owner's).

Invariants: each change is one short transaction with its audit entry (``product.created``,
``product.edited`` with each changed field's old and new value, ``product.deactivated``,
``product.reactivated``). A SKU or barcode another product holds is refused by the
database's unique constraint (``conflicts``), naming that product. A kit is never lot- or
serial-tracked itself (its components are). Deactivating and reactivating are conditional
UPDATEs (``active`` was the other value), so two managers doing it at once: one is told it
was done already. A refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Product, ProductBarcode, ProductComponent
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.products.barcodes import checked_barcodes
from fulfilstation.services.products.conflicts import conflict, refuse_case_twin
from fulfilstation.services.products.detail import detail_of
from fulfilstation.services.products.fields import checked_changes, checked_fields
from fulfilstation.services.products.locking import lock_products
from fulfilstation.services.products.refused import ProductRefused, describe, find_product
from fulfilstation.services.products.views import BarcodeSpec, ProductChanges, ProductDetail, ProductFields


def create_product(database: Database, actor: Actor, fields: ProductFields,
                   barcodes: Sequence[BarcodeSpec] = ()) -> ProductDetail:
    values = checked_fields(fields)
    codes = checked_barcodes(barcodes)
    try:
        with database.unit_of_work() as session:
            refuse_case_twin(session, values["sku"])
            product = Product(**values, active=True)
            session.add(product)
            session.flush()
            session.add_all(ProductBarcode(product_id=product.id, code=key, pack_quantity=quantity)
                            for key, quantity, _typed in codes)
            session.flush()
            audit.record(session, actor, "product.created", "product", product.id,
                         {"sku": product.sku, "name": product.name,
                          "barcodes": [[key, quantity] for key, quantity, _typed in codes]})
            return detail_of(session, product)
    except IntegrityError:
        raise conflict(database, sku=values["sku"], codes=[(key, typed) for key, _q, typed in codes]) from None


def edit_product(database: Database, actor: Actor, sku: str, changes: ProductChanges) -> ProductDetail:
    values = checked_changes(changes)
    own_id: int | None = None
    try:
        with database.unit_of_work() as session:
            product = find_product(session, sku)
            own_id = product.id
            lock_products(session, [product.id])  # a kit made meanwhile is seen below
            if (values.get("lot_tracked") or values.get("serial_tracked")) and is_kit(session, product.id):
                raise ProductRefused("kit-tracked", f"{describe(product.sku, product.name)} is a kit: its components "
                                     "carry lots and serial numbers, never the kit itself. Nothing was changed.")
            changed = {name: [getattr(product, name), value] for name, value in values.items()
                       if getattr(product, name) != value}
            if not changed:
                return detail_of(session, product)
            if "sku" in changed:
                refuse_case_twin(session, values["sku"], product.id)
            for name, (_old, new) in changed.items():
                setattr(product, name, new)
            session.flush()
            audit.record(session, actor, "product.edited", "product", product.id,
                         {"sku": product.sku, "changes": changed})
            return detail_of(session, product)
    except IntegrityError:
        raise conflict(database, sku=values.get("sku"), own_id=own_id) from None


def set_active(database: Database, actor: Actor, sku: str, active: bool) -> ProductDetail:
    """Deactivate (``active`` False) or reactivate the product; refused when it already is."""
    with database.unit_of_work() as session:
        product = find_product(session, sku)
        done = rows_changed(session, update(Product).where(Product.id == product.id,
                                                           Product.active.is_(not active))
                            .values(active=active, updated_at=utcnow()))
        if not done:
            state = "active" if active else "inactive"
            raise ProductRefused(f"already-{state}", f"{describe(product.sku, product.name)} is already {state}: "
                                 "nothing to do.")
        session.refresh(product)
        action = "product.reactivated" if active else "product.deactivated"
        audit.record(session, actor, action, "product", product.id, {"sku": product.sku})
        return detail_of(session, product)


def is_kit(session: Session, product_id: int) -> bool:
    return bool(session.scalar(select(exists().where(ProductComponent.kit_id == product_id))))
