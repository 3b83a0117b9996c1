"""Tracking tests' helpers: the use cases on a manual clock, and shipments made at a chosen
time on the EasyPost account (``tests.support.easypost_account``) without packing them."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierService, Order, Shipment
from fulfilstation.services.app import AppServices, build_services
from fulfilstation.services.context import Ports
from tests.support.app import STATION, FixedPrinters
from tests.support.shop_channel import ManualClock
from tests.support.warehouse import make_order

_numbers = itertools.count(1)


def tracking_app(db: Database, clock: ManualClock, station: str = STATION) -> AppServices:
    return build_services(db, Ports(printers=FixedPrinters(), clock=clock), station)


def shipment_made(db: Database, account_id: int, made_at: dt.datetime, *, deliver_by: dt.date | None = None,
                  number: str | None = None, status: str = "printed",
                  service: str = "ep-usps/priority") -> tuple[int, str]:
    """A shipment of a new order on the account, made at ``made_at``: (id, tracking number)."""
    order_number = make_order(db, [("MUG-CER-350", 1)])
    tracking = number or f"9400111{next(_numbers):015d}"
    with db.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == order_number)).one()
        order.deliver_by = deliver_by
        order.status = "shipped"
        carrier, code = service.split("/")
        service_id = session.scalars(select(CarrierService.id).join(Carrier).where(
            Carrier.code == carrier, CarrierService.code == code)).one()
        shipment = Shipment(order_id=order.id, carrier_account_id=account_id, service_id=service_id,
                            tracking_number=tracking, status=status, created_at=made_at, printed_at=made_at)
        session.add(shipment)
        session.flush()
        return shipment.id, tracking


def iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
