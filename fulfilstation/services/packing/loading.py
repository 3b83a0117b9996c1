"""Reading a pack session into a ``PackView`` (inside a caller's unit of work)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.kit_lines import packable_line
from fulfilstation.db.models import (
    BoxType,
    Carrier,
    CarrierService,
    Order,
    OrderLine,
    Package,
    PackSession,
    Product,
    ScanEvent,
    SiteSetting,
)
from fulfilstation.domain.box_fit import BoxOption, ItemSize, suggest_box
from fulfilstation.domain.enums import ScanResult
from fulfilstation.domain.weight_check import ExpectedWeight, Tolerance
from fulfilstation.services.orders.split_note import split_note
from fulfilstation.services.packing.kits import OrderKits, order_kits
from fulfilstation.services.packing.lots import lot_to_take
from fulfilstation.services.packing.views import LineView, PackView


@dataclass(frozen=True)
class SessionState:
    """The facts of one session the rules need, loaded once per action."""

    session: PackSession
    order: Order
    lines: list[tuple[OrderLine, Product]]  # (line, its product) in line order
    scanned: dict[int, int]  # order line id -> units scanned, all packages
    lots: dict[int, list[str]]  # order line id -> lots of its accepted scans, first scanned first
    in_package: dict[int, int]  # order line id -> units scanned into the open package
    package_sequence: int
    closed_packages: int
    last_event: ScanEvent | None  # the last accepted or pending scan
    kits: OrderKits = field(default_factory=OrderKits)  # the order's kit lines (never packed themselves)


def load_state(session: Session, pack_session: PackSession) -> SessionState:
    order = session.get_one(Order, pack_session.order_id)
    lines = [(line, product) for line, product in session.execute(
        select(OrderLine, Product).join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id, packable_line()).order_by(OrderLine.line_no))]
    closed = session.scalar(select(func.count()).select_from(Package)
                            .where(Package.pack_session_id == pack_session.id)) or 0
    sequence = closed + 1
    scanned: dict[int, int] = defaultdict(int)
    in_package: dict[int, int] = defaultdict(int)
    lots: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(ScanEvent.order_line_id, ScanEvent.package_sequence, ScanEvent.lot_code, func.sum(ScanEvent.quantity))
        .where(ScanEvent.pack_session_id == pack_session.id, ScanEvent.result == ScanResult.ACCEPTED.value)
        .group_by(ScanEvent.order_line_id, ScanEvent.package_sequence, ScanEvent.lot_code)
        .order_by(func.min(ScanEvent.id))).all()
    for line_id, package, lot, quantity in rows:
        if line_id is not None:
            scanned[line_id] += int(quantity or 0)
            if package == sequence:
                in_package[line_id] += int(quantity or 0)
            if lot and lot not in lots[line_id]:
                lots[line_id].append(lot)
    last = session.scalar(select(ScanEvent).where(  # refusals leave a pending second scan pending
        ScanEvent.pack_session_id == pack_session.id,
        ScanEvent.result.in_([ScanResult.ACCEPTED.value, ScanResult.PENDING.value]))
        .order_by(ScanEvent.id.desc()).limit(1))
    return SessionState(pack_session, order, lines, dict(scanned), dict(lots), dict(in_package), sequence, closed,
                        last, order_kits(session, order.id))


def site_tolerance(session: Session) -> Tolerance:
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "weight_tolerance"))
    if isinstance(value, dict):
        return Tolerance(grams=int(value.get("grams", 50)), percent=float(value.get("percent", 5.0)))
    return Tolerance()


def box_options(session: Session) -> list[tuple[BoxType, BoxOption]]:
    boxes = session.scalars(select(BoxType).where(BoxType.active.is_(True))).all()
    return [(box, BoxOption(box.code, box.inner_length_mm, box.inner_width_mm, box.inner_height_mm,
                            box.max_weight_g, box.tare_weight_g)) for box in boxes]


def package_contents_g(state: SessionState) -> int:
    return sum(product.weight_g * state.in_package.get(line.id, 0) for line, product in state.lines)


def suggested_box(session: Session, state: SessionState) -> BoxType | None:
    """Smallest box for what this package will hold: everything not already packed."""
    items = [ItemSize(p.length_mm, p.width_mm, p.height_mm, p.weight_g,
                      line.quantity - (state.scanned.get(line.id, 0) - state.in_package.get(line.id, 0)))
             for line, p in state.lines]
    items = [item for item in items if item.quantity > 0]
    options = box_options(session)
    choice = suggest_box(items, [option for _box, option in options]) if items else None
    return next((box for box, option in options if choice is not None and option.code == choice.code), None)


def expected_weight(session: Session, state: SessionState, box: BoxType | None) -> ExpectedWeight:
    return ExpectedWeight.of(package_contents_g(state), box.tare_weight_g if box else 0, site_tolerance(session))


def build_view(session: Session, state: SessionState) -> PackView:
    order, pack = state.order, state.session
    chosen = session.get(BoxType, pack.box_type_id) if pack.box_type_id else None
    suggestion = suggested_box(session, state)
    expected = expected_weight(session, state, chosen or suggestion) if state.in_package else None
    service = None
    if order.requested_service_id:
        row = session.execute(select(Carrier.name, CarrierService.name).join(
            CarrierService, CarrierService.carrier_id == Carrier.id)
            .where(CarrierService.id == order.requested_service_id)).first()
        service = row[1] if row else None
    lines = tuple(LineView(line.id, product.sku, product.name, line.quantity, state.scanned.get(line.id, 0),
                           product.serial_tracked, product.lot_tracked, product.image_path,
                           tuple(state.lots.get(line.id, ())), state.kits.part_of.get(line.id))
                  for line, product in state.lines)
    return PackView(
        session_id=pack.id, order_id=order.id, order_number=order.number, customer=order.ship_to_name,
        destination=f"{order.ship_to_city} {order.ship_to_postal_code} {order.ship_to_country}",
        ship_by=order.ship_by, service=service, gift_message=order.gift_message, lines=lines,
        box_code=chosen.code if chosen else None, suggested_box=suggestion.code if suggestion else None,
        package_sequence=state.package_sequence, closed_packages=state.closed_packages,
        expected_g=expected.expected_g if expected else None,
        expected_min_g=expected.min_g if expected else None, expected_max_g=expected.max_g if expected else None,
        awaiting=awaiting_second_scan(state), take=_lot_to_take(session, state),
        split=split_note(session, order.id, order.split_from_id),
    )


def _lot_to_take(session: Session, state: SessionState) -> str | None:
    """Awaiting a lot: which lot and bin to take for the item waiting for it."""
    event = state.last_event
    if awaiting_second_scan(state) != "lot" or event is None or not event.order_line_id or not event.product_id:
        return None
    return lot_to_take(session, state.session.id, event.order_line_id, event.product_id)


def awaiting_second_scan(state: SessionState) -> str | None:
    last = state.last_event
    if last is None or last.result != ScanResult.PENDING.value:
        return None
    return "serial" if last.refusal == "serial-required" else "lot"
