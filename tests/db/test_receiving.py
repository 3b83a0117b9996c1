"""Receiving on both engines: purchase orders, the scan (bins, items, case GTINs, GS1-128
lot/expiry/serial, the prompts), undo, close (one transaction posting the stock, over and
under recorded) and cancel — each rule through ``app.receiving`` as a signed-in user."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Bin, Receipt, ReceiptLine, SerialNumber, StockMove
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.products import ProductFields
from fulfilstation.services.receiving import ExpectedLine, NewPurchaseOrder, ReceivingCursor, ReceivingRefused
from tests.support.app import app_for, sign_in
from tests.support.receiving import expiry_of, gs1_128, make_kit, on_hand, received_moves, set_flags
from tests.support.warehouse import case_barcode, unit_barcode

MUG, TEA, LAMP = "MUG-CER-350", "TEA-EARL-100", "LAMP-LED-DSK"


def _po(app: AppServices, lines: list[tuple[str, int]], number: str | None = None, bin: str | None = None) -> str:
    manager = sign_in(app, "manager")
    return app.receiving.create_po(manager, NewPurchaseOrder(
        "Acme Supplies", tuple(ExpectedLine(sku, quantity) for sku, quantity in lines), number=number, bin=bin,
        reference="INV-1", expected_date=dt.date(2026, 12, 24)))


def _scan_all(app: AppServices, actor: Actor, number: str, *codes: str) -> ReceivingCursor:
    cursor = None
    for code in codes:
        outcome = app.receiving.scan(actor, number, code, cursor)
        assert outcome.accepted or outcome.pending, outcome.message
        cursor = outcome.cursor
    assert cursor is not None
    return cursor


def test_a_po_received_and_closed_posts_its_stock_and_records_over_and_under(
        seeded_database: Database, app: AppServices) -> None:
    db = seeded_database
    number = _po(app, [(MUG, 5), (TEA, 20), ("SOAP-LAV-100", 2)], number="PO-7001")
    packer = sign_in(app, "packer")
    view = app.receiving.start(packer, po=number)
    assert [(line.sku, line.expected, line.received) for line in view.lines] == [
        (MUG, 5, 0), ("SOAP-LAV-100", 2, 0), (TEA, 20, 0)]
    first = app.receiving.scan(packer, number, unit_barcode(db, MUG))
    assert not first.accepted and first.code == "no-bin" and first.prompt == "Scan the bin"
    bin_scan = app.receiving.scan(packer, number, "A-01-1")
    assert bin_scan.accepted and bin_scan.cursor.bin == "A-01-1" and bin_scan.prompt == "Scan an item (into A-01-1)"
    cursor = bin_scan.cursor
    for _unit in range(3):
        outcome = app.receiving.scan(packer, number, unit_barcode(db, MUG), cursor)
        assert outcome.accepted and outcome.quantity == 1
    assert outcome.line is not None and (outcome.line.expected, outcome.line.received) == (5, 3)
    case, per_case = case_barcode(db, TEA)
    asked = app.receiving.scan(packer, number, case, cursor)
    assert asked.pending and asked.prompt == "Scan or type the lot of Earl Grey Loose Tea 100 g"
    asked = app.receiving.scan(packer, number, "L-NEW-1", asked.cursor)
    assert asked.pending and asked.prompt.startswith("Scan or type the expiry of Earl Grey Loose Tea 100 g lot L-NEW-1")
    bad = app.receiving.scan(packer, number, "next spring", asked.cursor)
    assert not bad.accepted and bad.pending and bad.code == "bad-expiry" and "YYYY-MM-DD" in bad.message
    done = app.receiving.scan(packer, number, "2027-06-30", asked.cursor)
    assert done.accepted and done.quantity == per_case == 20 and not done.pending
    extra = app.receiving.scan(packer, number, unit_barcode(db, "SOAP-OAT-100"), done.cursor)
    assert extra.accepted and extra.unexpected and "not on purchase order PO-7001" in extra.message
    shown = {line.sku: line for line in app.receiving.show(number).lines}
    assert (shown[MUG].received, shown[MUG].difference) == (3, -2)
    assert shown["SOAP-OAT-100"].unexpected and shown["SOAP-OAT-100"].expected == 0
    before_mug, before_moves = on_hand(db, MUG, "A-01-1"), received_moves(db)

    closed = app.receiving.close(packer, number)

    assert {line.sku: line.difference for line in closed.under} == {MUG: -2, "SOAP-LAV-100": -2}
    assert {line.sku: line.difference for line in closed.over} == {"SOAP-OAT-100": 1}
    assert closed.units == 3 + 20 + 1 and closed.moves == 3
    assert on_hand(db, MUG, "A-01-1") == before_mug + 3
    assert on_hand(db, TEA, "A-01-1", "L-NEW-1") == 20
    assert expiry_of(db, TEA, "A-01-1", "L-NEW-1") == dt.date(2027, 6, 30)
    assert received_moves(db) == before_moves + 24 == before_moves + received_moves(db, number)
    with db.unit_of_work() as session:
        receipt = session.scalars(select(Receipt).where(Receipt.number == number)).one()
        assert receipt.status == "received" and receipt.closed_by_id is not None
        lines = dict(session.execute(select(ReceiptLine.quantity_expected, ReceiptLine.quantity_received)
                                     .where(ReceiptLine.receipt_id == receipt.id)).all())
        assert sorted(lines.items()) == [(0, 1), (2, 0), (5, 3), (20, 20)]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "receipt.closed")).one()
        assert entry.details["under"] == {MUG: -2, "SOAP-LAV-100": -2}
        assert entry.details["over"] == {"SOAP-OAT-100": 1}
        moves = session.scalars(select(StockMove).where(StockMove.receipt_id == receipt.id)).all()
        assert {move.reason for move in moves} == {"receive"} and all(move.user_id for move in moves)
    again = app.receiving.show(number)
    assert again.summary.status == "received" and {line.sku: line.received for line in again.lines}[MUG] == 3
    with pytest.raises(ReceivingRefused, match="closed") as refused:
        app.receiving.close(packer, number)
    assert refused.value.code == "receipt-closed"
    with pytest.raises(ReceivingRefused) as late:
        app.receiving.scan(packer, number, unit_barcode(db, MUG), cursor)
    assert late.value.code == "receipt-closed"
    assert received_moves(db) == before_moves + 24  # nothing posted twice


def test_gs1_128_with_expiry_lot_and_serial_fills_them_all(seeded_database: Database, app: AppServices) -> None:
    db = seeded_database
    set_flags(db, LAMP, lot_tracked=True)  # serial- and lot-tracked
    packer = sign_in(app, "packer")
    number = app.receiving.start(packer, supplier="Lamp Works", bin="RECV-01").number
    assert number.startswith("RCV-")
    gtin = unit_barcode(db, LAMP)
    code = gs1_128(gtin, expiry=dt.date(2030, 1, 31), lot="LX-9", serial="SN-0001")
    outcome = app.receiving.scan(packer, number, code)
    assert outcome.accepted and not outcome.pending and outcome.quantity == 1, outcome.message
    (item,) = app.receiving.show(number).items
    assert (item.sku, item.bin, item.lot, item.expiry, item.serial) == (LAMP, "RECV-01", "LX-9", dt.date(2030, 1, 31),
                                                                         "SN-0001")
    hri = app.receiving.scan(packer, number, f"(01){gtin}(17)300131(10)LX-9(21)SN-0002")  # as typed by a person
    assert hri.accepted, hri.message
    twice = app.receiving.scan(packer, number, code)
    assert not twice.accepted and twice.code == "serial-received" and "already scanned" in twice.message
    closed = app.receiving.close(packer, number)
    assert closed.serials == 2 and not closed.over and not closed.under  # ad hoc: nothing expected
    with db.unit_of_work() as session:
        serials = session.execute(select(SerialNumber.serial, SerialNumber.status, SerialNumber.lot_code)).all()
        assert sorted(serials) == [("SN-0001", "in-stock", "LX-9"), ("SN-0002", "in-stock", "LX-9")]
    later = app.receiving.start(packer, supplier="Lamp Works", bin="RECV-01").number
    refused = app.receiving.scan(packer, later, code)
    assert not refused.accepted and refused.code == "serial-received"
    assert f"came in already on receipt {number}" in refused.message
    assert on_hand(db, LAMP, "RECV-01", "LX-9") == 2


def test_serial_and_lot_are_asked_for_in_turn(seeded_database: Database, app: AppServices) -> None:
    db = seeded_database
    packer = sign_in(app, "packer")
    number = app.receiving.start(packer, supplier="Lamp Works", bin="RECV-01").number
    asked = app.receiving.scan(packer, number, unit_barcode(db, LAMP))
    assert asked.pending and asked.prompt == "Scan the serial of LED Desk Lamp"
    wrong = app.receiving.scan(packer, number, unit_barcode(db, MUG), asked.cursor)
    assert not wrong.accepted and wrong.pending and "first scan or type the serial number" in wrong.message
    a_bin = app.receiving.scan(packer, number, "A-02-1", asked.cursor)
    assert not a_bin.accepted and a_bin.pending and "A-02-1 is a bin" in a_bin.message
    done = app.receiving.scan(packer, number, "LMP-77", asked.cursor)
    assert done.accepted and not done.pending and done.quantity == 1
    case, _count = case_barcode(db, "CHG-USBC-30W")
    refused = app.receiving.scan(packer, number, case, done.cursor)
    assert not refused.accepted and refused.code == "serial-case"
    # a lot already known brings its expiry: not asked again
    lot_known = app.receiving.scan(packer, number, gs1_128(unit_barcode(db, TEA), lot="KNOWN-1",
                                                           expiry=dt.date(2028, 2, 29)))
    assert lot_known.accepted
    asked = app.receiving.scan(packer, number, unit_barcode(db, TEA))
    done = app.receiving.scan(packer, number, "KNOWN-1", asked.cursor)
    assert done.accepted, done.message
    assert "expires 2028-02-29" in done.message
    none = _scan_all(app, packer, number, unit_barcode(db, TEA), "NOEXP-1")
    assert none.pending is not None and none.pending.kind == "expiry"
    accepted = app.receiving.scan(packer, number, "none", none)
    assert accepted.accepted and "expires" not in accepted.message


def test_case_gtins_count_their_pack_quantity(seeded_database: Database, app: AppServices) -> None:
    db = seeded_database
    number = _po(app, [(MUG, 24)], bin="RECV-01")
    packer = sign_in(app, "packer")
    case, per_case = case_barcode(db, MUG)
    first = app.receiving.scan(packer, number, case)
    second = app.receiving.scan(packer, number, case, first.cursor)
    assert first.quantity == second.quantity == per_case == 12
    assert second.line is not None and second.line.received == 24 and second.line.difference == 0
    assert app.receiving.close(packer, number).units == 24
    assert on_hand(db, MUG, "RECV-01") == 24


def test_codes_that_are_refused(seeded_database: Database, app: AppServices) -> None:
    db = seeded_database
    make_kit(db, "SOAP-OAT-100", "SOAP-LAV-100")
    set_flags(db, "BTL-SS-750", active=False)
    packer = sign_in(app, "packer")
    number = app.receiving.start(packer, supplier="Anyone", bin="RECV-01").number

    def refused(code: str) -> str:
        outcome = app.receiving.scan(packer, number, code)
        assert not outcome.accepted and not outcome.pending
        assert outcome.code is not None
        return outcome.code

    assert refused("NO-SUCH-THING") == "unknown-code"
    assert refused("00012345678905") == "unknown-code"
    unreadable = app.receiving.scan(packer, number, "(01)00614141000050(17)261301(10)L1")  # month 13
    assert unreadable.code == "unknown-code" and "GS1 data that cannot be read" in unreadable.message
    unknown = app.receiving.scan(packer, number, "(01)00012345678905(17)261231(10)L1")  # readable, not ours
    assert unknown.code == "unknown-code" and unknown.message.startswith("Unknown code")
    assert refused("RET-01") == "wrong-bin-kind"
    assert refused(unit_barcode(db, "SOAP-OAT-100")) == "kit"
    assert refused(unit_barcode(db, "BTL-SS-750")) == "inactive-product"
    quarantine = app.receiving.scan(packer, number, "QUAR-01")
    assert quarantine.accepted and quarantine.cursor.bin == "QUAR-01"
    typed_sku = app.receiving.scan(packer, number, "MUG-ENA-300", quarantine.cursor)
    assert typed_sku.accepted and typed_sku.quantity == 1  # an item without a barcode: its SKU typed
    with db.unit_of_work() as session:
        session.execute(update(Bin).where(Bin.code == "QUAR-01").values(active=False))
    gone = app.receiving.scan(packer, number, "MUG-ENA-300", typed_sku.cursor)
    assert not gone.accepted and gone.code == "inactive-bin" and gone.cursor.bin is None
    assert refused("QUAR-01") == "inactive-bin"
    with pytest.raises(ReceivingRefused) as unknown:
        app.receiving.scan(packer, "RCV-99999", "A-01-1")
    assert unknown.value.code == "unknown-receipt"
    with pytest.raises(ReceivingRefused) as kit_po:
        _po(app, [("SOAP-OAT-100", 2)])
    assert kit_po.value.code == "kit"
    with pytest.raises(ReceivingRefused) as inactive_bin:
        app.receiving.start(packer, supplier="Anyone", bin="NO-BIN")
    assert inactive_bin.value.code == "unknown-bin"


def test_undo_close_empty_and_cancel(seeded_database: Database, app: AppServices) -> None:
    db = seeded_database
    packer = sign_in(app, "packer")
    number = app.receiving.start(packer, supplier="Anyone", bin="RECV-01").number
    with pytest.raises(ReceivingRefused) as empty:
        app.receiving.close(packer, number)
    assert empty.value.code == "nothing-scanned"
    with pytest.raises(ReceivingRefused) as nothing:
        app.receiving.undo(packer, number)
    assert nothing.value.code == "nothing-to-undo"
    cursor = _scan_all(app, packer, number, unit_barcode(db, MUG), unit_barcode(db, "MUG-ENA-300"))
    assert cursor.bin is None
    undone = app.receiving.undo(packer, number)
    assert (undone.sku, undone.quantity, undone.bin) == ("MUG-ENA-300", 1, "RECV-01")
    assert [item.sku for item in app.receiving.show(number).items] == [MUG]
    cancelled = app.receiving.cancel(packer, number, "wrong delivery")
    assert cancelled.cancelled and cancelled.dropped == 1
    assert app.receiving.show(number).summary.status == "cancelled"
    with pytest.raises(ReceivingRefused) as gone:
        app.receiving.close(packer, number)
    assert gone.value.code == "receipt-cancelled"
    assert on_hand(db, MUG, "RECV-01") == 0


def test_purchase_orders_edit_cancel_and_receiving_cancel_keeps_the_po(
        seeded_database: Database, app: AppServices) -> None:
    db = seeded_database
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    number = _po(app, [(MUG, 5)])
    assert number == "PO-1"
    assert _po(app, [(MUG, 1)]) == "PO-2"
    with pytest.raises(ReceivingRefused) as taken:
        _po(app, [(MUG, 1)], number="PO-1")
    assert taken.value.code == "number-taken"
    with pytest.raises(ReceivingRefused) as ad_hoc_number:
        _po(app, [(MUG, 1)], number="RCV-5")
    assert ad_hoc_number.value.code == "bad-number"
    with pytest.raises(ReceivingRefused) as no_lines:
        _po(app, [])
    assert no_lines.value.code == "no-lines"
    with pytest.raises(ReceivingRefused) as twice:
        _po(app, [(MUG, 1), (MUG, 2)])
    assert twice.value.code == "sku-twice"
    app.receiving.set_po_lines(manager, number, [ExpectedLine(MUG, 8), ExpectedLine(TEA, 40, "B-01-1")])
    lines = {line.sku: line for line in app.receiving.show(number).lines}
    assert (lines[MUG].expected, lines[TEA].expected, lines[TEA].bin) == (8, 40, "B-01-1")
    # a line's own bin takes its goods when no bin is scanned; other lines have none
    tea = app.receiving.scan(packer, number, gs1_128(unit_barcode(db, TEA), lot="T1", expiry=dt.date(2028, 1, 1)))
    assert tea.accepted and "into B-01-1" in tea.message
    mug = app.receiving.scan(packer, number, unit_barcode(db, MUG))
    assert mug.code == "no-bin"
    dropped = app.receiving.cancel(packer, number)
    assert not dropped.cancelled and dropped.dropped == 1
    assert app.receiving.show(number).summary.status == "open"  # a packer cannot cancel a PO
    assert app.receiving.cancel_po(manager, number, "supplier out of stock") == 0
    assert app.receiving.show(number).summary.status == "cancelled"
    with pytest.raises(ReceivingRefused) as closed:
        app.receiving.set_po_lines(manager, number, [ExpectedLine(MUG, 1)])
    assert closed.value.code == "receipt-cancelled"
    listed = app.receiving.list(open_only=True)
    assert [summary.number for summary in listed] == ["PO-2"] and listed[0].purchase_order
    assert {summary.number for summary in app.receiving.list()} == {"PO-1", "PO-2"}


def test_two_stations_on_one_po_keep_their_own_bins(seeded_database: Database) -> None:
    db = seeded_database
    one, two = app_for(db, station="RECV-A"), app_for(db, station="RECV-B")
    number = _po(one, [(MUG, 4)])
    a, b = sign_in(one, "packer"), sign_in(two, "packer2")
    cursor_a = one.receiving.scan(a, number, "A-01-1").cursor
    cursor_b = two.receiving.scan(b, number, "A-02-1").cursor
    for _ in range(2):
        assert one.receiving.scan(a, number, unit_barcode(db, MUG), cursor_a).accepted
        assert two.receiving.scan(b, number, unit_barcode(db, MUG), cursor_b).accepted
    undone = one.receiving.undo(a, number)  # station A's last scan, not B's
    assert undone.bin == "A-01-1"
    closed = two.receiving.close(b, number)
    assert closed.units == 3 and not closed.over and [line.difference for line in closed.under] == [-1]
    assert on_hand(db, MUG, "A-01-1") == 1 and on_hand(db, MUG, "A-02-1") == 2


def test_a_typed_lot_that_no_gs1_128_can_carry_is_refused_and_still_asked_for(
        seeded_database: Database, app: AppServices) -> None:
    """'LOT Q' (a space) or a 21-character lot went into stock, and then 'labels product
    --lot' refused it: goods that arrive without a barcode could never get their lot label."""
    db = seeded_database
    packer = sign_in(app, "packer")
    number = app.receiving.start(packer, supplier="Anyone", bin="RECV-01").number
    asked = app.receiving.scan(packer, number, unit_barcode(db, TEA))
    assert asked.pending and asked.prompt == "Scan or type the lot of Earl Grey Loose Tea 100 g"
    for typed in ("LOT Q", "L" * 21, "LOT#1"):
        refused = app.receiving.scan(packer, number, typed, asked.cursor)
        assert not refused.accepted and refused.pending and refused.code == "awaiting-lot", typed
        assert "cannot be printed on a product label's GS1-128" in refused.message
    assert "'LOTQ'" in app.receiving.scan(packer, number, "LOT Q", asked.cursor).message
    lot = app.receiving.scan(packer, number, "LOT-Q/1", asked.cursor)
    assert lot.pending and lot.prompt.startswith("Scan or type the expiry of Earl Grey Loose Tea 100 g lot LOT-Q/1")


def test_a_sku_of_digits_that_reads_as_a_gtin_is_received_by_its_label(
        seeded_database: Database, app: AppServices) -> None:
    """An item without a barcode gets a label carrying its SKU; a SKU such as 4006381333931
    reads as a GTIN, and the scan was refused as an unknown code."""
    manager = sign_in(app, "manager")
    app.products.create(manager, ProductFields("4006381333931", "Numbered jar"))
    packer = sign_in(app, "packer")
    number = app.receiving.start(packer, supplier="Anyone", bin="RECV-01").number
    outcome = app.receiving.scan(packer, number, "4006381333931")
    assert outcome.accepted and outcome.quantity == 1, outcome.message
    assert outcome.line is not None and outcome.line.sku == "4006381333931"
