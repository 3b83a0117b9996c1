"""Setting up carriers: carriers and their services, API carriers (EasyPost) and their
keys, and what is set up (``list_carriers``), reached through ``CarriersService`` (an
owner's use cases). Accounts of local carriers and their tracking-number ranges are in
``accounts``; rate, zone and transit tables in ``tables``.

Invariants:

* Every change is one short transaction with an audit entry (``carrier.…``) naming the
  signed-in owner. A refusal changes nothing and says what to do (``CarrierSetupRefused``).
* A service of a carrier whose accounts number their own labels has a service code that
  fits the tracking number (UPS: 2 characters; USPS: the 3-digit service type code).
* API keys go to this computer's OS keyring only (``SecretStore``), never to the database,
  a file, the output or a log. The account's ``keyring_name`` (the entry's name) is set
  once the key is stored, and rate shopping offers an API carrier's services only from
  then on. Each computer that buys labels needs the key in its own keyring.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fulfilstation.credentials import KeyringUnavailable, SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Carrier,
    CarrierAccount,
    CarrierService,
    NumberRange,
    ServiceRate,
    ServiceTransit,
    ZoneRule,
)
from fulfilstation.domain.enums import CarrierKind, NumberRangeKind
from fulfilstation.services.actor import Actor
from fulfilstation.services.audit import record
from fulfilstation.services.refused import Refused

_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")


class CarrierSetupRefused(Refused):
    """A setup step that cannot be done; ``message`` says why and what to do."""

    def __init__(self, message: str, code: str = "carrier-setup") -> None:
        super().__init__(code, message)


@dataclass(frozen=True)
class RangeInfo:
    kind: str
    prefix: str
    first: int
    next: int
    last: int

    @property
    def left(self) -> int:
        return self.last - self.next + 1

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "prefix": self.prefix, "first": self.first, "next": self.next,
                "last": self.last, "left": self.left}


@dataclass(frozen=True)
class AccountInfo:
    id: int
    carrier: str
    account_number: str
    name: str
    default: bool
    active: bool
    origin_postal_code: str | None
    api_key: str  # "stored", "missing", "not-needed" (local carrier), "unknown" (no keyring here)
    keyring_name: str | None  # the keyring entry's name (never the key)
    number_ranges: tuple[RangeInfo, ...]
    settings: Mapping[str, Any]

    @property
    def gateway(self) -> str:
        """How its labels are made: ``karrio`` (or another gateway), ``easypost``, ``local``."""
        if self.settings.get("gateway"):
            return str(self.settings["gateway"])
        if self.settings.get("easypost_carrier"):
            return "easypost"
        return "local" if self.api_key == "not-needed" else "api"

    @property
    def gateway_carrier(self) -> str | None:
        """The gateway's name of the carrier (karrio: ``ups``, ``usps`` …), for a gateway account."""
        value = self.settings.get("karrio_carrier") or self.settings.get("gateway_carrier")
        return str(value) if value else None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "gateway": self.gateway, "gateway_carrier": self.gateway_carrier,
                "account_number": self.account_number, "name": self.name, "default": self.default,
                "active": self.active, "origin_postal_code": self.origin_postal_code, "api_key": self.api_key,
                "keyring_name": self.keyring_name, "number_ranges": [r.as_json() for r in self.number_ranges],
                "settings": dict(self.settings)}


@dataclass(frozen=True)
class ServiceInfo:
    key: str  # ``carrier/service``
    name: str
    service_code: str
    currency: str
    active: bool
    dim_divisor: int
    fuel_surcharge_bp: int
    residential_surcharge_minor: int
    rates: int  # rate rows on file
    rate_zones: tuple[int, ...]
    transit_zones: tuple[int, ...]

    def as_json(self) -> dict[str, Any]:
        return {"service": self.key, "name": self.name, "service_code": self.service_code,
                "currency": self.currency, "active": self.active, "dim_divisor": self.dim_divisor,
                "fuel_surcharge_bp": self.fuel_surcharge_bp,
                "residential_surcharge_minor": self.residential_surcharge_minor, "rates": self.rates,
                "rate_zones": list(self.rate_zones), "transit_zones": list(self.transit_zones)}


@dataclass(frozen=True)
class CarrierInfo:
    code: str
    name: str
    kind: str
    active: bool
    zone_rules: int
    services: tuple[ServiceInfo, ...]
    accounts: tuple[AccountInfo, ...]

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "kind": self.kind, "active": self.active,
                "zone_rules": self.zone_rules, "services": [s.as_json() for s in self.services],
                "accounts": [a.as_json() for a in self.accounts]}


@dataclass(frozen=True)
class NewService:
    key: str  # ``carrier/service``
    name: str
    service_code: str
    dim_divisor: int = 5000
    fuel_surcharge_bp: int = 0
    residential_surcharge_minor: int = 0
    currency: str = "USD"


# -- reading ---------------------------------------------------------------------------------

def list_carriers(database: Database, store: SecretStore | None = None) -> list[CarrierInfo]:
    """Every carrier with its services and accounts; ``api_key`` is looked up in the keyring."""
    with database.unit_of_work() as session:
        carriers = session.scalars(select(Carrier).order_by(Carrier.code)).all()
        return [carrier_info(session, c, store or SecretStore()) for c in carriers]


def carrier_info(session: Session, carrier: Carrier, store: SecretStore | None) -> CarrierInfo:
    services = session.scalars(select(CarrierService).where(CarrierService.carrier_id == carrier.id)
                               .order_by(CarrierService.id)).all()
    accounts = session.scalars(select(CarrierAccount).where(CarrierAccount.carrier_id == carrier.id)
                               .order_by(CarrierAccount.is_default.desc(), CarrierAccount.id)).all()
    zone_rules = session.scalar(select(func.count()).select_from(ZoneRule).where(ZoneRule.carrier_id == carrier.id))
    return CarrierInfo(carrier.code, carrier.name, carrier.kind, carrier.active, int(zone_rules or 0),
                       tuple(_service_info(session, carrier, s) for s in services),
                       tuple(account_info(session, carrier, a, store) for a in accounts))


def _service_info(session: Session, carrier: Carrier, service: CarrierService) -> ServiceInfo:
    rate_zones = session.execute(select(ServiceRate.zone, func.count()).where(ServiceRate.service_id == service.id)
                                 .group_by(ServiceRate.zone).order_by(ServiceRate.zone)).all()
    transit = session.scalars(select(ServiceTransit.zone).where(ServiceTransit.service_id == service.id)
                              .order_by(ServiceTransit.zone)).all()
    return ServiceInfo(f"{carrier.code}/{service.code}", service.name, service.service_code, service.currency,
                       service.active, service.dim_divisor, service.fuel_surcharge_bp,
                       service.residential_surcharge_minor, sum(int(n) for _z, n in rate_zones),
                       tuple(int(z) for z, _n in rate_zones), tuple(transit))


def account_info(session: Session, carrier: Carrier, account: CarrierAccount,
                 store: SecretStore | None) -> AccountInfo:
    ranges = session.scalars(select(NumberRange).where(NumberRange.carrier_account_id == account.id)
                             .order_by(NumberRange.id)).all()
    return AccountInfo(account.id, carrier.code, account.account_number, account.name, account.is_default,
                       account.active, account.origin_postal_code, _key_state(carrier, account, store),
                       account.keyring_name,
                       tuple(RangeInfo(r.kind, r.prefix, r.first_value, r.next_value, r.last_value) for r in ranges),
                       dict(account.settings or {}))


def _key_state(carrier: Carrier, account: CarrierAccount, store: SecretStore | None) -> str:
    if carrier.kind != CarrierKind.API.value:
        return "not-needed"
    if not account.keyring_name:
        return "missing"
    if store is None:
        return "unknown"
    try:
        return "stored" if store.get(account.keyring_name) else "missing"
    except KeyringUnavailable:
        return "unknown"


# -- carriers and services -------------------------------------------------------------------

def add_carrier(database: Database, actor: Actor,
                code: str, name: str, kind: str = CarrierKind.LOCAL.value) -> CarrierInfo:
    """A new carrier (no services or accounts yet)."""
    with database.unit_of_work() as session:
        carrier = new_carrier(session, actor, code, name, kind)
        return carrier_info(session, carrier, None)


def new_carrier(session: Session, actor: Actor, code: str, name: str, kind: str) -> Carrier:
    code, name = check_code(code, "carrier"), check_name(name)
    if session.scalar(select(Carrier.id).where(Carrier.code == code)) is not None:
        raise CarrierSetupRefused(f"There is already a carrier {code!r}: see 'fulfilstation carriers list', or "
                                  "choose another code.")
    carrier = Carrier(code=code, name=name, kind=kind)
    session.add(carrier)
    session.flush()
    record(session, actor, "carrier.added", "carrier", carrier.id, {"carrier": code, "name": name, "kind": kind})
    return carrier


def add_service(database: Database, actor: Actor, new: NewService) -> ServiceInfo:
    with database.unit_of_work() as session:
        carrier_code, _, code = new.key.strip().partition("/")
        carrier = find_carrier(session, carrier_code)
        service = new_service(session, actor, carrier, new, code)
        return _service_info(session, carrier, service)


def new_service(session: Session, actor: Actor, carrier: Carrier, new: NewService, code: str) -> CarrierService:
    code, name = check_code(code, "service"), check_name(new.name)
    service_code = new.service_code.strip()
    if not service_code:
        raise CarrierSetupRefused("Give the carrier's own code of the service (UPS 03, USPS 001, EasyPost Priority).")
    if len(service_code) > 64:
        raise CarrierSetupRefused(f"The service code {service_code!r} is longer than 64 characters: check it.")
    if session.scalar(select(CarrierService.id).where(CarrierService.carrier_id == carrier.id,
                                                      CarrierService.code == code)) is not None:
        raise CarrierSetupRefused(f"Carrier {carrier.code} already has a service {code!r}.")
    for kind in range_kinds(session, carrier):
        check_service_code(kind, service_code)
    if new.dim_divisor <= 0 or new.fuel_surcharge_bp < 0 or new.residential_surcharge_minor < 0:
        raise CarrierSetupRefused("The dimensional divisor must be above 0 and the surcharges 0 or more.")
    currency = new.currency.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise CarrierSetupRefused(f"{new.currency!r} is not a currency code: write it like USD, CAD or EUR.")
    service = CarrierService(carrier_id=carrier.id, code=code, name=name, service_code=service_code,
                             dim_divisor=new.dim_divisor, fuel_surcharge_bp=new.fuel_surcharge_bp,
                             residential_surcharge_minor=new.residential_surcharge_minor, currency=currency)
    session.add(service)
    session.flush()
    record(session, actor, "carrier.service_added", "carrier_service", service.id,
          {"service": f"{carrier.code}/{code}", "service_code": service_code})
    return service


# -- lookups and checks shared with carrier_accounts and carrier_tables -----------------------

def find_carrier(session: Session, code: str) -> Carrier:
    carrier = session.scalar(select(Carrier).where(Carrier.code == code.strip().lower()))
    if carrier is None:
        known = ", ".join(session.scalars(select(Carrier.code).order_by(Carrier.code))) or "none yet"
        raise CarrierSetupRefused(f"There is no carrier {code.strip()!r} (carriers: {known}). Add it with "
                                  f"'fulfilstation carriers add-carrier {code.strip().lower()} --name NAME'.")
    return carrier


def find_service(session: Session, key: str) -> tuple[CarrierService, Carrier]:
    carrier_code, _, code = key.strip().partition("/")
    carrier = find_carrier(session, carrier_code)
    service = session.scalar(select(CarrierService).where(CarrierService.carrier_id == carrier.id,
                                                          CarrierService.code == code.strip()))
    if service is None:
        known = ", ".join(f"{carrier.code}/{c}" for c in session.scalars(select(CarrierService.code).where(
            CarrierService.carrier_id == carrier.id).order_by(CarrierService.code))) or "none yet"
        raise CarrierSetupRefused(f"There is no service {key.strip()!r}: write it as carrier/service ({known}).")
    return service, carrier


def find_account(session: Session, ref: str) -> tuple[CarrierAccount, Carrier]:
    """An account by ``carrier/number``, its number, its name, or its id."""
    ref = ref.strip()
    query = select(CarrierAccount, Carrier).join(Carrier, Carrier.id == CarrierAccount.carrier_id)
    carrier_code, slash, number = ref.partition("/")
    if slash:
        rows = session.execute(query.where(Carrier.code == carrier_code.lower(), or_(
            CarrierAccount.account_number == number, CarrierAccount.account_number == number.upper()))).all()
    else:
        rows = session.execute(query.where(or_(CarrierAccount.account_number == ref,
                                               CarrierAccount.account_number == ref.upper(),
                                               func.lower(CarrierAccount.name) == ref.lower()))).all()
        if not rows and ref.isdigit():
            rows = session.execute(query.where(CarrierAccount.id == int(ref))).all()
    if len(rows) == 1:
        return rows[0][0], rows[0][1]
    known = ", ".join(f"{c.code}/{a.account_number}" for a, c in (rows or session.execute(
        query.order_by(Carrier.code, CarrierAccount.id)).all())) or "none yet"
    if rows:
        raise CarrierSetupRefused(f"Several accounts match {ref!r}: name one as carrier/number ({known}).")
    raise CarrierSetupRefused(f"There is no carrier account {ref!r} (accounts: {known}).")


def range_kinds(session: Session, carrier: Carrier) -> set[str]:
    """The kinds of number range the carrier's accounts hold."""
    return set(session.scalars(select(NumberRange.kind).join(
        CarrierAccount, CarrierAccount.id == NumberRange.carrier_account_id)
        .where(CarrierAccount.carrier_id == carrier.id)))


def check_service_code(kind: str, service_code: str, service: str | None = None) -> None:
    which = f"Service {service}'s code" if service else "The service code"
    if kind == NumberRangeKind.UPS and not re.fullmatch(r"[A-Za-z0-9]{1,2}", service_code):
        raise CarrierSetupRefused(f"{which} {service_code!r} cannot go in a UPS tracking number: UPS service codes "
                                  "are 2 characters (03 Ground, 02 2nd Day Air, 12 3 Day Select …).")
    if kind == NumberRangeKind.USPS_IMPB and not re.fullmatch(r"\d{1,3}", service_code):
        raise CarrierSetupRefused(f"{which} {service_code!r} cannot go in a USPS tracking number: it must be the "
                                  "3-digit service type code (001 Ground Advantage, 055 Priority Mail …).")


def check_code(code: str, what: str) -> str:
    code = code.strip().lower()
    if not _CODE.fullmatch(code):
        raise CarrierSetupRefused(f"A {what} code is 1 to 32 lower-case letters, digits or dashes, like "
                                  f"{'ups-west' if what == 'carrier' else 'ground'}; {code!r} is not.")
    return code


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise CarrierSetupRefused("A name is 1 to 100 characters.")
    return name


def check_postal(code: str | None) -> str | None:
    if code is None or not code.strip():
        return None
    code = code.strip().upper()
    if len(code) > 20 or not re.fullmatch(r"[A-Z0-9][A-Z0-9 -]*", code):
        raise CarrierSetupRefused(f"{code!r} is not a postal code.")
    return code


# -- API carriers (EasyPost) and their keys ---------------------------------------------------

@dataclass(frozen=True)
class NewEasyPost:
    code: str
    name: str
    easypost_carrier: str  # EasyPost's name of the carrier: USPS, UPS, FedEx …
    services: tuple[tuple[str, str, str], ...]  # (code, name, EasyPost service), e.g. ("priority", …, "Priority")
    carrier_account: str | None = None  # EasyPost ``ca_…``; None: every carrier account of the key
    api_base: str | None = None
    origin_postal_code: str | None = None
    currency: str = "USD"


def add_easypost(database: Database, actor: Actor, new: NewEasyPost) -> CarrierInfo:
    """An API carrier whose labels are bought from EasyPost: its services and one account.
    The account gets its key with ``set_api_key``; until then it is not offered."""
    if not new.services:
        raise CarrierSetupRefused("Name at least one service, as CODE:NAME:EASYPOST_SERVICE, e.g. "
                                  "priority:USPS Priority Mail:Priority.")
    easypost_carrier = new.easypost_carrier.strip()
    if not easypost_carrier:
        raise CarrierSetupRefused("Say which carrier EasyPost should use, as EasyPost names it: USPS, UPS, FedEx …")
    settings: dict[str, Any] = {"easypost_carrier": easypost_carrier}
    if new.carrier_account:
        if not re.fullmatch(r"ca_[A-Za-z0-9]+", new.carrier_account.strip()):
            raise CarrierSetupRefused(f"{new.carrier_account!r} is not an EasyPost carrier account id: they look "
                                      "like ca_0123456789abcdef (EasyPost dashboard → Carrier Accounts).")
        settings["easypost_carrier_account"] = new.carrier_account.strip()
    if new.api_base:
        if not re.fullmatch(r"https?://\S+", new.api_base.strip()):
            raise CarrierSetupRefused(f"{new.api_base!r} is not a web address (https://…).")
        settings["api_base"] = new.api_base.strip().rstrip("/")
    with database.unit_of_work() as session:
        carrier = new_carrier(session, actor, new.code, new.name, CarrierKind.API.value)
        for code, name, service_code in new.services:
            new_service(session, actor, carrier, NewService(f"{carrier.code}/{code}", name, service_code,
                                                     currency=new.currency), code)
        account = CarrierAccount(carrier_id=carrier.id, account_number=settings.get("easypost_carrier_account",
                                                                                   "easypost"),
                                 name=carrier.name, is_default=True,
                                 origin_postal_code=check_postal(new.origin_postal_code), settings=settings)
        session.add(account)
        session.flush()
        record(session, actor, "carrier.account_added", "carrier_account", account.id,
              {"carrier": carrier.code, "account_number": account.account_number, "easypost": True})
        return carrier_info(session, carrier, None)


def set_api_key(database: Database, actor: Actor,
                account_ref: str, key: str, store: SecretStore | None = None) -> AccountInfo:
    """Store an API carrier account's key in this computer's keyring and record its entry
    name on the account. The key is never written anywhere else."""
    key = key.strip()
    if not key or any(ch.isspace() for ch in key):
        raise CarrierSetupRefused("That is not an API key: it is empty or has spaces in it. Copy it again from the "
                                  "EasyPost dashboard (API Keys).")
    store = store or SecretStore()
    with database.unit_of_work() as session:
        account, carrier = find_account(session, account_ref)
        if carrier.kind != CarrierKind.API.value:
            raise CarrierSetupRefused(f"{carrier.name} makes its labels here from its number range: account "
                                      f"{account.account_number} needs no API key.")
        name = account.keyring_name or f"easypost:{carrier.code}"
        try:
            store.set(name, key)
        except KeyringUnavailable as exc:
            raise CarrierSetupRefused(f"{exc} The API key was not stored.") from None
        account.keyring_name = name
        record(session, actor, "carrier.key_set", "carrier_account", account.id,
              {"carrier": carrier.code, "account_number": account.account_number, "keyring_name": name})
        session.flush()
        return account_info(session, carrier, account, store)
