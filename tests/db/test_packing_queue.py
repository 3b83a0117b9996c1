"""The packing queue shows the carrier and service each order will actually ship with —
the choice the quote (and the ship transaction) makes — rated for the whole queue in one
batch: the number of statements does not grow with the number of orders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier
from tests.support.app import app_for
from tests.support.warehouse import make_order


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_the_queue_shows_the_service_the_rules_choose(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    asked = make_order(db, [("MUG-CER-350", 1)], service="ups/ground")
    far = make_order(db, [("SOAP-LAV-100", 2)], postal_code="98101")
    rows = {order.number: order for order in app.packing.queue().orders}
    assert len(rows) > 10
    for number, row in rows.items():
        quote = app.orders.quote(number)
        assert row.service == f"{quote.carrier_name} · {quote.service_name}", number
    assert rows[asked].requested and rows[asked].service is not None and "Ground" in rows[asked].service
    assert not rows[far].requested


def test_the_queue_is_rated_in_one_batch(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    with statements(db) as before:
        small = app.packing.queue()
    for _ in range(15):
        make_order(db, [("MUG-CER-350", 1), ("SOAP-LAV-100", 1)])
    with statements(db) as after:
        large = app.packing.queue()
    assert len(large.orders) == len(small.orders) + 15
    assert len(after) == len(before) <= 30


def test_an_order_no_service_can_take_says_why(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    number = make_order(db, [("MUG-CER-350", 1)])
    with db.unit_of_work() as session:
        session.execute(update(Carrier).values(active=False))
    row = next(order for order in app.packing.queue().orders if order.number == number)
    assert row.service is None and row.no_service
