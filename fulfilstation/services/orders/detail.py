"""Everything about one order (``OrderDetail``), read in one short transaction: its header
and ship-to address, lines (ordered, packed in the open pack, shipped), reservations (bin,
lot, quantity), the scans of its packs, its shipments, its holds (paired from the audit log:
who held it, why, who released it) and its audit history (every entry about the order and
its shipments, with who and where), and what the intake checks stored (problems and
warnings, lines with unknown SKUs, the address as sent when it was corrected), and, for an
order split for a partial shipment, which order it is part of or where its rest waits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    AuditEntry,
    Bin,
    Carrier,
    CarrierService,
    Manifest,
    Order,
    OrderLine,
    Package,
    PackageItem,
    PackSession,
    Product,
    ScanEvent,
    Shipment,
    Station,
    StockLevel,
    User,
)
from fulfilstation.domain.address import Address
from fulfilstation.domain.enums import PackSessionStatus, ScanResult, ShipmentStatus
from fulfilstation.domain.unmatched_lines import unmatched_of
from fulfilstation.services.orders.intake.findings import IntakeProblem
from fulfilstation.services.orders.lookup import find_order
from fulfilstation.services.orders.search import summary_of
from fulfilstation.services.orders.ship_to import ship_to_of
from fulfilstation.services.orders.split_note import split_note
from fulfilstation.services.orders.views import (
    HistoryEntry,
    HoldDetail,
    LineDetail,
    OrderDetail,
    Reservation,
    ScanDetail,
    ShipmentDetail,
    UnmatchedLine,
)


def order_detail(database: Database, number: str, today: dt.date) -> OrderDetail:
    with database.unit_of_work() as session:
        order = find_order(session, number)
        shipments = _shipments(session, order.id)
        history = _history(session, order.id, [shipment_id for shipment_id, _detail in shipments])
        return OrderDetail(summary_of(session, order.id, today), order.channel, order.external_id, ship_to_of(order),
                           order.deliver_by, order.ordered_at, order.gift_message, order.total_minor, order.currency,
                           _lines(session, order.id), _reservations(session, order.id), _scans(session, order.id),
                           tuple(detail for _id, detail in shipments), _holds(order, history), history,
                           *_intake(order), customer_note=order.customer_note,
                           split=split_note(session, order.id, order.split_from_id))


def _intake(order: Order) -> tuple[tuple[IntakeProblem, ...], tuple[UnmatchedLine, ...], Address | None]:
    """What the intake checks stored on the order: findings, unmatched lines, the address as sent."""
    problems = tuple(IntakeProblem.from_json(item) for item in order.intake_problems or [] if isinstance(item, dict))
    unmatched = unmatched_of(order.unmatched_lines)
    sent = order.original_ship_to
    original = None
    if isinstance(sent, dict):
        original = Address(str(sent.get("name") or ""), str(sent.get("line1") or ""), str(sent.get("city") or ""),
                           str(sent.get("postal_code") or ""), str(sent.get("country") or ""), sent.get("line2"),
                           sent.get("region"), sent.get("company"), sent.get("phone"), sent.get("email"))
    return problems, unmatched, original


def _lines(session: Session, order_id: int) -> tuple[LineDetail, ...]:
    packed = dict(session.execute(
        select(ScanEvent.order_line_id, func.sum(ScanEvent.quantity))
        .join(PackSession, PackSession.id == ScanEvent.pack_session_id)
        .where(PackSession.order_id == order_id, PackSession.status == PackSessionStatus.OPEN.value,
               ScanEvent.result == ScanResult.ACCEPTED.value)
        .group_by(ScanEvent.order_line_id)).all())
    shipped = dict(session.execute(
        select(PackageItem.order_line_id, func.sum(PackageItem.quantity))
        .join(Package, Package.id == PackageItem.package_id).join(Shipment, Shipment.id == Package.shipment_id)
        .where(Shipment.order_id == order_id, Shipment.status != ShipmentStatus.VOIDED.value)
        .group_by(PackageItem.order_line_id)).all())
    rows = session.execute(select(OrderLine.id, OrderLine.line_no, Product.sku, Product.name, OrderLine.quantity,
                                  OrderLine.kit_line_id)
                           .join(Product, Product.id == OrderLine.product_id)
                           .where(OrderLine.order_id == order_id).order_by(OrderLine.line_no)).all()
    parts: dict[int, list[LineDetail]] = defaultdict(list)
    kits = {row[0]: row for row in rows if any(other[5] == row[0] for other in rows)}
    for line_id, line_no, sku, name, quantity, kit_line_id in rows:
        if kit_line_id is not None and kit_line_id in kits:
            kit = kits[kit_line_id]
            parts[kit_line_id].append(LineDetail(line_no, sku, name, quantity, int(packed.get(line_id) or 0),
                                                 int(shipped.get(line_id) or 0), part_of=f"part of {kit[2]} ×{kit[4]}"))
    found: list[LineDetail] = []
    for line_id, line_no, sku, name, quantity, kit_line_id in rows:
        if kit_line_id is not None and kit_line_id in kits:
            continue  # listed under its kit
        if line_id in kits:  # whole kits: what its components allow
            per_kit = [(part, part.ordered // quantity) for part in parts[line_id]]
            found.append(LineDetail(line_no, sku, name, quantity, min(p.packed // n for p, n in per_kit),
                                    min(p.shipped // n for p, n in per_kit), is_kit=True))
            found += parts[line_id]
        else:
            found.append(LineDetail(line_no, sku, name, quantity, int(packed.get(line_id) or 0),
                                    int(shipped.get(line_id) or 0)))
    return tuple(found)


def _reservations(session: Session, order_id: int) -> tuple[Reservation, ...]:
    rows = session.execute(select(Product.sku, Bin.code, StockLevel.lot_code, Allocation.quantity)
                           .join(OrderLine, OrderLine.id == Allocation.order_line_id)
                           .join(StockLevel, StockLevel.id == Allocation.stock_level_id)
                           .join(Bin, Bin.id == StockLevel.bin_id).join(Product, Product.id == StockLevel.product_id)
                           .where(OrderLine.order_id == order_id).order_by(OrderLine.line_no, Bin.code)).all()
    return tuple(Reservation(sku, code, lot or None, quantity) for sku, code, lot, quantity in rows)


def _scans(session: Session, order_id: int) -> tuple[ScanDetail, ...]:
    rows = session.execute(select(ScanEvent.created_at, Station.name, User.full_name, ScanEvent.raw, ScanEvent.result,
                                  ScanEvent.message)
                           .join(PackSession, PackSession.id == ScanEvent.pack_session_id)
                           .outerjoin(Station, Station.id == ScanEvent.station_id)
                           .outerjoin(User, User.id == ScanEvent.user_id)
                           .where(PackSession.order_id == order_id).order_by(ScanEvent.created_at, ScanEvent.id)).all()
    return tuple(ScanDetail(*row) for row in rows)


def _shipments(session: Session, order_id: int) -> list[tuple[int, ShipmentDetail]]:
    creator, voider = aliased(User), aliased(User)
    packages = (select(Package.shipment_id, func.count().label("packages")).group_by(Package.shipment_id)
                .subquery())
    rows = session.execute(select(Shipment, Carrier.code, CarrierService.code, CarrierService.name,
                                  func.coalesce(packages.c.packages, 0), creator.full_name, voider.full_name,
                                  Manifest.number)
                           .join(CarrierService, CarrierService.id == Shipment.service_id)
                           .join(Carrier, Carrier.id == CarrierService.carrier_id)
                           .outerjoin(packages, packages.c.shipment_id == Shipment.id)
                           .outerjoin(creator, creator.id == Shipment.created_by_id)
                           .outerjoin(voider, voider.id == Shipment.voided_by_id)
                           .outerjoin(Manifest, Manifest.id == Shipment.manifest_id)
                           .where(Shipment.order_id == order_id).order_by(Shipment.id)).all()
    return [(s.id, ShipmentDetail(s.tracking_number, s.status, carrier, service, name, int(count), s.created_at,
                                  made_by, s.voided_at, voided_by, s.void_reason, manifest))
            for s, carrier, service, name, count, made_by, voided_by, manifest in rows]


def _history(session: Session, order_id: int, shipment_ids: list[int]) -> tuple[HistoryEntry, ...]:
    packages = select(Package.id).join(PackSession, PackSession.id == Package.pack_session_id).where(
        PackSession.order_id == order_id)
    about = or_((AuditEntry.entity_type == "order") & (AuditEntry.entity_id == order_id),
                (AuditEntry.entity_type == "shipment") & AuditEntry.entity_id.in_(shipment_ids),
                (AuditEntry.entity_type == "package") & AuditEntry.entity_id.in_(packages))
    rows = session.execute(select(AuditEntry, User.full_name, Station.name)
                           .outerjoin(User, User.id == AuditEntry.user_id)
                           .outerjoin(Station, Station.id == AuditEntry.station_id)
                           .where(about).order_by(AuditEntry.occurred_at, AuditEntry.id)).all()
    return tuple(HistoryEntry(entry.occurred_at, name or _by(entry.details), station, entry.action,
                              dict(entry.details or {})) for entry, name, station in rows)


def _holds(order: Order, history: tuple[HistoryEntry, ...]) -> tuple[HoldDetail, ...]:
    """Each hold with its release, oldest first; a hold the order came in with has no author."""
    holds: list[HoldDetail] = []
    for entry in history:
        if entry.action == "order.held":
            holds.append(HoldDetail(entry.at, entry.who, str(entry.details.get("reason") or "")))
        elif entry.action == "order.released":
            opened = holds and holds[-1].released_at is None
            base = holds.pop() if opened else HoldDetail(None, None, str(entry.details.get("was") or ""))
            holds.append(replace(base, released_at=entry.at, released_by=entry.who,
                                 release_reason=entry.details.get("reason")))
    if order.hold and not (holds and holds[-1].released_at is None):
        holds.append(HoldDetail(None, None, order.hold_reason or ""))
    return tuple(holds)


def _by(details: dict[str, Any] | None) -> str | None:
    by = (details or {}).get("by")
    return str(by) if by else None
