"""Short picks on both engines: the shortage recorded, the bin's stock corrected down to what
is in totes (a ledger move), every allocation it no longer backs released, the orders
reserved elsewhere (new lines on the list) or made backorders — or split when the site ships
partially — and the invariants: reserved <= on hand, reserved == the allocations' sum, the
ledger adds up."""

from __future__ import annotations

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Bin, Product, StockLevel, StockMove
from fulfilstation.services.app import AppServices
from tests.support.app import app_for, sign_in
from tests.support.picking import broken_levels, held_units, order_state, ready_order
from tests.support.warehouse import unit_barcode


def _level(db: Database, sku: str, bin_code: str) -> tuple[int, int]:
    with db.unit_of_work() as session:
        on_hand, reserved = session.execute(select(StockLevel.on_hand, StockLevel.reserved)
                                            .join(Product, Product.id == StockLevel.product_id)
                                            .join(Bin, Bin.id == StockLevel.bin_id)
                                            .where(Product.sku == sku, Bin.code == bin_code)).one()
    return int(on_hand), int(reserved)


def _assert_consistent(app: AppServices) -> None:
    assert broken_levels(app.stock.database) == []
    check = app.stock.check()
    assert check.consistent, check


def test_a_short_bin_sends_the_order_to_its_other_stock(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = ready_order(app, manager, [("CUT-BRD-OAK", 2)])  # two levels: one pickable, one storage
    created = app.picking.create(packer, [order])
    (row,) = created.view.rows
    shorted = app.picking.short(packer, created.number, row.bin, "CUT-BRD-OAK")
    assert shorted.short_units == 2 and shorted.on_hand_after == 0 and order in shorted.re_reserved
    assert _level(db, "CUT-BRD-OAK", row.bin) == (0, 0)
    view = app.picking.show(created.number)
    assert view.status == "picking" and view.short == 2
    elsewhere = view.next_row
    assert elsewhere is not None and elsewhere.bin != row.bin and elsewhere.quantity == 2
    assert order_state(db, order) == ("ready", False)
    done = app.picking.pick(packer, created.number, elsewhere.bin, unit_barcode(db, "CUT-BRD-OAK"), 2)
    assert done.list_done
    with db.unit_of_work() as session:
        move = session.scalars(select(StockMove).where(StockMove.note == f"short pick on {created.number}")).one()
        assert move.reason == "adjust" and move.quantity == shorted.on_hand_before
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "picklist.short")).all()
    _assert_consistent(app)


def test_a_short_with_no_other_stock_makes_backorders_keeping_what_is_in_the_tote(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = ready_order(app, manager, [("MUG-CER-350", 2)])  # one level only
    other = ready_order(app, manager, [("MUG-CER-350", 1)])  # not on the list, holds the same bin
    created = app.picking.create(packer, [order])
    (row,) = created.view.rows
    app.picking.pick(packer, created.number, row.bin, unit_barcode(db, "MUG-CER-350"))
    shorted = app.picking.short(packer, created.number, row.bin, "MUG-CER-350")
    assert shorted.on_hand_after == 1 and shorted.list_done  # the one in the tote stays on hand
    assert {order, other} <= set(shorted.backordered)
    assert order_state(db, order) == ("pending", True) and held_units(db, order) == 1
    assert order_state(db, other) == ("pending", True) and held_units(db, other) == 0
    assert _level(db, "MUG-CER-350", row.bin) == (1, 1)
    _assert_consistent(app)


def test_a_short_ships_what_is_there_when_the_site_ships_partially(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager, owner = sign_in(app, "packer"), sign_in(app, "manager"), sign_in(app, "owner")
    app.site.set_partial_shipments(owner, True)
    order = ready_order(app, manager, [("MUG-CER-350", 2), ("NB-A5-LIN", 1)])
    created = app.picking.create(packer, [order])
    mugs = next(r for r in created.view.rows if r.sku == "MUG-CER-350")
    app.picking.pick(packer, created.number, mugs.bin, unit_barcode(db, "MUG-CER-350"))
    shorted = app.picking.short(packer, created.number, mugs.bin, "MUG-CER-350")
    (split,) = [s for s in shorted.split if s.startswith(order)]
    rest = split.split(" → ")[1]
    assert order_state(db, order) == ("ready", False) and held_units(db, order) == 2  # 1 mug (in the tote) + 1 book
    assert order_state(db, rest) == ("pending", True)
    view = app.picking.show(created.number)
    assert view.next_row is not None and view.next_row.sku == "NB-A5-LIN"
    _assert_consistent(app)
