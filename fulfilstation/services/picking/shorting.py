"""A short pick: "the bin has no more of this product (and lot)".

It is taken to mean the bin is empty of it except what is already in totes. In ONE
transaction (the list's row held first, as every pick; then the stock level's row):

* every open line of that bin + product + lot, on this list and on any other open list,
  records its missing units as ``short_quantity``;
* the level's on hand comes down to the units picked into totes and not yet shipped (lines
  of lists not cancelled whose order is not shipped or cancelled): a stock move ``adjust``
  from the bin, note "short pick on <list>" (the ledger keeps adding up);
* each allocation on the level keeps only the units picked from it; the rest is released
  (this order's unpicked units AND other orders'), ``reserved`` set to the allocations' sum;
* every order that lost units is reserved again through the one rule
  (``orders.reserve.reserve_lines``, under a SAVEPOINT): found elsewhere → new lines on its
  open pick list (the picker walks there too); not found → the order becomes a backorder
  (pending, ``backorder``), keeping the units it still holds — or, when the site ships
  partially, gives them back and, after the commit, ``orders.partial.split_order`` ships
  what is there and makes the rest a backorder (its new units get lines on the list).

Invariant after a short pick, on every level: ``reserved <= on_hand`` and ``reserved`` is
the sum of its allocations. Audited ``picklist.short`` (and the orders' own entries).

Threading: blocking (database); called by the use case from worker threads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    Bin,
    Order,
    OrderLine,
    PickList,
    PickListLine,
    PickListOrder,
    Product,
    StockLevel,
    StockMove,
)
from fulfilstation.domain.enums import OrderStatus, PickListStatus, StockMoveReason
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.partial import split_order
from fulfilstation.services.orders.reserve import ATTEMPTS, StockMoved, reserve_lines
from fulfilstation.services.picking.confirming import OPEN_LISTS, finish_if_done, open_rows, take_list
from fulfilstation.services.picking.views import PickingRefused, PickRow, Shorted, ShortPreview
from fulfilstation.services.stock.in_totes import in_totes


def short_pick(database: Database, actor: Actor, number: str, bin_code: str, sku: str, lot: str | None,
               today: dt.date, partial: bool) -> Shorted:
    with database.unit_of_work() as session:
        list_id = take_list(session, number)
        list_number, row = _short_row(session, number, bin_code, sku, lot)
        product_id = session.scalars(select(Product.id).where(Product.sku == row.sku)).one()
        bin_id = session.scalars(select(Bin.id).where(Bin.code == row.bin)).one()
        level = session.execute(update(StockLevel).where(
            StockLevel.product_id == product_id, StockLevel.bin_id == bin_id, StockLevel.lot_code == row.lot)
            .values(on_hand=StockLevel.on_hand).returning(StockLevel.id, StockLevel.on_hand)).one()
        level_id, before = int(level[0]), int(level[1])
        where = (PickListLine.product_id == product_id, PickListLine.bin_id == bin_id,
                 PickListLine.lot_code == row.lot)
        session.execute(update(PickListLine).where(
            *where, PickListLine.pick_list_id.in_(select(PickList.id).where(PickList.status.in_(OPEN_LISTS))),
            PickListLine.picked_quantity + PickListLine.short_quantity < PickListLine.quantity)
            .values(short_quantity=PickListLine.quantity - PickListLine.picked_quantity)
            .execution_options(synchronize_session=False))
        after = min(before, _in_totes(session, product_id, bin_id, row.lot))
        losers = _release_unpicked(session, level_id, after)
        if after < before:
            session.add(StockMove(product_id=product_id, from_bin_id=bin_id, lot_code=row.lot, quantity=before - after,
                                  reason=StockMoveReason.ADJUST.value, note=f"short pick on {list_number}",
                                  user_id=actor.user_id, station_id=actor.station_id))
        session.execute(update(StockLevel).where(StockLevel.id == level_id).values(on_hand=after))
        re_reserved, waiting = _reserve_again(session, actor, sorted(losers), today)
        backordered = _wait(session, waiting, give_back=partial)
        done = finish_if_done(session, list_id) if not (partial and waiting) else False
        audit.record(session, actor, "picklist.short", "pick_list", list_id,
                     {"number": list_number, "bin": row.bin, "sku": row.sku, "lot": row.lot, "short": row.remaining,
                      "on_hand": [before, after], "re_reserved": re_reserved, "waiting": backordered})
    split: list[str] = []
    if partial and waiting:  # the list is finished after the splits gave their orders new lines
        backordered, split = _split(database, actor, waiting, today)
        done = _finish_after_split(database, list_number)
    return Shorted(list_number, row.bin, row.sku, row.lot, row.remaining, before, after, tuple(re_reserved),
                   tuple(backordered), tuple(split), done)


def short_preview(database: Database, number: str, bin_code: str, sku: str, lot: str | None) -> ShortPreview:
    """What a short pick would write off (read-only; the same refusals as ``short_pick``)."""
    with database.unit_of_work() as session:
        _number, row = _short_row(session, number, bin_code, sku, lot)
        on_hand = session.scalar(select(StockLevel.on_hand).join(Product, Product.id == StockLevel.product_id)
                                 .join(Bin, Bin.id == StockLevel.bin_id)
                                 .where(Product.sku == row.sku, Bin.code == row.bin, StockLevel.lot_code == row.lot))
        totes = min(int(on_hand or 0), _in_totes(
            session, select(Product.id).where(Product.sku == row.sku).scalar_subquery(),
            select(Bin.id).where(Bin.code == row.bin).scalar_subquery(), row.lot))
    return ShortPreview(row.bin, row.sku, row.lot, int(on_hand or 0), totes)


def _short_row(session: Session, number: str, bin_code: str, sku: str, lot: str | None) -> tuple[str, PickRow]:
    """The list's open row of ``sku`` (and ``lot``) at the bin: a bin with nothing left to pick
    on the list (never scanned there, done, or only for shipped orders) is refused, as is an
    item the list does not pick there."""
    list_number, rows = open_rows(session, number, bin_code)
    row = next((r for r in rows if r.sku.upper() == sku.strip().upper() and (lot is None or r.lot == lot)), None)
    if row is None:
        raise PickingRefused("wrong-item", f"{sku} is not to be picked from bin {rows[0].bin} on {list_number}.")
    return list_number, row


def _finish_after_split(database: Database, number: str) -> bool:
    """Mark the list done when no line has units left, its row held as every pick holds it
    (False when it was finished or cancelled meanwhile)."""
    with database.unit_of_work() as session:
        try:
            list_id = take_list(session, number)
        except PickingRefused:
            return False
        return finish_if_done(session, list_id)


def _in_totes(session: Session, product_id: Any, bin_id: Any, lot_code: str) -> int:
    """Units of the level picked into totes and not shipped (``stock.in_totes``, the one rule)."""
    return int(session.scalar(select(in_totes(product_id, bin_id, lot_code))) or 0)


def _release_unpicked(session: Session, level_id: int, on_hand: int) -> set[int]:
    """Each allocation on the level keeps what was picked from it (never more than ``on_hand``
    in all); the rest is released. The ids of the orders that lost units."""
    allocations = session.execute(
        select(Allocation.id, Allocation.quantity, OrderLine.order_id)
        .join(OrderLine, OrderLine.id == Allocation.order_line_id)
        .where(Allocation.stock_level_id == level_id).order_by(Allocation.id)).all()
    picked = dict((a, b) for a, b in session.execute(
        select(PickListLine.allocation_id, func.sum(PickListLine.picked_quantity))
        .join(PickList, PickList.id == PickListLine.pick_list_id)
        .where(PickListLine.allocation_id.in_([a[0] for a in allocations]),
               PickList.status != PickListStatus.CANCELLED.value)
        .group_by(PickListLine.allocation_id)).all())
    losers, room, total = set(), on_hand, 0
    for allocation_id, quantity, order_id in allocations:
        keep = min(int(quantity), int(picked.get(allocation_id) or 0), room)
        room -= keep
        total += keep
        if keep == quantity:
            continue
        losers.add(int(order_id))
        if keep:
            session.execute(update(Allocation).where(Allocation.id == allocation_id).values(quantity=keep))
        else:
            session.execute(delete(Allocation).where(Allocation.id == allocation_id))
    session.execute(update(StockLevel).where(StockLevel.id == level_id).values(reserved=total))
    return losers


def _reserve_again(session: Session, actor: Actor, order_ids: list[int],
                   today: dt.date) -> tuple[list[str], list[tuple[int, str]]]:
    """Reserve each order's missing units elsewhere (whole or nothing); (orders reserved,
    (id, number) of those that could not be)."""
    reserved, waiting = [], []
    for order_id in order_ids:
        number, status = session.execute(select(Order.number, Order.status).where(Order.id == order_id)).one()
        if status != OrderStatus.READY.value:
            continue  # being packed: the station sees it short; pending: it waits already
        if _reserve_in_savepoint(session, order_id, today):
            add_lines_for(session, order_id)
            audit.record(session, actor, "order.stock_reserved", "order", order_id,
                         {"order": number, "after": "short pick"})
            reserved.append(str(number))
        else:
            waiting.append((order_id, str(number)))
    return reserved, waiting


def _reserve_in_savepoint(session: Session, order_id: int, today: dt.date) -> bool:
    for _attempt in range(ATTEMPTS):
        savepoint = session.begin_nested()
        try:
            found = reserve_lines(session, order_id, today)
        except StockMoved:
            savepoint.rollback()
            continue
        if found.shortages:
            savepoint.rollback()
            return False
        savepoint.commit()
        return True
    return False


def _wait(session: Session, waiting: list[tuple[int, str]], *, give_back: bool) -> list[str]:
    """The orders that could not be reserved become pending: a backorder keeping the units it
    holds, or (``give_back``: to be split) holding nothing, its unpicked lines taken off."""
    for order_id, _number in waiting:
        if give_back:
            _give_back(session, order_id)
        session.execute(update(Order).where(Order.id == order_id, Order.status == OrderStatus.READY.value)
                        .values(status=OrderStatus.PENDING.value, backorder=not give_back))
    return [number for _id, number in waiting] if not give_back else []


def _give_back(session: Session, order_id: int) -> None:
    lines = select(OrderLine.id).where(OrderLine.order_id == order_id)
    held = session.execute(select(Allocation.stock_level_id, func.sum(Allocation.quantity))
                           .where(Allocation.order_line_id.in_(lines)).group_by(Allocation.stock_level_id)
                           .order_by(Allocation.stock_level_id)).all()
    for level_id, units in held:
        session.execute(update(StockLevel).where(StockLevel.id == level_id)
                        .values(reserved=StockLevel.reserved - int(units)))
    session.execute(delete(Allocation).where(Allocation.order_line_id.in_(lines)))
    open_lines = (PickListLine.order_line_id.in_(lines),
                  PickListLine.pick_list_id.in_(select(PickList.id).where(PickList.status.in_(OPEN_LISTS))))
    session.execute(delete(PickListLine).where(*open_lines, PickListLine.picked_quantity == 0,
                                               PickListLine.short_quantity == 0))
    session.execute(update(PickListLine).where(*open_lines).values(
        quantity=PickListLine.picked_quantity + PickListLine.short_quantity))


def _split(database: Database, actor: Actor, waiting: list[tuple[int, str]],
           today: dt.date) -> tuple[list[str], list[str]]:
    """After the short committed: ship what is there of each order (``split_order``); (orders
    that wait whole as backorders, "order → remainder" of those split)."""
    backordered, split = [], []
    for order_id, number in waiting:
        done = split_order(database, actor, order_id, number, today)
        with database.unit_of_work() as session:
            if done is None:
                session.execute(update(Order).where(Order.id == order_id, Order.status == OrderStatus.PENDING.value)
                                .values(backorder=True))
                backordered.append(number)
            else:
                add_lines_for(session, order_id)
                split.append(f"{number} → {done.rest_number}")
    return backordered, split


def add_lines_for(session: Session, order_id: int) -> int:
    """Lines for the order's allocations that its open pick list does not cover yet (units
    picked or still to pick at the same line, bin, product and lot); the number added."""
    found = session.execute(select(PickListOrder.pick_list_id).join(PickList, PickList.id == PickListOrder.pick_list_id)
                            .where(PickListOrder.order_id == order_id, PickList.status.in_(OPEN_LISTS))).first()
    if found is None:
        return 0
    list_id = int(found[0])
    allocations = session.execute(
        select(Allocation.id, Allocation.order_line_id, StockLevel.product_id, StockLevel.bin_id,
               StockLevel.lot_code, Bin.pick_sequence, Allocation.quantity)
        .join(OrderLine, OrderLine.id == Allocation.order_line_id)
        .join(StockLevel, StockLevel.id == Allocation.stock_level_id).join(Bin, Bin.id == StockLevel.bin_id)
        .where(OrderLine.order_id == order_id)).all()
    covered = {(int(line), int(product), int(bin_id), str(lot)): int(units or 0) for line, product, bin_id, lot, units
               in session.execute(
                   select(PickListLine.order_line_id, PickListLine.product_id, PickListLine.bin_id,
                          PickListLine.lot_code, func.sum(PickListLine.quantity - PickListLine.short_quantity))
                   .where(PickListLine.pick_list_id == list_id)
                   .group_by(PickListLine.order_line_id, PickListLine.product_id, PickListLine.bin_id,
                             PickListLine.lot_code))}
    rows = []
    for allocation_id, line_id, product_id, bin_id, lot, sequence, quantity in allocations:
        need = int(quantity) - covered.get((int(line_id), int(product_id), int(bin_id), str(lot)), 0)
        if need > 0:
            rows.append({"pick_list_id": list_id, "allocation_id": allocation_id, "order_line_id": line_id,
                         "product_id": product_id, "bin_id": bin_id, "lot_code": lot, "sequence": sequence,
                         "quantity": need, "picked_quantity": 0, "short_quantity": 0})
    if rows:
        session.execute(insert(PickListLine), rows)
    return len(rows)
