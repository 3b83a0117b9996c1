"""Lots at the bench: which lot (and bin) a packer should take, and making the order line's
reservation follow the lot the packer actually scanned.

Invariants:

* A lot is accepted for a line only when it is in stock for that product; the refusal
  names the lots that are (first expiry first).
* After an accepted lot scan, the line's reservations on that lot cover at least the units
  scanned from it in the pack session, so the ship transaction (which takes stock from the
  line's reservations) takes the unit from the scanned lot and a bin holding it.
* The stock levels involved are locked in id order first (PostgreSQL), then units are
  moved onto a lot's stock level by one conditional ``UPDATE … SET reserved =
  reserved + :n WHERE reserved + :n <= on_hand``: two stations taking the last free unit of
  a lot cannot both win, and no figure goes negative (the table's CHECKs back it).

Everything here runs inside the scan's (``scanning``) or the ship's transaction; nothing commits itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import rows_changed
from fulfilstation.db.models import Allocation, Bin, ScanEvent, StockLevel
from fulfilstation.domain.enums import ScanResult


@dataclass(frozen=True)
class LotInBin:
    """Units of one lot of a product in one bin; ``free`` is what no order has reserved."""

    level_id: int
    lot: str
    expiry: dt.date | None
    bin: str
    on_hand: int
    free: int


def lots_in_stock(session: Session, product_id: int) -> list[LotInBin]:
    """Every stock level of the product holding units, first expiry first (no expiry last),
    then in the picker's walk order."""
    rows = session.execute(
        select(StockLevel.id, StockLevel.lot_code, StockLevel.expiry_date, Bin.code, StockLevel.on_hand,
               StockLevel.reserved)
        .join(Bin, Bin.id == StockLevel.bin_id)
        .where(StockLevel.product_id == product_id, StockLevel.on_hand > 0)
        .order_by(StockLevel.expiry_date.is_(None), StockLevel.expiry_date, Bin.pick_sequence, Bin.code)).all()
    return [LotInBin(int(level_id), lot, expiry, code, on_hand, on_hand - reserved)
            for level_id, lot, expiry, code, on_hand, reserved in rows]


def _reserved_for_line(session: Session, line_id: int) -> list[tuple[LotInBin, int, int]]:
    """(level, allocation id, quantity) of the line's reservations, first expiry first."""
    rows = session.execute(
        select(StockLevel.id, StockLevel.lot_code, StockLevel.expiry_date, Bin.code, StockLevel.on_hand,
               StockLevel.reserved, Allocation.id, Allocation.quantity)
        .join(StockLevel, StockLevel.id == Allocation.stock_level_id)
        .join(Bin, Bin.id == StockLevel.bin_id)
        .where(Allocation.order_line_id == line_id)
        .order_by(StockLevel.expiry_date.is_(None), StockLevel.expiry_date, Bin.pick_sequence, Bin.code)).all()
    return [(LotInBin(int(level_id), lot, expiry, code, on_hand, on_hand - reserved), int(allocation_id), quantity)
            for level_id, lot, expiry, code, on_hand, reserved, allocation_id, quantity in rows]


def _scanned_by_lot(session: Session, pack_session_id: int, line_id: int) -> dict[str, int]:
    """Units of the line accepted in this pack session, by lot."""
    rows = session.execute(
        select(ScanEvent.lot_code, func.sum(ScanEvent.quantity))
        .where(ScanEvent.pack_session_id == pack_session_id, ScanEvent.order_line_id == line_id,
               ScanEvent.result == ScanResult.ACCEPTED.value)
        .group_by(ScanEvent.lot_code)).all()
    return {lot or "": int(quantity or 0) for lot, quantity in rows}


def _describe(lot: LotInBin) -> str:
    expiry = f", expires {lot.expiry.isoformat()}" if lot.expiry else ""
    return f"lot {lot.lot} from bin {lot.bin}{expiry}"


def _spare(session: Session, pack_session_id: int, line_id: int) -> list[tuple[LotInBin, int, int]]:
    """The line's reservations not yet covered by a scan of this session, first expiry
    first: (level, allocation id, spare units)."""
    scanned = _scanned_by_lot(session, pack_session_id, line_id)
    spare = []
    for level, allocation_id, quantity in _reserved_for_line(session, line_id):
        covered = min(quantity, scanned.get(level.lot, 0))
        scanned[level.lot] = scanned.get(level.lot, 0) - covered
        if quantity > covered:
            spare.append((level, allocation_id, quantity - covered))
    return spare


def lot_to_take(session: Session, pack_session_id: int, line_id: int, product_id: int) -> str | None:
    """'lot L from bin B, expires …': the first-expiring lot reserved for the line and not
    yet scanned, else the first-expiring lot with a free unit; None when there is none."""
    spare = _spare(session, pack_session_id, line_id)
    if spare:
        return _describe(spare[0][0])
    free = [lot for lot in lots_in_stock(session, product_id) if lot.free > 0]
    return _describe(free[0]) if free else None


def take_lot(session: Session, pack_session_id: int, line_id: int, product_id: int, name: str, lot: str,
             quantity: int) -> str | None:
    """Make ``quantity`` more units of the line's reservation be of ``lot``; returns None when
    done, else why the lot cannot be taken (nothing changed then)."""
    in_stock = lots_in_stock(session, product_id)
    if not any(level.lot == lot for level in in_stock):
        return f"Lot {lot} of {name} is not in stock. {_in_stock_sentence(in_stock)}"
    spare = _spare(session, pack_session_id, line_id)
    needed = quantity - sum(units for level, _allocation, units in spare if level.lot == lot)
    if needed <= 0:
        return None
    return _move_to_lot(session, line_id, name, lot, needed, in_stock, spare)


def cover_scanned_lots(session: Session, pack_session_id: int, line_id: int, product_id: int,
                       name: str) -> str | None:
    """Before stock is taken at ship: make the line's reservations cover every lot scanned in
    the pack session (a scan accepted before lots were checked may name another lot than
    the reservation); None when they do, else why a scanned lot cannot be reserved."""
    reserved: dict[str, int] = defaultdict(int)
    for level, _allocation, quantity in _reserved_for_line(session, line_id):
        reserved[level.lot] += quantity
    for lot, scanned in _scanned_by_lot(session, pack_session_id, line_id).items():
        needed = scanned - reserved[lot]
        if not lot or needed <= 0:
            continue
        in_stock = lots_in_stock(session, product_id)
        if not any(level.lot == lot for level in in_stock):
            return (f"Lot {lot} of {name} was scanned but is not in stock. Check the unit in the parcel: "
                    f"{_in_stock_sentence(in_stock)}")
        problem = _move_to_lot(session, line_id, name, lot, needed, in_stock,
                               _spare(session, pack_session_id, line_id))
        if problem:
            return problem
    return None


def _move_to_lot(session: Session, line_id: int, name: str, lot: str, needed: int, in_stock: list[LotInBin],
                 spare: list[tuple[LotInBin, int, int]]) -> str | None:
    """Reserve ``needed`` units of ``lot`` for the line (conditional UPDATEs) and give back as
    many of its spare reservations on other lots; None when done, else why not (nothing
    changed then)."""
    sources = [(level, allocation_id, units) for level, allocation_id, units in spare if level.lot != lot]
    reserved_here = {level.level_id for level, _allocation, _units in spare}
    of_lot = sorted((level for level in in_stock if level.lot == lot),
                    key=lambda level: level.level_id not in reserved_here)  # a bin already reserved first
    _lock_in_order(session, {level.level_id for level in of_lot} | {level.level_id for level, _a, _u in sources})
    taken: dict[int, int] = defaultdict(int)
    for level in of_lot:
        want = needed - sum(taken.values())
        if want <= 0:
            break
        units = min(want, level.free)
        if units > 0 and rows_changed(session, update(StockLevel).where(
                StockLevel.id == level.level_id, StockLevel.reserved + units <= StockLevel.on_hand)
                .values(reserved=StockLevel.reserved + units)):
            taken[level.level_id] += units
    if sum(taken.values()) < needed:
        for level_id, units in taken.items():  # give back what was taken: the scan is refused
            session.execute(update(StockLevel).where(StockLevel.id == level_id)
                            .values(reserved=StockLevel.reserved - units))
        others = [level for level in in_stock if level.lot != lot]
        return (f"Every unit of lot {lot} of {name} is reserved for other orders: put it back. "
                f"{_in_stock_sentence(others)}")
    for level_id, units in taken.items():
        _add_allocation(session, line_id, level_id, units)
    _release(session, sources, needed)
    return None


def _lock_in_order(session: Session, level_ids: set[int]) -> None:
    """Lock the stock levels about to change in id order (PostgreSQL; SQLite has one writer),
    so two stations moving reservations between the same lots wait instead of deadlocking."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(StockLevel.id).where(StockLevel.id.in_(level_ids)).order_by(StockLevel.id)
                        .with_for_update())


def _in_stock_sentence(levels: list[LotInBin]) -> str:
    if not levels:
        return "No other lot is in stock: show the item to a manager."
    named = ", ".join(_describe(level) for level in levels[:5])
    return f"Take a unit of a lot in stock: {named}."


def _add_allocation(session: Session, line_id: int, level_id: int, units: int) -> None:
    moved = rows_changed(session, update(Allocation).where(
        Allocation.order_line_id == line_id, Allocation.stock_level_id == level_id)
        .values(quantity=Allocation.quantity + units))
    if not moved:
        session.add(Allocation(order_line_id=line_id, stock_level_id=level_id, quantity=units))
        session.flush()


def _release(session: Session, sources: list[tuple[LotInBin, int, int]], units: int) -> None:
    """Give back up to ``units`` of the line's reservations on other lots (latest expiry
    first, so the line keeps its first-expiring lots)."""
    for level, allocation_id, spare in reversed(sources):
        if units <= 0:
            return
        give = min(units, spare)
        session.execute(update(StockLevel).where(StockLevel.id == level.level_id, StockLevel.reserved >= give)
                        .values(reserved=StockLevel.reserved - give))
        if not rows_changed(session, delete(Allocation).where(Allocation.id == allocation_id,
                                                              Allocation.quantity == give)):
            session.execute(update(Allocation).where(Allocation.id == allocation_id)
                            .values(quantity=Allocation.quantity - give))
        units -= give
