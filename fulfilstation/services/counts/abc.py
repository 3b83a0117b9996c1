"""ABC classes by shipped value: units shipped × the order line's unit price, over the last
``days`` days (package items of shipments not voided, by the shipment's time).

Rule: active products sorted by shipped value, highest first (then SKU); a product is A
while the value before it is under ``a`` % of the total, B while under ``a + b`` %, else C; a
product that shipped nothing is C. ``classify`` stores ``products.abc_class`` for every
active product in one transaction with the audit entry ``counts.abc_classified``.

Threading: blocking (database).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, OrderLine, Package, PackageItem, Product, Shipment
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.counts.rules import CountRules, rules_of
from fulfilstation.services.counts.views import AbcClasses, AbcShare

CLASSES = ("A", "B", "C")


def shipped_figures(session: Session, since: dt.datetime, until: dt.datetime | None = None, *,
                    currency: str | None = None) -> dict[int, tuple[int, int]]:
    """Product id → (units shipped, shipped value in minor units) since ``since`` (up to, not
    including, ``until``): package items of shipments not voided, by the shipment's time.
    ``currency``: only orders in that currency (values of two currencies do not add up)."""
    rows = session.execute(
        select(PackageItem.product_id, func.sum(PackageItem.quantity),
               func.sum(PackageItem.quantity * OrderLine.unit_price_minor))
        .join(OrderLine, OrderLine.id == PackageItem.order_line_id)
        .join(Package, Package.id == PackageItem.package_id)
        .join(Shipment, Shipment.id == Package.shipment_id)
        .where(Shipment.status != ShipmentStatus.VOIDED.value, Shipment.created_at >= since,
               *([Shipment.created_at < until] if until is not None else []),
               *([OrderLine.order_id.in_(select(Order.id).where(Order.currency == currency))]
                 if currency is not None else []))
        .group_by(PackageItem.product_id))
    return {int(product_id): (int(units or 0), int(value or 0)) for product_id, units, value in rows}


def shipped_values(session: Session, since: dt.datetime, until: dt.datetime | None = None) -> dict[int, int]:
    """Product id → shipped value (minor units) since ``since`` (up to, not including, ``until``)."""
    return {product_id: value for product_id, (_units, value) in shipped_figures(session, since, until).items()}


def classes_for(values: dict[int, int], product_ids: list[int], rules: CountRules) -> dict[int, str]:
    """The class of each product (the rule in the module's docstring)."""
    total = sum(max(values.get(pid, 0), 0) for pid in product_ids)
    ranked = sorted(product_ids, key=lambda pid: -values.get(pid, 0))
    classes, before = {}, 0
    for pid in ranked:
        value = max(values.get(pid, 0), 0)
        if value <= 0 or total <= 0:
            classes[pid] = "C"
            continue
        share = 100.0 * before / total
        classes[pid] = "A" if share < rules.a_percent else "B" if share < rules.a_percent + rules.b_percent else "C"
        before += value
    return classes


def classify(database: Database, actor: Actor, now: dt.datetime) -> AbcClasses:
    with database.unit_of_work() as session:
        rules = rules_of(session)
        products = session.execute(select(Product.id, Product.sku, Product.abc_class)
                                   .where(Product.active.is_(True)).order_by(Product.sku)).all()
        values = shipped_values(session, now - dt.timedelta(days=rules.window_days))
        classes = classes_for(values, [row.id for row in products], rules)
        changed = [row for row in products if row.abc_class != classes[row.id]]
        for new_class in CLASSES:
            ids = [row.id for row in changed if classes[row.id] == new_class]
            if ids:
                session.execute(update(Product).where(Product.id.in_(ids)).values(abc_class=new_class))
        audit.record(session, actor, "counts.abc_classified", None, None,
                     {"window_days": rules.window_days, "a": rules.a_percent, "b": rules.b_percent,
                      "classes": dict(Counter(classes.values())), "changed": len(changed)})
        shares = class_shares(session, values)
    return AbcClasses(rules.window_days, shares, len(changed))


def abc_classes(database: Database, now: dt.datetime) -> AbcClasses:
    """The stored classes with their products' shipped value over the window and its share."""
    with database.unit_of_work() as session:
        rules = rules_of(session)
        values = shipped_values(session, now - dt.timedelta(days=rules.window_days))
        return AbcClasses(rules.window_days, class_shares(session, values))


def class_shares(session: Session, values: dict[int, int]) -> tuple[AbcShare, ...]:
    """Per stored class (a product never classified is C): its active products and their
    shipped value in ``values`` with its share of the whole."""
    rows = session.execute(select(Product.id, Product.abc_class).where(Product.active.is_(True))).all()
    counts: Counter[str] = Counter()
    worth: Counter[str] = Counter()
    for product_id, abc_class in rows:
        key = abc_class or "C"
        counts[key] += 1
        worth[key] += values.get(product_id, 0)
    total = sum(worth.values())
    return tuple(AbcShare(key, counts[key], worth[key], round(100.0 * worth[key] / total, 1) if total else 0.0)
                 for key in CLASSES)
