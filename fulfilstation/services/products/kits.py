"""Making a product a kit (bundle) of components, or a plain product again.

Rules: a component is an active, known product, not the kit itself and not a kit (no kit
in a kit: a kit is also never a component of another kit); each component once, at least
one unit per kit; a kit is never lot- or serial-tracked itself (its components are).

Invariants: the kit and every component are locked (``locking.lock_products``: row locks in
id order on PostgreSQL, the write lock on SQLite) before the rules are read, so two managers
nesting kits into each other at the same moment cannot both succeed; the components are
replaced whole in one transaction with its audit entry (``product.kit_set``, the old and
new components).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Product, ProductComponent
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.products.detail import detail_of
from fulfilstation.services.products.locking import lock_products
from fulfilstation.services.products.refused import ProductRefused, describe, find_product
from fulfilstation.services.products.views import ProductDetail

MAX_QUANTITY = 10_000


def set_components(database: Database, actor: Actor, sku: str,
                   components: Sequence[tuple[str, int]]) -> ProductDetail:
    """Replace the components of ``sku`` by ``components`` ((component SKU, units per kit));
    none: it is a plain product again."""
    for component_sku, quantity in components:
        if isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
            raise ProductRefused("component-quantity", f"A kit holds 1 to {MAX_QUANTITY:,} units of a component, "
                                 f"not {quantity!r} of {component_sku.strip()}.")
    with database.unit_of_work() as session:
        kit = find_product(session, sku)
        parts = [(_component(session, kit, component_sku), quantity) for component_sku, quantity in components]
        lock_products(session, [kit.id, *(part.id for part, _ in parts)])
        if parts:
            _check_kit(session, kit, [part for part, _ in parts])
        was = _current(session, kit.id)
        session.execute(delete(ProductComponent).where(ProductComponent.kit_id == kit.id))
        session.add_all(ProductComponent(kit_id=kit.id, component_id=part.id, quantity=quantity)
                        for part, quantity in parts)
        session.flush()
        audit.record(session, actor, "product.kit_set", "product", kit.id,
                     {"sku": kit.sku, "components": [[part.sku, quantity] for part, quantity in parts], "was": was})
        return detail_of(session, kit)


def _component(session: Session, kit: Product, sku: str) -> Product:
    try:
        return find_product(session, sku)
    except ProductRefused:
        raise ProductRefused("unknown-component", f"There is no product with SKU {sku.strip()!r} to put in kit "
                             f"{kit.sku}: add it first, or check the SKU. Nothing was changed.") from None


def _check_kit(session: Session, kit: Product, parts: list[Product]) -> None:
    name = describe(kit.sku, kit.name)
    if kit.lot_tracked or kit.serial_tracked:
        raise ProductRefused("kit-tracked", f"{name} is lot- or serial-tracked: a kit never is (its components are). "
                             "Turn that off first. Nothing was changed.")
    outer = session.execute(select(Product.sku, Product.name).join(ProductComponent, ProductComponent.kit_id
                                                                    == Product.id)
                            .where(ProductComponent.component_id == kit.id).limit(1)).first()
    if outer is not None:
        raise ProductRefused("kit-in-kit", f"{name} is a component of kit {describe(*outer)}: a kit cannot be part "
                             "of another kit. Nothing was changed.")
    seen: set[int] = set()
    for part in parts:
        if part.id == kit.id:
            raise ProductRefused("kit-itself", f"{name} cannot be a component of itself. Nothing was changed.")
        if part.id in seen:
            raise ProductRefused("component-twice", f"{part.sku} is listed twice: give it once with the number of "
                                 "units one kit holds.")
        seen.add(part.id)
        if not part.active:
            raise ProductRefused("component-inactive", f"{describe(part.sku, part.name)} is inactive: reactivate it "
                                 f"before putting it in kit {kit.sku}. Nothing was changed.")
        if session.scalar(select(exists().where(ProductComponent.kit_id == part.id))):
            raise ProductRefused("kit-in-kit", f"{describe(part.sku, part.name)} is itself a kit: a kit cannot be "
                                 f"part of another kit. Put its components in {kit.sku} instead.")


def _current(session: Session, kit_id: int) -> list[list[object]]:
    return [[sku, quantity] for sku, quantity in session.execute(
        select(Product.sku, ProductComponent.quantity).join(ProductComponent, ProductComponent.component_id
                                                              == Product.id)
        .where(ProductComponent.kit_id == kit_id).order_by(Product.sku))]
