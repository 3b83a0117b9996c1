"""Writing the audit log: every change names its actor (user and station).

``record`` adds the entry to the caller's unit of work, so it commits with the change it
describes or not at all. The log is append-only (database triggers refuse UPDATE/DELETE).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fulfilstation.db.models import AuditEntry
from fulfilstation.services.actor import Actor


def record(session: Session, actor: Actor, action: str, entity_type: str | None = None,
           entity_id: int | None = None, details: dict[str, Any] | None = None) -> None:
    session.add(AuditEntry(user_id=actor.user_id, station_id=actor.station_id, action=action,
                           entity_type=entity_type, entity_id=entity_id,
                           details={**(details or {}), "by": actor.username, "via": actor.method}))
