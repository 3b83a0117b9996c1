"""``WebhooksService``: what the webhook server (``integrations.webhooks``) asks of the house.

* ``secret(source, channel)`` (a query): the webhook secret of an active channel of that
  kind, from the keyring (``channel:NAME:webhook``).
* ``receive(actor, delivery)`` (``IMPORT_ORDERS``): takes a verified delivery once. The
  delivery id is claimed by INSERTing it into ``webhook_deliveries`` — unique per (channel,
  delivery id), so of two copies arriving together the database lets one through and the
  other is a repeat (False, nothing done) — with an audit entry in the same transaction.
  Then its orders go through the one intake door (``orders.intake.write.write_incoming``,
  source ``webhook:CHANNEL``). If that fails the claim is deleted again, so the shop's
  next attempt is taken (a copy that arrived meanwhile was answered as a repeat: the
  channel's regular sync still brings that order).

Threading: blocking (database, keyring); safe from the server's request threads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from fulfilstation.db.models import SalesChannel, WebhookDelivery
from fulfilstation.domain.roles import Permission
from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.integrations.webhooks import Delivery
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.orders.intake.write import write_incoming

Deliver = Callable[[Actor, Sequence[IncomingOrder], str], object]
"""``deliver(actor, orders, source)``: writes the orders (default: the intake door)."""


def webhook_secret_name(channel: str) -> str:
    return f"channel:{channel}:webhook"


class WebhooksService(AreaService):
    def secret(self, source: str, channel: str) -> str | None:
        """The webhook secret of the active ``source`` channel ``channel``; None: no such
        channel; "": no secret stored. KeyringUnavailable when the keyring cannot be read."""
        with self.database.unit_of_work() as session:
            known = session.scalar(select(SalesChannel.id).where(
                SalesChannel.name == channel, SalesChannel.kind == source, SalesChannel.active.is_(True)))
        if known is None:
            return None
        return self._context.ports.secrets.get(webhook_secret_name(channel)) or ""

    @use_case(Permission.IMPORT_ORDERS, "take a webhook's orders")
    def receive(self, actor: Actor, delivery: Delivery, *, deliver: Deliver | None = None) -> bool:
        """Take ``delivery`` (already verified); False when its id was taken before."""
        fresh, claim = self._claim(actor, delivery)
        if not fresh:
            return False
        try:
            if delivery.orders:
                (deliver or self._write)(actor, delivery.orders, f"webhook:{delivery.channel}")
        except BaseException:
            if claim is not None:
                with self.database.unit_of_work() as session:
                    session.execute(delete(WebhookDelivery).where(WebhookDelivery.id == claim))
            raise
        return True

    def _claim(self, actor: Actor, delivery: Delivery) -> tuple[bool, int | None]:
        """(False, None): a repeat; else (True, the claimed row's id, None without a delivery id)."""
        try:
            with self.database.unit_of_work() as session:
                row = None
                if delivery.delivery_id:
                    row = WebhookDelivery(source=delivery.channel, delivery_id=delivery.delivery_id[:200],
                                          topic=(delivery.topic or None) and delivery.topic[:64])
                    session.add(row)
                    session.flush()
                audit.record(session, actor, "webhook.received", "webhook_delivery", row.id if row else None, {
                    "channel": delivery.channel, "source": delivery.source, "delivery_id": delivery.delivery_id,
                    "topic": delivery.topic, "orders": [o.external_id for o in delivery.orders]})
                return True, row.id if row else None
        except IntegrityError:
            return False, None

    def _write(self, actor: Actor, orders: Sequence[IncomingOrder], source: str) -> object:
        today = self._context.ports.clock.now().astimezone().date()
        return write_incoming(self.database, actor, list(orders), today=today, source=source,
                              address_check=self._context.ports.address_check)
