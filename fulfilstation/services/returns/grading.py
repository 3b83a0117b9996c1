"""Grading a returned unit (``returns.grade``, packers too): how it came back and what
becomes of it.

Rules: the RMA has been received and is not closed; the product is on it with a received
unit not yet graded; the grade is one of ``ReturnGrade`` and the action one of
``ReturnAction``: ``restock`` (only like-new or opened units) needs a sellable bin (kind pickable or storage, active),
``quarantine`` goes to the bin named (kind quarantine or damaged) or the first quarantine
bin, ``dispose`` throws the unit away.

Invariants: one transaction per unit. Its first write holds the RMA's row (``UPDATE rmas …
WHERE status = 'received'``), so graders and receivers of the same RMA go one after the
other and the last grade sees every other. The line's ``quantity_graded + 1 <=
quantity_received`` is a conditional UPDATE (a CHECK behind it). The unit leaves the returns
bin it came into by the stock area's conditional take (``stock.upsert.take_free_units``) and
restock or quarantine put it in the target bin (``add_units``) with a ``return`` stock move
(``rma_id`` set); dispose writes a ``scrap`` move out of the returns bin. An ``RmaUnit`` row
and the audit entry ``rma.unit_graded`` go with it. When every received unit is graded the
RMA is closed once every authorised unit was received and graded (``closing.close_rma``:
``processed_at``, ``refund_minor`` = received units × the order line's price, the order's
``refund_due`` set); while units are still expected it stays received (``close`` ends it short).
A refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Bin, Product, Rma, RmaLine, RmaUnit, StockMove
from fulfilstation.domain.enums import BinKind, ReturnAction, ReturnGrade, RmaStatus, StockMoveReason
from fulfilstation.domain.words import plural
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.returns.closing import close_rma
from fulfilstation.services.returns.queries import find_rma, load_rma
from fulfilstation.services.returns.tracking import lot_expiry
from fulfilstation.services.returns.views import GradedUnit, ReturnsRefused
from fulfilstation.services.stock.lookup import identify
from fulfilstation.services.stock.refusal import StockRefused
from fulfilstation.services.stock.upsert import add_units, take_free_units

SELLABLE = (BinKind.PICKABLE.value, BinKind.STORAGE.value)
HELD_APART = (BinKind.QUARANTINE.value, BinKind.DAMAGED.value)
MAX_NOTE = 300


@dataclass(frozen=True)
class Grading:
    """What to do with one unit: ``item`` a SKU or a scanned barcode; ``bin`` the target's code."""

    item: str
    grade: str
    action: str
    bin: str | None = None
    note: str | None = None


def grade_unit(database: Database, actor: Actor, rma_code: str, grading: Grading,
               now: dt.datetime) -> GradedUnit:
    grade, action = _grade(grading.grade), _action(grading.action)
    with database.unit_of_work() as session:
        rma = find_rma(session, rma_code)
        product = _product(session, rma, grading.item)
        _refuse_unsellable_restock(grade, action)
        target = _target(session, action, grading.bin)
        _hold(session, rma)
        line = _count_graded(session, rma, product)
        source_bin, lot = _where_it_waits(session, rma, product)
        if not take_free_units(session, product.id, source_bin.id, lot, 1):
            raise ReturnsRefused("not-in-returns-bin", f"The returned {product.sku} is no longer free in bin "
                                 f"{source_bin.code} (someone moved or reserved it): put it back there, or move "
                                 "it there, then grade it.")
        move = StockMove(product_id=product.id, from_bin_id=source_bin.id, lot_code=lot, quantity=1,
                         user_id=actor.user_id, station_id=actor.station_id, order_id=rma.order_id, rma_id=rma.id,
                         reason=StockMoveReason.SCRAP.value if target is None else StockMoveReason.RETURN.value,
                         note=f"{rma.number}: {grade.value}, {action.value}")
        if target is not None:
            add_units(session, product.id, target.id, lot, 1, lot_expiry(session, product.id, lot))
            move.to_bin_id = target.id
        session.add(move)
        note = " ".join((grading.note or "").split())[:MAX_NOTE] or None
        session.add(RmaUnit(rma_line_id=line.id, grade=grade.value, action=action.value,
                            bin_id=target.id if target else None, lot_code=lot, note=note,
                            graded_by_id=actor.user_id, graded_at=now))
        audit.record(session, actor, "rma.unit_graded", "rma", rma.id,
                     {"rma": rma.number, "sku": product.sku, "grade": grade.value, "action": action.value,
                      "bin": target.code if target else None, "from": source_bin.code, "lot": lot})
        session.flush()
        closed = _close_when_done(session, actor, rma, now)
        session.expire_all()
        view = load_rma(session, rma, now)
        where = f" → bin {target.code}" if target else " → disposed (scrap)"
        message = f"{product.sku}: {grade.value}, {action.value}{where}." + (
            f" {rma.number} is processed: every unit graded, refund due on order {view.order_number}." if closed
            else f" {view.to_grade} left to grade." if view.to_grade
            else f" {rma.number} waits for {plural(view.to_receive, 'more unit')} (a manager closes it short "
                 "if they are not coming).")
        return GradedUnit(view, product.sku, grade.value, action.value, target.code if target else None, closed,
                          message)


def _grade(text: str) -> ReturnGrade:
    try:
        return ReturnGrade(text.strip().lower().replace(" ", "-").replace("_", "-"))
    except ValueError:
        raise ReturnsRefused("bad-grade", f"{text!r} is not a grade: choose one of "
                             f"{', '.join(g.value for g in ReturnGrade)}.") from None


def _action(text: str) -> ReturnAction:
    try:
        return ReturnAction(text.strip().lower())
    except ValueError:
        raise ReturnsRefused("bad-action", f"{text!r} is not an action: choose one of "
                             f"{', '.join(a.value for a in ReturnAction)}.") from None


def _product(session: Session, rma: Rma, item: str) -> Product:
    text = item.strip()
    on_rma = session.scalars(select(Product).join(RmaLine, RmaLine.product_id == Product.id)
                             .where(RmaLine.rma_id == rma.id)).all()
    for product in on_rma:
        if product.sku.upper() == text.upper():
            return product
    try:
        sku = identify(session, text).code if text else ""
    except StockRefused:
        sku = ""
    for product in on_rma:
        if product.sku == sku:
            return product
    skus = ", ".join(sorted({product.sku for product in on_rma}))
    raise ReturnsRefused("not-on-rma", f"{text or 'That'} is not on {rma.number}: it holds {skus}.")


UNSELLABLE = (ReturnGrade.DAMAGED, ReturnGrade.DEFECTIVE, ReturnGrade.WRONG_ITEM)


def _refuse_unsellable_restock(grade: ReturnGrade, action: ReturnAction) -> None:
    """A damaged, defective or wrong item never goes back into a sellable bin."""
    if action is ReturnAction.RESTOCK and grade in UNSELLABLE:
        raise ReturnsRefused("not-sellable", f"A unit graded {grade.value} cannot be restocked into a sellable bin: "
                             "quarantine it or dispose of it.")


def _target(session: Session, action: ReturnAction, code: str | None) -> Bin | None:
    if action is ReturnAction.DISPOSE:
        return None
    text = (code or "").strip()
    if action is ReturnAction.RESTOCK and not text:
        raise ReturnsRefused("bad-bin", "Restock to which bin? Scan or choose the sellable bin the unit goes to.")
    if not text:
        found = session.scalars(select(Bin).where(Bin.kind == BinKind.QUARANTINE.value, Bin.active.is_(True))
                                .order_by(Bin.code)).first()
        if found is None:
            raise ReturnsRefused("no-quarantine-bin", "There is no quarantine bin: name a damaged bin, or an owner "
                                 "adds one with 'fulfilstation bins add QUAR-01 --kind quarantine'.")
        return found
    found = session.scalars(select(Bin).where(Bin.code == text)).first() or session.scalars(
        select(Bin).where(func.upper(Bin.code) == text.upper()).order_by(Bin.id)).first()
    if found is None:
        raise ReturnsRefused("bad-bin", f"There is no bin {text!r}: check the code on the bin's label.")
    if not found.active:
        raise ReturnsRefused("bad-bin", f"Bin {found.code} is no longer in use: choose an active bin.")
    allowed = SELLABLE if action is ReturnAction.RESTOCK else HELD_APART
    if found.kind not in allowed:
        raise ReturnsRefused("bad-bin", f"Bin {found.code} is a {found.kind} bin: {action.value} goes to a "
                             f"{' or '.join(allowed)} bin.")
    return found


def _hold(session: Session, rma: Rma) -> None:
    if rows_changed(session, update(Rma).where(Rma.id == rma.id, Rma.status == RmaStatus.RECEIVED.value)
                    .values(status=Rma.status)):
        return
    session.refresh(rma)
    if rma.status == RmaStatus.OPEN.value:
        raise ReturnsRefused("nothing-to-grade", f"Nothing has come in on {rma.number} yet: scan its items in first.")
    raise ReturnsRefused("nothing-to-grade", f"{rma.number} is {rma.status}: every unit on it has been dealt with.")


def _count_graded(session: Session, rma: Rma, product: Product) -> RmaLine:
    lines = session.scalars(select(RmaLine).where(RmaLine.rma_id == rma.id, RmaLine.product_id == product.id)
                            .order_by(RmaLine.id)).all()
    for line in lines:
        if rows_changed(session, update(RmaLine).where(
                RmaLine.id == line.id, RmaLine.quantity_graded + 1 <= RmaLine.quantity_received)
                .values(quantity_graded=RmaLine.quantity_graded + 1)):
            return line
    session.expire_all()
    received = sum(line.quantity_received for line in lines)
    raise ReturnsRefused("nothing-to-grade", f"Every {product.sku} received on {rma.number} is graded "
                         f"({received} received): scan the next item in first, or grade another product.")


def _where_it_waits(session: Session, rma: Rma, product: Product) -> tuple[Bin, str]:
    """The returns bin (and lot) the product's units of this RMA were put in when received."""
    row = session.execute(select(StockMove.to_bin_id, StockMove.lot_code).where(
        StockMove.rma_id == rma.id, StockMove.product_id == product.id, StockMove.from_bin_id.is_(None),
        StockMove.reason == StockMoveReason.RETURN.value).order_by(StockMove.id.desc())).first()
    if row is None or row[0] is None:
        raise ReturnsRefused("not-in-returns-bin", f"No {product.sku} came in on {rma.number}: scan it in first.")
    return session.get_one(Bin, row[0]), row[1] or ""


def _close_when_done(session: Session, actor: Actor, rma: Rma, now: dt.datetime) -> bool:
    """Close the RMA when every authorised unit was received and graded (units still
    expected keep it open: a manager closes it short); the order's refund is then due."""
    rows = session.execute(select(RmaLine.quantity_expected, RmaLine.quantity_received, RmaLine.quantity_graded)
                           .where(RmaLine.rma_id == rma.id)).all()
    if any(graded < expected or received < expected for expected, received, graded in rows):
        return False
    close_rma(session, actor, rma, now)
    return True
