"""``fulfilstation rma …`` as people run it (real processes, SQLite and PostgreSQL): create
(a manager; a packer is refused with exit 1, a malformed line exits 2), receive by scans
(one refused: exit 1, the others kept), grade, list with the overdue flag, show, reasons,
the slip and label files, and recording the refund."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Rma
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.returns import on_hand, refund_due, shipped_order
from tests.support.warehouse import unit_barcode

PACKER = ("--user", "packer", "--pin", "1111")
MANAGER = ("--user", "manager", "--pin", "2222")


def test_an_rma_from_a_terminal(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    app = app_for(db)
    order = shipped_order(app, sign_in(app, "packer"), [("MUG-CER-350", 2), ("NB-A5-DOT", 1)], price_minor=1250,
                          service="ups/ground")
    bad = cli("rma", "create", order, "--line", "MUG-CER-350:2", *MANAGER, *url)
    assert bad.returncode == 2 and "SKU:QUANTITY:REASON" in bad.stderr
    packer = cli("rma", "create", order, "--line", "MUG-CER-350:1:defective", *PACKER, *url)
    assert packer.returncode == 1 and packer.stderr.startswith("error: Pat Packer is a packer")
    created = cli("rma", "create", order, "--line", "MUG-CER-350:2:defective", "--line", "NB-A5-DOT:1:wrong-item",
                  *MANAGER, *url)
    assert created.returncode == 0, created.stderr
    first, label_words = created.stdout.splitlines()
    number = first.split()[0]
    assert first == f"{number} authorised for order {order} (3 units)."
    assert label_words.startswith("Return label UPS 1Z") and label_words.endswith(": printed on sim:.")

    mug = unit_barcode(db, "MUG-CER-350")
    received = cli("rma", "receive", number, "--scan", mug, "--scan", "PEN-GEL-BLK", "--scan", mug, *PACKER, *url)
    assert received.returncode == 1, received.stderr
    assert received.stdout.splitlines() == ["MUG-CER-350 in: 1 of 2 → bin RET-01.", "MUG-CER-350 in: 2 of 2 → bin "
                                            "RET-01."]
    assert "refused: PEN-GEL-BLK" in received.stderr and "1 scan refused" in received.stderr
    tracking = label_words.split()[3].rstrip(":")
    by_label = cli("rma", "receive", tracking, "--scan", "NB-A5-DOT", *PACKER, *url)
    assert by_label.returncode == 0 and by_label.stdout == "NB-A5-DOT in: 1 of 1 → bin RET-01.\n"

    with db.unit_of_work() as session:  # received three days ago and not processed: overdue
        session.execute(update(Rma).values(received_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3)))
    overdue = cli("rma", "list", "--overdue", *url)
    assert overdue.returncode == 0 and overdue.stdout.startswith(number) and "OVERDUE" in overdue.stdout
    listed = json.loads(cli("rma", "list", "--json", *url).stdout)
    assert [(r["number"], r["overdue"], r["received"]) for r in listed] == [(number, True, 3)]

    no_bin = cli("rma", "grade", number, "--sku", "MUG-CER-350", "--grade", "like-new", "--action", "restock",
                 *PACKER, *url)
    assert no_bin.returncode == 1 and "Restock to which bin?" in no_bin.stderr
    a01 = on_hand(db, "MUG-CER-350", "A-01-1")
    graded = cli("rma", "grade", number, "--sku", "MUG-CER-350", "--grade", "like-new", "--action", "restock",
                 "--bin", "A-01-1", "--count", "2", *PACKER, *url)
    assert graded.returncode == 0, graded.stderr
    assert on_hand(db, "MUG-CER-350", "A-01-1") == a01 + 2
    last = cli("rma", "grade", number, "--sku", "NB-A5-DOT", "--grade", "wrong-item", "--action", "dispose",
               *PACKER, *url)
    assert last.returncode == 0 and f"{number} is processed" in last.stdout

    shown = cli("rma", "show", number, *url)
    assert shown.returncode == 0 and shown.stdout.startswith(f"{number} for order {order}: closed")
    assert "refund $37.50 due" in shown.stdout and "NB-A5-DOT: wrong-item, dispose" in shown.stdout
    data = json.loads(cli("rma", "show", number, "--json", *url).stdout)
    assert data["refund_minor"] == 3750 and data["refund_due"] and not data["overdue"]

    reasons = cli("rma", "reasons", "--json", *url)
    counts = {r["reason"]: (r["units"], r["rmas"]) for r in json.loads(reasons.stdout)}
    assert counts["defective"] == (2, 1) and counts["wrong-item"] == (1, 1)

    slip, label = tmp_path / "slip.pdf", tmp_path / "label.zpl"
    assert cli("rma", "slip", number, "--out", str(slip), *url).returncode == 0
    assert slip.read_bytes().startswith(b"%PDF-")
    assert cli("rma", "label", number, "--out", str(label), *url).returncode == 0
    assert label.read_text().startswith("^XA") and tracking in label.read_text()

    refunded = cli("rma", "refund", order, *MANAGER, *url)
    assert refunded.returncode == 0 and refunded.stdout == f"Refund of $37.50 recorded for order {order}.\n"
    assert not refund_due(db, order)
    again = cli("rma", "refund", order, *MANAGER, *url)
    assert again.returncode == 1 and "has no refund due" in again.stderr
    unknown = cli("rma", "show", "RMA-424242", *url)
    assert unknown.returncode == 1 and unknown.stderr.startswith("error: RMA-424242 is not an RMA number")
