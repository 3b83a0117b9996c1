"""What the tester found in pick lists, on both engines: a short pick is bound to an open row
of the list at a scanned bin and names its write-off; lists leave the units of shipped and
cancelled orders (the walk skips them, a pick is refused, a list left only with them is
done); an order short-picked on a done list and ready again goes on a new list for its
missing units only; an item scanned before its bin is told to scan the bin; SKUs in any case."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import PickList
from fulfilstation.services.packing import PackRefused
from fulfilstation.services.picking import PickingRefused, Wave
from tests.support.app import app_for, sign_in
from tests.support.orders import pack_all, ship_packed
from tests.support.picking import held_units, order_state, ready_order
from tests.support.warehouse import unit_barcode


def _status(db: Database, number: str) -> str:
    with db.unit_of_work() as session:
        return str(session.scalar(select(PickList.status).where(PickList.number == number)))


def test_a_short_needs_an_open_row_of_the_list_at_that_bin_and_names_the_write_off(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = ready_order(app, manager, [("MUG-CER-350", 2)])
    elsewhere = app.picking.create(packer, [ready_order(app, manager, [("NB-A5-LIN", 1)])]).view.rows[0].bin
    created = app.picking.create(packer, [order])
    (row,) = created.view.rows
    with pytest.raises(PickingRefused) as refused:  # a bin the list never sends the picker to
        app.picking.short(packer, created.number, elsewhere, "NB-A5-LIN")
    assert refused.value.code == "wrong-bin" and f"Go to bin {row.bin}" in refused.value.message
    with pytest.raises(PickingRefused) as refused:
        app.picking.short_preview(created.number, elsewhere, "NB-A5-LIN")
    assert refused.value.code == "wrong-bin"
    with pytest.raises(PickingRefused) as refused:  # an item the list does not pick at this bin
        app.picking.short(packer, created.number, row.bin, "NB-A5-LIN")
    assert refused.value.code == "wrong-item"
    app.picking.pick(packer, created.number, row.bin, unit_barcode(db, "MUG-CER-350"))
    preview = app.picking.short_preview(created.number, row.bin, "mug-cer-350")
    assert preview.in_totes == 1 and preview.on_hand > 1
    assert preview.question.startswith(f"Bin {row.bin} has no more MUG-CER-350? Its stock of {preview.on_hand} will "
                                       "be written off to what is in totes (1): press F8 again to confirm")
    shorted = app.picking.short(packer, created.number, row.bin, "MUG-CER-350")
    assert shorted.on_hand_before == preview.on_hand and shorted.on_hand_after == 1
    assert f"{preview.on_hand - 1} units written off" in shorted.message
    assert f"fulfilstation count create --bins {row.bin}" in shorted.message


def test_lists_leave_the_units_of_shipped_and_cancelled_orders(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    kept = ready_order(app, manager, [("NB-A5-LIN", 1)])
    gone = ready_order(app, manager, [("CUT-BRD-OAK", 1)])
    created = app.picking.create(packer, [kept, gone])
    app.orders.cancel(manager, gone, "the customer changed their mind")
    view = app.picking.show(created.number)
    board = next(row for row in view.rows if row.sku == "CUT-BRD-OAK")
    assert board.done and board.gone_orders == (gone,) and "cancelled: leave it" in board.tote_words
    assert next(tote for tote in view.totes if tote.order == gone).gone
    assert view.next_row is not None and view.next_row.sku == "NB-A5-LIN"  # the walk skips it
    with pytest.raises(PickingRefused) as refused:
        app.picking.pick(packer, created.number, board.bin, unit_barcode(db, "CUT-BRD-OAK"))
    assert refused.value.code == "order-gone"
    assert refused.value.message.startswith(f"Order {gone} was cancelled — leave its units; put any picked ones back")
    notebook = view.next_row
    assert app.picking.pick(packer, created.number, notebook.bin, unit_barcode(db, "NB-A5-LIN")).list_done

    shipped = ready_order(app, manager, [("MUG-CER-350", 1)])
    alone = app.picking.create(packer, [shipped])
    ship_packed(app, packer, pack_all(app, packer, shipped, [("MUG-CER-350", 1)]))
    assert _status(db, alone.number) == "done"  # left only with a shipped order's units: done
    assert app.picking.show(alone.number).finished
    with pytest.raises(PickingRefused) as refused:
        app.picking.pick(packer, alone.number, alone.view.rows[0].bin, unit_barcode(db, "MUG-CER-350"))
    assert refused.value.code == "list-closed"


def test_an_order_short_picked_on_a_done_list_goes_on_a_new_list_for_its_missing_units(
        seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = ready_order(app, manager, [("MUG-CER-350", 2)])  # one level only
    created = app.picking.create(packer, [order])
    (row,) = created.view.rows
    app.picking.pick(packer, created.number, row.bin, unit_barcode(db, "MUG-CER-350"))
    shorted = app.picking.short(packer, created.number, row.bin, "MUG-CER-350")
    assert shorted.list_done and order in shorted.backordered and order_state(db, order) == ("pending", True)
    app.stock.adjust(manager, "MUG-CER-350", row.bin, "found on the shelf", by=5)
    assert order_state(db, order) == ("ready", False) and held_units(db, order) == 2
    again = app.picking.create(packer, [order])  # a dead end before: "on pick list PL-…"
    (missing,) = again.view.rows
    assert missing.quantity == 1  # the unit already in the first tote is not picked twice
    assert app.picking.pick(packer, again.number, missing.bin, "mug-cer-350").list_done  # a SKU in any case
    with pytest.raises(PickingRefused) as refused:  # on a done list without a short: in its tote
        app.picking.create(packer, [order])
    assert f"{order} is on pick list {again.number}" in refused.value.message


def test_an_item_scanned_before_its_bin_is_told_to_scan_the_bin(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    created = app.picking.create(packer, [ready_order(app, manager, [("NB-A5-LIN", 1)])])
    (row,) = created.view.rows
    with pytest.raises(PickingRefused) as refused:
        app.picking.check_bin(created.number, unit_barcode(db, "NB-A5-LIN"))
    assert refused.value.code == "bin-first" and refused.value.message == f"Scan the bin first: go to bin {row.bin}."
    with pytest.raises(PickingRefused) as refused:
        app.picking.check_bin(created.number, "Z-99-9")
    assert refused.value.message.startswith("Wrong bin: Z-99-9 is not on pick list")


def test_a_wave_of_an_unknown_carrier_or_zone_names_the_ones_there_are(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    for wave, word in ((Wave.CARRIER, "carrier"), (Wave.ZONE, "zone")):
        with pytest.raises(PickingRefused) as refused:
            app.picking.create_wave(manager, wave, "Q9")
        assert refused.value.message.startswith(f"There is no {word} Q9 ({word}s: ")


def test_packing_names_a_backordered_totes_reason_and_a_list_scanned_mid_pack(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = ready_order(app, manager, [("MUG-CER-350", 2)])  # one level only
    created = app.picking.create(packer, [order])
    (row,) = created.view.rows
    tote = created.view.totes[0].tote
    app.picking.pick(packer, created.number, row.bin, unit_barcode(db, "MUG-CER-350"))
    app.picking.short(packer, created.number, row.bin, "MUG-CER-350")
    for scanned in (tote, tote.lower(), created.number):  # not "no tote found": the order's own reason
        with pytest.raises(PackRefused) as refused:
            app.packing.start(packer, scanned)
        assert refused.value.message.startswith(f"Order {order} is a backorder"), scanned
    other = ready_order(app, manager, [("NB-A5-LIN", 1)])
    view = app.packing.start(packer, other)
    for scanned, what in ((created.number, f"pick list {created.number}"), (tote, f"tote {tote} of {order}")):
        outcome = app.packing.scan(packer, view.session_id, scanned)
        assert not outcome.accepted
        assert outcome.message == (f"That is {what}. Finish or set aside the order being packed ({other}) before "
                                   "opening another.")
