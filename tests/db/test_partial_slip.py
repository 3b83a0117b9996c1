"""The packing slip of a split order (partial shipments, both engines) never hides the rest:
per line what the customer ordered in the shop (over the order and its remainders), what is
shipped now and what is still to follow, and a sentence under the table naming the other
part — read back from the printed PDF with poppler. The pack view says the order is split."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from drivers.sim.printer import SimDocumentPrinter
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders.arrival import reserve_arrivals
from fulfilstation.services.packing import Weighing
from fulfilstation.services.shipping.slip import packing_slip_for
from tests.db.test_partial_shipments import TODAY, give_shop_line_ids, partial_on
from tests.support.app import app_for, sign_in
from tests.support.kits import make_kit, new_product, pending_order, put_stock
from tests.support.pdf import pdf_text
from tests.support.warehouse import expected_weight


def order_id(db: Database, number: str) -> int:
    with db.unit_of_work() as session:
        return session.scalars(select(Order.id).where(Order.number == number)).one()


def pack_and_ship(app: AppServices, number: str, scans: list[str]) -> tuple[int, str | None]:
    """Pack ``number`` scanning ``scans`` and ship it; (shipment id, the pack view's split note)."""
    packer = sign_in(app)
    view = app.packing.start(packer, number)
    for code in scans:
        assert app.packing.scan(packer, view.session_id, code).accepted, code
    db = app.packing.database
    outcome = app.shipping.ship(packer, view.session_id, Weighing(expected_weight(db, view.session_id)))
    assert outcome.slip_problem is None
    return outcome.shipment_id, view.split


def row(text: str, sku: str) -> tuple[int, ...]:
    """The figures of ``sku``'s row as printed: Ordered, Shipped now, To follow."""
    found = re.search(rf"{re.escape(sku)}\s+Test {re.escape(sku)}\s+(\d+)\s+(\d+)\s+(\d+)", text)
    assert found, text
    return tuple(int(x) for x in found.groups())


def test_a_split_orders_slips_say_what_was_ordered_what_ships_now_and_what_follows(
        seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    printer = SimDocumentPrinter(out_dir=tmp_path / "printed")
    app = app_for(db, document=printer)
    for sku in ("SLP-1", "SLP-2", "SLP-3"):
        new_product(db, sku, barcode=f"BC{sku}")
    put_stock(db, "SLP-1", "A-01-1", 2)
    put_stock(db, "SLP-3", "A-01-1", 1)
    number = pending_order(db, [("SLP-1", 3), ("SLP-2", 1), ("SLP-3", 1)])
    give_shop_line_ids(db, number)
    partial_on(app)
    manager = sign_in(app, "manager")
    (outcome,) = reserve_arrivals(db, manager, [order_id(db, number)], TODAY)
    rest = f"{number}-2"
    assert outcome.result == "ready" and rest in outcome.message

    shipment, note = pack_and_ship(app, number, ["BCSLP-1", "BCSLP-1", "BCSLP-3"])
    assert note == f"rest in {rest}"
    slip = packing_slip_for(db, shipment)
    assert [(x.sku, x.ordered, x.shipped, x.to_follow) for x in slip.lines] == [
        ("SLP-1", 3, 2, 1), ("SLP-2", 1, 0, 1), ("SLP-3", 1, 1, 0)]  # SLP-2 moved whole to the rest
    (_job, pdf), = printer.documents
    text = pdf_text(pdf, tmp_path)
    assert re.search(r"Ordered\s+Shipped now\s+To follow", text), text
    assert (row(text, "SLP-1"), row(text, "SLP-2"), row(text, "SLP-3")) == ((3, 2, 1), (1, 0, 1), (1, 1, 0))
    assert re.search(r"Total units\s+5\s+3\s+2", text), text
    assert f"The rest of your order follows in a separate parcel (order {rest})." in text

    put_stock(db, "SLP-1", "A-01-2", 1)
    put_stock(db, "SLP-2", "A-01-2", 1)
    (again,) = reserve_arrivals(db, manager, [order_id(db, rest)], TODAY)
    assert again.result == "ready", again.message
    shipment, note = pack_and_ship(app, rest, ["BCSLP-1", "BCSLP-2"])
    assert note == f"part of {number}"
    text = pdf_text(printer.documents[-1][1], tmp_path)
    assert (row(text, "SLP-1"), row(text, "SLP-2"), row(text, "SLP-3")) == ((3, 1, 0), (1, 1, 0), (1, 0, 0))
    assert f"Part of order {number}; the rest of your order was sent in a separate parcel (order {number})." \
        in " ".join(text.split())


def test_an_unsplit_orders_slip_has_no_to_follow_column(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    printer = SimDocumentPrinter(out_dir=tmp_path / "printed")
    app = app_for(db, document=printer)
    new_product(db, "SLP-9", barcode="BCSLP-9")
    put_stock(db, "SLP-9", "A-01-1", 2)
    number = pending_order(db, [("SLP-9", 2)])
    partial_on(app)
    (outcome,) = reserve_arrivals(db, sign_in(app, "manager"), [order_id(db, number)], TODAY)
    assert outcome.result == "ready"
    shipment, note = pack_and_ship(app, number, ["BCSLP-9", "BCSLP-9"])
    assert note is None and packing_slip_for(db, shipment).part_note is None
    text = pdf_text(printer.documents[-1][1], tmp_path)
    assert re.search(r"Ordered\s+Shipped\s+Lot / serial", text) and "To follow" not in text
    assert "separate parcel" not in text


def test_a_split_kits_slip_counts_whole_kits_and_their_components(seeded_database: Database,
                                                                   tmp_path: Path) -> None:
    db = seeded_database
    app = app_for(db, document=SimDocumentPrinter(out_dir=tmp_path / "printed"))
    new_product(db, "SLP-C1", barcode="BCSLP-C1")
    new_product(db, "SLP-C2", barcode="BCSLP-C2")
    make_kit(db, "SLP-KIT", [("SLP-C1", 2), ("SLP-C2", 1)])
    put_stock(db, "SLP-C1", "A-01-1", 4)  # 2 of the 3 kits
    put_stock(db, "SLP-C2", "A-01-1", 2)
    number = pending_order(db, [("SLP-KIT", 3)])
    partial_on(app)
    (outcome,) = reserve_arrivals(db, sign_in(app, "manager"), [order_id(db, number)], TODAY)
    assert outcome.result == "ready", outcome.message
    shipment, _note = pack_and_ship(app, number, ["BCSLP-C1"] * 4 + ["BCSLP-C2"] * 2)
    slip = packing_slip_for(db, shipment)
    assert [(x.sku, x.kit, x.component, x.ordered, x.shipped, x.to_follow) for x in slip.lines] == [
        ("SLP-KIT", True, False, 3, 2, 1), ("SLP-C1", False, True, 6, 4, 2), ("SLP-C2", False, True, 3, 2, 1)]
    assert slip.part_note == f"The rest of your order follows in a separate parcel (order {number}-2)."
