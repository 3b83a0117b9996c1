"""``fulfilstation replenish …`` and ``fulfilstation slotting …`` as people run them (real
processes, SQLite and PostgreSQL): the report prints and writes its CSV; ``order`` signs
in (none: exit 2; a packer: exit 1) and prints the PO numbers; slotting proposes, lists,
accepts (once: the second time exit 1 in words), accepts all and rejects."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from fulfilstation.db.database import Database
from tests.db.test_cli import cli, plain
from tests.db.test_replenishment import MUG, PEN, _available, _set
from tests.db.test_slotting import movers
from tests.support.app import app_for

PACKER = ("--user", "packer", "--pin", "1111")
MANAGER = ("--manager", "manager", "--pin", "2222")


def test_the_report_its_csv_and_purchase_orders_from_a_terminal(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    app = app_for(db)
    _set(db, MUG, reorder_point=_available(app, MUG) + 30, supplier="Acme Ceramics")
    _set(db, PEN, reorder_point=_available(app, PEN) + 8, supplier="Inkwell Ltd")
    out = tmp_path / "reorder.csv"
    report = cli("replenish", "report", "--csv", str(out), *url)
    assert report.returncode == 0, report.stderr
    assert MUG in report.stdout and "2 products to look at, 2 with a suggested quantity" in report.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert {row["sku"]: int(row["suggested"]) for row in rows} == {MUG: 30, PEN: 8}
    as_json = json.loads(cli("replenish", "report", "--json", *url).stdout)
    assert {row["sku"]: row["method"] for row in as_json} == {MUG: "no shipments", PEN: "no shipments"}

    anonymous = cli("replenish", "order", *url)
    assert anonymous.returncode == 2 and "sign in with --user NAME" in anonymous.stderr
    packer = cli("replenish", "order", *PACKER, *url)
    assert packer.returncode == 1 and packer.stderr.startswith("error: Pat Packer is a packer")
    ordered = cli("replenish", "order", "--sku", MUG, *MANAGER, *url)
    assert ordered.returncode == 0, ordered.stderr
    number = ordered.stdout.split()[0]
    assert ordered.stdout.startswith(f"{number}  Acme Ceramics: 1 line, 30 units")
    assert app.receiving.show(number).lines[0].expected == 30
    again = cli("replenish", "order", "--sku", MUG, *MANAGER, *url)
    assert again.returncode == 1 and again.stderr.startswith("error: Nothing to order (MUG-CER-350)")
    assert "MUG-CER-350 has nothing suggested" in again.stderr
    nope = cli("replenish", "order", "--sku", "NOPE", *MANAGER, *url)
    assert nope.returncode == 1 and nope.stderr.startswith("error: There is no product NOPE: check the SKU")
    assert "Traceback" not in again.stderr


def test_slotting_from_a_terminal(seeded_database: Database) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    app = app_for(db)
    movers(db, app.replenishment.today())
    proposed = cli("slotting", "propose", "--days", "30", "--limit", "3", *MANAGER, *url)
    assert proposed.returncode == 0, proposed.stderr
    assert "Proposed 3 moves." in proposed.stdout and "A-08-2 (seq 160) to A-02-1 (seq 30)" in proposed.stdout
    listed = json.loads(cli("slotting", "list", "--json", *url).stdout)
    assert [(row["sku"], row["to_bin"]) for row in listed] == [(MUG, "A-02-1"), ("PEN-FTN-NAV", "A-03-1"),
                                                               ("TEA-EARL-100", "A-04-1")]
    mug, pen, _tea = (row["id"] for row in listed)
    packer = cli("slotting", "accept", str(mug), *PACKER, *url)
    assert packer.returncode == 1 and "only a manager or an owner" in packer.stderr
    accepted = cli("slotting", "accept", str(mug), *MANAGER, *url)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout == f"Accepted {mug}: moved 102 units of {MUG} from A-08-2 to A-02-1.\n"
    twice = cli("slotting", "accept", str(mug), *MANAGER, *url)
    assert twice.returncode == 1 and f"error: Slotting proposal {mug} was accepted already" in twice.stderr
    rejected = cli("slotting", "reject", str(pen), *MANAGER, *url)
    assert rejected.returncode == 0 and rejected.stdout == f"Rejected {pen}: PEN-FTN-NAV stays in E-10-1.\n"
    rest = cli("slotting", "accept", "--all", *MANAGER, *url)
    assert rest.returncode == 0 and "Accepted 1 proposal, 0 stale." in rest.stdout
    assert "No slotting proposals are waiting" in cli("slotting", "list", *url).stdout
    statuses = [row["status"] for row in json.loads(cli("slotting", "list", "--all", "--json", *url).stdout)]
    assert sorted(statuses) == ["accepted", "accepted", "rejected"]
    assert cli("slotting", "accept", *MANAGER, *url).returncode == 2  # neither an id nor --all
