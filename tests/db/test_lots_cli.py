"""Lots as scripts see them (real processes, both engines): ``orders show --json`` names each
line's tracking and reserved lots; ``pack`` prints every pending prompt and says a missing
lot was missing; ``stock trace LOT`` lists the orders and shipments that received a lot."""

from __future__ import annotations

import json

from fulfilstation.db.database import Database
from fulfilstation.services.packing import Weighing
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.warehouse import expected_weight, make_order, stock_lot, unit_barcode

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


def ship_with_lot(db: Database, lot: str) -> tuple[str, str | None]:
    """Pack and ship an order of one tea of ``lot`` through the use cases: (order, tracking)."""
    app = app_for(db)
    packer = sign_in(app)
    number = make_order(db, [(TEA, 1)])
    session_id = app.packing.start(packer, number).session_id
    assert app.packing.scan(packer, session_id, unit_barcode(db, TEA)).pending
    assert app.packing.scan(packer, session_id, lot).accepted
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    return number, outcome.tracking_numbers[0] if outcome.tracking_numbers else None


def test_stock_trace_lists_every_order_and_shipment_that_received_a_lot(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    stock_lot(db, TEA, "L-RECALL", 3)
    stock_lot(db, TEA, "L-FINE", 3)
    first, first_tracking = ship_with_lot(db, "L-RECALL")
    ship_with_lot(db, "L-FINE")
    second, second_tracking = ship_with_lot(db, "L-RECALL")
    waiting = make_order(db, [(TEA, 1)])
    app = app_for(db)
    packer = sign_in(app)
    session_id = app.packing.start(packer, waiting).session_id
    app.packing.scan(packer, session_id, unit_barcode(db, TEA))
    assert app.packing.scan(packer, session_id, "L-RECALL").accepted  # reserved now, not shipped
    result = cli("stock", "trace", "L-RECALL", "--json", "--db", url)
    assert result.returncode == 0, result.stderr
    trace = json.loads(result.stdout)
    assert set(trace) == {"lot", "deliveries", "in_stock", "reserved"}
    assert [(d["order"], d["tracking"], d["sku"], d["quantity"]) for d in trace["deliveries"]] == [
        (first, first_tracking, TEA, 1), (second, second_tracking, TEA, 1)]
    assert [(r["order"], r["quantity"]) for r in trace["reserved"]] == [(waiting, 1)]
    assert [(s["on_hand"], s["reserved"]) for s in trace["in_stock"]] == [(1, 1)]
    text = cli("stock", "trace", "L-RECALL", "--db", url).stdout
    assert "Lot L-RECALL: shipped to 2 orders" in text and first in text and second in text
    unknown = cli("stock", "trace", "NOSUCHLOT", "--db", url)
    assert unknown.returncode == 1 and "error: No lot 'NOSUCHLOT' was ever received" in unknown.stderr
