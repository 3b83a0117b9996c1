"""``fulfilstation carriers add-account --gateway karrio …``, ``edit-account``, ``test-account``
and ``fields`` as an owner runs them, on SQLite and PostgreSQL, in this process (so that the
test's in-memory keyring is the one used): secrets come from standard input, never argv, and
land in the keyring only; refusals exit 1 with the reason, usage errors 2."""

from __future__ import annotations

import io
import json

import pytest

from fulfilstation.cli import run
from fulfilstation.credentials import SERVICE
from fulfilstation.db.database import Database
from tests.carriers.conftest import require_extension
from tests.db.test_carriers_cli import OWNER, everything_stored
from tests.db.test_cli import plain
from tests.support.memory_keyring import MemoryKeyring
from tests.support.ups_stub import UPSStub

CLIENT_ID, CLIENT_SECRET = "cli-client-id-77aa", "cli-client-secret-99bb"
ADD_UPS = ("add-account", "--gateway", "karrio", "--carrier", "ups", "--name", "UPS main", "--account-number",
           "A1B2C3", "--setting", "test_mode=true", "--secret", "client_id", "--secret", "client_secret")


class Cli:
    def __init__(self, db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.url, self.capsys, self.monkeypatch = plain(db.engine.url), capsys, monkeypatch

    def __call__(self, *args: str, stdin: str = "", signed: bool = True) -> tuple[int, str, str]:
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        self.capsys.readouterr()
        code = run(["carriers", *args, *(OWNER if signed else ()), "--db", self.url])
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def cli(seeded_database: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(seeded_database, capsys, monkeypatch)


def secrets_in(memory: MemoryKeyring) -> dict[str, dict[str, str]]:
    return {name: json.loads(value) for (service, name), value in memory.passwords.items() if service == SERVICE}


def test_fields_print_the_carriers_schema_and_name_a_missing_extension(cli: Cli) -> None:
    code, out, _err = cli("fields", "--carrier", "ups", signed=False)
    assert code == 0
    assert "* client_secret" in out and "Client secret (secret)" in out and "  test_mode" in out
    code, out, _err = cli("fields", "--carrier", "ups", "--json", signed=False)
    fields = {f["name"]: f for f in json.loads(out)["fields"]}
    assert fields["client_id"]["secret"] and fields["client_id"]["required"] and not fields["test_mode"]["required"]
    code, out, _err = cli("fields", signed=False)
    assert code == 0 and "ups" in out and 'not installed: pip install "fulfilstation[dhl_express]"' in out
    code, _out, err = cli("fields", "--carrier", "dhl_express", signed=False)
    assert code == 1 and 'pip install "fulfilstation[dhl_express]"' in err
    code, _out, err = cli("fields", "--carrier", "nope", signed=False)
    assert code == 1 and "karrio has no carrier 'nope'" in err


def test_an_account_added_with_secrets_on_stdin_keeps_them_in_the_keyring_only(
        cli: Cli, seeded_database: Database, isolated_environment: MemoryKeyring) -> None:
    code, out, err = cli(*ADD_UPS, "--secrets-stdin", stdin=f"client_id={CLIENT_ID}\nclient_secret={CLIENT_SECRET}\n")
    assert code == 0, err
    assert "Added account ups-karrio/A1B2C3 (UPS main) through karrio (ups)" in out
    assert "client_id, client_secret" in out and "test-account ups-karrio/A1B2C3" in out
    assert CLIENT_ID not in out + err and CLIENT_SECRET not in out + err
    assert list(secrets_in(isolated_environment).values()) == [{"client_id": CLIENT_ID,
                                                                "client_secret": CLIENT_SECRET}]
    dump = everything_stored(seeded_database)
    assert CLIENT_ID not in dump and CLIENT_SECRET not in dump
    code, out, _err = cli("list", signed=False)
    assert "A1B2C3  UPS main  through karrio (ups)  secrets: stored on this computer" in out

    code, out, err = cli("edit-account", "ups-karrio/A1B2C3", "--secret", "client_secret", "--secrets-stdin",
                         "--setting", "account_country_code=US", stdin="client_secret=rotated-77\n")
    assert code == 0, err
    assert list(secrets_in(isolated_environment).values()) == [{"client_id": CLIENT_ID,
                                                                "client_secret": "rotated-77"}]
    assert "rotated-77" not in everything_stored(seeded_database) + out


@pytest.mark.parametrize(("args", "stdin", "exit_code", "words"), [
    (ADD_UPS, "", 2, "Secrets are asked for on a terminal, or read from standard input with --secrets-stdin"),
    ((*ADD_UPS, "--secrets-stdin"), f"client_id={CLIENT_ID}\n", 2, "Standard input has no line for client_secret"),
    ((*ADD_UPS[:-4], "--secrets-stdin"), f"client_id={CLIENT_ID}\n", 1,
     "A ups account needs client_secret (Client secret, secret)."),
    ((*ADD_UPS, "--secrets-stdin"), f"{CLIENT_SECRET}\n", 2, "Line 1 of standard input is not KEY=VALUE"),
    (("add-account", "--gateway", "karrio", "--carrier", "dhl_express", "--name", "DHL", "--account-number", "1"),
     "", 1, 'pip install "fulfilstation[dhl_express]"'),
    (("add-account", "--gateway", "karrio", "--carrier", "ups", "--name", "U", "--setting", "test_mode"), "", 2,
     "write it as KEY=VALUE"),
    (("add-account", "--gateway", "karrio", "--name", "U"), "", 2, "needs its carrier: --carrier ups"),
    (("add-account", "ups", "--name", "U", "--setting", "a=b"), "", 2, "give --gateway karrio too"),
])
def test_refused_and_malformed_commands_change_nothing(cli: Cli, seeded_database: Database,
                                                       isolated_environment: MemoryKeyring, args: tuple[str, ...],
                                                       stdin: str, exit_code: int, words: str) -> None:
    before = everything_stored(seeded_database)
    code, out, err = cli(*args, stdin=stdin)
    assert (code, words in err) == (exit_code, True), err
    assert CLIENT_SECRET not in out + err and CLIENT_ID not in out + err
    assert everything_stored(seeded_database).count("carrier_accounts") == before.count("carrier_accounts")
    assert not secrets_in(isolated_environment)


def test_test_account_prints_the_answer_and_exits_1_when_the_carrier_did_not_price(cli: Cli) -> None:
    code, _out, err = cli(*ADD_UPS, "--setting", "server_url=http://127.0.0.1:9", "--secrets-stdin",
                          stdin=f"client_id={CLIENT_ID}\nclient_secret={CLIENT_SECRET}\n")
    assert code == 0, err
    code, out, err = cli("test-account", "ups-karrio/A1B2C3")
    assert code == 1 and out.startswith("ups-karrio/A1B2C3: Could not reach UPS") and "Traceback" not in out + err
    code, _out, err = cli("test-account", "ups/0W1X23")
    assert code == 1 and "is not reached through a gateway" in err
    code, _out, err = cli("test-account", "ups-karrio/A1B2C3", signed=False)
    assert code == 2 and "sign in" in err


def test_test_account_against_the_ups_stub(cli: Cli) -> None:
    require_extension("ups")
    with UPSStub() as ups:
        code, _out, err = cli("add-account", "--gateway", "karrio", "--carrier", "ups", "--name", "UPS main",
                              "--account-number", ups.account_number, "--setting", f"server_url={ups.server_url}",
                              "--secrets-stdin",
                              stdin=f"client_id={ups.client_id}\nclient_secret={ups.client_secret}\n")
        assert code == 0, err
        code, out, err = cli("test-account", f"ups-karrio/{ups.account_number}")
        assert code == 0, out + err
        assert out.startswith(f"ups-karrio/{ups.account_number}: Connected: UPS priced 3 rates (")
        code, _out, err = cli("edit-account", f"ups-karrio/{ups.account_number}", "--secrets-stdin",
                              stdin="client_secret=wrong-secret-555\n")
        assert code == 0, err
        code, out, err = cli("test-account", f"ups-karrio/{ups.account_number}")
        assert code == 1 and "ClientId is Invalid" in out and "wrong-secret-555" not in out + err
