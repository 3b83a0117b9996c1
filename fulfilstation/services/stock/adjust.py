"""Correcting a stock figure (``stock.adjust``, a manager's): set a level's on hand to what
was counted, or change it by ±N, always with a reason.

Rules: the reason is required (it becomes the stock move's note); exactly one of ``set_to``
(≥ 0) and ``by`` (≠ 0); on hand never goes below what orders have reserved there (the
refusal names those orders); a figure already right is refused as ``no-change``. A level
that does not exist yet is made by an adjustment up (a lot-tracked product needs its lot;
``expiry`` is kept for a new lot). ``write_off`` records a decrease as ``scrap`` (damaged
goods written off) instead of ``adjust``; an increase cannot be a write-off.

Invariants: one transaction. Its first statement takes the level's row (a no-op UPDATE …
RETURNING, or the upsert that creates it), so the figure the change is computed from is
the current one on either engine and no other station changes it until the commit; then
the level is set, a stock move (up: ``to_bin``, down: ``from_bin``, quantity the size of
the change) and the audit entry ``stock.adjusted`` are written. A refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, StockLevel, StockMove
from fulfilstation.domain.enums import StockMoveReason
from fulfilstation.domain.gs1 import LOT_MAX, fits_gs1_lot
from fulfilstation.domain.words import plural
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.stock.lookup import find_bin, find_product, is_kit
from fulfilstation.services.stock.refusal import StockRefused
from fulfilstation.services.stock.reservations import holders
from fulfilstation.services.stock.upsert import add_units
from fulfilstation.services.stock.views import Adjusted

MAX_UNITS = 1_000_000_000


def adjust_level(database: Database, actor: Actor, sku: str, bin_code: str, reason: str, *,
                 set_to: int | None = None, by: int | None = None, lot: str | None = None,
                 expiry: dt.date | None = None, write_off: bool = False) -> Adjusted:
    note = _reason(reason)
    _check_figures(set_to, by, write_off)
    with database.unit_of_work() as session:
        product, bin_ = find_product(session, sku), find_bin(session, bin_code)
        if is_kit(session, product.id):
            raise StockRefused("kit", f"{product.sku} is a kit: a kit holds no stock of its own. Adjust its "
                               "components.")
        code = _lot(session, product, bin_, lot, growing=(set_to or 0) > 0 or (by or 0) > 0)
        _check_new_lot(session, product, code)
        reason_code = StockMoveReason.SCRAP.value if write_off else StockMoveReason.ADJUST.value
        before, after, reserved = change_level(session, actor, product, bin_, code, reason_code, note,
                                               set_to=set_to, by=by, expiry=expiry)
        audit.record(session, actor, "stock.adjusted", "bin", bin_.id,
                     {"sku": product.sku, "bin": bin_.code, "lot": code, "before": before, "after": after,
                      "reason": note, "move": reason_code})
        return Adjusted(product.sku, bin_.code, code, before, after, reserved, reason_code, note)


def change_level(session: Session, actor: Actor, product: Product, bin_: Bin, lot: str, reason_code: str,
                 note: str | None, *, set_to: int | None = None, by: int | None = None,
                 expiry: dt.date | None = None, cycle_count_id: int | None = None) -> tuple[int, int, int]:
    """Inside the caller's transaction: take the level's row, set its on hand to ``set_to``
    or change it ``by`` ±N from the CURRENT figure (never below 0 nor below ``reserved``:
    StockRefused), and write the stock move (``reason_code``, ``note``, ``cycle_count_id``).
    The one writer of an adjustment: ``stock.adjust`` and a cycle count's posting use it.
    Returns (before, after, reserved)."""
    before, reserved, level_id = _take_level(session, product, bin_, lot, expiry)
    after = set_to if set_to is not None else before + (by or 0)
    _check_after(session, product, bin_, lot, level_id, before, after, reserved,
                 reason_code == StockMoveReason.SCRAP.value)
    session.execute(update(StockLevel).where(StockLevel.id == level_id).values(on_hand=after))
    change = after - before
    session.add(StockMove(product_id=product.id, lot_code=lot, quantity=abs(change), reason=reason_code,
                          note=note, user_id=actor.user_id, station_id=actor.station_id,
                          cycle_count_id=cycle_count_id,
                          **({"to_bin_id": bin_.id} if change > 0 else {"from_bin_id": bin_.id})))
    return before, after, reserved


def _reason(reason: str) -> str:
    note = " ".join((reason or "").split())
    if not note:
        raise StockRefused("no-reason", "Say why the figure changes (e.g. 'counted', 'found damaged', 'found behind "
                           "the shelf'): the reason is kept with the stock move.")
    return note[:500]


def _check_figures(set_to: int | None, by: int | None, write_off: bool) -> None:
    if (set_to is None) == (by is None):
        raise StockRefused("bad-adjustment", "Give either the counted figure (set to N) or the change (by +N or -N), "
                           "not both and not neither.")
    if set_to is not None and not 0 <= set_to <= MAX_UNITS:
        raise StockRefused("bad-adjustment", f"{set_to} is not a stock figure: give a whole number from 0.")
    if by is not None and (by == 0 or abs(by) > MAX_UNITS):
        raise StockRefused("bad-adjustment", f"{by} is not a change: give +N or -N (not 0).")
    if write_off and by is not None and by > 0:
        raise StockRefused("bad-adjustment", "A write-off takes units away: give a negative change or a lower figure.")


def _lot(session: Session, product: Product, bin_: Bin, lot: str | None, *, growing: bool) -> str:
    if lot is not None and lot.strip():
        return lot.strip()
    lots = list(session.scalars(select(StockLevel.lot_code).where(
        StockLevel.product_id == product.id, StockLevel.bin_id == bin_.id, StockLevel.on_hand > 0)
        .order_by(StockLevel.lot_code)))
    if len(lots) > 1:
        raise StockRefused("lot-needed", f"Bin {bin_.code} holds {product.sku} of several lots: "
                           f"{', '.join(code or '(no lot)' for code in lots)}. Say which lot to adjust.")
    if lots:
        return lots[0]
    if product.lot_tracked and growing:
        raise StockRefused("lot-needed", f"{product.sku} is lot-tracked and bin {bin_.code} holds none of it: say "
                           "which lot the units are (and its expiry, if it has one).")
    return ""


def _check_new_lot(session: Session, product: Product, lot: str) -> None:
    """A lot this product never had must fit a GS1-128's AI (10), or its product label could
    never be printed (receiving refuses such a typed lot too)."""
    if not lot or fits_gs1_lot(lot):
        return
    known = session.scalar(select(StockMove.id).where(StockMove.product_id == product.id,
                                                      StockMove.lot_code == lot).limit(1))
    if known is None:
        raise StockRefused("bad-lot", f"Lot {lot!r} cannot be printed on a product label's GS1-128: a lot is 1 to "
                           f"{LOT_MAX} letters, digits or - . / _ and no spaces. Give it without spaces (e.g. "
                           f"{''.join(lot.split())[:LOT_MAX]!r}).")


def _take_level(session: Session, product: Product, bin_: Bin, lot: str,
                expiry: dt.date | None) -> tuple[int, int, int]:
    """(on hand, reserved, level id) of the level, its row now held by this transaction."""
    found = session.execute(update(StockLevel).where(
        StockLevel.product_id == product.id, StockLevel.bin_id == bin_.id, StockLevel.lot_code == lot)
        .values(on_hand=StockLevel.on_hand)
        .returning(StockLevel.on_hand, StockLevel.reserved, StockLevel.id)).first()
    if found is None:
        add_units(session, product.id, bin_.id, lot, 0, expiry)
        found = session.execute(select(StockLevel.on_hand, StockLevel.reserved, StockLevel.id).where(
            StockLevel.product_id == product.id, StockLevel.bin_id == bin_.id, StockLevel.lot_code == lot)).one()
    return int(found[0]), int(found[1]), int(found[2])


def _check_after(session: Session, product: Product, bin_: Bin, lot: str, level_id: int, before: int, after: int,
                 reserved: int, write_off: bool) -> None:
    where = f"{product.sku}{f' lot {lot}' if lot else ''} in bin {bin_.code}"
    if after == before:
        raise StockRefused("no-change", f"{where} is already {before} on hand: nothing changed.")
    if after < 0:
        raise StockRefused("bad-adjustment", f"{where} has only {plural(before, 'unit')} on hand: it cannot go "
                           f"below 0 (take away at most {before}).")
    if after < reserved:
        orders = ", ".join(holders(session, level_id)) or "open orders"
        raise StockRefused("below-reserved", f"{where} cannot go below {reserved}: {plural(reserved, 'unit')} "
                           f"{'is' if reserved == 1 else 'are'} reserved for {orders}. Cancel or re-allocate those "
                           "orders first, or set at least the reserved figure.")
    if write_off and after > before:
        raise StockRefused("bad-adjustment", "A write-off takes units away: give a lower figure.")
