"""The site's choice for orders that cannot be fully reserved (site setting
``partial_shipments``, an owner's): off (the default), such an order waits whole as a
backorder; on, it ships what is in stock now and the rest waits as a backorder of its own
(``services/orders/partial``).

Invariants: the stored value is a JSON bool; anything else (never set, a hand-edited row)
reads as off. Each change is one transaction with its audit entry
``site.partial_shipments_changed`` (``settings.store_setting``).

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import SiteSetting
from fulfilstation.services.actor import Actor
from fulfilstation.services.site.settings import store_setting

PARTIAL_SHIPMENTS_SETTING = "partial_shipments"


def partial_shipments_of(session: Session) -> bool:
    """True when short orders ship what is there (the rest later); False when never set."""
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == PARTIAL_SHIPMENTS_SETTING))
    return value is True


def set_partial_shipments(database: Database, actor: Actor, on: bool) -> bool:
    """Store the choice (audited as ``site.partial_shipments_changed``)."""
    store_setting(database, actor, PARTIAL_SHIPMENTS_SETTING, bool(on))
    return bool(on)
