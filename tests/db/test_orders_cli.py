"""``fulfilstation orders hold|release|cancel|set-address|search|history`` as people run
them (real processes, SQLite and PostgreSQL): a change needs a manager's or owner's
sign-in (none: exit 2; a packer: exit 1), a refusal prints ``error: <what to do>`` with exit
1, and neither changes anything; ``--json`` has the documented keys."""

from __future__ import annotations

import json

from fulfilstation.db.database import Database
from tests.db.test_cli import cli, plain
from tests.support.orders import MUG_AND_SOAP, state_of
from tests.support.warehouse import make_order

SUMMARY_KEYS = {"number", "status", "hold", "hold_reason", "customer", "ship_by", "late", "carrier", "service",
                "service_name", "lines", "units", "tracking", "backorder"}
DETAIL_KEYS = {"summary", "channel", "external_id", "ship_to", "deliver_by", "ordered_at", "gift_message",
               "total_minor", "currency", "lines", "reservations", "scans", "shipments", "holds", "history",
               "problems", "unmatched", "original_ship_to", "customer_note", "split"}
MANAGER = ["--manager", "manager", "--pin", "2222"]


def test_hold_release_and_cancel_need_a_manager_and_say_what_they_did(seeded_database: Database) -> None:
    db = seeded_database
    url = ["--db", plain(db.engine.url)]
    number = make_order(db, MUG_AND_SOAP)
    before = state_of(db, number)
    anonymous = cli("orders", "hold", number, "--reason", "Check the address", *url)
    assert anonymous.returncode == 2 and "sign in with --user NAME and --pin PIN" in anonymous.stderr
    packer = cli("orders", "hold", number, "--reason", "Check the address", "--user", "packer", "--pin", "1111", *url)
    assert packer.returncode == 1
    assert packer.stderr.startswith("error: Pat Packer is a packer: only a manager or an owner can hold")
    no_reason = cli("orders", "hold", number, *MANAGER, *url)
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    assert state_of(db, number) == before

    held = cli("orders", "hold", number, "--reason", "Check the address", *MANAGER, *url)
    assert held.returncode == 0, held.stderr
    assert held.stdout == f"Order {number} is on hold: Check the address.\n"
    again = cli("orders", "hold", number, "--reason", "Other", *MANAGER, *url)
    assert again.returncode == 1 and "is already on hold by Morgan Manager" in again.stderr
    released = cli("orders", "release", number, "--user", "owner", *url, env={"FULFIL_PIN": "3333"})
    assert released.returncode == 0, released.stderr
    assert released.stdout == f"Order {number} is released: stations can pack it.\n"

    cancelled = cli("orders", "cancel", number, "--reason", "Customer cancelled", *MANAGER, *url)
    assert cancelled.returncode == 0, cancelled.stderr
    out = cancelled.stdout.splitlines()
    assert out[0] == f"Order {number} is cancelled; 3 reserved units released in 2 bins."
    assert [line.split()[2] for line in out[1:]] == ["MUG-CER-350", "SOAP-LAV-100"]
    twice = cli("orders", "cancel", number, "--reason", "Customer cancelled", *MANAGER, *url)
    assert (twice.returncode, twice.stderr) == (1, f"error: Order {number} is already cancelled.\n")


def test_set_address_is_checked_and_saved(seeded_database: Database) -> None:
    db = seeded_database
    url = ["--db", plain(db.engine.url)]
    number = make_order(db, MUG_AND_SOAP)
    address = ["--name", "Robin Example", "--line1", "22 Elm Street", "--city", "Columbus", "--postal-code", "43215",
               "--country", "us"]
    before = state_of(db, number)
    refused = cli("orders", "set-address", number, *address, *MANAGER, *url)
    assert (refused.returncode, refused.stderr) == (1, "error: A US address needs its two-letter state as its region "
                                                       "(OH, CA, NY …).\n")
    assert state_of(db, number) == before
    saved = cli("orders", "set-address", number, *address, "--region", "oh", "--line2", "Apt 4", "--phone",
                "+1 614 555 0100", *MANAGER, *url)
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout == (f"Order {number} ships to: Robin Example, 22 Elm Street, Apt 4, Columbus, OH, 43215, US, "
                            "+1 614 555 0100\n")
    history = cli("orders", "history", number, *url)
    assert history.returncode == 0, history.stderr
    assert "  Ship to: Robin Example, 22 Elm Street, Apt 4, Columbus, OH, 43215, US, +1 614 555 0100" in history.stdout
    assert ("Ship-to address changed to Robin Example, 22 Elm Street, Apt 4, Columbus, OH, 43215, US (was Test "
            "Person, 1 Test St, Springfield, IL, 62704, US)") in history.stdout


def test_search_and_history_print_text_and_json(seeded_database: Database) -> None:
    db = seeded_database
    url = ["--db", plain(db.engine.url)]
    number = make_order(db, MUG_AND_SOAP, hold="Payment under review")
    found = cli("orders", "search", number, *url)
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith(f"{number:<12} ready") and "ON HOLD: Payment under review" in found.stdout
    rows = json.loads(cli("orders", "search", "SOAP-LAV", "--held", "--json", *url).stdout)
    assert number in [row["number"] for row in rows] and all(row["hold"] for row in rows)
    assert set(rows[0]) == SUMMARY_KEYS
    assert json.loads(cli("orders", "search", number, "--status", "shipped", "--json", *url).stdout) == []
    assert cli("orders", "search", "nothing like it", *url).stdout == "No order matches.\n"

    detail = json.loads(cli("orders", "history", number, "--json", *url).stdout)
    assert set(detail) == DETAIL_KEYS and set(detail["summary"]) == SUMMARY_KEYS
    assert [line["sku"] for line in detail["lines"]] == ["MUG-CER-350", "SOAP-LAV-100"]
    assert set(detail["lines"][0]) == {"line_no", "sku", "name", "ordered", "packed", "shipped", "is_kit", "part_of"}
    assert set(detail["reservations"][0]) == {"sku", "bin", "lot", "quantity"}
    assert detail["holds"] == [{"held_at": None, "held_by": None, "reason": "Payment under review",
                                "released_at": None, "released_by": None, "release_reason": None}]
    assert detail["ship_to"]["region"] == "IL" and detail["history"] == []
    text = cli("orders", "history", number, *url).stdout
    assert text.splitlines()[0] == f"Order {number} (ready, ON HOLD: Payment under review)"
    assert "Holds:\n  - came in held: Payment under review — still on hold" in text
    missing = cli("orders", "history", "NOPE-1", *url)
    assert missing.returncode == 1 and missing.stderr.startswith("error: There is no order 'NOPE-1'")
