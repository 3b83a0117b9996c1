"""Helpers of the cycle-count tests: units picked into a tote (a pick list line as the
picking area records it), a level's figures, and a product's barcodes."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Order, OrderLine, PickList, PickListLine, PickListOrder, Product, StockLevel

_lists = itertools.count(1)


def pick_into_tote(database: Database, order_number: str, sku: str, bin_code: str, quantity: int,
                   lot: str = "") -> int:
    """Record ``quantity`` units of the order's line of ``sku`` picked from ``bin_code`` into a
    tote (a pick list line with ``picked_quantity``; stock stays on hand until shipped). Its id."""
    with database.unit_of_work() as session:
        order_id, line_id, product_id = session.execute(
            select(Order.id, OrderLine.id, Product.id).join(OrderLine, OrderLine.order_id == Order.id)
            .join(Product, Product.id == OrderLine.product_id)
            .where(Order.number == order_number, Product.sku == sku)).one()
        bin_id = session.scalars(select(Bin.id).where(Bin.code == bin_code)).one()
        pick_list = PickList(number=f"PL-T{next(_lists)}-{order_number}", status="picking")
        session.add(pick_list)
        session.flush()
        session.add(PickListOrder(pick_list_id=pick_list.id, order_id=order_id, tote_code=f"TOTE-{pick_list.id}"))
        line = PickListLine(pick_list_id=pick_list.id, order_line_id=line_id, product_id=product_id, bin_id=bin_id,
                            lot_code=lot, quantity=quantity, picked_quantity=quantity)
        session.add(line)
        session.flush()
        return line.id


def on_hand(database: Database, sku: str, bin_code: str, lot: str = "") -> tuple[int, int]:
    """(on hand, reserved) of one level; (0, 0) when there is none."""
    with database.unit_of_work() as session:
        row = session.execute(select(StockLevel.on_hand, StockLevel.reserved)
                              .join(Product, Product.id == StockLevel.product_id)
                              .join(Bin, Bin.id == StockLevel.bin_id)
                              .where(Product.sku == sku, Bin.code == bin_code, StockLevel.lot_code == lot)).first()
        return (int(row[0]), int(row[1])) if row else (0, 0)


def bin_holding(database: Database, sku: str) -> tuple[str, int]:
    """The bin holding the most free units of ``sku`` (where ``make_order`` reserves), and its on hand."""
    with database.unit_of_work() as session:
        row = session.execute(select(Bin.code, StockLevel.on_hand).join(StockLevel, StockLevel.bin_id == Bin.id)
                              .join(Product, Product.id == StockLevel.product_id)
                              .where(Product.sku == sku, StockLevel.on_hand > 0)
                              .order_by((StockLevel.on_hand - StockLevel.reserved).desc(), Bin.pick_sequence)).first()
        assert row is not None, sku
        return str(row[0]), int(row[1])
