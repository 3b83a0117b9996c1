"""Writing what a carrier said about a shipment: its new scans, its state, its delivery.

Invariants (settled by the database, whichever station polls):

* A scan is recorded once: ``INSERT … ON CONFLICT DO NOTHING`` on ``tracking_events``'
  unique (shipment, instant, code); a repeated poll, or two stations at once, add nothing.
* The state never goes back: the shipment's state and ``last_event_at`` change only when
  the answer's newest scan is at least as new as the one recorded (a conditional UPDATE).
* ``delivered_at`` is written once (``WHERE delivered_at IS NULL``).

Threading: takes an open session; blocking (database).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fulfilstation.carriers.gateway import TrackingState, TrackingStatus
from fulfilstation.db.models import Shipment, TrackingEvent


@dataclass(frozen=True)
class Recorded:
    events_added: int
    updated: bool
    delivered: bool


def record_status(session: Session, shipment_id: int, status: TrackingStatus) -> Recorded:
    added = _insert_events(session, shipment_id, status)
    newest = max((e.occurred_at for e in status.events), default=None)
    moved = Shipment.last_event_at.is_(None) if newest is None else or_(
        Shipment.last_event_at.is_(None), Shipment.last_event_at <= newest)
    values: dict[str, Any] = {"tracking_state": status.state.value}
    if newest is not None:
        values["last_event_at"] = newest
    updated = _rows(session.execute(
        update(Shipment).where(Shipment.id == shipment_id, moved,
                               or_(Shipment.tracking_state.is_(None), Shipment.tracking_state != status.state.value,
                                   Shipment.last_event_at.is_(None) if newest is None
                                   else Shipment.last_event_at != newest))
        .values(**values).execution_options(synchronize_session=False)))
    delivered = 0
    if status.state is TrackingState.DELIVERED:
        at = status.delivered_at or newest
        if at is not None:
            delivered = _rows(session.execute(
                update(Shipment).where(Shipment.id == shipment_id, Shipment.delivered_at.is_(None))
                .values(delivered_at=at).execution_options(synchronize_session=False)))
    return Recorded(added, bool(updated), bool(delivered))


def _insert_events(session: Session, shipment_id: int, status: TrackingStatus) -> int:
    if not status.events:
        return 0
    seen: set[tuple[object, str]] = set()
    rows = []
    for event in status.events:
        key = (event.occurred_at, event.code[:64])
        if key in seen:
            continue
        seen.add(key)
        rows.append({"shipment_id": shipment_id, "occurred_at": event.occurred_at, "code": event.code[:64],
                     "description": event.description[:300], "location": (event.location or None) and
                     event.location[:200]})
    insert: Any = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = typing.cast(Table, TrackingEvent.__table__)
    statement = (insert(table).values(rows)
                 .on_conflict_do_nothing(index_elements=[table.c.shipment_id, table.c.occurred_at, table.c.code])
                 .returning(table.c.id))
    return len(session.connection().execute(statement).all())


def _rows(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
