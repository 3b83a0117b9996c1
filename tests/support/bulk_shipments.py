"""Many shipments fast, with bulk INSERTs (not through the packing flow): for close-out tests
and ``bench/manifest_closeout.py``. Each shipment gets its own shipped order and
``packages`` packages with unique tracking numbers; stock is not touched."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import insert, select

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, NumberRange, Order, Package, Shipment

BATCH = 2000


@dataclass(frozen=True)
class Bulk:
    shipment_ids: list[int]
    tracking_numbers: list[str]  # of every package, in shipment then package order
    weight_g: int


def add_account(database: Database, carrier: str, account_number: str) -> int:
    """A second (non-default) account of ``carrier`` with its own SSCC number range."""
    with database.unit_of_work() as session:
        carrier_id = session.scalars(select(Carrier.id).where(Carrier.code == carrier)).one()
        account = CarrierAccount(carrier_id=carrier_id, account_number=account_number, name=f"{carrier} second",
                                 is_default=False, settings={})
        session.add(account)
        session.flush()
        session.add(NumberRange(carrier_account_id=account.id, kind="sscc", prefix="0", first_value=1,
                                next_value=1, last_value=999_999))
        return account.id


def account_of(database: Database, carrier: str) -> int:
    """The carrier's default account."""
    with database.unit_of_work() as session:
        return session.scalars(select(CarrierAccount.id).join(Carrier).where(Carrier.code == carrier)
                               .order_by(CarrierAccount.is_default.desc(), CarrierAccount.id)).first() or 0


def bulk_shipments(database: Database, count: int, *, carrier: str = "ups", account_id: int | None = None,
                   service: str | None = None, station_ids: tuple[int | None, ...] = (None,), packages: int = 1,
                   created_at: dt.datetime | None = None, status: str = "printed") -> Bulk:
    tag = uuid.uuid4().hex[:8].upper()
    when = created_at or utcnow()
    with database.unit_of_work() as session:
        account = account_id or session.scalars(select(CarrierAccount.id).join(Carrier).where(
            Carrier.code == carrier).order_by(CarrierAccount.is_default.desc(), CarrierAccount.id)).first()
        services = select(CarrierService.id).join(Carrier).where(Carrier.code == carrier)
        service_id = session.scalars(services.where(CarrierService.code == service) if service
                                     else services.order_by(CarrierService.id)).first()
        ids: list[int] = []
        tracking: list[str] = []
        weight = 0
        for start in range(0, count, BATCH):
            numbers = range(start, min(start + BATCH, count))
            order_ids = session.scalars(insert(Order).returning(Order.id, sort_by_parameter_order=True), [
                dict(channel="bulk", external_id=f"{tag}-{n}", number=f"B{tag}-{n:06d}", status="shipped",
                     ship_to_name=f"Customer {n}", ship_to_line1=f"{n} Main St", ship_to_city="Springfield",
                     ship_to_region="IL", ship_to_postal_code=f"{60000 + n % 9000:05d}", ship_to_country="US",
                     created_at=when, updated_at=when) for n in numbers]).all()
            shipment_ids = session.scalars(insert(Shipment).returning(Shipment.id, sort_by_parameter_order=True), [
                dict(order_id=order_id, carrier_account_id=account, service_id=service_id, status=status,
                     tracking_number=f"T{tag}{n:07d}01", station_id=station_ids[n % len(station_ids)],
                     created_at=when, cost_minor=0, currency="USD")
                for n, order_id in zip(numbers, order_ids, strict=True)]).all()
            rows = [dict(shipment_id=shipment_id, sequence=seq, tracking_number=f"T{tag}{n:07d}{seq:02d}",
                         weight_measured_g=300 + (n * 37 + seq) % 5000, weight_expected_g=0)
                    for n, shipment_id in zip(numbers, shipment_ids, strict=True) for seq in range(1, packages + 1)]
            session.execute(insert(Package), rows)
            ids += shipment_ids
            tracking += [str(row["tracking_number"]) for row in rows]
            weight += sum(int(row["weight_measured_g"]) for row in rows)  # type: ignore[call-overload]
    return Bulk(ids, tracking, weight)
