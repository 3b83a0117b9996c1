"""Purchase orders from CSV and the ``receive`` commands, as real processes on both engines:
a PO goes in whole or is rejected with its line numbers, a re-import updates an open PO and
never touches a closed one, a dry run changes nothing, and the output ends with exactly one
``imported N, updated N, rejected N`` line; then a PO is received and closed from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from fulfilstation.db.database import Database
from fulfilstation.imports import read_csv_bytes
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.receiving import on_hand
from tests.support.warehouse import case_barcode, unit_barcode

MANAGER = ("--user", "manager", "--pin", "2222")
PACKER = ("--user", "packer", "--pin", "1111")

GOOD = (
    "\ufeffpo_number;supplier;reference;expected_date;sku;quantity;bin\n"
    "PO-100;Acme Ltd;\"INV 1,\nsecond line\";2026-12-20;MUG-CER-350;24;RECV-01\n"
    "PO-200;Tea House;;;TEA-EARL-100;40;\n"
    "PO-100;Acme Ltd;;;SOAP-LAV-100;48;\n"
    "PO-300;Broken Co;;;MUG-ENA-300;5;\n"
    "PO-300;Broken Co;;;NO-SUCH-SKU;5;\n"
    "PO-300;Broken Co;;;BTL-SS-750;zero;\n"
    ";Nobody;;;MUG-CER-350;1;\n"
)


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def test_import_whole_pos_reject_broken_ones_and_reimport(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    path = _write(tmp_path, "po.csv", GOOD)
    dry = cli("import", "purchase-orders", path, "--dry-run", *MANAGER, "--db", url)
    assert dry.returncode == 1, dry.stderr
    assert dry.stdout.splitlines()[-1] == "imported 2, updated 0, rejected 4"
    assert "dry run: nothing was changed" in dry.stdout
    assert app_for(db).receiving.list() == []

    done = cli("import", "purchase-orders", path, *MANAGER, "--db", url)
    out = done.stdout.splitlines()
    assert done.returncode == 1 and out[-1] == "imported 2, updated 0, rejected 4", done.stdout + done.stderr
    assert "line 7 (PO-300): there is no product with SKU 'NO-SUCH-SKU': import or add it first" in out
    assert "line 8 (PO-300): the quantity 'zero' is not a whole number from 1 to 1,000,000" in out
    assert "line 6 (PO-300): purchase order PO-300 is rejected whole (see line 7, 8)" in out
    assert "line 9: the po_number is blank: every row names its purchase order" in out
    receiving = app_for(db).receiving
    assert {s.number for s in receiving.list()} == {"PO-100", "PO-200"}
    po100 = receiving.show("PO-100")
    assert po100.summary.reference == "INV 1,\nsecond line" and str(po100.summary.expected_date) == "2026-12-20"
    assert {(line.sku, line.expected, line.bin) for line in po100.lines} == {
        ("MUG-CER-350", 24, "RECV-01"), ("SOAP-LAV-100", 48, None)}

    again = cli("import", "purchase-orders", path, *MANAGER, "--db", url)
    assert again.stdout.splitlines()[-1] == "imported 0, updated 0, rejected 4"

    changed = GOOD.replace("TEA-EARL-100;40", "TEA-EARL-100;60")
    cli("receive", "close", "PO-100", *PACKER, "--db", url)  # nothing scanned: refused, stays open
    _receive_and_close(db, url, "PO-100")
    changed = changed.replace("MUG-CER-350;24", "MUG-CER-350;99")
    updated = cli("import", "purchase-orders", _write(tmp_path, "po2.csv", changed), *MANAGER, "--db", url)
    lines = updated.stdout.splitlines()
    assert lines[-1] == "imported 0, updated 1, rejected 4", updated.stdout
    assert ("line 2 (PO-100): warning: purchase order PO-100 is already received: it was left as it is (a closed "
            "purchase order is never changed by an import)") in lines
    assert {line.sku: line.expected for line in receiving.show("PO-200").lines} == {"TEA-EARL-100": 60}
    assert {line.sku: line.expected for line in receiving.show("PO-100").lines}["MUG-CER-350"] == 24


def _receive_and_close(db: Database, url: str, number: str) -> None:
    case, per_case = case_barcode(db, "MUG-CER-350")
    scanned = cli("receive", "scan", number, case, case, "RECV-01", unit_barcode(db, "SOAP-LAV-100"), *PACKER,
                  "--db", url)
    assert scanned.returncode == 0, scanned.stderr
    assert scanned.stdout.count("✓") == 3 and "Bin RECV-01: the next items go there." in scanned.stdout
    closed = cli("receive", "close", number, *PACKER, "--db", url)
    assert closed.returncode == 0, closed.stderr
    assert "under: SOAP-LAV-100 -47 (1 received, 48 expected)" in closed.stdout
    assert "over:" not in closed.stdout
    assert on_hand(db, "MUG-CER-350", "RECV-01") == 2 * per_case


def test_receive_commands_end_to_end(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    created = cli("receive", "po-create", "--supplier", "Acme", "--line", "MUG-CER-350:3", "--line",
                  "TEA-EARL-100:1", "--number", "PO-9", *MANAGER, "--db", url)
    assert created.returncode == 0 and "Purchase order PO-9 created (2 lines)." in created.stdout, created.stderr
    denied = cli("receive", "po-create", "--supplier", "Acme", "--line", "MUG-CER-350:3", *PACKER, "--db", url)
    assert denied.returncode == 1 and denied.stderr.startswith("error: ")
    bad_line = cli("receive", "po-create", "--supplier", "Acme", "--line", "MUG:x", *MANAGER, "--db", url)
    assert bad_line.returncode == 2 and "SKU:QUANTITY" in bad_line.stderr
    started = cli("receive", "start", "--po", "PO-9", "--bin", "A-03-1", *PACKER, "--db", url)
    assert started.returncode == 0 and "Receiving PO-9 from Acme into A-03-1." in started.stdout, started.stderr
    mug, tea = unit_barcode(db, "MUG-CER-350"), unit_barcode(db, "TEA-EARL-100")
    waiting = cli("receive", "scan", "PO-9", mug, tea, "LOT-CLI", *PACKER, "--db", url)
    assert waiting.returncode == 1 and "was waiting for its expiry" in waiting.stderr
    assert "Scan or type the expiry of Earl Grey Loose Tea 100 g lot LOT-CLI" in waiting.stdout
    scanned = cli("receive", "scan", "PO-9", "--bin", "A-04-1", tea, "LOT-CLI", "2027-01-31", "NOPE", mug,
                  *PACKER, "--db", url)
    assert scanned.returncode == 1 and "refused: Unknown code 'NOPE'" in scanned.stderr
    assert "1 scan refused (see above); the others were recorded." in scanned.stderr
    undone = cli("receive", "undo", "PO-9", *PACKER, "--db", url)
    assert undone.returncode == 0 and "Undone: 1 unit of MUG-CER-350 into A-04-1." in undone.stdout
    shown = json.loads(cli("receive", "show", "PO-9", "--json", "--db", url).stdout)
    assert {line["sku"]: (line["expected"], line["received"], line["difference"]) for line in shown["lines"]} == {
        "MUG-CER-350": (3, 1, -2), "TEA-EARL-100": (1, 1, 0)}
    closed = cli("receive", "close", "PO-9", *PACKER, "--db", url)
    assert closed.returncode == 0 and "under: MUG-CER-350 -2 (1 received, 3 expected)" in closed.stdout
    twice = cli("receive", "close", "PO-9", *PACKER, "--db", url)
    assert twice.returncode == 1 and "error: Receipt PO-9 was closed by" in twice.stderr
    assert on_hand(db, "MUG-CER-350", "A-03-1") == 1
    assert on_hand(db, "TEA-EARL-100", "A-04-1", "LOT-CLI") == 1
    listed = cli("receive", "list", "--db", url).stdout
    assert "PO-9" in listed and "received" in listed
    other = cli("receive", "po-create", "--supplier", "Beans & Co", "--line", "COF-ESP-250:12", *MANAGER, "--db", url)
    assert "Purchase order PO-10 created (1 line)." in other.stdout, other.stderr  # after PO-9
    relined = cli("receive", "po-lines", "PO-10", "--line", "COF-ESP-250:6", "--line", "MUG-CER-350:2:A-03-1",
                  *MANAGER, "--db", url)
    assert relined.returncode == 0 and "Purchase order PO-10 now expects 2 lines." in relined.stdout
    shown_text = cli("receive", "show", "PO-10", "--db", url).stdout
    assert "PO-10 (purchase order, open) from Beans & Co" in shown_text and "0 of 6" in shown_text
    dropped = cli("receive", "po-cancel", "PO-10", "--reason", "not needed", *MANAGER, "--db", url)
    assert dropped.returncode == 0 and "Purchase order PO-10 cancelled (0 scans dropped)." in dropped.stdout
    adhoc = cli("receive", "start", "--supplier", "Walk-in", *PACKER, "--db", url)
    assert "Receiving RCV-1 from Walk-in." in adhoc.stdout
    cancelled = cli("receive", "cancel", "RCV-1", "--reason", "test", *PACKER, "--db", url)
    assert cancelled.returncode == 0 and "Receipt RCV-1 cancelled (0 scans dropped)." in cancelled.stdout
    assert json.loads(cli("receive", "list", "--open", "--json", "--db", url).stdout) == []


def test_a_quantity_in_non_ascii_digits_is_a_rejected_row_not_a_crash(seeded_database: Database) -> None:
    """'²' is a digit to ``str.isdigit()`` but not to ``int()``: the import ended in
    'error: unexpected ValueError' (exit 70) instead of rejecting the row."""
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    table = read_csv_bytes("po_number,supplier,sku,quantity\nPO-SUP,Acme,MUG-CER-350,²\nPO-OK,Acme,MUG-CER-350,3\n"
                           .encode())
    report = app.receiving.import_purchase_orders(manager, table)
    assert report.summary() == "imported 1, updated 0, rejected 1"
    assert "the quantity '²' is not a whole number" in report.problems[0].reason


def test_quantities_as_spreadsheets_write_them_are_read(seeded_database: Database) -> None:
    """Excel with a number format writes ``1,000``; LibreOffice and others may write ``24.0``:
    the product import read those, the PO import rejected the rows."""
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    table = read_csv_bytes(b'po_number,supplier,sku,quantity\nPO-XL,Acme,MUG-CER-350,"1,000"\n'
                           b"PO-XL,Acme,SOAP-LAV-100,24.0\nPO-BAD,Acme,MUG-CER-350,2.5\n")
    report = app.receiving.import_purchase_orders(manager, table)
    assert report.summary() == "imported 1, updated 0, rejected 1"
    assert {line.sku: line.expected for line in app.receiving.show("PO-XL").lines} == {
        "MUG-CER-350": 1000, "SOAP-LAV-100": 24}
