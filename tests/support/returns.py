"""Returns for tests: a shipped order with prices on its lines, and stock read per bin."""

from __future__ import annotations

from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Order, OrderLine, Product, StockLevel
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from tests.support.shipped import ship_order


def shipped_order(app: AppServices, packer: Actor, lines: list[tuple[str, int]], *, price_minor: int = 1000,
                  service: str | None = None) -> str:
    """An order for ``lines`` packed and shipped by ``packer``, each unit priced ``price_minor``."""
    number, _printed = ship_order(app, packer, lines, service=service)
    with app.returns.database.unit_of_work() as session:
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        session.execute(update(OrderLine).where(OrderLine.order_id == order_id).values(unit_price_minor=price_minor))
    return number


def on_hand(database: Database, sku: str, bin_code: str) -> int:
    with database.unit_of_work() as session:
        found = session.scalar(select(StockLevel.on_hand).join(Product, Product.id == StockLevel.product_id)
                               .join(Bin, Bin.id == StockLevel.bin_id)
                               .where(Product.sku == sku, Bin.code == bin_code))
    return int(found or 0)


def refund_due(database: Database, order_number: str) -> bool:
    with database.unit_of_work() as session:
        return bool(session.scalars(select(Order.refund_due).where(Order.number == order_number)).one())
