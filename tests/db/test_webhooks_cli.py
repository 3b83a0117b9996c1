"""``fulfilstation serve-webhooks`` as a real process, on both databases: it signs in, says
where it listens, answers a ping and refuses a bad signature, and stops on Ctrl+C without a
traceback."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from fulfilstation.db.database import Database
from fulfilstation.db.models import SalesChannel
from fulfilstation.integrations.signatures import sign
from tests.db.test_cli import cli, plain

ROOT = Path(__file__).resolve().parents[2]
SECRET = "woo-webhook-secret"


def post(port: int, path: str, body: bytes, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("POST", path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_serve_webhooks_listens_verifies_and_stops_cleanly(seeded_database: Database) -> None:
    with seeded_database.unit_of_work() as session:
        session.add(SalesChannel(name="woo", kind="woocommerce"))
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "tests.support.easypost_stub.StubKeyring",
           "FULFIL_STUB_KEYRING": json.dumps({"channel:woo:webhook": SECRET}), "FULFIL_PIN": "2222",
           "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "serve-webhooks", "--listen", "127.0.0.1:0",
                                "--user", "manager", "--db", plain(seeded_database.engine.url)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                               env=env)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/webhooks/shopify/CHANNEL", first)
        assert found, (first, process.stderr.read() if process.poll() is not None and process.stderr else "")
        assert "as manager" in first
        port = int(found.group(1))
        assert post(port, "/webhooks/woocommerce/woo", b"webhook_id=3", {}) == 200
        body = b'{"id": 1}'
        assert post(port, "/webhooks/woocommerce/woo", body, {"X-WC-Webhook-Signature": sign("guess", body)}) == 401
        assert post(port, "/webhooks/woocommerce/nope", body, {"X-WC-Webhook-Signature": sign(SECRET, body)}) == 404
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err


def test_serve_webhooks_needs_a_sign_in_and_a_listen_address(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    unsigned = cli("serve-webhooks", "--listen", "127.0.0.1:0", "--db", url)
    assert unsigned.returncode == 2 and "sign in" in unsigned.stderr
    bad = cli("serve-webhooks", "--listen", "here", "--user", "manager", "--pin", "2222", "--db", url)
    assert bad.returncode == 2 and "is not HOST:PORT" in bad.stderr
    packer = cli("serve-webhooks", "--listen", "127.0.0.1:0", "--user", "packer", "--pin", "1111", "--db", url)
    assert packer.returncode == 1 and "only a manager or an owner" in packer.stderr
