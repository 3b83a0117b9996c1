"""Reading pick lists: one list as the picker walks it (``read_view``) and the lists open now.

Rows merge the list's lines per bin + product + lot and are sorted by the bin's pick
sequence, then bin code, then SKU and lot (by zone first when the list is split by zone).
Three queries for a list of any size (lines with their bins, products and totes; the
products' unit barcodes; the totes). Read-only.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Bin,
    Order,
    OrderLine,
    PickList,
    PickListLine,
    PickListOrder,
    Product,
    ProductBarcode,
    User,
)
from fulfilstation.domain.enums import PickListStatus
from fulfilstation.services.picking.views import (
    PickingRefused,
    PickListSummary,
    PickListView,
    PickRow,
    ToteOrder,
    ToteShare,
)


def find_list(session: Session, number: str) -> PickList:
    text = number.strip()
    found = session.scalar(select(PickList).where(PickList.number == text)) or session.scalar(
        select(PickList).where(func.upper(PickList.number) == text.upper()))
    if found is None:
        raise PickingRefused("unknown-list", f"There is no pick list {text!r}: scan the barcode at the top of the "
                             "printed list, or see the open lists.")
    return found


def read_view(session: Session, number: str) -> PickListView:
    pick_list = find_list(session, number)
    totes = session.execute(
        select(PickListOrder.order_id, PickListOrder.tote_code, Order.number, Order.ship_by, Order.status)
        .join(Order, Order.id == PickListOrder.order_id)
        .where(PickListOrder.pick_list_id == pick_list.id).order_by(PickListOrder.id)).all()
    index = {int(order_id): (str(tote), position, str(order), str(status)) for position, (order_id, tote, order, _by,
             status) in enumerate(totes, start=1)}
    lines = session.execute(
        select(Bin.code, Bin.zone, Bin.pick_sequence, Product.id, Product.sku, Product.name, PickListLine.lot_code,
               OrderLine.order_id, PickListLine.quantity, PickListLine.picked_quantity, PickListLine.short_quantity)
        .join(Bin, Bin.id == PickListLine.bin_id).join(Product, Product.id == PickListLine.product_id)
        .join(OrderLine, OrderLine.id == PickListLine.order_line_id)
        .where(PickListLine.pick_list_id == pick_list.id).order_by(PickListLine.id)).all()
    barcodes = _unit_barcodes(session, {int(line[3]) for line in lines})
    groups: dict[tuple[str, int, str], list[tuple[object, ...]]] = defaultdict(list)
    for line in lines:
        groups[(str(line[0]), int(line[3]), str(line[6]))].append(tuple(line))
    rows = [_row(group, index, barcodes) for group in groups.values()]
    rows.sort(key=lambda r: ((r.zone,) if pick_list.by_zone else ()) + (r.sequence, r.bin, r.sku, r.lot))
    return PickListView(pick_list.number, pick_list.status, pick_list.description or "", pick_list.by_zone,
                        pick_list.created_at,
                        tuple(ToteOrder(str(tote), str(order), by, str(status))
                              for _id, tote, order, by, status in totes), tuple(rows))


def _row(group: list[tuple[object, ...]], index: dict[int, tuple[str, int, str, str]],
         barcodes: dict[int, str]) -> PickRow:
    code, zone, sequence, product_id, sku, name, lot = group[0][:7]
    shares: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for line in group:
        share = shares[int(str(line[7]))]
        for at, value in enumerate(line[8:11]):
            share[at] += int(str(value))
    totes = tuple(sorted((ToteShare(index[order_id][0], index[order_id][1], index[order_id][2], quantity, picked,
                                    short, index[order_id][3])
                          for order_id, (quantity, picked, short) in shares.items() if order_id in index),
                         key=lambda s: s.index))
    return PickRow(str(code), str(zone or ""), int(str(sequence or 0)), str(sku), str(name),
                   barcodes.get(int(str(product_id)), str(sku)), str(lot),
                   sum(s.quantity for s in totes), sum(s.picked for s in totes), sum(s.short for s in totes), totes)


def _unit_barcodes(session: Session, product_ids: set[int]) -> dict[int, str]:
    if not product_ids:
        return {}
    found: dict[int, str] = {}
    for product_id, code in session.execute(
            select(ProductBarcode.product_id, ProductBarcode.code)
            .where(ProductBarcode.product_id.in_(product_ids), ProductBarcode.pack_quantity == 1)
            .order_by(ProductBarcode.id)):
        found.setdefault(int(product_id), str(code))
    return found


def show(database: Database, number: str) -> PickListView:
    with database.unit_of_work() as session:
        return read_view(session, number)


def open_lists(database: Database, *, include_done: bool = False) -> list[PickListSummary]:
    """The lists not finished (open or being picked; with ``include_done`` the done ones too),
    newest first."""
    statuses = [PickListStatus.OPEN.value, PickListStatus.PICKING.value]
    if include_done:
        statuses.append(PickListStatus.DONE.value)
    orders = (select(func.count()).where(PickListOrder.pick_list_id == PickList.id)
              .correlate(PickList).scalar_subquery())
    figures = (select(PickListLine.pick_list_id, func.sum(PickListLine.quantity).label("units"),
                      func.sum(PickListLine.picked_quantity).label("picked"),
                      func.sum(PickListLine.short_quantity).label("short"))
               .group_by(PickListLine.pick_list_id).subquery())
    with database.unit_of_work() as session:
        rows = session.execute(
            select(PickList.number, PickList.status, PickList.description, orders, figures.c.units,
                   figures.c.picked, figures.c.short, PickList.created_at, User.full_name)
            .outerjoin(figures, figures.c.pick_list_id == PickList.id)
            .outerjoin(User, User.id == PickList.created_by_id)
            .where(PickList.status.in_(statuses)).order_by(PickList.id.desc())).all()
    return [PickListSummary(str(n), str(s), str(d or ""), int(o or 0), int(u or 0), int(p or 0), int(sh or 0), at,
                            str(who or "")) for n, s, d, o, u, p, sh, at, who in rows]
