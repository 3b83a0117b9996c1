"""Shipper accounts of local carriers and the tracking-number ranges they draw from (see
``carrier_setup`` for carriers, services, API carriers and keys).

Invariants:

* Account numbers have the format of the numbering they feed (``specs/devices.md``): a UPS
  shipper number is 6 letters or digits, a USPS mailer id (MID) 6 or 9 digits, a FedEx
  account 9 digits, and the account of SSCC numbers is the GS1 company prefix (4 to 12
  digits). Without a range the carrier code decides (``ups``, ``usps``, ``fedex``); other
  carriers' numbers are free text.
* A range fits its numbering: UPS serials have 7 digits, USPS 16 − the MID's length
  (7 or 10), FedEx Express 11, an SSCC serial reference 16 − the company prefix's length;
  an SSCC range's prefix is its extension digit.
* Two ranges never hand out the same tracking number: ranges of one numbering space may
  not overlap (UPS: same shipper number; USPS: same MID; SSCC: same extension digit and
  company prefix; FedEx Express: every range, its numbers carry no account). An account
  holds one range of a kind; a replacement only moves forward, past the last number used,
  and is a conditional UPDATE (a station taking a number meanwhile makes it refuse). The
  checks run under a PostgreSQL advisory lock so two owners adding ranges at the same time
  cannot both pass; SQLite lets one writer at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from fulfilstation.carriers.numbering import LOCAL_KINDS
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, NumberRange
from fulfilstation.domain.enums import CarrierKind, NumberRangeKind
from fulfilstation.services.actor import Actor
from fulfilstation.services.audit import record
from fulfilstation.services.carriers.setup import (
    AccountInfo,
    CarrierSetupRefused,
    account_info,
    check_name,
    check_postal,
    check_service_code,
    find_account,
    find_carrier,
)

RANGE_KINDS = tuple(k.value for k in NumberRangeKind if k in LOCAL_KINDS)
_LOCK_KEY = 0x0F5C_A221  # pg_advisory_xact_lock key of account and range changes
_FORMATS: dict[str, tuple[str, str]] = {
    NumberRangeKind.UPS: (r"[A-Z0-9]{6}", "a UPS shipper number is 6 letters or digits, e.g. 0W1X23"),
    NumberRangeKind.USPS_IMPB: (r"\d{6}|\d{9}", "a USPS mailer id (MID) is 6 or 9 digits, e.g. 901234567"),
    NumberRangeKind.FEDEX_EXPRESS: (r"\d{9}", "a FedEx account number is 9 digits, e.g. 510087020"),
    NumberRangeKind.SSCC: (r"\d{4,12}", "for SSCC numbers the account number is your GS1 company prefix, "
                                        "4 to 12 digits, e.g. 0614141"),
}
_SCHEME_OF_CODE = {"ups": NumberRangeKind.UPS, "usps": NumberRangeKind.USPS_IMPB,
                   "fedex": NumberRangeKind.FEDEX_EXPRESS}


@dataclass(frozen=True)
class NewRange:
    kind: str  # one of RANGE_KINDS
    first: int
    last: int
    prefix: str | None = None  # SSCC only: the extension digit (default 0)


@dataclass(frozen=True)
class NewAccount:
    carrier: str
    account_number: str
    name: str
    origin_postal_code: str | None = None
    default: bool = False  # the first account of a carrier is its default anyway
    number_range: NewRange | None = None


def add_account(database: Database, actor: Actor, new: NewAccount) -> AccountInfo:
    """A shipper account of a local carrier, with its tracking-number range if given."""
    with database.unit_of_work() as session:
        _serialise(session)
        carrier = find_carrier(session, new.carrier)
        if carrier.kind != CarrierKind.LOCAL.value:
            raise CarrierSetupRefused(f"{carrier.name} ({carrier.code}) buys its labels from an API: its account "
                                      "was made by 'carriers add-easypost'; store its key with 'carriers set-key'.")
        number = account_number(new.account_number, new.number_range.kind if new.number_range
                                else _SCHEME_OF_CODE.get(carrier.code))
        if session.scalar(select(CarrierAccount.id).where(CarrierAccount.carrier_id == carrier.id,
                                                          CarrierAccount.account_number == number)) is not None:
            raise CarrierSetupRefused(f"Carrier {carrier.code} already has account {number}. To give it a range: "
                                      f"'fulfilstation carriers add-range {carrier.code}/{number} --range-kind KIND "
                                      "--first N --last N'.")
        account = CarrierAccount(carrier_id=carrier.id, account_number=number, name=check_name(new.name),
                                 origin_postal_code=check_postal(new.origin_postal_code), settings={})
        session.add(account)
        session.flush()
        record(session, actor, "carrier.account_added", "carrier_account", account.id,
              {"carrier": carrier.code, "account_number": number})
        if new.number_range is not None:
            _put_range(session, actor, carrier, account, new.number_range, replace=False)
        make_default(session, account, new.default)
        return account_info(session, carrier, account, None)


def add_range(database: Database, actor: Actor, account_ref: str, new: NewRange, replace: bool = False) -> AccountInfo:
    """Give an account a tracking-number range; ``replace`` moves the one it has to new
    numbers (when the carrier issues a new block)."""
    with database.unit_of_work() as session:
        _serialise(session)
        account, carrier = find_account(session, account_ref)
        if carrier.kind != CarrierKind.LOCAL.value:
            raise CarrierSetupRefused(f"{carrier.name} buys its labels from an API: it needs no number range.")
        account_number(account.account_number, new.kind)
        _put_range(session, actor, carrier, account, new, replace)
        return account_info(session, carrier, account, None)


def make_default(session: Session, account: CarrierAccount, default: bool) -> None:
    """Make ``account`` its carrier's default when asked, or when the carrier has none."""
    others = session.scalar(select(func.count()).select_from(CarrierAccount).where(
        CarrierAccount.carrier_id == account.carrier_id, CarrierAccount.id != account.id,
        CarrierAccount.is_default.is_(True)))
    if default or not others:
        session.execute(update(CarrierAccount).where(CarrierAccount.carrier_id == account.carrier_id,
                                                     CarrierAccount.id != account.id).values(is_default=False))
        account.is_default = True
        session.flush()


def account_number(text_value: str, scheme: str | None) -> str:
    """The account number, checked against the format of ``scheme`` (a range kind)."""
    number = text_value.strip()
    if scheme == NumberRangeKind.UPS:
        number = number.upper()
    if scheme in _FORMATS:
        pattern, explanation = _FORMATS[scheme]
        if not re.fullmatch(pattern, number):
            raise CarrierSetupRefused(f"{number!r} is not a valid account number here: {explanation}.")
    if not number or len(number) > 64:
        raise CarrierSetupRefused("An account number is 1 to 64 characters.")
    return number


def _put_range(session: Session, actor: Actor,
               carrier: Carrier, account: CarrierAccount, new: NewRange, replace: bool) -> None:
    kind, prefix = _range_shape(account.account_number, new)
    for service in session.scalars(select(CarrierService).where(CarrierService.carrier_id == carrier.id)):
        check_service_code(kind, service.service_code, service.code)
    held = session.scalar(select(NumberRange).where(NumberRange.carrier_account_id == account.id,
                                                    NumberRange.kind == kind))
    if held is not None and not replace:
        raise CarrierSetupRefused(
            f"Account {account.account_number} already has a {kind} range ({held.first_value:,}–{held.last_value:,}, "
            f"{held.last_value - held.next_value + 1:,} left). To move it to a new block of numbers from the "
            f"carrier: 'fulfilstation carriers add-range {carrier.code}/{account.account_number} --range-kind {kind} "
            "--first N --last N --replace'.")
    if held is not None and new.first < held.next_value:
        raise CarrierSetupRefused(f"A replacement range starts at {held.next_value:,} or later (the next number "
                                  "the old one would have given), so no tracking number is issued twice: "
                                  f"--first {held.next_value} or more.")
    _refuse_overlap(session, account, kind, prefix, new, held)
    if held is None:
        session.add(NumberRange(carrier_account_id=account.id, kind=kind, prefix=prefix, first_value=new.first,
                                next_value=new.first, last_value=new.last))
    elif not rows_changed(session, update(NumberRange).where(
            NumberRange.id == held.id, NumberRange.next_value == held.next_value).values(
            prefix=prefix, first_value=new.first, next_value=new.first, last_value=new.last)
            .execution_options(synchronize_session=False)):
        raise CarrierSetupRefused("A station took a number from this range meanwhile: run the command again.")
    else:
        session.expire(held)
    session.flush()
    record(session, actor, "carrier.range_replaced" if held else "carrier.range_added", "carrier_account", account.id,
          {"carrier": carrier.code, "account_number": account.account_number, "kind": kind, "prefix": prefix,
           "first": new.first, "last": new.last})


def _range_shape(number: str, new: NewRange) -> tuple[str, str]:
    """(kind, prefix) once the range is known to fit the numbering of its kind."""
    kind = new.kind
    if kind not in RANGE_KINDS:
        raise CarrierSetupRefused(f"{kind!r} is not a kind of tracking-number range: use one of "
                                  f"{', '.join(RANGE_KINDS)}.")
    if kind == NumberRangeKind.SSCC:
        prefix = "0" if new.prefix is None else new.prefix.strip()
        if not re.fullmatch(r"\d", prefix):
            raise CarrierSetupRefused("The prefix of an SSCC range is its extension digit: one digit, 0 to 9.")
        top = 10 ** (16 - len(number)) - 1
    else:
        if new.prefix:
            raise CarrierSetupRefused(f"A {kind} range takes no --prefix (only SSCC ranges do).")
        prefix = ""
        if kind == NumberRangeKind.USPS_IMPB:
            top = 10 ** (16 - len(number)) - 1  # MID + serial are 16 digits
        else:
            top = 99_999_999_999 if kind == NumberRangeKind.FEDEX_EXPRESS else 9_999_999
    if not 0 <= new.first <= new.last <= top:
        raise CarrierSetupRefused(f"A {kind} range for this account lies within 0–{top:,}, its first number not "
                                  f"above its last: {new.first:,}–{new.last:,} does not.")
    return kind, prefix


def _refuse_overlap(session: Session, account: CarrierAccount, kind: str, prefix: str, new: NewRange,
                    held: NumberRange | None) -> None:
    space = _space(kind, account.account_number, prefix)
    rows = session.execute(select(NumberRange, CarrierAccount, Carrier)
                           .join(CarrierAccount, CarrierAccount.id == NumberRange.carrier_account_id)
                           .join(Carrier, Carrier.id == CarrierAccount.carrier_id)
                           .where(NumberRange.kind == kind).order_by(NumberRange.id)).all()
    for other, owner, carrier in rows:
        if _space(kind, owner.account_number, other.prefix) != space:
            continue
        first, last = other.first_value, other.last_value
        if held is not None and other.id == held.id:
            last = other.next_value - 1  # of the range being replaced, only the numbers already used count
        if first <= new.last and new.first <= last:
            raise CarrierSetupRefused(
                f"The {kind} range {new.first:,}–{new.last:,} overlaps numbers {first:,}–{last:,} of account "
                f"{owner.account_number} ({owner.name}, carrier {carrier.code}): two labels would get the same "
                "tracking number. Enter the block of numbers the carrier gave this account, outside that range.")


def _space(kind: str, number: str, prefix: str) -> tuple[str, ...]:
    """The numbering space of a range: ranges of one space must not overlap."""
    if kind == NumberRangeKind.FEDEX_EXPRESS:
        return (kind,)
    if kind == NumberRangeKind.SSCC:
        return (kind, prefix or "0", number)
    return (kind, number.upper())


def _serialise(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
