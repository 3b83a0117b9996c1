"""Kits in orders on SQLite and PostgreSQL: a kit line gets its component lines once when
stock is reserved; the components are reserved, packed (each scanned; the kit's own barcode
is refused, naming them), weighed and shipped, and the kit line never is; the packing slip,
``orders show`` and the order's detail show the kit with its components; cancelling a kit
order gives back its components' stock."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import BoxType, Order, Package, PackageItem, Product, StockMove
from fulfilstation.documents.packing_slip import SlipLine, build_packing_slip
from fulfilstation.services.orders import ExpandedKit, KitComponent
from fulfilstation.services.orders.kits import add_component_lines
from fulfilstation.services.packing import Refusal, Weighing
from fulfilstation.services.shipping.slip import packing_slip_for
from tests.support.app import app_for, sign_in
from tests.support.kits import (
    allocations_match_reserved,
    lines_of,
    make_kit,
    new_product,
    pending_order,
    put_stock,
    reserved_by_bin,
    status_of,
)
from tests.support.orders import allocations_of, reserved_levels
from tests.support.pdf import pdf_text
from tests.support.warehouse import unit_barcode

GIFT = [("MUG-ENA-300", 2), ("SOAP-LAV-100", 1)]  # per kit
KIT_CODE = "KIT-GIFT-0001"


def gift_order(db: Database) -> str:
    make_kit(db, "GIFT-SET", GIFT, barcode=KIT_CODE)
    return pending_order(db, [("GIFT-SET", 2), ("CNDL-CED-200", 1)])


def test_a_kit_line_gets_its_component_lines_once_and_they_are_reserved(seeded_database: Database) -> None:
    db = seeded_database
    number = gift_order(db)
    app = app_for(db)
    manager = sign_in(app, "manager")

    (outcome,) = app.orders.reserve_stock(manager, [number])

    assert outcome.result == "ready"
    assert outcome.kits == (ExpandedKit("GIFT-SET", 2, (KitComponent("MUG-ENA-300", 4),
                                                        KitComponent("SOAP-LAV-100", 2))),)
    expected_lines = [(1, "GIFT-SET", 2, None), (2, "CNDL-CED-200", 1, None), (3, "MUG-ENA-300", 4, 1),
                      (4, "SOAP-LAV-100", 2, 1)]
    assert lines_of(db, number) == expected_lines
    reserved: dict[str, int] = {}
    for (sku, _bin, _lot), units in reserved_by_bin(db, number).items():
        reserved[sku] = reserved.get(sku, 0) + units
    assert reserved == {"MUG-ENA-300": 4, "SOAP-LAV-100": 2, "CNDL-CED-200": 1}
    assert allocations_match_reserved(db)
    # again: nothing more
    (again,) = app.orders.reserve_stock(manager, [number])
    assert (again.result, again.kits) == ("skipped", ())
    with db.unit_of_work() as session:
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        assert add_component_lines(session, order_id) == ()
    assert lines_of(db, number) == expected_lines
    info = app.orders.show(number)
    assert [(line.line_no, line.sku, line.is_kit, line.kit_line) for line in info.lines] == [
        (1, "GIFT-SET", True, None), (2, "CNDL-CED-200", False, None), (3, "MUG-ENA-300", False, 1),
        (4, "SOAP-LAV-100", False, 1)]
    assert info.expected_weight_g is not None  # the components' weights (+ a box), not the kit's own 5 kg
    assert 4 * 190 + 2 * 115 + 310 <= info.expected_weight_g["min"] < info.expected_weight_g["max"] < 2000


def test_a_short_kit_order_keeps_its_component_lines_once_and_nothing_reserved(seeded_database: Database) -> None:
    db = seeded_database
    new_product(db, "RARE-PART")
    put_stock(db, "RARE-PART", "E-10-1", 1)
    make_kit(db, "RARE-KIT", [("RARE-PART", 1), ("SOAP-OAT-100", 1)])
    number = pending_order(db, [("RARE-KIT", 2)])
    before = reserved_levels(db)
    app = app_for(db)
    manager = sign_in(app, "manager")
    for _attempt in range(2):
        (outcome,) = app.orders.reserve_stock(manager, [number])
        assert outcome.result == "short"
        assert [(s.sku, s.short) for s in outcome.short] == [("RARE-PART", 1)]
    assert lines_of(db, number) == [(1, "RARE-KIT", 2, None), (2, "RARE-PART", 2, 1), (3, "SOAP-OAT-100", 2, 1)]
    assert reserved_levels(db) == before and status_of(db, number) == "pending"


def test_a_kit_order_is_packed_from_its_components_and_ships_them(seeded_database: Database,
                                                                   tmp_path: Path) -> None:
    db = seeded_database
    number = gift_order(db)
    app = app_for(db, documents_dir=tmp_path)
    app.orders.reserve_stock(sign_in(app, "manager"), [number])
    packer = sign_in(app, "packer")
    view = app.packing.start(packer, number)
    assert [(line.sku, line.ordered, line.kit) for line in view.lines] == [
        ("CNDL-CED-200", 1, None), ("MUG-ENA-300", 4, "part of GIFT-SET ×2"),
        ("SOAP-LAV-100", 2, "part of GIFT-SET ×2")]

    refused = app.packing.scan(packer, view.session_id, KIT_CODE)
    assert not refused.accepted and refused.refusal is Refusal.KIT_BARCODE
    assert refused.message == ("Test GIFT-SET is a kit: do not scan the kit's own barcode, scan its components: "
                               "4 × Enamel Camp Mug 300 ml, 2 × Lavender Bar Soap 100 g.")
    for sku, units in (("MUG-ENA-300", 4), ("SOAP-LAV-100", 2), ("CNDL-CED-200", 1)):
        for _unit in range(units):
            outcome = app.packing.scan(packer, view.session_id, unit_barcode(db, sku))
            assert outcome.accepted, outcome.message
            view = outcome.view
    assert view.complete
    with db.unit_of_work() as session:
        box = view.box_code or view.suggested_box
        tare = session.scalars(select(BoxType.tare_weight_g).where(BoxType.code == box)).one()
    assert view.expected_g == 4 * 190 + 2 * 115 + 310 + tare  # the components' weights, not the kit's

    shipped = app.shipping.ship(packer, view.session_id, Weighing(view.expected_g))

    assert status_of(db, number) == "shipped"
    with db.unit_of_work() as session:
        moves = dict(session.execute(select(Product.sku, func.sum(StockMove.quantity))
                                     .join(Product, Product.id == StockMove.product_id)
                                     .where(StockMove.shipment_id == shipped.shipment_id, StockMove.reason == "ship")
                                     .group_by(Product.sku)).all())
        items = dict(session.execute(select(Product.sku, func.sum(PackageItem.quantity))
                                     .join(Product, Product.id == PackageItem.product_id)
                                     .join(Package, Package.id == PackageItem.package_id)
                                     .where(Package.shipment_id == shipped.shipment_id)
                                     .group_by(Product.sku)).all())
    assert moves == {"MUG-ENA-300": 4, "SOAP-LAV-100": 2, "CNDL-CED-200": 1}
    assert items == moves
    assert allocations_of(db, number) == {}
    slip = packing_slip_for(db, shipped.shipment_id)
    assert slip.lines == (
        SlipLine("GIFT-SET", "Test GIFT-SET", 2, 2, kit=True),
        SlipLine("MUG-ENA-300", "Enamel Camp Mug 300 ml", 4, 4, component=True),
        SlipLine("SOAP-LAV-100", "Lavender Bar Soap 100 g", 2, 2, component=True),
        SlipLine("CNDL-CED-200", "Cedar Candle in Tin 200 g", 1, 1))
    text = pdf_text(build_packing_slip(slip), tmp_path)
    assert "Test GIFT-SET (kit)" in text and "– Enamel Camp Mug 300 ml" in text
    assert "Total units 7 7" in " ".join(text.split())
    detail = app.orders.detail(number)
    assert [(line.sku, line.ordered, line.shipped, line.is_kit, line.part_of) for line in detail.lines] == [
        ("GIFT-SET", 2, 2, True, None), ("MUG-ENA-300", 4, 4, False, "part of GIFT-SET ×2"),
        ("SOAP-LAV-100", 2, 2, False, "part of GIFT-SET ×2"), ("CNDL-CED-200", 1, 1, False, None)]


def test_cancelling_a_kit_order_gives_back_its_components_stock(seeded_database: Database) -> None:
    db = seeded_database
    before = reserved_levels(db)
    number = gift_order(db)
    app = app_for(db)
    manager = sign_in(app, "manager")
    app.orders.reserve_stock(manager, [number])
    assert sum(allocations_of(db, number).values()) == 7
    cancelled = app.orders.cancel(manager, number, "Customer changed their mind")
    released: dict[str, int] = {}
    for reservation in cancelled.released:
        released[reservation.sku] = released.get(reservation.sku, 0) + reservation.quantity
    assert released == {"MUG-ENA-300": 4, "SOAP-LAV-100": 2, "CNDL-CED-200": 1}
    assert allocations_of(db, number) == {}
    assert reserved_levels(db) == {level: before.get(level, 0) for level in reserved_levels(db)}


def test_the_demo_orders_a_kit_reserved_by_the_same_rule(seeded_database: Database) -> None:
    db = seeded_database
    lines = lines_of(db, "SO-10002")
    kit_no = next(line_no for line_no, sku, _quantity, _kit in lines if sku == "GIFT-TEA-SET")
    assert sorted(sku for _no, sku, _quantity, kit in lines if kit == kit_no) == [
        "MUG-CER-350", "TEA-EARL-100", "TEA-SEN-100"]
    assert status_of(db, "SO-10002") == "ready"
    reserved = {sku for sku, _bin, _lot in reserved_by_bin(db, "SO-10002")}
    assert "GIFT-TEA-SET" not in reserved and {"MUG-CER-350", "TEA-EARL-100", "TEA-SEN-100"} <= reserved
    assert allocations_match_reserved(db)
    app = app_for(db)
    view = app.packing.start(sign_in(app, "packer"), "SO-10002")
    assert {line.sku: line.kit for line in view.lines if line.kit} == {
        "MUG-CER-350": "part of GIFT-TEA-SET ×1", "TEA-EARL-100": "part of GIFT-TEA-SET ×1",
        "TEA-SEN-100": "part of GIFT-TEA-SET ×1"}


def test_a_component_also_ordered_on_its_own_fills_both_lines(seeded_database: Database) -> None:
    db = seeded_database
    make_kit(db, "GIFT-SET", GIFT)
    number = pending_order(db, [("GIFT-SET", 1), ("MUG-ENA-300", 1)])
    app = app_for(db)
    app.orders.reserve_stock(sign_in(app, "manager"), [number])
    packer = sign_in(app, "packer")
    view = app.packing.start(packer, number)
    for sku in ("MUG-ENA-300", "MUG-ENA-300", "MUG-ENA-300", "SOAP-LAV-100"):
        outcome = app.packing.scan(packer, view.session_id, unit_barcode(db, sku))
        assert outcome.accepted, outcome.message
        view = outcome.view
    assert view.complete
    assert [(line.sku, line.scanned, line.kit) for line in view.lines] == [
        ("MUG-ENA-300", 1, None), ("MUG-ENA-300", 2, "part of GIFT-SET ×1"), ("SOAP-LAV-100", 1, "part of GIFT-SET ×1")]
    over = app.packing.scan(packer, view.session_id, unit_barcode(db, "MUG-ENA-300"))
    assert not over.accepted and over.refusal is Refusal.OVER_QUANTITY
