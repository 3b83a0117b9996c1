"""Security (issue #15 point 3): secrets never reach a config file, a log, printed output, an
exception's message or the database — on SQLite and PostgreSQL.

Distinctive secrets are set the ways people set them: the database password (``db set-url``
with the password in the URL, a CLI subprocess sharing a file keyring), an EasyPost API key,
a Shopify access token, WooCommerce's consumer key and secret, both channels' webhook secrets,
a user's PIN and badge code. The house is then driven through its use cases against the
local stubs: a sync of both shops, a pack and ship that buys an EasyPost label, sign-ins by
PIN and badge; and errors are provoked — a wrong PIN, shops and EasyPost answering 401 to a
wrong key (the wrong keys are secrets too), a CLI command that cannot reach the database.

Then every file under the config, data and documents folders, every log record (DEBUG and
up), everything printed (this process's and the subprocesses'), every refusal's and
error's message, and a dump of every table in ``Base.metadata`` are searched for each
secret as text, as hex and as base64 (and the Basic-auth form of the WooCommerce pair).
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from collections.abc import Iterable
from pathlib import Path

import pytest
from sqlalchemy import select

from fulfilstation.credentials import SecretStore
from fulfilstation.db.base import Base
from fulfilstation.db.database import Database
from fulfilstation.services.app import AppServices
from fulfilstation.services.integrations import ChannelFields
from fulfilstation.services.packing import Weighing
from fulfilstation.services.refused import Refused
from fulfilstation.services.users import SignInRefused
from tests.db.test_cli import cli
from tests.support.app import app_for, sign_in
from tests.support.easypost_account import KEYRING_NAME, add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.file_keyring import BACKEND, ENV
from tests.support.shopify_stub import ShopifyStub
from tests.support.warehouse import expected_weight, make_order, unit_barcode
from tests.support.woocommerce_stub import WooCommerceStub

SECRETS = {
    "database password": "dbpw-Zq81-leakcheck",
    "easypost key": "EZAK-leakcheck-6b0f3e",
    "easypost wrong key": "EZAK-wrong-leakcheck-91aa",
    "shopify token": "shpat_leakcheck_4c2d9e",
    "shopify wrong token": "shpat_wrong_leakcheck_77",
    "shopify webhook": "whsec-shop-leakcheck-3f",
    "woo key": "ck_leakcheck_a91b",
    "woo secret": "cs_leakcheck_0d7e",
    "woo webhook": "whsec-woo-leakcheck-8c",
    "pin": "804417392615",
    "badge": "BDG-Q7x9-leakcheck",
}


def forms(secret: str) -> dict[str, bytes]:
    raw = secret.encode()
    return {"text": raw, "hex": binascii.hexlify(raw), "HEX": binascii.hexlify(raw).upper(),
            "base64": base64.b64encode(raw).rstrip(b"="), "base64url": base64.urlsafe_b64encode(raw).rstrip(b"=")}


def needles() -> dict[str, bytes]:
    found = {f"{name} ({form})": value for name, secret in SECRETS.items() for form, value in forms(secret).items()}
    pair = f"{SECRETS['woo key']}:{SECRETS['woo secret']}".encode()
    found["woo basic auth"] = base64.b64encode(pair).rstrip(b"=")
    return found


def leaks(where: str, content: bytes | str) -> list[str]:
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return [f"{name} in {where}" for name, needle in needles().items() if needle in data]


def table_dump(database: Database) -> Iterable[tuple[str, str]]:
    with database.unit_of_work() as session:
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table)).all()
            yield table.name, "\n".join(repr(tuple(row)) + " " + " ".join(
                value.hex() for value in row if isinstance(value, bytes | memoryview)) for row in rows)


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The keyring of the CLI subprocesses: a file outside the folders searched (it IS the keyring)."""
    path = tmp_path / "keyring-under-test.json"
    monkeypatch.setenv(ENV, str(path))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", BACKEND)
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    return path


def drive_shops(app: AppServices, messages: list[str]) -> None:
    owner, manager = sign_in(app, "owner"), sign_in(app, "manager")
    with ShopifyStub(token=SECRETS["shopify token"]) as shop, \
            WooCommerceStub(key=SECRETS["woo key"], secret=SECRETS["woo secret"]) as woo:
        shop.add_order((("MUG-CER-350", 1, "12.00"),))
        woo.add_order(lines=[("SOAP-LAV-100", 2, "6.50")])
        app.integrations.add_channel(owner, ChannelFields("leak-shop", "shopify", shop.base_url, location_id="1"))
        app.integrations.add_channel(owner, ChannelFields("leak-woo", "woocommerce", woo.base_url))
        for channel, key, name in [("leak-shop", "token", "shopify token"), ("leak-shop", "webhook", "shopify webhook"),
                                   ("leak-woo", "key", "woo key"), ("leak-woo", "secret", "woo secret"),
                                   ("leak-woo", "webhook", "woo webhook")]:
            app.integrations.set_secret(owner, channel, key, SECRETS[name])
        synced = app.integrations.sync(manager)
        messages.extend(str(result) for result in synced)
        assert all(result.error is None for result in synced), synced
        # a wrong token: the shop answers 401, the round keeps its error
        app.integrations.set_secret(owner, "leak-shop", "token", SECRETS["shopify wrong token"])
        woo.fail("orders", 401, code="woocommerce_rest_cannot_view",
                 message=f"Sorry, you cannot list resources with {SECRETS['woo key']}.")  # a shop echoing the key
        failed = app.integrations.run_round(manager)
        messages.extend([str(failed), *failed.errors])
        assert len(failed.errors) >= 2, failed.errors  # both syncs (and the shop's pushes)
        messages.extend(str(view) for view in app.integrations.channels())
        messages.append(str(app.integrations.problems()))


def drive_users(app: AppServices, messages: list[str]) -> None:
    owner = sign_in(app, "owner")
    app.users.set_pin(owner, "packer", SECRETS["pin"])
    app.users.set_badge(owner, "packer", SECRETS["badge"])
    messages.extend(str(user) for user in app.users.list())
    assert app.users.sign_in_with_pin("packer", SECRETS["pin"]).username == "packer"
    assert app.users.sign_in_with_badge(SECRETS["badge"]).username == "packer"
    with pytest.raises(SignInRefused) as wrong:
        app.users.sign_in_with_pin("packer", SECRETS["pin"][::-1])
    messages.append(str(wrong.value))


def drive_easypost(database: Database, messages: list[str]) -> None:
    with EasyPostStub(api_key=SECRETS["easypost key"]) as stub:
        add_easypost_account(database, stub, price_minor=1, default=True)
        SecretStore().set(KEYRING_NAME, SECRETS["easypost key"])
        app = app_for(database, station="PACK-LEAK")
        packer = sign_in(app, "packer2", "PACK-LEAK")  # packer's PIN is the secret one now
        for key in ("easypost key", "easypost wrong key"):
            SecretStore().set(KEYRING_NAME, SECRETS[key])
            number = make_order(database, [("MUG-CER-350", 1)])
            session_id = app.packing.start(packer, number).session_id
            assert app.packing.scan(packer, session_id, unit_barcode(database, "MUG-CER-350")).accepted
            try:
                outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(database, session_id)))
            except Refused as refused:
                messages.append(str(refused))
            else:
                messages.append(repr(outcome))
        assert stub.purchases >= 1  # the right key bought a label


@pytest.mark.usefixtures("file_keyring")
def test_no_secret_is_written_logged_printed_or_stored(seeded_database: Database, tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    caplog.set_level(logging.DEBUG)
    messages: list[str] = []
    app = app_for(seeded_database)
    drive_users(app, messages)
    drive_shops(app, messages)
    drive_easypost(seeded_database, messages)

    # the database password, set as people set it, and a command that then cannot connect
    url = f"postgresql://leak_user:{SECRETS['database password']}@127.0.0.1:5432/leak_db_absent"
    printed = [cli("db", "set-url", url), cli("orders", "list"), cli("db", "status")]
    assert printed[0].returncode == 0, printed[0].stderr
    assert any(result.returncode != 0 for result in printed[1:]), [r.stdout for r in printed]
    keyring_text = Path(os.environ[ENV]).read_text()
    assert SECRETS["database password"] in keyring_text  # it went where it belongs

    found: list[str] = []
    for result in printed:
        found += leaks(f"`{' '.join(map(str, result.args[2:]))}` output", result.stdout + result.stderr)
    out = capsys.readouterr()
    found += leaks("this process's output", out.out + out.err)
    found += leaks("the log", "\n".join(f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records))
    found += leaks("messages and errors", "\n".join(messages))
    searched = 0
    for folder in ("config", "data", "documents"):
        for path in sorted((tmp_path / folder).rglob("*")):
            if path.is_file():
                searched += 1
                found += leaks(str(path.relative_to(tmp_path)), path.read_bytes())
    assert searched >= 1  # station.toml at least
    tables = 0
    for name, dump in table_dump(seeded_database):
        tables += 1
        found += leaks(f"table {name}", dump)
    assert tables == len(Base.metadata.sorted_tables)
    assert found == []
    assert "EasyPost refused the API key" in messages[-1]  # the 401 was provoked, and said in words
    assert leaks("a probe", f"x{SECRETS['pin']}y") and leaks("a probe", forms(SECRETS["badge"])["hex"])
