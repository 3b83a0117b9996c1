"""Holding a count's row for a change: the first statement of every transaction that records,
completes or cancels a count is a conditional UPDATE of its row ``WHERE status IN ('open',
'counting')``, so on PostgreSQL the row is locked until the commit (a second poster waits,
then finds it completed and is refused) and on SQLite the write lock is taken first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.db.models import CycleCount, User
from fulfilstation.domain.enums import CycleCountStatus
from fulfilstation.services.counts.refusal import CountsRefused

OPEN_STATES = (CycleCountStatus.OPEN.value, CycleCountStatus.COUNTING.value)


def hold_open(session: Session, number: str, **values: Any) -> CycleCount:
    """The open count ``number``, its row held by this transaction (``values`` set on it:
    e.g. ``status='counting'``); CountsRefused when unknown, completed or cancelled."""
    text = number.strip()
    held = session.execute(update(CycleCount).where(CycleCount.number == text,
                                                    CycleCount.status.in_(OPEN_STATES))
                           .values(status=values.pop("status", CycleCount.status), **values)
                           .returning(CycleCount.id)).first()
    if held is None:
        raise not_open(session, text)
    count = session.get(CycleCount, int(held[0]), populate_existing=True)
    assert count is not None
    return count


def not_open(session: Session, number: str) -> CountsRefused:
    row = session.execute(select(CycleCount.status, CycleCount.completed_at, User.full_name)
                          .outerjoin(User, User.id == CycleCount.approved_by_id)
                          .where(CycleCount.number == number)).first()
    if row is None:
        return CountsRefused("unknown-count", f"There is no cycle count {number!r}: check the number on the count "
                             "sheet (see 'fulfilstation count list').")
    if row.status == CycleCountStatus.CANCELLED.value:
        return CountsRefused("not-open", f"Cycle count {number} was cancelled: nothing was posted and "
                             "nothing more can be done with it (create a new count to count again).")
    when = f" at {row.completed_at:%Y-%m-%d %H:%M}" if row.completed_at else ""
    return CountsRefused("not-open", f"Cycle count {number} is already completed{when}: its variances were posted. "
                         "Create a new count to count again.")
