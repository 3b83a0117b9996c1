"""Writing what ``decide`` planned, inside the intake's transaction.

* new orders: bulk Core INSERTs (orders, then all their lines), never one ORM flush per
  row; their ids come from RETURNING in the order given (SQLite), or on PostgreSQL are
  drawn from the sequence first and the rows go in by COPY (an executemany there runs one
  statement per row on the server; a RETURNING batch is one huge statement psycopg parses
  slowly);
* changes: each a conditional UPDATE on the status the order had when it was read
  (pending/ready for an update or a cancel), so a station that claimed the order
  meanwhile wins and the change is reported lost (``take_lost``) instead of applied;
  replaced lines give back their reserved stock (the cancel's release: allocations
  deleted with RETURNING, each level's ``reserved`` lowered by a conditional UPDATE) and
  put the order back to pending; so does an update that leaves the order held by intake
  (unpaid now, a new finding, the shop's hold): a held order keeps no stock from others;
  once its hold lifts (a later re-import) it is reserved again on arrival. What a change
  gave back is named in its audit entry and its SKUs in ``Change.freed``, so the caller
  reserves the backorders waiting for them once the transaction committed;
* audit: ``order.cancelled`` / ``order.held`` (by the shop), ``order.intake_updated``,
  ``order.address_corrected`` per order; the batch's ``orders.imported`` is the caller's.

Threading: runs on the intake's thread and session.
"""

from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import JSON, Table, delete, insert, text, update
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import rows_changed
from fulfilstation.db.models import Order, OrderLine
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.imports import RowProblem
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.cancel import _json, _release
from fulfilstation.services.orders.intake.decide import OPEN, Change, NewOrder
from fulfilstation.services.orders.intake.known import chunks
from fulfilstation.services.orders.views import Reservation
from fulfilstation.services.picking.closing import finish_lists_of

BATCH = 1000
# PostgreSQL caches each connection's foreign-key check plans; made while ``orders`` was
# small (a new site's first import) they scan it whole for every line, which grows with
# the square of the import. ANALYZE (it counts this transaction's rows) replans them.
ANALYZE_AFTER = 200
_NEXT_IDS = text("SELECT nextval(pg_get_serial_sequence('orders', 'id')) FROM generate_series(1, :count)")
ORDERS, LINES = cast(Table, Order.__table__), cast(Table, OrderLine.__table__)  # Core: no ORM work per row


def insert_new(session: Session, actor: Actor, news: list[NewOrder]) -> None:
    if not news:
        return
    if session.get_bind().dialect.name == "postgresql":  # ids from the sequence, then COPY
        ids = session.execute(_NEXT_IDS, {"count": len(news)}).scalars().all()
        for new, order_id in zip(news, ids, strict=True):
            new.id = int(order_id)
        copy_rows(session, ORDERS, [{**new.row, "id": new.id} for new in news])
        if len(news) >= ANALYZE_AFTER:  # fresh statistics, so the lines' foreign-key checks use the index
            session.execute(text("ANALYZE orders"))
        copy_rows(session, LINES, [{**line, "order_id": new.id} for new in news for line in new.lines])
        if len(news) >= ANALYZE_AFTER:  # the next import's look-ups of these lines plan on today's size
            session.execute(text("ANALYZE order_lines"))
    else:
        for part in chunks(news, BATCH):
            ids = session.execute(insert(ORDERS).returning(ORDERS.c.id, sort_by_parameter_order=True),
                                  [new.row for new in part]).scalars().all()
            for new, order_id in zip(part, ids, strict=True):
                new.id = int(order_id)
        lines = [{**line, "order_id": new.id} for new in news for line in new.lines]
        for rows in chunks(lines, 5 * BATCH):
            session.execute(insert(LINES), list(rows))
    for new in news:
        if new.corrected is not None:
            audit.record(session, actor, "order.address_corrected", "order", new.id,
                         {"order": new.row["number"], **new.corrected})


def copy_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: ``rows`` into ``table`` by COPY (the fastest way in), the first one by an
    INSERT so the change feed records the table (it cannot see a COPY's table). Column
    defaults made in Python are filled here, JSON is sent as its text."""
    if not rows:
        return
    session.execute(insert(table), [rows[0]])
    if len(rows) == 1:
        return
    now = utcnow()
    defaults: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if column.name in rows[0] or default is None or column.primary_key:
            continue
        arg = getattr(default, "arg", None)
        defaults[column.name] = now if callable(arg) else arg
    names = [*rows[0], *defaults]
    json_columns = {column.name for column in table.columns if isinstance(column.type, JSON)}
    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(
            f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:  # names from the model, not input
        for row in rows[1:]:
            full = {**row, **defaults}
            copy.write_row([json.dumps(full[name]) if name in json_columns and full[name] is not None
                            else full[name] for name in names])


#: Fields a source may leave unsaid: an update without them keeps what the order has.
KEPT_WHEN_UNSAID = ("ordered_at", "shipping_charged_minor")


def apply_changes(session: Session, actor: Actor, changes: list[Change], source: str) -> None:
    for change in changes:
        if change.kind == "cancel":
            _cancel(session, actor, change, source)
        elif change.kind == "hold":
            _hold(session, actor, change, source)
        else:
            _update(session, actor, change, source)


def take_lost(changes: list[Change]) -> list[RowProblem]:
    return [RowProblem(change.first_line, f"order {change.known.number} changed while the file was read (a "
                       "station took it): the shop's changes were not applied", change.known.number, rejects=False)
            for change in changes if change.lost]


def _cancel(session: Session, actor: Actor, change: Change, source: str) -> None:
    known = change.known
    done = rows_changed(session, update(Order).where(Order.id == known.id, Order.status.in_(OPEN))
                        .values(status=OrderStatus.CANCELLED.value, hold=False, hold_reason=None,
                                shop_status="cancelled", backorder=False))
    if not done:
        change.lost = True
        return
    order = session.get(Order, known.id)
    assert order is not None
    released = _release(session, order)
    finish_lists_of(session, order.id)
    change.freed = _skus(released)
    audit.record(session, actor, "order.cancelled", "order", known.id, {
        "order": known.number, "reason": "Cancelled in the shop", "source": source,
        "released": [_json(reservation) for reservation in released]})


def _hold(session: Session, actor: Actor, change: Change, source: str) -> None:
    known = change.known
    done = rows_changed(session, update(Order).where(Order.id == known.id, Order.status == known.status,
                                                     Order.hold.is_(known.hold)).values(**change.values))
    if not done:
        change.lost = True
        return
    audit.record(session, actor, "order.held", "order", known.id, {
        "order": known.number, "reason": change.values["hold_reason"], "status": known.status, "source": source})


def _update(session: Session, actor: Actor, change: Change, source: str) -> None:
    known = change.known
    values: dict[str, Any] = {key: value for key, value in change.values.items()
                              if not (key in KEPT_WHEN_UNSAID and value is None)}
    held = bool(values.get("hold"))  # held by intake: it gives its stock back until the hold lifts
    if change.lines is not None or held:
        values.update(status=OrderStatus.PENDING.value, backorder=False)
    done = rows_changed(session, update(Order).where(Order.id == known.id, Order.status.in_(OPEN),
                                                     Order.hold.is_(known.hold)).values(**values))
    if not done:
        change.lost = True
        return
    details: dict[str, Any] = {"order": known.number, "source": source, "changed": list(change.changed)}
    if held:
        details["held"] = values.get("hold_reason")
    if change.lines is not None or held:
        order = session.get(Order, known.id)
        assert order is not None
        released = _release(session, order)
        change.freed = _skus(released)
        details["released"] = [_json(reservation) for reservation in released]
    if change.lines is not None:
        session.execute(delete(OrderLine).where(OrderLine.order_id == known.id)
                        .execution_options(synchronize_session=False))
        if change.lines:
            session.execute(insert(OrderLine), [{**line, "order_id": known.id} for line in change.lines])
    audit.record(session, actor, "order.intake_updated", "order", known.id, details)
    if change.corrected is not None:
        audit.record(session, actor, "order.address_corrected", "order", known.id,
                     {"order": known.number, **change.corrected})


def _skus(released: tuple[Reservation, ...]) -> tuple[str, ...]:
    return tuple(sorted({reservation.sku for reservation in released}))
