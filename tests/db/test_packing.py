"""The packing flow's use cases on SQLite and PostgreSQL: claim, verify, choose the box,
weigh, ship — through ``AppServices`` with signed-in actors, as the window and the CLI do."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from fulfilstation.carriers.check_digits import ups_check_digit
from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    AuditEntry,
    BoxType,
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
from fulfilstation.domain.units import format_weight
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import PackRefused, Refusal, Weighing
from fulfilstation.services.packing.scanning import scan_item
from fulfilstation.services.products import ProductFields
from fulfilstation.services.refused import NotAllowed
from tests.support.app import app_for, sign_in
from tests.support.warehouse import (
    case_barcode,
    expected_weight,
    make_order,
    pack_view,
    stock_lot,
    stock_of,
    unit_barcode,
)


def begin(app: AppServices, actor: Actor, lines: list[tuple[str, int]], **kwargs: object) -> tuple[int, str]:
    """A ready order for ``lines`` claimed by ``actor`` at their station: (pack session id, order number)."""
    number = make_order(app.packing.database, lines, **kwargs)  # type: ignore[arg-type]
    return app.packing.start(actor, number).session_id, number


def ship_id(app: AppServices, actor: Actor, session_id: int, weighing: Weighing) -> int:
    """Ship through the use case (no printer at the test station: the labels stay stored) → shipment id."""
    return app.shipping.ship(actor, session_id, weighing).shipment_id


def stored_labels(app: AppServices, shipment_id: int) -> tuple[bytes, ...]:
    labels = app.shipping.labels(shipment_id)
    assert labels is not None
    return labels.stored_zpl


def test_whole_pack_ships_and_takes_stock(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, number = begin(app, packer, [("MUG-CER-350", 2), ("SOAP-LAV-100", 1)])
    before_mug, before_soap = stock_of(db, "MUG-CER-350"), stock_of(db, "SOAP-LAV-100")
    upc = unit_barcode(db, "MUG-CER-350")[2:]  # the UPC-A/EAN form a wedge scanner types
    first = app.packing.scan(packer, session_id, upc)
    assert first.accepted and first.message.startswith("Ceramic Mug 350 ml, Slate ✓ (1 of 2)")
    app.packing.scan(packer, session_id, "]E0" + unit_barcode(db, "MUG-CER-350")[1:])
    last = app.packing.scan(packer, session_id, unit_barcode(db, "SOAP-LAV-100"))
    assert last.view.complete and last.view.suggested_box == "BOX-S"
    weight = expected_weight(db, session_id)
    assert weight == 2 * 380 + 115 + 150
    outcome = app.shipping.ship(packer, session_id, Weighing(weight + 20))
    shipment_id = outcome.shipment_id
    labels = stored_labels(app, shipment_id)
    assert len(labels) == 1 and labels[0].startswith(b"^XA")
    assert outcome.order_number == number and not outcome.printed  # no label printer at this test station
    with db.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        shipment = session.get_one(Shipment, shipment_id)
        assert order.status == "shipped" and shipment.status == "label-pending"
        assert is_valid_gs1(shipment.tracking_number or "") and len(shipment.tracking_number or "") == 18
        assert outcome.tracking_numbers == (shipment.tracking_number,)
        assert session.scalar(select(func.count()).select_from(StockMove).where(
            StockMove.shipment_id == shipment_id, StockMove.reason == "ship")) == 2
        assert session.scalar(select(func.count()).select_from(Allocation).join(OrderLine).where(
            OrderLine.order_id == order.id)) == 0
        items = session.scalars(select(PackageItem).join(Package).where(Package.shipment_id == shipment_id)).all()
        assert sorted(i.quantity for i in items) == [1, 2]
        assert session.get_one(PackSession, session_id).status == "completed"
    assert stock_of(db, "MUG-CER-350") == (before_mug[0] - 2, before_mug[1] - 2)
    assert stock_of(db, "SOAP-LAV-100") == (before_soap[0] - 1, before_soap[1] - 1)


def test_shipment_stock_moves_and_audit_name_the_actor_who_shipped(app: AppServices, packer: Actor) -> None:
    """Pat claims and scans; Sam signs in at the same station and ships: the shipment, its
    stock moves and the audit entry name Sam (the actor of the ship), at that station."""
    db = app.packing.database
    session_id, number = begin(app, packer, [("MUG-CER-350", 1)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    shipper = sign_in(app, "packer2")
    assert shipper.station_id == packer.station_id and shipper.user_id != packer.user_id
    shipment_id = ship_id(app, shipper, session_id, Weighing(expected_weight(db, session_id)))
    with db.unit_of_work() as session:
        shipment = session.get_one(Shipment, shipment_id)
        assert (shipment.created_by_id, shipment.station_id) == (shipper.user_id, shipper.station_id)
        moves = session.scalars(select(StockMove).where(StockMove.shipment_id == shipment_id)).all()
        assert moves and {(m.user_id, m.station_id, m.reason) for m in moves} == {
            (shipper.user_id, shipper.station_id, "ship")}
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "shipment.created",
                                                         AuditEntry.entity_id == shipment_id)).one()
        assert (entry.user_id, entry.station_id, entry.entity_type) == (shipper.user_id, shipper.station_id,
                                                                         "shipment")
        assert entry.details["by"] == "packer2" and entry.details["via"] == "pin"
        assert entry.details["order"] == number
        started = session.scalars(select(AuditEntry).where(AuditEntry.action == "pack.started")).one()
        assert (started.user_id, started.station_id) == (packer.user_id, packer.station_id)


def test_requested_ups_service_gets_a_valid_1z_number(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, _ = begin(app, packer, [("NB-A5-DOT", 1)], service="ups/ground")
    app.packing.scan(packer, session_id, unit_barcode(db, "NB-A5-DOT"))
    shipment_id = ship_id(app, packer, session_id, Weighing(expected_weight(db, session_id)))
    with db.unit_of_work() as session:
        tracking = session.get_one(Shipment, shipment_id).tracking_number or ""
    assert tracking.startswith("1Z0W1X2303") and ups_check_digit(tracking[2:17]) == int(tracking[17])
    assert tracking.encode() in stored_labels(app, shipment_id)[0]


@pytest.mark.parametrize("scan, refusal", [
    ("00000000000000", Refusal.UNKNOWN_BARCODE),
    ("NOT-A-PRODUCT", Refusal.UNKNOWN_BARCODE),  # plain text that names no box is still an unknown barcode
])
def test_unknown_barcodes_are_refused_and_recorded(app: AppServices, packer: Actor, scan: str,
                                                   refusal: Refusal) -> None:
    db = app.packing.database
    session_id, _ = begin(app, packer, [("MUG-CER-350", 1)])
    outcome = app.packing.scan(packer, session_id, scan)
    assert not outcome.accepted and outcome.refusal is refusal and "show it to a manager" in outcome.message
    assert outcome.box is None
    with db.unit_of_work() as session:
        event = session.scalars(select(ScanEvent).where(ScanEvent.pack_session_id == session_id)).one()
        assert (event.result, event.refusal, event.raw) == ("refused", refusal.value, scan)
        age = dt.datetime.now(dt.UTC) - event.created_at  # stamped by the database row's default, in UTC
        assert dt.timedelta(0) <= age < dt.timedelta(minutes=1)
        assert (event.station_id, event.user_id) == (packer.station_id, packer.user_id)  # the scan is the actor's
        assert session.get_one(PackSession, session_id).box_type_id is None


def test_wrong_item_and_extra_item_are_refused(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, _ = begin(app, packer, [("MUG-CER-350", 1)])
    wrong = app.packing.scan(packer, session_id, unit_barcode(db, "SOAP-OAT-100"))
    assert wrong.refusal is Refusal.NOT_ON_ORDER and "Oatmeal Bar Soap" in wrong.message
    assert app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350")).accepted
    extra = app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    assert extra.refusal is Refusal.OVER_QUANTITY and "wants 1, 1 already scanned" in extra.message
    assert [line.scanned for line in extra.view.lines] == [1]


def test_case_barcode_counts_its_pack_quantity(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    code, per_case = case_barcode(db, "SOAP-LAV-100")
    session_id, _ = begin(app, packer, [("SOAP-LAV-100", per_case + 1)])
    outcome = app.packing.scan(packer, session_id, code)
    assert outcome.accepted and outcome.view.lines[0].scanned == per_case
    assert app.packing.scan(packer, session_id, code).refusal is Refusal.OVER_QUANTITY
    assert app.packing.scan(packer, session_id, unit_barcode(db, "SOAP-LAV-100")).view.complete


def test_a_sku_label_scans_as_one_unit_of_its_product(app: AppServices, packer: Actor) -> None:
    """The product label printed for an item without a barcode carries its SKU (Code 128):
    packing takes it as one unit of that product, and as a wrong item on another order."""
    session_id, _ = begin(app, packer, [("MUG-CER-350", 2)])
    assert app.packing.scan(packer, session_id, "MUG-CER-350").accepted
    wrong = app.packing.scan(packer, session_id, "SOAP-OAT-100")
    assert wrong.refusal is Refusal.NOT_ON_ORDER and "Oatmeal Bar Soap" in wrong.message
    assert app.packing.scan(packer, session_id, unit_barcode(app.packing.database, "MUG-CER-350")).view.complete


def test_a_sku_of_digits_that_reads_as_a_gtin_still_scans_as_its_product(app: AppServices, packer: Actor) -> None:
    manager = sign_in(app, "manager")
    app.products.create(manager, ProductFields("4006381333931", "Numbered widget", weight_g=120, length_mm=50,
                                               width_mm=50, height_mm=50))
    app.stock.adjust(manager, "4006381333931", "A-01-1", "opening stock", set_to=5)
    session_id, _ = begin(app, packer, [("4006381333931", 1)])
    assert app.packing.scan(packer, session_id, "4006381333931").view.complete
    assert app.stock.identify("4006381333931").code == "4006381333931"


def test_serial_numbers_from_gs1_or_a_second_scan(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, _ = begin(app, packer, [("SPK-BT-MINI", 2)])
    gtin = unit_barcode(db, "SPK-BT-MINI")
    asked = app.packing.scan(packer, session_id, gtin)
    assert asked.pending and not asked.accepted and asked.view.awaiting == "serial"
    assert "serial number of Mini Bluetooth Speaker" in asked.message
    blocked = app.packing.scan(packer, session_id, gtin)
    assert blocked.refusal is Refusal.SERIAL_REQUIRED and "First scan the serial number" in blocked.message
    assert app.packing.scan(packer, session_id, "SPK-000123").accepted
    repeated = app.packing.scan(packer, session_id, "]C101" + gtin + "21SPK-000123")
    assert repeated.refusal is Refusal.SERIAL_REPEATED
    done = app.packing.scan(packer, session_id, "]C101" + gtin + "21SPK-000124")
    assert done.accepted and done.view.complete
    ship_id(app, packer, session_id, Weighing(expected_weight(db, session_id)))
    again, _ = begin(app, packer, [("SPK-BT-MINI", 1)])
    shipped = app.packing.scan(packer, again, "]d201" + gtin + "21SPK-000124")
    assert shipped.refusal is Refusal.SERIAL_ALREADY_SHIPPED and "already shipped" in shipped.message


def test_lots_are_required_and_expired_lots_refused(app: AppServices, packer: Actor) -> None:
    """The scan use case judges expiry against today's date; this test pins the date, so it
    calls the internal ``scan_item`` (with the actor's user and station) on purpose."""
    db = app.packing.database
    session_id, _ = begin(app, packer, [("TEA-EARL-100", 2)])
    gtin = unit_barcode(db, "TEA-EARL-100")
    stock_lot(db, "TEA-EARL-100", "NEW7", 2, dt.date(2027, 12, 31))
    as_packer = {"user_id": packer.user_id, "station_id": packer.station_id}
    expired = scan_item(db, session_id, "]C101" + gtin + "17240131" + "10OLD1", today=dt.date(2026, 11, 25),
                        **as_packer)
    assert expired.refusal is Refusal.EXPIRED_LOT and "expired on 2024-01-31" in expired.message
    good = scan_item(db, session_id, "]C101" + gtin + "17271231" + "10NEW7", today=dt.date(2026, 11, 25),
                     **as_packer)
    assert good.accepted
    asked = app.packing.scan(packer, session_id, gtin)
    assert asked.pending and asked.view.awaiting == "lot"
    assert app.packing.scan(packer, session_id, "NEW7").view.complete


def test_claim_refusals_name_the_reason(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    held = make_order(db, [("MUG-CER-350", 1)], hold="Customer changed the address")
    with pytest.raises(PackRefused, match="on hold: Customer changed the address") as refused:
        app.packing.start(packer, held)
    assert refused.value.code is Refusal.ORDER_ON_HOLD
    number = make_order(db, [("MUG-CER-350", 1)])
    app.packing.start(sign_in(app, "packer", station="PACK-A"), number)
    with pytest.raises(PackRefused, match="being packed at station PACK-A by Pat Packer") as busy:
        app.packing.start(sign_in(app, "packer2", station="PACK-B"), number)
    assert busy.value.code is Refusal.ORDER_BEING_PACKED
    with pytest.raises(PackRefused, match="No order, pick list or tote 'NOPE-1'"):
        app.packing.start(packer, "NOPE-1")


def test_same_station_resumes_instead_of_claiming_twice(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, number = begin(app, packer, [("MUG-CER-350", 2)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    resumed = app.packing.resume(packer)
    assert resumed is not None and resumed.session_id == session_id and resumed.lines[0].scanned == 1
    assert app.packing.start(packer, number).session_id == session_id
    assert app.packing.resume(sign_in(app, "packer", station="PACK-ELSEWHERE")) is None  # not that station's pack


def test_weight_outside_range_is_refused_with_cause_unless_a_manager_overrides(app: AppServices,
                                                                               packer: Actor) -> None:
    db = app.packing.database
    session_id, number = begin(app, packer, [("MUG-CER-350", 1)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    expected = expected_weight(db, session_id)
    with pytest.raises(PackRefused, match="heavier than expected: is there an extra item") as over:
        app.shipping.ship(packer, session_id, Weighing(expected + 400))
    assert over.value.code is Refusal.WEIGHT_OVER
    with pytest.raises(PackRefused, match="lighter than expected: an item may be missing") as under:
        app.shipping.ship(packer, session_id, Weighing(expected - 300))
    assert under.value.code is Refusal.WEIGHT_UNDER
    with pytest.raises(PackRefused, match="still moving") as moving:
        app.shipping.ship(packer, session_id, Weighing(expected, stable=False))
    assert moving.value.code is Refusal.WEIGHT_UNSTABLE
    # A packer cannot accept the weight, even their own actor as the override: the role rule says no.
    with pytest.raises(NotAllowed, match="only a manager or an owner can accept a weight") as packer_override:
        app.shipping.ship(packer, session_id, Weighing(expected + 400, override=packer))
    assert packer_override.value.code == "not-allowed"
    with db.unit_of_work() as session:  # every refusal above changed nothing
        assert session.scalars(select(Order.status).where(Order.number == number)).one() == "packing"
        assert session.scalar(select(func.count()).select_from(Package)) == 0
    manager = sign_in(app, "manager")
    # The override is deliberate: a manager without a reason is refused, nothing recorded.
    for blank in ("", "   "):
        with pytest.raises(PackRefused, match="Morgan Manager must give a reason to accept") as no_reason:
            app.shipping.ship(packer, session_id, Weighing(expected + 400, override=manager, reason=blank))
        assert no_reason.value.code is Refusal.WEIGHT_OVER
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Package)) == 0
    outcome = app.shipping.ship(packer, session_id, Weighing(expected + 400, override=manager,
                                                             reason="Extra packing material"))
    shipment_id = outcome.shipment_id
    with db.unit_of_work() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "weight.override")).one()
        assert audit.user_id == manager.user_id and audit.details["measured_g"] == expected + 400
        assert audit.station_id == manager.station_id and audit.details["by"] == "manager"
        assert audit.details["reason"] == "Extra packing material" and audit.details["difference_g"] == 400
        assert audit.details["min_g"] < expected < audit.details["max_g"]
        package = session.scalars(select(Package).where(Package.shipment_id == shipment_id)).one()
        assert audit.entity_id == package.id and package.weight_override_by_id == manager.user_id
        assert session.get_one(Shipment, shipment_id).tracking_number
    # The shipped banner and the order history say who accepted what, in the site's unit.
    unit = app.site.weight_unit()
    said = (f"accepted by Morgan Manager at {format_weight(expected + 400, unit)} ({format_weight(400, unit)} "
            "heavy): Extra packing material")
    assert outcome.weight_accepted == ("Weight " + said,)
    history = [entry.what for entry in app.orders.detail(number).history]
    assert "Weight " + said in history


def test_weight_messages_use_the_site_unit_and_an_empty_scale_cannot_be_accepted(app: AppServices,
                                                                                 packer: Actor) -> None:
    db = app.packing.database
    app.site.set_weight_unit(sign_in(app, "owner"), "kg")
    session_id, _ = begin(app, packer, [("MUG-CER-350", 1)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    expected = expected_weight(db, session_id)
    with pytest.raises(PackRefused, match=r"is 0\.300 kg lighter than expected: an item may be missing"):
        app.shipping.ship(packer, session_id, Weighing(expected - 300))
    manager = sign_in(app, "manager")
    for empty in (0, -5):
        with pytest.raises(PackRefused, match="nothing is on it") as nothing:
            app.shipping.ship(packer, session_id, Weighing(empty, override=manager, reason="Scale checked"))
        assert nothing.value.code is Refusal.WEIGHT_UNDER and "missing" not in nothing.value.message
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Package)) == 0


def test_an_override_is_only_recorded_when_the_weight_needed_one(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, _ = begin(app, packer, [("MUG-CER-350", 1)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    manager = sign_in(app, "manager")
    shipment_id = ship_id(app, packer, session_id, Weighing(expected_weight(db, session_id), override=manager))
    with db.unit_of_work() as session:
        package = session.scalars(select(Package).where(Package.shipment_id == shipment_id)).one()
        assert package.weight_override_by_id is None
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "weight.override")).all() == []


def test_incomplete_order_cannot_ship(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, _ = begin(app, packer, [("MUG-CER-350", 2)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    with pytest.raises(PackRefused, match=r"Still missing: 1 × Ceramic Mug") as refused:
        app.shipping.ship(packer, session_id, Weighing(500))
    assert refused.value.code is Refusal.INCOMPLETE


def test_box_scan_chooses_the_box_and_changes_the_expected_weight(app: AppServices, packer: Actor) -> None:
    """Box barcodes are decided by the scan use case (there is no separate choose-box call):
    the box is chosen in the same call as the scan."""
    db = app.packing.database
    session_id, _ = begin(app, packer, [("MUG-CER-350", 1)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    chosen = app.packing.scan(packer, session_id, "BOX-L")
    assert chosen.accepted and chosen.box == "BOX-L" and chosen.message == "Box BOX-L chosen."
    assert chosen.refusal is None and not chosen.pending
    assert chosen.view.box_code == "BOX-L" and chosen.view.expected_g == 380 + 420
    assert pack_view(db, session_id).expected_g == 380 + 420  # as stored, not only in the station's copy
    # Not a box type: before, choosing it said "not a box type"; a scan of it now is an unknown barcode.
    unknown = app.packing.scan(packer, session_id, "BOX-NOPE")
    assert not unknown.accepted and unknown.refusal is Refusal.UNKNOWN_BARCODE and unknown.box is None
    assert "Unknown barcode 'BOX-NOPE'" in unknown.message
    assert unknown.view.box_code == "BOX-L"  # the box chosen before stays


def test_a_box_scan_is_one_transaction_a_command_event_and_the_sessions_box(app: AppServices,
                                                                           packer: Actor) -> None:
    db = app.packing.database
    session_id, _ = begin(app, packer, [("MUG-CER-350", 1)])
    with db.unit_of_work() as session:
        count_before = session.get_one(PackSession, session_id).scan_count
    outcome = app.packing.scan(packer, session_id, "]C0BOX-M")  # as a Code 128 scanner with AIM ids sends it
    assert outcome.box == "BOX-M"
    fresh = Database.connect(db.engine.url)  # another process: sees only what was committed
    try:
        with fresh.unit_of_work() as session:
            pack = session.get_one(PackSession, session_id)
            box_id = session.scalars(select(BoxType.id).where(BoxType.code == "BOX-M")).one()
            assert pack.box_type_id == box_id and pack.scan_count == count_before + 1
            event = session.scalars(select(ScanEvent).where(ScanEvent.pack_session_id == session_id)).one()
            assert (event.result, event.raw, event.refusal, event.quantity) == ("command", "]C0BOX-M", None, 0)
            assert event.message == "Box BOX-M chosen." and event.product_id is None
            assert (event.user_id, event.station_id) == (packer.user_id, packer.station_id)
    finally:
        fresh.dispose()
    assert pack_view(db, session_id).box_code == "BOX-M"
    assert app.packing.resume(packer).box_code == "BOX-M"  # type: ignore[union-attr]


def test_a_pack_is_scanned_closed_and_shipped_only_at_its_station(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, number = begin(app, packer, [("MUG-CER-350", 2)])
    code = unit_barcode(db, "MUG-CER-350")
    app.packing.scan(packer, session_id, code)
    elsewhere = sign_in(app, "packer", station="PACK-OTHER")  # the same person, at another bench
    with pytest.raises(PackRefused, match="open at another station") as scan_there:
        app.packing.scan(elsewhere, session_id, code)
    assert scan_there.value.code is Refusal.NOT_ALLOWED
    with pytest.raises(PackRefused, match="open at another station") as box_there:
        app.packing.scan(elsewhere, session_id, "BOX-L")
    assert box_there.value.code is Refusal.NOT_ALLOWED
    with pytest.raises(PackRefused, match="open at another station") as close_there:
        app.packing.close_package(elsewhere, session_id, Weighing(expected_weight(db, session_id)))
    assert close_there.value.code is Refusal.NOT_ALLOWED
    app.packing.scan(packer, session_id, code)
    with pytest.raises(PackRefused, match="open at another station") as ship_there:
        app.shipping.ship(elsewhere, session_id, Weighing(expected_weight(db, session_id)))
    assert ship_there.value.code is Refusal.NOT_ALLOWED
    with pytest.raises(PackRefused, match="open at another station") as cancel_there:
        app.packing.cancel(sign_in(app, "packer2", station="PACK-OTHER"), session_id)
    assert cancel_there.value.code is Refusal.NOT_ALLOWED
    with db.unit_of_work() as session:  # nothing of the refused calls was recorded
        assert session.scalar(select(func.count()).select_from(ScanEvent).where(
            ScanEvent.pack_session_id == session_id)) == 2
        pack = session.get_one(PackSession, session_id)
        assert (pack.status, pack.box_type_id) == ("open", None)
        assert session.scalars(select(Order.status).where(Order.number == number)).one() == "packing"
        assert session.scalar(select(func.count()).select_from(Shipment)) == 0
        assert session.scalar(select(func.count()).select_from(Package)) == 0
    assert app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))).shipment_id


def test_a_manager_may_cancel_a_pack_open_at_another_station(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, number = begin(app, packer, [("MUG-CER-350", 1)])
    manager = sign_in(app, "manager", station="OFFICE")
    app.packing.cancel(manager, session_id, "packer went home")
    with db.unit_of_work() as session:
        assert session.scalars(select(Order.status).where(Order.number == number)).one() == "ready"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "pack.cancelled")).one()
        assert (entry.user_id, entry.station_id) == (manager.user_id, manager.station_id)
        assert entry.details["reason"] == "packer went home" and entry.details["by"] == "manager"


def test_multi_package_order_gets_a_tracking_number_per_package(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, _ = begin(app, packer, [("YOGA-MAT-6", 1), ("CUT-BRD-OAK", 1)])
    app.packing.scan(packer, session_id, unit_barcode(db, "YOGA-MAT-6"))
    after_first = app.packing.close_package(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert after_first.package_sequence == 2 and after_first.closed_packages == 1
    app.packing.scan(packer, session_id, unit_barcode(db, "CUT-BRD-OAK"))
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    labels = stored_labels(app, outcome.shipment_id)
    assert len(labels) == 2 and b"PKG 1 OF 2" in labels[0] and b"PKG 2 OF 2" in labels[1]
    with db.unit_of_work() as session:
        numbers = session.scalars(select(Package.tracking_number).where(
            Package.shipment_id == outcome.shipment_id).order_by(Package.sequence)).all()
    assert len(set(numbers)) == 2 and outcome.tracking_numbers == tuple(numbers)


def test_cancel_gives_the_order_back_and_keeps_the_scans(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, number = begin(app, packer, [("MUG-CER-350", 1)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    app.packing.cancel(packer, session_id)
    with db.unit_of_work() as session:
        assert session.scalars(select(Order.status).where(Order.number == number)).one() == "ready"
        assert session.scalar(select(func.count()).select_from(ScanEvent).where(
            ScanEvent.pack_session_id == session_id)) == 1
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "pack.cancelled")).one()
        assert (entry.user_id, entry.station_id) == (packer.user_id, packer.station_id)
    other = app.packing.start(sign_in(app, "packer2", station="PACK-Z"), number)
    assert other.lines[0].scanned == 0


def test_ship_twice_is_refused(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    session_id, _ = begin(app, packer, [("MUG-CER-350", 1)])
    app.packing.scan(packer, session_id, unit_barcode(db, "MUG-CER-350"))
    weight = expected_weight(db, session_id)
    app.shipping.ship(packer, session_id, Weighing(weight))
    with pytest.raises(PackRefused) as refused:
        app.shipping.ship(packer, session_id, Weighing(weight))
    assert refused.value.code is Refusal.SESSION_CLOSED
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Shipment)) == 1
        assert session.scalar(select(func.count()).select_from(Product)) > 0


def test_a_second_process_scanning_the_same_pack_is_noticed(app: AppServices, packer: Actor) -> None:
    """Two ``Database`` objects stand for two processes: each keeps its own working copy of
    the session; the session row's version makes the second one re-read before deciding."""
    db = app.packing.database
    other = Database.connect(db.engine.url)
    try:
        other_app = app_for(other)
        session_id, _ = begin(app, packer, [("MUG-CER-350", 2)])
        code = unit_barcode(db, "MUG-CER-350")
        assert app.packing.scan(packer, session_id, code).view.lines[0].scanned == 1
        assert other_app.packing.scan(packer, session_id, code).view.lines[0].scanned == 2
        extra = app.packing.scan(packer, session_id, code)  # this copy still thinks 1 was scanned
        assert extra.refusal is Refusal.OVER_QUANTITY and extra.view.lines[0].scanned == 2
        other_app.packing.cancel(packer, session_id)
        with pytest.raises(PackRefused) as closed:
            app.packing.scan(packer, session_id, code)
        assert closed.value.code is Refusal.SESSION_CLOSED
    finally:
        other.dispose()


def test_start_from_a_tote_or_a_pick_list_barcode(app: AppServices, packer: Actor) -> None:
    from fulfilstation.db.models import PickList, PickListOrder

    db = app.packing.database
    first = make_order(db, [("MUG-CER-350", 1)])
    second = make_order(db, [("SOAP-LAV-100", 1)])
    with db.unit_of_work() as session:
        pick_list = PickList(number="PL-0042")
        session.add(pick_list)
        session.flush()
        for number, tote in ((first, "TOTE-07"), (second, "TOTE-08")):
            order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
            session.add(PickListOrder(pick_list_id=pick_list.id, order_id=order_id, tote_code=tote))
    by_tote = app.packing.start(sign_in(app, "packer", station="PACK-T1"), "TOTE-08")
    assert by_tote.order_number == second
    by_list = app.packing.start(sign_in(app, "packer2", station="PACK-T2"), "]C0PL-0042")
    assert by_list.order_number == first  # the list's next order not being packed
    with pytest.raises(PackRefused) as none_left:
        app.packing.start(sign_in(app, "packer", station="PACK-T3"), "PL-0042")
    assert none_left.value.code is Refusal.QUEUE_EMPTY and "Every order on pick list PL-0042" in str(none_left.value)
