"""An order's lines as customs sees them, read from the database, and what they lack.

* ``incoming_customs_problem``: the intake finding (code ``customs-data``, holding) for an
  order crossing the border whose lines' products lack an HS code or origin. The products are
  found by SKU as intake finds them (exactly, then without regard to case); SKUs not in the
  catalogue are intake's ``unknown-sku`` finding, not this one.
* ``order_customs_gaps``: the same rule on a stored order (its top-level lines: a kit is
  declared as the kit, its components are not lines of their own), for the pack refusal.
* ``declared_lines``: the stored order's lines for ``carriers.customs.build_customs``;
  ``order_customs``: the port's ``Customs`` of a stored order crossing the border (None at
  home), what a carrier gateway's ``RateRequest``/``ShipmentRequest`` carries.

Reads only, in the caller's session. The ship-from country is the site's
(``site.customs.ship_from_country_of``); while it is not set, nothing is held.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fulfilstation.carriers.customs import (
    DeclaredLine,
    build_customs,
    crosses_border,
    customs_gaps_words,
    missing_customs_data,
)
from fulfilstation.carriers.gateway import Customs
from fulfilstation.db.models import Order, OrderLine, Product
from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.services.orders.intake.findings import IntakeProblem
from fulfilstation.services.site.customs import customs_terms_of, ship_from_country_of

CUSTOMS_CODE = "customs-data"


def incoming_customs_problem(session: Session, incoming: IncomingOrder,
                             ship_from_country: str | None) -> IntakeProblem | None:
    """The holding finding naming each SKU and what it lacks, or None."""
    if not crosses_border(ship_from_country, incoming.ship_to_country):
        return None
    skus = [line.sku.strip() for line in incoming.lines if line.sku.strip()]
    if not skus:
        return None
    products = _products_by_sku(session, skus)
    lines = [DeclaredLine(product[0], product[1], line.quantity, 0, incoming.currency, 0, product[2], product[3])
             for line in incoming.lines if (product := _match(products, line.sku.strip())) is not None]
    gaps = missing_customs_data(lines)
    return IntakeProblem(CUSTOMS_CODE, customs_gaps_words(gaps)) if gaps else None


def declared_lines(session: Session, order_id: int) -> list[DeclaredLine]:
    """The order's top-level lines (kit parents as the kit), in line order."""
    currency = session.scalar(select(Order.currency).where(Order.id == order_id)) or "USD"
    rows = session.execute(select(Product.sku, Product.name, OrderLine.quantity, OrderLine.unit_price_minor,
                                  Product.weight_g, Product.hs_code, Product.country_of_origin)
                           .join(Product, Product.id == OrderLine.product_id)
                           .where(OrderLine.order_id == order_id, OrderLine.kit_line_id.is_(None))
                           .order_by(OrderLine.line_no)).all()
    return [DeclaredLine(sku, name, quantity, price, currency, weight, hs, origin)
            for sku, name, quantity, price, weight, hs, origin in rows]


def order_customs(session: Session, order_id: int) -> Customs | None:
    """The declaration of a stored order leaving the ship-from country (None when it stays),
    with the site's terms and the order number as invoice number. Raises ValueError naming the
    SKUs that lack an HS code or origin (packing refuses such an order before it gets here)."""
    order = session.get_one(Order, order_id)
    if not crosses_border(ship_from_country_of(session), order.ship_to_country):
        return None
    return build_customs(declared_lines(session, order_id), customs_terms_of(session), invoice_number=order.number)


def order_value(session: Session, order_id: int) -> int:
    """The order's declared value: its top-level lines' unit price × quantity (its currency)."""
    return int(session.scalar(select(func.coalesce(func.sum(OrderLine.unit_price_minor * OrderLine.quantity), 0))
                              .where(OrderLine.order_id == order_id, OrderLine.kit_line_id.is_(None))) or 0)


def order_customs_gaps(session: Session, order: Order, ship_from_country: str | None) -> str | None:
    """The customs message for a stored order crossing the border whose products lack data, or None."""
    if not crosses_border(ship_from_country, order.ship_to_country):
        return None
    gaps = missing_customs_data(declared_lines(session, order.id))
    return customs_gaps_words(gaps) if gaps else None


_ProductRow = tuple[str, str, str | None, str | None]


def _products_by_sku(session: Session, skus: Iterable[str]) -> tuple[dict[str, _ProductRow], dict[str, _ProductRow]]:
    """The products of ``skus``: by exact SKU, and by case-folded SKU (first found)."""
    wanted = set(skus)
    folded = {sku.casefold() for sku in wanted}
    rows = session.execute(select(Product.sku, Product.name, Product.hs_code, Product.country_of_origin)
                           .where(or_(Product.sku.in_(wanted), func.lower(Product.sku).in_(folded)))
                           .order_by(Product.id)).all()
    exact: dict[str, _ProductRow] = {}
    by_fold: dict[str, _ProductRow] = {}
    for sku, name, hs, origin in rows:
        exact[sku] = (sku, name, hs, origin)
        by_fold.setdefault(sku.casefold(), (sku, name, hs, origin))
    return exact, by_fold


def _match(products: tuple[dict[str, _ProductRow], dict[str, _ProductRow]], sku: str) -> _ProductRow | None:
    exact, by_fold = products
    return exact.get(sku) or by_fold.get(sku.casefold())
