"""Carrier accounts reached through a gateway (karrio: UPS, USPS, FedEx, DHL … with the
warehouse's own accounts): add one, change its settings or secrets, test its connection,
and the settings a carrier's account takes (``GatewayCatalogue``, the gateway's own schema).

How an account is kept:

* ``carrier_accounts.settings`` holds ``gateway`` (``"karrio"``), ``karrio_carrier`` (karrio's
  name of the carrier: ``"ups"``), ``carrier_settings`` (the non-secret fields of the
  schema, as text) and ``secret_fields`` (the *names* of the secret fields stored).
* The secret fields' values are one keyring entry per account, ``karrio:account:<id>``
  (``keyring_name``), holding a JSON object ``{field: value}``. Never the database, an
  audit entry, a message or a log: every text that leaves here is redacted of them.
* Its carrier is a ``carriers`` row of kind ``api`` whose code defaults to the gateway's
  carrier name (``ups``; ``dhl_express`` → ``dhl-express``), or ``ups-karrio`` when ``ups``
  makes its labels here (or is reached another way). A ``code`` given is taken as it is, and
  refused when its carrier is not this gateway carrier's.

Invariants: a refusal changes nothing and says what to do (``CarrierSetupRefused``); each
change is one transaction with an audit entry (``carrier.account_added``,
``carrier.account_changed``); the keyring is written inside that transaction, before the
commit, and put back when the transaction fails. ``try_connection`` never raises for
anything the carrier or the network does: it returns the carrier's own words.

Threading: blocking (database, keyring, the carrier's web API); call from worker threads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.carriers.gateway import CarrierGateway, CarrierProblem, Parcel, PostalAddress, RateRequest
from fulfilstation.carriers.gateway_catalogue import (
    GATEWAYS,
    KARRIO,
    CarrierChoice,
    ExtensionMissing,
    GatewayCatalogue,
    SettingField,
    UnknownCarrier,
)
from fulfilstation.credentials import KeyringUnavailable, SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierAccount, SiteSetting
from fulfilstation.domain.enums import CarrierKind
from fulfilstation.services.actor import Actor
from fulfilstation.services.audit import record
from fulfilstation.services.carriers.accounts import make_default
from fulfilstation.services.carriers.setup import (
    AccountInfo,
    CarrierSetupRefused,
    account_info,
    check_code,
    check_name,
    check_postal,
    find_account,
    new_carrier,
)

TEST_TIMEOUT_S = 20.0
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")
_ACCOUNT_FIELD = "account_number"


@dataclass(frozen=True)
class NewGatewayAccount:
    """An account of ``carrier`` through ``gateway``. ``settings``: the schema's non-secret
    fields; ``secrets``: its secret fields (to the keyring). ``code``: the carrier's code here
    (default: the gateway's carrier name)."""

    gateway: str
    carrier: str
    name: str
    account_number: str | None = None
    settings: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    code: str | None = None
    origin_postal_code: str | None = None
    default: bool = False


@dataclass(frozen=True)
class AccountChanges:
    """What changes on a gateway account: ``settings`` (a value of None or "" removes the
    field), ``secrets`` (new values replace the stored ones), ``name``."""

    settings: Mapping[str, str | None] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    name: str | None = None


@dataclass(frozen=True)
class CarrierFields:
    """The settings an account of ``carrier`` takes through ``gateway``, in the schema's order."""

    gateway: str
    carrier: str
    fields: tuple[SettingField, ...]

    @property
    def secret_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.secret)


@dataclass(frozen=True)
class ConnectionTest:
    """What a test connection found: ``ok`` with the ``rates`` the carrier priced (their
    service names in ``services``), or ``message`` saying what went wrong and ``carrier_text``
    the carrier's own words (shown as they are)."""

    account: str  # carrier/number
    ok: bool
    message: str
    rates: int = 0
    services: tuple[str, ...] = ()
    carrier_text: str | None = None


# -- queries ---------------------------------------------------------------------------------

def gateway_carriers(catalogue: GatewayCatalogue, gateway: str) -> tuple[CarrierChoice, ...]:
    """Every carrier the gateway reaches, installed or not."""
    gateway = _gateway(gateway)
    try:
        return catalogue.carriers(gateway)
    except UnknownCarrier as exc:
        raise CarrierSetupRefused(f"The {gateway} gateway is not available on this computer ({exc}).") from None


def carrier_fields(catalogue: GatewayCatalogue, gateway: str, carrier: str) -> CarrierFields:
    """The schema's fields for ``carrier``; refused for an unknown carrier or a missing extension."""
    gateway, carrier = _gateway(gateway), carrier.strip().lower()
    try:
        return CarrierFields(gateway, carrier, catalogue.fields(gateway, carrier))
    except UnknownCarrier as exc:
        known = ", ".join(exc.known) or "none installed"
        raise CarrierSetupRefused(f"{gateway} has no carrier {carrier!r}. Carriers: {known}.") from None
    except ExtensionMissing as exc:
        raise CarrierSetupRefused(f"The {gateway} extension for {carrier} is not installed on this computer. Add "
                                  f"it with: {exc.install}", code="extension-missing") from None


# -- adding and changing ---------------------------------------------------------------------

def add_gateway_account(database: Database, actor: Actor, new: NewGatewayAccount, catalogue: GatewayCatalogue,
                        store: SecretStore) -> AccountInfo:
    """A carrier account through a gateway, its settings checked against the carrier's schema
    and its secrets put in this computer's keyring."""
    schema = carrier_fields(catalogue, new.gateway, new.carrier)
    settings = _clean(schema, {k: v for k, v in new.settings.items() if v is not None and str(v).strip()},
                      secret=False)
    secrets = _clean(schema, {k: v for k, v in new.secrets.items() if v is not None and str(v).strip()},
                     secret=True)
    number = (new.account_number or settings.get(_ACCOUNT_FIELD) or "").strip()
    if not number:
        raise CarrierSetupRefused(f"Give the account number the carrier knows this account by (--account-number), "
                                  f"so '{new.carrier}/NUMBER' names it here.")
    if len(number) > 64:
        raise CarrierSetupRefused("An account number is 1 to 64 characters.")
    if any(f.name == _ACCOUNT_FIELD for f in schema.fields) and _ACCOUNT_FIELD not in settings:
        settings[_ACCOUNT_FIELD] = number
    _refuse_missing(schema, settings, secrets.keys())
    label = _label(catalogue, schema.gateway, schema.carrier)
    written: list[tuple[str, dict[str, str] | None]] = []
    try:
        with database.unit_of_work() as session:
            carrier = _carrier_for(session, actor, schema, new.code, label)
            if session.scalar(select(CarrierAccount.id).where(CarrierAccount.carrier_id == carrier.id,
                                                              CarrierAccount.account_number == number)) is not None:
                raise CarrierSetupRefused(f"Carrier {carrier.code} already has account {number}: change it with "
                                          f"'fulfilstation carriers edit-account {carrier.code}/{number} …'.")
            account = CarrierAccount(carrier_id=carrier.id, account_number=number, name=check_name(new.name),
                                     origin_postal_code=check_postal(new.origin_postal_code),
                                     settings=_account_settings(schema, settings, secrets.keys()))
            session.add(account)
            session.flush()
            keyring_name = f"{schema.gateway}:account:{account.id}"
            account.keyring_name = keyring_name
            record(session, actor, "carrier.account_added", "carrier_account", account.id,
                   {"carrier": carrier.code, "account_number": number, "gateway": schema.gateway,
                    "gateway_carrier": schema.carrier, "settings": settings, "secrets": sorted(secrets)})
            make_default(session, account, new.default)
            session.flush()
            if secrets:
                _put_secrets(store, keyring_name, secrets)
                written.append((keyring_name, None))
            return account_info(session, carrier, account, store)
    except BaseException:
        _restore(store, written)
        raise


def update_gateway_account(database: Database, actor: Actor, ref: str, changes: AccountChanges,
                           catalogue: GatewayCatalogue, store: SecretStore) -> AccountInfo:
    """Change a gateway account's settings, secrets or name; the whole result is checked
    against the carrier's schema again."""
    written: list[tuple[str, dict[str, str] | None]] = []
    try:
        return _update(database, actor, ref, changes, catalogue, store, written)
    except BaseException:
        _restore(store, written)
        raise


def _update(database: Database, actor: Actor, ref: str, changes: AccountChanges, catalogue: GatewayCatalogue,
            store: SecretStore, written: list[tuple[str, dict[str, str] | None]]) -> AccountInfo:
    with database.unit_of_work() as session:
        account, carrier = find_account(session, ref)
        gateway, gateway_carrier = _gateway_of_row(account, carrier)
        schema = carrier_fields(catalogue, gateway, gateway_carrier)
        current = {str(k): str(v) for k, v in dict((account.settings or {}).get("carrier_settings") or {}).items()}
        removed = {k for k, v in changes.settings.items() if v is None or not str(v).strip()}
        given = _clean(schema, {k: str(v) for k, v in changes.settings.items() if k not in removed}, secret=False)
        _clean(schema, {k: "-" for k in removed}, secret=False)  # unknown names are refused likewise
        secrets = _clean(schema, {k: v for k, v in changes.secrets.items() if v and v.strip()}, secret=True)
        settings = {k: v for k, v in {**current, **given}.items() if k not in removed}
        stored = set((account.settings or {}).get("secret_fields") or ()) | set(secrets)
        _refuse_missing(schema, settings, stored)
        name = check_name(changes.name) if changes.name is not None else account.name
        changed = sorted(k for k in set(settings) | set(current) if settings.get(k) != current.get(k))
        if not changed and not secrets and name == account.name:
            raise CarrierSetupRefused("Nothing to change: give a setting, a secret or a new name.")
        account.name = name
        account.settings = _account_settings(schema, settings, stored)
        keyring_name = account.keyring_name or f"{schema.gateway}:account:{account.id}"
        account.keyring_name = keyring_name
        record(session, actor, "carrier.account_changed", "carrier_account", account.id,
               {"carrier": carrier.code, "account_number": account.account_number,
                "settings": {k: settings.get(k) for k in changed}, "secrets": sorted(secrets),
                **({"name": name} if changes.name is not None else {})})
        session.flush()
        if secrets:
            previous = _read_secrets(store, keyring_name)
            _put_secrets(store, keyring_name, {**previous, **secrets})
            written.append((keyring_name, previous))
        return account_info(session, carrier, account, store)


# -- testing the connection ------------------------------------------------------------------

# A destination in the ship-from's country that carriers price: a well-known public address.
SAMPLE_TO: dict[str, PostalAddress] = {
    "US": PostalAddress("Sample Recipient", "1600 Pennsylvania Ave NW", "Washington", "20500", "US", state="DC"),
    "CA": PostalAddress("Sample Recipient", "111 Wellington St", "Ottawa", "K1A 0A9", "CA", state="ON"),
    "GB": PostalAddress("Sample Recipient", "10 Downing Street", "London", "SW1A 2AA", "GB"),
    "DE": PostalAddress("Sample Recipient", "Platz der Republik 1", "Berlin", "11011", "DE"),
    "FR": PostalAddress("Sample Recipient", "55 Rue du Faubourg Saint-Honoré", "Paris", "75008", "FR"),
    "AU": PostalAddress("Sample Recipient", "Parliament Dr", "Canberra", "2600", "AU", state="ACT"),
}
SAMPLE_PARCEL = Parcel(weight_g=1000, length_mm=300, width_mm=200, height_mm=150)


def try_connection(database: Database, ref: str, catalogue: GatewayCatalogue, store: SecretStore,
                    timeout_s: float = TEST_TIMEOUT_S) -> ConnectionTest:
    """Ask the carrier for a rate of a 1 kg parcel from the site's ship-from to a sample
    address of the same country: the rates it priced, or its own error text. Refused only
    for an account that is not a gateway account; everything else is an answer."""
    with database.unit_of_work() as session:
        account, carrier = find_account(session, ref)
        gateway, gateway_carrier = _gateway_of_row(account, carrier)
        name = f"{carrier.code}/{account.account_number}"
        settings = {str(k): str(v) for k, v in dict((account.settings or {}).get("carrier_settings") or {}).items()}
        keyring_name = account.keyring_name
        site = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "ship_from"))
    ship_from = _ship_from(site)
    if ship_from is None:
        return ConnectionTest(name, False, "The site's ship-from address is not set up, so there is nothing to "
                                           "ask a rate from: enter it with 'fulfilstation site set-address' (or Site "
                                           "settings in the window).")
    try:
        secrets = _read_secrets(store, keyring_name) if keyring_name else {}
    except CarrierSetupRefused as refused:
        return ConnectionTest(name, False, refused.message)
    try:
        gw = catalogue.gateway(gateway, gateway_carrier, settings, secrets, timeout_s)
        rates = gw.rates(RateRequest(ship_from, _sample_to(ship_from), (SAMPLE_PARCEL,)))
    except ExtensionMissing as exc:
        return ConnectionTest(name, False, f"The {gateway} extension for {gateway_carrier} is not installed on this "
                                           f"computer. Add it with: {exc.install}")
    except UnknownCarrier:
        return ConnectionTest(name, False, f"{gateway} on this computer does not know the carrier "
                                           f"{gateway_carrier!r}: update FulfilStation and its extensions.")
    except CarrierProblem as problem:
        text = _redact(problem.carrier_text, secrets.values()) if problem.carrier_text else None
        return ConnectionTest(name, False, _redact(problem.message, secrets.values()), carrier_text=text)
    except Exception as exc:  # noqa: BLE001 - a test connection answers in words, never with a traceback
        return ConnectionTest(name, False, _redact(f"The carrier could not be asked ({type(exc).__name__}: {exc}).",
                                                   secrets.values()))
    services = tuple(dict.fromkeys(r.service_name or r.service_code for r in rates))
    if not rates:
        return ConnectionTest(name, True, f"{carrier.name} answered, but priced no service from "
                                          f"{ship_from.postal_code} to the sample address in {ship_from.country}.")
    return ConnectionTest(name, True, f"Connected: {carrier.name} priced {len(rates)} "
                                      f"rate{'s' if len(rates) != 1 else ''} ({', '.join(services)}).",
                          rates=len(rates), services=services)


def gateway_for_account(catalogue: GatewayCatalogue, store: SecretStore, settings: Mapping[str, Any],
                        keyring_name: str | None, timeout_s: float) -> CarrierGateway:
    """The ``CarrierGateway`` of a gateway account's row (its ``settings`` and ``keyring_name``),
    for the use cases that ship, void, track: raises ``CarrierProblem`` in words when it
    cannot be built (no gateway, the extension or the secrets missing)."""
    gateway, carrier = settings.get("gateway"), settings.get("karrio_carrier")
    if not gateway or not carrier:
        raise CarrierProblem("This carrier account is not reached through a gateway.")
    values = {str(k): str(v) for k, v in dict(settings.get("carrier_settings") or {}).items()}
    try:
        secrets = _read_secrets(store, keyring_name) if keyring_name else {}
        return catalogue.gateway(str(gateway), str(carrier), values, secrets, timeout_s)
    except CarrierSetupRefused as refused:
        raise CarrierProblem(refused.message) from None
    except ExtensionMissing as exc:
        raise CarrierProblem(f"The {gateway} extension for {carrier} is not installed on this computer. Add it "
                             f"with: {exc.install}") from None
    except UnknownCarrier:
        raise CarrierProblem(f"{gateway} on this computer does not know the carrier {carrier!r}.") from None


# -- helpers ---------------------------------------------------------------------------------

def _gateway(gateway: str) -> str:
    name = gateway.strip().lower()
    if name not in GATEWAYS:
        raise CarrierSetupRefused(f"{gateway!r} is not a gateway accounts are added through: use "
                                  f"{', '.join(GATEWAYS)} (EasyPost: 'fulfilstation carriers add-easypost').")
    return name


def _gateway_of_row(account: CarrierAccount, carrier: Carrier) -> tuple[str, str]:
    settings = account.settings or {}
    gateway, gateway_carrier = settings.get("gateway"), settings.get("karrio_carrier")
    if not gateway or not gateway_carrier:
        raise CarrierSetupRefused(f"Account {carrier.code}/{account.account_number} is not reached through a "
                                  "gateway (karrio): there is no connection to test or change here.")
    return str(gateway), str(gateway_carrier)


def _clean(schema: CarrierFields, values: Mapping[str, str], *, secret: bool) -> dict[str, str]:
    """``values`` checked against the schema: known names, secrets given as secrets, the
    kind of each value (booleans as ``true``/``false``)."""
    by_name = {f.name: f for f in schema.fields}
    cleaned: dict[str, str] = {}
    for raw_name, raw in values.items():
        name = raw_name.strip()
        spec = by_name.get(name)
        if spec is None:
            raise CarrierSetupRefused(f"{schema.carrier} has no setting {name!r}. Its settings: "
                                      f"{', '.join(by_name) or 'none'} (see 'fulfilstation carriers fields "
                                      f"--carrier {schema.carrier}').")
        if spec.secret and not secret:
            raise CarrierSetupRefused(f"{name} is a secret: give it as a secret (--secret {name}, asked for "
                                      "hidden), so it goes to the keyring and nowhere else.")
        if secret and not spec.secret:
            raise CarrierSetupRefused(f"{name} is not a secret: give it as a setting (--setting {name}=VALUE).")
        value = str(raw) if secret else str(raw).strip()
        if spec.kind == "bool":
            if value.lower() not in _TRUE + _FALSE:
                raise CarrierSetupRefused(f"{name} is yes or no (true/false), not {value!r}.")
            value = "true" if value.lower() in _TRUE else "false"
        elif spec.kind == "number" and not re.fullmatch(r"-?\d+(\.\d+)?", value):
            raise CarrierSetupRefused(f"{name} is a number, not {value!r}.")
        elif spec.choices and value not in spec.choices:
            raise CarrierSetupRefused(f"{name} is one of {', '.join(spec.choices)}, not {value!r}.")
        if len(value) > 2000:
            raise CarrierSetupRefused(f"{name} is longer than 2,000 characters: check it.")
        cleaned[name] = value
    return cleaned


def _refuse_missing(schema: CarrierFields, settings: Mapping[str, str], secrets: Iterable[str]) -> None:
    have = set(settings) | set(secrets)
    missing = [f for f in schema.fields if f.required and f.default is None and f.name not in have]
    if missing:
        words = ", ".join(f"{f.name} ({f.label}{', secret' if f.secret else ''})" for f in missing)
        raise CarrierSetupRefused(f"A {schema.carrier} account needs {words}.", code="missing-field")


def _account_settings(schema: CarrierFields, settings: Mapping[str, str], secrets: Iterable[str]) -> dict[str, Any]:
    return {"gateway": schema.gateway, "karrio_carrier" if schema.gateway == KARRIO else "gateway_carrier":
            schema.carrier, "carrier_settings": dict(settings), "secret_fields": sorted(set(secrets))}


def _carrier_for(session: Session, actor: Actor, schema: CarrierFields, code: str | None, label: str) -> Carrier:
    """The carrier row the account belongs to: ``code``'s, or (none given) the gateway's
    carrier name's, else ``NAME-GATEWAY`` when a carrier whose labels are made here (or
    reached another way) holds the name; made when missing."""
    codes = [check_code(code, "carrier")] if code else [
        check_code(schema.carrier.replace("_", "-"), "carrier"),
        check_code(f"{schema.carrier.replace('_', '-')}-{schema.gateway}"[:32], "carrier")]
    problem = ""
    for candidate in codes:
        carrier = session.scalar(select(Carrier).where(Carrier.code == candidate))
        if carrier is None:
            return new_carrier(session, actor, candidate, label, CarrierKind.API.value)
        problem = _reached_otherwise(session, carrier, schema)
        if not problem:
            return carrier
    raise CarrierSetupRefused(f"{problem} Give the {schema.gateway} account a carrier code of its own, e.g. "
                              f"--code {codes[-1]}-2.")


def _reached_otherwise(session: Session, carrier: Carrier, schema: CarrierFields) -> str:
    if carrier.kind != CarrierKind.API.value:
        return f"Carrier {carrier.code} makes its labels here from its own number ranges."
    for other in session.scalars(select(CarrierAccount).where(CarrierAccount.carrier_id == carrier.id)):
        theirs = other.settings or {}
        if theirs.get("gateway") != schema.gateway or theirs.get("karrio_carrier") != schema.carrier:
            return f"Carrier {carrier.code} is reached another way (account {other.account_number})."
    return ""


def _label(catalogue: GatewayCatalogue, gateway: str, carrier: str) -> str:
    """The carrier as people say it (the catalogue's label), for a new carrier row."""
    try:
        for choice in catalogue.carriers(gateway):
            if choice.carrier == carrier:
                return choice.label
    except UnknownCarrier:
        pass
    return carrier.replace("_", " ").title()


def _put_secrets(store: SecretStore, name: str, secrets: Mapping[str, str]) -> None:
    try:
        store.set(name, json.dumps(dict(secrets), sort_keys=True))
    except KeyringUnavailable as exc:
        raise CarrierSetupRefused(f"{exc} Nothing was saved.") from None


def _restore(store: SecretStore, written: list[tuple[str, dict[str, str] | None]]) -> None:
    """Put back the keyring entries written by a change that did not commit."""
    for name, previous in written:
        try:
            if previous:
                store.set(name, json.dumps(previous, sort_keys=True))
            else:
                store.delete(name)
        except KeyringUnavailable:
            pass


def _read_secrets(store: SecretStore, name: str) -> dict[str, str]:
    try:
        text = store.get(name)
    except KeyringUnavailable as exc:
        raise CarrierSetupRefused(f"{exc} The account's secrets cannot be read.") from None
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        raise CarrierSetupRefused(f"The keyring entry {name} is not what FulfilStation stored: enter the account's "
                                  "secrets again ('fulfilstation carriers edit-account … --secret NAME').") from None
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "•••")
    return text


def _ship_from(site: object) -> PostalAddress | None:
    if not isinstance(site, dict) or not site.get("line1") or not site.get("postal_code"):
        return None
    return PostalAddress(str(site.get("name") or site.get("company") or "Shipping"), str(site["line1"]),
                         str(site.get("city") or ""), str(site["postal_code"]), str(site.get("country") or "US"),
                         street2=site.get("line2"), state=site.get("region"), company=site.get("company"),
                         phone=site.get("phone"), email=site.get("email"))


def _sample_to(ship_from: PostalAddress) -> PostalAddress:
    return SAMPLE_TO.get(ship_from.country.upper(), PostalAddress(
        "Sample Recipient", ship_from.street1, ship_from.city, ship_from.postal_code, ship_from.country,
        street2=ship_from.street2, state=ship_from.state))
