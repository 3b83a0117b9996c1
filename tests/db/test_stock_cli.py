"""``fulfilstation stock …`` as people run it (real processes, SQLite and PostgreSQL): show,
list, moves and export read; move and adjust sign in (none: exit 2; a packer adjusting:
exit 1) and say what they did; check exits 1 and lists a level that differs from its moves;
the export has one row per product × bin × lot with the documented header."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, StockLevel
from tests.db.test_cli import cli, plain
from tests.db.test_stock_moves import MUG, TEA, empty_bins, level, snapshot
from tests.support.app import app_for

PACKER = ("--user", "packer", "--pin", "1111")
MANAGER = ("--manager", "manager", "--pin", "2222")


def test_show_move_adjust_and_the_ledger_from_a_terminal(seeded_database: Database) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    app = app_for(db)
    tea = level(app, TEA)
    (target,) = empty_bins(db)
    shown = cli("stock", "show", TEA, "--json", *url)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["sku"] == TEA and data["lot_tracked"] and data["on_hand"] == sum(
        row["on_hand"] for row in data["levels"])
    assert set(data["levels"][0]) == {"sku", "name", "bin", "zone", "bin_kind", "lot", "expiry", "on_hand",
                                      "reserved", "available"}
    assert data["recent_moves"][0]["reason"] == "receive"

    before = snapshot(db)
    anonymous = cli("stock", "move", "--sku", TEA, "--from", tea.bin, "--to", target, "--quantity", "3", *url)
    assert anonymous.returncode == 2 and "sign in with --user NAME" in anonymous.stderr
    zero = cli("stock", "move", "--sku", TEA, "--from", tea.bin, "--to", target, "--quantity", "0", *PACKER, *url)
    assert zero.returncode == 2 and "--quantity" in zero.stderr
    assert snapshot(db) == before
    moved = cli("stock", "move", "--sku", TEA, "--from", tea.bin, "--to", target, "--quantity", "3", *PACKER, *url)
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout == (f"Moved 3 units of {TEA} (lot {tea.lot}) from {tea.bin} to {target}; "
                            f"{tea.on_hand - 3} left in {tea.bin}.\n")

    mug = level(app, MUG)
    packer = cli("stock", "adjust", "--sku", MUG, "--bin", mug.bin, "--by", "-2", "--reason", "counted", *PACKER, *url)
    assert packer.returncode == 1
    assert packer.stderr.startswith("error: Pat Packer is a packer: only a manager or an owner can adjust stock")
    adjusted = cli("stock", "adjust", "--sku", MUG, "--bin", mug.bin, "--by", "-2", "--reason", "counted",
                   *MANAGER, *url)
    assert adjusted.returncode == 0, adjusted.stderr
    assert adjusted.stdout.startswith(f"{MUG} in {mug.bin} adjusted: {mug.on_hand} → {mug.on_hand - 2} on hand (-2)")
    below = cli("stock", "adjust", "--sku", MUG, "--bin", mug.bin, "--set", "0", "--reason", "counted", *MANAGER,
                *url)
    assert below.returncode == 1 and "error: " in below.stderr and "reserved for" in below.stderr

    moves = cli("stock", "moves", "--bin", target, "--json", *url)
    assert moves.returncode == 0, moves.stderr
    (entry,) = json.loads(moves.stdout)
    assert (entry["reason"], entry["quantity"], entry["from_bin"], entry["to_bin"], entry["lot"], entry["user"]) == (
        "move", 3, tea.bin, target, tea.lot, "Pat Packer")
    listed = cli("stock", "list", "--bin", target, *url)
    assert listed.returncode == 0 and TEA in listed.stdout and f"lot {tea.lot}" in listed.stdout
    unknown = cli("stock", "show", "NO-SUCH-SKU", *url)
    assert unknown.returncode == 1 and unknown.stderr.startswith("error: There is no product with SKU")


def test_check_says_the_ledger_adds_up_or_lists_what_differs(seeded_database: Database) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    good = cli("stock", "check", *url)
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("The ledger adds up:")
    mug = level(app_for(db), MUG)
    with db.unit_of_work() as session:  # one more on hand than the moves say, one more reserved than allocated
        session.execute(update(StockLevel).where(
            StockLevel.product_id == select(Product.id).where(Product.sku == MUG).scalar_subquery(),
            StockLevel.bin_id == select(Bin.id).where(Bin.code == mug.bin).scalar_subquery())
            .values(on_hand=StockLevel.on_hand + 1, reserved=StockLevel.reserved + 1))
    bad = cli("stock", "check", *url)
    assert bad.returncode == 1
    assert "1 stock level differs from the sum of their moves" in bad.stdout and f"{mug.bin}" in bad.stdout
    assert "(+1)" in bad.stdout and "1 stock level reserves a different number" in bad.stdout
    assert f"reserved {mug.reserved + 1}, allocated to orders {mug.reserved}" in bad.stdout


def test_export_writes_one_row_per_product_bin_and_lot(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    out = tmp_path / "stock.csv"
    result = cli("stock", "export", "--out", str(out), "--db", plain(db.engine.url))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "sku,bin,lot,expiry,on_hand,reserved,available" and not text.startswith("\ufeff")
    rows = list(csv.DictReader(text.splitlines()))
    levels = app_for(db).stock.levels()
    assert result.stdout == f"Wrote {len(levels)} stock levels to {out}.\n"
    assert len({(row["sku"], row["bin"], row["lot"]) for row in rows}) == len(rows) == len(levels)
    by_key = {(row["sku"], row["bin"], row["lot"]): row for row in rows}
    for level_row in levels:
        row = by_key[(level_row.sku, level_row.bin, level_row.lot)]
        assert (int(row["on_hand"]), int(row["reserved"]), int(row["available"])) == (
            level_row.on_hand, level_row.reserved, level_row.available)
        assert row["expiry"] == (level_row.expiry.isoformat() if level_row.expiry else "")
    nowhere = cli("stock", "export", "--out", str(tmp_path / "no" / "such" / "x.csv"), "--db", plain(db.engine.url))
    assert nowhere.returncode == 1 and nowhere.stderr.startswith("error: There is no folder")
