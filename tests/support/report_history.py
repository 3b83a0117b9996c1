"""A history for the service-level and dashboard tests: orders reserved, picked, packed and
shipped through the app's own use cases, then their instants set to hand-chosen site-local
times (``stamp``) — no use case can back-date an event, so only the timestamps are written
directly. ``reports_app`` is the app whose clock stands still at a chosen instant."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, OrderLine, PackSession, PickListLine, Product, Shipment
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices, build_services
from fulfilstation.services.context import Ports
from fulfilstation.services.packing import Weighing
from fulfilstation.services.reports import ReportSettings
from tests.support.app import STATION, FixedPrinters, sign_in
from tests.support.picking import ready_order
from tests.support.shop_channel import ManualClock
from tests.support.warehouse import unit_barcode

CHICAGO = ZoneInfo("America/Chicago")
SKU = "MUG-CER-350"
_numbers = itertools.count(1)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``hour:minute`` of ``day`` in Chicago, as a UTC instant."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHICAGO).astimezone(dt.UTC)


def reports_app(database: Database, now: dt.datetime) -> AppServices:
    """The app with its clock stopped at ``now``."""
    return build_services(database, Ports(printers=FixedPrinters(), clock=ManualClock(now)), STATION)


def in_chicago(app: AppServices) -> None:
    """The site's reports settings: Chicago, the default targets (30, 120, 60, 120 minutes)."""
    app.reports.set_settings(sign_in(app, "owner"), ReportSettings(time_zone="America/Chicago"))


def set_demo_orders_aside(database: Database) -> None:
    """The demo seed's open orders are cancelled (directly: their figures are not this test's),
    so every count below is of this history alone."""
    with database.unit_of_work() as session:
        session.execute(update(Order).values(status="cancelled", hold=False))


def pending_order(database: Database, ship_by: dt.date | None) -> str:
    """A pending order of one mug (what an import writes before reserving)."""
    number = f"RP-{next(_numbers):05d}"
    with database.unit_of_work() as session:
        order = Order(channel="test", external_id=number, number=number, status="pending", ship_to_name="Pat",
                      ship_to_line1="1 Test St", ship_to_city="Springfield", ship_to_region="IL",
                      ship_to_postal_code="62704", ship_to_country="US", ship_by=ship_by)
        session.add(order)
        session.flush()
        product_id = session.scalars(select(Product.id).where(Product.sku == SKU)).one()
        session.add(OrderLine(order_id=order.id, line_no=1, product_id=product_id, quantity=1))
    return number


def ready(app: AppServices, ship_by: dt.date | None) -> str:
    """A one-mug order reserved by ``orders.reserve_stock``."""
    number = ready_order(app, sign_in(app, "manager"), [(SKU, 1)])
    with app.orders.database.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == number).values(ship_by=ship_by))
    return number


def pick(app: AppServices, number: str, *, confirm: bool = True) -> str:
    """A pick list of ``number``, its mug picked (``confirm``) or not yet; the list's number."""
    packer = sign_in(app, "packer")
    created = app.picking.create(packer, [number])
    if confirm:
        row = created.view.rows[0]
        app.picking.pick(packer, created.number, row.bin, unit_barcode(app.orders.database, SKU))
    return created.number


def start_pack(app: AppServices, number: str) -> tuple[int, int]:
    """A pack of ``number`` started and its mug scanned: (pack session id, expected grams)."""
    packer = sign_in(app, "packer")
    view = app.packing.start(packer, number)
    scanned = app.packing.scan(packer, view.session_id, unit_barcode(app.orders.database, SKU))
    assert scanned.accepted, scanned.message
    assert scanned.view.expected_g is not None
    return view.session_id, scanned.view.expected_g


def ship(app: AppServices, number: str, *, override: Actor | None = None) -> None:
    """``number`` packed and shipped (``override``: weighed 5 kg over, accepted by that manager)."""
    packer = sign_in(app, "packer")
    session_id, expected = start_pack(app, number)
    weighing = Weighing(expected + 5000, override=override, reason="Scale test") if override else Weighing(expected)
    app.shipping.ship(packer, session_id, weighing)


def stamp(database: Database, number: str, *, received: dt.datetime | None = None, ready_at: dt.datetime | None = None,
          picked: dt.datetime | None = None, packed: dt.datetime | None = None,
          shipped: dt.datetime | None = None, heard: dt.datetime | None = None) -> None:
    """Back-date ``number``'s events (written directly: no use case can back-date)."""
    with database.unit_of_work() as session:
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        if received is not None:
            session.execute(update(Order).where(Order.id == order_id).values(created_at=received))
        if ready_at is not None:
            session.execute(update(Order).where(Order.id == order_id).values(ready_at=ready_at))
        if picked is not None:
            lines = select(OrderLine.id).where(OrderLine.order_id == order_id)
            session.execute(update(PickListLine).where(PickListLine.order_line_id.in_(lines),
                                                       PickListLine.picked_at.is_not(None)).values(picked_at=picked))
        if packed is not None:
            session.execute(update(PackSession).where(PackSession.order_id == order_id,
                                                      PackSession.ended_at.is_not(None)).values(ended_at=packed))
        if heard is not None:
            session.execute(update(PackSession).where(PackSession.order_id == order_id,
                                                      PackSession.status == "open").values(heard_at=heard))
        if shipped is not None:
            session.execute(update(Shipment).where(Shipment.order_id == order_id).values(created_at=shipped))
