"""The schedule: which products are due for a count today, expanded to the bins holding them.

A product is due when its class's interval (``count_schedule``: A weekly, B monthly, C
quarterly by default; no class counts as C) has elapsed since its last counted line on a
completed count — never counted: due. The proposal lists every stock level (bin × product
× lot) holding units of a due, active product, in walking order (pick sequence, bin code,
SKU, lot) — except a level already on an open count (it is being counted). Read-only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Bin, CycleCount, CycleCountLine, Product, StockLevel
from fulfilstation.domain.enums import CycleCountStatus
from fulfilstation.services.counts.rules import rules_of
from fulfilstation.services.counts.views import ProposedLine


def last_counted(session: Session) -> dict[int, dt.datetime]:
    """Product id → when it was last counted on a completed count."""
    rows = session.execute(select(CycleCountLine.product_id, func.max(CycleCountLine.counted_at))
                           .join(CycleCount, CycleCount.id == CycleCountLine.cycle_count_id)
                           .where(CycleCount.status == CycleCountStatus.COMPLETED.value,
                                  CycleCountLine.counted_at.is_not(None))
                           .group_by(CycleCountLine.product_id))
    return {int(product_id): when for product_id, when in rows if when is not None}


def on_open_counts(session: Session) -> set[tuple[int, int, str]]:
    """(bin id, product id, lot) of every line of a count still open or counting."""
    rows = session.execute(select(CycleCountLine.bin_id, CycleCountLine.product_id, CycleCountLine.lot_code)
                           .join(CycleCount, CycleCount.id == CycleCountLine.cycle_count_id)
                           .where(CycleCount.status.in_((CycleCountStatus.OPEN.value,
                                                         CycleCountStatus.COUNTING.value))))
    return {(int(b), int(p), str(lot)) for b, p, lot in rows}


def proposal(session: Session, now: dt.datetime) -> list[ProposedLine]:
    rules = rules_of(session)
    counted = last_counted(session)
    busy = on_open_counts(session)
    rows = session.execute(
        select(Bin.code, Bin.pick_sequence, Product.id, Product.sku, Product.name, Product.abc_class,
               StockLevel.lot_code, StockLevel.bin_id)
        .join(Product, Product.id == StockLevel.product_id).join(Bin, Bin.id == StockLevel.bin_id)
        .where(StockLevel.on_hand > 0, Product.active.is_(True))
        .order_by(Bin.pick_sequence, Bin.code, Product.sku, StockLevel.lot_code))
    due = []
    for code, sequence, product_id, sku, name, abc_class, lot, bin_id in rows:
        if (bin_id, product_id, lot) in busy:
            continue
        last = counted.get(product_id)
        if last is not None and last > now - dt.timedelta(days=rules.interval(abc_class)):
            continue
        due.append(ProposedLine(code, int(sequence or 0), sku, name, lot, abc_class or "C", last))
    return due
