"""Pending orders, kits and stock placed to measure for the reserve and kit tests.

Orders are made ``pending`` with nothing reserved (as a shop import leaves them); stock is
placed in named demo bins (``A-01-1`` is pickable, ``A-01-2`` storage: the seed's layout),
each level explained by a ``receive`` stock move, so the ledger stays whole."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    Bin,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    ProductComponent,
    StockLevel,
    StockMove,
)

_numbers = itertools.count(1)


def new_product(database: Database, sku: str, *, weight_g: int = 100, lot_tracked: bool = False,
                barcode: str | None = None, size_mm: tuple[int, int, int] = (100, 80, 50)) -> None:
    with database.unit_of_work() as session:
        product = Product(sku=sku, name=f"Test {sku}", weight_g=weight_g, length_mm=size_mm[0], width_mm=size_mm[1],
                          height_mm=size_mm[2], lot_tracked=lot_tracked, unit_price_minor=500)
        if barcode:
            product.barcodes.append(ProductBarcode(code=barcode, pack_quantity=1))
        session.add(product)


def make_kit(database: Database, sku: str, components: list[tuple[str, int]], *, barcode: str | None = None,
             weight_g: int = 5000) -> None:
    """A kit product made of ``(component sku, per kit)``; its own weight is deliberately
    absurd, so a test sees when it is counted instead of its components'."""
    new_product(database, sku, weight_g=weight_g, barcode=barcode)
    with database.unit_of_work() as session:
        kit_id = session.scalars(select(Product.id).where(Product.sku == sku)).one()
        for component, quantity in components:
            component_id = session.scalars(select(Product.id).where(Product.sku == component)).one()
            session.add(ProductComponent(kit_id=kit_id, component_id=component_id, quantity=quantity))


def put_stock(database: Database, sku: str, bin_code: str, on_hand: int, *, lot: str = "",
              expiry: dt.date | None = None) -> int:
    """Receive ``on_hand`` units of ``sku`` (``lot``) into ``bin_code``; the stock level's id."""
    with database.unit_of_work() as session:
        product_id = session.scalars(select(Product.id).where(Product.sku == sku)).one()
        bin_id = session.scalars(select(Bin.id).where(Bin.code == bin_code)).one()
        level = StockLevel(product_id=product_id, bin_id=bin_id, lot_code=lot, expiry_date=expiry, on_hand=on_hand,
                           reserved=0)
        session.add(level)
        session.add(StockMove(product_id=product_id, to_bin_id=bin_id, lot_code=lot, quantity=on_hand,
                              reason="receive", note="test stock"))
        session.flush()
        return level.id


def pending_order(database: Database, lines: list[tuple[str, int]], *, ship_by: dt.date | None = None,
                  hold: str | None = None) -> str:
    """A pending order for ``(sku, quantity)`` lines, nothing reserved."""
    number = f"P-{next(_numbers):05d}"
    with database.unit_of_work() as session:
        order = Order(channel="test", external_id=number, number=number, status="pending",
                      ship_to_name="Test Person", ship_to_line1="1 Test St", ship_to_city="Springfield",
                      ship_to_region="IL", ship_to_postal_code="62704", ship_to_country="US",
                      ship_by=ship_by or dt.date.today(), hold=hold is not None, hold_reason=hold)
        session.add(order)
        session.flush()
        for line_no, (sku, quantity) in enumerate(lines, start=1):
            product_id = session.scalars(select(Product.id).where(Product.sku == sku)).one()
            session.add(OrderLine(order_id=order.id, line_no=line_no, product_id=product_id, quantity=quantity,
                                  unit_price_minor=1000))
    return number


def status_of(database: Database, number: str) -> str:
    with database.unit_of_work() as session:
        return session.scalars(select(Order.status).where(Order.number == number)).one()


def lines_of(database: Database, number: str) -> list[tuple[int, str, int, int | None]]:
    """The order's lines: (line no, sku, quantity, line no of the kit line it belongs to)."""
    with database.unit_of_work() as session:
        rows = session.execute(select(OrderLine.id, OrderLine.line_no, Product.sku, OrderLine.quantity,
                                      OrderLine.kit_line_id)
                               .join(Product, Product.id == OrderLine.product_id).join(Order)
                               .where(Order.number == number).order_by(OrderLine.line_no)).all()
    numbers = {line_id: line_no for line_id, line_no, *_rest in rows}
    return [(line_no, sku, quantity, numbers[kit] if kit else None) for _id, line_no, sku, quantity, kit in rows]


def reserved_by_bin(database: Database, number: str) -> dict[tuple[str, str, str], int]:
    """The order's reservations: (sku, bin, lot) → units."""
    with database.unit_of_work() as session:
        rows = session.execute(select(Product.sku, Bin.code, StockLevel.lot_code, func.sum(Allocation.quantity))
                               .join(OrderLine, OrderLine.id == Allocation.order_line_id)
                               .join(Order, Order.id == OrderLine.order_id)
                               .join(StockLevel, StockLevel.id == Allocation.stock_level_id)
                               .join(Bin, Bin.id == StockLevel.bin_id)
                               .join(Product, Product.id == StockLevel.product_id)
                               .where(Order.number == number)
                               .group_by(Product.sku, Bin.code, StockLevel.lot_code)).all()
    return {(sku, code, lot): int(units) for sku, code, lot, units in rows}


def level_figures(database: Database, sku: str) -> dict[tuple[str, str], tuple[int, int]]:
    """The product's stock levels: (bin, lot) → (on hand, reserved)."""
    with database.unit_of_work() as session:
        rows = session.execute(select(Bin.code, StockLevel.lot_code, StockLevel.on_hand, StockLevel.reserved)
                               .join(Bin, Bin.id == StockLevel.bin_id).join(Product)
                               .where(Product.sku == sku)).all()
    return {(code, lot): (on_hand, reserved) for code, lot, on_hand, reserved in rows}


def allocations_match_reserved(database: Database) -> bool:
    """Every stock level's ``reserved`` is the sum of its allocations."""
    with database.unit_of_work() as session:
        held = dict(session.execute(select(Allocation.stock_level_id, func.sum(Allocation.quantity))
                                    .group_by(Allocation.stock_level_id)).all())
        levels = session.execute(select(StockLevel.id, StockLevel.reserved)).all()
    return all(int(held.get(level_id) or 0) == reserved for level_id, reserved in levels)
