"""``fulfilstation orders reserve`` as people run it (real processes, SQLite and PostgreSQL):
it signs in (none: exit 2; a packer: exit 1, nothing reserved), prints one line per order —
ready, short (which SKU by how many) or skipped — and a count; ``--json`` gives the outcomes;
``orders show`` then lists the kit with its components."""

from __future__ import annotations

import json

from fulfilstation.db.database import Database
from tests.db.test_cli import cli, plain
from tests.support.kits import make_kit, new_product, pending_order, put_stock, status_of

MANAGER = ["--manager", "manager", "--pin", "2222"]


def test_orders_reserve_prints_each_order_and_signs_in(seeded_database: Database) -> None:
    db = seeded_database
    url = ["--db", plain(db.engine.url)]
    new_product(db, "CLI-A")
    put_stock(db, "CLI-A", "E-09-1", 3)
    make_kit(db, "CLI-KIT", [("CLI-A", 1), ("SOAP-OAT-100", 2)])
    kit_order = pending_order(db, [("CLI-KIT", 2)])
    short = pending_order(db, [("CLI-A", 2)])

    usage = cli("orders", "reserve", *MANAGER, *url)
    assert usage.returncode == 2 and "name the orders to reserve, or --all" in usage.stderr
    anonymous = cli("orders", "reserve", kit_order, *url)
    assert anonymous.returncode == 2 and "sign in with --user NAME and --pin PIN" in anonymous.stderr
    packer = cli("orders", "reserve", kit_order, "--user", "packer", "--pin", "1111", *url)
    assert packer.returncode == 1 and packer.stderr.startswith("error: Pat Packer is a packer: only a manager")
    assert status_of(db, kit_order) == "pending"

    done = cli("orders", "reserve", kit_order, short, *MANAGER, *url)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"{kit_order:<12} ready    6 units reserved (kit CLI-KIT ×2: 2 × CLI-A, 4 × SOAP-OAT-100)",
        f"{short:<12} short    nothing reserved, still pending: CLI-A short by 1 (needs 2, 1 available)",
        "1 order ready, 1 short, 0 skipped."]
    again = cli("orders", "reserve", kit_order, "--json", *MANAGER, *url)
    assert again.returncode == 0, again.stderr
    (outcome,) = json.loads(again.stdout)
    assert set(outcome) == {"order", "result", "status", "reserved", "short", "kits", "message"}
    assert (outcome["result"], outcome["status"]) == ("skipped", "ready")
    shown = cli("orders", "show", kit_order, *url)
    assert shown.returncode == 0, shown.stderr
    rows = [line for line in shown.stdout.splitlines() if "×" in line]
    assert rows[0].split()[:3] == ["2", "×", "CLI-KIT"] and "(kit: its components are packed)" in rows[0]
    assert rows[1].split()[:4] == ["↳", "2", "×", "CLI-A"] and rows[2].split()[:4] == ["↳", "4", "×", "SOAP-OAT-100"]
    as_json = json.loads(cli("orders", "show", kit_order, "--json", *url).stdout)
    assert [(line["sku"], line["is_kit"], line["kit_line"]) for line in as_json["lines"]] == [
        ("CLI-KIT", True, None), ("CLI-A", False, 1), ("SOAP-OAT-100", False, 1)]
    everything = cli("orders", "reserve", "--all", *MANAGER, *url)
    assert everything.returncode == 0, everything.stderr
    assert everything.stdout.splitlines()[-1].endswith("0 skipped.")
    assert status_of(db, short) == "pending"
