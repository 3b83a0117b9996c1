"""``fulfilstation integrations …`` and ``fulfilstation sync`` (real processes, both engines):
problems listed in words and JSON with exit 1, a retry queues again, channels added and
listed, a round of sync run once, the sync loop ended by Ctrl+C, a refusal said in one line."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, OutboxMessage
from tests.db.test_cli import ROOT, cli, plain

OWNER = ("--user", "owner", "--pin", "3333")
MANAGER = ("--user", "manager", "--pin", "2222")


def test_channels_problems_retry_and_sync_once(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    added = cli("integrations", "add-channel", "csv-in", "--kind", "file", "--db", url, *OWNER)
    assert added.returncode == 0, added.stderr
    assert added.stdout == "Channel csv-in (file) added.\n"
    refused = cli("integrations", "add-channel", "web", "--kind", "shopify", "--db", url, *OWNER)
    assert refused.returncode == 1 and refused.stderr.startswith("error: A shop channel needs its address")
    assert "Traceback" not in refused.stderr
    listed = json.loads(cli("integrations", "channels", "--json", "--db", url).stdout)
    assert [(c["name"], c["kind"], c["active"]) for c in listed] == [("csv-in", "file", True)]

    clean = cli("integrations", "problems", "--db", url)
    assert clean.returncode == 0 and clean.stdout == "No integration problems.\n"
    with db.unit_of_work() as session:
        failed = OutboxMessage(topic="shipment.created", dedup_key="shipment.created:cli", channel="csv-in",
                               payload={}, status="failed", attempts=8, last_error="The shop answered 500")
        session.add(failed)
        session.flush()
        message_id = failed.id
    words = cli("integrations", "problems", "--db", url)
    assert words.returncode == 1
    assert f"#{message_id}  csv-in  shipment.created  order -  8 attempts: The shop answered 500" in words.stdout
    shown = json.loads(cli("integrations", "problems", "--json", "--db", url).stdout)
    assert shown["failed"][0]["id"] == message_id and shown["late"] == []

    retried = cli("integrations", "retry", str(message_id), "--db", url, *MANAGER)
    assert retried.returncode == 0, retried.stderr
    again = cli("integrations", "retry", str(message_id), "--db", url, *MANAGER)
    assert again.returncode == 1 and "not failed" in again.stderr
    packer = cli("integrations", "retry", str(message_id), "--db", url, "--user", "packer", "--pin", "1111")
    assert packer.returncode == 1
    with db.unit_of_work() as session:
        assert session.get(OutboxMessage, message_id).status == "pending"  # type: ignore[union-attr]
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "outbox.retried")).all() == \
            ["outbox.retried"]

    once = cli("sync", "--once", "--db", url, *MANAGER)
    assert once.returncode == 0, once.stderr
    assert "outbox: 0 delivered" in once.stdout
    buffer = cli("integrations", "set-buffer", "3", "--db", url, *OWNER)
    assert buffer.returncode == 0 and "3 units of each product" in buffer.stdout
    bad = cli("integrations", "set-buffer", "lots", "--db", url, *OWNER)
    assert bad.returncode == 2 and "whole number" in bad.stderr


def test_sync_runs_until_ctrl_c_and_ends_cleanly(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "sync", "--db", url, *MANAGER],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # the first round is done: the loop waits for the next one
        assert "outbox: 0 delivered" in first
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0 and err.strip().endswith("sync stopped.") and "Traceback" not in err


def test_a_channel_set_up_wrong_is_fixed_with_edit_channel(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    added = cli("integrations", "add-channel", "web", "--kind", "shopify", "--url", "https://wrong.myshopify.com",
                "--db", url, *OWNER)
    assert added.returncode == 0, added.stderr
    assert "set-secret web token" in added.stdout  # says which secret a Shopify channel needs
    edited = cli("integrations", "edit-channel", "web", "--url", "https://right.myshopify.com", "--location",
                 "gid://shopify/Location/7", "--no-notify-customer", "--db", url, *OWNER)
    assert edited.returncode == 0, edited.stderr
    listed = json.loads(cli("integrations", "channels", "--json", "--db", url).stdout)
    (web,) = [c for c in listed if c["name"] == "web"]
    assert web["base_url"] == "https://right.myshopify.com" and web["location_id"] == "gid://shopify/Location/7"
    assert web["settings"]["notify_customer"] is False
    manager = cli("integrations", "edit-channel", "web", "--url", "https://x.myshopify.com", "--db", url, *MANAGER)
    assert manager.returncode == 1 and "owner" in manager.stderr and "Traceback" not in manager.stderr
