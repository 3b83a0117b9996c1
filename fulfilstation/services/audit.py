"""Writing the audit log: every change names its actor (user and station); and the one
look-up a refusal needs from it (who did something last, ``last_done``).

``record`` adds the entry to the caller's unit of work, so it commits with the change it
describes or not at all. The log is append-only (database triggers refuse UPDATE/DELETE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.models import AuditEntry, User
from fulfilstation.services.actor import Actor


def record(session: Session, actor: Actor, action: str, entity_type: str | None = None,
           entity_id: int | None = None, details: dict[str, Any] | None = None) -> None:
    session.add(AuditEntry(user_id=actor.user_id, station_id=actor.station_id, action=action,
                           entity_type=entity_type, entity_id=entity_id, details=_signed(actor, details or {})))


_AUDIT_LOG = cast(Table, AuditEntry.__table__)  # Core: a bulk INSERT without the ORM's per-row bookkeeping


def record_many(session: Session, actor: Actor, action: str, entity_type: str,
                entries: Sequence[tuple[int | None, dict[str, Any]]]) -> None:
    """``record`` for many entities at once (one bulk INSERT): (entity id, details) each."""
    if not entries:
        return
    when = utcnow()
    session.execute(insert(_AUDIT_LOG), [
        {"occurred_at": when, "user_id": actor.user_id, "station_id": actor.station_id, "action": action,
         "entity_type": entity_type, "entity_id": entity_id,
         "details": _signed(actor, details)} for entity_id, details in entries])


def _signed(actor: Actor, details: dict[str, Any]) -> dict[str, Any]:
    """An entry's details with who made the change and how they signed in."""
    return {**details, "by": actor.username, "via": actor.method}


@dataclass(frozen=True)
class Done:
    """Who did an audited action (their full name), when, and its details."""

    who: str
    at: dt.datetime
    details: dict[str, Any]


def last_done(session: Session, action: str, entity_type: str, entity_id: int) -> Done | None:
    """The latest ``action`` on the entity, or None when the log has none."""
    row = session.execute(select(AuditEntry, User.full_name).outerjoin(User, User.id == AuditEntry.user_id)
                          .where(AuditEntry.action == action, AuditEntry.entity_type == entity_type,
                                 AuditEntry.entity_id == entity_id)
                          .order_by(AuditEntry.id.desc()).limit(1)).first()
    if row is None:
        return None
    entry, name = row
    details = dict(entry.details or {})
    return Done(name or str(details.get("by") or "someone"), entry.occurred_at, details)
