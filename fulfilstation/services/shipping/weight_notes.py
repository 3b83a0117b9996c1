"""The weights managers accepted for a shipment's packages, in words, from their
``weight.override`` audit entries (the shipped banner says them). Read-only; blocking."""

from __future__ import annotations

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Package
from fulfilstation.domain.weight_check import override_words


def weight_acceptances(database: Database, shipment_id: int) -> tuple[str, ...]:
    """``"Weight accepted by NAME at W (D light): REASON"`` per overridden package, in order."""
    with database.unit_of_work() as session:
        rows = session.execute(select(AuditEntry.details).join(Package, Package.id == AuditEntry.entity_id)
                               .where(AuditEntry.action == "weight.override", AuditEntry.entity_type == "package",
                                      Package.shipment_id == shipment_id)
                               .order_by(Package.sequence, AuditEntry.id)).scalars().all()
    return tuple("Weight " + override_words(details or {}) for details in rows)

