"""Accepting and rejecting a slotting proposal (a manager's decision).

Accept: one transaction — a conditional ``UPDATE slotting_moves SET status = 'accepted' …
WHERE id = :id AND status = 'proposed'`` (two managers accepting at once: the second
finds it decided and nothing moves twice), a check that the destination bin still holds
no other product, the move through the stock area's ``move_in`` (its conditional take of
free units, the ``move`` stock move, its ``stock.moved`` audit entry), ``stock_move_id``
set, and a ``slotting.accepted`` audit entry. When the units are no longer free in the
source bin (moved, reserved, shipped) or the destination now holds something else, that
transaction is rolled back and a second one marks the proposal ``stale`` (conditionally,
audited ``slotting.stale``) before the refusal says why.

Reject: a conditional ``proposed → rejected`` update, audited ``slotting.rejected``.
Threading: blocking; call from a worker thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Bin, Product, SlottingMove, StockLevel, StockMove
from fulfilstation.domain.enums import SlottingStatus, StockMoveReason
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.slotting.queries import list_proposals, proposals_where
from fulfilstation.services.slotting.views import AcceptedAll, SlottingProposal, SlottingRefused
from fulfilstation.services.stock.move import move_in
from fulfilstation.services.stock.refusal import StockRefused
from fulfilstation.services.stock.views import MoveItem


class _Stale(Exception):
    """Raised inside the accepting transaction (rolled back) with the reason in words."""


def accept(database: Database, actor: Actor, move_id: int, now: dt.datetime) -> SlottingProposal:
    try:
        with database.unit_of_work() as session:
            move = _decide(session, actor, move_id, SlottingStatus.ACCEPTED, now)
            sku = session.scalar(select(Product.sku).where(Product.id == move.product_id)) or "?"
            source, target = _code(session, move.from_bin_id), _code(session, move.to_bin_id)
            _check_target_free(session, move, target)
            try:
                move_in(session, actor, source, target, [MoveItem(sku, move.quantity, move.lot_code or None)])
            except StockRefused as refused:
                raise _Stale(refused.message) from refused
            move.stock_move_id = session.scalar(select(func.max(StockMove.id)).where(
                StockMove.product_id == move.product_id, StockMove.from_bin_id == move.from_bin_id,
                StockMove.to_bin_id == move.to_bin_id, StockMove.reason == StockMoveReason.MOVE.value,
                StockMove.user_id == actor.user_id))
            audit.record(session, actor, "slotting.accepted", "slotting_move", move.id,
                         {"sku": sku, "from": source, "to": target, "lot": move.lot_code, "quantity": move.quantity,
                          "stock_move_id": move.stock_move_id})
            session.flush()
            return proposals_where(session, [move.id])[0]
    except _Stale as stale:
        _mark_stale(database, actor, move_id, str(stale), now)
        raise SlottingRefused("stale", f"Proposal {move_id} can no longer be done: {stale} It is now marked stale; "
                              "propose again for fresh moves.") from None


def reject(database: Database, actor: Actor, move_id: int, now: dt.datetime) -> SlottingProposal:
    with database.unit_of_work() as session:
        move = _decide(session, actor, move_id, SlottingStatus.REJECTED, now)
        audit.record(session, actor, "slotting.rejected", "slotting_move", move.id, {"id": move.id})
        session.flush()
        return proposals_where(session, [move.id])[0]


def accept_all(database: Database, actor: Actor, now: dt.datetime, ids: Sequence[int] | None = None) -> AcceptedAll:
    """Every waiting proposal (or those of ``ids`` still waiting), fastest mover first, each
    in its own transaction: the ones that can no longer be done are marked stale and named;
    the others are moved."""
    accepted: list[SlottingProposal] = []
    stale: list[tuple[int, str]] = []
    wanted = None if ids is None else set(ids)
    for proposal in list_proposals(database):
        if wanted is not None and proposal.id not in wanted:
            continue
        try:
            accepted.append(accept(database, actor, proposal.id, now))
        except SlottingRefused as refused:
            if refused.code == "decided":
                continue  # another manager decided it meanwhile
            stale.append((proposal.id, refused.message))
    return AcceptedAll(tuple(accepted), tuple(stale))


def _decide(session: Session, actor: Actor, move_id: int, status: SlottingStatus, now: dt.datetime) -> SlottingMove:
    changed = rows_changed(session, update(SlottingMove)
                           .where(SlottingMove.id == move_id, SlottingMove.status == SlottingStatus.PROPOSED.value)
                           .values(status=status.value, decided_by_id=actor.user_id, decided_at=now))
    move = session.get(SlottingMove, move_id, populate_existing=True)
    if move is None:
        raise SlottingRefused("unknown", f"There is no slotting proposal {move_id}: see the waiting ones with "
                              "'fulfilstation slotting list'.")
    if not changed:
        raise SlottingRefused("decided", f"Slotting proposal {move_id} was {move.status} already: nothing changed. "
                              "See the waiting ones with 'fulfilstation slotting list'.")
    return move


def _check_target_free(session: Session, move: SlottingMove, target: str) -> None:
    other = session.scalar(select(Product.sku).join(StockLevel, StockLevel.product_id == Product.id).where(
        StockLevel.bin_id == move.to_bin_id, StockLevel.on_hand > 0, StockLevel.product_id != move.product_id)
        .limit(1))
    if other is not None:
        raise _Stale(f"bin {target} now holds {other}, and a slotting move never mixes products in a bin.")


def _mark_stale(database: Database, actor: Actor, move_id: int, why: str, now: dt.datetime) -> None:
    with database.unit_of_work() as session:
        if rows_changed(session, update(SlottingMove)
                        .where(SlottingMove.id == move_id, SlottingMove.status == SlottingStatus.PROPOSED.value)
                        .values(status=SlottingStatus.STALE.value, decided_by_id=actor.user_id, decided_at=now)):
            audit.record(session, actor, "slotting.stale", "slotting_move", move_id, {"why": why})


def _code(session: Session, bin_id: int) -> str:
    return session.scalar(select(Bin.code).where(Bin.id == bin_id)) or "?"
