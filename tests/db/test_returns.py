"""Returns (RMAs) on SQLite and PostgreSQL: authorised from a shipped order within what
shipped, received by scanning into the returns bin, each unit graded to restock, quarantine
or scrap with its stock moves, the RMA closed and the refund due, overdue flags, reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from drivers.sim.printer import SimLabelPrinter
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Bin, Rma, RmaUnit, StockMove
from fulfilstation.domain.enums import BinKind
from fulfilstation.services.app import build_services
from fulfilstation.services.context import Ports
from fulfilstation.services.returns import NewRmaLine, ReturnsRefused
from tests.support.app import STATION, FixedPrinters, app_for, sign_in
from tests.support.returns import on_hand, refund_due, shipped_order
from tests.support.warehouse import case_barcode, unit_barcode


def test_create_receive_grade_close_and_refund(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 2), ("NB-A5-DOT", 1)], price_minor=1490)
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 2, "damaged-in-transit"),
                                               NewRmaLine("NB-A5-DOT", 1, "No longer needed")], label=False)
    assert made.number.startswith("RMA-") and len(made.number) == 10 and made.units == 3
    view = app.returns.find(made.number.lower())
    assert view.status == "open" and [(li.sku, li.expected, li.reason) for li in view.lines] == [
        ("MUG-CER-350", 2, "damaged-in-transit"), ("NB-A5-DOT", 1, "no-longer-needed")]

    before = on_hand(db, "MUG-CER-350", "RET-01")
    scan = app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    assert (scan.line_received, scan.line_expected, scan.bin) == (1, 2, "RET-01")
    assert scan.rma.status == "received" and scan.rma.received_by and scan.rma.received_at is not None
    app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    app.returns.receive(packer, made.number, "NB-A5-DOT")  # the SKU on an item's own label
    assert on_hand(db, "MUG-CER-350", "RET-01") == before + 2

    pickable = app.returns.grade(packer, made.number, "MUG-CER-350", "like-new", "restock", bin="A-01-1")
    assert pickable.bin == "A-01-1" and not pickable.closed and pickable.rma.to_grade == 2
    a01 = on_hand(db, "MUG-CER-350", "A-01-1")
    app.returns.grade(packer, made.number, unit_barcode(db, "MUG-CER-350"), "damaged", "quarantine")
    assert on_hand(db, "MUG-CER-350", "QUAR-01") == 1 and on_hand(db, "MUG-CER-350", "A-01-1") == a01
    last = app.returns.grade(packer, made.number, "NB-A5-DOT", "defective", "dispose")
    assert last.closed and last.rma.status == "closed" and last.rma.processed_at is not None
    assert last.rma.refund_minor == 3 * 1490 and last.rma.refund_due and refund_due(db, order)
    assert on_hand(db, "MUG-CER-350", "RET-01") == before

    with db.unit_of_work() as session:
        rma_id = session.scalars(select(Rma.id).where(Rma.number == made.number)).one()
        moves = session.execute(select(StockMove.reason, StockMove.quantity, StockMove.from_bin_id.is_(None),
                                       StockMove.to_bin_id.is_(None)).where(StockMove.rma_id == rma_id)
                                .order_by(StockMove.id)).all()
        units = session.scalars(select(RmaUnit.grade).order_by(RmaUnit.id)).all()
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "rma")))
    assert [tuple(m) for m in moves] == [("return", 1, True, False)] * 3 + [
        ("return", 1, False, False), ("return", 1, False, False), ("scrap", 1, False, True)]
    assert units == ["like-new", "damaged", "defective"]
    assert actions == {"rma.created", "rma.item_received", "rma.unit_graded", "rma.closed"}
    assert app.stock.check().consistent  # every level is still the sum of its moves

    recorded = app.returns.record_refund(manager, order)
    assert recorded.refund_minor == 3 * 1490 and not refund_due(db, order)
    with pytest.raises(ReturnsRefused) as again:
        app.returns.record_refund(manager, order)
    assert again.value.code == "no-refund-due"


def test_create_refuses_what_did_not_ship_or_is_already_on_a_return(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 2)])
    cases = [("NO-SUCH-ORDER", [NewRmaLine("MUG-CER-350", 1, "other")], "unknown-order"),
             (order, [NewRmaLine("NB-A5-DOT", 1, "other")], "bad-line"),
             (order, [NewRmaLine("MUG-CER-350", 3, "other")], "too-many"),
             (order, [NewRmaLine("MUG-CER-350", 0, "other")], "bad-line"),
             (order, [NewRmaLine("MUG-CER-350", 1, "changed my mind")], "bad-reason"),
             (order, [], "bad-line")]
    for number, lines, code in cases:
        with pytest.raises(ReturnsRefused) as refused:
            app.returns.create(manager, number, lines, label=False)
        assert refused.value.code == code, (lines, refused.value.message)
    app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "defective")], label=False)
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 2, "defective")], label=False)
    assert refused.value.code == "too-many" and "at most 1 more" in refused.value.message
    assert app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "other")], label=False).units == 1
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Rma)) == 2


def test_an_order_not_shipped_cannot_be_returned(seeded_database: Database) -> None:
    from tests.support.warehouse import make_order
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    number = make_order(seeded_database, [("MUG-CER-350", 1)])
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.create(manager, number, [NewRmaLine("MUG-CER-350", 1, "other")])
    assert refused.value.code == "not-shipped"


def test_receiving_never_goes_above_what_was_authorised(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 2)])
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "wrong-item")], label=False)
    case, size = case_barcode(db, "MUG-CER-350")
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.receive(packer, made.number, case)
    assert refused.value.code == "all-received" and f"not {size}" in refused.value.message
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.receive(packer, made.number, unit_barcode(db, "NB-A5-DOT"))
    assert refused.value.code == "not-on-rma" and "MUG-CER-350 ×1" in refused.value.message
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.receive(packer, made.number, "A-01-1")
    assert refused.value.code == "bin-label" and refused.value.item == "A-01-1"  # the screen fills its bin box
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.grade(packer, made.number, "MUG-CER-350", "like-new", "restock", bin="A-01-1")
    assert refused.value.code == "nothing-to-grade"
    assert app.returns.find(made.number).status == "open"  # a refusal changes nothing
    app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    assert refused.value.code == "all-received" and "all 1 are in" in refused.value.message
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.receive(packer, "RMA-999999", unit_barcode(db, "MUG-CER-350"))
    assert refused.value.code == "unknown-rma"


def test_grading_rules(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 1)])
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "defective")], label=False)
    app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    wrong = [(("MUG-CER-350", "shiny", "restock", "A-01-1"), "bad-grade"),
             (("MUG-CER-350", "like-new", "sell", "A-01-1"), "bad-action"),
             (("MUG-CER-350", "like-new", "restock", None), "bad-bin"),
             (("MUG-CER-350", "like-new", "restock", "QUAR-01"), "bad-bin"),
             (("MUG-CER-350", "damaged", "quarantine", "A-01-1"), "bad-bin"),
             (("MUG-CER-350", "like-new", "restock", "NOPE-9"), "bad-bin"),
             (("NB-A5-DOT", "like-new", "restock", "A-01-1"), "not-on-rma")]
    for (item, grade, action, bin_code), code in wrong:
        with pytest.raises(ReturnsRefused) as refused:
            app.returns.grade(packer, made.number, item, grade, action, bin=bin_code)
        assert refused.value.code == code, refused.value.message
    graded = app.returns.grade(packer, made.number, "MUG-CER-350", "opened", "quarantine", bin="DMG-01")
    assert graded.bin == "DMG-01" and graded.closed
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.grade(packer, made.number, "MUG-CER-350", "opened", "dispose")
    assert refused.value.code == "nothing-to-grade"
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    assert refused.value.code == "not-open"


def test_no_returns_bin_says_how_to_make_one(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 1)])
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "defective")], label=False)
    with db.unit_of_work() as session:
        session.execute(update(Bin).where(Bin.kind == BinKind.RETURNS.value).values(active=False))
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    assert refused.value.code == "no-returns-bin" and "--kind returns" in refused.value.message


class _Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.at = now

    def now(self) -> dt.datetime:
        return self.at


def test_received_more_than_48_hours_ago_and_not_processed_is_overdue(seeded_database: Database) -> None:
    db = seeded_database
    clock = _Clock(dt.datetime.now(dt.UTC))
    app = build_services(db, Ports(printers=FixedPrinters(), clock=clock), STATION)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 2)])
    late = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "arrived-late")], label=False)
    fresh = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "other")], label=False)
    app.returns.receive(packer, late.number, unit_barcode(db, "MUG-CER-350"))
    clock.at += dt.timedelta(hours=47)
    app.returns.receive(packer, fresh.number, unit_barcode(db, "MUG-CER-350"))
    assert not any(s.overdue for s in app.returns.list()) and app.returns.list(overdue_only=True) == []
    clock.at += dt.timedelta(hours=2)
    listed = app.returns.list()
    assert [(s.number, s.overdue) for s in listed] == [(late.number, True), (fresh.number, False)]
    assert [s.number for s in app.returns.list(overdue_only=True)] == [late.number]
    app.returns.grade(packer, late.number, "MUG-CER-350", "like-new", "restock", bin="A-01-1")
    assert app.returns.list(overdue_only=True) == [] and not app.returns.find(late.number).overdue


def test_reasons_are_counted_over_a_period(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    first = shipped_order(app, packer, [("MUG-CER-350", 3), ("NB-A5-DOT", 1)])
    app.returns.create(manager, first, [NewRmaLine("MUG-CER-350", 2, "defective"),
                                        NewRmaLine("NB-A5-DOT", 1, "wrong-item")], label=False)
    app.returns.create(manager, first, [NewRmaLine("MUG-CER-350", 1, "defective")], label=False)
    now = dt.datetime.now(dt.UTC)
    counts = {c.reason: (c.units, c.rmas) for c in app.returns.reasons(now - dt.timedelta(days=1),
                                                                         now + dt.timedelta(days=1))}
    assert counts["defective"] == (3, 2) and counts["wrong-item"] == (1, 1) and counts["other"] == (0, 0)
    assert list(counts)[0] == "defective"
    assert all(c.units == 0 for c in app.returns.reasons(now - dt.timedelta(days=9), now - dt.timedelta(days=8)))


def test_a_restocked_unit_reserves_a_waiting_backorder(seeded_database: Database) -> None:
    from fulfilstation.db.models import Order
    from tests.support.warehouse import make_order
    db = seeded_database
    app = app_for(db, label=SimLabelPrinter())
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 1)])
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "no-longer-needed")], label=False)
    app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    waiting = make_order(db, [("MUG-CER-350", 1)])
    with db.unit_of_work() as session:  # a backorder: pending, short of stock (its reservation gone)
        from fulfilstation.db.models import Allocation, OrderLine, StockLevel
        line = session.scalars(select(OrderLine).join(Order).where(Order.number == waiting)).one()
        for allocation in session.scalars(select(Allocation).where(Allocation.order_line_id == line.id)).all():
            session.execute(update(StockLevel).where(StockLevel.id == allocation.stock_level_id)
                            .values(reserved=StockLevel.reserved - allocation.quantity))
            session.delete(allocation)
        session.execute(update(Order).where(Order.number == waiting).values(status="pending", backorder=True))
        free = session.execute(select(StockLevel).join(Bin).where(
            StockLevel.product_id == line.product_id, Bin.kind == BinKind.PICKABLE.value)).scalars().all()
        for level in free:  # nothing free to pick: all of it reserved elsewhere is simpler as zero on hand
            session.execute(update(StockLevel).where(StockLevel.id == level.id).values(on_hand=level.reserved))
    app.returns.grade(packer, made.number, "MUG-CER-350", "like-new", "restock", bin="A-01-1")
    with db.unit_of_work() as session:
        status = session.scalars(select(Order.status).where(Order.number == waiting)).one()
    assert status == "ready"


def test_a_closed_rma_holds_only_what_came_back_so_the_rest_can_be_returned_later(
        seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 2)], price_minor=700)
    first = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 2, "defective")], label=False)
    app.returns.receive(packer, first.number, unit_barcode(db, "MUG-CER-350"))  # one of two came back
    assert not app.returns.grade(packer, first.number, "MUG-CER-350", "defective", "dispose").closed
    closed, _words = app.returns.close(manager, first.number)  # the other is not coming: closed short
    assert closed.status == "closed" and closed.refund_minor == 700
    later = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "arrived-late")], label=False)
    assert later.units == 1
    with pytest.raises(ReturnsRefused) as refused:
        app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "other")], label=False)
    assert refused.value.code == "too-many"


def test_a_second_refund_records_only_the_rma_not_yet_refunded(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 3)], price_minor=500)
    first = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 2, "defective")], label=False)
    for _ in range(2):
        app.returns.receive(packer, first.number, unit_barcode(db, "MUG-CER-350"))
    for _ in range(2):
        app.returns.grade(packer, first.number, "MUG-CER-350", "defective", "dispose")
    assert app.returns.record_refund(manager, order).refund_minor == 1000
    assert not app.returns.find(first.number).refund_due and not refund_due(db, order)

    second = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "other")], label=False)
    app.returns.receive(packer, second.number, unit_barcode(db, "MUG-CER-350"))
    app.returns.grade(packer, second.number, "MUG-CER-350", "like-new", "dispose")
    assert app.returns.find(second.number).refund_due and refund_due(db, order)
    assert [s.refund_due for s in app.returns.list() if s.order_number == order] == [True, False]
    assert app.returns.record_refund(manager, order).refund_minor == 500  # not 1500: the first was paid
    assert not refund_due(db, order) and not app.returns.find(second.number).refund_due
    with db.unit_of_work() as session:
        refunded = session.execute(select(Rma.number, Rma.refunded_by_id.is_not(None)).where(
            Rma.refunded_at.is_not(None)).order_by(Rma.id)).all()
    assert [tuple(r) for r in refunded] == [(first.number, True), (second.number, True)]
