"""``fulfilstation picklist …`` as people run it (real processes, SQLite and PostgreSQL):
create prints the number and writes a PDF; show, list and pdf read; pick and short sign in
and say what they did; a packer planning a wave or cancelling is refused with exit 1; no
sign-in is exit 2; a refusal is one ``error:`` line."""

from __future__ import annotations

import json
from pathlib import Path

from fulfilstation.db.database import Database
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.picking import ready_order
from tests.support.warehouse import unit_barcode

PACKER = ("--user", "packer", "--pin", "1111")
MANAGER = ("--manager", "manager", "--pin", "2222")


def test_create_show_pick_short_and_cancel_from_a_terminal(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    app = app_for(db)
    first = ready_order(app, sign_in(app, "manager"), [("NB-A5-LIN", 2)])
    second = ready_order(app, sign_in(app, "manager"), [("CUT-BRD-OAK", 1)])
    out = tmp_path / "list.pdf"
    anonymous = cli("picklist", "create", "--orders", f"{first},{second}", "--out", str(out), *url)
    assert anonymous.returncode == 2 and not out.exists()
    made = cli("picklist", "create", "--orders", f"{first},{second}", "--by-zone", "--out", str(out), *PACKER, *url)
    assert made.returncode == 0, made.stderr
    number = made.stdout.split()[2].rstrip(":")
    assert made.stdout.startswith(f"Pick list {number}: 2 orders, ") and out.read_bytes().startswith(b"%PDF-")
    again = cli("picklist", "create", "--orders", first, "--out", str(out), *PACKER, *url)
    assert again.returncode == 1 and again.stderr.startswith(f"error: Cannot pick: {first} is on pick list {number}")
    wave = cli("picklist", "create", "--wave", "ship-by", "--out", str(tmp_path / "w.pdf"), *PACKER, *url)
    assert wave.returncode == 1 and "only a manager or an owner can plan waves" in wave.stderr

    shown = json.loads(cli("picklist", "show", number, "--json", *url).stdout)
    assert [t["order"] for t in shown["totes"]] == [first, second] and shown["by_zone"]
    notebook = next(row for row in shown["rows"] if row["sku"] == "NB-A5-LIN")
    board = next(row for row in shown["rows"] if row["sku"] == "CUT-BRD-OAK")
    wrong = cli("picklist", "pick", number, "--bin", notebook["bin"], "--scan", unit_barcode(db, "CUT-BRD-OAK"),
                *PACKER, *url)
    assert wrong.returncode == 1 and wrong.stderr.startswith("error: Wrong item")
    picked = cli("picklist", "pick", number, "--bin", notebook["bin"], "--scan", unit_barcode(db, "NB-A5-LIN"),
                 "--quantity", "2", *PACKER, *url)
    assert picked.returncode == 0, picked.stderr
    assert picked.stdout.startswith(f"Picked 2 × NB-A5-LIN from {notebook['bin']}: 2 in ")
    short = cli("picklist", "short", number, "--bin", board["bin"], "--sku", "CUT-BRD-OAK", *PACKER, *url)
    assert short.returncode == 0 and "Reserved elsewhere: " in short.stdout and second in short.stdout, short.stderr
    listed = cli("picklist", "list", *url)
    assert number in listed.stdout and "picking" in listed.stdout
    reprint = cli("picklist", "pdf", number, "--out", str(tmp_path / "again.pdf"), *url)
    assert reprint.returncode == 0 and (tmp_path / "again.pdf").read_bytes().startswith(b"%PDF-")
    refused = cli("picklist", "cancel", number, *PACKER, *url)
    assert refused.returncode == 1 and "only a manager or an owner can cancel a pick list" in refused.stderr
    cancelled = cli("picklist", "cancel", number, "--reason", "batch redone", *MANAGER, *url)
    assert cancelled.returncode == 0 and "Put the 2 picked units back" in cancelled.stdout
    unknown = cli("picklist", "show", "PL-99999", *url)
    assert unknown.returncode == 1 and unknown.stderr.startswith("error: There is no pick list 'PL-99999'")
