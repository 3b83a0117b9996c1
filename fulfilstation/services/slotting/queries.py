"""Reading slotting proposals (one query, bins and products joined).

Threading: blocking; call from a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, SlottingMove, User
from fulfilstation.domain.enums import SlottingStatus
from fulfilstation.services.slotting.views import SlottingProposal

LIST_LIMIT = 500


def list_proposals(database: Database, *, open_only: bool = True, limit: int = LIST_LIMIT) -> list[SlottingProposal]:
    """Proposals still waiting (``open_only``), else the latest of every status; the waiting
    ones fastest mover first, the others newest first."""
    with database.unit_of_work() as session:
        return proposals_where(session, None, open_only=open_only, limit=limit)


def proposals_where(session: Session, ids: Sequence[int] | None, *, open_only: bool = False,
                    limit: int = LIST_LIMIT) -> list[SlottingProposal]:
    source, target = aliased(Bin), aliased(Bin)
    query = (select(SlottingMove.id, Product.sku, Product.name, source.code, source.pick_sequence, target.code,
                    target.pick_sequence, SlottingMove.lot_code, SlottingMove.quantity, SlottingMove.units_shipped,
                    SlottingMove.status, SlottingMove.proposed_at, User.full_name, SlottingMove.decided_at)
             .join(Product, Product.id == SlottingMove.product_id)
             .join(source, source.id == SlottingMove.from_bin_id)
             .join(target, target.id == SlottingMove.to_bin_id)
             .outerjoin(User, User.id == SlottingMove.decided_by_id))
    if ids is not None:
        query = query.where(SlottingMove.id.in_(list(ids))).order_by(SlottingMove.id)
    elif open_only:
        query = query.where(SlottingMove.status == SlottingStatus.PROPOSED.value).order_by(
            SlottingMove.units_shipped.desc(), SlottingMove.id)
    else:
        query = query.order_by(SlottingMove.id.desc())
    return [_proposal(row) for row in session.execute(query.limit(limit))]


def _proposal(row: Any) -> SlottingProposal:
    (move_id, sku, name, from_bin, from_seq, to_bin, to_seq, lot, quantity, shipped, status, proposed_at,
     decided_by, decided_at) = row
    return SlottingProposal(int(move_id), sku, name, from_bin, int(from_seq), to_bin, int(to_seq), lot or "",
                            int(quantity), int(shipped), status, proposed_at, decided_by, decided_at)
