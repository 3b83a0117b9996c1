"""Starting, resuming and cancelling pack sessions.

Claiming an order is a conditional UPDATE (``status='ready' AND hold=false`` →
``packing``): of two stations scanning the same order at once, exactly one wins; the other
is told who is packing it. The partial unique index on open pack sessions is a second guard.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import (
    Order,
    Package,
    PackSession,
    PickList,
    PickListOrder,
    Station,
    User,
)
from fulfilstation.domain.enums import OrderStatus, PackSessionStatus
from fulfilstation.domain.roles import Permission
from fulfilstation.domain.scan_codes import interpret
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.packing.memo import forget, memo_for
from fulfilstation.services.packing.views import PackRefused, PackView, Refusal


def open_session_for_station(database: Database, station_id: int) -> PackView | None:
    """The pack this station was in the middle of (after a crash or a restart), if any."""
    with database.unit_of_work() as session:
        pack = session.scalar(select(PackSession).where(
            PackSession.station_id == station_id, PackSession.status == PackSessionStatus.OPEN.value)
            .order_by(PackSession.id.desc()).limit(1))
        session_id = pack.id if pack else None
    return _warm(database, session_id) if session_id is not None else None


def start_pack(database: Database, actor: Actor, reference: str) -> PackView:
    """Start packing, at the actor's station, the order named by ``reference``: its number,
    packing-slip barcode, shop order id, a pick list number (its next unpacked order) or a
    tote barcode."""
    station_id = _station_of(actor)
    text = interpret(reference).text.strip()
    with database.unit_of_work() as session:
        order = _find_order(session, text)
        if order is None and session.scalar(select(PickList.id).where(PickList.number == text)):
            raise PackRefused(Refusal.QUEUE_EMPTY, f"Every order on pick list {text} is packed or being packed. "
                              "Scan the next pick list or order.")
        if order is None:
            raise PackRefused(Refusal.ORDER_NOT_FOUND, f"No order, pick list or tote '{text}' was found. "
                              "Check the barcode, or type the order number.")
        mine = _open_session(session, order.id)
        resume = mine.id if mine is not None and mine.station_id == station_id else None
        order_id = order.id
    if resume is not None:
        return _warm(database, resume)
    return _claim(database, order_id, actor)


def next_order(database: Database, actor: Actor) -> PackView:
    """Claim the ready order with the oldest ship-by date; if another station takes it first,
    try the next one."""
    _station_of(actor)
    for _attempt in range(20):
        with database.unit_of_work() as session:
            order_id = session.scalar(
                select(Order.id).where(Order.status == OrderStatus.READY.value, Order.hold.is_(False))
                .order_by(Order.ship_by.is_(None), Order.ship_by, Order.id).limit(1))
        if order_id is None:
            raise PackRefused(Refusal.QUEUE_EMPTY, "No orders are waiting to be packed.")
        try:
            return _claim(database, order_id, actor)
        except PackRefused as refused:
            if refused.code is not Refusal.ORDER_BEING_PACKED:
                raise
    raise PackRefused(Refusal.QUEUE_EMPTY, "Other stations took every order offered; try again.")


def cancel_pack(database: Database, actor: Actor, session_id: int, reason: str = "cancelled by packer") -> None:
    """Give the order back to the queue (any station can pack it). Scan events stay as history.
    A pack open at another station is a manager's to cancel."""
    forget(database, session_id)
    with database.unit_of_work() as session:
        where = session.scalar(select(PackSession.station_id).where(PackSession.id == session_id))
        if where is not None and where != actor.station_id and not actor.may(Permission.MANAGE_ORDERS):
            raise PackRefused(Refusal.NOT_ALLOWED, "This pack is open at another station: cancel it there, or ask "
                              "a manager.")
        closed = rows_changed(session, update(PackSession).where(
            PackSession.id == session_id, PackSession.status == PackSessionStatus.OPEN.value)
            .values(status=PackSessionStatus.CANCELLED.value, ended_at=utcnow()))
        if not closed:
            raise PackRefused(Refusal.SESSION_CLOSED, "This pack is already finished or cancelled.")
        pack = session.get_one(PackSession, session_id)
        session.execute(update(Order).where(Order.id == pack.order_id, Order.status == OrderStatus.PACKING.value)
                        .values(status=OrderStatus.READY.value))
        session.execute(delete(Package).where(Package.pack_session_id == session_id, Package.shipment_id.is_(None)))
        audit.record(session, actor, "pack.cancelled", "order", pack.order_id, {"reason": reason})


def _station_of(actor: Actor) -> int:
    if actor.station_id is None:
        raise PackRefused(Refusal.NOT_ALLOWED, "Packing happens at a station: sign in at one (or give --station).")
    return actor.station_id


def _claim(database: Database, order_id: int, actor: Actor) -> PackView:
    station_id = _station_of(actor)
    try:
        with database.unit_of_work() as session:
            claimed = rows_changed(session, update(Order).where(
                Order.id == order_id, Order.status == OrderStatus.READY.value, Order.hold.is_(False))
                .values(status=OrderStatus.PACKING.value))
            if not claimed:
                raise _why_not(session, order_id)
            pack = PackSession(order_id=order_id, station_id=station_id, user_id=actor.user_id)
            session.add(pack)
            session.flush()
            audit.record(session, actor, "pack.started", "order", order_id)
            session_id = pack.id
    except IntegrityError:  # the open-session index caught a race the UPDATE did not
        with database.unit_of_work() as session:
            raise _why_not(session, order_id) from None
    return _warm(database, session_id)


def _warm(database: Database, session_id: int) -> PackView:
    """The view of the session, reading it once into this station's working copy (``memo``)
    so that the first scan costs no more than the others."""
    memo = memo_for(database, session_id)
    if memo is None:
        raise PackRefused(Refusal.SESSION_CLOSED, "This pack no longer exists. Scan the order again.")
    return memo.view


def _why_not(session: Session, order_id: int) -> PackRefused:
    order = session.get_one(Order, order_id)
    if order.hold:
        return PackRefused(Refusal.ORDER_ON_HOLD, f"Order {order.number} is on hold: "
                           f"{order.hold_reason or 'no reason given'}. Put it aside for a manager.")
    if order.status == OrderStatus.SHIPPED.value:
        return PackRefused(Refusal.ORDER_SHIPPED, f"Order {order.number} has already shipped.")
    if order.status == OrderStatus.CANCELLED.value:
        return PackRefused(Refusal.ORDER_CANCELLED, f"Order {order.number} was cancelled: do not ship it.")
    if order.status == OrderStatus.PENDING.value:
        return PackRefused(Refusal.ORDER_NOT_READY, f"Order {order.number} is not ready: its stock is not "
                           "allocated yet. Ask a manager.")
    other = _open_session(session, order_id)
    where = "another station"
    if other is not None:
        station = session.get_one(Station, other.station_id).name
        user = session.get_one(User, other.user_id).full_name
        where = f"station {station} by {user}"
    return PackRefused(Refusal.ORDER_BEING_PACKED, f"Order {order.number} is being packed at {where}.")


def _open_session(session: Session, order_id: int) -> PackSession | None:
    return session.scalar(select(PackSession).where(
        PackSession.order_id == order_id, PackSession.status == PackSessionStatus.OPEN.value))


def _find_order(session: Session, text: str) -> Order | None:
    order = session.scalar(select(Order).where(or_(Order.number == text, Order.external_id == text)))
    if order is not None:
        return order
    tote = session.scalar(select(Order).join(PickListOrder, PickListOrder.order_id == Order.id)
                          .where(PickListOrder.tote_code == text,
                                 Order.status.in_([OrderStatus.READY.value, OrderStatus.PACKING.value]))
                          .order_by(PickListOrder.id.desc()).limit(1))
    if tote is not None:
        return tote
    return session.scalar(select(Order).join(PickListOrder, PickListOrder.order_id == Order.id)
                          .join(PickList, PickList.id == PickListOrder.pick_list_id)
                          .where(PickList.number == text, Order.status == OrderStatus.READY.value,
                                 Order.hold.is_(False))
                          .order_by(Order.ship_by, Order.id).limit(1))
