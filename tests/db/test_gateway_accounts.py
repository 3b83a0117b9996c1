"""Carrier accounts through karrio, as an owner sets them up (``app.carriers``), on SQLite and
PostgreSQL: the fields are karrio's own settings schema (the UPS, USPS and FedEx extensions are
installed here), secrets go to the keyring only — never the database or the audit log —, a
refusal names what is wrong (a missing required field, an unknown carrier, a missing
extension with the command that adds it) and changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from fulfilstation.credentials import SERVICE
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Carrier, CarrierAccount, SiteSetting
from fulfilstation.services.carriers import AccountChanges, CarrierSetupRefused, NewGatewayAccount
from tests.carriers.conftest import require_extension
from tests.db.test_carriers_cli import everything_stored
from tests.support.app import app_for, sign_in
from tests.support.memory_keyring import MemoryKeyring
from tests.support.ups_stub import UPSStub

CLIENT_ID, CLIENT_SECRET = "ups-client-id-4f1c9e", "ups-client-secret-b7d2a0"
UPS = NewGatewayAccount("karrio", "ups", "UPS main", "A1B2C3", {"test_mode": "yes"},
                        {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})


def audit_count(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def stored_secrets(memory: MemoryKeyring) -> dict[str, dict[str, str]]:
    return {name: json.loads(value) for (service, name), value in memory.passwords.items() if service == SERVICE}


def test_a_ups_account_keeps_its_settings_in_the_database_and_its_secrets_in_the_keyring(
        seeded_database: Database, isolated_environment: MemoryKeyring) -> None:
    db = seeded_database
    app = app_for(db)
    account = app.carriers.add_gateway_account(sign_in(app, "owner"), UPS)
    # the demo's UPS makes its labels here: the karrio account gets a carrier of its own
    assert (account.carrier, account.account_number, account.gateway, account.gateway_carrier) == (
        "ups-karrio", "A1B2C3", "karrio", "ups")
    assert account.api_key == "stored" and account.keyring_name == f"karrio:account:{account.id}"
    assert dict(account.settings) == {"gateway": "karrio", "karrio_carrier": "ups",
                                      "carrier_settings": {"test_mode": "true", "account_number": "A1B2C3"},
                                      "secret_fields": ["client_id", "client_secret"]}
    assert stored_secrets(isolated_environment) == {account.keyring_name: {"client_id": CLIENT_ID,
                                                                           "client_secret": CLIENT_SECRET}}
    dump = everything_stored(db)
    assert CLIENT_ID not in dump and CLIENT_SECRET not in dump  # audit entries included
    with db.unit_of_work() as session:
        carrier = session.scalar(select(Carrier).where(Carrier.code == "ups-karrio"))
        assert carrier is not None and (carrier.kind, carrier.name) == ("api", "UPS")
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "carrier.account_added")
                                .order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.details["secrets"] == ["client_id", "client_secret"]
    listed = {a.account_number: a for c in app.carriers.list() for a in c.accounts}
    assert listed["A1B2C3"].gateway == "karrio" and listed["0W1X23"].gateway == "local"

    # a second UPS account joins the same carrier
    second = app.carriers.add_gateway_account(sign_in(app, "owner"), NewGatewayAccount(
        "karrio", "ups", "UPS west", "D4E5F6", {}, {"client_id": "x-id-2", "client_secret": "x-secret-2"}))
    assert second.carrier == "ups-karrio" and not second.default


def test_a_new_carrier_name_is_used_when_free(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    with seeded_database.unit_of_work() as session:
        session.scalar(select(Carrier).where(Carrier.code == "fedex")).code = "fedex-own"  # type: ignore[union-attr]
    account = app.carriers.add_gateway_account(sign_in(app, "owner"), NewGatewayAccount(
        "karrio", "fedex", "FedEx", "510087021", {}, {"api_key": "k-123456", "secret_key": "s-123456"}))
    assert account.carrier == "fedex"


@pytest.mark.parametrize(("new", "words"), [
    (NewGatewayAccount("karrio", "ups", "UPS", "A1B2C3", {}, {"client_id": "id-1234"}),
     "A ups account needs client_secret (Client secret, secret)."),
    (NewGatewayAccount("karrio", "nope", "Nope", "1"), "karrio has no carrier 'nope'. Carriers: "),
    (NewGatewayAccount("karrio", "dhl_express", "DHL", "1"),
     'The karrio extension for dhl_express is not installed on this computer. Add it with: pip install '
     '"fulfilstation[dhl_express]"'),
    (NewGatewayAccount("karrio", "ups", "UPS", "A1B2C3", {"client_secret": "in-the-open"}, {"client_id": "i"}),
     "client_secret is a secret: give it as a secret (--secret client_secret"),
    (NewGatewayAccount("karrio", "ups", "UPS", "A1B2C3", {"colour": "brown"}),
     "ups has no setting 'colour'. Its settings: client_id, client_secret, account_number"),
    (NewGatewayAccount("karrio", "usps", "USPS", "9012", {"account_type": "CASH"},
                       {"client_id": "i-1234", "client_secret": "s-1234"}),
     "account_type is one of EPS, PERMIT, METER, not 'CASH'."),
    (NewGatewayAccount("karrio", "ups", "UPS", "A1B2C3", {"test_mode": "maybe"},
                       {"client_id": "i-1234", "client_secret": "s-1234"}),
     "test_mode is yes or no (true/false), not 'maybe'."),
    (NewGatewayAccount("karrio", "ups", "UPS", None, {}, {"client_id": "i-1234", "client_secret": "s-1234"}),
     "Give the account number"),
    (NewGatewayAccount("karrio", "ups", "UPS", "A1B2C3", {}, {"client_id": "i-1234", "client_secret": "s-1234"},
                       code="ups"), "Carrier ups makes its labels here from its own number ranges."),
    (NewGatewayAccount("easypost", "ups", "UPS", "A1B2C3"), "'easypost' is not a gateway accounts are added"),
])
def test_refusals_name_what_is_wrong_and_change_nothing(seeded_database: Database,
                                                        isolated_environment: MemoryKeyring,
                                                        new: NewGatewayAccount, words: str) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    before = audit_count(seeded_database)
    with pytest.raises(CarrierSetupRefused) as refused:
        app.carriers.add_gateway_account(owner, new)
    assert words in refused.value.message
    assert "in-the-open" not in refused.value.message
    assert audit_count(seeded_database) == before and not stored_secrets(isolated_environment)
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Carrier).where(Carrier.kind == "api")) == 0


def test_a_failed_commit_takes_the_secrets_back_out_of_the_keyring(seeded_database: Database,
                                                                   isolated_environment: MemoryKeyring) -> None:
    app = app_for(seeded_database)
    app.carriers.add_gateway_account(sign_in(app, "owner"), UPS)
    with pytest.raises(CarrierSetupRefused, match="already has account A1B2C3"):
        app.carriers.add_gateway_account(sign_in(app, "owner"), UPS)
    assert len(stored_secrets(isolated_environment)) == 1


def test_settings_and_secrets_change_and_the_audit_names_only_the_fields(
        seeded_database: Database, isolated_environment: MemoryKeyring) -> None:
    db = seeded_database
    app = app_for(db)
    account = app.carriers.add_gateway_account(sign_in(app, "owner"), UPS)
    changed = app.carriers.edit_gateway_account(sign_in(app, "owner"), "ups-karrio/A1B2C3", AccountChanges(
        {"test_mode": "false", "account_country_code": "US"}, {"client_secret": "rotated-secret-9a8b"}, "UPS main!"))
    assert changed.name == "UPS main!"
    assert changed.settings["carrier_settings"] == {"test_mode": "false", "account_number": "A1B2C3",
                                                    "account_country_code": "US"}
    assert stored_secrets(isolated_environment)[account.keyring_name or ""] == {
        "client_id": CLIENT_ID, "client_secret": "rotated-secret-9a8b"}
    assert "rotated-secret-9a8b" not in everything_stored(db)
    with db.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "carrier.account_changed")).one()
        assert entry.details["secrets"] == ["client_secret"]
        assert entry.details["settings"] == {"account_country_code": "US", "test_mode": "false"}
    removed = app.carriers.edit_gateway_account(sign_in(app, "owner"), "A1B2C3",
                                                AccountChanges({"account_country_code": None}))
    assert "account_country_code" not in removed.settings["carrier_settings"]
    with pytest.raises(CarrierSetupRefused, match="Nothing to change"):
        app.carriers.edit_gateway_account(sign_in(app, "owner"), "A1B2C3", AccountChanges())
    with pytest.raises(CarrierSetupRefused, match="is not reached through a gateway"):
        app.carriers.edit_gateway_account(sign_in(app, "owner"), "ups/0W1X23", AccountChanges(name="x"))


def test_the_schema_query_gives_karrios_fields_for_the_form(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    ups = app.carriers.fields("karrio", "ups")
    by_name = {f.name: f for f in ups.fields}
    assert ups.secret_names == ("client_id", "client_secret")
    assert by_name["client_secret"].required and by_name["client_secret"].secret
    assert by_name["test_mode"].kind == "bool" and not by_name["account_number"].required
    choices = {c.carrier: c for c in app.carriers.gateway_carriers("karrio")}
    assert {"ups", "usps", "fedex"} <= {name for name, c in choices.items() if c.installed}
    assert not choices["dhl_express"].installed and "fulfilstation[dhl_express]" in choices["dhl_express"].install


def test_a_connection_test_answers_in_words_when_no_carrier_answers(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    with seeded_database.unit_of_work() as session:
        accounts = session.scalar(select(func.count()).select_from(CarrierAccount))
    account = app.carriers.add_gateway_account(sign_in(app, "owner"), NewGatewayAccount(
        "karrio", "ups", "UPS", "A1B2C3", {"server_url": "http://127.0.0.1:9"},
        {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}))
    result = app.carriers.test_connection(sign_in(app, "owner"), f"{account.carrier}/A1B2C3")
    assert not result.ok and result.rates == 0 and result.message
    assert "Traceback" not in result.message and CLIENT_SECRET not in result.message
    assert CLIENT_ID not in result.message

    with seeded_database.unit_of_work() as session:
        session.execute(SiteSetting.__table__.delete().where(SiteSetting.key == "ship_from"))
    result = app.carriers.test_connection(sign_in(app, "owner"), "A1B2C3")
    assert not result.ok and "ship-from address is not set up" in result.message
    with pytest.raises(CarrierSetupRefused, match="is not reached through a gateway"):
        app.carriers.test_connection(sign_in(app, "owner"), "ups/0W1X23")
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(CarrierAccount)) == accounts + 1  # nothing else


def test_connection_through_the_ups_stub_prices_with_good_keys_and_shows_ups_own_words_with_bad(
        seeded_database: Database) -> None:
    require_extension("ups")
    app = app_for(seeded_database)
    with UPSStub() as ups:
        good = app.carriers.add_gateway_account(sign_in(app, "owner"), NewGatewayAccount(
            "karrio", "ups", "UPS main", ups.account_number, {"server_url": ups.server_url},
            {"client_id": ups.client_id, "client_secret": ups.client_secret}))
        result = app.carriers.test_connection(sign_in(app, "owner"), f"{good.carrier}/{good.account_number}")
        assert result.ok and result.rates == 3 and result.carrier_text is None
        assert result.message.startswith("Connected: UPS priced 3 rates (")
        (rate,) = ups.bodies("rate")  # from the site's ship-from to the sample address in its country
        shipment = rate["RateRequest"]["Shipment"]
        assert shipment["Shipper"]["Address"]["PostalCode"] == "43219"
        assert shipment["ShipTo"]["Address"]["PostalCode"] == "20500"

        bad = app.carriers.add_gateway_account(sign_in(app, "owner"), NewGatewayAccount(
            "karrio", "ups", "UPS west", "Z9Y8X7", {"server_url": ups.server_url},
            {"client_id": "wrong-client", "client_secret": "wrong-secret-123"}))
        result = app.carriers.test_connection(sign_in(app, "owner"), f"{bad.carrier}/Z9Y8X7")
        assert not result.ok and result.rates == 0
        assert result.carrier_text is not None and "ClientId is Invalid" in result.carrier_text
        assert "wrong-secret-123" not in result.message + result.carrier_text

        ups.fail("rate", 503)
        result = app.carriers.test_connection(sign_in(app, "owner"), f"{good.carrier}/{good.account_number}")
        assert not result.ok and "Traceback" not in result.message


def test_connection_through_the_usps_stub(seeded_database: Database) -> None:
    require_extension("usps")
    from tests.support.usps_stub import USPSStub  # noqa: PLC0415 - only with karrio.usps installed

    app = app_for(seeded_database)
    with USPSStub() as usps:
        settings = {"account_type": "EPS", "CRID": usps.crid, "MID": usps.mid, "server_url": usps.server_url}
        good = app.carriers.add_gateway_account(sign_in(app, "owner"), NewGatewayAccount(
            "karrio", "usps", "USPS", usps.account_number, settings,
            {"client_id": usps.client_id, "client_secret": usps.client_secret}))
        result = app.carriers.test_connection(sign_in(app, "owner"), f"{good.carrier}/{good.account_number}")
        assert result.ok and result.rates > 0, result
        bad = app.carriers.edit_gateway_account(sign_in(app, "owner"), f"{good.carrier}/{good.account_number}",
                                                AccountChanges(secrets={"client_secret": "not-the-secret"}))
        result = app.carriers.test_connection(sign_in(app, "owner"), f"{bad.carrier}/{bad.account_number}")
        assert not result.ok and result.carrier_text, result
        assert "not-the-secret" not in result.message + result.carrier_text
