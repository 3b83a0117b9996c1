"""The ship transaction: one transaction records a finished pack as a shipment.

It checks that every item is scanned and the last package's weight is right (or a manager
accepted it), records the package(s) and the shipment with fresh tracking numbers, takes
the shipped units off the reserved stock (stock moves by the actor), marks the order
shipped, closes the pack session, and writes the audit entry and the outbox message
(``services.outbox.shipment_created``: to the order's shop channel, every package's tracking).
Conditional updates make a second ship of the same session, or of the same order from
another station, fail instead of shipping twice; an order a manager put on hold while it
was being packed is refused (saying who held it and why). Nothing is printed here: labels print
only after this commit (``fulfilstation.services.shipping.service``).

A shipment of an API carrier (EasyPost) is committed the same way but without tracking
numbers or labels: label-pending with its idempotency key already set, one package. The
label is bought after the commit (``api_labels.ensure_label``), outside any transaction.

The service the order showed before the ship (rated with the parcel still estimated, as the
station header and ``orders show`` quote it) is compared with the one the weighed parcels
rate to: when they differ, the ``shipment.created`` audit entry carries a ``service_note``
in words (``service_notes.service_change``) that the ship outcome and the order history say.

A service that offers insurance insures the shipment at the order's declared value (its
top-level lines' price × quantity): ``insured_value_minor`` and ``insurance_cost_minor`` are
recorded on the shipment (``carriers.insurance.insurance_for``) and named in the audit entry.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.carriers.insurance import insurance_for
from fulfilstation.carriers.numbering import issue_tracking_number
from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import (
    Allocation,
    Order,
    Package,
    PackageItem,
    PackSession,
    ScanEvent,
    Shipment,
    ShippedSerial,
    StockLevel,
    StockMove,
)
from fulfilstation.documents.shipping_label_zpl import render_zpl
from fulfilstation.domain.enums import OrderStatus, PackSessionStatus, ScanResult, ShipmentStatus, StockMoveReason
from fulfilstation.services import audit, outbox
from fulfilstation.services.actor import Actor
from fulfilstation.services.customs.lines import order_value
from fulfilstation.services.packing import serials_received
from fulfilstation.services.packing.boxes import Weighing, check_complete, open_pack, record_package
from fulfilstation.services.packing.loading import SessionState, load_state
from fulfilstation.services.packing.lots import cover_scanned_lots
from fulfilstation.services.packing.memo import forget
from fulfilstation.services.packing.views import PackRefused, Refusal
from fulfilstation.services.packing.weight_refusals import refusals_recorded
from fulfilstation.services.shipping.carrier_choice import CarrierChoice, choose_carrier, label_for
from fulfilstation.services.shipping.service_notes import service_change, shown_service


def record_shipment(database: Database, actor: Actor, session_id: int, weighing: Weighing) -> int:
    """Record the shipment of the pack ``session_id`` by ``actor``; returns its id. Its labels
    are printed *after* this commit (none yet for an API carrier). Raises PackRefused with
    the reason when it cannot ship; then nothing is recorded but a weight refused
    (``weight_refusals``, in a transaction of its own)."""
    forget(database, session_id)
    try:
        with refusals_recorded(database, actor.user_id), database.unit_of_work() as session:
            pack = open_pack(session, session_id)
            if pack.station_id != actor.station_id:
                raise PackRefused(Refusal.NOT_ALLOWED, "This pack is open at another station: ship it there.")
            state = load_state(session, pack)
            check_complete(state)
            shown = shown_service(session, state.order)  # before the last package is weighed
            if state.in_package:  # else every item is in packages closed earlier
                record_package(session, state, weighing)
            return _record_shipment(session, state, actor, shown)
    except IntegrityError as exc:
        if "shipped_serials" in str(exc.orig) or "serial" in str(exc.orig):
            raise PackRefused(Refusal.SERIAL_ALREADY_SHIPPED, "One of the serial numbers has just shipped from "
                              "another station: check the units and scan their serials again.") from exc
        raise


def _record_shipment(session: Session, state: SessionState, actor: Actor, shown: CarrierChoice | None) -> int:
    pack, order = state.session, state.order
    closed = rows_changed(session, update(PackSession).where(
        PackSession.id == pack.id, PackSession.status == PackSessionStatus.OPEN.value)
        .values(status=PackSessionStatus.COMPLETED.value, ended_at=utcnow()))
    shipped = rows_changed(session, update(Order).where(
        Order.id == order.id, Order.status == OrderStatus.PACKING.value, Order.hold.is_(False))
        .values(status=OrderStatus.SHIPPED.value))
    if not (closed and shipped):
        raise _not_shipped(session, order)
    from fulfilstation.services.picking.closing import finish_lists_of  # picking imports packing: not at the top

    finish_lists_of(session, order.id)  # a list left only with this order's unpicked lines is done
    choice = choose_carrier(session, order)
    packages = session.scalars(select(Package).where(Package.pack_session_id == pack.id)
                               .order_by(Package.sequence)).all()
    if choice.bought and len(packages) != 1:
        raise PackRefused(Refusal.NO_CARRIER, f"{choice.service.name} labels are bought one package per shipment; "
                          f"this order has {len(packages)} packages. A manager can choose another service.")
    insured, insurance_cost = insurance_for(choice.service, order_value(session, order.id))
    shipment = Shipment(order_id=order.id, pack_session_id=pack.id, carrier_account_id=choice.account.id,
                        service_id=choice.service.id, status=ShipmentStatus.LABEL_PENDING.value,
                        station_id=pack.station_id, created_by_id=actor.user_id,
                        cost_minor=choice.cost_minor, currency=choice.currency,
                        insured_value_minor=insured, insurance_cost_minor=insurance_cost,
                        idempotency_key=f"fs-{uuid.uuid4().hex}" if choice.bought else None)
    session.add(shipment)
    session.flush()
    for package in packages:
        package.shipment_id = shipment.id
        if choice.number_range is None:
            continue  # bought after the commit
        package.tracking_number = issue_tracking_number(session, choice.account, choice.service, choice.number_range)
        label = label_for(session, choice, order, package.tracking_number, package.sequence, len(packages),
                          package.weight_measured_g)
        package.label_format, package.label_data = "zpl", render_zpl(label).decode()
    shipment.tracking_number = packages[0].tracking_number
    _package_items(session, state, {p.sequence: p for p in packages})
    _take_stock(session, state, shipment.id, actor)
    note = service_change(shown, choice, sum(p.weight_measured_g for p in packages))
    _journal(session, state, shipment, [p.tracking_number for p in packages if p.tracking_number], actor,
             {"service": choice.service.name, **({"service_note": note} if note else {}),
              **({"insured_value": insured, "insurance_cost": insurance_cost} if insured is not None else {})})
    return shipment.id


def _not_shipped(session: Session, order: Order) -> PackRefused:
    """Why the order could not be marked shipped: a manager held it during the pack, or
    another station or a cancel got there first."""
    hold, reason = session.execute(select(Order.hold, Order.hold_reason).where(Order.id == order.id)).one()
    if not hold:
        return PackRefused(Refusal.SESSION_CLOSED, f"Order {order.number} was shipped or released meanwhile.")
    held = audit.last_done(session, "order.held", "order", order.id)
    return PackRefused(Refusal.ORDER_ON_HOLD, f"Order {order.number} was put on hold"
                       f"{f' by {held.who}' if held else ''} while it was being packed: {reason or 'no reason given'}."
                       " Do not ship it: set it aside and cancel the pack, or ask a manager to release it.")


def _package_items(session: Session, state: SessionState, packages: dict[int, Package]) -> None:
    events = session.scalars(select(ScanEvent).where(
        ScanEvent.pack_session_id == state.session.id, ScanEvent.result == ScanResult.ACCEPTED.value)).all()
    totals: dict[tuple[int, int, int, str | None, str | None], int] = defaultdict(int)
    expiry = {}
    for event in events:
        if event.order_line_id is None or event.product_id is None:
            continue
        key = (event.package_sequence, event.order_line_id, event.product_id, event.lot_code, event.serial_number)
        totals[key] += event.quantity
        expiry[key] = event.expiry_date
    for (sequence, line_id, product_id, lot, serial), quantity in totals.items():
        item = PackageItem(package_id=packages[sequence].id, order_line_id=line_id, product_id=product_id,
                           quantity=quantity, lot_code=lot, serial_number=serial,
                           expiry_date=expiry[(sequence, line_id, product_id, lot, serial)])
        session.add(item)
        if serial:
            session.flush()
            session.add(ShippedSerial(product_id=product_id, serial_number=serial, package_item_id=item.id))
            serials_received.mark_shipped(session, product_id, serial, packages[sequence].shipment_id or 0)
    session.flush()


def _take_stock(session: Session, state: SessionState, shipment_id: int, actor: Actor) -> None:
    """Shipped units leave the bins they were reserved in: on hand and reserved both drop.
    A lot-tracked line's reservations are first made to cover the lots scanned (``lots``),
    so the stock moves name the lots in the parcel."""
    line_ids = [line.id for line, _product in state.lines]
    for line, product in state.lines:
        problem = cover_scanned_lots(session, state.session.id, line.id, product.id, product.name) \
            if product.lot_tracked else None
        if problem:
            raise PackRefused(Refusal.LOT_NOT_IN_STOCK, problem)
    allocations = session.execute(select(Allocation, StockLevel).join(
        StockLevel, StockLevel.id == Allocation.stock_level_id).where(Allocation.order_line_id.in_(line_ids))
        .order_by(StockLevel.id)).all()  # one order of row locks for every ship: no deadlock between two
    for allocation, level in allocations:
        taken = rows_changed(session, update(StockLevel).where(
            StockLevel.id == level.id, StockLevel.reserved >= allocation.quantity,
            StockLevel.on_hand >= allocation.quantity)
            .values(on_hand=StockLevel.on_hand - allocation.quantity,
                    reserved=StockLevel.reserved - allocation.quantity))
        if not taken:
            raise RuntimeError(f"stock level {level.id} does not hold the {allocation.quantity} reserved units")
        session.add(StockMove(product_id=level.product_id, from_bin_id=level.bin_id, lot_code=level.lot_code,
                              quantity=allocation.quantity, reason=StockMoveReason.SHIP.value,
                              user_id=actor.user_id, station_id=state.session.station_id, order_id=state.order.id,
                              shipment_id=shipment_id))
    session.execute(delete(Allocation).where(Allocation.order_line_id.in_(line_ids)))


def _journal(session: Session, state: SessionState, shipment: Shipment, tracking: list[str], actor: Actor,
             service: dict[str, object]) -> None:
    details = {"order": state.order.number, "tracking": tracking}
    audit.record(session, actor, "shipment.created", "shipment", shipment.id, {**details, **service})
    outbox.shipment_created(session, state.order, shipment, details)
