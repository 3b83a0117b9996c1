"""Buying a shipment's label from EasyPost without ever paying twice, and the API side of
voiding and closing out.

A shipment of an API carrier is committed first like every shipment (``label-pending``,
no tracking number yet); its label is bought *outside* any database transaction, in steps
that are each safe to repeat after a timeout, a crash, or a second station doing the same:

1. Short transaction: the shipment gets its idempotency key unless it has one
   (``UPDATE … WHERE idempotency_key IS NULL``; the column is unique). A shipment whose
   package already holds a tracking number and a label is finished: nothing is called.
2. No EasyPost shipment recorded yet (``Shipment.external_id``): create one whose
   ``reference`` is the idempotency key, then record its id in a short transaction
   (``UPDATE … WHERE external_id IS NULL``). A station that loses that race uses the
   winner's id; the unbought extra costs nothing.
3. ``EasyPostAdapter.buy`` on the recorded id: it looks first and buys only a shipment
   without postage, and EasyPost sells one label per shipment.
4. Short transaction: tracking number, ZPL label and cost onto the package and the
   shipment, ``WHERE tracking_number IS NULL`` (a second finisher changes nothing), and
   the audit entry ``shipment.label_bought``. Printing follows as for every shipment.

The ship and reprint use cases call this after their commit
(``fulfilstation.services.shipping.api_labels.ensure_label``). One package per API shipment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.carriers.easypost_adapter import Address, EasyPostAdapter, LabelRequest, ScanForm
from fulfilstation.carriers.easypost_errors import EasyPostProblem
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import (
    AuditEntry,
    Carrier,
    CarrierAccount,
    CarrierService,
    Order,
    Package,
    Shipment,
    ShipmentNote,
    SiteSetting,
)
from fulfilstation.domain.enums import ShipmentStatus


@dataclass(frozen=True)
class BoughtLabel:
    shipment_id: int
    tracking_number: str
    label_zpl: bytes
    cost_minor: int
    currency: str


@dataclass(frozen=True)
class _Plan:
    request: LabelRequest
    external_id: str | None
    carrier: str
    service: str


def purchase_label(database: Database, shipment_id: int, adapter: EasyPostAdapter, *, user_id: int | None = None,
                   station_id: int | None = None) -> BoughtLabel:
    """Buy (or find) the label of ``shipment_id`` for ``user_id`` at ``station_id`` (named in the
    audit entry). Raises ``EasyPostProblem`` in words; calling again after any failure is safe."""
    plan = _prepare(database, shipment_id)
    if isinstance(plan, BoughtLabel):
        return plan
    external_id = plan.external_id or _record_external_id(database, shipment_id, adapter.create_shipment(plan.request))
    label = adapter.buy(external_id, plan.carrier, plan.service)
    try:
        zpl = label.label_zpl.decode("utf-8")
    except UnicodeDecodeError:
        raise EasyPostProblem("EasyPost sent a label that is not ZPL text: check the carrier account's label "
                              "format.") from None
    with database.unit_of_work() as session:
        package = _single_package(session, shipment_id)
        rows_changed(session, update(Package).where(Package.id == package.id, Package.tracking_number.is_(None))
                     .values(tracking_number=label.tracking_code, label_format="zpl", label_data=zpl))
        stored = rows_changed(session, update(Shipment).where(
            Shipment.id == shipment_id, Shipment.tracking_number.is_(None)).values(
            tracking_number=label.tracking_code, cost_minor=label.cost_minor, currency=label.currency))
        if stored:
            session.add(AuditEntry(user_id=user_id, station_id=station_id, action="shipment.label_bought",
                                   entity_type="shipment", entity_id=shipment_id,
                                   details={"tracking": label.tracking_code, "easypost_id": external_id,
                                            "cost_minor": label.cost_minor, "currency": label.currency}))
    return BoughtLabel(shipment_id, label.tracking_code, label.label_zpl, label.cost_minor, label.currency)


def refund_label(database: Database, shipment_id: int, adapter: EasyPostAdapter) -> str:
    """Ask EasyPost for the money back of a shipment already voided here (the void is
    committed first, so a refund never leaves a live shipment without its label).
    Returns EasyPost's refund status and notes it on the shipment."""
    with database.unit_of_work() as session:
        shipment = session.get(Shipment, shipment_id)
        if shipment is None or shipment.status != ShipmentStatus.VOIDED.value:
            raise EasyPostProblem("Void the shipment first; its label is refunded after that.")
        if shipment.external_id is None:
            raise EasyPostProblem("This shipment's label was not bought from EasyPost: nothing to refund.")
        external_id = shipment.external_id
    status = adapter.refund(external_id)
    with database.unit_of_work() as session:
        session.add(ShipmentNote(shipment_id=shipment_id, text=f"EasyPost refund {status}."))
    return status


def scan_form_for(database: Database, manifest_id: int, adapter: EasyPostAdapter) -> ScanForm:
    """Ask EasyPost for the scan form of exactly the closed manifest ``manifest_id``: its
    bought, live EasyPost shipments (EasyPost id and tracking number set, not void).

    One short read, then the call, outside any transaction. Recording the form on the
    manifest is ``fulfilstation.services.manifests.scan_form``'s job. EasyPost puts a
    shipment on one scan form only, so asking twice for the same shipments is refused by
    EasyPost rather than making a second form. Raises ``EasyPostProblem`` in words."""
    with database.unit_of_work() as session:
        ids = manifest_labels(session, manifest_id)
    if not ids:
        raise EasyPostProblem("This manifest holds no EasyPost label: no scan form belongs with it.")
    return adapter.scan_form(ids)


def manifest_labels(session: Session, manifest_id: int) -> list[str]:
    """The EasyPost shipment ids (``shp_…``) a manifest's scan form lists, in shipment order."""
    return [i for i in session.scalars(select(Shipment.external_id).where(
        Shipment.manifest_id == manifest_id, Shipment.external_id.is_not(None),
        Shipment.tracking_number.is_not(None), Shipment.status != ShipmentStatus.VOIDED.value)
        .order_by(Shipment.id)) if i]


def _prepare(database: Database, shipment_id: int) -> _Plan | BoughtLabel:
    with database.unit_of_work() as session:
        shipment = session.get(Shipment, shipment_id)
        if shipment is None or shipment.status == ShipmentStatus.VOIDED.value:
            raise EasyPostProblem(f"Shipment {shipment_id} does not exist or is void: no label is bought for it.")
        package = _single_package(session, shipment_id)
        if package.tracking_number and package.label_data:
            return BoughtLabel(shipment_id, package.tracking_number, package.label_data.encode(),
                               shipment.cost_minor, shipment.currency)
        rows_changed(session, update(Shipment).where(Shipment.id == shipment_id, Shipment.idempotency_key.is_(None))
                     .values(idempotency_key=f"fs-{shipment_id}-{uuid.uuid4().hex[:16]}"))
        session.refresh(shipment)
        account = session.get_one(CarrierAccount, shipment.carrier_account_id)
        service = session.get_one(CarrierService, shipment.service_id)
        carrier = session.get_one(Carrier, account.carrier_id)
        order = session.get_one(Order, shipment.order_id)
        request = LabelRequest(shipment.idempotency_key or "", ship_from_address(session), ship_to_address(order),
                               package.weight_measured_g, package.length_mm, package.width_mm, package.height_mm,
                               account.settings.get("easypost_carrier_account"))
        return _Plan(request, shipment.external_id, str(account.settings.get("easypost_carrier") or carrier.name),
                     service.service_code)


def _record_external_id(database: Database, shipment_id: int, external_id: str) -> str:
    with database.unit_of_work() as session:
        if rows_changed(session, update(Shipment).where(Shipment.id == shipment_id, Shipment.external_id.is_(None))
                        .values(external_id=external_id)):
            return external_id
        winner = session.scalar(select(Shipment.external_id).where(Shipment.id == shipment_id))
        return winner or external_id


def _single_package(session: Session, shipment_id: int) -> Package:
    packages = session.scalars(select(Package).where(Package.shipment_id == shipment_id)).all()
    if len(packages) != 1:
        raise EasyPostProblem(f"EasyPost labels are bought for one package per shipment; this one has "
                              f"{len(packages)}. Ship the packages separately, or use a local carrier.")
    return packages[0]


def ship_from_address(session: Session) -> Address:
    """The site's ship-from address (site setting ``ship_from``), for a carrier API: refused in
    words when it is not set up. Return labels send it as where the parcel goes back to."""
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "ship_from"))
    site = value if isinstance(value, dict) else {}
    if not site.get("line1") or not site.get("postal_code"):
        raise EasyPostProblem("The site's ship-from address is not set up: enter it with "
                              "'fulfilstation site set-address'.")
    return Address(str(site.get("name", "")), str(site["line1"]), str(site.get("city", "")), str(site["postal_code"]),
                   str(site.get("country", "US")), site.get("line2"), site.get("region"), site.get("company"),
                   site.get("phone"), site.get("email"))


def ship_to_address(order: Order) -> Address:
    """The order's ship-to address, for a carrier API (a return label's sender)."""
    return Address(order.ship_to_name, order.ship_to_line1, order.ship_to_city, order.ship_to_postal_code,
                   order.ship_to_country, order.ship_to_line2, order.ship_to_region, order.ship_to_company,
                   order.ship_to_phone, order.ship_to_email)
