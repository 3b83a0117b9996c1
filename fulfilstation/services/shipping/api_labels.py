"""Labels of API carriers at the station: buy after the ship commit, refund after a void.

A shipment of an API carrier (``Carrier.kind == "api"``) leaves the ship transaction
label-pending with no tracking number. ``ensure_label`` then buys its label with
``fulfilstation.carriers.label_purchase.purchase_label`` — outside any transaction, each
step safe to repeat — and only then can it be printed. When the purchase fails (EasyPost
down, a timeout, a refused address) the shipment stays recorded and label-pending; the
packer's Reprint calls ``ensure_label`` again, which finds a label already bought rather
than buying a second one.

``refund_after_void`` asks the carrier for the money back of a shipment that has just been
voided here (the void is committed first). A refund that cannot be requested is noted on
the shipment and reported in words; the void stands.

An account reached through a carrier gateway (``settings["gateway"] == "karrio"``) buys
through ``fulfilstation.carriers.gateway_labels.buy_labels`` instead (one carrier shipment
with every package as a parcel where the carrier takes several; a timeout is looked up
before anything is bought again) and cancels through ``gateway_void.void_labels``.

Threading: blocking (database and network); call from worker threads.
``AdapterFactory`` / ``GatewayFactory`` are called once per purchase with the account's
name, key name and settings (the defaults read the secrets from the OS keyring).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from fulfilstation.carriers.easypost_adapter import adapter_for
from fulfilstation.carriers.easypost_errors import EasyPostProblem
from fulfilstation.carriers.gateway import CarrierGateway, CarrierProblem
from fulfilstation.carriers.gateway_accounts import GatewayFactory, gateway_for, is_gateway_account
from fulfilstation.carriers.gateway_labels import Buyer, LabelMayExist, buy_labels
from fulfilstation.carriers.gateway_void import void_labels
from fulfilstation.carriers.label_purchase import purchase_label, refund_label
from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierAccount, Shipment, ShipmentNote
from fulfilstation.domain.enums import CarrierKind
from fulfilstation.services.actor import Actor
from fulfilstation.services.context import AdapterFactory


def _api_account(database: Database, shipment_id: int) -> tuple[str, str | None, dict[str, Any], bool] | None:
    """(account name, key name, settings, label already stored) of an API shipment; None
    for a shipment of a local carrier."""
    with database.unit_of_work() as session:
        row = session.execute(select(CarrierAccount, Carrier.kind, Shipment.tracking_number).join(
            Shipment, Shipment.carrier_account_id == CarrierAccount.id).join(
            Carrier, Carrier.id == CarrierAccount.carrier_id).where(Shipment.id == shipment_id)).first()
        if row is None or row[1] != CarrierKind.API.value:
            return None
        account = row[0]
        return account.name, account.keyring_name, dict(account.settings or {}), row[2] is not None


def ensure_label(database: Database, shipment_id: int, make_adapter: AdapterFactory = adapter_for,
                 actor: Actor | None = None, make_gateway: GatewayFactory = gateway_for) -> str | None:
    """Make sure the shipment has its label: buy it (for ``actor``) if it is an API shipment
    without one. Returns None when the label is there (or the carrier is local), else the
    problem in words, ending with what to do."""
    account = _api_account(database, shipment_id)
    if account is None or account[3]:
        return None
    name, keyring_name, settings, _bought = account
    if is_gateway_account(settings):
        return _gateway_label(database, shipment_id, lambda: make_gateway(name, keyring_name, settings), actor)
    try:
        purchase_label(database, shipment_id, make_adapter(name, keyring_name, settings),
                       user_id=actor.user_id if actor else None, station_id=actor.station_id if actor else None)
    except EasyPostProblem as problem:
        with database.unit_of_work() as session:
            session.add(ShipmentNote(shipment_id=shipment_id, text=f"Label not bought: {problem.message}"))
        return (f"The shipment is recorded but its label could not be bought: {problem.message} "
                "Press Reprint (or scan FS:REPRINT) to try again; it is never bought twice.")
    return None


def _gateway_label(database: Database, shipment_id: int, make: Callable[[], CarrierGateway],
                   actor: Actor | None) -> str | None:
    who = Buyer(actor.user_id, actor.station_id) if actor is not None else Buyer()
    try:
        buy_labels(database, shipment_id, make(), who)
    except CarrierProblem as problem:
        said = f" The carrier said: {problem.carrier_text}" if problem.carrier_text else ""
        note = ("A label may exist at the carrier: " if problem.uncertain else "Label not bought: ") + problem.message
        with database.unit_of_work() as session:
            session.add(ShipmentNote(shipment_id=shipment_id, text=note + said))
        if isinstance(problem, LabelMayExist):
            return f"The shipment is recorded but its label is not printed: {problem.message}{said}"
        again = ("Press Reprint (or scan FS:REPRINT) to try again: the carrier is asked first for the label it may "
                 "have made" if problem.uncertain else "Press Reprint (or scan FS:REPRINT) to try again")
        return (f"The shipment is recorded but its label could not be bought: {problem.message}{said} {again}; "
                "it is never bought twice.")
    return None


def refund_after_void(database: Database, shipment_id: int, make_adapter: AdapterFactory = adapter_for,
                      make_gateway: GatewayFactory = gateway_for) -> str | None:
    """After a committed void: ask the carrier to refund a bought label (a gateway's carrier:
    cancel it). Returns a sentence for the manager (None for a local carrier or a label never
    bought)."""
    account = _api_account(database, shipment_id)
    if account is None:
        return None
    if is_gateway_account(account[2]):
        return _cancel_with_carrier(database, shipment_id, lambda: make_gateway(*account[:3]))
    with database.unit_of_work() as session:
        external_id = session.scalar(select(Shipment.external_id).where(Shipment.id == shipment_id))
    if external_id is None:
        return None
    name, keyring_name, settings, _bought = account
    try:
        status = refund_label(database, shipment_id, make_adapter(name, keyring_name, settings))
    except EasyPostProblem as problem:
        with database.unit_of_work() as session:
            session.add(ShipmentNote(shipment_id=shipment_id, text=f"Refund not requested: {problem.message}"))
        return (f"The label's refund could not be requested: {problem.message} Request it in your EasyPost "
                f"dashboard (shipment {external_id}).")
    return f"EasyPost refund {status}."


def _cancel_with_carrier(database: Database, shipment_id: int, make: Callable[[], CarrierGateway]) -> str | None:
    try:
        cancelled = void_labels(database, shipment_id, make())
    except CarrierProblem as problem:
        said = f" The carrier said: {problem.carrier_text}" if problem.carrier_text else ""
        return (f"The label could not be cancelled with the carrier: {problem.message}{said} Cancel it on the "
                "carrier's website so it is not charged.")
    if not cancelled:
        return None
    return "The label is cancelled with the carrier." if cancelled == 1 else \
        f"The {cancelled} labels are cancelled with the carrier."
