"""Helpers for receiving tests: GS1-128 element strings, stock read back, product flags."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, ProductComponent, StockLevel, StockMove
from fulfilstation.domain.scan_codes import GS


def gs1_128(gtin14: str, *, expiry: dt.date | None = None, lot: str | None = None,
            serial: str | None = None) -> str:
    """A GS1-128 element string as a scanner sends it: (01)(17)(10)(21), GS after variable fields."""
    text = f"01{gtin14}"
    if expiry is not None:
        text += f"17{expiry:%y%m%d}"
    if lot is not None:
        text += f"10{lot}" + (GS if serial is not None else "")
    if serial is not None:
        text += f"21{serial}"
    return text


def on_hand(database: Database, sku: str, bin_code: str, lot: str = "") -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.coalesce(func.sum(StockLevel.on_hand), 0))
                                  .join(Product, Product.id == StockLevel.product_id)
                                  .join(Bin, Bin.id == StockLevel.bin_id)
                                  .where(Product.sku == sku, Bin.code == bin_code, StockLevel.lot_code == lot)) or 0)


def expiry_of(database: Database, sku: str, bin_code: str, lot: str) -> dt.date | None:
    with database.unit_of_work() as session:
        return session.scalar(select(StockLevel.expiry_date).join(Product, Product.id == StockLevel.product_id)
                              .join(Bin, Bin.id == StockLevel.bin_id)
                              .where(Product.sku == sku, Bin.code == bin_code, StockLevel.lot_code == lot))


def received_moves(database: Database, receipt_number: str | None = None) -> int:
    """Units in ``receive`` stock moves (of one receipt: its note names it)."""
    with database.unit_of_work() as session:
        query = select(func.coalesce(func.sum(StockMove.quantity), 0)).where(StockMove.reason == "receive")
        if receipt_number is not None:
            query = query.where(StockMove.note == f"Receipt {receipt_number}")
        return int(session.scalar(query) or 0)


def set_flags(database: Database, sku: str, **flags: object) -> None:
    with database.unit_of_work() as session:
        session.execute(update(Product).where(Product.sku == sku).values(**flags))


def make_kit(database: Database, kit_sku: str, component_sku: str) -> None:
    with database.unit_of_work() as session:
        kit = session.scalars(select(Product.id).where(Product.sku == kit_sku)).one()
        component = session.scalars(select(Product.id).where(Product.sku == component_sku)).one()
        session.add(ProductComponent(kit_id=kit, component_id=component, quantity=2))
