"""Returns against a voided shipment and RMAs ended early, on SQLite and PostgreSQL: a void
is refused while an RMA of the order is open or received; an open RMA is cancelled; an RMA
whose order is no longer shipped takes no scans; a partly received RMA stays open after
grading what came until a manager closes it short."""

from __future__ import annotations

import pytest

from fulfilstation.db.database import Database
from fulfilstation.services.returns import NewRmaLine, ReturnsRefused
from fulfilstation.services.shipping.lookup import ShipmentRefused
from tests.support.app import app_for, sign_in
from tests.support.returns import on_hand, refund_due, shipped_order
from tests.support.warehouse import unit_barcode


def test_a_void_is_refused_while_an_rma_is_open_and_allowed_once_it_is_cancelled(
        seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 1)])
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "damaged-in-transit")], label=False)
    with pytest.raises(ShipmentRefused, match=f"{made.number} is open for this order: cancel it first") as refused:
        app.shipping.void(manager, order, "test")
    assert refused.value.code == "rma-open"
    assert app.shipping.search(order)[0].status.value != "voided"

    with pytest.raises(Exception, match="only a manager"):
        app.returns.cancel(packer, made.number)
    assert app.returns.cancel(manager, made.number).status == "cancelled"
    with pytest.raises(ReturnsRefused, match="already cancelled"):
        app.returns.cancel(manager, made.number)
    app.shipping.void(manager, order, "test")

    returns_before = on_hand(db, "MUG-CER-350", "RET-01")
    with pytest.raises(ReturnsRefused, match="is cancelled: nothing more is received"):
        app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    with pytest.raises(ReturnsRefused) as no_create:
        app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "other")], label=False)
    assert no_create.value.code == "not-shipped"
    assert on_hand(db, "MUG-CER-350", "RET-01") == returns_before and not refund_due(db, order)


def test_a_received_rma_cannot_be_cancelled_and_blocks_the_void(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 2)])
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 2, "defective")], label=False)
    app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    with pytest.raises(ReturnsRefused, match="cannot be cancelled"):
        app.returns.cancel(manager, made.number)
    with pytest.raises(ShipmentRefused, match=f"{made.number} is received for this order"):
        app.shipping.void(manager, order, "test")


def test_a_partly_received_rma_stays_open_until_a_manager_closes_it_short(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 3), ("NB-A5-DOT", 2)], price_minor=400)
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 3, "arrived-late"),
                                               NewRmaLine("NB-A5-DOT", 2, "other")], label=False)
    app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    graded = app.returns.grade(packer, made.number, "MUG-CER-350", "like-new", "dispose")
    assert not graded.closed and graded.rma.status == "received" and "waits for 4 more units" in graded.message
    assert not refund_due(db, order)
    summary = [s for s in app.returns.list() if s.number == made.number][0]
    assert (summary.units_received, summary.units_expected) == (1, 5)

    app.returns.receive(packer, made.number, "NB-A5-DOT")  # the second parcel is still taken in
    with pytest.raises(ReturnsRefused, match="1 unit received on .* waits to be graded"):
        app.returns.close(manager, made.number)
    app.returns.grade(packer, made.number, "NB-A5-DOT", "like-new", "dispose")
    with pytest.raises(Exception, match="only a manager"):
        app.returns.close(packer, made.number)
    view, words = app.returns.close(manager, made.number)
    assert view.status == "closed" and view.refund_minor == 800 and refund_due(db, order)
    assert f"{made.number} closed with 2 of 5 received" in words
    with pytest.raises(ReturnsRefused, match="closed already"):
        app.returns.close(manager, made.number)


def test_the_last_unit_graded_closes_the_rma_when_everything_came_back(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 2)], price_minor=400)
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 2, "other")], label=False)
    app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    assert not app.returns.grade(packer, made.number, "MUG-CER-350", "like-new", "dispose").closed
    app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    last = app.returns.grade(packer, made.number, "MUG-CER-350", "like-new", "dispose")
    assert last.closed and last.rma.refund_minor == 800 and refund_due(db, order)
