"""Kits and the one availability rule (SQLite and PostgreSQL): a kit's components are
checked (no kit in a kit, not itself, not inactive or unknown, a kit never lot/serial
tracked); a product's available units count pickable and storage bins only, less what is
reserved; a kit's are the fewest kits its components allow. And the race on a barcode: two
sessions adding the same code, the database settles it and the refusal names the winner."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, ProductBarcode, StockLevel
from fulfilstation.services.products import ProductChanges, ProductFields, ProductRefused
from fulfilstation.services.products.availability import available_units
from tests.db.test_products import refused
from tests.support.app import app_for, sign_in


def put_stock(db: Database, sku: str, bin_code: str, on_hand: int, reserved: int = 0, lot: str = "") -> None:
    with db.unit_of_work() as session:
        product_id = session.scalars(select(Product.id).where(Product.sku == sku)).one()
        bin_id = session.scalars(select(Bin.id).where(Bin.code == bin_code)).one()
        session.add(StockLevel(product_id=product_id, bin_id=bin_id, lot_code=lot, on_hand=on_hand,
                               reserved=reserved))


def ids_of(db: Database, *skus: str) -> dict[str, int]:
    with db.unit_of_work() as session:
        return {sku: pid for pid, sku in session.execute(select(Product.id, Product.sku)
                                                         .where(Product.sku.in_(skus)))}


def test_available_units_count_sellable_bins_less_reserved_and_kits_what_components_allow(
        seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    for sku in ("CUP-1", "LID-1", "GIFT-1"):
        app.products.create(manager, ProductFields(sku, f"{sku} thing"))
    put_stock(db, "CUP-1", "A-01-1", 10, reserved=3)  # pickable: 7 available
    put_stock(db, "CUP-1", "A-01-2", 5)  # storage: 5
    put_stock(db, "CUP-1", "QUAR-01", 40)  # quarantine: none to sell
    put_stock(db, "CUP-1", "RECV-01", 9)  # receiving: none yet
    put_stock(db, "LID-1", "A-02-1", 7)
    kit = app.products.set_components(manager, "GIFT-1", [("CUP-1", 2), ("LID-1", 1)])
    assert kit.kit and [(c.sku, c.quantity, c.available) for c in kit.components] == [("CUP-1", 2, 12),
                                                                                         ("LID-1", 1, 7)]
    ids = ids_of(db, "CUP-1", "LID-1", "GIFT-1")
    with db.unit_of_work() as session:
        figures = available_units(session, ids.values())
    assert figures == {ids["CUP-1"]: 12, ids["LID-1"]: 7, ids["GIFT-1"]: 6}  # min(12 // 2, 7 // 1)
    assert kit.stock.available == 6 and kit.stock.on_hand == 7  # on hand: min(15 // 2, 7)
    cup = app.products.show("CUP-1")
    assert (cup.stock.on_hand, cup.stock.reserved, cup.stock.available, cup.stock.elsewhere) == (64, 3, 12, 49)
    assert [k.sku for k in cup.part_of] == ["GIFT-1"]
    assert {b.bin for b in cup.bins} == {"A-01-1", "A-01-2", "QUAR-01", "RECV-01"}
    rows = {row.sku: row for row in app.products.list("-1", kits=True).rows}
    assert set(rows) == {"GIFT-1"} and rows["GIFT-1"].available == 6 and rows["GIFT-1"].kit
    assert "GIFT-1" not in {row.sku for row in app.products.list(kits=False).rows}
    put_stock(db, "LID-1", "A-03-1", 0)
    with db.unit_of_work() as session:
        assert available_units(session, [ids["GIFT-1"], 10**9]) == {ids["GIFT-1"]: 6, 10**9: 0}
    plain = app.products.set_components(manager, "GIFT-1", [])
    assert not plain.kit and plain.stock.available == 0


def test_kit_rules_refuse_nesting_itself_inactive_unknown_and_tracking(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    for sku in ("BOX-A", "BOX-B", "PART-1"):
        app.products.create(manager, ProductFields(sku, f"{sku} thing"))
    app.products.set_components(manager, "BOX-A", [("PART-1", 1)])
    inner = refused(lambda: app.products.set_components(manager, "BOX-B", [("BOX-A", 1)]), "kit-in-kit")
    assert inner.message.startswith("BOX-A BOX-A thing is itself a kit")
    app.products.set_components(manager, "BOX-B", [("PART-1", 2)])
    outer = refused(lambda: app.products.set_components(manager, "PART-1", [("MUG-CER-350", 1)]), "kit-in-kit")
    assert "PART-1 PART-1 thing is a component of kit BOX-A BOX-A thing" in outer.message
    refused(lambda: app.products.set_components(manager, "BOX-A", [("BOX-A", 1)]), "kit-itself")
    unknown = refused(lambda: app.products.set_components(manager, "BOX-A", [("NOPE-9", 1)]), "unknown-component")
    assert unknown.message.startswith("There is no product with SKU 'NOPE-9' to put in kit BOX-A")
    refused(lambda: app.products.set_components(manager, "BOX-A", [("PART-1", 0)]), "component-quantity")
    refused(lambda: app.products.set_components(manager, "BOX-A", [("PART-1", 1), ("part-1", 2)]),
            "component-twice")
    app.products.deactivate(manager, "MUG-ENA-300")
    inactive = refused(lambda: app.products.set_components(manager, "BOX-A", [("MUG-ENA-300", 1)]),
                       "component-inactive")
    assert "MUG-ENA-300 Enamel Camp Mug 300 ml is inactive: reactivate it" in inactive.message
    tracked = refused(lambda: app.products.set_components(manager, "TEA-EARL-100", [("PART-1", 1)]), "kit-tracked")
    assert "a kit never is" in tracked.message
    refused(lambda: app.products.edit(manager, "BOX-A", ProductChanges(serial_tracked=True)), "kit-tracked")
    assert [(c.sku, c.quantity) for c in app.products.show("BOX-A").components] == [("PART-1", 1)]


def test_two_sessions_adding_one_barcode_the_database_settles_it_naming_the_winner(
        seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    app.products.create(manager, ProductFields("FIRST-1", "First product"))
    app.products.create(manager, ProductFields("SECOND-1", "Second product"))
    outcome: list[object] = []
    with db.unit_of_work() as first:  # the first station's insert, not yet committed
        first_id = first.scalars(select(Product.id).where(Product.sku == "FIRST-1")).one()
        first.add(ProductBarcode(product_id=first_id, code="04006381333931", pack_quantity=1))
        first.flush()

        def second() -> None:
            try:
                outcome.append(app.products.add_barcode(manager, "SECOND-1", "4006381333931"))
            except ProductRefused as refusal:
                outcome.append(refusal)

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)  # let the second station reach its insert (it waits on the first's lock)
    thread.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], ProductRefused), outcome
    assert outcome[0].code == "barcode-taken"
    assert outcome[0].message.startswith("4006381333931 is already the barcode of FIRST-1 First product")
    assert app.products.show("SECOND-1").barcodes == ()


def test_two_stations_racing_for_one_barcode_one_wins(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    for sku in ("RACE-A", "RACE-B"):
        app.products.create(manager, ProductFields(sku, f"{sku} product"))
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def add(sku: str) -> None:
        start.wait()
        try:
            results[sku] = app.products.add_barcode(manager, sku, "012345678905")
        except ProductRefused as refusal:
            results[sku] = refusal

    threads = [threading.Thread(target=add, args=(sku,)) for sku in ("RACE-A", "RACE-B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    refusals = {sku: r for sku, r in results.items() if isinstance(r, ProductRefused)}
    assert len(results) == 2 and len(refusals) == 1, results
    loser = next(iter(refusals))
    winner = "RACE-B" if loser == "RACE-A" else "RACE-A"
    assert refusals[loser].message.startswith(f"012345678905 is already the barcode of {winner} {winner} product")
    assert [b.code for b in app.products.show(winner).barcodes] == ["00012345678905"]


def test_two_managers_nesting_two_kits_into_each_other_one_is_refused(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    first, second = sign_in(app, "manager"), sign_in(app, "owner")
    for sku in ("OUTER-1", "INNER-1", "PART-9"):
        app.products.create(first, ProductFields(sku, f"{sku} thing"))
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def run(name: str, call: object) -> None:
        assert callable(call)
        start.wait()
        try:
            results[name] = call()
        except ProductRefused as refusal:
            results[name] = refusal

    threads = [threading.Thread(target=run, args=("outer", lambda: app.products.set_components(
                   first, "OUTER-1", [("INNER-1", 1)]))),
               threading.Thread(target=run, args=("inner", lambda: app.products.set_components(
                   second, "INNER-1", [("PART-9", 2)])))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    refusals = [r for r in results.values() if isinstance(r, ProductRefused)]
    assert len(results) == 2 and len(refusals) == 1, results
    assert refusals[0].code == "kit-in-kit"
    nested = [c.sku for c in app.products.show("OUTER-1").components], \
        [c.sku for c in app.products.show("INNER-1").components]
    assert nested in ((["INNER-1"], []), ([], ["PART-9"]))
