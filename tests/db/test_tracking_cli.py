"""``fulfilstation tracking poll/show/problems`` and the tracking pass of ``fulfilstation
sync --once``, as real processes against the EasyPost stub (the key reaches them through
the stub's keyring backend), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

from fulfilstation.db.database import Database
from tests.db.test_cli import cli, plain
from tests.support.easypost_account import KEY, KEYRING_NAME, add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.tracking import iso, shipment_made

MANAGER = ("--user", "manager", "--pin", "2222")
STUB_KEYRING = {"PYTHON_KEYRING_BACKEND": "tests.support.easypost_stub.StubKeyring",
                "FULFIL_STUB_KEYRING": json.dumps({KEYRING_NAME: KEY})}


def test_poll_show_and_problems(seeded_database: Database, stub: EasyPostStub) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    now = dt.datetime.now(dt.UTC)
    account = add_easypost_account(db, stub)
    promised = (now - dt.timedelta(days=3)).date()
    _id, delivered = shipment_made(db, account, now - dt.timedelta(days=2), deliver_by=promised)
    stub.scan(delivered, "in_transit", iso(now - dt.timedelta(days=2)), city="Chicago", state="IL")
    stub.scan(delivered, "delivered", iso(now - dt.timedelta(days=1)), message="Delivered, Front Door")
    _stalled_id, stalled = shipment_made(db, account, now - dt.timedelta(days=5))
    stub.scan(stalled, "in_transit", iso(now - dt.timedelta(days=4)))

    polled = cli("tracking", "poll", *MANAGER, *url, env=STUB_KEYRING)
    assert polled.returncode == 0, polled.stderr
    assert polled.stdout.strip() == "tracking: 2 asked, 3 new events, 2 updated, 1 delivered"
    again = cli("tracking", "poll", *MANAGER, *url, env=STUB_KEYRING)
    assert again.returncode == 0 and again.stdout.strip() == "tracking: nothing due"

    shown = cli("tracking", "show", delivered, "--json", *url)
    assert shown.returncode == 0, shown.stderr
    found = json.loads(shown.stdout)
    assert found["state"] == "delivered" and found["delivered_at"].startswith(iso(now - dt.timedelta(days=1))[:10])
    assert [e["description"] for e in found["events"]] == ["Delivered, Front Door", "In transit"]
    assert found["events"][1]["location"] == "Chicago, IL"
    words = cli("tracking", "show", delivered, *url)
    assert words.returncode == 0 and "Delivered, Front Door" in words.stdout and "(Chicago, IL)" in words.stdout

    problems = cli("tracking", "problems", *url)
    assert problems.returncode == 1, problems.stderr
    assert f"Delivered after the promised day: {delivered}" in problems.stdout
    assert f"No carrier movement for 3 days: {stalled}" in problems.stdout
    unknown = cli("tracking", "show", "NOPE123", *url)
    assert unknown.returncode == 1 and "No shipment has the tracking number NOPE123" in unknown.stderr


def test_sync_once_ends_with_a_tracking_pass_and_says_a_carrier_failure(seeded_database: Database,
                                                                        stub: EasyPostStub) -> None:
    db = seeded_database
    url = ("--db", plain(db.engine.url))
    now = dt.datetime.now(dt.UTC)
    account = add_easypost_account(db, stub)
    _id, number = shipment_made(db, account, now - dt.timedelta(hours=6))
    stub.scan(number, "in_transit", iso(now - dt.timedelta(hours=1)))
    stub.fail("tracker", 503, "SERVICE_UNAVAILABLE", "Service unavailable")
    failed = cli("sync", "--once", *MANAGER, *url, env=STUB_KEYRING)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "tracking: 1 asked, 0 new events" in failed.stdout and "tracking EasyPost demo: EasyPost" in failed.stdout

    denied = cli("tracking", "poll", "--user", "packer", "--pin", "1111", *url, env=STUB_KEYRING)
    assert denied.returncode == 1 and "Traceback" not in denied.stderr
