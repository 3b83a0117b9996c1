"""``fulfilstation pack`` and ``orders`` as scripts use them (real processes, both engines)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, PackSession, ScanEvent, Shipment, Station
from fulfilstation.domain.gs1 import is_valid_gs1
from tests.db.test_cli import cli, plain
from tests.support.warehouse import make_order


def order_json(url: str, number: str) -> dict[str, object]:
    result = cli("orders", "show", number, "--json", "--db", url)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_orders_json_has_the_documented_keys(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    listing = json.loads(cli("orders", "list", "--status", "ready", "--json", "--db", url).stdout)
    assert len(listing) == 48 and all(not order["hold"] for order in listing)
    held = json.loads(cli("orders", "list", "--status", "held", "--json", "--db", url).stdout)
    assert len(held) == 2 and all(order["hold_reason"] for order in held)
    order = listing[0]
    assert {"number", "status", "carrier", "service", "lines", "suggested_box", "expected_weight_g"} <= set(order)
    assert set(order["expected_weight_g"]) == {"min", "max"}
    line = order["lines"][0]
    assert {"sku", "quantity", "barcodes", "unit_weight_g"} <= set(line)
    assert isinstance(line["barcodes"], list) and all(isinstance(code, str) for code in line["barcodes"])
    assert cli("orders", "show", "NOPE", "--db", url).returncode == 1


def test_pack_command_ships_with_the_documented_data(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    number = make_order(seeded_database, [("MUG-CER-350", 2), ("SOAP-LAV-100", 1)], service="courier/local")
    info = order_json(url, number)
    scans = [code for line in info["lines"] for code in [line["barcodes"][0]] * line["quantity"]]  # type: ignore[index]
    weight = (info["expected_weight_g"]["min"] + info["expected_weight_g"]["max"]) // 2  # type: ignore[index]
    args = ["pack", number, "--station", "SCRIPT-1", "--user", "packer", "--weight", f"{weight}g", "--db", url]
    for code in scans:
        args += ["--scan", code]
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    tracking = result.stdout.strip()
    assert len(tracking) == 18 and is_valid_gs1(tracking)
    shipped = order_json(url, number)
    assert shipped["status"] == "shipped" and shipped["tracking_numbers"] == [tracking]
    assert shipped["carrier"] == "courier"
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Station).where(Station.name == "SCRIPT-1")) == 1
        assert session.scalar(select(Shipment.tracking_number)) == tracking


def test_pack_command_refusal_cancels_and_keeps_only_the_scans(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    number = make_order(seeded_database, [("MUG-CER-350", 1)])
    info = order_json(url, number)
    good = info["lines"][0]["barcodes"][0]  # type: ignore[index]
    result = cli("pack", number, "--station", "SCRIPT-2", "--user", "packer", "--scan", good, "--scan", good,
                 "--weight", "1lb", "--db", url)
    assert result.returncode == 1 and "Too many Ceramic Mug" in result.stderr
    with seeded_database.unit_of_work() as session:
        assert session.scalars(select(Order.status).where(Order.number == number)).one() == "ready"
        assert session.scalars(select(PackSession.status)).all() == ["cancelled"]
        assert session.scalar(select(func.count()).select_from(ScanEvent)) == 2
        assert session.scalar(select(func.count()).select_from(Shipment)) == 0
    weight_refused = cli("pack", number, "--station", "SCRIPT-2", "--user", "packer", "--scan", good,
                         "--weight", "5kg", "--db", url)
    assert weight_refused.returncode == 1 and "heavier than expected" in weight_refused.stderr


def test_pack_command_refuses_held_orders_and_bad_weights(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    held = make_order(seeded_database, [("MUG-CER-350", 1)], hold="Fraud check")
    result = cli("pack", held, "--station", "S", "--user", "packer", "--weight", "1lb", "--db", url)
    assert result.returncode == 1 and "on hold: Fraud check" in result.stderr
    bad = cli("pack", held, "--station", "S", "--user", "packer", "--weight", "heavy", "--db", url)
    assert bad.returncode == 2 and "is not a weight" in bad.stderr
