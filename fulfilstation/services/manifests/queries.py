"""The read side of end-of-day close-out: what is still open, past manifests, and a closed
manifest's rows and sheet (for the PDF and CSV).

Every function is one short read in its own unit of work and returns frozen dataclasses.
Threading: blocking (database); call from worker threads. ``fulfilstation.services.manifests.close``
re-exports all of this beside ``close_manifest``.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Subquery, case, exists, func, select
from sqlalchemy.orm import Session

from fulfilstation.carriers.gateway_accounts import is_gateway_account, manifest_offered
from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Carrier,
    CarrierAccount,
    CarrierService,
    Manifest,
    Order,
    Package,
    Shipment,
    SiteSetting,
    User,
)
from fulfilstation.documents.manifest_sheet import ManifestRow, ManifestSheet
from fulfilstation.domain.enums import CarrierKind, ShipmentStatus
from fulfilstation.services.refused import Refused


class ManifestProblem(enum.StrEnum):
    NOTHING_TO_CLOSE = "nothing-to-close"
    UNKNOWN_CARRIER = "unknown-carrier"
    UNKNOWN_ACCOUNT = "unknown-account"
    CHOOSE_ACCOUNT = "choose-account"
    FUTURE_DATE = "future-date"
    UNKNOWN_MANIFEST = "unknown-manifest"
    NO_SCAN_FORM = "no-scan-form"  # not an EasyPost manifest, or a scan form id that cannot be recorded
    LABEL_PENDING = "label-pending"  # shipments whose label did not print: reprint or confirm each


class ManifestRefused(Refused):
    """A close-out or look-up refused; ``message`` says why in words a manager can act on."""

    code: ManifestProblem

    def __init__(self, problem: ManifestProblem, message: str) -> None:
        super().__init__(problem, message)

    @property
    def problem(self) -> ManifestProblem:
        return self.code


@dataclass(frozen=True)
class PendingLabel:
    """A shipment of the account being closed whose label never printed."""

    shipment_id: int
    order_number: str
    tracking_number: str
    station: str | None
    created_at: dt.datetime

    def describe(self) -> str:
        return (f"shipment {self.shipment_id} (order {self.order_number}, tracking {self.tracking_number}, "
                f"packed at {self.station or 'no station'} {self.created_at.astimezone():%Y-%m-%d %H:%M})")


class LabelsPendingRefused(ManifestRefused):
    """The close is refused while shipments of the account wait for their label; ``pending``
    lists them (a window shows them as a checklist to confirm)."""

    def __init__(self, message: str, pending: tuple[PendingLabel, ...]) -> None:
        super().__init__(ManifestProblem.LABEL_PENDING, message)
        self.pending = pending


@dataclass(frozen=True)
class OpenGroup:
    """Shipments of one carrier account not yet on a manifest (voided ones left out)."""

    carrier_code: str
    carrier_name: str
    account_id: int
    account_number: str
    account_name: str
    shipments: int
    packages: int
    weight_g: int
    unprinted: int  # label-pending shipments among them: labels still to (re)print


def scan_form_retry(number: str) -> str:
    """How a manager makes a missing scan form, in words (window and command line)."""
    return f"Press Retry scan form in the Manifests window, or run: fulfilstation manifest scan-form {number}"


@dataclass(frozen=True)
class ManifestInfo:
    """A closed manifest as stored (it never changes, but for its scan form recorded once).

    ``scan_form_expected``: the account is an API carrier's (EasyPost) and the manifest holds
    bought labels, so an EasyPost scan form belongs with it; ``scan_form_id``/``_url`` are
    the recorded form. ``scan_form_problem`` is only set on the result of a close or a retry
    whose scan form call failed: why, in words, with the fix."""

    id: int
    number: str
    carrier_code: str
    carrier_name: str
    account_id: int
    account_number: str
    manifest_date: dt.date
    shipment_count: int
    package_count: int
    total_weight_g: int
    closed_at: dt.datetime
    closed_by: str | None
    scan_form_expected: bool = False
    scan_form_id: str | None = None
    scan_form_url: str | None = None
    scan_form_problem: str | None = None
    form_name: str = "EasyPost scan form"  # a carrier gateway's account: "carrier manifest"

    @property
    def scan_form_missing(self) -> bool:
        return self.scan_form_expected and self.scan_form_id is None

    @property
    def scan_form_note(self) -> str | None:
        """The line to show about the scan form, or None when no scan form belongs with it."""
        if self.scan_form_id:
            return f"{self.form_name[0].upper()}{self.form_name[1:]}: {self.scan_form_id}"
        if not self.scan_form_expected:
            return None
        return self.scan_form_problem or (f"The {self.form_name} of {self.number} is missing. "
                                          f"{scan_form_retry(self.number)}")


def _package_totals() -> Subquery:
    return (select(Package.shipment_id, func.count(Package.id).label("packages"),
                   func.coalesce(func.sum(Package.weight_measured_g), 0).label("weight"))
            .group_by(Package.shipment_id).subquery())


def open_shipments(database: Database, carrier_code: str | None = None) -> list[OpenGroup]:
    """Per carrier account: shipments from every station that are neither manifested nor
    voided, with their package count, weight and how many still wait for a label."""
    packages = _package_totals()
    query = (select(Carrier.code, Carrier.name, CarrierAccount.id, CarrierAccount.account_number,
                    CarrierAccount.name, func.count(Shipment.id), func.coalesce(func.sum(packages.c.packages), 0),
                    func.coalesce(func.sum(packages.c.weight), 0),
                    func.sum(case((Shipment.status == ShipmentStatus.LABEL_PENDING.value, 1), else_=0)))
             .join(CarrierAccount, CarrierAccount.id == Shipment.carrier_account_id)
             .join(Carrier, Carrier.id == CarrierAccount.carrier_id)
             .outerjoin(packages, packages.c.shipment_id == Shipment.id)
             .where(Shipment.manifest_id.is_(None), Shipment.status != ShipmentStatus.VOIDED.value)
             .group_by(Carrier.code, Carrier.name, CarrierAccount.id, CarrierAccount.account_number,
                       CarrierAccount.name)
             .order_by(Carrier.code, CarrierAccount.id))
    if carrier_code is not None:
        query = query.where(Carrier.code == carrier_code.strip().lower())
    with database.unit_of_work() as session:
        return [OpenGroup(code, name, account_id, number, account_name, int(count), int(n_packages), int(weight),
                          int(unprinted or 0))
                for code, name, account_id, number, account_name, count, n_packages, weight, unprinted
                in session.execute(query)]


def _infos(session: Session, *criteria: ColumnElement[bool], limit: int | None = None) -> list[ManifestInfo]:
    shipments = select(func.count(Shipment.id)).where(Shipment.manifest_id == Manifest.id).scalar_subquery()
    labels = exists().where(Shipment.manifest_id == Manifest.id, Shipment.external_id.is_not(None),
                            Shipment.tracking_number.is_not(None), Shipment.status != ShipmentStatus.VOIDED.value)
    rows = session.execute(
        select(Manifest, Carrier.code, Carrier.name, CarrierAccount.account_number, User.full_name, shipments,
               Carrier.kind, labels.label("labels"), CarrierAccount.settings)
        .join(CarrierAccount, CarrierAccount.id == Manifest.carrier_account_id)
        .join(Carrier, Carrier.id == CarrierAccount.carrier_id)
        .outerjoin(User, User.id == Manifest.closed_by_id)
        .where(*criteria).order_by(Manifest.closed_at.desc(), Manifest.id.desc()).limit(limit)).all()
    return [ManifestInfo(m.id, m.number, code, name, m.carrier_account_id, account, m.manifest_date, int(n or 0),
                         m.package_count, m.total_weight_g, m.closed_at, closed_by,
                         scan_form_expected=kind == CarrierKind.API.value and bool(has_labels)
                         and _form_expected(settings),
                         scan_form_id=m.external_id, scan_form_url=m.external_form_url,
                         form_name="carrier manifest" if is_gateway_account(settings) else "EasyPost scan form")
            for m, code, name, account, closed_by, n, kind, has_labels, settings in rows]


def _form_expected(settings: dict[str, object] | None) -> bool:
    """EasyPost: always; a carrier gateway's account: when its carrier has a manifest call."""
    return not is_gateway_account(settings) or manifest_offered(str((settings or {}).get("karrio_carrier") or ""))


def past_manifests(database: Database, carrier: str | None = None, limit: int = 200) -> list[ManifestInfo]:
    """Closed manifests, newest first (optionally of one carrier code), for reprinting."""
    criteria = [] if carrier is None else [Manifest.carrier_account_id.in_(
        select(CarrierAccount.id).join(Carrier).where(Carrier.code == carrier.strip().lower()))]
    with database.unit_of_work() as session:
        return _infos(session, *criteria, limit=limit)


def manifest_info(session: Session, manifest_id: int) -> ManifestInfo:
    found = _infos(session, Manifest.id == manifest_id)
    if not found:
        raise ManifestRefused(ManifestProblem.UNKNOWN_MANIFEST, f"There is no manifest {manifest_id}.")
    return found[0]


def find_manifest(database: Database, number: str) -> ManifestInfo:
    """The manifest called ``number`` (as printed, e.g. ``M-UPS-20261202-1``)."""
    with database.unit_of_work() as session:
        found = _infos(session, Manifest.number == number.strip().upper())
    if not found:
        raise ManifestRefused(ManifestProblem.UNKNOWN_MANIFEST, f"There is no manifest {number.strip()!r}: "
                              "'fulfilstation manifest list' shows the closed ones.")
    return found[0]


def _rows(session: Session, manifest_id: int) -> tuple[ManifestRow, ...]:
    rows = session.execute(
        select(Package.tracking_number, Shipment.tracking_number, CarrierService.name, Package.weight_measured_g,
               Order.ship_to_postal_code, Order.number)
        .join(Shipment, Shipment.id == Package.shipment_id)
        .join(CarrierService, CarrierService.id == Shipment.service_id)
        .join(Order, Order.id == Shipment.order_id)
        .where(Shipment.manifest_id == manifest_id)
        .order_by(Shipment.id, Package.sequence))
    return tuple(ManifestRow(package_tracking or shipment_tracking or "", service, weight, postal or "", order)
                 for package_tracking, shipment_tracking, service, weight, postal, order in rows)


def manifest_rows(database: Database, manifest_id: int) -> list[ManifestRow]:
    """One row per package on the manifest, in shipment then package order."""
    with database.unit_of_work() as session:
        return list(_rows(session, manifest_id))


def pickup_address(session: Session) -> tuple[str, ...]:
    """The site's ``ship_from`` setting as address lines (where the driver collects)."""
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "ship_from"))
    if not isinstance(value, dict):
        return ()
    place = " ".join(str(value.get(k) or "") for k in ("city", "region", "postal_code")).split()
    lines = (value.get("name"), value.get("line1"), value.get("line2"), " ".join(place), value.get("country"),
             value.get("phone"))
    return tuple(str(line) for line in lines if line)


def manifest_sheet(database: Database, manifest_id: int) -> ManifestSheet:
    """Everything the manifest PDF and CSV show, read in one unit of work."""
    with database.unit_of_work() as session:
        info = manifest_info(session, manifest_id)
        account_name = session.get_one(CarrierAccount, info.account_id).name
        return ManifestSheet(number=info.number, carrier_code=info.carrier_code, carrier_name=info.carrier_name,
                             account_number=info.account_number, account_name=account_name,
                             manifest_date=info.manifest_date, closed_at=info.closed_at, closed_by=info.closed_by,
                             pickup=pickup_address(session), rows=_rows(session, manifest_id),
                             shipment_count=info.shipment_count, package_count=info.package_count,
                             total_weight_g=info.total_weight_g, scan_form_id=info.scan_form_id)
