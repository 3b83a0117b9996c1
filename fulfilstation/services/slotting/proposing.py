"""Proposing slotting moves: the fastest movers to the bins nearest the packing stations.

Rules:

* velocity = units shipped (``ship`` stock moves) per product over the last ``days`` days;
  products that shipped nothing are not ranked; ties by SKU;
* the bins nearest the packing stations are the active pickable bins with the lowest pick
  sequence (then code);
* a product's pick face is its level holding free units (on hand − reserved > 0) in the
  active pickable or storage bin nearest the packing stations; only its free units are
  proposed to move (reserved units stay for their orders: the stock move refuses them too);
* in rank order, each mover's pick face goes to the nearest *empty* active pickable bin
  (no units of any product) whose pick sequence is strictly lower than its pick face's —
  never into a bin holding other products, never a move that does not bring it nearer;
  a bin is given to one mover only;
* at most ``limit`` proposals.

Proposing again replaces what was waiting: the older ``proposed`` rows are marked
``stale`` in the same transaction as the new rows are written, with one audit entry
``slotting.proposed``. Threading: blocking; call from a worker thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Bin, Product, SlottingMove, StockLevel, StockMove
from fulfilstation.domain.enums import BinKind, SlottingStatus, StockMoveReason
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.products.availability import SELLABLE_KINDS
from fulfilstation.services.slotting.queries import proposals_where
from fulfilstation.services.slotting.views import Proposed, SlottingRefused

DAYS_MAX = 365
LIMIT_MAX = 500


@dataclass(frozen=True)
class Plan:
    """One proposal before it is stored."""

    product_id: int
    from_bin_id: int
    to_bin_id: int
    lot_code: str
    quantity: int
    units_shipped: int


@dataclass(frozen=True)
class _Level:
    product_id: int
    bin_id: int
    sequence: int
    code: str
    lot_code: str
    free: int


def check_settings(days: int, limit: int) -> None:
    if not 1 <= days <= DAYS_MAX:
        raise SlottingRefused("bad-setting", f"Rank movers over 1 to {DAYS_MAX} days, not {days}.")
    if not 1 <= limit <= LIMIT_MAX:
        raise SlottingRefused("bad-setting", f"Propose 1 to {LIMIT_MAX} moves at a time, not {limit}.")


def propose(database: Database, actor: Actor, now: dt.datetime, days: int, limit: int) -> Proposed:
    check_settings(days, limit)
    with database.unit_of_work() as session:
        plans = plan_moves(session, now - dt.timedelta(days=days), limit)
        replaced = rows_changed(session, update(SlottingMove)
                                .where(SlottingMove.status == SlottingStatus.PROPOSED.value)
                                .values(status=SlottingStatus.STALE.value))
        rows = [SlottingMove(product_id=plan.product_id, from_bin_id=plan.from_bin_id, to_bin_id=plan.to_bin_id,
                             lot_code=plan.lot_code, quantity=plan.quantity, units_shipped=plan.units_shipped,
                             status=SlottingStatus.PROPOSED.value, proposed_by_id=actor.user_id)
                for plan in plans]
        session.add_all(rows)
        session.flush()
        audit.record(session, actor, "slotting.proposed", None, None,
                     {"days": days, "limit": limit, "proposals": [row.id for row in rows], "replaced": replaced})
        return Proposed(tuple(proposals_where(session, [row.id for row in rows])), replaced, days)


def plan_moves(session: Session, since: dt.datetime, limit: int) -> list[Plan]:
    """The proposals the rules give (nothing written): four queries, whatever the size."""
    velocity: dict[int, int] = {}
    skus: dict[int, str] = {}
    for product_id, sku, units in session.execute(
            select(StockMove.product_id, Product.sku, func.sum(StockMove.quantity))
            .join(Product, Product.id == StockMove.product_id)
            .where(StockMove.reason == StockMoveReason.SHIP.value, StockMove.created_at >= since,
                   Product.active.is_(True))
            .group_by(StockMove.product_id, Product.sku)):
        if units:
            velocity[int(product_id)], skus[int(product_id)] = int(units), sku
    if not velocity:
        return []
    movers = sorted(velocity, key=lambda product_id: (-velocity[product_id], skus.get(product_id, "")))
    pickable = [(int(bin_id), int(sequence), code) for bin_id, sequence, code in session.execute(
        select(Bin.id, Bin.pick_sequence, Bin.code)
        .where(Bin.active.is_(True), Bin.kind == BinKind.PICKABLE.value)
        .order_by(Bin.pick_sequence, Bin.code))]
    occupied = set(session.scalars(select(StockLevel.bin_id).where(StockLevel.on_hand > 0).distinct()))
    empty = [bin_ for bin_ in pickable if bin_[0] not in occupied]
    faces = _pick_faces(session, set(movers))
    plans: list[Plan] = []
    for product_id in movers:
        if len(plans) >= limit or not empty:
            break
        face = faces.get(product_id)
        if face is None:
            continue
        nearest = empty[0]
        if nearest[1] >= face.sequence:
            continue  # no empty bin nearer than where it is picked now
        empty.pop(0)
        plans.append(Plan(product_id, face.bin_id, nearest[0], face.lot_code, face.free, velocity[product_id]))
    return plans


def _pick_faces(session: Session, product_ids: set[int]) -> dict[int, _Level]:
    """Per product: its level with free units in the sellable bin nearest the packing stations."""
    faces: dict[int, _Level] = {}
    rows = session.execute(
        select(StockLevel.product_id, StockLevel.bin_id, Bin.pick_sequence, Bin.code, StockLevel.lot_code,
               StockLevel.on_hand - StockLevel.reserved)
        .join(Bin, Bin.id == StockLevel.bin_id)
        .where(Bin.active.is_(True), Bin.kind.in_(SELLABLE_KINDS),
               StockLevel.on_hand - StockLevel.reserved > 0)
        .order_by(Bin.pick_sequence, Bin.code, StockLevel.lot_code))
    for product_id, bin_id, sequence, code, lot, free in rows:
        if int(product_id) in product_ids and int(product_id) not in faces:
            faces[int(product_id)] = _Level(int(product_id), int(bin_id), int(sequence), code, lot or "", int(free))
    return faces
