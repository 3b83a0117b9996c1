"""``fulfilstation count …`` as people run it (real processes, SQLite and PostgreSQL): a
manager classifies and creates, the plan lists what is due, the sheet is written, a packer
records by scanning (bin done) and by typing, ``show`` is blind for a packer, completing
posts (or waits for a manager: exit 1), approve posts; refusals are one line, exit 1."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fulfilstation.db.database import Database
from tests.db.test_cli import cli, plain
from tests.support.counts import bin_holding, on_hand
from tests.support.warehouse import unit_barcode

PACKER = ("--user", "packer", "--pin", "1111")
MANAGER = ("--manager", "manager", "--pin", "2222")
MUG, SOAP = "MUG-CER-350", "SOAP-LAV-100"


def test_a_count_from_a_terminal(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    mug_bin, mug_units = bin_holding(db, MUG)
    soap_bin, soap_units = bin_holding(db, SOAP)

    shown = cli("count", "rules", *url)
    assert shown.returncode == 0 and shown.stdout.startswith("ABC: A = top 80 %, B = next 15 %")
    manager_sets = cli("count", "rules", "--units", "5", "--user", "manager", "--pin", "2222", *url)
    assert manager_sets.returncode == 1 and "only an owner" in manager_sets.stderr
    owner_sets = cli("count", "rules", "--units", "2", "--every-a", "5", "--json", "--user", "owner", "--pin", "3333",
                     *url)
    assert owner_sets.returncode == 0, owner_sets.stderr
    assert (json.loads(owner_sets.stdout)["variance_units"], json.loads(owner_sets.stdout)["every_a_days"]) == (2, 5)
    abc = cli("count", "abc", *MANAGER, *url)
    assert abc.returncode == 0, abc.stderr
    assert abc.stdout.startswith("Classified by shipped value over 90 days")
    plan = cli("count", "plan", "--today", "--json", *url)
    assert plan.returncode == 0, plan.stderr
    assert {(row["bin"], row["sku"]) for row in json.loads(plan.stdout)} >= {(mug_bin, MUG), (soap_bin, SOAP)}

    refused = cli("count", "create", "--bins", f"{mug_bin},{soap_bin}", *PACKER, *url)
    assert refused.returncode == 1 and refused.stderr.startswith("error: Pat Packer is a packer")
    created = cli("count", "create", "--bins", f"{mug_bin},{soap_bin}", *MANAGER, *url)
    assert created.returncode == 0, created.stderr
    assert created.stdout == "Created count CC-1: 2 lines in 2 bins.\n"
    sheet = cli("count", "sheet", "CC-1", "--out", str(tmp_path / "sheet.pdf"), *url)
    assert sheet.returncode == 0 and (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF-")

    scanned = cli("count", "record", "CC-1", "--bin", mug_bin, "--scan", *[unit_barcode(db, MUG)] * 3, *PACKER, *url)
    assert scanned.returncode == 0, scanned.stderr
    assert scanned.stdout == f"{mug_bin}: {MUG} counted 3\n"
    typed = cli("count", "record", "CC-1", "--bin", soap_bin, "--sku", SOAP, "--quantity", str(soap_units),
                *PACKER, *url)
    assert typed.returncode == 0, typed.stderr
    wrong = cli("count", "record", "CC-1", "--bin", "RET-01", "--sku", SOAP, "--quantity", "1", *PACKER, *url)
    assert wrong.returncode == 1 and "is not on count CC-1" in wrong.stderr and "Traceback" not in wrong.stderr
    blind = json.loads(cli("count", "show", "CC-1", "--json", *url).stdout)
    assert blind["blind"] and all(line["expected"] is None for line in blind["lines"])
    seen = json.loads(cli("count", "show", "CC-1", "--json", *MANAGER, *url).stdout)
    assert not seen["blind"] and {line["expected"] for line in seen["lines"]} >= {soap_units}

    waiting = cli("count", "complete", "CC-1", *PACKER, *url)
    assert waiting.returncode == 1 and waiting.stdout.startswith("CC-1 waits for a manager's approval: ")
    assert "system" not in waiting.stdout and str(mug_units) not in waiting.stdout  # blind: no figure
    refused = cli("count", "record", "CC-1", "--bin", mug_bin, "--sku", MUG, "--quantity", str(mug_units),
                  *PACKER, *url)
    assert refused.returncode == 1 and "CC-1 is waiting for a manager" in refused.stderr
    assert on_hand(db, MUG, mug_bin)[0] == mug_units
    listed = cli("count", "list", "--open", *url)
    assert "CC-1" in listed.stdout and "needs approval" in listed.stdout
    approved = cli("count", "approve", "CC-1", *MANAGER, *url)
    assert approved.returncode == 0, approved.stderr
    assert f"{mug_bin} {MUG}: counted 3, system {mug_units}, posted {3 - mug_units:+d}" in approved.stdout
    assert on_hand(db, MUG, mug_bin)[0] == 3
    again = cli("count", "complete", "CC-1", *PACKER, *url)
    assert again.returncode == 1 and again.stderr.startswith("error: Cycle count CC-1 is already completed")
    accuracy = cli("count", "accuracy", "--json", *url)
    assert json.loads(accuracy.stdout)["lines_counted"] == 2 and json.loads(accuracy.stdout)["percent"] == 50.0
    assert json.loads(accuracy.stdout)["until"] == dt.datetime.now(dt.UTC).date().isoformat()  # today, included
    backwards = cli("count", "accuracy", "--since", "2026-12-10", "--until", "2026-12-01", *url)
    assert backwards.returncode == 1 and "after its last day" in backwards.stderr
