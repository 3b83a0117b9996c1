"""Starting, resuming and cancelling pack sessions.

Claiming an order is a conditional UPDATE (``status='ready' AND hold=false`` →
``packing``): of two stations scanning the same order at once, exactly one wins; the other
is told who is packing it. The partial unique index on open pack sessions is a second guard.

An order leaving the ship-from country whose products lack an HS code or origin is not
claimed: it is held for customs (the intake's ``customs-data`` finding, so a re-check releases
it once the products are fixed) in a transaction before the claim, and the packer is refused with the
message naming the SKUs (``Refusal.CUSTOMS_INCOMPLETE``); ``next_order`` goes on to the next.

A session's holder keeps it alive with a heartbeat (``holders``). The window at the
session's station resumes it with its scans. At another station, a session not heard from
for two minutes is taken over (``taken_over_from`` on the view, scans kept) by a
conditional UPDATE on the same cut-off, so two stations cannot both take it. The ``pack``
command (``restart=True``) never adds its scans to old ones: a stale session of the order
(or one of this station whose holder is gone) is cancelled — its scans stay as history —
and a fresh one claimed; a live one is refused. A manager can release any open session
(``release_pack``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import delete, func, or_, select, update
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
    ScanEvent,
    Station,
    User,
)
from fulfilstation.domain.enums import OrderStatus, PackSessionStatus, ScanResult
from fulfilstation.domain.roles import Permission
from fulfilstation.domain.scan_codes import interpret
from fulfilstation.domain.unmatched_lines import unmatched_skus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.ready import first_ready_at
from fulfilstation.services.packing.customs_hold import hold_for_customs
from fulfilstation.services.packing.holders import heard_ago, is_gone, stale_before, this_process
from fulfilstation.services.packing.memo import forget, memo_for
from fulfilstation.services.packing.views import PackRefused, PackView, Refusal


def open_session_for_station(database: Database, station_id: int) -> PackView | None:
    """The pack this station was in the middle of (after a crash or a restart), if any."""
    with database.unit_of_work() as session:
        pack = session.scalar(select(PackSession).where(
            PackSession.station_id == station_id, PackSession.status == PackSessionStatus.OPEN.value)
            .order_by(PackSession.id.desc()).limit(1))
        session_id = pack.id if pack else None
        if pack is not None:
            pack.holder, pack.heard_at = this_process(), utcnow()
    return _warm(database, session_id) if session_id is not None else None


def start_pack(database: Database, actor: Actor, reference: str, *, restart: bool = False) -> PackView:
    """Start packing, at the actor's station, the order named by ``reference``: its number,
    packing-slip barcode, shop order id, a pick list number (its next unpacked order) or a
    tote barcode. An open session of the order is resumed (this station), taken over (stale,
    another station) or — with ``restart`` — replaced by a fresh one (see the module doc)."""
    station_id = _station_of(actor)
    text = interpret(reference).text.strip()
    now = utcnow()
    with database.unit_of_work() as session:
        order = _find_order(session, text)
        listed = None if order is not None else session.scalar(
            select(PickList.id).where(func.upper(PickList.number) == text.upper()))
        if listed is not None:
            waiting = session.scalar(select(Order.id).join(PickListOrder, PickListOrder.order_id == Order.id)
                                     .where(PickListOrder.pick_list_id == listed,
                                            Order.status.in_([OrderStatus.PENDING.value, OrderStatus.READY.value]))
                                     .order_by(Order.id).limit(1))
            if waiting is not None:  # held, or a backorder: say why, as its number would
                raise _why_not(session, waiting, now)
            raise PackRefused(Refusal.QUEUE_EMPTY, f"Every order on pick list {text} is packed or being packed. "
                              "Scan the next pick list or order.")
        if order is None:
            raise PackRefused(Refusal.ORDER_NOT_FOUND, f"No order, pick list or tote '{text}' was found. "
                              "Check the barcode, or type the order number.")
        unknown = unmatched_skus(order.unmatched_lines)
        if unknown:
            raise PackRefused(Refusal.ORDER_NOT_READY, f"Order {order.number} has lines whose SKU is not in the "
                              f"catalogue ({', '.join(unknown)}): it cannot be packed yet. Ask a manager to add the "
                              "products and re-check the order (Orders).")
        order_id, resume = order.id, None
        open_pack = _open_session(session, order.id)
        if open_pack is None:
            pass
        elif open_pack.station_id == station_id and not restart:
            open_pack.holder, open_pack.heard_at = this_process(), now
            resume = open_pack.id
        elif _alive(open_pack, now):
            raise _why_not(session, order_id, now)
        elif restart:
            forget(database, open_pack.id)
            _retire(session, actor, open_pack.id, "restarted by the pack command: its scans stay as history",
                    None if is_gone(open_pack.holder) else now)
        else:
            return _take_over(database, session, actor, open_pack, now)
    if resume is not None:
        return _warm(database, resume)
    return _claim(database, order_id, actor)


def heartbeat(database: Database, station_id: int | None, session_id: int) -> bool:
    """This process still holds the open session ``session_id`` at ``station_id``: move its
    ``heard_at`` on. False when it is no longer open there (finished, cancelled, released or
    taken over by another station). Not audited: a sign of life, not a change of the pack."""
    with database.unit_of_work() as session:
        return bool(rows_changed(session, update(PackSession).where(
            PackSession.id == session_id, PackSession.status == PackSessionStatus.OPEN.value,
            PackSession.station_id == station_id).values(heard_at=utcnow(), holder=this_process())
            .execution_options(synchronize_session=False)))


def _alive(pack: PackSession, now: dt.datetime) -> bool:
    """The session's holder is still packing it: heard from within the cut-off and not a
    dead process of this host."""
    if is_gone(pack.holder):
        return False
    return pack.heard_at is not None and pack.heard_at >= stale_before(now)


def _take_over(database: Database, session: Session, actor: Actor, pack: PackSession, now: dt.datetime) -> PackView:
    """Move a stale session of another station to the actor's, scans kept. Conditional on
    the same cut-off: of two stations taking it over at once, one wins."""
    station_id = _station_of(actor)
    before = session.get_one(Station, pack.station_id).name
    heard = heard_ago(pack.heard_at, now)
    taken = rows_changed(session, update(PackSession).where(
        PackSession.id == pack.id, PackSession.status == PackSessionStatus.OPEN.value,
        or_(PackSession.heard_at.is_(None), PackSession.heard_at < stale_before(now))
        if not is_gone(pack.holder) else PackSession.heard_at == pack.heard_at)
        .values(station_id=station_id, user_id=actor.user_id, holder=this_process(), heard_at=now,
                scan_count=PackSession.scan_count + 1)  # a version: the old station's working copy is stale
        .execution_options(synchronize_session=False))
    if not taken:
        session.expire_all()
        raise _why_not(session, pack.order_id, now)
    scans = _accepted_scans(session, pack.id)
    audit.record(session, actor, "pack.taken_over", "order", pack.order_id,
                 {"from_station": before, "last_heard": pack.heard_at.isoformat() if pack.heard_at else None,
                  "scans": scans})
    session.commit()
    forget(database, pack.id)
    return replace(_warm(database, pack.id), taken_over_from=f"Taken over from station {before} (last heard from "
                   f"{heard}): its {scans} scan{' is' if scans == 1 else 's are'} kept.")


def _accepted_scans(session: Session, session_id: int) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(ScanEvent.quantity), 0)).where(
        ScanEvent.pack_session_id == session_id, ScanEvent.result == ScanResult.ACCEPTED.value)) or 0)


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
            if refused.code not in (Refusal.ORDER_BEING_PACKED, Refusal.CUSTOMS_INCOMPLETE):
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
        if not _retire(session, actor, session_id, reason):
            raise PackRefused(Refusal.SESSION_CLOSED, "This pack is already finished or cancelled.")


@dataclass(frozen=True)
class ReleasedPack:
    """An open pack session a manager released: the order is ready again for any station."""

    order_number: str
    station: str
    packer: str
    scans: int  # accepted scans of the released session (kept as history, not counted again)

    @property
    def message(self) -> str:
        return (f"Released the pack of {self.order_number} at station {self.station} ({self.packer}, "
                f"{self.scans} scan{'s' if self.scans != 1 else ''}): the order is ready for any station again.")


def release_pack(database: Database, actor: Actor, number: str, reason: str) -> ReleasedPack:
    """A manager gives back to the queue the open pack session of order ``number``, wherever
    it is (a station that died mid-pack). Audited as ``pack.released``."""
    with database.unit_of_work() as session:
        order = session.scalar(select(Order).where(Order.number == number.strip()))
        if order is None:
            raise PackRefused(Refusal.ORDER_NOT_FOUND, f"There is no order {number.strip()}. Check the number.")
        pack = _open_session(session, order.id)
        if pack is None:
            raise PackRefused(Refusal.SESSION_CLOSED, f"Order {order.number} is not being packed: there is nothing "
                              "to release.")
        released = ReleasedPack(order.number, session.get_one(Station, pack.station_id).name,
                                session.get_one(User, pack.user_id).full_name, _accepted_scans(session, pack.id))
        if not _retire(session, actor, pack.id, reason, action="pack.released"):
            raise PackRefused(Refusal.SESSION_CLOSED, f"The pack of {order.number} finished meanwhile.")
        session_id = pack.id
    forget(database, session_id)
    return released


def _retire(session: Session, actor: Actor, session_id: int, reason: str, stale_at: dt.datetime | None = None,
            action: str = "pack.cancelled") -> bool:
    """Cancel the open session (and, with ``stale_at``, only if it was not heard from within
    the cut-off before it): the order is ready again (its first ``ready_at`` kept), its
    unshipped packages deleted, its scans kept as history; audited. False when the conditional
    UPDATE lost (not open, or heard from meanwhile)."""
    condition = [PackSession.id == session_id, PackSession.status == PackSessionStatus.OPEN.value]
    if stale_at is not None:
        condition.append(or_(PackSession.heard_at.is_(None), PackSession.heard_at < stale_before(stale_at)))
    closed = rows_changed(session, update(PackSession).where(*condition)
                          .values(status=PackSessionStatus.CANCELLED.value, ended_at=utcnow())
                          .execution_options(synchronize_session=False))
    if not closed:
        return False
    order_id = session.scalars(select(PackSession.order_id).where(PackSession.id == session_id)).one()
    session.execute(update(Order).where(Order.id == order_id, Order.status == OrderStatus.PACKING.value)
                    .values(status=OrderStatus.READY.value, ready_at=first_ready_at()))
    session.execute(delete(Package).where(Package.pack_session_id == session_id, Package.shipment_id.is_(None)))
    audit.record(session, actor, action, "order", order_id, {"reason": reason})
    return True


def _station_of(actor: Actor) -> int:
    if actor.station_id is None:
        raise PackRefused(Refusal.NOT_ALLOWED, "Packing happens at a station: sign in at one (or give --station).")
    return actor.station_id


def _claim(database: Database, order_id: int, actor: Actor) -> PackView:
    station_id = _station_of(actor)
    with database.unit_of_work() as session:
        customs = hold_for_customs(session, actor, order_id)
    if customs is not None:
        raise PackRefused(Refusal.CUSTOMS_INCOMPLETE, customs)
    try:
        with database.unit_of_work() as session:
            claimed = rows_changed(session, update(Order).where(
                Order.id == order_id, Order.status == OrderStatus.READY.value, Order.hold.is_(False))
                .values(status=OrderStatus.PACKING.value))
            if not claimed:
                raise _why_not(session, order_id, utcnow())
            pack = PackSession(order_id=order_id, station_id=station_id, user_id=actor.user_id,
                               holder=this_process(), heard_at=utcnow())
            session.add(pack)
            session.flush()
            audit.record(session, actor, "pack.started", "order", order_id)
            session_id = pack.id
    except IntegrityError:  # the open-session index caught a race the UPDATE did not
        with database.unit_of_work() as session:
            raise _why_not(session, order_id, utcnow()) from None
    return _warm(database, session_id)


def _warm(database: Database, session_id: int) -> PackView:
    """The view of the session, reading it once into this station's working copy (``memo``)
    so that the first scan costs no more than the others."""
    memo = memo_for(database, session_id)
    if memo is None:
        raise PackRefused(Refusal.SESSION_CLOSED, "This pack no longer exists. Scan the order again.")
    return memo.view


def _why_not(session: Session, order_id: int, now: dt.datetime) -> PackRefused:
    order = session.get_one(Order, order_id)
    if order.hold:
        return PackRefused(Refusal.ORDER_ON_HOLD, f"Order {order.number} is on hold: "
                           f"{(order.hold_reason or 'no reason given').rstrip('.')}. Put it aside for a manager.")
    if order.status == OrderStatus.SHIPPED.value:
        return PackRefused(Refusal.ORDER_SHIPPED, f"Order {order.number} has already shipped.")
    if order.status == OrderStatus.CANCELLED.value:
        return PackRefused(Refusal.ORDER_CANCELLED, f"Order {order.number} was cancelled: do not ship it.")
    if order.status == OrderStatus.PENDING.value and order.backorder:
        return PackRefused(Refusal.ORDER_NOT_READY, f"Order {order.number} is a backorder: it waits for stock to "
                           "arrive. Put its tote aside; it can be packed once it is ready again.")
    if order.status == OrderStatus.PENDING.value:
        return PackRefused(Refusal.ORDER_NOT_READY, f"Order {order.number} is not ready: its stock is not "
                           "allocated yet. Ask a manager.")
    other = _open_session(session, order_id)
    where = "another station"
    if other is not None:
        station = session.get_one(Station, other.station_id).name
        user = session.get_one(User, other.user_id).full_name
        where = f"station {station} by {user} (last heard from {heard_ago(other.heard_at, now)})"
    return PackRefused(Refusal.ORDER_BEING_PACKED, f"Order {order.number} is being packed at {where}. If that "
                       "station stopped, it can be taken over here 2 minutes after it was last heard from, or a "
                       "manager can release it (Orders).")


def _open_session(session: Session, order_id: int) -> PackSession | None:
    return session.scalar(select(PackSession).where(
        PackSession.order_id == order_id, PackSession.status == PackSessionStatus.OPEN.value))


def _find_order(session: Session, text: str) -> Order | None:
    order = session.scalar(select(Order).where(Order.number == text))
    if order is not None:  # our number first: another channel's shop id may read the same
        return order
    by_shop_id = session.scalars(select(Order).where(Order.external_id == text).limit(2)).all()
    if len(by_shop_id) == 1:  # a shop id names an order only when one channel has it
        return by_shop_id[0]
    tote = session.scalar(select(Order).join(PickListOrder, PickListOrder.order_id == Order.id)
                          .where(func.upper(PickListOrder.tote_code) == text.upper())
                          .order_by(PickListOrder.id.desc()).limit(1))
    if tote is not None:  # any status: a tote of an order not ready is refused with the order's reason
        return tote
    return session.scalar(select(Order).join(PickListOrder, PickListOrder.order_id == Order.id)
                          .join(PickList, PickList.id == PickListOrder.pick_list_id)
                          .where(func.upper(PickList.number) == text.upper(), Order.status == OrderStatus.READY.value,
                                 Order.hold.is_(False))
                          .order_by(Order.ship_by, Order.id).limit(1))
