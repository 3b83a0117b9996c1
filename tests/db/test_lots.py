"""Lots are traceable (SQLite and PostgreSQL): a scanned lot must be in stock; the
reservation, the stock move and the package item all follow the scanned lot; the pending
prompt names the lot and bin to take, first expiry first; two stations taking the last
unit of a lot are settled by the database."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    Bin,
    Order,
    OrderLine,
    PackageItem,
    Product,
    ScanEvent,
    StockLevel,
    StockMove,
)
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import PackRefused, Refusal, Weighing
from fulfilstation.services.packing.memo import forget, memo_for
from tests.support.app import app_for, sign_in
from tests.support.warehouse import expected_weight, make_order, stock_lot, unit_barcode

TEA = "TEA-EARL-100"


def reservations(db: Database, number: str) -> dict[tuple[str, str], int]:
    """(lot, bin) -> units reserved for the order."""
    with db.unit_of_work() as session:
        rows = session.execute(select(StockLevel.lot_code, Bin.code, Allocation.quantity)
                               .join(StockLevel, StockLevel.id == Allocation.stock_level_id)
                               .join(Bin, Bin.id == StockLevel.bin_id)
                               .join(OrderLine, OrderLine.id == Allocation.order_line_id)
                               .join(Order, Order.id == OrderLine.order_id).where(Order.number == number)).all()
        return {(lot, code): quantity for lot, code, quantity in rows}


def level(db: Database, lot: str) -> tuple[int, int]:
    """(on hand, reserved) of the tea's lot over all bins."""
    with db.unit_of_work() as session:
        rows = session.execute(select(StockLevel.on_hand, StockLevel.reserved).join(Product).where(
            Product.sku == TEA, StockLevel.lot_code == lot)).all()
        return sum(row[0] for row in rows), sum(row[1] for row in rows)


def in_stock_lots(db: Database) -> list[str]:
    with db.unit_of_work() as session:
        return list(session.scalars(select(StockLevel.lot_code).join(Product).where(
            Product.sku == TEA, StockLevel.on_hand > 0)).all())


def test_a_lot_not_in_stock_is_refused_and_names_the_lots_that_are(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    number = make_order(db, [(TEA, 1)])
    before = reservations(db, number)
    session_id = app.packing.start(packer, number).session_id
    asked = app.packing.scan(packer, session_id, unit_barcode(db, TEA))
    assert asked.pending
    refused = app.packing.scan(packer, session_id, "NOSUCHLOT")
    assert not refused.accepted and refused.refusal is Refusal.LOT_NOT_IN_STOCK
    assert "Lot NOSUCHLOT" in refused.message and "not in stock" in refused.message
    assert all(lot in refused.message for lot in in_stock_lots(db))
    assert reservations(db, number) == before
    (reserved_lot, _bin), = before
    assert app.packing.scan(packer, session_id, reserved_lot).view.complete  # still waiting for the lot


def test_the_prompt_names_the_reserved_lot_and_bin_and_ship_takes_it(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    number = make_order(db, [(TEA, 1)])
    (lot, bin_code), = reservations(db, number)
    session_id = app.packing.start(packer, number).session_id
    asked = app.packing.scan(packer, session_id, unit_barcode(db, TEA))
    assert asked.pending and f"take lot {lot} from bin {bin_code}" in asked.message
    on_hand = level(db, lot)[0]
    assert app.packing.scan(packer, session_id, lot).accepted
    app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert level(db, lot)[0] == on_hand - 1


def test_another_lot_in_stock_is_taken_and_the_reservation_moves_to_it(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    number = make_order(db, [(TEA, 2)])
    (reserved_lot, _bin), = reservations(db, number)
    other_bin = stock_lot(db, TEA, "L-OTHER", 3, dt.date(2030, 1, 31))
    on_hand, reserved = level(db, reserved_lot)
    session_id = app.packing.start(packer, number).session_id
    code = unit_barcode(db, TEA)
    app.packing.scan(packer, session_id, code)
    assert app.packing.scan(packer, session_id, "L-OTHER").accepted
    assert reservations(db, number) == {(reserved_lot, _bin): 1, ("L-OTHER", other_bin): 1}
    assert level(db, "L-OTHER") == (3, 1) and level(db, reserved_lot) == (on_hand, reserved - 1)
    app.packing.scan(packer, session_id, code)
    assert app.packing.scan(packer, session_id, reserved_lot).view.complete
    shipment_id = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))).shipment_id
    assert level(db, "L-OTHER") == (2, 0) and level(db, reserved_lot) == (on_hand - 1, reserved - 2)
    with db.unit_of_work() as session:
        moves = session.execute(select(StockMove.lot_code, Bin.code, StockMove.quantity)
                                .join(Bin, Bin.id == StockMove.from_bin_id)
                                .where(StockMove.shipment_id == shipment_id)).all()
        items = session.execute(select(PackageItem.lot_code, PackageItem.quantity).join(OrderLine).join(Order)
                                .where(Order.number == number)).all()
    assert sorted(moves) == sorted([("L-OTHER", other_bin, 1), (reserved_lot, _bin, 1)])
    assert sorted(items) == sorted([("L-OTHER", 1), (reserved_lot, 1)])
    assert reservations(db, number) == {}


def test_a_lot_in_a_gs1_code_is_checked_too(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    number = make_order(db, [(TEA, 1)])
    session_id = app.packing.start(packer, number).session_id
    gtin = unit_barcode(db, TEA)
    refused = app.packing.scan(packer, session_id, "]C101" + gtin + "17401231" + "10NOSUCHLOT")
    assert refused.refusal is Refusal.LOT_NOT_IN_STOCK
    stock_lot(db, TEA, "GS1LOT", 1)
    assert app.packing.scan(packer, session_id, "]C101" + gtin + "17401231" + "10GS1LOT").accepted
    assert level(db, "GS1LOT") == (1, 1)


def test_the_written_form_under_a_gs1_barcode_is_packed_like_the_barcode(app: AppServices, packer: Actor) -> None:
    """#10: "(01)…(10)…" typed from under the barcode was refused as an unknown barcode."""
    db = app.packing.database
    number = make_order(db, [(TEA, 1)])
    session_id = app.packing.start(packer, number).session_id
    stock_lot(db, TEA, "TYPEDLOT", 1)
    typed = app.packing.scan(packer, session_id, f"(01){unit_barcode(db, TEA)}(17)401231(10)TYPEDLOT")
    assert typed.accepted, typed.message
    assert typed.view.complete and level(db, "TYPEDLOT") == (1, 1)


def test_a_lot_reserved_by_other_orders_is_refused(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    stock_lot(db, TEA, "L-LAST", 1)
    first, second = make_order(db, [(TEA, 1)]), make_order(db, [(TEA, 1)])
    one = app.packing.start(packer, first).session_id
    app.packing.scan(packer, one, unit_barcode(db, TEA))
    assert app.packing.scan(packer, one, "L-LAST").accepted
    other = sign_in(app, "packer2", station="PACK-B")
    two = app.packing.start(other, second).session_id
    app.packing.scan(other, two, unit_barcode(db, TEA))
    refused = app.packing.scan(other, two, "L-LAST")
    assert refused.refusal is Refusal.LOT_NOT_IN_STOCK and "reserved for other orders" in refused.message
    assert level(db, "L-LAST") == (1, 1)


def test_two_stations_taking_the_last_unit_of_a_lot_one_wins(seeded_database: Database) -> None:
    db = seeded_database
    stock_lot(db, TEA, "L-RACE", 1)
    numbers = [make_order(db, [(TEA, 1)]) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[Refusal | None] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def station(username: str, name: str, number: str) -> None:
        database = Database.connect(db.engine.url)
        try:
            app = app_for(database, station=name)
            actor = sign_in(app, username)
            session_id = app.packing.start(actor, number).session_id
            app.packing.scan(actor, session_id, unit_barcode(database, TEA))
            barrier.wait(timeout=60)
            outcome = app.packing.scan(actor, session_id, "L-RACE")
            with lock:
                results.append(None if outcome.accepted else outcome.refusal)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
            barrier.abort()
        finally:
            database.dispose()

    threads = [threading.Thread(target=station, args=(user, name, number))
               for (user, name), number in zip((("packer", "PACK-A"), ("packer2", "PACK-B")), numbers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(results, key=str) == sorted([None, Refusal.LOT_NOT_IN_STOCK], key=str)
    assert level(db, "L-RACE") == (1, 1)


def test_ship_takes_the_scanned_lot_even_when_the_scan_was_accepted_before_lots_were_checked(
        app: AppServices, packer: Actor) -> None:
    """A pack open while the station was upgraded holds a lot scan that did not move the
    reservation: the ship transaction moves it, so the stock move names the lot in the parcel."""
    db = app.packing.database
    number = make_order(db, [(TEA, 1)])
    (reserved_lot, _bin), = reservations(db, number)
    stock_lot(db, TEA, "L-LEGACY", 2)
    session_id = app.packing.start(packer, number).session_id
    app.packing.scan(packer, session_id, unit_barcode(db, TEA))
    assert app.packing.scan(packer, session_id, reserved_lot).accepted
    with db.unit_of_work() as session:  # as the scan was recorded before this change
        session.execute(update(ScanEvent).where(ScanEvent.pack_session_id == session_id,
                                                ScanEvent.result == "accepted").values(lot_code="L-LEGACY"))
    on_hand = level(db, reserved_lot)[0]
    shipment_id = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))).shipment_id
    with db.unit_of_work() as session:
        moves = session.execute(select(StockMove.lot_code, StockMove.quantity)
                                .where(StockMove.shipment_id == shipment_id)).all()
    assert moves == [("L-LEGACY", 1)]
    assert level(db, "L-LEGACY") == (1, 0) and level(db, reserved_lot)[0] == on_hand


def test_ship_is_refused_when_a_scanned_lot_is_not_in_stock(app: AppServices, packer: Actor) -> None:
    db = app.packing.database
    number = make_order(db, [(TEA, 1)])
    (reserved_lot, _bin), = reservations(db, number)
    session_id = app.packing.start(packer, number).session_id
    app.packing.scan(packer, session_id, unit_barcode(db, TEA))
    assert app.packing.scan(packer, session_id, reserved_lot).accepted
    with db.unit_of_work() as session:
        session.execute(update(ScanEvent).where(ScanEvent.pack_session_id == session_id,
                                                ScanEvent.result == "accepted").values(lot_code="NOSUCHLOT"))
    with pytest.raises(PackRefused) as refused:
        app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert refused.value.code is Refusal.LOT_NOT_IN_STOCK and "Lot NOSUCHLOT" in refused.value.message
    assert reservations(db, number) == {(reserved_lot, _bin): 1}


def test_two_stations_moving_reservations_between_the_same_lots_both_go_through(seeded_database: Database) -> None:
    """Station A's orders are reserved on lot L-A and it packs L-B, station B the other way
    round, scan for scan at the same moment: both wait their turn, neither deadlocks."""
    db = seeded_database
    rounds = 5
    stock_lot(db, TEA, "L-A", 5000)
    on_a = [make_order(db, [(TEA, 1)]) for _ in range(rounds)]
    stock_lot(db, TEA, "L-B", 9000)
    on_b = [make_order(db, [(TEA, 1)]) for _ in range(rounds)]
    assert {lot for number in on_a for lot, _bin in reservations(db, number)} == {"L-A"}
    assert {lot for number in on_b for lot, _bin in reservations(db, number)} == {"L-B"}
    barrier = threading.Barrier(2)
    accepted: list[bool] = []
    errors: list[BaseException] = []

    def station(username: str, name: str, numbers: list[str], lot: str) -> None:
        database = Database.connect(db.engine.url)
        try:
            app = app_for(database, station=name)
            actor = sign_in(app, username)
            for number in numbers:
                session_id = app.packing.start(actor, number).session_id
                app.packing.scan(actor, session_id, unit_barcode(database, TEA))
                barrier.wait(timeout=60)
                accepted.append(app.packing.scan(actor, session_id, lot).accepted)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
            barrier.abort()
        finally:
            database.dispose()

    threads = [threading.Thread(target=station, args=("packer", "PACK-A", on_a, "L-B")),
               threading.Thread(target=station, args=("packer2", "PACK-B", on_b, "L-A"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert accepted == [True] * (2 * rounds)
    assert level(db, "L-A") == (5000, rounds) and level(db, "L-B") == (9000, rounds)


def test_a_stray_long_scan_awaiting_a_lot_is_refused_in_words(app: AppServices, packer: Actor) -> None:
    """A 300-character scan (a URL, another label's data) while a lot is awaited is refused
    as not a lot number and the lot is still awaited; on PostgreSQL it used to fail the
    scan's insert (varchar 64) and show the database's error text."""
    db = app.packing.database
    number = make_order(db, [(TEA, 1)])
    session_id = app.packing.start(packer, number).session_id
    assert app.packing.scan(packer, session_id, unit_barcode(db, TEA)).pending
    refused = app.packing.scan(packer, session_id, "L" * 300)
    assert not refused.accepted and refused.refusal is Refusal.LOT_REQUIRED
    assert refused.message.startswith("That scan (300 characters) is not a lot number: one has at most 64.")
    (reserved_lot, _bin), = reservations(db, number)
    assert app.packing.scan(packer, session_id, reserved_lot).view.complete


def test_an_order_box_or_badge_scanned_awaiting_a_lot_is_named_and_the_lot_still_awaited(
        app: AppServices, packer: Actor) -> None:
    """QA: an order number, a box code or a badge scanned at the lot prompt was refused as
    "Lot SO-10005 … is not in stock"; each is now named as what it is."""
    db = app.packing.database
    number, other = make_order(db, [(TEA, 1)]), make_order(db, [(TEA, 1)])
    session_id = app.packing.start(packer, number).session_id
    assert app.packing.scan(packer, session_id, unit_barcode(db, TEA)).pending
    order = app.packing.scan(packer, session_id, other)
    assert order.refusal is Refusal.ANOTHER_ORDER and order.pending is False
    assert order.message.startswith(f"{other} is an order: finish or cancel {number} first")
    box = app.packing.scan(packer, session_id, "BOX-M")
    assert box.refusal is Refusal.LOT_REQUIRED and box.box is None
    assert box.message == "BOX-M is a box: first scan the lot number of Earl Grey Loose Tea 100 g."
    badge = app.packing.scan(packer, session_id, "BADGE-0002")
    assert badge.refusal is Refusal.LOT_REQUIRED
    assert badge.message == "BADGE-0002 is a badge, not a lot number: scan the lot number of Earl Grey Loose Tea 100 g."
    assert app.packing.scan(packer, session_id, "NOSUCHLOT").refusal is Refusal.LOT_NOT_IN_STOCK
    (reserved_lot, _bin), = reservations(db, number)
    assert app.packing.scan(packer, session_id, reserved_lot).view.complete  # the lot was awaited throughout


def test_a_wrong_items_gs1_code_awaiting_a_lot_says_it_is_not_on_the_order(app: AppServices, packer: Actor) -> None:
    """QA: paprika's "(01)…(10)L26569" at the coffee's lot prompt said only "First scan the lot
    number of …"; it now says the paprika is not on this order."""
    db = app.packing.database
    number = make_order(db, [(TEA, 1)])
    session_id = app.packing.start(packer, number).session_id
    assert app.packing.scan(packer, session_id, unit_barcode(db, TEA)).pending
    paprika = unit_barcode(db, "SPC-SMK-PAP").zfill(14)
    refused = app.packing.scan(packer, session_id, f"(01){paprika}(10)L26569")
    assert refused.refusal is Refusal.NOT_ON_ORDER
    assert refused.message == ("Smoked Paprika 80 g is not on this order: "
                               "first scan the lot number of Earl Grey Loose Tea 100 g.")
    (reserved_lot, _bin), = reservations(db, number)
    assert app.packing.scan(packer, session_id, reserved_lot).view.complete


def test_the_view_names_the_lots_scanned_for_each_line_also_when_read_again(app: AppServices, packer: Actor) -> None:
    """QA: the packing table said "lot no." even after the lot was scanned; each line's view
    now lists its lots, first scanned first, and so does a view rebuilt from the database."""
    db = app.packing.database
    number = make_order(db, [(TEA, 2)])
    (reserved_lot, _bin), = reservations(db, number)
    stock_lot(db, TEA, "L-OTHER", 1)
    session_id = app.packing.start(packer, number).session_id
    assert app.packing.scan(packer, session_id, unit_barcode(db, TEA)).view.lines[0].lots == ()
    assert app.packing.scan(packer, session_id, reserved_lot).view.lines[0].lots == (reserved_lot,)
    app.packing.scan(packer, session_id, unit_barcode(db, TEA))
    assert app.packing.scan(packer, session_id, "L-OTHER").view.lines[0].lots == (reserved_lot, "L-OTHER")
    forget(db, session_id)
    rebuilt = memo_for(db, session_id)
    assert rebuilt is not None and rebuilt.view.lines[0].lots == (reserved_lot, "L-OTHER")
