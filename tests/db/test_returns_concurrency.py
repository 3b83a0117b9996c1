"""Several stations, each its own process on PostgreSQL, authorising, receiving and grading
the same returns at once: never more authorised than shipped, never more received than
authorised, never more graded than received, the RMA closed once, the ledger intact."""

from __future__ import annotations

import multiprocessing
from typing import Any

from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Rma, RmaLine, RmaUnit, StockMove
from fulfilstation.services.returns import NewRmaLine
from tests.db.test_cli import plain
from tests.support.app import app_for, sign_in
from tests.support.returns import on_hand, refund_due, shipped_order
from tests.support.returns_worker import work_on_returns
from tests.support.warehouse import unit_barcode

STATIONS, ROUNDS, UNITS = 4, 6, 10


def _run(url: str, jobs: list[tuple[str, str, str, str, str]]) -> list[dict[str, Any]]:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(len(jobs))
        with context.Pool(len(jobs)) as pool:
            results: list[dict[str, Any]] = pool.starmap(work_on_returns, [
                (url, station, user, job, target, item, ROUNDS, barrier, n)
                for n, (station, user, job, target, item) in enumerate(jobs)])
    assert [failure for result in results for failure in result["failures"]] == []
    return results


def test_managers_never_authorise_more_than_shipped(postgres_seeded_url: Any) -> None:
    db = Database.connect(postgres_seeded_url)
    try:
        app = app_for(db)
        order = shipped_order(app, sign_in(app, "packer"), [("MUG-CER-350", 3)])
        results = _run(plain(db.engine.url), [(f"RMA-{n}", "manager", "create", order, "MUG-CER-350")
                                              for n in range(STATIONS)])
        assert sum(result["done"] for result in results) == 3
        assert {code for result in results for code in result["refusals"]} == {"too-many"}
        with db.unit_of_work() as session:
            assert session.scalar(select(func.sum(RmaLine.quantity_expected))) == 3
            assert session.scalar(select(func.count()).select_from(Rma)) == 3
    finally:
        db.dispose()


def test_stations_receiving_then_grading_one_rma_never_exceed_its_quantities(postgres_seeded_url: Any) -> None:
    db = Database.connect(postgres_seeded_url)
    try:
        app = app_for(db)
        packer = sign_in(app, "packer")
        order = shipped_order(app, packer, [("MUG-CER-350", UNITS)])
        made = app.returns.create(sign_in(app, "manager"), order, [NewRmaLine("MUG-CER-350", UNITS, "defective")],
                                  label=False)
        url, code = plain(db.engine.url), unit_barcode(db, "MUG-CER-350")
        returns_bin_before = on_hand(db, "MUG-CER-350", "RET-01")
        received = _run(url, [(f"RET-{n}", "packer", "receive", made.number, code) for n in range(STATIONS)])
        assert sum(result["done"] for result in received) == UNITS
        assert {c for result in received for c in result["refusals"]} == {"all-received"}
        assert on_hand(db, "MUG-CER-350", "RET-01") == returns_bin_before + UNITS

        graded = _run(url, [(f"GRD-{n}", "packer", "grade", made.number, "MUG-CER-350") for n in range(STATIONS)])
        assert sum(result["done"] for result in graded) == UNITS
        assert sum(result["closed"] for result in graded) == 1
        assert {c for result in graded for c in result["refusals"]} == {"nothing-to-grade"}
        with db.unit_of_work() as session:
            line = session.scalars(select(RmaLine)).one()
            assert (line.quantity_received, line.quantity_graded) == (UNITS, UNITS)
            assert session.scalar(select(func.count()).select_from(RmaUnit)) == UNITS
            assert session.scalar(select(func.count()).where(StockMove.rma_id.is_not(None))) == 2 * UNITS
            assert session.scalar(select(func.count()).where(AuditEntry.action == "rma.closed")) == 1
        assert on_hand(db, "MUG-CER-350", "RET-01") == returns_bin_before
        view = app.returns.find(made.number)
        assert view.status == "closed" and refund_due(db, order)
        assert app.stock.check().consistent
    finally:
        db.dispose()


