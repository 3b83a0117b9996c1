"""Helpers for packing tests: stations, users, orders made to measure, barcodes, and a
pack's view read back from the database (what the expected weight is now).

Packing itself goes through the use cases (``tests.support.app``: ``app_for`` +
``sign_in``), as the window and the CLI do; ``scan_units`` scans an order's units there."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    Bin,
    Carrier,
    CarrierService,
    Order,
    OrderLine,
    PackSession,
    Product,
    ProductBarcode,
    StockLevel,
    User,
)
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import PackView
from fulfilstation.services.packing.loading import build_view, load_state
from fulfilstation.services.stations.registry import register_station

_numbers = itertools.count(1)


def station_id(database: Database, name: str = "PACK-T") -> int:
    return register_station(database, name, scanner="wedge:", scale="sim:", label_printer="sim:",
                            document_printer=None).id


def user_id(database: Database, username: str = "packer") -> int:
    with database.unit_of_work() as session:
        return session.scalars(select(User.id).where(User.username == username)).one()


def unit_barcode(database: Database, sku: str) -> str:
    with database.unit_of_work() as session:
        return session.scalars(select(ProductBarcode.code).join(Product).where(
            Product.sku == sku, ProductBarcode.pack_quantity == 1)).one()


def case_barcode(database: Database, sku: str) -> tuple[str, int]:
    with database.unit_of_work() as session:
        row = session.execute(select(ProductBarcode.code, ProductBarcode.pack_quantity).join(Product).where(
            Product.sku == sku, ProductBarcode.pack_quantity > 1)).one()
        return row[0], row[1]


def make_order(database: Database, lines: list[tuple[str, int]], *, service: str | None = None,
               hold: str | None = None, postal_code: str = "62704") -> str:
    """A ready order for ``(sku, quantity)`` lines with its stock reserved."""
    number = f"T-{next(_numbers):05d}"
    with database.unit_of_work() as session:
        service_id = None
        if service:
            carrier, code = service.split("/")
            service_id = session.scalars(select(CarrierService.id).join(Carrier).where(
                Carrier.code == carrier, CarrierService.code == code)).one()
        order = Order(channel="test", external_id=number, number=number, status="ready", ship_to_name="Test Person",
                      ship_to_line1="1 Test St", ship_to_city="Springfield", ship_to_region="IL",
                      ship_to_postal_code=postal_code, ship_to_country="US", ship_by=dt.date.today(),
                      requested_service_id=service_id, hold=hold is not None, hold_reason=hold)
        session.add(order)
        session.flush()
        for line_no, (sku, quantity) in enumerate(lines, start=1):
            product = session.scalars(select(Product).where(Product.sku == sku)).one()
            line = OrderLine(order_id=order.id, line_no=line_no, product_id=product.id, quantity=quantity)
            session.add(line)
            session.flush()
            _reserve(session, line, product.id, quantity)
    return number


def _reserve(session: Session, line: OrderLine, product_id: int, quantity: int) -> None:
    level = session.scalars(select(StockLevel).where(StockLevel.product_id == product_id)
                            .order_by((StockLevel.on_hand - StockLevel.reserved).desc())).first()
    assert level is not None
    if level.on_hand - level.reserved < quantity:
        level.on_hand += quantity  # top up for the test; the ledger is not the point here
    level.reserved += quantity
    session.add(Allocation(order_line_id=line.id, stock_level_id=level.id, quantity=quantity))


def stock_lot(database: Database, sku: str, lot: str, on_hand: int, expiry: dt.date | None = None,
              bin_code: str | None = None) -> str:
    """Put ``on_hand`` units of ``lot`` of ``sku`` in a bin (``bin_code``, else the first
    storage bin); returns the bin's code."""
    with database.unit_of_work() as session:
        product_id = session.scalars(select(Product.id).where(Product.sku == sku)).one()
        query = select(Bin).where(Bin.code == bin_code) if bin_code else select(Bin).order_by(Bin.pick_sequence,
                                                                                                Bin.id)
        bin_ = session.scalars(query.limit(1)).one()
        session.add(StockLevel(product_id=product_id, bin_id=bin_.id, lot_code=lot, expiry_date=expiry,
                               on_hand=on_hand, reserved=0))
        return bin_.code


def stock_of(database: Database, sku: str) -> tuple[int, int]:
    """(on hand, reserved) of a product over all bins."""
    with database.unit_of_work() as session:
        levels = session.scalars(select(StockLevel).join(Product).where(Product.sku == sku)).all()
        return sum(level.on_hand for level in levels), sum(level.reserved for level in levels)


def pack_view(database: Database, session_id: int) -> PackView:
    """The pack's view rebuilt from the database (no station's working copy involved)."""
    with database.unit_of_work() as session:
        return build_view(session, load_state(session, session.get_one(PackSession, session_id)))


def expected_weight(database: Database, session_id: int) -> int:
    """The expected weight of the pack's open package, in grams, as the station shows it."""
    view = pack_view(database, session_id)
    assert view.expected_g is not None
    return view.expected_g


def scan_units(app: AppServices, actor: Actor, session_id: int, lines: list[tuple[str, int]]) -> PackView:
    """Scan every unit of ``(sku, quantity)`` lines (their unit barcodes) through the scan use
    case; each scan must be accepted. Returns the view after the last scan."""
    view = None
    for sku, quantity in lines:
        code = unit_barcode(app.packing.database, sku)
        for _unit in range(quantity):
            outcome = app.packing.scan(actor, session_id, code)
            assert outcome.accepted, outcome.message
            view = outcome.view
    assert view is not None, "nothing to scan"
    return view
