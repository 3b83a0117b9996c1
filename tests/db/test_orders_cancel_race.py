"""Two managers cancel the same orders at the same moment (threads, each with its own
connection, SQLite and PostgreSQL): for every order exactly one cancel succeeds and the
other is told it is already cancelled; the stock is given back once, and the audit log and
the outbox hold one ``order.cancelled`` per order."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, OutboxMessage
from fulfilstation.services.orders import OrderRefused
from tests.support.app import app_for, sign_in
from tests.support.orders import allocations_of, reserved_levels
from tests.support.warehouse import make_order

ORDERS = 8
DESKS = (("manager", "DESK-1"), ("owner", "DESK-2"))


def test_two_managers_cancelling_at_once_exactly_one_succeeds(seeded_database: Database) -> None:
    db = seeded_database
    numbers = [make_order(db, [("MUG-ENA-300", 1), ("SOAP-OAT-100", 2)]) for _ in range(ORDERS)]
    held = {level: 0 for level in reserved_levels(db)}
    for number in numbers:
        for level, units in allocations_of(db, number).items():
            held[level] += units
    reserved = reserved_levels(db)
    url = db.engine.url
    barrier = threading.Barrier(len(DESKS))
    outcomes: dict[str, list[str]] = {number: [] for number in numbers}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def desk(username: str, station: str) -> None:
        database = Database.connect(url)
        try:
            app = app_for(database, station=station)
            actor = sign_in(app, username)
            for number in numbers:
                barrier.wait(timeout=60)
                try:
                    app.orders.cancel(actor, number, f"Cancelled by {username}")
                    outcome = "cancelled"
                except OrderRefused as refused:
                    outcome = refused.code
                with lock:
                    outcomes[number].append(outcome)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
            barrier.abort()
        finally:
            database.dispose()

    threads = [threading.Thread(target=desk, args=pair) for pair in DESKS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not errors, errors
    assert {number: sorted(found) for number, found in outcomes.items()} == {
        number: ["cancelled", "order-cancelled"] for number in numbers}
    assert reserved_levels(db) == {level: units - held[level] for level, units in reserved.items()}
    assert all(allocations_of(db, number) == {} for number in numbers)
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "order.cancelled")) == ORDERS
        assert session.scalar(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.topic == "order.cancelled")) == ORDERS
