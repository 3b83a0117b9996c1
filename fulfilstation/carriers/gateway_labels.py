"""Buying a shipment's labels through a ``CarrierGateway`` (karrio) without ever paying twice.

The shipment is committed label-pending first, like every shipment. Then, outside any
transaction, in steps each safe to repeat after a timeout, a crash or another station:

1. Short transaction (``_plan``): the shipment gets its idempotency key unless it has one
   (``UPDATE … WHERE idempotency_key IS NULL``; unique). Its packages without a label are
   what is left to buy: all of them as the parcels of ONE carrier shipment when the gateway
   has ``Capability.MULTI_PARCEL`` (reference: the key), else one carrier shipment per
   package (reference: ``KEY-<sequence>``).
2. A claim left by an earlier attempt (``label_requested_at``) means the carrier may have made
   the label: ``find_label(reference)`` first. Found → recorded; ``None`` → bought below;
   ``LOOKUP_UNSUPPORTED`` → refused: a person checks the carrier's site, then voids the
   shipment or confirms. A claim younger than ``IN_FLIGHT`` whose call has not ended
   (``label_unanswered_at`` unset) is another station's purchase under way: refused for now.
3. The claim, decided by the database: ``UPDATE … SET label_requested_at = :now WHERE
   label_requested_at IS NULL`` (or ``= :seen`` after a look-up that found nothing). Only its
   winner calls ``create_label``. A refusal from the carrier gives the claim back; no answer
   (``CarrierProblem(uncertain=True)``) keeps it and sets ``label_unanswered_at``.
4. Short transaction per carrier shipment (``_record``): tracking number, label (ZPL as sent;
   a PDF becomes a ``^GFA`` image at the account's dpi), carrier shipment id and cost onto each
   package ``WHERE tracking_number IS NULL AND label_data IS NULL``; when every package has its
   label, the shipment's tracking number (its first package's), cost (the labels' sum) and
   carrier id ``WHERE tracking_number IS NULL``, and the audit entry ``shipment.label_bought``.

Also: ``void_labels`` (after the committed void: cancel every carrier shipment) and
``manifest_numbers`` (the tracking numbers a closed manifest hands the carrier).
Blocking (database and network): worker threads only. Raises ``CarrierProblem`` in words.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fulfilstation.carriers.gateway import (
    LOOKUP_UNSUPPORTED,
    Capability,
    CarrierGateway,
    CarrierLabel,
    CarrierProblem,
    LabelFormat,
    Parcel,
    ShipmentRequest,
)
from fulfilstation.carriers.gateway_accounts import label_dpi
from fulfilstation.carriers.gateway_addresses import ship_from_postal, ship_to_postal
from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import AuditEntry, CarrierAccount, CarrierService, Order, Package, Shipment
from fulfilstation.documents.labels.pdf_to_zpl import PdfLabelProblem, image_to_zpl, pdf_to_zpl
from fulfilstation.domain.enums import ShipmentStatus

IN_FLIGHT = dt.timedelta(minutes=2)  # longer than any gateway's timeout: a claim this old got no answer


class LabelMayExist(CarrierProblem):
    """The carrier may have made the label and cannot be asked: a person must look (never bought again)."""


@dataclass(frozen=True)
class _Unit:
    """One carrier shipment to make: its reference and the packages (parcels) it carries."""

    reference: str
    package_ids: tuple[int, ...]
    parcels: tuple[Parcel, ...]


@dataclass(frozen=True)
class _Plan:
    request: ShipmentRequest  # everything but reference and parcels, filled per unit
    units: tuple[_Unit, ...]  # still without labels
    requested_at: dt.datetime | None  # the claim as read
    unanswered: bool  # the claimed call ended without an answer


@dataclass(frozen=True)
class Buyer:
    """Who the audit entry names (ids only: this module knows no service layer)."""

    user_id: int | None = None
    station_id: int | None = None


def buy_labels(database: Database, shipment_id: int, gateway: CarrierGateway, who: Buyer = Buyer(), *,
               now: dt.datetime | None = None) -> None:
    """Make sure every package of the shipment has its carrier label (see the module doc)."""
    plan = _plan(database, shipment_id, gateway)
    if not plan.units:
        return
    seen = plan.requested_at
    if seen is not None:
        if not plan.unanswered and _aware(seen) > (now or utcnow()) - IN_FLIGHT:
            raise CarrierProblem("Another station is getting this shipment's label from the carrier right now. "
                                 "Try again in two minutes; it is never bought twice.")
        units = _look_up(database, shipment_id, gateway, plan, who)
        if not units:
            return
        plan = _Plan(plan.request, units, seen, plan.unanswered)
    claim = _claim(database, shipment_id, seen, now or utcnow())
    for unit in plan.units:
        try:
            label = gateway.create_label(replace(plan.request, reference=unit.reference, parcels=unit.parcels))
            _record(database, shipment_id, unit, label, plan.request.dpi, who)
        except CarrierProblem as problem:
            _settle_claim(database, shipment_id, claim, problem.uncertain)
            if problem.uncertain and Capability.LABEL_LOOKUP not in gateway.info.capabilities:
                raise LabelMayExist(f"{problem.message} {_check_by_hand(unit.reference)}",
                                    uncertain=True, carrier_text=problem.carrier_text) from None
            raise


def _plan(database: Database, shipment_id: int, gateway: CarrierGateway) -> _Plan:
    with database.unit_of_work() as session:
        shipment = session.get(Shipment, shipment_id)
        if shipment is None or shipment.status == ShipmentStatus.VOIDED.value:
            raise CarrierProblem(f"Shipment {shipment_id} does not exist or is void: no label is bought for it.")
        rows_changed(session, update(Shipment).where(Shipment.id == shipment_id, Shipment.idempotency_key.is_(None))
                     .values(idempotency_key=f"fs-{shipment_id}-{uuid.uuid4().hex[:16]}"))
        session.refresh(shipment)
        packages = session.scalars(select(Package).where(Package.shipment_id == shipment_id)
                                   .order_by(Package.sequence)).all()
        if not packages:
            raise CarrierProblem(f"Shipment {shipment_id} has no package: nothing to label.")
        account = session.get_one(CarrierAccount, shipment.carrier_account_id)
        service = session.get_one(CarrierService, shipment.service_id)
        order = session.get_one(Order, shipment.order_id)
        key = shipment.idempotency_key or ""
        request = ShipmentRequest(reference=key, service_code=service.service_code or service.code,
                                  ship_from=ship_from_postal(session), ship_to=ship_to_postal(order), parcels=(),
                                  label_format=LabelFormat.ZPL, dpi=label_dpi(account.settings),
                                  currency=shipment.currency or "USD")
        left = [p for p in packages if not p.label_data]
        units = _units(key, left, len(packages), Capability.MULTI_PARCEL in gateway.info.capabilities)
        return _Plan(request, units, shipment.label_requested_at, shipment.label_unanswered_at is not None)


def _units(key: str, left: list[Package], count: int, multi: bool) -> tuple[_Unit, ...]:
    if not left:
        return ()
    if multi or count == 1:
        return (_Unit(key, tuple(p.id for p in left), tuple(_parcel(p) for p in left)),)
    return tuple(_Unit(f"{key}-{p.sequence}", (p.id,), (_parcel(p),)) for p in left)


def _parcel(package: Package) -> Parcel:
    return Parcel(package.weight_measured_g, package.length_mm, package.width_mm, package.height_mm,
                  reference=str(package.id))


def _look_up(database: Database, shipment_id: int, gateway: CarrierGateway, plan: _Plan,
             who: Buyer) -> tuple[_Unit, ...]:
    """Find what an unanswered attempt made; the units the carrier has no label for."""
    left = []
    for unit in plan.units:
        found = gateway.find_label(unit.reference)
        if found is LOOKUP_UNSUPPORTED:
            raise LabelMayExist("The carrier did not answer when this shipment's label was asked for, so it may "
                                f"have made the label. {_check_by_hand(unit.reference)}", uncertain=True)
        if isinstance(found, CarrierLabel):
            _record(database, shipment_id, unit, found, plan.request.dpi, who)
        else:
            left.append(unit)
    return tuple(left)


def _check_by_hand(reference: str) -> str:
    return ("It is not bought again: the carrier cannot be asked for it from here. A manager should look on the "
            f"carrier's website for a shipment with reference {reference}: if there is one, cancel it there and "
            "void this shipment here; if there is none, confirm that (fulfilstation "
            "shipments confirm-no-label ORDER) and reprint.")


def _claim(database: Database, shipment_id: int, seen: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """Claim the purchase (the database decides between stations); CarrierProblem when taken."""
    with database.unit_of_work() as session:
        held = Shipment.label_requested_at.is_(None) if seen is None else Shipment.label_requested_at == seen
        if rows_changed(session, update(Shipment).where(
                Shipment.id == shipment_id, Shipment.tracking_number.is_(None), held)
                .values(label_requested_at=now, label_unanswered_at=None)):
            return now
    raise CarrierProblem("Another station is getting this shipment's label from the carrier right now. "
                         "Try again in two minutes; it is never bought twice.")


def _settle_claim(database: Database, shipment_id: int, claim: dt.datetime, uncertain: bool) -> None:
    """After a failed call: keep the claim, marked unanswered (the label may exist), or give it back."""
    values = {"label_unanswered_at": utcnow()} if uncertain else {"label_requested_at": None}
    with database.unit_of_work() as session:
        session.execute(update(Shipment).where(Shipment.id == shipment_id, Shipment.label_requested_at == claim)
                        .values(**values))


def _record(database: Database, shipment_id: int, unit: _Unit, label: CarrierLabel, dpi: int, who: Buyer) -> None:
    zpl = zpl_labels(label, len(unit.package_ids), dpi)
    with database.unit_of_work() as session:
        for index, package_id in enumerate(unit.package_ids):
            tracking = label.tracking_numbers[index] if index < len(label.tracking_numbers) else None
            rows_changed(session, update(Package).where(
                Package.id == package_id, Package.tracking_number.is_(None), Package.label_data.is_(None)).values(
                tracking_number=tracking, label_format="zpl", label_data=zpl[index], external_id=label.external_id,
                label_cost_minor=label.cost_minor + label.insurance_minor if index == 0 else 0))
        _finish(session, shipment_id, label, who)


def _finish(session: Session, shipment_id: int, label: CarrierLabel, who: Buyer) -> None:
    """When every package has its label: the shipment's tracking number, cost and audit entry."""
    packages = session.execute(select(Package.tracking_number, Package.label_data, Package.external_id)
                               .where(Package.shipment_id == shipment_id).order_by(Package.sequence)).all()
    if not all(data for _t, data, _e in packages):
        return
    cost = session.scalar(select(func.coalesce(func.sum(Package.label_cost_minor), 0))
                          .where(Package.shipment_id == shipment_id)) or 0
    first_tracking, _data, first_external = packages[0]
    if rows_changed(session, update(Shipment).where(Shipment.id == shipment_id, Shipment.tracking_number.is_(None))
                    .values(tracking_number=first_tracking, cost_minor=cost, currency=label.currency,
                            external_id=first_external)):
        session.add(AuditEntry(user_id=who.user_id, station_id=who.station_id, action="shipment.label_bought",
                               entity_type="shipment", entity_id=shipment_id,
                               details={"tracking": [t for t, _d, _e in packages], "carrier_shipments":
                                        sorted({e for _t, _d, e in packages if e}), "cost_minor": cost,
                                        "currency": label.currency}))


def zpl_labels(label: CarrierLabel, count: int, dpi: int) -> list[str]:
    """One ZPL label per package, whatever the carrier sent (ZPL, PDF or PNG; one per parcel or all in one)."""
    try:
        texts = [_as_zpl(data, label.label_format, dpi) for data in label.labels]
    except (PdfLabelProblem, UnicodeDecodeError, OSError, ValueError) as exc:
        raise CarrierProblem(f"The carrier made the label but sent it in a form that cannot be printed ({exc}). "
                             "Try again: it is looked up, not bought again.", uncertain=True) from None
    if len(texts) == 1 and count > 1:
        texts = [part + "^XZ\n" for part in texts[0].split("^XZ") if part.strip()]
    if len(texts) != count:
        raise CarrierProblem(f"The carrier sent {len(texts)} labels for {count} parcels: check the shipment on the "
                             "carrier's site before trying again.", uncertain=True)
    return texts


def _as_zpl(data: bytes, label_format: LabelFormat, dpi: int) -> str:
    if label_format == LabelFormat.PDF:
        return pdf_to_zpl(data, dpi).decode("ascii")
    if label_format == LabelFormat.PNG:
        import io

        from PIL import Image
        return image_to_zpl(Image.open(io.BytesIO(data))).decode("ascii")
    return data.decode("utf-8")


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
