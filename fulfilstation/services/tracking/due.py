"""Which shipments a tracking poll asks about, and claiming them so two stations polling at
once do not both ask.

Due: not voided, a tracking number, an active API carrier account, made within
``TRACK_FOR`` (older parcels are not followed), not yet delivered or returned, and not asked
within ``TRACK_EVERY`` (``tracked_at``). A claim is one conditional UPDATE of ``tracked_at``
per batch (``WHERE tracked_at IS NULL OR tracked_at < cutoff``): a shipment another station
claimed meanwhile is not returned, so it is asked once per interval whoever polls.

Threading: functions take an open session; blocking (database).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from fulfilstation.carriers.gateway import TrackingState
from fulfilstation.carriers.trackers import TrackedAccount
from fulfilstation.db.models import Carrier, CarrierAccount, Shipment
from fulfilstation.domain.enums import CarrierKind, ShipmentStatus

TRACK_EVERY = dt.timedelta(hours=1)
TRACK_FOR = dt.timedelta(days=60)
FINAL = (TrackingState.DELIVERED.value, TrackingState.RETURNED.value)


@dataclass(frozen=True)
class DueShipment:
    id: int
    tracking_number: str


def due_by_account(session: Session, now: dt.datetime,
                   limit: int) -> list[tuple[TrackedAccount, list[DueShipment]]]:
    """At most ``limit`` due shipments (oldest asked first), by their carrier account."""
    rows = session.execute(
        select(Shipment.id, Shipment.tracking_number, CarrierAccount.id, CarrierAccount.name, Carrier.code,
               CarrierAccount.keyring_name, CarrierAccount.settings)
        .join(CarrierAccount, CarrierAccount.id == Shipment.carrier_account_id)
        .join(Carrier, Carrier.id == CarrierAccount.carrier_id)
        .where(*_due(now), Carrier.kind == CarrierKind.API.value, CarrierAccount.active.is_(True))
        .order_by(Shipment.tracked_at.is_not(None), Shipment.tracked_at, Shipment.id)
        .limit(limit))
    due: dict[int, list[DueShipment]] = defaultdict(list)
    accounts: dict[int, TrackedAccount] = {}
    for shipment_id, number, account_id, name, code, keyring_name, settings in rows:
        accounts.setdefault(account_id, TrackedAccount(account_id, name, code, keyring_name, dict(settings or {})))
        due[account_id].append(DueShipment(shipment_id, str(number)))
    return [(accounts[account_id], shipments) for account_id, shipments in due.items()]


def claim(session: Session, shipments: list[DueShipment], now: dt.datetime) -> list[DueShipment]:
    """Stamp ``tracked_at`` on those still due; the ones this call claimed."""
    if not shipments:
        return []
    claimed = set(session.scalars(
        update(Shipment).where(Shipment.id.in_([s.id for s in shipments]), *_due(now))
        .values(tracked_at=now).returning(Shipment.id).execution_options(synchronize_session=False)))
    return [s for s in shipments if s.id in claimed]


def _due(now: dt.datetime) -> tuple[ColumnElement[bool], ...]:
    return (Shipment.status != ShipmentStatus.VOIDED.value, Shipment.tracking_number.is_not(None),
            Shipment.created_at >= now - TRACK_FOR,
            or_(Shipment.tracking_state.is_(None), Shipment.tracking_state.not_in(FINAL)),
            or_(Shipment.tracked_at.is_(None), Shipment.tracked_at < now - TRACK_EVERY))
