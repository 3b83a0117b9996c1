"""The packages whose weight a manager accepted outside the expected range, for the desk (the
dashboard's "Weight overrides today" and the Shipments screen's list behind it).

The rule is one (``overridden_in``, which the dashboard's count uses too): a package with
``packages.weight_override_by_id`` set, in a shipment made in ``[start, end)`` (UTC; voided
shipments included: the weight was accepted all the same). Each row says the order, the
package, the measured and expected weight, who accepted it and why, and when: the reason,
the accepted range and the moment come from the package's ``weight.override`` audit entry
(the latest when there are several); without one (a package written before the audit
named them) the range, reason and moment are empty. Who accepted is the package's
``weight_override_by_id`` user (their name now), else the name the audit entry kept. Newest
shipment first.

Threading: blocking (database); call from worker threads. Read-only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Order, Package, Shipment, Station, User
from fulfilstation.domain.enums import ShipmentStatus

OVERRIDE_ACTION = "weight.override"


@dataclass(frozen=True)
class WeightOverride:
    """One package whose weight a manager accepted out of range."""

    package_id: int
    shipment_id: int
    order_number: str
    package: int  # its sequence in the shipment (1, 2 …)
    tracking_number: str | None
    measured_g: int
    expected_g: int
    min_g: int | None  # the accepted range then (None: no audit entry says it)
    max_g: int | None
    accepted_by: str  # the manager's or owner's full name
    reason: str  # "" when no audit entry says it
    accepted_at: dt.datetime | None  # the audit entry's moment
    shipped_at: dt.datetime  # the shipment's
    station: str | None
    status: ShipmentStatus  # the shipment's

    @property
    def difference_g(self) -> int:
        """Measured − expected: positive heavy, negative light."""
        return self.measured_g - self.expected_g


def overridden_in(start: dt.datetime, end: dt.datetime) -> ColumnElement[bool]:
    """The criteria over ``Package`` joined to its ``Shipment``: a weight accepted out of
    range, in a shipment made in ``[start, end)``."""
    return and_(Package.weight_override_by_id.is_not(None), Shipment.created_at >= start, Shipment.created_at < end)


def count_weight_overrides(session: Session, start: dt.datetime, end: dt.datetime) -> int:
    """How many packages ``weight_overrides`` would list for ``[start, end)``."""
    return int(session.scalar(select(func.count()).select_from(Package)
                              .join(Shipment, Shipment.id == Package.shipment_id)
                              .where(overridden_in(start, end))) or 0)


def weight_overrides(database: Database, start: dt.datetime, end: dt.datetime) -> list[WeightOverride]:
    """Every package whose weight was accepted out of range in a shipment made in ``[start, end)``."""
    query = (select(Package.id, Package.shipment_id, Order.number, Package.sequence, Package.tracking_number,
                    Package.weight_measured_g, Package.weight_expected_g, User.full_name, Shipment.created_at,
                    Shipment.status, Station.name)
             .join(Shipment, Shipment.id == Package.shipment_id)
             .join(Order, Order.id == Shipment.order_id)
             .outerjoin(User, User.id == Package.weight_override_by_id)
             .outerjoin(Station, Station.id == Shipment.station_id)
             .where(overridden_in(start, end))
             .order_by(Shipment.created_at.desc(), Shipment.id.desc(), Package.sequence))
    with database.unit_of_work() as session:
        rows = session.execute(query).all()
        audits = _audits(session, [row[0] for row in rows])
    return [_override(row, audits.get(row[0])) for row in rows]


def _audits(session: Session, package_ids: list[int]) -> dict[int, tuple[dt.datetime, dict[str, Any]]]:
    """Each package's latest ``weight.override`` entry: (when, details)."""
    found: dict[int, tuple[dt.datetime, dict[str, Any]]] = {}
    if package_ids:
        for entity_id, occurred_at, details in session.execute(
                select(AuditEntry.entity_id, AuditEntry.occurred_at, AuditEntry.details)
                .where(AuditEntry.action == OVERRIDE_ACTION, AuditEntry.entity_type == "package",
                       AuditEntry.entity_id.in_(package_ids))
                .order_by(AuditEntry.id)):
            found[int(entity_id)] = (occurred_at, details if isinstance(details, dict) else {})
    return found


def _override(row: Any, audit: tuple[dt.datetime, dict[str, Any]] | None) -> WeightOverride:
    package_id, shipment_id, number, sequence, tracking, measured, expected, name, shipped, status, station = row
    details = audit[1] if audit else {}
    accepted_by = str(name or details.get("accepted_by") or "a manager")
    return WeightOverride(
        package_id=package_id, shipment_id=int(shipment_id), order_number=number, package=sequence,
        tracking_number=tracking, measured_g=measured, expected_g=expected, min_g=_grams(details.get("min_g")),
        max_g=_grams(details.get("max_g")), accepted_by=accepted_by,
        reason=str(details.get("reason") or ""), accepted_at=audit[0] if audit else None, shipped_at=shipped,
        status=ShipmentStatus(status), station=station)


def _grams(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
