"""The database itself refuses what must never happen, whatever the Python code does."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from fulfilstation.db.database import Database
from fulfilstation.db.engine import make_engine
from fulfilstation.db.models import (
    Allocation,
    CarrierAccount,
    CarrierService,
    NumberRange,
    Order,
    OrderLine,
    PackSession,
    Shipment,
    Station,
    StockLevel,
    User,
)
from fulfilstation.db.url import sqlite_url


def test_stock_cannot_go_negative_or_over_reserve(seeded_database: Database) -> None:
    with seeded_database.unit_of_work() as session:
        level = session.scalars(select(StockLevel).order_by(StockLevel.id)).first()
        assert level is not None
        level_id, on_hand = level.id, level.on_hand
    for change in ({"on_hand": -1}, {"reserved": -1}, {"reserved": on_hand + 1}):
        with pytest.raises(IntegrityError), seeded_database.unit_of_work() as session:
            session.execute(update(StockLevel).where(StockLevel.id == level_id).values(**change))


def test_conditional_reservation_has_one_winner(seeded_database: Database) -> None:
    """``reserved = reserved + q WHERE on_hand - reserved >= q`` never over-reserves."""
    with seeded_database.unit_of_work() as session:
        level = session.scalars(select(StockLevel).order_by(StockLevel.id)).first()
        assert level is not None
        level_id, available = level.id, level.on_hand - level.reserved
    reserve = (update(StockLevel).where(StockLevel.id == level_id,
                                        StockLevel.on_hand - StockLevel.reserved >= available)
               .values(reserved=StockLevel.reserved + available))
    with seeded_database.unit_of_work() as session:
        assert session.execute(reserve).rowcount == 1
    with seeded_database.unit_of_work() as session:
        assert session.execute(reserve).rowcount == 0


def test_one_open_pack_session_per_order(seeded_database: Database) -> None:
    with seeded_database.unit_of_work() as session:
        order_id = session.scalars(select(Order.id).order_by(Order.id)).first()
        user_id = session.scalars(select(User.id)).first()
        station = Station(name="PACK-T1")
        session.add(station)
        session.flush()
        session.add(PackSession(order_id=order_id, station_id=station.id, user_id=user_id))
        station_id = station.id
    with pytest.raises(IntegrityError), seeded_database.unit_of_work() as session:
        session.add(PackSession(order_id=order_id, station_id=station_id, user_id=user_id))
    with seeded_database.unit_of_work() as session:  # a closed session does not block a new one
        session.execute(update(PackSession).values(status="cancelled"))
        session.add(PackSession(order_id=order_id, station_id=station_id, user_id=user_id))


def test_tracking_number_is_unique(seeded_database: Database) -> None:
    with seeded_database.unit_of_work() as session:
        order_id = session.scalars(select(Order.id)).first()
        account = session.scalars(select(CarrierAccount)).first()
        assert account is not None
        service_id = session.scalars(select(CarrierService.id).where(
            CarrierService.carrier_id == account.carrier_id)).first()
        shipment = dict(order_id=order_id, carrier_account_id=account.id, service_id=service_id,
                        tracking_number="1Z0W1X230300000019")
        session.add(Shipment(**shipment))
    with pytest.raises(IntegrityError), seeded_database.unit_of_work() as session:
        session.add(Shipment(**shipment))


def test_order_is_unique_per_channel_and_external_id(seeded_database: Database) -> None:
    with seeded_database.unit_of_work() as session:
        order = session.scalars(select(Order)).first()
        assert order is not None
        duplicate = Order(channel=order.channel, external_id=order.external_id, number="SO-DUP",
                          ship_to_name="x", ship_to_line1="x", ship_to_city="x", ship_to_postal_code="1",
                          ship_to_country="US")
    with pytest.raises(IntegrityError), seeded_database.unit_of_work() as session:
        session.add(duplicate)


def test_number_range_cannot_run_past_its_end(seeded_database: Database) -> None:
    with seeded_database.unit_of_work() as session:
        number_range = session.scalars(select(NumberRange)).first()
        assert number_range is not None
        range_id, last = number_range.id, number_range.last_value
    with pytest.raises(IntegrityError), seeded_database.unit_of_work() as session:
        session.execute(update(NumberRange).where(NumberRange.id == range_id).values(next_value=last + 2))


def test_quantities_must_be_positive(seeded_database: Database) -> None:
    with pytest.raises(IntegrityError), seeded_database.unit_of_work() as session:
        session.execute(update(OrderLine).where(OrderLine.id == 1).values(quantity=0))
    with pytest.raises(IntegrityError), seeded_database.unit_of_work() as session:
        session.execute(update(Allocation).where(Allocation.id == 1).values(quantity=-2))


def test_foreign_keys_are_enforced(database: Database) -> None:
    """SQLite only enforces them with PRAGMA foreign_keys, which the engine turns on."""
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(text("INSERT INTO product_barcodes (product_id, code, pack_quantity) "
                                "VALUES (999999, '00000000000000', 1)"))


def test_sqlite_commits_are_durable(tmp_path: Path) -> None:
    """WAL with ``synchronous = FULL`` on every connection: a commit (a shipment whose label
    is then printed) is on the disk before it returns, and survives a power cut."""
    engine = make_engine(sqlite_url(tmp_path / "durable.sqlite3"))
    try:
        for _ in range(2):
            with engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        engine.dispose()
