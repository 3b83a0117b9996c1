"""Order files in, through the one intake door, on SQLite and PostgreSQL: Shopify's export as
it really comes (tests/data/imports/shopify_orders.csv: BOM, quoted newline in Notes, '02134,
ZIP+4, non-Latin names, a digital line, a cancelled order, a broken quantity), re-imports
that create nothing, updates only on orders not yet picked, the shop's cancel and hold,
dry runs, the generic file and saved column mappings."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Allocation, AuditEntry, Order, OrderLine, Product, ProductBarcode, StockLevel
from fulfilstation.domain.address import Address
from fulfilstation.integrations.ports import IncomingLine, IncomingOrder
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.order_files import OrderFileRefused
from fulfilstation.services.orders.intake import write as write_module
from fulfilstation.services.orders.intake.write import write_incoming
from fulfilstation.services.refused import NotAllowed
from tests.support.app import app_for, sign_in

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
SHOPIFY = (DATA / "shopify_orders.csv").read_bytes()
TODAY = dt.date(2026, 12, 5)


def manager(database: Database) -> tuple[AppServices, Actor]:
    app = app_for(database)
    return app, sign_in(app, "manager")


def order(database: Database, number: str) -> dict[str, Any]:
    with database.unit_of_work() as session:
        found = session.scalars(select(Order).where(Order.number == number)).one()
        lines = session.execute(select(Product.sku, OrderLine.quantity, OrderLine.unit_price_minor)
                                .join(Product, Product.id == OrderLine.product_id)
                                .where(OrderLine.order_id == found.id, OrderLine.kit_line_id.is_(None))
                                .order_by(OrderLine.line_no)).all()
        reserved = session.scalar(select(func.coalesce(func.sum(Allocation.quantity), 0)).join(OrderLine)
                                  .where(OrderLine.order_id == found.id))
        values = {column.key: getattr(found, column.key) for column in Order.__table__.columns}
        return {**values, "lines": [tuple(line) for line in lines], "reserved": int(reserved or 0)}


def count(database: Database, model: type[object]) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def incoming(external: str = "W-1", lines: tuple[IncomingLine, ...] = (IncomingLine("MUG-ENA-300", 1, 1290),),
             **changes: Any) -> IncomingOrder:
    base = IncomingOrder(channel="web", external_id=external, number=f"#{external}", ship_to_name="Sam Park",
                         ship_to_line1="1 Main St", ship_to_city="Springfield", ship_to_postal_code="62704",
                         ship_to_country="US", ship_to_region="IL", financial_status="paid", lines=lines,
                         source_lines=(2,))
    return replace(base, **changes)


def write(database: Database, actor: Actor, *orders: IncomingOrder, dry_run: bool = False) -> Any:
    return write_incoming(database, actor, orders, today=TODAY, source="test", dry_run=dry_run)


def test_shopify_export_as_it_comes(seeded_database: Database) -> None:
    app, actor = manager(seeded_database)
    before = count(seeded_database, Order)
    report = app.order_files.import_orders(actor, SHOPIFY, file_name="orders_export_1.csv")
    assert report.summary() == "imported 4, updated 0, rejected 1"
    assert [problem.describe() for problem in report.rejections] == [
        "line 9 (#1004): order #1004 (lines 9, 10) was not imported: line 10: the quantity 'two' of SOAP-OAT-100 "
        "is not a whole number of at least 1"]
    warnings = [problem.describe() for problem in report.warnings]
    assert "line 6 (#1002): warning: Gift card €25 needs no shipping (a digital item or gift card): skipped" in warnings
    assert "line 11 (#1005): warning: order #1005 is cancelled in the shop: not imported" in warnings
    assert count(seeded_database, Order) == before + 4
    first = order(seeded_database, "#1001")
    assert first["channel"] == "shopify-csv" and first["external_id"] == "5123456789001"
    assert first["ship_to_postal_code"] == "02134" and first["ship_to_line2"] == "Apt 4"
    # The customer's note is a note to the shop, never printed in the parcel as a gift message.
    assert first["customer_note"] == "Please leave at the door.\nRing twice, the bell is \"quiet\"; thanks"
    assert first["gift_message"] is None
    assert first["ordered_at"] == dt.datetime(2026, 11, 30, 19, 2, 11, tzinfo=dt.UTC)
    assert first["lines"] == [("MUG-ENA-300", 2, 1290), ("BTL-SS-750", 1, 1190)]
    assert first["financial_status"] == "paid" and first["total_minor"] == 3770 and not first["hold"]
    assert first["status"] == "ready" and first["reserved"] == 3  # reserved on arrival
    german = order(seeded_database, "#1002")
    assert german["ship_to_name"] == "Jürgen Müller" and german["ship_to_line1"] == "Friedrichstraße 12"
    assert german["lines"] == [("TEA-EARL-100", 3, 890)]
    unknown = order(seeded_database, "#1003")
    assert unknown["ship_to_postal_code"] == "62704-1234"
    assert unknown["hold"] and "MYSTERY-BOX" in unknown["hold_reason"] and unknown["status"] == "pending"
    assert unknown["lines"] == [("NB-A5-DOT", 1, 1490)]
    assert unknown["unmatched_lines"] == [{"line_no": 2, "sku": "MYSTERY-BOX", "name": "Mystery Box", "quantity": 1,
                                           "unit_price_minor": 1490}]
    assert unknown["reserved"] == 0
    unpaid = order(seeded_database, "#1006")
    assert unpaid["hold"] and "pending, not paid" in unpaid["hold_reason"] and unpaid["ship_to_name"] == "山田 太郎"
    assert {problem["code"] for problem in unpaid["intake_problems"]} >= {"unpaid"}
    with seeded_database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "orders.imported")).one()
        assert entry.details["source"] == "file:orders_export_1.csv" and entry.details["imported"] == 4

    again = app.order_files.import_orders(actor, SHOPIFY)
    assert again.summary() == "imported 0, updated 0, rejected 1" and again.unchanged == 4
    assert count(seeded_database, Order) == before + 4


def test_a_dry_run_counts_the_same_and_writes_nothing(seeded_database: Database) -> None:
    app, actor = manager(seeded_database)
    orders, lines, audit = (count(seeded_database, model) for model in (Order, OrderLine, AuditEntry))
    report = app.order_files.import_orders(actor, SHOPIFY, dry_run=True)
    assert report.dry_run and report.summary() == "imported 4, updated 0, rejected 1"
    assert (count(seeded_database, Order), count(seeded_database, OrderLine), count(seeded_database, AuditEntry)) \
        == (orders, lines, audit)


def test_an_older_semicolon_export_without_an_id_column(seeded_database: Database) -> None:
    app, actor = manager(seeded_database)
    report = app.order_files.import_orders(actor, (DATA / "shopify_orders_2024_semicolon.csv").read_bytes(),
                                           channel="eu-shop")
    assert report.summary() == "imported 1, updated 0, rejected 0"
    spanish = order(seeded_database, "#2001")
    assert (spanish["channel"], spanish["external_id"], spanish["ship_to_name"]) == ("eu-shop", "#2001", "Rosa Peña")
    assert spanish["lines"] == [("BTL-SS-750", 1, 2490)] and spanish["total_minor"] == 2490


def test_a_known_order_is_updated_only_where_it_changed(seeded_database: Database) -> None:
    app, actor = manager(seeded_database)
    assert write(seeded_database, actor, incoming()).imported == 1
    assert order(seeded_database, "#W-1")["status"] == "ready"
    moved = write(seeded_database, actor, incoming(ship_to_line1="9 Elm St"))
    assert (moved.updated, moved.unchanged) == (1, 0)
    now = order(seeded_database, "#W-1")
    assert now["ship_to_line1"] == "9 Elm St" and now["status"] == "ready" and now["reserved"] == 1
    relined = write(seeded_database, actor, incoming(ship_to_line1="9 Elm St",
                                                     lines=(IncomingLine("BTL-SS-750", 2, 2490),)))
    assert relined.updated == 1
    now = order(seeded_database, "#W-1")
    assert now["lines"] == [("BTL-SS-750", 2, 2490)] and now["status"] == "ready" and now["reserved"] == 2
    with seeded_database.unit_of_work() as session:  # the mug's unit went back: no allocation is left on it
        mug = session.scalar(select(func.count()).select_from(Allocation).join(OrderLine)
                             .where(OrderLine.order_id == now["id"], OrderLine.product_id.in_(
                                 select(Product.id).where(Product.sku == "MUG-ENA-300"))))
        assert mug == 0
        total = session.execute(select(func.sum(StockLevel.reserved))).scalar()
        allocated = session.execute(select(func.sum(Allocation.quantity))).scalar()
        assert total == allocated
    same = write(seeded_database, actor, incoming(ship_to_line1="9 Elm St",
                                                  lines=(IncomingLine("BTL-SS-750", 2, 2490),)))
    assert (same.imported, same.updated, same.unchanged) == (0, 0, 1)


def test_an_order_being_packed_or_shipped_is_not_changed(seeded_database: Database) -> None:
    _app, actor = manager(seeded_database)
    write(seeded_database, actor, incoming("W-2"))
    for status in ("packing", "shipped"):
        with seeded_database.unit_of_work() as session:
            session.execute(update(Order).where(Order.number == "#W-2").values(status=status))
        report = write(seeded_database, actor, incoming("W-2", ship_to_line1="9 Elm St"))
        assert (report.updated, report.rejected) == (0, 0)
        assert "the shop's changes (address) were not applied" in report.warnings[0].reason
        assert order(seeded_database, "#W-2")["ship_to_line1"] == "1 Main St"


def test_the_shops_cancel_and_hold_reach_the_order(seeded_database: Database) -> None:
    _app, actor = manager(seeded_database)
    write(seeded_database, actor, incoming("W-3"), incoming("W-4"), incoming("W-5"))
    assert order(seeded_database, "#W-3")["reserved"] == 1
    report = write(seeded_database, actor, incoming("W-3", shop_status="cancelled"))
    assert report.updated == 1
    cancelled = order(seeded_database, "#W-3")
    assert cancelled["status"] == "cancelled" and cancelled["reserved"] == 0
    held = write(seeded_database, actor, incoming("W-4", shop_status="on-hold"))
    assert held.updated == 1
    assert order(seeded_database, "#W-4")["hold_reason"] == "On hold in the shop"
    write(seeded_database, actor, incoming("W-4"))
    assert not order(seeded_database, "#W-4")["hold"]  # back to open: the shop's hold is lifted
    with seeded_database.unit_of_work() as session:  # a manager's hold is theirs: intake never lifts it
        session.execute(update(Order).where(Order.number == "#W-4").values(hold=True, hold_reason="Call customer"))
    write(seeded_database, actor, incoming("W-4", ship_to_line1="9 Elm St"))
    kept = order(seeded_database, "#W-4")
    assert kept["hold_reason"] == "Call customer" and kept["ship_to_line1"] == "9 Elm St"
    with seeded_database.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == "#W-5").values(status="packing"))
    write(seeded_database, actor, incoming("W-5", shop_status="cancelled"))
    packing = order(seeded_database, "#W-5")
    assert packing["status"] == "packing" and packing["hold_reason"] == "Cancelled in the shop: stop packing"


def test_numbers_never_clash_and_barcodes_match(seeded_database: Database) -> None:
    _app, actor = manager(seeded_database)
    with seeded_database.unit_of_work() as session:
        code = session.scalar(select(ProductBarcode.code).join(Product).where(Product.sku == "NB-A5-LIN")
                              .where(ProductBarcode.pack_quantity == 1))
    assert code is not None
    write(seeded_database, actor, incoming("A", number="#5000", lines=(IncomingLine(code, 1),)))
    clash = write(seeded_database, actor, replace(incoming("B", number="#5000"), channel="other"))
    assert clash.imported == 1
    assert order(seeded_database, "#5000")["lines"] == [("NB-A5-LIN", 1, 0)]
    assert order(seeded_database, "other-#5000")["channel"] == "other"


def test_a_broken_order_does_not_sink_the_others(seeded_database: Database) -> None:
    _app, actor = manager(seeded_database)
    report = write(seeded_database, actor, incoming("OK-1"), incoming("BAD", ship_to_country="Narnia",
                                                                      source_lines=(7, 8)),
                   incoming("OK-2"), incoming("BAD2", lines=()))
    assert report.summary() == "imported 2, updated 0, rejected 2"
    assert "lines 7, 8" in report.rejections[1].reason and "Narnia" in report.rejections[1].reason


def test_generic_file_and_a_saved_mapping(seeded_database: Database) -> None:
    app, actor = manager(seeded_database)
    generic = (b"order_id,order_number,ship_to_name,ship_to_line1,ship_to_city,ship_to_region,ship_to_postal_code,"
               b"ship_to_country,financial_status,sku,quantity,unit_price\n"
               b"G-1,G-1001,Ana Lima,5 Rua Azul,Springfield,IL,62704,US,paid,MUG-ENA-300,1,12.90\n"
               b"G-1,,,,,,,,,BTL-SS-750,2,24.90\n"
               b"G-2,G-1002,Bo Ek,2 Main St,Springfield,IL,62704,United States,paid,NB-A5-DOT,1,14.90\n")
    report = app.order_files.import_orders(actor, generic)
    assert report.summary() == "imported 2, updated 0, rejected 0"
    assert order(seeded_database, "G-1001")["lines"] == [("MUG-ENA-300", 1, 1290), ("BTL-SS-750", 2, 2490)]
    assert order(seeded_database, "G-1002")["ship_to_country"] == "US"
    other = (b"Ref;Customer;Street;Town;State;Zip;Land;Item;Qty\n"
             b"X-9;Cy Young;7 Oak Rd;Springfield;IL;62704;US;SOAP-LAV-100;3\n")
    with pytest.raises(OrderFileRefused, match="neither Shopify's order export"):
        app.order_files.import_orders(actor, other)
    with pytest.raises(OrderFileRefused, match="no column mapping named 'erp'"):
        app.order_files.import_orders(actor, other, mapping="erp")
    with pytest.raises(OrderFileRefused, match="quantity"):
        app.order_files.save_mapping(actor, "erp", {"order_id": "Ref", "sku": "Item"})
    app.order_files.save_mapping(actor, "erp", {
        "order_id": "Ref", "ship_to_name": "Customer", "ship_to_line1": "Street", "ship_to_city": "Town",
        "ship_to_region": "State", "ship_to_postal_code": "Zip", "ship_to_country": "Land", "sku": "Item",
        "quantity": "Qty"})
    assert [mapping.name for mapping in app.order_files.mappings()] == ["erp"]
    through = app.order_files.import_orders(actor, other, mapping="erp", channel="erp")
    assert through.summary() == "imported 1, updated 0, rejected 0"
    assert order(seeded_database, "X-9")["lines"] == [("SOAP-LAV-100", 3, 0)]
    app.order_files.delete_mapping(actor, "erp")
    assert app.order_files.mappings() == ()


def test_a_packer_may_not_import_orders(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    with pytest.raises(NotAllowed):
        app.order_files.import_orders(sign_in(app, "packer"), SHOPIFY)


def test_two_imports_of_one_file_at_once_create_each_order_once(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    actors = [sign_in(app, "manager"), sign_in(app, "owner")]
    before = count(seeded_database, Order)
    start = threading.Barrier(2)
    reports: list[Any] = []
    errors: list[BaseException] = []

    def import_once(actor: Actor) -> None:
        start.wait()
        try:
            reports.append(app.order_files.import_orders(actor, SHOPIFY))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=import_once, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert count(seeded_database, Order) == before + 4
    assert sorted((report.imported, report.unchanged) for report in reports) == [(0, 4), (4, 0)]


def test_chunks_count_and_number_as_one_batch(seeded_database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write_module, "CHUNK", 2)
    _app, actor = manager(seeded_database)
    batch = [incoming(f"C-{n}", number="#7000") for n in range(5)]  # five shop orders named alike
    dry = write(seeded_database, actor, *batch, dry_run=True)
    real = write(seeded_database, actor, *batch)
    assert (dry.imported, real.imported) == (5, 5)
    with seeded_database.unit_of_work() as session:
        numbers = sorted(session.scalars(select(Order.number).where(Order.channel == "web")))
    assert numbers == ["#7000", "web-#7000", "web-#7000-2", "web-#7000-3", "web-#7000-4"]
    assert write(seeded_database, actor, *batch).unchanged == 5


def test_an_address_a_manager_fixed_is_not_undone_by_a_reimport(seeded_database: Database) -> None:
    app, actor = manager(seeded_database)
    write(seeded_database, actor, incoming("W-9", ship_to_line1=""))
    assert order(seeded_database, "#W-9")["hold"]  # no street: held
    app.orders.set_address(actor, "#W-9", Address("Sam Park", "5 Fixed Rd", "Springfield", "62704", "US",
                                                  region="IL"))
    report = write(seeded_database, actor, incoming("W-9", ship_to_line1="", note="Gift"))
    assert report.updated == 1 and "its address was changed here" in report.warnings[0].reason
    fixed = order(seeded_database, "#W-9")
    assert fixed["ship_to_line1"] == "5 Fixed Rd" and fixed["customer_note"] == "Gift"
