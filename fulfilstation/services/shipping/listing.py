"""Finding shipments for the desk: search by tracking or order number, and the label-pending
list of every station (read-only).

Each call is two short reads in one unit of work: the shipments, each with everything a
row shows (joins, and per-row package totals over the ``packages.shipment_id`` index), then
the tracking numbers of their packages. A search matches exactly first — a tracking number
of the shipment or of any of its packages (a scanned label's barcode counts: see
``fulfilstation.domain.tracking_codes``) or an order number — then, from three characters
on, any tracking or order number containing the text (either case); exact matches come
first. Results are newest first, but label-pending ones oldest first (the work waiting
longest on top).

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, false, func, or_, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Carrier,
    CarrierAccount,
    CarrierService,
    Manifest,
    Order,
    Package,
    Shipment,
    Station,
    User,
)
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.domain.tracking_codes import tracking_candidates
from fulfilstation.services.shipping.lookup import ShipmentRefused

DEFAULT_LIMIT = 200
PARTIAL_FROM = 3  # characters typed before "contains" matches are looked for too


@dataclass(frozen=True)
class ShipmentSummary:
    """One shipment as the Shipments screen and ``shipments list`` show it."""

    id: int
    order_number: str
    tracking_numbers: tuple[str, ...]  # its packages' in order; empty while an API label is not bought
    carrier_code: str
    carrier_name: str
    service_code: str
    service_name: str
    status: ShipmentStatus
    station: str | None  # where it was packed
    created_at: dt.datetime
    created_by: str | None  # the packer's full name
    packages: int
    weight_g: int
    manifest: str | None  # the closed manifest's number, None while not on one
    cost_minor: int
    currency: str
    printed_at: dt.datetime | None = None
    voided_at: dt.datetime | None = None
    void_reason: str | None = None

    @property
    def on_manifest(self) -> bool:
        return self.manifest is not None

    @property
    def label_pending(self) -> bool:
        return self.status is ShipmentStatus.LABEL_PENDING

    @property
    def voidable(self) -> bool:
        """Live and not on a manifest: a manager may still void it."""
        return self.status is not ShipmentStatus.VOIDED and self.manifest is None

    @property
    def reference(self) -> str:
        """What ``reprint``/``void`` take for this shipment: its tracking number, else (an API
        label not bought yet) its order number, which has one live shipment at a time."""
        return self.tracking_numbers[0] if self.tracking_numbers else self.order_number

    def as_json(self) -> dict[str, Any]:
        """The documented ``shipments list --json`` keys (README)."""
        return {"id": self.id, "order_number": self.order_number, "tracking_numbers": list(self.tracking_numbers),
                "carrier": self.carrier_code, "carrier_name": self.carrier_name, "service": self.service_code,
                "service_name": self.service_name, "status": self.status.value, "station": self.station,
                "created_at": _iso(self.created_at), "created_by": self.created_by, "packages": self.packages,
                "weight_g": self.weight_g, "on_manifest": self.on_manifest, "manifest": self.manifest,
                "cost_minor": self.cost_minor, "currency": self.currency, "printed_at": _iso(self.printed_at),
                "voided_at": _iso(self.voided_at), "void_reason": self.void_reason}


def search_shipments(database: Database, text: str | None = None, *, label_pending: bool = False,
                     status: ShipmentStatus | str | None = None,
                     limit: int | None = DEFAULT_LIMIT, station: str | None = None) -> list[ShipmentSummary]:
    """Shipments matching ``text`` (None or blank: all) and ``status`` (``label_pending``:
    label-pending only), packed at ``station`` (its name; None: any), at most ``limit``
    (None: all). See the module doc for the order."""
    wanted = ShipmentStatus.LABEL_PENDING if label_pending else _status(status)
    if limit is not None and limit < 1:
        raise ValueError("limit must be at least 1 (or None for every shipment)")
    query = _rows_query()
    exact: ColumnElement[bool] = false()
    if text and text.strip():
        exact, partial = _text_criteria(text.strip())
        query = query.where(or_(exact, partial))
    if wanted is not None:
        query = query.where(Shipment.status == wanted.value)
    if station is not None:
        query = query.where(func.upper(Station.name) == station.strip().upper())
    newest_first = wanted is not ShipmentStatus.LABEL_PENDING
    order = (Shipment.created_at.desc(), Shipment.id.desc()) if newest_first else (Shipment.created_at, Shipment.id)
    query = query.order_by(case((exact, 0), else_=1), *order).limit(limit)
    with database.unit_of_work() as session:
        rows = session.execute(query).all()
        tracking = _package_tracking(session, [row.id for row in rows])
    return [_summary(row, tracking.get(row.id, ())) for row in rows]


def label_pending_shipments(database: Database, station: str | None = None) -> list[ShipmentSummary]:
    """Every label-pending shipment of every station (or of ``station``), oldest first (API
    shipments whose label is not bought yet among them)."""
    return search_shipments(database, label_pending=True, limit=None, station=station)


def _status(status: ShipmentStatus | str | None) -> ShipmentStatus | None:
    if status is None:
        return None
    try:
        return ShipmentStatus(status)
    except ValueError:
        known = ", ".join(member.value for member in ShipmentStatus)
        raise ShipmentRefused("unknown-status", f"There is no shipment status {status!r}: use one of {known}.") \
            from None


def _rows_query() -> Select[*tuple[Any, ...]]:
    packages = (select(func.count(Package.id)).where(Package.shipment_id == Shipment.id)
                .correlate(Shipment).scalar_subquery())
    weight = (select(func.coalesce(func.sum(Package.weight_measured_g), 0)).where(Package.shipment_id == Shipment.id)
              .correlate(Shipment).scalar_subquery())
    return (select(Shipment.id, Order.number.label("order_number"), Shipment.tracking_number,
                   Carrier.code.label("carrier_code"), Carrier.name.label("carrier_name"),
                   CarrierService.code.label("service_code"), CarrierService.name.label("service_name"),
                   Shipment.status, Station.name.label("station"), Shipment.created_at,
                   User.full_name.label("created_by"), packages.label("packages"), weight.label("weight_g"),
                   Manifest.number.label("manifest"), Shipment.cost_minor, Shipment.currency, Shipment.printed_at,
                   Shipment.voided_at, Shipment.void_reason)
            .join(Order, Order.id == Shipment.order_id)
            .join(CarrierAccount, CarrierAccount.id == Shipment.carrier_account_id)
            .join(Carrier, Carrier.id == CarrierAccount.carrier_id)
            .join(CarrierService, CarrierService.id == Shipment.service_id)
            .outerjoin(Station, Station.id == Shipment.station_id)
            .outerjoin(User, User.id == Shipment.created_by_id)
            .outerjoin(Manifest, Manifest.id == Shipment.manifest_id))


def _text_criteria(text: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """(exact match, "contains" match) of a tracking or order number."""
    numbers = tracking_candidates(text)
    exact = or_(Shipment.tracking_number.in_(numbers), Order.number.in_(numbers),
                Shipment.id.in_(select(Package.shipment_id).where(Package.tracking_number.in_(numbers))))
    if len(text) < PARTIAL_FROM:
        return exact, false()
    partial = or_(Shipment.tracking_number.icontains(text, autoescape=True),
                  Order.number.icontains(text, autoescape=True),
                  Shipment.id.in_(select(Package.shipment_id).where(
                      Package.tracking_number.icontains(text, autoescape=True))))
    return exact, partial


def _package_tracking(session: Session, shipment_ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    if shipment_ids:
        for shipment_id, number in session.execute(
                select(Package.shipment_id, Package.tracking_number)
                .where(Package.shipment_id.in_(shipment_ids), Package.tracking_number.is_not(None))
                .order_by(Package.shipment_id, Package.sequence)):
            found.setdefault(shipment_id or 0, []).append(str(number))
    return {shipment_id: tuple(numbers) for shipment_id, numbers in found.items()}


def _summary(row: Any, package_tracking: tuple[str, ...]) -> ShipmentSummary:
    tracking = package_tracking or ((row.tracking_number,) if row.tracking_number else ())
    return ShipmentSummary(
        id=row.id, order_number=row.order_number, tracking_numbers=tracking, carrier_code=row.carrier_code,
        carrier_name=row.carrier_name, service_code=row.service_code, service_name=row.service_name,
        status=ShipmentStatus(row.status), station=row.station, created_at=row.created_at,
        created_by=row.created_by, packages=int(row.packages or 0), weight_g=int(row.weight_g or 0),
        manifest=row.manifest, cost_minor=row.cost_minor, currency=row.currency, printed_at=row.printed_at,
        voided_at=row.voided_at, void_reason=row.void_reason)


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(dt.UTC).isoformat()
