"""Lots as scripts see them (real processes, both engines): ``orders show --json`` names each
line's tracking and reserved lots; ``pack`` prints every pending prompt and says a missing
lot was missing; ``stock trace LOT`` lists the orders and shipments that received a lot."""

from __future__ import annotations

import json

from fulfilstation.db.database import Database
from tests.db.test_cli import cli, plain
from tests.support.app import app_for
from tests.support.warehouse import make_order, unit_barcode

PACKER = ("--user", "packer", "--pin", "1111")
TEA = "TEA-EARL-100"


def weight_of(db: Database, number: str) -> str:
    expected = app_for(db).orders.show(number).expected_weight_g
    assert expected is not None
    return f"{(expected['min'] + expected['max']) // 2}g"


def test_orders_show_json_names_tracking_and_reserved_lots(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    number = make_order(db, [(TEA, 2), ("MUG-CER-350", 1), ("SPK-BT-MINI", 1)])
    result = cli("orders", "show", number, "--json", "--db", url)
    assert result.returncode == 0, result.stderr
    tea, mug, speaker = json.loads(result.stdout)["lines"]
    assert (tea["tracking"], mug["tracking"], speaker["tracking"]) == ("lot", "none", "serial")
    assert mug["lots"] == [] and speaker["lots"] == []
    (lot,) = tea["lots"]
    assert set(lot) == {"lot", "expiry", "bin", "quantity"} and lot["quantity"] == 2 and lot["lot"]
    text = cli("orders", "show", number, "--db", url).stdout
    assert f"lot {lot['lot']} × 2 in bin {lot['bin']}" in text


def test_pack_prints_the_lot_prompt_and_says_the_lot_was_missing(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    number = make_order(db, [(TEA, 1), ("MUG-CER-350", 1)])
    tea, mug = unit_barcode(db, TEA), unit_barcode(db, "MUG-CER-350")
    (lot,) = app_for(db).orders.show(number).lines[0].lots
    prompt = f"Now scan the lot number of Earl Grey Loose Tea 100 g: take lot {lot.lot} from bin {lot.bin}"
    ended = cli("pack", number, "--station", "S", *PACKER, "--scan", mug, "--scan", tea,
                "--weight", weight_of(db, number), "--db", url)
    assert ended.returncode == 1 and prompt in ended.stderr
    assert "error: The scans ended while the last item was waiting for more. " + prompt in ended.stderr
    assert "Not everything is scanned" not in ended.stderr
    skipped = cli("pack", number, "--station", "S", *PACKER, "--scan", tea, "--scan", mug,
                  "--weight", weight_of(db, number), "--db", url)
    assert skipped.returncode == 1 and prompt in skipped.stderr
    assert "error: First scan the lot number of Earl Grey Loose Tea 100 g, then the next item." in skipped.stderr
    wrong = cli("pack", number, "--station", "S", *PACKER, "--scan", tea, "--scan", "NOSUCHLOT",
                "--weight", weight_of(db, number), "--db", url)
    assert wrong.returncode == 1 and "error: Lot NOSUCHLOT of Earl Grey Loose Tea 100 g is not in stock" in wrong.stderr
