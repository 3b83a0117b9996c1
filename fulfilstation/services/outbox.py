"""Writing outbox messages: what the shops must be told, in the SAME transaction as its cause.

Like ``audit.record`` these helpers add rows to the caller's unit of work, so a push
commits with the shipment, void or cancel that causes it, or not at all. The outbox worker
(``services.integrations.worker``) delivers them afterwards.

* ``shop_channel_of``: the order's channel when it is a shop channel (Shopify, WooCommerce;
  an inactive one's pushes wait until it is reactivated), else None (a CSV file's order,
  the demo's): a message with no channel is kept for the record but nobody delivers it.
* ``shipment_created``: the ``shipment.created`` message, with the order's external id and
  every package's tracking number and carrier (a multi-package shipment sends them all).
  An API carrier's tracking is bought after the commit: the worker reads the packages'
  tracking again at send time. A split order's part (partial shipments) names the shop's
  order (its root's external id); the worker says which lines it carries
  (``outbox_parts``).
* ``shipment_voided``: a pending (or failed) ``shipment.created`` push is cancelled by a
  conditional UPDATE (pending/failed → cancelled); when it was already delivered, a
  ``fulfilment.cancel`` push carries the shop's reference from its ``result``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import rows_changed
from fulfilstation.db.models import Carrier, CarrierAccount, Order, OutboxMessage, Package, SalesChannel, Shipment
from fulfilstation.domain.enums import ChannelKind, OutboxStatus
from fulfilstation.services.outbox_parts import shop_external_id

SHOP_KINDS = (ChannelKind.SHOPIFY.value, ChannelKind.WOOCOMMERCE.value)
SHIPMENT_CREATED = "shipment.created"
FULFILMENT_CANCEL = "fulfilment.cancel"
ORDER_CANCELLED = "order.cancelled"
STOCK_LEVEL = "stock.level"


def shop_channel_of(session: Session, channel: str | None) -> str | None:
    """``channel`` when it names a shop channel (active or not), else None."""
    if not channel:
        return None
    found = session.scalar(select(SalesChannel.name).where(
        SalesChannel.name == channel, SalesChannel.kind.in_(SHOP_KINDS)))
    return found


def shipment_tracking(session: Session, shipment_id: int) -> list[dict[str, str]]:
    """Every package's ``{"number", "carrier"}`` of the shipment that has a tracking number, in package order."""
    rows = session.execute(select(Package.tracking_number, Carrier.name)
                           .join(Shipment, Shipment.id == Package.shipment_id)
                           .join(CarrierAccount, CarrierAccount.id == Shipment.carrier_account_id)
                           .join(Carrier, Carrier.id == CarrierAccount.carrier_id)
                           .where(Package.shipment_id == shipment_id).order_by(Package.sequence)).all()
    return [{"number": number, "carrier": carrier} for number, carrier in rows if number]


def shipment_created(session: Session, order: Order, shipment: Shipment, details: dict[str, Any]) -> None:
    """Add the ``shipment.created`` message (``details``: what the audit entry says too)."""
    session.flush()
    session.add(OutboxMessage(topic=SHIPMENT_CREATED, dedup_key=f"{SHIPMENT_CREATED}:{shipment.id}",
                              channel=shop_channel_of(session, order.channel), order_id=order.id,
                              payload={"shipment_id": shipment.id, "external_id": shop_external_id(session, order),
                                       "packages": shipment_tracking(session, shipment.id), **details}))


def shipment_voided(session: Session, shipment: Shipment) -> str | None:
    """Undo the shipment's push: ``"cancelled"`` (it never went out), ``"cancel-queued"``
    (it reached the shop: a ``fulfilment.cancel`` push follows) or None (no push)."""
    key = f"{SHIPMENT_CREATED}:{shipment.id}"
    if rows_changed(session, update(OutboxMessage).where(
            OutboxMessage.dedup_key == key,
            OutboxMessage.status.in_((OutboxStatus.PENDING.value, OutboxStatus.FAILED.value)))
            .values(status=OutboxStatus.CANCELLED.value)):
        return "cancelled"
    push = session.execute(select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.result,
                                  OutboxMessage.payload).where(
        OutboxMessage.dedup_key == key, OutboxMessage.status == OutboxStatus.DELIVERED.value)).first()
    if push is None or push.channel is None:
        return None
    queue_fulfilment_cancel(session, push.id, push.channel, shipment.order_id, shipment.id, push.payload, push.result)
    return "cancel-queued"


def queue_fulfilment_cancel(session: Session, message_id: int, channel: str, order_id: int | None,
                            shipment_id: int, payload: dict[str, Any], result: dict[str, Any] | None) -> None:
    """Add the ``fulfilment.cancel`` push undoing the delivered message ``message_id``."""
    session.add(OutboxMessage(topic=FULFILMENT_CANCEL, dedup_key=f"{FULFILMENT_CANCEL}:{shipment_id}:{message_id}",
                              channel=channel, order_id=order_id,
                              payload={"shipment_id": shipment_id, "external_id": payload.get("external_id"),
                                       "reference": dict(result or {})}))
