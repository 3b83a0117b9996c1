"""Helpers for the outbox tests: a shop channel named after ``make_order``'s orders, shipments
packed and shipped through the use cases, and outbox rows read straight from the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, OutboxMessage, Product, StockLevel
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.integrations import ChannelFields
from fulfilstation.services.packing import Weighing
from tests.support.app import sign_in
from tests.support.warehouse import expected_weight, make_order, scan_units

CHANNEL = "test"  # make_order files its orders under this channel


def add_shop(app: AppServices, name: str = CHANNEL, **settings: Any) -> None:
    owner = sign_in(app, "owner")
    app.integrations.add_channel(owner, ChannelFields(name, "shopify", "https://test.myshopify.com", "gid://loc/1",
                                                      settings))


def ship_order(app: AppServices, lines: list[tuple[str, int]], *, packages: int = 1,
               packer: Actor | None = None) -> tuple[str, int]:
    """Make, pack and ship an order (each line in its own package when ``packages`` > 1);
    returns its number and the shipment id."""
    database = app.packing.database
    packer = packer or sign_in(app, "packer")
    number = make_order(database, lines)
    session_id = app.packing.start(packer, number).session_id
    for index, line in enumerate(lines):
        scan_units(app, packer, session_id, [line])
        if packages > 1 and index < len(lines) - 1:
            app.packing.close_package(packer, session_id, Weighing(expected_weight(database, session_id)))
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(database, session_id)))
    return number, outcome.shipment_id


def messages(database: Database, topic: str | None = None) -> list[OutboxMessage]:
    with database.unit_of_work() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if topic is not None:
            query = query.where(OutboxMessage.topic == topic)
        rows = list(session.scalars(query))
        session.expunge_all()
    return rows


def sellable_bin_of(database: Database, sku: str) -> str:
    with database.unit_of_work() as session:
        return session.scalars(select(Bin.code).join(StockLevel, StockLevel.bin_id == Bin.id)
                               .join(Product, Product.id == StockLevel.product_id)
                               .where(Product.sku == sku, Bin.kind.in_(("pickable", "storage")))
                               .order_by(Bin.code)).first() or ""
