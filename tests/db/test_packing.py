"""The packing flow's services on SQLite and PostgreSQL: claim, verify, weigh, ship."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from fulfilstation.carriers.check_digits import ups_check_digit
from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    AuditEntry,
    Order,
    OrderLine,
    Package,
    PackageItem,
    PackSession,
    Product,
    ScanEvent,
    Shipment,
    StockMove,
)
from fulfilstation.domain.gs1 import is_valid_gs1
from fulfilstation.services.packing import (
    PackRefused,
    Refusal,
    Weighing,
    cancel_pack,
    choose_box,
    close_package,
    open_session_for_station,
    scan_item,
    ship,
    start_pack,
)
from fulfilstation.services.packing.loading import build_view, load_state
from fulfilstation.services.packing.views import PackView
from tests.support.warehouse import case_barcode, make_order, station_id, stock_of, unit_barcode, user_id


def begin(db: Database, lines: list[tuple[str, int]], **kwargs: object) -> tuple[int, str]:
    number = make_order(db, lines, **kwargs)  # type: ignore[arg-type]
    view = start_pack(db, number, station_id(db), user_id(db))
    return view.session_id, number


def expected_weight(db: Database, session_id: int) -> int:
    view = scan_view(db, session_id)
    assert view.expected_g is not None
    return view.expected_g


def scan_view(db: Database, session_id: int) -> PackView:
    with db.unit_of_work() as session:
        return build_view(session, load_state(session, session.get_one(PackSession, session_id)))


def test_whole_pack_ships_and_takes_stock(seeded_database: Database) -> None:
    db = seeded_database
    session_id, number = begin(db, [("MUG-CER-350", 2), ("SOAP-LAV-100", 1)])
    before_mug, before_soap = stock_of(db, "MUG-CER-350"), stock_of(db, "SOAP-LAV-100")
    upc = unit_barcode(db, "MUG-CER-350")[2:]  # the UPC-A/EAN form a wedge scanner types
    first = scan_item(db, session_id, upc)
    assert first.accepted and first.message.startswith("Ceramic Mug 350 ml, Slate ✓ (1 of 2)")
    scan_item(db, session_id, "]E0" + unit_barcode(db, "MUG-CER-350")[1:])
    last = scan_item(db, session_id, unit_barcode(db, "SOAP-LAV-100"))
    assert last.view.complete and last.view.suggested_box == "BOX-S"
    weight = expected_weight(db, session_id)
    assert weight == 2 * 380 + 115 + 150
    shipment_id, labels = ship(db, session_id, Weighing(weight + 20))
    assert len(labels) == 1 and labels[0].startswith(b"^XA")
    with db.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        shipment = session.get_one(Shipment, shipment_id)
        assert order.status == "shipped" and shipment.status == "label-pending"
        assert is_valid_gs1(shipment.tracking_number or "") and len(shipment.tracking_number or "") == 18
        assert session.scalar(select(func.count()).select_from(StockMove).where(
            StockMove.shipment_id == shipment_id, StockMove.reason == "ship")) == 2
        assert session.scalar(select(func.count()).select_from(Allocation).join(OrderLine).where(
            OrderLine.order_id == order.id)) == 0
        items = session.scalars(select(PackageItem).join(Package).where(Package.shipment_id == shipment_id)).all()
        assert sorted(i.quantity for i in items) == [1, 2]
        assert session.get_one(PackSession, session_id).status == "completed"
    assert stock_of(db, "MUG-CER-350") == (before_mug[0] - 2, before_mug[1] - 2)
    assert stock_of(db, "SOAP-LAV-100") == (before_soap[0] - 1, before_soap[1] - 1)


def test_requested_ups_service_gets_a_valid_1z_number(seeded_database: Database) -> None:
    db = seeded_database
    session_id, _ = begin(db, [("NB-A5-DOT", 1)], service="ups/ground")
    scan_item(db, session_id, unit_barcode(db, "NB-A5-DOT"))
    shipment_id, labels = ship(db, session_id, Weighing(expected_weight(db, session_id)))
    with db.unit_of_work() as session:
        tracking = session.get_one(Shipment, shipment_id).tracking_number or ""
    assert tracking.startswith("1Z0W1X2303") and ups_check_digit(tracking[2:17]) == int(tracking[17])
    assert tracking.encode() in labels[0]


@pytest.mark.parametrize("scan, refusal", [
    ("00000000000000", Refusal.UNKNOWN_BARCODE),
    ("NOT-A-PRODUCT", Refusal.UNKNOWN_BARCODE),
])
def test_unknown_barcodes_are_refused_and_recorded(seeded_database: Database, scan: str, refusal: Refusal) -> None:
    db = seeded_database
    session_id, _ = begin(db, [("MUG-CER-350", 1)])
    outcome = scan_item(db, session_id, scan)
    assert not outcome.accepted and outcome.refusal is refusal and "show it to a manager" in outcome.message
    with db.unit_of_work() as session:
        event = session.scalars(select(ScanEvent).where(ScanEvent.pack_session_id == session_id)).one()
        assert (event.result, event.refusal, event.raw) == ("refused", refusal.value, scan)
        age = dt.datetime.now(dt.UTC) - event.created_at  # stamped by the database row's default, in UTC
        assert event.station_id is not None and dt.timedelta(0) <= age < dt.timedelta(minutes=1)


def test_wrong_item_and_extra_item_are_refused(seeded_database: Database) -> None:
    db = seeded_database
    session_id, _ = begin(db, [("MUG-CER-350", 1)])
    wrong = scan_item(db, session_id, unit_barcode(db, "SOAP-OAT-100"))
    assert wrong.refusal is Refusal.NOT_ON_ORDER and "Oatmeal Bar Soap" in wrong.message
    assert scan_item(db, session_id, unit_barcode(db, "MUG-CER-350")).accepted
    extra = scan_item(db, session_id, unit_barcode(db, "MUG-CER-350"))
    assert extra.refusal is Refusal.OVER_QUANTITY and "wants 1, 1 already scanned" in extra.message
    assert [line.scanned for line in extra.view.lines] == [1]


def test_case_barcode_counts_its_pack_quantity(seeded_database: Database) -> None:
    db = seeded_database
    code, per_case = case_barcode(db, "SOAP-LAV-100")
    session_id, _ = begin(db, [("SOAP-LAV-100", per_case + 1)])
    outcome = scan_item(db, session_id, code)
    assert outcome.accepted and outcome.view.lines[0].scanned == per_case
    assert scan_item(db, session_id, code).refusal is Refusal.OVER_QUANTITY
    assert scan_item(db, session_id, unit_barcode(db, "SOAP-LAV-100")).view.complete


def test_serial_numbers_from_gs1_or_a_second_scan(seeded_database: Database) -> None:
    db = seeded_database
    session_id, _ = begin(db, [("SPK-BT-MINI", 2)])
    gtin = unit_barcode(db, "SPK-BT-MINI")
    asked = scan_item(db, session_id, gtin)
    assert asked.pending and not asked.accepted and asked.view.awaiting == "serial"
    assert "serial number of Mini Bluetooth Speaker" in asked.message
    blocked = scan_item(db, session_id, gtin)
    assert blocked.refusal is Refusal.SERIAL_REQUIRED and "First scan the serial number" in blocked.message
    assert scan_item(db, session_id, "SPK-000123").accepted
    repeated = scan_item(db, session_id, "]C101" + gtin + "21SPK-000123")
    assert repeated.refusal is Refusal.SERIAL_REPEATED
    done = scan_item(db, session_id, "]C101" + gtin + "21SPK-000124")
    assert done.accepted and done.view.complete
    ship(db, session_id, Weighing(expected_weight(db, session_id)))
    again, _ = begin(db, [("SPK-BT-MINI", 1)])
    shipped = scan_item(db, again, "]d201" + gtin + "21SPK-000124")
    assert shipped.refusal is Refusal.SERIAL_ALREADY_SHIPPED and "already shipped" in shipped.message


def test_lots_are_required_and_expired_lots_refused(seeded_database: Database) -> None:
    db = seeded_database
    session_id, _ = begin(db, [("TEA-EARL-100", 2)])
    gtin = unit_barcode(db, "TEA-EARL-100")
    expired = scan_item(db, session_id, "]C101" + gtin + "17240131" + "10OLD1", today=dt.date(2026, 11, 25))
    assert expired.refusal is Refusal.EXPIRED_LOT and "expired on 2024-01-31" in expired.message
    good = scan_item(db, session_id, "]C101" + gtin + "17271231" + "10NEW7", today=dt.date(2026, 11, 25))
    assert good.accepted
    asked = scan_item(db, session_id, gtin)
    assert asked.pending and asked.view.awaiting == "lot"
    assert scan_item(db, session_id, "NEW7").view.complete


def test_claim_refusals_name_the_reason(seeded_database: Database) -> None:
    db = seeded_database
    held = make_order(db, [("MUG-CER-350", 1)], hold="Customer changed the address")
    with pytest.raises(PackRefused, match="on hold: Customer changed the address") as refused:
        start_pack(db, held, station_id(db), user_id(db))
    assert refused.value.code is Refusal.ORDER_ON_HOLD
    number = make_order(db, [("MUG-CER-350", 1)])
    start_pack(db, number, station_id(db, "PACK-A"), user_id(db, "packer"))
    with pytest.raises(PackRefused, match="being packed at station PACK-A by Pat Packer"):
        start_pack(db, number, station_id(db, "PACK-B"), user_id(db, "packer2"))
    with pytest.raises(PackRefused, match="No order, pick list or tote 'NOPE-1'"):
        start_pack(db, "NOPE-1", station_id(db), user_id(db))


def test_same_station_resumes_instead_of_claiming_twice(seeded_database: Database) -> None:
    db = seeded_database
    session_id, number = begin(db, [("MUG-CER-350", 2)])
    scan_item(db, session_id, unit_barcode(db, "MUG-CER-350"))
    resumed = open_session_for_station(db, station_id(db))
    assert resumed is not None and resumed.session_id == session_id and resumed.lines[0].scanned == 1
    assert start_pack(db, number, station_id(db), user_id(db)).session_id == session_id


def test_weight_outside_range_is_refused_with_cause_unless_a_manager_overrides(seeded_database: Database) -> None:
    db = seeded_database
    session_id, _ = begin(db, [("MUG-CER-350", 1)])
    scan_item(db, session_id, unit_barcode(db, "MUG-CER-350"))
    expected = expected_weight(db, session_id)
    with pytest.raises(PackRefused, match="heavier than expected: is there an extra item") as over:
        ship(db, session_id, Weighing(expected + 400))
    assert over.value.code is Refusal.WEIGHT_OVER
    with pytest.raises(PackRefused, match="lighter than expected: an item may be missing"):
        ship(db, session_id, Weighing(expected - 300))
    with pytest.raises(PackRefused, match="still moving"):
        ship(db, session_id, Weighing(expected, stable=False))
    with pytest.raises(PackRefused, match="Only a manager"):
        ship(db, session_id, Weighing(expected + 400, override_by=user_id(db, "packer")))
    shipment_id, _ = ship(db, session_id, Weighing(expected + 400, override_by=user_id(db, "manager")))
    with db.unit_of_work() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "weight.override")).one()
        assert audit.user_id == user_id(db, "manager") and audit.details["measured_g"] == expected + 400
        assert session.get_one(Shipment, shipment_id).tracking_number


def test_incomplete_order_cannot_ship(seeded_database: Database) -> None:
    db = seeded_database
    session_id, _ = begin(db, [("MUG-CER-350", 2)])
    scan_item(db, session_id, unit_barcode(db, "MUG-CER-350"))
    with pytest.raises(PackRefused, match=r"Still missing: 1 × Ceramic Mug"):
        ship(db, session_id, Weighing(500))


def test_box_choice_changes_the_expected_weight(seeded_database: Database) -> None:
    db = seeded_database
    session_id, _ = begin(db, [("MUG-CER-350", 1)])
    scan_item(db, session_id, unit_barcode(db, "MUG-CER-350"))
    view = choose_box(db, session_id, "BOX-L")
    assert view.box_code == "BOX-L" and view.expected_g == 380 + 420
    with pytest.raises(PackRefused, match="not a box type"):
        choose_box(db, session_id, "BOX-NOPE")


def test_multi_package_order_gets_a_tracking_number_per_package(seeded_database: Database) -> None:
    db = seeded_database
    session_id, _ = begin(db, [("YOGA-MAT-6", 1), ("CUT-BRD-OAK", 1)])
    scan_item(db, session_id, unit_barcode(db, "YOGA-MAT-6"))
    after_first = close_package(db, session_id, Weighing(expected_weight(db, session_id)))
    assert after_first.package_sequence == 2 and after_first.closed_packages == 1
    scan_item(db, session_id, unit_barcode(db, "CUT-BRD-OAK"))
    shipment_id, labels = ship(db, session_id, Weighing(expected_weight(db, session_id)))
    assert len(labels) == 2 and b"PKG 1 OF 2" in labels[0] and b"PKG 2 OF 2" in labels[1]
    with db.unit_of_work() as session:
        numbers = session.scalars(select(Package.tracking_number).where(Package.shipment_id == shipment_id)).all()
    assert len(set(numbers)) == 2


def test_cancel_gives_the_order_back_and_keeps_the_scans(seeded_database: Database) -> None:
    db = seeded_database
    session_id, number = begin(db, [("MUG-CER-350", 1)])
    scan_item(db, session_id, unit_barcode(db, "MUG-CER-350"))
    cancel_pack(db, session_id, user_id(db))
    with db.unit_of_work() as session:
        assert session.scalars(select(Order.status).where(Order.number == number)).one() == "ready"
        assert session.scalar(select(func.count()).select_from(ScanEvent).where(
            ScanEvent.pack_session_id == session_id)) == 1
    other = start_pack(db, number, station_id(db, "PACK-Z"), user_id(db, "packer2"))
    assert other.lines[0].scanned == 0


def test_ship_twice_is_refused(seeded_database: Database) -> None:
    db = seeded_database
    session_id, _ = begin(db, [("MUG-CER-350", 1)])
    scan_item(db, session_id, unit_barcode(db, "MUG-CER-350"))
    weight = expected_weight(db, session_id)
    ship(db, session_id, Weighing(weight))
    with pytest.raises(PackRefused) as refused:
        ship(db, session_id, Weighing(weight))
    assert refused.value.code is Refusal.SESSION_CLOSED
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Shipment)) == 1
        assert session.scalar(select(func.count()).select_from(Product)) > 0


def test_a_second_process_scanning_the_same_pack_is_noticed(seeded_database: Database) -> None:
    """Two ``Database`` objects stand for two processes: each keeps its own working copy of
    the session; the session row's version makes the second one re-read before deciding."""
    db = seeded_database
    other = Database.connect(db.engine.url)
    try:
        session_id, _ = begin(db, [("MUG-CER-350", 2)])
        code = unit_barcode(db, "MUG-CER-350")
        assert scan_item(db, session_id, code).view.lines[0].scanned == 1
        assert scan_item(other, session_id, code).view.lines[0].scanned == 2
        extra = scan_item(db, session_id, code)  # this copy still thinks 1 was scanned
        assert extra.refusal is Refusal.OVER_QUANTITY and extra.view.lines[0].scanned == 2
        cancel_pack(other, session_id, user_id(db))
        with pytest.raises(PackRefused) as closed:
            scan_item(db, session_id, code)
        assert closed.value.code is Refusal.SESSION_CLOSED
    finally:
        other.dispose()


def test_start_from_a_tote_or_a_pick_list_barcode(seeded_database: Database) -> None:
    from fulfilstation.db.models import PickList, PickListOrder

    db = seeded_database
    first = make_order(db, [("MUG-CER-350", 1)])
    second = make_order(db, [("SOAP-LAV-100", 1)])
    with db.unit_of_work() as session:
        pick_list = PickList(number="PL-0042")
        session.add(pick_list)
        session.flush()
        for number, tote in ((first, "TOTE-07"), (second, "TOTE-08")):
            order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
            session.add(PickListOrder(pick_list_id=pick_list.id, order_id=order_id, tote_code=tote))
    by_tote = start_pack(db, "TOTE-08", station_id(db, "PACK-T1"), user_id(db))
    assert by_tote.order_number == second
    by_list = start_pack(db, "]C0PL-0042", station_id(db, "PACK-T2"), user_id(db, "packer2"))
    assert by_list.order_number == first  # the list's next order not being packed
    with pytest.raises(PackRefused) as none_left:
        start_pack(db, "PL-0042", station_id(db, "PACK-T3"), user_id(db))
    assert none_left.value.code is Refusal.QUEUE_EMPTY and "Every order on pick list PL-0042" in str(none_left.value)
