"""Returns' refusals and flags as the tester met them (SQLite and PostgreSQL): no damaged,
defective or wrong item restocked for sale, one line per product, an unknown code named as
such, reasons counting what came back, and from a terminal: ``REFUND DUE`` in ``rma list``,
``grade --count N`` refused before grading anything, ``--bin`` named, cancel and close."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from fulfilstation.db.database import Database
from fulfilstation.services.returns import NewRmaLine, ReturnsRefused
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.returns import on_hand, shipped_order
from tests.support.warehouse import unit_barcode

PACKER = ("--user", "packer", "--pin", "1111")
MANAGER = ("--user", "manager", "--pin", "2222")


def test_refusals_say_what_happened(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 2), ("NB-A5-DOT", 1)])
    with pytest.raises(ReturnsRefused, match="MUG-CER-350 is named on more than one line"):
        app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "defective"),
                                            NewRmaLine("mug-cer-350", 1, "other")], label=False)
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 2, "defective"),
                                               NewRmaLine("NB-A5-DOT", 1, "other")], label=False)
    with pytest.raises(ReturnsRefused, match="ZZZ-NOPE is not a product barcode or SKU known here"):
        app.returns.receive(packer, made.number, "ZZZ-NOPE")
    app.returns.receive(packer, made.number, unit_barcode(db, "MUG-CER-350"))
    a01 = on_hand(db, "MUG-CER-350", "A-01-1")
    for grade in ("defective", "damaged", "wrong-item"):
        with pytest.raises(ReturnsRefused, match=f"graded {grade} cannot be restocked") as refused:
            app.returns.grade(packer, made.number, "MUG-CER-350", grade, "restock", bin="A-01-1")
        assert refused.value.code == "not-sellable"
    assert on_hand(db, "MUG-CER-350", "A-01-1") == a01
    app.returns.grade(packer, made.number, "MUG-CER-350", "defective", "quarantine")
    app.returns.close(manager, made.number)  # 1 of 3 came back
    created = app.returns.find(made.number).created_at
    counts = {c.reason: c.units for c in app.returns.reasons(created - dt.timedelta(days=1),
                                                             created + dt.timedelta(days=1))}
    assert counts["defective"] == 1 and counts["other"] == 0  # what came back, not the 2 + 1 authorised


def test_list_grade_cancel_and_close_from_a_terminal(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 3)], price_minor=500)
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 3, "defective")], label=False)
    mug = unit_barcode(db, "MUG-CER-350")
    for _ in range(2):
        app.returns.receive(packer, made.number, mug)
    no_bin = cli("rma", "grade", made.number, "--sku", "MUG-CER-350", "--grade", "like-new", "--action", "restock",
                 *PACKER, *url)
    assert no_bin.returncode == 1 and "--bin" in no_bin.stderr
    too_many = cli("rma", "grade", made.number, "--sku", "MUG-CER-350", "--grade", "opened", "--action", "dispose",
                   "--count", "3", *PACKER, *url)
    assert too_many.returncode == 1 and "Only 2 units of MUG-CER-350 wait to be graded" in too_many.stderr
    assert app.returns.find(made.number).to_grade == 2  # nothing was graded
    graded = cli("rma", "grade", made.number, "--sku", "MUG-CER-350", "--grade", "opened", "--action", "dispose",
                 "--count", "2", *PACKER, *url)
    assert graded.returncode == 0, graded.stderr
    closed = cli("rma", "close", made.number, *MANAGER, *url)
    assert closed.returncode == 0 and f"{made.number} closed with 2 of 3 received" in closed.stdout
    listed = cli("rma", "list", *url)
    assert "REFUND DUE" in listed.stdout and "2/3" in listed.stdout
    assert json.loads(cli("rma", "list", "--json", *url).stdout)[0]["refund_due"]
    refund = cli("rma", "refund", order, *MANAGER, *url)
    assert refund.returncode == 0 and "$10.00" in refund.stdout
    assert "REFUND DUE" not in cli("rma", "list", *url).stdout

    other = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "other")], label=False)
    packer_cancel = cli("rma", "cancel", other.number, *PACKER, *url)
    assert packer_cancel.returncode == 1
    cancelled = cli("rma", "cancel", other.number, *MANAGER, *url)
    assert cancelled.returncode == 0 and cancelled.stdout == f"{other.number} for order {order} is cancelled.\n"
    refused = cli("rma", "receive", other.number, "--scan", mug, *PACKER, *url)
    assert refused.returncode == 1 and "is cancelled" in refused.stderr
