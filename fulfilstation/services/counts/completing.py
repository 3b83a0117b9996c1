"""Completing a count: variances measured, approval asked for when needed, adjustments posted.

Rules: every line must be counted (else refused, naming the bins left). A line's variance
is ``counted - system_quantity`` (the system's figure when it was counted); its value is
|variance| × the product's ``cost_minor`` (its unit price when the cost is 0). When any line
is over the ``count_variance`` thresholds (units or value), or when posting a negative
variance would take a level below its reserved units (the stock adjust rule: never below
what orders hold — the reasons name the orders' units), completing only marks the count
``needs_approval``; a manager approves (``approve=True``), which posts it — unless a level
would still go below its reserved units: that is refused until those orders are
re-allocated or cancelled.

Invariants: one transaction. Its first statement holds the count's row (``hold_open``), so
of two people completing the same count one posts and the other is refused (``not-open``)
— posted once. Each variance is posted AS A DIFFERENCE through the one adjustment writer
(``stock.adjust.change_level``: ``on_hand = on_hand + variance`` from the current figure, a
``count`` stock move with ``cycle_count_id``), levels taken in id order; never "on hand =
counted", so moves committed between the count and the posting are kept. The accuracy
figures (lines counted, exact, units and value variance) and ``posted_quantity`` per line
are written with status ``completed`` and the audit entry ``counts.completed``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, CycleCount, CycleCountLine, Product, StockLevel
from fulfilstation.domain.enums import CycleCountStatus, StockMoveReason
from fulfilstation.domain.words import plural
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.counts.holding import hold_open
from fulfilstation.services.counts.refusal import CountsRefused
from fulfilstation.services.counts.rules import CountRules, rules_of
from fulfilstation.services.counts.views import Completed, PostedLine
from fulfilstation.services.stock.adjust import change_level
from fulfilstation.services.stock.refusal import StockRefused
from fulfilstation.services.stock.reservations import holders


def complete_count(database: Database, actor: Actor, number: str, now: dt.datetime, *, approve: bool,
                   blind: bool = False) -> Completed:
    """``blind``: the result is for a counter — when the count waits for a manager, the reasons
    are one sentence with the number of lines only (no system figure, variance or value)."""
    with database.unit_of_work() as session:
        count = hold_open(session, number)
        rows = _lines(session, count)
        left = list(dict.fromkeys(bin_.code for line, bin_, *_rest in rows if line.counted_quantity is None))
        if left:
            raise CountsRefused("not-counted", f"Count {count.number} is not finished: {plural(len(left), 'bin')} "
                                f"still to count ({', '.join(left[:12])}{' …' if len(left) > 12 else ''}).")
        rules = rules_of(session)
        posted = [_posted(line, bin_, product) for line, bin_, product, *_rest in rows]
        reasons = _over_threshold(posted, rules)
        short = [_below_reserved(session, line, bin_, product, level_id, on_hand, reserved)
                 for line, bin_, product, level_id, on_hand, reserved in rows]
        blocked = [reason for reason in short if reason]
        if blocked and approve:
            raise CountsRefused("below-reserved", " ".join(blocked) + " Re-allocate or cancel those orders (or "
                                "find the units), then approve again.")
        if (reasons or blocked) and not approve:
            session.execute(update(CycleCount).where(CycleCount.id == count.id).values(needs_approval=True))
            audit.record(session, actor, "counts.needs_approval", "cycle_count", count.id,
                         {"number": count.number, "reasons": reasons + blocked})
            if blind:
                waiting = len(_waiting(posted, short, rules))
                return Completed(count.number, CycleCountStatus.COUNTING.value, True,
                                 (waiting_sentence(count.number, waiting),), (), 0, 0, 0, 0, blind=True)
            return Completed(count.number, CycleCountStatus.COUNTING.value, True, tuple(reasons + blocked),
                             tuple(posted), *_accuracy(posted))
        for (line, bin_, product, *_rest), done in sorted(zip(rows, posted, strict=True),
                                                          key=lambda pair: _level_order(pair[0][3])):
            if done.variance:
                try:
                    change_level(session, actor, product, bin_, line.lot_code, StockMoveReason.COUNT.value,
                                 f"cycle count {count.number}", by=done.variance, cycle_count_id=count.id)
                except StockRefused as refused:
                    raise CountsRefused(refused.code, refused.message) from None
            line.posted_quantity = done.variance
        return _completed(session, actor, count, posted, reasons, blocked, now, approve=approve)


def waiting_sentence(number: str, lines: int) -> str:
    """What a counter is told when a count waits for a manager: how many lines, never a figure."""
    return (f"{number} waits for a manager's approval: {plural(lines, 'line')} "
            f"{'differs' if lines == 1 else 'differ'} by more than the site allows.")


def _waiting(posted: list[PostedLine], short: list[str], rules: CountRules) -> list[int]:
    """Indexes of the lines a manager must look at: over a threshold, or below reserved."""
    return [index for index, (line, blocked) in enumerate(zip(posted, short, strict=True))
            if _over(line, rules) or blocked]


def _over(line: PostedLine, rules: CountRules) -> bool:
    return abs(line.variance) > rules.variance_units or line.value_minor > rules.variance_value_minor


def _lines(session: Session, count: CycleCount) -> list[Any]:
    return list(session.execute(
        select(CycleCountLine, Bin, Product, StockLevel.id, StockLevel.on_hand, StockLevel.reserved)
        .join(Bin, Bin.id == CycleCountLine.bin_id).join(Product, Product.id == CycleCountLine.product_id)
        .outerjoin(StockLevel, (StockLevel.bin_id == CycleCountLine.bin_id)
                   & (StockLevel.product_id == CycleCountLine.product_id)
                   & (StockLevel.lot_code == CycleCountLine.lot_code))
        .where(CycleCountLine.cycle_count_id == count.id)
        .order_by(Bin.pick_sequence, Bin.code, Product.sku, CycleCountLine.lot_code)).all())


def _completed(session: Session, actor: Actor, count: CycleCount, posted: list[PostedLine], reasons: list[str],
               blocked: list[str], now: dt.datetime, *, approve: bool) -> Completed:
    figures = _accuracy(posted)
    values = dict(zip(("lines_counted", "lines_exact", "units_variance", "value_variance_minor"), figures,
                      strict=True))
    session.execute(update(CycleCount).where(CycleCount.id == count.id).values(
        status=CycleCountStatus.COMPLETED.value, completed_at=now, needs_approval=bool(reasons or blocked),
        **({"approved_by_id": actor.user_id, "approved_at": now} if approve else {}), **values))
    audit.record(session, actor, "counts.approved" if approve else "counts.completed", "cycle_count", count.id,
                 {"number": count.number, **values,
                  "variances": [{"bin": p.bin, "sku": p.sku, "lot": p.lot, "counted": p.counted,
                                 "system": p.system, "variance": p.variance} for p in posted if p.variance]})
    return Completed(count.number, CycleCountStatus.COMPLETED.value, False, tuple(reasons), tuple(posted),
                     *figures)


def _level_order(level_id: int | None) -> int:
    """Existing levels in id order (as ship, cancel and move take them), new levels last."""
    return level_id if level_id is not None else 2**62


def _posted(line: CycleCountLine, bin_: Bin, product: Product) -> PostedLine:
    counted, system = int(line.counted_quantity or 0), int(line.system_quantity or 0)
    variance = counted - system
    unit = product.cost_minor or product.unit_price_minor or 0
    return PostedLine(bin_.code, product.sku, line.lot_code, counted, system, variance, abs(variance) * unit)


def _over_threshold(posted: list[PostedLine], rules: CountRules) -> list[str]:
    reasons = []
    for line in posted:
        where = f"{line.sku}{f' lot {line.lot}' if line.lot else ''} in {line.bin}"
        if abs(line.variance) > rules.variance_units:
            reasons.append(f"{where}: counted {line.counted}, system {line.system} ({line.variance:+d} units, over "
                           f"the {rules.variance_units}-unit threshold).")
        elif line.value_minor > rules.variance_value_minor:
            reasons.append(f"{where}: {line.variance:+d} units worth {line.value_minor / 100:.2f}, over the "
                           f"{rules.variance_value_minor / 100:.2f} threshold.")
    return reasons


def _below_reserved(session: Session, line: CycleCountLine, bin_: Bin, product: Product, level_id: int | None,
                    on_hand: int | None, reserved: int | None) -> str:
    variance = int(line.counted_quantity or 0) - int(line.system_quantity or 0)
    if variance >= 0 or level_id is None or (on_hand or 0) + variance >= (reserved or 0):
        return ""
    orders = ", ".join(holders(session, level_id)) or "open orders"
    return (f"{product.sku} in {bin_.code}: posting {variance:+d} would leave {(on_hand or 0) + variance} on hand, "
            f"below the {reserved} reserved for {orders} — stock adjust never goes below reserved units.")


def _accuracy(posted: list[PostedLine]) -> tuple[int, int, int, int]:
    return (len(posted), sum(1 for p in posted if p.variance == 0), sum(abs(p.variance) for p in posted),
            sum(p.value_minor for p in posted))


def cancel_count(database: Database, actor: Actor, number: str, now: dt.datetime) -> str:
    """Cancel an open count (nothing posted; its recorded figures kept for the record)."""
    with database.unit_of_work() as session:
        count = hold_open(session, number, status=CycleCountStatus.CANCELLED.value, completed_at=now)
        audit.record(session, actor, "counts.cancelled", "cycle_count", count.id, {"number": count.number})
        return count.number


def send_back(database: Database, actor: Actor, number: str) -> tuple[str, ...]:
    """A manager sends a count waiting for approval back for a recount: the counted figures of
    the lines over a threshold (or below reserved) are cleared and ``needs_approval`` too, so
    the counters count those bins again. The cleared figures are kept in the audit entry
    ``counts.recount_asked`` (with the system figure they were measured against). Returns the
    bins to count again."""
    with database.unit_of_work() as session:
        count = hold_open(session, number)
        if not count.needs_approval:
            raise CountsRefused("not-waiting", f"{count.number} is not waiting for a manager: there is nothing to "
                                "send back (complete it, or correct a line by counting it again).")
        rows = _lines(session, count)
        rules = rules_of(session)
        posted = [_posted(line, bin_, product) for line, bin_, product, *_rest in rows]
        short = [_below_reserved(session, line, bin_, product, level_id, on_hand, reserved)
                 for line, bin_, product, level_id, on_hand, reserved in rows]
        again = _waiting(posted, short, rules)
        cleared = []
        for index in again:
            line = rows[index][0]
            cleared.append({"bin": posted[index].bin, "sku": posted[index].sku, "lot": posted[index].lot,
                            "from": line.counted_quantity, "system": line.system_quantity})
            line.counted_quantity = None
            line.system_quantity = None
            line.counted_by_id = None
            line.counted_at = None
        session.execute(update(CycleCount).where(CycleCount.id == count.id).values(needs_approval=False))
        audit.record(session, actor, "counts.recount_asked", "cycle_count", count.id,
                     {"number": count.number, "lines": cleared})
        return tuple(dict.fromkeys(str(entry["bin"]) for entry in cleared))
