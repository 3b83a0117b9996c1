"""Which orders a new pick list takes, and the claim that keeps one order on one list.

Pickable: status ``ready``, not held, on no list open or being picked, and on no done list
unless it had a short line there (an order on a done list is in its tote, waiting for
packing; one short-picked there and ready again — its missing units reserved anew — goes on
a new list for them: ``creating.write_lines`` leaves out the units already in a tote).
``next N``: the oldest by ship-by date (none last), then order time, then id. Waves: by
carrier (the requested service's carrier; the schema keeps no carrier cut-off), by ship-by
date (that day and overdue), by zone (every reserved unit of the order in bins of that zone).

The claim (``claim``), inside the creating transaction, after the new list's row was
written (so on SQLite the transaction already holds the write lock): the chosen orders'
rows are locked in id order (PostgreSQL ``SELECT … FOR UPDATE``; ``SKIP LOCKED`` for
``next`` and waves, whose candidates another station is claiming right now are passed
over), then a *fresh* statement re-reads which of them are still pickable — it sees every
list another station committed while we waited for the locks. Of two stations creating
lists from the same orders at once, the second waits, then finds them taken: an order is
never on two open lists on either engine.

Threading: called inside the caller's unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session

from fulfilstation.db.models import (
    Allocation,
    Bin,
    Carrier,
    CarrierService,
    Order,
    OrderLine,
    PickList,
    PickListLine,
    PickListOrder,
    StockLevel,
)
from fulfilstation.domain.enums import OrderStatus, PickListStatus
from fulfilstation.services.picking.views import PickingRefused, Selection, Wave

ACTIVE_LISTS = (PickListStatus.OPEN.value, PickListStatus.PICKING.value, PickListStatus.DONE.value)
OPEN_OR_PICKING = (PickListStatus.OPEN.value, PickListStatus.PICKING.value)
MAX_ORDERS = 5_000
_ROUNDS = 5  # ``next``/wave: top up after orders another station took meanwhile


def on_a_list() -> ColumnElement[bool]:
    """The order (``Order.id``) is on a list open or being picked, or on a done list where
    none of its lines was short."""
    short_there = exists().where(PickListLine.pick_list_id == PickList.id, PickListLine.short_quantity > 0,
                                 OrderLine.id == PickListLine.order_line_id, OrderLine.order_id == Order.id)
    return exists().where(PickListOrder.order_id == Order.id, PickList.id == PickListOrder.pick_list_id,
                          PickList.status.in_(OPEN_OR_PICKING) | ((PickList.status == PickListStatus.DONE.value)
                                                                  & ~short_there))


def pickable() -> tuple[ColumnElement[bool], ...]:
    return (Order.status == OrderStatus.READY.value, Order.hold.is_(False), ~on_a_list())


def describe(selection: Selection, value: str | None) -> str:
    if selection.orders:
        text = ", ".join(selection.orders)
        return f"orders {text}" if len(text) < 180 else f"{len(selection.orders)} orders"
    if selection.next is not None:
        return f"next {selection.next}"
    assert selection.wave is not None
    return f"wave: {selection.wave.value} {value}"


def check(selection: Selection) -> None:
    given = sum((bool(selection.orders), selection.next is not None, selection.wave is not None))
    if given != 1:
        raise PickingRefused("bad-selection", "Say which orders: order numbers, the next N, or a wave (carrier, "
                             "ship-by or zone) — one of them.")
    count = selection.next if selection.next is not None else selection.limit
    if count is not None and not 1 <= count <= MAX_ORDERS:
        raise PickingRefused("bad-selection", f"A pick list takes 1 to {MAX_ORDERS} orders, not {count}.")
    if len(selection.orders) > MAX_ORDERS:
        raise PickingRefused("bad-selection", f"A pick list takes at most {MAX_ORDERS} orders.")


def wave_value(session: Session, selection: Selection, today: dt.date) -> str | None:
    """The wave's value: as given, else the obvious one (the carrier or zone of the oldest
    pickable order; today for ship-by). None for a selection that is not a wave."""
    if selection.wave is None:
        return None
    if selection.value and selection.value.strip():
        value = selection.value.strip()
        return value if selection.wave is Wave.SHIP_BY else _known(session, selection.wave, value)
    if selection.wave is Wave.SHIP_BY:
        return today.isoformat()
    if selection.wave is Wave.CARRIER:
        query = _oldest(select(Carrier.code).select_from(Order)
                        .join(CarrierService, CarrierService.id == Order.requested_service_id)
                        .join(Carrier, Carrier.id == CarrierService.carrier_id))
    else:
        zone = _single_zone()
        query = _oldest(select(zone).select_from(Order), zone.is_not(None))
    found = session.scalar(query.limit(1))
    if found is None:
        raise PickingRefused("nothing-to-pick", f"No ready order fits a {selection.wave.value} wave: nothing to pick.")
    return str(found)


def _known(session: Session, wave: Wave, value: str) -> str:
    """The carrier or zone ``value`` names, as the site spells it (any case); a refusal naming
    the ones it has when there is none."""
    if wave is Wave.CARRIER:
        known = [str(code) for code in session.scalars(select(Carrier.code).order_by(Carrier.code))]
    else:
        known = [str(zone) for zone in session.scalars(select(Bin.zone).where(Bin.zone.is_not(None)).distinct()
                                                       .order_by(Bin.zone)) if zone]
    found = next((code for code in known if code.upper() == value.upper()), None)
    if found is None:
        word = "carrier" if wave is Wave.CARRIER else "zone"
        raise PickingRefused("bad-selection", f"There is no {word} {value} ({word}s: {', '.join(known) or 'none'}).")
    return found


def claim(session: Session, selection: Selection, value: str | None) -> list[int]:
    """Lock and return the ids of the orders the new list takes, in tote order (see the
    module doc). Explicit orders: all of them or a refusal naming the ones that cannot go."""
    if selection.orders:
        return _claim_named(session, selection.orders)
    wanted = selection.next if selection.next is not None else (selection.limit or MAX_ORDERS)
    chosen: list[int] = []
    for _round in range(_ROUNDS):
        query = _oldest(select(Order.id), *_wave_filter(selection, value))
        if chosen:
            query = query.where(Order.id.not_in(chosen))
        ids: list[int] = list(session.scalars(query.limit(wanted - len(chosen))
                                   .with_for_update(of=Order, skip_locked=True)))
        if not ids:
            break
        still = set(session.scalars(select(Order.id).where(Order.id.in_(ids), *pickable())))
        chosen += [order_id for order_id in ids if order_id in still]
        if len(chosen) >= wanted or len(still) == len(ids):
            break
    if not chosen:
        raise PickingRefused("nothing-to-pick", "No ready order is waiting to be picked for that choice (each is "
                             "held, not ready, or on a pick list already).")
    return chosen


def _claim_named(session: Session, numbers: Sequence[str]) -> list[int]:
    found = {str(n): int(i) for n, i in session.execute(
        select(Order.number, Order.id).where(Order.number.in_(numbers)).order_by(Order.id)
        .with_for_update(of=Order))}
    missing = [number for number in numbers if number not in found]
    if missing:
        raise PickingRefused("order-not-found", f"There is no order {', '.join(missing)}: check the numbers.")
    ids = [found[number] for number in numbers]
    still = set(session.scalars(select(Order.id).where(Order.id.in_(ids), *pickable())))
    refused = [number for number in numbers if found[number] not in still]
    if refused:
        listed = dict((str(a), str(b)) for a, b in session.execute(
            select(Order.number, PickList.number).join(PickListOrder, PickListOrder.order_id == Order.id)
            .join(PickList, PickList.id == PickListOrder.pick_list_id)
            .where(Order.number.in_(refused), PickList.status.in_(ACTIVE_LISTS)).order_by(PickList.id)).all())
        why = "; ".join(f"{n} is on pick list {listed[n]}" if n in listed else f"{n} is not ready (or on hold)"
                        for n in refused)
        raise PickingRefused("not-pickable", f"Cannot pick: {why}. Leave them out, or cancel that list first.")
    return ids


def _oldest(query: Select[Any], *where: ColumnElement[bool]) -> Select[Any]:
    return (query.where(*pickable(), *where)
            .order_by(Order.ship_by.is_(None), Order.ship_by, Order.ordered_at.is_(None), Order.ordered_at, Order.id))


def _single_zone() -> ColumnElement[str]:
    """The zone every reserved unit of the order (``Order.id``) sits in; NULL when several."""
    return (select(func.min(Bin.zone)).select_from(OrderLine)
            .join(Allocation, Allocation.order_line_id == OrderLine.id)
            .join(StockLevel, StockLevel.id == Allocation.stock_level_id).join(Bin, Bin.id == StockLevel.bin_id)
            .where(OrderLine.order_id == Order.id).group_by(OrderLine.order_id)
            .having(func.min(Bin.zone) == func.max(Bin.zone)).correlate(Order).scalar_subquery())


def _wave_filter(selection: Selection, value: str | None) -> tuple[ColumnElement[bool], ...]:
    if selection.wave is None or value is None:
        return ()
    if selection.wave is Wave.CARRIER:
        carrier = (select(CarrierService.id).join(Carrier, Carrier.id == CarrierService.carrier_id)
                   .where(func.upper(Carrier.code) == value.upper()))
        return (Order.requested_service_id.in_(carrier),)
    if selection.wave is Wave.SHIP_BY:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise PickingRefused("bad-selection", f"{value!r} is not a date: write it as YYYY-MM-DD.") from None
        return (Order.ship_by.is_not(None), Order.ship_by <= day)
    return (_single_zone() == value,)
