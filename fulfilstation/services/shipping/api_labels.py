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

Threading: blocking (database and network); call from worker threads.
``AdapterFactory`` is called once per purchase with the account's name, key name and
settings (the default, ``adapter_for``, reads the key from the OS keyring).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fulfilstation.carriers.easypost_adapter import adapter_for
from fulfilstation.carriers.easypost_errors import EasyPostProblem
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
                 actor: Actor | None = None) -> str | None:
    """Make sure the shipment has its label: buy it (for ``actor``) if it is an API shipment
    without one. Returns None when the label is there (or the carrier is local), else the
    problem in words, ending with what to do."""
    account = _api_account(database, shipment_id)
    if account is None or account[3]:
        return None
    name, keyring_name, settings, _bought = account
    try:
        purchase_label(database, shipment_id, make_adapter(name, keyring_name, settings),
                       user_id=actor.user_id if actor else None, station_id=actor.station_id if actor else None)
    except EasyPostProblem as problem:
        with database.unit_of_work() as session:
            session.add(ShipmentNote(shipment_id=shipment_id, text=f"Label not bought: {problem.message}"))
        return (f"The shipment is recorded but its label could not be bought: {problem.message} "
                "Press Reprint (or scan FS:REPRINT) to try again; it is never bought twice.")
    return None


def refund_after_void(database: Database, shipment_id: int, make_adapter: AdapterFactory = adapter_for) -> str | None:
    """After a committed void: ask the carrier to refund a bought label. Returns a sentence
    for the manager (None for a local carrier or a label never bought)."""
    account = _api_account(database, shipment_id)
    if account is None:
        return None
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
