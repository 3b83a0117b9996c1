"""Moving stock from one bin to another (``stock.move``, ``stock.move_many``).

Rules: both bins exist, are active and differ; each quantity is a whole number above 0;
a kit holds no stock (its components do), so none is moved; a product whose source bin
holds several lots needs the lot named (one lot, or no lot, is taken as meant); reserved
units never move — only what is free (``on_hand - reserved``).

Invariants: the whole batch is one transaction: for each product and lot a conditional
``UPDATE … SET on_hand = on_hand - :q WHERE on_hand - reserved >= :q`` on the source level
(losing the race with a station reserving or moving the same units refuses, saying how
many are free), an upsert of the destination level (``upsert.add_units``; the lot keeps
its expiry), one ``move`` stock move with the actor's user and station, and one audit
entry ``stock.moved``. Levels are locked in the order of their ids (as shipping and
cancelling lock them), new destination levels last, so two batches never deadlock. A
refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Bin, Product, StockLevel, StockMove
from fulfilstation.domain.enums import StockMoveReason
from fulfilstation.domain.words import plural
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.stock.lookup import find_bin, find_product, is_kit
from fulfilstation.services.stock.refusal import StockRefused
from fulfilstation.services.stock.reservations import holders
from fulfilstation.services.stock.upsert import add_units
from fulfilstation.services.stock.views import Moved, MoveItem


@dataclass
class _Take:
    product: Product
    level: StockLevel
    quantity: int


def move_many(database: Database, actor: Actor, from_bin: str, to_bin: str,
              items: Sequence[MoveItem]) -> tuple[Moved, ...]:
    with database.unit_of_work() as session:
        return move_in(session, actor, from_bin, to_bin, items)


def move_in(session: Session, actor: Actor, from_bin: str, to_bin: str, items: Sequence[MoveItem]) -> tuple[Moved, ...]:
    """``move_many`` inside the caller's transaction (a use case that moves stock as part of
    its own change, e.g. an accepted slotting move); a refusal leaves the rollback to the caller."""
    if not items:
        raise StockRefused("bad-quantity", "Nothing to move: scan or name at least one item.")
    for item in items:
        _check_quantity(item.quantity)
    source, target = _bins(session, from_bin, to_bin)
    takes = _takes(session, source, items)
    target_levels = {(level.product_id, level.lot_code): level.id for level in session.scalars(
        select(StockLevel).where(StockLevel.bin_id == target.id,
                                 StockLevel.product_id.in_({take.product.id for take in takes})))}
    steps: list[tuple[int, int, str, _Take]] = []
    for take in takes:
        steps.append((take.level.id, 0, "take", take))
        put_id = target_levels.get((take.product.id, take.level.lot_code))
        steps.append((put_id if put_id is not None else 1 << 62, take.product.id, "put", take))
    for _order, _product, kind, take in sorted(steps, key=lambda step: step[:2]):
        if kind == "take":
            _take(session, take, source)
        else:
            add_units(session, take.product.id, target.id, take.level.lot_code, take.quantity,
                      take.level.expiry_date)
    moved = tuple(_record(session, actor, take, source, target) for take in takes)
    audit.record(session, actor, "stock.moved", "bin", source.id,
                 {"from": source.code, "to": target.code,
                  "items": [{"sku": m.sku, "lot": m.lot, "quantity": m.quantity} for m in moved]})
    return moved


def _check_quantity(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise StockRefused("bad-quantity", f"{quantity!r} is not a quantity to move: give a whole number of units "
                           "above 0.")


def _bins(session: Session, from_bin: str, to_bin: str) -> tuple[Bin, Bin]:
    source, target = find_bin(session, from_bin), find_bin(session, to_bin)
    if source.id == target.id:
        raise StockRefused("same-bin", f"The units are already in bin {source.code}: scan or name another bin to "
                           "move them to.")
    for bin_ in (source, target):
        if not bin_.active:
            raise StockRefused("bin-inactive", f"Bin {bin_.code} is no longer in use (deactivated): choose an active "
                               "bin, or ask an owner to reactivate it.")
    return source, target


def _takes(session: Session, source: Bin, items: Sequence[MoveItem]) -> list[_Take]:
    """Each product and lot once (quantities of the same one added up), with its source level."""
    takes: dict[int, _Take] = {}
    for item in items:
        product = find_product(session, item.sku)
        if is_kit(session, product.id):
            raise StockRefused("kit", f"{product.sku} is a kit: a kit holds no stock of its own. Move its components "
                               "instead.")
        level = _source_level(session, product, source, item.lot)
        if level.id in takes:
            takes[level.id].quantity += item.quantity
        else:
            takes[level.id] = _Take(product, level, item.quantity)
    return list(takes.values())


def _source_level(session: Session, product: Product, source: Bin, lot: str | None) -> StockLevel:
    query = select(StockLevel).where(StockLevel.product_id == product.id, StockLevel.bin_id == source.id)
    if lot is not None and lot.strip():
        code = lot.strip()
        level = session.scalars(query.where(StockLevel.lot_code == code)).first()
        if level is None or level.on_hand <= 0:
            raise StockRefused("not-in-bin", f"Bin {source.code} holds no {product.sku} of lot {code}: check the "
                               f"lot on the item, or {_what_is_there(session, product, source)}.")
        return level
    levels = session.scalars(query.where(StockLevel.on_hand > 0).order_by(StockLevel.lot_code)).all()
    if not levels:
        raise StockRefused("not-in-bin", f"Bin {source.code} holds no {product.sku} ({product.name}): check the "
                           "bin, or see where it is with 'fulfilstation stock show'.")
    if len(levels) > 1:
        lots = ", ".join(f"{level.lot_code or '(no lot)'} ({level.on_hand})" for level in levels)
        raise StockRefused("lot-needed", f"Bin {source.code} holds {product.sku} of several lots: {lots}. Say which "
                           "lot to move (scan the item's GS1 code with its lot, or give --lot).")
    return levels[0]


def _what_is_there(session: Session, product: Product, source: Bin) -> str:
    lots = session.scalars(select(StockLevel.lot_code).where(
        StockLevel.product_id == product.id, StockLevel.bin_id == source.id, StockLevel.on_hand > 0)).all()
    if not lots:
        return "see where it is with 'fulfilstation stock show'"
    return "choose one of the lots there: " + ", ".join(lot or "(no lot)" for lot in lots)


def _take(session: Session, take: _Take, source: Bin) -> None:
    level, quantity = take.level, take.quantity
    taken = rows_changed(session, update(StockLevel).where(
        StockLevel.id == level.id, StockLevel.on_hand - StockLevel.reserved >= quantity)
        .values(on_hand=StockLevel.on_hand - quantity))
    if taken:
        return
    session.refresh(level)
    free = level.on_hand - level.reserved
    lot = f" lot {level.lot_code}" if level.lot_code else ""
    orders = holders(session, level.id)
    held = f"; {plural(level.reserved, 'unit')} reserved for {', '.join(orders)}" if orders else ""
    raise StockRefused("not-free", f"Only {plural(free, 'unit')} of {take.product.sku}{lot} in bin {source.code} "
                       f"{'is' if free == 1 else 'are'} free to move ({level.on_hand} on hand{held}): move at most "
                       f"{free}. Reserved units stay until their orders ship or are cancelled.")


def _record(session: Session, actor: Actor, take: _Take, source: Bin, target: Bin) -> Moved:
    level = take.level
    session.add(StockMove(product_id=take.product.id, from_bin_id=source.id, to_bin_id=target.id,
                          lot_code=level.lot_code, quantity=take.quantity, reason=StockMoveReason.MOVE.value,
                          user_id=actor.user_id, station_id=actor.station_id))
    left = session.scalar(select(StockLevel.on_hand).where(StockLevel.id == level.id))
    return Moved(take.product.sku, take.product.name, level.lot_code, take.quantity, source.code, target.code,
                 int(left or 0))

