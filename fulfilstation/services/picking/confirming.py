"""Confirming picks: scan the bin, then the items (a unit barcode, a case barcode counting its
pack quantity, a GS1-128 naming the lot, or the SKU printed on a product label).

Rules: the bin must have units left to pick on the list (else a refusal saying where to
go); the item must be one the list picks in that bin (and of that lot when the scan names
one); the units go into the lines of that bin + product + lot in tote order.

Invariants: one transaction per pick. Its first statement is a conditional UPDATE of the
list's row (``status`` open or picking → picking), which refuses a done or cancelled list
and serialises the picks of one list, so "every line picked or short → done" is decided
by the last pick on either engine. Each line's ``picked_quantity`` goes up by a
conditional ``UPDATE … WHERE picked + short + n <= quantity`` (the CHECK constraint stands
behind it): two pickers on one line never pick it over. A pick that does not fit refuses
and changes nothing. Audited ``picklist.picked``.

Threading: blocking (database); called by the use case from worker threads.
"""

from __future__ import annotations

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Bin, Order, OrderLine, PickList, PickListLine, PickListOrder, Product
from fulfilstation.domain.enums import PickListStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.picking.reading import find_list, read_view
from fulfilstation.services.picking.views import GONE, BinCheck, Picked, PickingRefused, PickRow
from fulfilstation.services.stock.lookup import identify
from fulfilstation.services.stock.refusal import StockRefused

OPEN_LISTS = (PickListStatus.OPEN.value, PickListStatus.PICKING.value)
MAX_UNITS = 100_000


def open_rows(session: Session, number: str, bin_code: str) -> tuple[str, list[PickRow]]:
    """(the list's number, its rows at the bin with units left); refusals for a list that is
    not open, or a bin with nothing to pick (naming the next bin of the walk)."""
    view = read_view(session, number)
    if view.status not in OPEN_LISTS:
        raise PickingRefused("list-closed", f"Pick list {view.number} is {view.status}: nothing to pick on it.")
    text = bin_code.strip()
    here = [row for row in view.rows if row.bin.upper() == text.upper()]
    rows = [row for row in here if not row.done]
    if not rows:
        upcoming = view.next_row
        where = f"Go to bin {upcoming.bin} ({upcoming.sku})." if upcoming else "Every row is picked or short."
        gone = [(share.order, share.order_status) for row in here for share in row.totes if share.gone and share.left]
        if gone:
            order, status = gone[0]
            raise PickingRefused("order-gone", f"Order {order} was {status} — leave its units; put any picked ones "
                                 f"back. {where}")
        what = f"Bin {text} is done on this list" if here else f"Wrong bin: {text} is not on pick list {view.number}"
        raise PickingRefused("wrong-bin", f"{what}. {where}")
    return view.number, rows


def check_bin(database: Database, number: str, bin_code: str) -> BinCheck:
    """The list's rows left at the scanned bin; an item scanned instead of a bin is told to
    scan the bin first (naming the bin to go to)."""
    with database.unit_of_work() as session:
        try:
            _number, rows = open_rows(session, number, bin_code)
        except PickingRefused as refused:
            if refused.code == "wrong-bin" and _is_item(session, bin_code):
                upcoming = read_view(session, number).next_row
                where = f"go to bin {upcoming.bin}" if upcoming else "every row is picked or short"
                raise PickingRefused("bin-first", f"Scan the bin first: {where}.") from None
            raise
    return BinCheck(rows[0].bin, tuple(rows))


def _is_item(session: Session, scan: str) -> bool:
    try:
        return identify(session, scan).kind == "product"
    except StockRefused:
        return False


def pick(database: Database, actor: Actor, number: str, bin_code: str, scan: str, count: int = 1) -> Picked:
    if not 1 <= count <= MAX_UNITS:
        raise PickingRefused("bad-quantity", f"Pick 1 to {MAX_UNITS} at a time, not {count}.")
    with database.unit_of_work() as session:
        list_id = take_list(session, number)
        list_number, rows = open_rows(session, number, bin_code)
        try:
            target = identify(session, scan)
        except StockRefused as refused:
            raise PickingRefused("wrong-item", refused.message) from None
        if target.kind != "product":
            raise PickingRefused("wrong-item", f"{target.code} is a bin label: scan the item now (you are at bin "
                                 f"{rows[0].bin}, {rows[0].sku}).")
        matching = [row for row in rows
                    if row.sku.upper() == target.code.upper() and (not target.lot or row.lot == target.lot)]
        if not matching:
            wanted = ", ".join(f"{row.sku}{f' lot {row.lot}' if row.lot else ''}" for row in rows)
            raise PickingRefused("wrong-item", f"Wrong item: {target.code}{f' lot {target.lot}' if target.lot else ''}"
                                 f" is not to be picked from bin {rows[0].bin}. Pick {wanted}.")
        row = matching[0]
        units = count * max(1, target.units)
        if units > row.remaining:
            raise PickingRefused("too-many", f"Only {row.remaining} × {row.sku} left to pick from {row.bin}: "
                                 f"this scan counts {units}. Put the extra back.")
        into = _fill(session, actor, list_id, row, units)
        done = finish_if_done(session, list_id)
        audit.record(session, actor, "picklist.picked", "pick_list", list_id,
                     {"number": list_number, "bin": row.bin, "sku": row.sku, "lot": row.lot, "units": units,
                      "totes": [[tote, n] for tote, n in into]})
    return Picked(list_number, row.bin, row.sku, row.lot, units, tuple(into), units == row.remaining, done)


def take_list(session: Session, number: str) -> int:
    """Hold the list's row for this transaction (open or picking → picking); its id."""
    pick_list = find_list(session, number)
    taken = rows_changed(session, update(PickList).where(PickList.id == pick_list.id,
                                                         PickList.status.in_(OPEN_LISTS))
                         .values(status=PickListStatus.PICKING.value).execution_options(synchronize_session=False))
    if not taken:
        session.expire_all()
        status = session.scalar(select(PickList.status).where(PickList.id == pick_list.id))
        raise PickingRefused("list-closed", f"Pick list {pick_list.number} is {status}: nothing to pick on it.")
    return pick_list.id


def _fill(session: Session, actor: Actor, list_id: int, row: PickRow, units: int) -> list[tuple[str, int]]:
    """Raise the row's lines' picked figures by ``units`` in tote order (conditional UPDATEs)."""
    lines = session.execute(
        select(PickListLine.id, PickListLine.quantity - PickListLine.picked_quantity - PickListLine.short_quantity)
        .join(Bin, Bin.id == PickListLine.bin_id).join(Product, Product.id == PickListLine.product_id)
        .join(OrderLine, OrderLine.id == PickListLine.order_line_id).join(Order, Order.id == OrderLine.order_id)
        .where(PickListLine.pick_list_id == list_id, Bin.code == row.bin, Product.sku == row.sku,
               PickListLine.lot_code == row.lot, Order.status.not_in(GONE)).order_by(PickListLine.id)).all()
    totes = _totes_of(session, [int(line_id) for line_id, _left in lines])
    left, into = units, []
    now = utcnow()
    for line_id, free in lines:
        take = min(left, int(free))
        if take <= 0:
            continue
        grew = rows_changed(session, update(PickListLine).where(
            PickListLine.id == line_id,
            PickListLine.picked_quantity + PickListLine.short_quantity + take <= PickListLine.quantity)
            .values(picked_quantity=PickListLine.picked_quantity + take, picked_by_id=actor.user_id, picked_at=now)
            .execution_options(synchronize_session=False))
        if not grew:
            raise PickingRefused("picked-meanwhile", "Another picker picked this row meanwhile: scan the item again.")
        into.append((totes[int(line_id)], take))
        left -= take
        if not left:
            break
    if left:
        raise PickingRefused("picked-meanwhile", "Another picker picked this row meanwhile: scan the item again.")
    return into


def _totes_of(session: Session, line_ids: list[int]) -> dict[int, str]:
    rows = session.execute(
        select(PickListLine.id, PickListOrder.tote_code)
        .join(OrderLine, OrderLine.id == PickListLine.order_line_id)
        .join(PickListOrder, (PickListOrder.order_id == OrderLine.order_id)
              & (PickListOrder.pick_list_id == PickListLine.pick_list_id))
        .where(PickListLine.id.in_(line_ids))).all()
    return {int(line_id): str(tote or "") for line_id, tote in rows}


def finish_if_done(session: Session, list_id: int) -> bool:
    """Mark the list done when no line has units left for an order still to ship (a shipped
    or cancelled order's unpicked lines are left in the bin), inside the list's row lock."""
    session.flush()
    left = exists().where(PickListLine.pick_list_id == list_id,
                          PickListLine.picked_quantity + PickListLine.short_quantity < PickListLine.quantity,
                          OrderLine.id == PickListLine.order_line_id, Order.id == OrderLine.order_id,
                          Order.status.not_in(GONE))
    return bool(rows_changed(session, update(PickList).where(PickList.id == list_id, PickList.status.in_(OPEN_LISTS),
                                                             ~left)
                             .values(status=PickListStatus.DONE.value, completed_at=utcnow())
                             .execution_options(synchronize_session=False)))
