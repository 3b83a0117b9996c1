"""End-of-day close-out: put a carrier account's open shipments on one manifest for the driver.

``close_manifest`` is ONE transaction:

1. insert the manifest row (number ``M-<CARRIER>-<YYYYMMDD>-<n>``, unique in the database);
2. claim the shipments with one conditional ``UPDATE shipments SET manifest_id = :m WHERE
   carrier_account_id = :a AND manifest_id IS NULL AND status != 'voided' AND created_at <
   :cutoff`` — the database decides: a shipment lands on exactly one manifest even when two
   managers close at once (the second finds the rows taken and gets only what is left);
3. count the packages and weight claimed and store them on the manifest, and write the
   audit entry and an outbox message, all before the commit.

A shipment still waiting for its label from a carrier API (no tracking number yet) is not
taken: it cannot go with the driver, and goes on a later manifest once its label is bought.
A label-pending shipment that has its tracking number (its label failed to print) refuses
the close (``LabelsPendingRefused``, listing each) unless the manager confirms that very
shipment's label is on the parcel (``confirmed_printed``: e.g. printed on another
printer): each confirmed one is marked printed by a conditional UPDATE and audited
(``shipment.label_confirmed``) in the close's transaction. The claim itself never takes a
label-pending shipment (``status = 'printed'`` in its WHERE), so one committed meanwhile
waits for a later manifest instead of riding on this one unlabelled.
A close that claims nothing is refused (``ManifestRefused``) and rolls back, so no empty
manifest is ever stored. A closed manifest never changes: there is no update path here,
and migration 0002 makes the database refuse UPDATE/DELETE of a manifest with packages and
any change of a manifested shipment's ``manifest_id`` (or voiding it). A shipment committed
after the close goes on the next manifest. Two closes that pick the same number race on
the unique constraint: the loser retries with the next number (then usually finds nothing
left). Documents are made only after the commit, from the stored rows.

An API carrier's (EasyPost) manifest also gets its scan form — after the commit, never
inside the transaction: ``manifest_scan_form.scan_form_after_close`` asks EasyPost for the
form of exactly that manifest's bought labels and records it on the row once (the one
change migration 0003 allows). If EasyPost fails, the manifest stays closed; the result's
``scan_form_problem`` says so and how to retry (``attach_scan_form``). Local carriers'
closes make no network call at all.

Threading: blocking (database, and EasyPost for API carriers); call from worker threads.
Safe from many stations at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from fulfilstation.carriers.easypost_adapter import EasyPostAdapter, adapter_for
from fulfilstation.carriers.gateway_accounts import GatewayFactory, gateway_for
from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import (
    Carrier,
    CarrierAccount,
    Manifest,
    Order,
    OutboxMessage,
    Package,
    Shipment,
    Station,
)
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.context import AdapterFactory
from fulfilstation.services.manifests.queries import (
    LabelsPendingRefused,
    ManifestInfo,
    ManifestProblem,
    ManifestRefused,
    OpenGroup,
    PendingLabel,
    find_manifest,
    manifest_info,
    manifest_rows,
    manifest_sheet,
    open_shipments,
    past_manifests,
    scan_form_retry,
)
from fulfilstation.services.manifests.scan_form import attach_scan_form, record_scan_form, scan_form_after_close

ManifestResult = ManifestInfo  # what close_manifest returns: the manifest as committed, with its scan form
ATTEMPTS = 5
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock (PostgreSQL)

__all__ = [
    "LabelsPendingRefused", "ManifestInfo", "ManifestProblem", "ManifestRefused", "ManifestResult", "OpenGroup",
    "PendingLabel", "attach_scan_form",
    "close_manifest", "find_manifest", "manifest_rows", "manifest_sheet", "open_shipments",
    "past_manifests", "record_scan_form", "scan_form_retry",
]


def close_manifest(database: Database, actor: Actor, carrier_code: str, account_id: int | str | None = None,
                   date: dt.date | None = None, *, now: dt.datetime | None = None,
                   adapter: EasyPostAdapter | None = None,
                   make_adapter: AdapterFactory = adapter_for,
                   confirmed_printed: Collection[int] = (),
                   make_gateway: GatewayFactory = gateway_for) -> ManifestResult:
    """Close ``date``'s manifest (default: today, local time) of one account of the carrier.

    ``account_id`` is the account's id or account number; without it the carrier's only
    account with open shipments is used (several → refused, naming them). Shipments created
    before the end of ``date`` (and before now) are taken; the manifest and its audit entry
    name ``actor`` (a manager's or owner's role is checked by the use case). Raises
    ManifestRefused with the reason in plain words; LabelsPendingRefused while a shipment
    to be taken is label-pending and its id is not in ``confirmed_printed``.

    For an EasyPost manifest the scan form follows the commit (``adapter``: default, the
    account's own); its failure is reported in ``scan_form_problem``, never raised."""
    now = now or utcnow()
    today = now.astimezone().date()
    day = date or today
    if day > today:
        raise ManifestRefused(ManifestProblem.FUTURE_DATE, f"{day:%Y-%m-%d} has not begun yet: a manifest closes "
                              "a day that has started (today or earlier).")
    next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).astimezone()
    cutoff = min(now, next_midnight)
    info = _close_committed(database, actor, carrier_code, account_id, day, cutoff, frozenset(confirmed_printed))
    return scan_form_after_close(database, actor, info, adapter, make_adapter, make_gateway)


def _close_committed(database: Database, actor: Actor, carrier_code: str, account_id: int | str | None,
                     day: dt.date, cutoff: dt.datetime, confirmed: frozenset[int]) -> ManifestInfo:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with database.unit_of_work() as session:
                return _close(session, actor, carrier_code, account_id, day, cutoff, confirmed)
        except IntegrityError as exc:
            if attempt == ATTEMPTS or not _number_taken(exc):
                raise
        except OperationalError as exc:
            if attempt == ATTEMPTS or not _transient(exc):
                raise
    raise AssertionError("unreachable")


def _number_taken(exc: IntegrityError) -> bool:
    text = str(exc.orig)
    return "uq_manifests_number" in text or "manifests.number" in text


def _transient(exc: OperationalError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in _RETRY_SQLSTATES or "database is locked" in str(exc.orig)


def _close(session: Session, actor: Actor, carrier_code: str, account_ref: int | str | None, day: dt.date,
           cutoff: dt.datetime, confirmed: frozenset[int]) -> ManifestInfo:
    carrier = _carrier(session, carrier_code)
    account = _account(session, carrier, account_ref, cutoff)
    _settle_pending_labels(session, actor, carrier, account, cutoff, confirmed)
    manifest = Manifest(number=_next_number(session, carrier.code, day), carrier_account_id=account.id,
                        manifest_date=day, package_count=0, total_weight_g=0, closed_by_id=actor.user_id,
                        station_id=actor.station_id, closed_at=utcnow())
    session.add(manifest)
    session.flush()
    claimed = rows_changed(session, update(Shipment).where(
        Shipment.carrier_account_id == account.id, Shipment.manifest_id.is_(None),
        Shipment.status == ShipmentStatus.PRINTED.value, Shipment.tracking_number.is_not(None),
        Shipment.created_at < cutoff)
        .values(manifest_id=manifest.id).execution_options(synchronize_session=False))
    if not claimed:
        raise _nothing(carrier, account)
    packages, weight = session.execute(
        select(func.count(Package.id), func.coalesce(func.sum(Package.weight_measured_g), 0))
        .join(Shipment, Shipment.id == Package.shipment_id).where(Shipment.manifest_id == manifest.id)).one()
    manifest.package_count, manifest.total_weight_g = int(packages), int(weight)
    session.flush()  # the totals: the one UPDATE the guard allows (package_count was still 0)
    details = {"number": manifest.number, "carrier": carrier.code, "account": account.account_number,
               "date": day.isoformat(), "shipments": claimed, "packages": int(packages), "weight_g": int(weight),
               "cutoff": cutoff.astimezone(dt.UTC).isoformat()}
    audit.record(session, actor, "manifest.closed", "manifest", manifest.id, details)
    session.add(OutboxMessage(topic="manifest.closed", dedup_key=f"manifest.closed:{manifest.id}",
                              payload={"manifest_id": manifest.id, **details}))
    session.flush()
    return manifest_info(session, manifest.id)


def _settle_pending_labels(session: Session, actor: Actor, carrier: Carrier, account: CarrierAccount,
                           cutoff: dt.datetime, confirmed: frozenset[int]) -> None:
    """Refuse while a shipment to be taken is label-pending and not confirmed; mark the
    confirmed ones printed (conditional UPDATE) with their audit entries."""
    rows = session.execute(select(Shipment.id, Order.number, Shipment.tracking_number, Station.name,
                                  Shipment.created_at)
                           .join(Order, Order.id == Shipment.order_id)
                           .outerjoin(Station, Station.id == Shipment.station_id)
                           .where(Shipment.carrier_account_id == account.id, Shipment.manifest_id.is_(None),
                                  Shipment.status == ShipmentStatus.LABEL_PENDING.value,
                                  Shipment.tracking_number.is_not(None), Shipment.created_at < cutoff)
                           .order_by(Shipment.created_at, Shipment.id)).all()
    pending = tuple(PendingLabel(int(i), str(number), str(tracking), station, created)
                    for i, number, tracking, station, created in rows)
    unconfirmed = tuple(label for label in pending if label.shipment_id not in confirmed)
    if unconfirmed:
        listed = "; ".join(label.describe() for label in unconfirmed)
        raise LabelsPendingRefused(
            f"{len(unconfirmed)} {carrier.name} shipment{'s are' if len(unconfirmed) != 1 else ' is'} still "
            f"waiting for {'their labels' if len(unconfirmed) != 1 else 'its label'}: {listed}. Reprint them "
            "(Shipments → Label pending, or fulfilstation shipments reprint ID), or confirm each label is on its "
            "parcel (printed on another printer), then close again. No manifest was made.", unconfirmed)
    for label in pending:
        marked = rows_changed(session, update(Shipment).where(
            Shipment.id == label.shipment_id, Shipment.status == ShipmentStatus.LABEL_PENDING.value)
            .values(status=ShipmentStatus.PRINTED.value, printed_at=utcnow())
            .execution_options(synchronize_session=False))
        if marked:
            audit.record(session, actor, "shipment.label_confirmed", "shipment", label.shipment_id,
                         {"order": label.order_number, "tracking": label.tracking_number,
                          "confirmed": "label on the parcel, printed elsewhere", "carrier": carrier.code})


def _carrier(session: Session, code: str) -> Carrier:
    carrier = session.scalar(select(Carrier).where(Carrier.code == code.strip().lower()))
    if carrier is None:
        known = ", ".join(session.scalars(select(Carrier.code).order_by(Carrier.code))) or "none set up"
        raise ManifestRefused(ManifestProblem.UNKNOWN_CARRIER, f"There is no carrier {code.strip()!r} "
                              f"(carriers: {known}).")
    return carrier


def _account(session: Session, carrier: Carrier, ref: int | str | None, cutoff: dt.datetime) -> CarrierAccount:
    accounts = session.scalars(select(CarrierAccount).where(CarrierAccount.carrier_id == carrier.id)
                               .order_by(CarrierAccount.id)).all()
    if ref is not None:
        wanted = str(ref).strip()
        found = next((a for a in accounts if a.account_number == wanted), None) or next(
            (a for a in accounts if str(a.id) == wanted), None)
        if found is None:
            listed = ", ".join(f"{a.id} ({a.account_number})" for a in accounts) or "none"
            raise ManifestRefused(ManifestProblem.UNKNOWN_ACCOUNT, f"{carrier.name} has no account {wanted!r} "
                                  f"(its accounts: {listed}).")
        return found
    open_ids = set(session.scalars(select(Shipment.carrier_account_id).distinct().where(
        Shipment.carrier_account_id.in_([a.id for a in accounts]), Shipment.manifest_id.is_(None),
        Shipment.status != ShipmentStatus.VOIDED.value, Shipment.tracking_number.is_not(None),
        Shipment.created_at < cutoff)))
    candidates = [a for a in accounts if a.id in open_ids]
    if len(candidates) > 1:
        listed = ", ".join(f"{a.id} ({a.account_number})" for a in candidates)
        raise ManifestRefused(ManifestProblem.CHOOSE_ACCOUNT, f"{carrier.name} has open shipments on "
                              f"{len(candidates)} accounts: {listed}. Close each one, naming the account.")
    if not candidates:
        raise _nothing(carrier, None)
    return candidates[0]


def _nothing(carrier: Carrier, account: CarrierAccount | None) -> ManifestRefused:
    where = f"{carrier.name} account {account.account_number}" if account else carrier.name
    return ManifestRefused(ManifestProblem.NOTHING_TO_CLOSE, f"Nothing to close for {where}: every shipment is "
                           "already on a manifest (or void). No manifest was made.")


def _next_number(session: Session, carrier_code: str, day: dt.date) -> str:
    """``M-<CARRIER>-<YYYYMMDD>-<n>``: ``n`` counts that carrier's manifests of the day. Two
    closes computing the same number collide on the unique constraint; the loser retries."""
    code = "".join(ch for ch in carrier_code.upper() if ch.isascii() and ch.isalnum())[:20] or "X"
    prefix = f"M-{code}-{day:%Y%m%d}-"
    taken = session.scalars(select(Manifest.number).where(Manifest.number.startswith(prefix, autoescape=True)))
    serials = [int(number[len(prefix):]) for number in taken if number[len(prefix):].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1}"
