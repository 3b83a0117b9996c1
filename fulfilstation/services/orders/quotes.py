"""What the packer and the manager see of the carrier choice, and the manager's change.

``quote`` reads the order in one short transaction and returns plain frozen data: the
chosen service, its price broken down, the reason in words, and every usable service with
its price, arrival, whether it keeps the delivery promise and which routing rule (if any)
excludes it. The choice is the one ``choose_carrier`` makes when the order ships (same
function, ``fulfilstation.carriers.rate_shop.rate_order``); before packing the parcel is
an estimate (``Quote.estimated``).

``change_service`` sets the order's requested service. Invariants: only a manager or owner
may (checked by the use case); it is refused when the routing rules would not let that service take the
order (the message names the rule) or the service cannot issue labels; it is one
transaction holding a conditional UPDATE (an order shipped or cancelled meanwhile is left
alone) and the audit entry ``order.service_changed``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.carriers.rate_shop import Rated, rate_order
from fulfilstation.carriers.rating import Price
from fulfilstation.carriers.routing import NoServiceAvailable, RoutingRuleError
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Carrier, CarrierService, Order
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.refused import Refused

_CLOSED = (OrderStatus.SHIPPED.value, OrderStatus.CANCELLED.value)


class ServiceChoiceRefused(Refused):
    """A quote or a service change that cannot be done; the message says why in words."""

    def __init__(self, message: str) -> None:
        super().__init__("service-choice", message)


@dataclass(frozen=True)
class QuoteOption:
    service: str  # ``carrier/service``
    name: str
    price: Price | None  # None: no rate on file for this parcel and destination
    arrives: dt.date | None
    meets_promise: bool
    excluded_by: str | None  # the routing rule that forbids it


@dataclass(frozen=True)
class Quote:
    order_number: str
    service: str
    service_name: str
    carrier_name: str
    price: Price | None
    reason: str
    arrives: dt.date | None
    deliver_by: dt.date | None
    estimated: bool
    parcels: int
    options: tuple[QuoteOption, ...]

    @property
    def cost_minor(self) -> int:
        return self.price.total_minor if self.price is not None else 0


def quote(database: Database, order_number: str, today: dt.date | None = None) -> Quote:
    with database.unit_of_work() as session:
        order = _order(session, order_number)
        return _quote(order, _rate(session, order, today))


def change_service(database: Database, actor: Actor, order_number: str, service_code: str,
                   today: dt.date | None = None) -> Quote:
    """Ship ``order_number`` by ``service_code`` (``carrier/service``, e.g. ``ups/ground``)."""
    with database.unit_of_work() as session:
        order = _order(session, order_number)
        if order.status in _CLOSED:
            raise ServiceChoiceRefused(f"Order {order.number} is {order.status}: its service can no longer change.")
        service = _service(session, service_code.strip())
        previous = _rate(session, order, today)
        if service_code.strip() not in {c.key for c in previous.candidates}:
            raise ServiceChoiceRefused(f"{service.name} cannot be used for this order: its carrier has no active "
                                       "account that can issue labels, or it is bought from a carrier API, which "
                                       "takes one package per shipment.")
        changed = rows_changed(session, update(Order).where(Order.id == order.id, Order.status.not_in(_CLOSED))
                               .values(requested_service_id=service.id))
        if not changed:
            raise ServiceChoiceRefused(f"Order {order.number} was shipped or cancelled meanwhile.")
        session.refresh(order)
        rated = _rate(session, order, today)
        if rated.chosen.key != service_code.strip():
            raise ServiceChoiceRefused(_overruled(rated, service))
        price = rated.decision.offer.price
        audit.record(session, actor, "order.service_changed", "order", order.id,
                     {"order": order.number, "from": previous.chosen.key, "to": rated.chosen.key,
                      "price_minor": price.total_minor if price else None})
        return _quote(order, rated)


def _order(session: Session, number: str) -> Order:
    order = session.scalar(select(Order).where(Order.number == number.strip()))
    if order is None:
        raise ServiceChoiceRefused(f"There is no order {number.strip()!r}.")
    return order


def _service(session: Session, code: str) -> CarrierService:
    carrier_code, _, service = code.partition("/")
    found = session.scalar(select(CarrierService).join(Carrier, Carrier.id == CarrierService.carrier_id)
                           .where(Carrier.code == carrier_code, CarrierService.code == service))
    if found is None:
        known = session.execute(select(Carrier.code, CarrierService.code).join(
            CarrierService, CarrierService.carrier_id == Carrier.id).where(CarrierService.active.is_(True))
            .order_by(Carrier.code, CarrierService.code)).all()
        raise ServiceChoiceRefused(f"There is no service {code!r}. Services: "
                                   + ", ".join(f"{c}/{s}" for c, s in known) + ".")
    return found


def _rate(session: Session, order: Order, today: dt.date | None) -> Rated:
    try:
        return rate_order(session, order, today)
    except (NoServiceAvailable, RoutingRuleError) as exc:
        raise ServiceChoiceRefused(str(exc)) from exc


def _overruled(rated: Rated, service: CarrierService) -> str:
    key = next(c.key for c in rated.candidates if c.service.id == service.id)
    if key in rated.decision.excluded:
        return f"Routing rule '{rated.decision.excluded[key]}' excludes {service.name} for this order."
    return f"{service.name} cannot be chosen: {rated.decision.reason} sends this order by {rated.chosen.service.name}."


def _quote(order: Order, rated: Rated) -> Quote:
    decision, chosen = rated.decision, rated.chosen
    options = tuple(QuoteOption(offer.key, offer.name, offer.price, offer.arrives,
                                order.deliver_by is None or (offer.arrives is not None
                                                             and offer.arrives <= order.deliver_by),
                                decision.excluded.get(offer.key)) for offer in rated.offers)
    return Quote(order.number, chosen.key, chosen.service.name, chosen.carrier.name, decision.offer.price,
                 decision.reason, decision.offer.arrives, order.deliver_by, rated.estimated, len(rated.parcels),
                 options)
