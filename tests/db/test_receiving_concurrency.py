"""Receiving from several processes at once on PostgreSQL: a receipt closed by several stations
at the same moment posts its stock once; receipts closing together into one stock level all
count; scans racing a close are either counted in it or refused — never lost, never posted
twice."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from fulfilstation.db.database import Database
from fulfilstation.db.models import ReceiptItem, ReceiptLine, StockMove
from fulfilstation.services.receiving import ExpectedLine, NewPurchaseOrder
from tests.support.app import app_for, sign_in
from tests.support.receive_worker import close_receipt, scan_then_close, scan_until_closed
from tests.support.receiving import on_hand, received_moves
from tests.support.warehouse import unit_barcode

STATIONS = 4
MUG = "MUG-CER-350"


def _po(database: Database, number: str) -> None:
    app = app_for(database)
    app.receiving.create_po(sign_in(app, "manager"), NewPurchaseOrder("Acme", (ExpectedLine(MUG, 50),),
                                                                      number=number, bin="RECV-01"))


def test_stations_closing_one_receipt_at_once_post_it_once(postgres_seeded_url: URL) -> None:
    database = Database.connect(postgres_seeded_url)
    _po(database, "PO-RACE")
    app = app_for(database)
    packer = sign_in(app, "packer")
    for _unit in range(7):
        assert app.receiving.scan(packer, "PO-RACE", unit_barcode(database, MUG)).accepted
    before = on_hand(database, MUG, "RECV-01")
    url = postgres_seeded_url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(STATIONS)
        with context.Pool(STATIONS) as pool:
            results = pool.starmap(close_receipt, [(url, f"RECV-{n}", "PO-RACE", barrier) for n in range(STATIONS)])
    assert sorted(results) == ["closed:7"] + ["receipt-closed"] * (STATIONS - 1), results
    assert on_hand(database, MUG, "RECV-01") == before + 7
    assert received_moves(database, "PO-RACE") == 7
    database.dispose()


def test_receipts_closing_together_into_one_new_stock_level_all_count(postgres_seeded_url: URL) -> None:
    database = Database.connect(postgres_seeded_url)
    code = unit_barcode(database, MUG)
    assert on_hand(database, MUG, "QUAR-01") == 0  # no stock level yet: the closes race to create it
    url = postgres_seeded_url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(STATIONS)
        with context.Pool(STATIONS) as pool:
            results = pool.starmap(scan_then_close, [(url, f"RECV-{n}", f"Supplier {n}", "QUAR-01", code, 3 + n,
                                                      barrier) for n in range(STATIONS)])
    assert len({result.split(":")[0] for result in results}) == STATIONS  # each its own RCV-n
    total = sum(3 + n for n in range(STATIONS))
    assert sum(int(result.split(":")[1]) for result in results) == total
    assert on_hand(database, MUG, "QUAR-01") == total
    database.dispose()


def test_scans_racing_a_close_are_counted_or_refused_never_lost(postgres_seeded_url: URL) -> None:
    database = Database.connect(postgres_seeded_url)
    _po(database, "PO-SCAN")
    code = unit_barcode(database, MUG)
    before = on_hand(database, MUG, "A-05-1")
    url = postgres_seeded_url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(STATIONS)
        with context.Pool(STATIONS) as pool:
            results = pool.starmap(scan_until_closed, [(url, f"RECV-{n}", "PO-SCAN", "A-05-1", code, barrier,
                                                        15 if n == 0 else None) for n in range(STATIONS)])
    closer, *scanners = results
    assert closer[1] == "closed", results
    assert all(ended == "receipt-closed" for _accepted, ended in scanners), results
    accepted = sum(units for units, _ended in results)
    assert accepted > 15, "the scanners never met the close: the test did not race"
    with database.unit_of_work() as session:
        posted = session.scalar(select(func.sum(StockMove.quantity)).where(StockMove.note == "Receipt PO-SCAN"))
        received = session.scalar(select(func.sum(ReceiptLine.quantity_received)))
        items = session.scalar(select(func.sum(ReceiptItem.quantity)))
    assert posted == received == items == accepted
    assert on_hand(database, MUG, "A-05-1") == before + accepted
    database.dispose()
