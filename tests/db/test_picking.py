"""Pick lists on both engines: which orders a list takes (named, next N, waves), one order on
one open list, lines from the allocations merged per bin in walking order, totes, picks
confirmed by bin then item (case barcodes, wrong bin, wrong item, never over), the list done,
cancel, and the audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    AuditEntry,
    Bin,
    Carrier,
    CarrierService,
    Order,
    OrderLine,
    PickList,
    PickListLine,
    PickListOrder,
    StockLevel,
)
from fulfilstation.services.picking import PickingRefused, Wave
from fulfilstation.services.refused import NotAllowed
from tests.support.app import app_for, sign_in
from tests.support.picking import ready_order
from tests.support.warehouse import case_barcode, unit_barcode


def _ready_numbers(db: Database) -> list[str]:
    with db.unit_of_work() as session:
        return list(session.scalars(select(Order.number).where(Order.status == "ready", Order.hold.is_(False))
                                    .order_by(Order.ship_by.is_(None), Order.ship_by, Order.ordered_at, Order.id)))


def test_a_list_of_named_orders_sends_the_picker_to_the_reserved_stock(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    first = ready_order(app, manager, [("NB-A5-LIN", 3), ("MUG-CER-350", 1)])
    second = ready_order(app, manager, [("NB-A5-LIN", 4)])
    created = app.picking.create(packer, [first, second])
    view = created.view
    assert created.number.startswith("PL-") and view.status == "open"
    assert [(t.order, t.tote) for t in view.totes] == [(first, view.totes[0].tote), (second, view.totes[1].tote)]
    assert len({t.tote for t in view.totes}) == 2
    notebook = [row for row in view.rows if row.sku == "NB-A5-LIN"]
    assert len(notebook) == 1 and notebook[0].quantity == 7  # merged per bin: one stop, two totes
    assert [(s.index, s.quantity) for s in notebook[0].totes] == [(1, 3), (2, 4)]
    assert notebook[0].tote_words == "tote 1: 3, tote 2: 4"
    with db.unit_of_work() as session:
        sequences = {str(a): int(b) for a, b in session.execute(select(Bin.code, Bin.pick_sequence))}
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "picklist.created")) == 1
    assert [(sequences[r.bin], r.bin) for r in view.rows] == sorted((sequences[r.bin], r.bin) for r in view.rows)
    assert view.units == 8 and view.picked == 0

    again = pytest.raises(PickingRefused, app.picking.create, packer, [second])
    assert again.value.code == "not-pickable" and created.number in again.value.message


def test_next_takes_the_oldest_pickable_orders_and_skips_held_and_listed(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    oldest = _ready_numbers(db)
    app.orders.hold(manager, oldest[1], "Check the address")
    first = app.picking.create(packer, next=3)
    assert [t.order for t in first.view.totes] == [oldest[0], oldest[2], oldest[3]]
    second = app.picking.create(packer, next=2)
    assert [t.order for t in second.view.totes] == oldest[4:6]
    assert first.view.totes[0].tote != second.view.totes[0].tote
    cancelled = app.picking.cancel(manager, first.number, "wrong batch")
    assert cancelled.orders == 3
    third = app.picking.create(packer, next=3)
    assert [t.order for t in third.view.totes] == [oldest[0], oldest[2], oldest[3]]  # pickable again
    with pytest.raises(PickingRefused) as closed:
        app.picking.cancel(manager, first.number)
    assert closed.value.code == "list-closed"
    with pytest.raises(NotAllowed):
        app.picking.cancel(packer, third.number)


def test_waves_by_carrier_ship_by_date_and_zone(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    with db.unit_of_work() as session:
        service_id, carrier = session.execute(select(CarrierService.id, Carrier.code)
                                              .join(Carrier, Carrier.id == CarrierService.carrier_id)
                                              .order_by(CarrierService.id).limit(1)).one()
        session.execute(update(Order).values(requested_service_id=None))
    late = dt.date.today() + dt.timedelta(days=30)
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.status == "ready").values(ship_by=late))
    by_carrier = ready_order(app, manager, [("MUG-CER-350", 1)], ship_by=late, service_id=service_id)
    overdue = ready_order(app, manager, [("MUG-CER-350", 1)], ship_by=dt.date.today() - dt.timedelta(days=2))
    with pytest.raises(NotAllowed):
        app.picking.create_wave(packer, Wave.CARRIER, carrier)
    wave = app.picking.create_wave(manager, Wave.CARRIER, carrier)
    assert [t.order for t in wave.view.totes] == [by_carrier] and wave.view.description == f"wave: carrier {carrier}"
    dated = app.picking.create_wave(manager, Wave.SHIP_BY)
    assert [t.order for t in dated.view.totes] == [overdue]
    zoned = app.picking.create_wave(manager, Wave.ZONE, limit=5, by_zone=True)
    zones = {row.zone for row in zoned.view.rows}
    assert len(zones) == 1 and zoned.view.by_zone and len(zoned.view.totes) <= 5
    with pytest.raises(PickingRefused) as bad:
        app.picking.create_wave(manager, Wave.SHIP_BY, "next week")
    assert bad.value.code == "bad-selection"


def test_picks_are_confirmed_by_bin_then_item_and_never_go_over(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    case, per_case = case_barcode(db, "MUG-CER-350")
    order = ready_order(app, manager, [("MUG-CER-350", per_case + 1), ("NB-A5-LIN", 2)])
    created = app.picking.create(packer, [order])
    mugs = next(row for row in created.view.rows if row.sku == "MUG-CER-350")
    notebooks = next(row for row in created.view.rows if row.sku == "NB-A5-LIN")

    wrong_bin = pytest.raises(PickingRefused, app.picking.check_bin, created.number, "Z-99-9")
    assert wrong_bin.value.code == "wrong-bin" and created.view.rows[0].bin in wrong_bin.value.message
    assert app.picking.check_bin(created.number, mugs.bin.lower()).rows[0].sku == "MUG-CER-350"
    wrong_item = pytest.raises(PickingRefused, app.picking.pick, packer, created.number, mugs.bin,
                               unit_barcode(db, "NB-A5-LIN"))
    assert wrong_item.value.code == "wrong-item" and "Pick MUG-CER-350" in wrong_item.value.message

    by_case = app.picking.pick(packer, created.number, mugs.bin, case)
    assert by_case.quantity == per_case and by_case.into == ((created.view.totes[0].tote, per_case),)
    over = pytest.raises(PickingRefused, app.picking.pick, packer, created.number, mugs.bin, case)
    assert over.value.code == "too-many"
    last = app.picking.pick(packer, created.number, mugs.bin, "MUG-CER-350")  # the SKU on a product label
    assert last.row_done and not last.list_done
    assert app.picking.show(created.number).status == "picking"
    done = app.picking.pick(packer, created.number, notebooks.bin, unit_barcode(db, "NB-A5-LIN"), 2)
    assert done.list_done and "Pick list done" in done.message
    view = app.picking.show(created.number)
    assert view.status == "done" and view.picked == view.units and view.next_row is None
    closed = pytest.raises(PickingRefused, app.picking.pick, packer, created.number, mugs.bin, "MUG-CER-350")
    assert closed.value.code == "list-closed"
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "picklist.picked")) == 3
        assert session.scalar(select(PickList.completed_at).where(PickList.number == created.number)) is not None
        assert not session.scalar(select(func.count()).select_from(PickListLine)
                                  .where(PickListLine.picked_by_id.is_(None),
                                         PickListLine.pick_list_id == select(PickList.id).where(
                                             PickList.number == created.number).scalar_subquery()))
    assert order not in [t.order for t in app.picking.create(packer, next=50).view.totes]  # picked: not again


def test_a_picked_lists_tote_opens_its_order_at_the_packing_station(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = ready_order(app, manager, [("NB-A5-LIN", 1)])
    created = app.picking.create(packer, [order])
    view = app.packing.start(packer, created.view.totes[0].tote)
    assert view.order_number == order
    with db.unit_of_work() as session:
        assert session.scalar(select(PickListOrder.tote_code).where(
            PickListOrder.pick_list_id == select(PickList.id).where(PickList.number == created.number)
            .scalar_subquery())) == created.view.totes[0].tote


def test_a_lot_tracked_line_names_its_reserved_lot_and_a_scanned_lot_must_match(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = ready_order(app, manager, [("TEA-EARL-100", 1)])
    created = app.picking.create(packer, [order])
    (row,) = created.view.rows
    with db.unit_of_work() as session:
        lot, bin_code = session.execute(
            select(StockLevel.lot_code, Bin.code).join(Bin, Bin.id == StockLevel.bin_id)
            .join(Allocation, Allocation.stock_level_id == StockLevel.id)
            .join(OrderLine, OrderLine.id == Allocation.order_line_id)
            .join(Order, Order.id == OrderLine.order_id).where(Order.number == order)).one()
    assert (row.bin, row.lot) == (bin_code, lot) and lot
    gtin = unit_barcode(db, "TEA-EARL-100")
    other_lot = pytest.raises(PickingRefused, app.picking.pick, packer, created.number, row.bin,
                              f"]C101{gtin}10NOT-THIS-LOT")
    assert other_lot.value.code == "wrong-item" and "lot NOT-THIS-LOT" in other_lot.value.message
    picked = app.picking.pick(packer, created.number, row.bin, f"]C101{gtin}10{lot}")
    assert picked.lot == lot and picked.list_done
    assert [s.number for s in app.picking.open_lists()] == []
    assert [s.number for s in app.picking.open_lists(include_done=True)] == [created.number]
