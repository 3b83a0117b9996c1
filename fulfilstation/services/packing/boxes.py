"""Boxes, packages and the ship transaction.

``ship`` is one transaction: it checks that every item is scanned and the weight is right
(or a manager overrode it), records the package(s) and the shipment with fresh tracking
numbers, takes the shipped units off the reserved stock (stock moves), marks the order
shipped and closes the pack session. Conditional updates make a second ``ship`` of the same
session, or of the same order from another station, fail instead of shipping twice.
Printing happens only after that commit (``labels.print_shipment``).

A shipment of an API carrier (EasyPost) is committed the same way but without tracking
numbers or labels: label-pending with its idempotency key already set, one package. The
label is bought after the commit (``api_labels.ensure_label``), outside any transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.carriers.numbering import issue_tracking_number
from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import (
    Allocation,
    AuditEntry,
    BoxType,
    Order,
    OutboxMessage,
    Package,
    PackageItem,
    PackSession,
    ScanEvent,
    Shipment,
    ShippedSerial,
    StockLevel,
    StockMove,
    User,
)
from fulfilstation.documents.shipping_label_zpl import render_zpl
from fulfilstation.domain.enums import OrderStatus, PackSessionStatus, Role, ScanResult, ShipmentStatus
from fulfilstation.domain.weight_check import WeightVerdict
from fulfilstation.services.packing.loading import (
    SessionState,
    build_view,
    expected_weight,
    load_state,
    suggested_box,
)
from fulfilstation.services.packing.memo import forget
from fulfilstation.services.packing.views import PackRefused, PackView, Refusal
from fulfilstation.services.shipping.carrier_choice import choose_carrier, label_for


@dataclass(frozen=True)
class Weighing:
    grams: int
    stable: bool = True
    override_by: int | None = None  # a manager's user id: accept a weight outside the range


def choose_box(database: Database, session_id: int, box_code: str) -> PackView:
    forget(database, session_id)
    with database.unit_of_work() as session:
        pack = _open(session, session_id)
        box = session.scalar(select(BoxType).where(BoxType.code == box_code.strip(), BoxType.active.is_(True)))
        if box is None:
            raise PackRefused(Refusal.UNKNOWN_BOX, f"'{box_code}' is not a box type. Scan a box barcode from the "
                              "box sheet.")
        pack.box_type_id = box.id
        return build_view(session, load_state(session, pack))


def close_package(database: Database, session_id: int, weighing: Weighing) -> PackView:
    """Close the open package (multi-package orders): weigh it and start the next."""
    forget(database, session_id)
    with database.unit_of_work() as session:
        pack = _open(session, session_id)
        state = load_state(session, pack)
        if not state.in_package:
            raise PackRefused(Refusal.INCOMPLETE, "This package is empty: scan items into it first.")
        _record_package(session, state, weighing)
        pack.box_type_id = None
        return build_view(session, load_state(session, pack))


def ship(database: Database, session_id: int, weighing: Weighing) -> tuple[int, list[bytes]]:
    """Record the shipment; returns its id and the ZPL of each package label (to print
    *after* this commit; none yet for an API carrier). Raises PackRefused with the reason
    when it cannot ship."""
    forget(database, session_id)
    try:
        with database.unit_of_work() as session:
            pack = _open(session, session_id)
            state = load_state(session, pack)
            _check_complete(state)
            if state.in_package:  # else every item is in packages closed earlier
                _record_package(session, state, weighing)
            return _record_shipment(session, state)
    except IntegrityError as exc:
        if "shipped_serials" in str(exc.orig) or "serial" in str(exc.orig):
            raise PackRefused(Refusal.SERIAL_ALREADY_SHIPPED, "One of the serial numbers has just shipped from "
                              "another station: check the units and scan their serials again.") from exc
        raise


def _open(session: Session, session_id: int) -> PackSession:
    pack = session.get(PackSession, session_id)
    if pack is None or pack.status != PackSessionStatus.OPEN.value:
        raise PackRefused(Refusal.SESSION_CLOSED, "This pack is finished. Scan the next order.")
    return pack


def _check_complete(state: SessionState) -> None:
    missing = [f"{line.quantity - state.scanned.get(line.id, 0)} × {product.name}"
               for line, product in state.lines if state.scanned.get(line.id, 0) < line.quantity]
    if missing:
        raise PackRefused(Refusal.INCOMPLETE, "Not everything is scanned yet. Still missing: " + ", ".join(missing))


def _record_package(session: Session, state: SessionState, weighing: Weighing) -> Package:
    if not weighing.stable:
        raise PackRefused(Refusal.WEIGHT_UNSTABLE, "The scale is still moving: wait for a steady weight.")
    box = session.get(BoxType, state.session.box_type_id) if state.session.box_type_id else None
    if box is None:
        box = suggested_box(session, state)
    expected = expected_weight(session, state, box)
    verdict = expected.verdict(weighing.grams)
    if verdict is not WeightVerdict.OK:
        _require_override(session, weighing, expected.explain(weighing.grams), verdict)
    package = Package(pack_session_id=state.session.id, sequence=state.package_sequence,
                      box_type_id=box.id if box else None, weight_measured_g=weighing.grams,
                      weight_expected_g=expected.expected_g,
                      weight_override_by_id=weighing.override_by if verdict is not WeightVerdict.OK else None,
                      length_mm=box.inner_length_mm if box else None, width_mm=box.inner_width_mm if box else None,
                      height_mm=box.inner_height_mm if box else None)
    session.add(package)
    session.flush()
    if verdict is not WeightVerdict.OK:
        session.add(AuditEntry(user_id=weighing.override_by, station_id=state.session.station_id,
                               action="weight.override", entity_type="package", entity_id=package.id,
                               details={"measured_g": weighing.grams, "expected_g": expected.expected_g,
                                        "min_g": expected.min_g, "max_g": expected.max_g}))
    return package


def _require_override(session: Session, weighing: Weighing, explanation: str, verdict: WeightVerdict) -> None:
    code = Refusal.WEIGHT_OVER if verdict is WeightVerdict.OVER else Refusal.WEIGHT_UNDER
    if weighing.override_by is None:
        raise PackRefused(code, explanation + " A manager can accept the weight by scanning their badge.")
    user = session.get(User, weighing.override_by)
    if user is None or user.role not in (Role.MANAGER.value, Role.OWNER.value) or not user.active:
        raise PackRefused(Refusal.NOT_ALLOWED, "Only a manager or owner can accept a weight outside the range.")


def _record_shipment(session: Session, state: SessionState) -> tuple[int, list[bytes]]:
    pack, order = state.session, state.order
    closed = rows_changed(session, update(PackSession).where(
        PackSession.id == pack.id, PackSession.status == PackSessionStatus.OPEN.value)
        .values(status=PackSessionStatus.COMPLETED.value, ended_at=utcnow()))
    shipped = rows_changed(session, update(Order).where(
        Order.id == order.id, Order.status == OrderStatus.PACKING.value)
        .values(status=OrderStatus.SHIPPED.value))
    if not (closed and shipped):
        raise PackRefused(Refusal.SESSION_CLOSED, f"Order {order.number} was shipped or released meanwhile.")
    choice = choose_carrier(session, order)
    packages = session.scalars(select(Package).where(Package.pack_session_id == pack.id)
                               .order_by(Package.sequence)).all()
    if choice.bought and len(packages) != 1:
        raise PackRefused(Refusal.NO_CARRIER, f"{choice.service.name} labels are bought one package per shipment; "
                          f"this order has {len(packages)} packages. A manager can choose another service.")
    shipment = Shipment(order_id=order.id, pack_session_id=pack.id, carrier_account_id=choice.account.id,
                        service_id=choice.service.id, status=ShipmentStatus.LABEL_PENDING.value,
                        station_id=pack.station_id, created_by_id=pack.user_id,
                        cost_minor=choice.cost_minor, currency=choice.currency,
                        idempotency_key=f"fs-{uuid.uuid4().hex}" if choice.bought else None)
    session.add(shipment)
    session.flush()
    labels = []
    for package in packages:
        package.shipment_id = shipment.id
        if choice.number_range is None:
            continue  # bought after the commit
        package.tracking_number = issue_tracking_number(session, choice.account, choice.service, choice.number_range)
        label = label_for(session, choice, order, package.tracking_number, package.sequence, len(packages),
                          package.weight_measured_g)
        package.label_format, package.label_data = "zpl", render_zpl(label).decode()
        labels.append(package.label_data.encode())
    shipment.tracking_number = packages[0].tracking_number
    _package_items(session, state, {p.sequence: p for p in packages})
    _take_stock(session, state, shipment.id)
    _journal(session, state, shipment, [p.tracking_number for p in packages if p.tracking_number])
    return shipment.id, labels


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
    session.flush()


def _take_stock(session: Session, state: SessionState, shipment_id: int) -> None:
    """Shipped units leave the bins they were reserved in: on hand and reserved both drop."""
    line_ids = [line.id for line, _product in state.lines]
    allocations = session.execute(select(Allocation, StockLevel).join(
        StockLevel, StockLevel.id == Allocation.stock_level_id).where(Allocation.order_line_id.in_(line_ids))).all()
    for allocation, level in allocations:
        taken = rows_changed(session, update(StockLevel).where(
            StockLevel.id == level.id, StockLevel.reserved >= allocation.quantity,
            StockLevel.on_hand >= allocation.quantity)
            .values(on_hand=StockLevel.on_hand - allocation.quantity,
                    reserved=StockLevel.reserved - allocation.quantity))
        if not taken:
            raise RuntimeError(f"stock level {level.id} does not hold the {allocation.quantity} reserved units")
        session.add(StockMove(product_id=level.product_id, from_bin_id=level.bin_id, lot_code=level.lot_code,
                              quantity=allocation.quantity, reason="ship", user_id=state.session.user_id,
                              station_id=state.session.station_id, order_id=state.order.id,
                              shipment_id=shipment_id))
    session.execute(delete(Allocation).where(Allocation.order_line_id.in_(line_ids)))


def _journal(session: Session, state: SessionState, shipment: Shipment, tracking: list[str]) -> None:
    details = {"order": state.order.number, "tracking": tracking}
    session.add(AuditEntry(user_id=state.session.user_id, station_id=state.session.station_id,
                           action="shipment.created", entity_type="shipment", entity_id=shipment.id, details=details))
    session.add(OutboxMessage(topic="shipment.created", dedup_key=f"shipment.created:{shipment.id}",
                              payload={"shipment_id": shipment.id, **details}))
