"""A return label from the carrier the order shipped with (the carrier of its latest live
shipment), and printing it.

* A local carrier with a tracking number range: ``local_label`` runs in the create
  transaction — the next tracking number from the account's range (``carriers.numbering``,
  a conditional UPDATE), a 4 × 6 in ZPL label from the customer to our ship-from address
  with the tracking barcode, both stored on the RMA.
* An API carrier (EasyPost): ``buy_api_label`` runs after the create commit, outside any
  transaction: an EasyPost shipment with ``is_return`` (the outbound addresses, which
  EasyPost swaps), bought with the service the order shipped by; the tracking number and the
  ZPL are then stored by ``UPDATE rmas … WHERE return_tracking_number IS NULL`` (a second
  finisher changes nothing) with the audit entry ``rma.label_bought``.
* A carrier with neither: no label; the words say so.

Printing (``print_label``) happens only after the label is committed, on the label printer
of the actor's station; a station without one gets the words, not an error.
Threading: blocking (database, network, printer); call from worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.carriers.easypost_adapter import LabelRequest
from fulfilstation.carriers.easypost_errors import EasyPostProblem
from fulfilstation.carriers.label_purchase import ship_from_address, ship_to_address
from fulfilstation.carriers.numbering import NumberRangeExhausted, issue_tracking_number, tracking_range
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import (
    Carrier,
    CarrierAccount,
    CarrierService,
    Order,
    Product,
    Rma,
    RmaLine,
    Shipment,
    SiteSetting,
)
from fulfilstation.documents.shipping_label_zpl import ShippingLabel, render_zpl
from fulfilstation.domain.enums import CarrierKind, ShipmentStatus
from fulfilstation.domain.units import GRAMS_PER_POUND
from fulfilstation.ports import DeviceError, LabelPrinter
from fulfilstation.printer_check import check_then_send
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.context import AdapterFactory
from fulfilstation.services.shipping.carrier_choice import CarrierChoice, barcode_for, sender_lines, ship_from

DEFAULT_WEIGHT_G = 454  # a return of products without a weight on file is quoted as one pound


@dataclass(frozen=True)
class LabelPlan:
    """What the create transaction decided about the label: ``api`` when one is to be bought
    after the commit; ``note`` the words for a label made or not made."""

    carrier_code: str | None
    tracking_number: str | None
    note: str
    api: bool = False


def order_carrier(session: Session, order_id: int) -> tuple[Carrier, CarrierAccount, CarrierService] | None:
    row = session.execute(select(Carrier, CarrierAccount, CarrierService)
                          .join(CarrierAccount, CarrierAccount.carrier_id == Carrier.id)
                          .join(Shipment, Shipment.carrier_account_id == CarrierAccount.id)
                          .join(CarrierService, CarrierService.id == Shipment.service_id)
                          .where(Shipment.order_id == order_id, Shipment.status != ShipmentStatus.VOIDED.value)
                          .order_by(Shipment.id.desc())).first()
    return (row[0], row[1], row[2]) if row is not None else None


def local_label(session: Session, rma: Rma, order: Order) -> LabelPlan:
    """Make the label of a local carrier in the caller's transaction, or say why none is made."""
    found = order_carrier(session, order.id)
    if found is None:
        return LabelPlan(None, None, f"Order {order.number} has no live shipment, so no carrier to make a return "
                         "label: the customer sends the parcel with a carrier of their choice.")
    carrier, account, service = found
    if carrier.kind == CarrierKind.API.value:
        rma.return_carrier_code = carrier.code
        return LabelPlan(carrier.code, None, "", api=True)
    number_range = tracking_range(session, account)
    if number_range is None:
        return LabelPlan(carrier.code, None, f"{carrier.name} offers no return label here (its account has no "
                         "tracking number range): the RMA is made without one; the customer sends the parcel "
                         "with the RMA slip.")
    try:
        tracking = issue_tracking_number(session, account, service, number_range)
    except NumberRangeExhausted as exc:
        return LabelPlan(carrier.code, None, f"No return label: {exc}")
    choice = CarrierChoice(carrier, account, service, number_range)
    data, caption = barcode_for(choice, tracking, _site(session).get("postal_code", ""))
    weight_g = _weight_g(session, rma.id)
    label = ShippingLabel(sender_lines(order), ship_from(session), f"{service.name.upper()} RETURN", 1, 1,
                          f"{weight_g / GRAMS_PER_POUND:.2f} LB ({weight_g} g)", rma.number, tracking, data, caption)
    rma.return_tracking_number, rma.return_carrier_code = tracking, carrier.code
    rma.return_label = render_zpl(label).decode()
    return LabelPlan(carrier.code, tracking, f"Return label {carrier.name} {tracking}")


def buy_api_label(database: Database, rma_id: int, adapters: AdapterFactory, actor: Actor) -> tuple[str | None, str]:
    """Buy the EasyPost return shipment's label and store it: (tracking number, words)."""
    try:
        return _buy(database, rma_id, adapters, actor)
    except EasyPostProblem as problem:
        return None, (f"The RMA is made, but its return label could not be bought: {problem.message} Send the RMA "
                      "slip to the customer, or make the label later.")


def _buy(database: Database, rma_id: int, adapters: AdapterFactory, actor: Actor) -> tuple[str | None, str]:
    with database.unit_of_work() as session:
        rma = session.get_one(Rma, rma_id)
        order = session.get_one(Order, rma.order_id)
        found = order_carrier(session, order.id)
        if found is None:
            return None, "No return label: the order has no live shipment."
        carrier, account, service = found
        request = LabelRequest(f"{rma.number}-return", ship_from_address(session), ship_to_address(order),
                               _weight_g(session, rma.id), carrier_account_id=account.settings.get(
                                   "easypost_carrier_account"), is_return=True)
        name, key_name, settings = account.name, account.keyring_name, dict(account.settings or {})
        carrier_name = str(settings.get("easypost_carrier") or carrier.name)
        number = rma.number
    adapter = adapters(name, key_name, settings)
    bought = adapter.buy(adapter.create_shipment(request), carrier_name, service.service_code)
    try:
        zpl = bought.label_zpl.decode("utf-8")
    except UnicodeDecodeError:
        return None, f"RMA {number} is made, but EasyPost sent a return label that is not ZPL text."
    with database.unit_of_work() as session:
        stored = rows_changed(session, update(Rma).where(Rma.id == rma_id, Rma.return_tracking_number.is_(None))
                              .values(return_tracking_number=bought.tracking_code, return_label=zpl))
        if stored:
            audit.record(session, actor, "rma.label_bought", "rma", rma_id,
                         {"rma": number, "tracking": bought.tracking_code, "easypost_id": bought.easypost_id,
                          "cost_minor": bought.cost_minor})
    return bought.tracking_code, f"Return label {bought.carrier} {bought.tracking_code} (EasyPost return shipment)"


def print_label(printer: LabelPrinter | None, zpl: str, number: str) -> tuple[bool, str]:
    """Send the stored label to ``printer``: (printed, words)."""
    if printer is None:
        return False, "this station has no label printer: print it from 'fulfilstation rma label'."
    try:
        check_then_send(printer, zpl.encode(), f"return label {number}")
    except DeviceError as exc:
        return False, f"it did not print: {exc.user_message}"
    return True, f"printed on {printer.uri}."


def _weight_g(session: Session, rma_id: int) -> int:
    rows = session.execute(select(Product.weight_g, RmaLine.quantity_expected)
                           .join(RmaLine, RmaLine.product_id == Product.id).where(RmaLine.rma_id == rma_id)).all()
    return sum(int(weight or 0) * int(quantity) for weight, quantity in rows) or DEFAULT_WEIGHT_G


def _site(session: Session) -> dict[str, Any]:
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "ship_from"))
    return value if isinstance(value, dict) else {}

