"""A stock level is on one open count at most: creating a count refuses a bin × product × lot
already on another open (``open``/``counting``) count — else both would post the same
shortage, each against its own snapshot.

Settled in the database without a constraint (the schema has none for it): before checking,
``hold_bins`` takes the bins' rows for this transaction —

* PostgreSQL: ``SELECT … FOR UPDATE`` in id order (two managers creating counts of
  overlapping bins wait for each other, never deadlock); the check that follows runs as a new
  statement, so under READ COMMITTED it sees the other's count once it is committed;
* SQLite: a no-op ``UPDATE`` of the rows (``code`` set to itself) starts the transaction and
  takes the database's write lock first, so the check reads what the other writer committed.

Counting may still add a product found unexpectedly in a bin (a new level) to the count
being counted; that line cannot be on another count's snapshot.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.db.models import Bin, CycleCount, CycleCountLine
from fulfilstation.services.counts.holding import OPEN_STATES
from fulfilstation.services.counts.refusal import CountsRefused


def hold_bins(session: Session, bin_ids: Collection[int]) -> None:
    """The bins' rows held by this transaction until it ends (see the module)."""
    ordered = sorted(set(bin_ids))
    session.scalars(select(Bin.id).where(Bin.id.in_(ordered)).order_by(Bin.id).with_for_update()).all()
    session.execute(update(Bin).where(Bin.id.in_(ordered)).values(code=Bin.code)
                    .execution_options(synchronize_session=False))


def refuse_levels_on_open_counts(session: Session, keys: Sequence[tuple[int, int, str]]) -> None:
    """CountsRefused naming the bins (and their counts) when any level (bin, product, lot) of
    ``keys`` is already on an open count. Call after ``hold_bins``."""
    wanted = set(keys)
    rows = session.execute(
        select(CycleCountLine.bin_id, CycleCountLine.product_id, CycleCountLine.lot_code, Bin.code, CycleCount.number)
        .join(CycleCount, CycleCount.id == CycleCountLine.cycle_count_id).join(Bin, Bin.id == CycleCountLine.bin_id)
        .where(CycleCount.status.in_(OPEN_STATES), CycleCountLine.bin_id.in_({b for b, _p, _l in keys}))
        .order_by(Bin.code, CycleCount.id))
    taken = dict.fromkeys(f"{code} is already on {number}" for b, p, lot, code, number in rows
                          if (int(b), int(p), str(lot)) in wanted)
    if taken:
        named = list(taken)
        more = f" (and {len(named) - 6} more)" if len(named) > 6 else ""
        raise CountsRefused("already-on-count", "; ".join(named[:6]) + f"{more}: count it on that count, or cancel "
                            "that count first.")
