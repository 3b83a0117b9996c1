"""Creating a cycle count: from today's proposal, from chosen bins, or from chosen SKUs.

Each line is a stock level holding units (bin × product × lot) and snapshots
``expected_quantity`` = the system's figure then (on hand less units in totes, never below
0): informational only — the variance is measured against the figure read when the line is
counted (``counting``). The count is numbered ``CC-n`` (the unique number settles two
managers creating at once: the second takes the next number). One transaction with the audit
entry ``counts.created``. A bin or SKU asked for that holds nothing is named in ``skipped``;
nothing at all to count is refused. A level already on another open count is refused
(``claims``: the bins' rows are held first, then checked — one open count per level).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, CycleCount, CycleCountLine, Product, StockLevel
from fulfilstation.domain.enums import CycleCountStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.counts.claims import hold_bins, refuse_levels_on_open_counts
from fulfilstation.services.counts.lookup import bin_named, product_named
from fulfilstation.services.counts.refusal import CountsRefused
from fulfilstation.services.counts.schedule import proposal
from fulfilstation.services.counts.views import Created
from fulfilstation.services.stock.in_totes import system_quantity

PREFIX = "CC-"


def create_count(database: Database, actor: Actor, now: dt.datetime, *, today: bool = False,
                 bins: Sequence[str] = (), skus: Sequence[str] = ()) -> Created:
    if sum((bool(today), bool(bins), bool(skus))) != 1:
        raise CountsRefused("nothing-to-count", "Say what to count: today's proposal, some bins, or some SKUs "
                            "(one of them).")
    with database.unit_of_work() as session:
        skipped: list[str] = []
        if today:
            due = proposal(session, now)
            keys = _level_keys(session, [(line.bin, line.sku, line.lot) for line in due])
            description = f"scheduled {now:%Y-%m-%d}"
        elif bins:
            found = [bin_named(session, code) for code in dict.fromkeys(code.strip() for code in bins if code.strip())]
            keys = _levels_where(session, StockLevel.bin_id.in_([bin_.id for bin_ in found]))
            held = {bin_id for bin_id, _p, _l in keys}
            skipped = [bin_.code for bin_ in found if bin_.id not in held]
            description = "bins " + ", ".join(bin_.code for bin_ in found)
        else:
            products = [product_named(session, sku) for sku in dict.fromkeys(s.strip() for s in skus if s.strip())]
            keys = _levels_where(session, StockLevel.product_id.in_([p.id for p in products]))
            held = {product_id for _b, product_id, _l in keys}
            skipped = [p.sku for p in products if p.id not in held]
            description = "SKUs " + ", ".join(p.sku for p in products)
        if not keys:
            raise CountsRefused("nothing-to-count", "Nothing is due for a count today: every product was counted "
                                "within its class's interval (or holds no stock)." if today else
                                f"Nothing to count: {', '.join(skipped)} hold{'s' if len(skipped) == 1 else ''} "
                                "no stock.")
        hold_bins(session, {b for b, _p, _l in keys})
        refuse_levels_on_open_counts(session, keys)
        count = _numbered(session, actor, description[:200])
        figures = dict(((b, p, lot), max(int(q), 0)) for b, p, lot, q in session.execute(
            select(StockLevel.bin_id, StockLevel.product_id, StockLevel.lot_code, system_quantity())
            .where(StockLevel.id.in_([level_id for level_id in _ids(session, keys)]))))
        session.add_all(CycleCountLine(cycle_count_id=count.id, bin_id=b, product_id=p, lot_code=lot,
                                       expected_quantity=figures.get((b, p, lot), 0)) for b, p, lot in keys)
        bins_counted = len({b for b, _p, _l in keys})
        audit.record(session, actor, "counts.created", "cycle_count", count.id,
                     {"number": count.number, "description": count.description, "bins": bins_counted,
                      "lines": len(keys), "skipped": skipped})
        return Created(count.number, bins_counted, len(keys), tuple(skipped))


def _levels_where(session: Session, condition: object) -> list[tuple[int, int, str]]:
    rows = session.execute(select(StockLevel.bin_id, StockLevel.product_id, StockLevel.lot_code)
                           .join(Bin, Bin.id == StockLevel.bin_id).join(Product, Product.id == StockLevel.product_id)
                           .where(condition, StockLevel.on_hand > 0)  # type: ignore[arg-type]
                           .order_by(Bin.pick_sequence, Bin.code, Product.sku, StockLevel.lot_code))
    return [(int(b), int(p), str(lot)) for b, p, lot in rows]


def _level_keys(session: Session, wanted: list[tuple[str, str, str]]) -> list[tuple[int, int, str]]:
    bins = {str(row[0]): int(row[1]) for row in session.execute(
        select(Bin.code, Bin.id).where(Bin.code.in_({b for b, _s, _l in wanted})))}
    products = {str(row[0]): int(row[1]) for row in session.execute(
        select(Product.sku, Product.id).where(Product.sku.in_({s for _b, s, _l in wanted})))}
    return [(bins[b], products[s], lot) for b, s, lot in wanted]


def _ids(session: Session, keys: list[tuple[int, int, str]]) -> list[int]:
    wanted = set(keys)
    rows = session.execute(select(StockLevel.id, StockLevel.bin_id, StockLevel.product_id, StockLevel.lot_code)
                           .where(StockLevel.bin_id.in_({b for b, _p, _l in keys})))
    return [int(level_id) for level_id, b, p, lot in rows if (b, p, lot) in wanted]


def _next_number(session: Session) -> str:
    numbers = session.scalars(select(CycleCount.number).where(CycleCount.number.like(f"{PREFIX}%")))
    highest = max((int(found.group(1)) for n in numbers if (found := re.fullmatch(r"CC-(\d+)", n))), default=0)
    return f"{PREFIX}{highest + 1}"


def _numbered(session: Session, actor: Actor, description: str) -> CycleCount:
    for _attempt in range(20):
        count = CycleCount(number=_next_number(session), status=CycleCountStatus.OPEN.value, blind=True,
                           description=description, created_by_id=actor.user_id)
        try:
            with session.begin_nested():
                session.add(count)
                session.flush()
        except IntegrityError:
            continue
        return count
    raise CountsRefused("busy", "Too many counts are being created at once: try again.")

