"""Rate shopping for many orders at once (the packing queue): the service each would ship
with now, by the same rules as ``rate_shop.rate_order`` (which the ship transaction uses).

Cost: the services, accounts, routing rules, boxes, zones, rates and transit times are read
once for the batch and every order's lines in one query, so the statements do not grow
with the number of orders. An order whose latest pack session is open or holds packages
not shipped yet is rated alone by ``rate_order`` (its parcels are its packages).
Reads only, inside the caller's unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.carriers.rate_shop import (
    Candidate,
    Rated,
    active_boxes,
    estimated_parcel,
    packed_lines,
    rate_order,
    routing_rules,
    shipment_facts,
    usable_candidates,
)
from fulfilstation.carriers.rate_tables import RateTables, offers_from, rate_tables
from fulfilstation.carriers.routing import NoServiceAvailable, RoutingRuleError, Rule, choose_service
from fulfilstation.db.models import Carrier, CarrierService, Order, OrderLine, Package, PackSession, Product
from fulfilstation.domain.box_fit import BoxOption
from fulfilstation.domain.enums import PackSessionStatus


@dataclass(frozen=True)
class _Shared:
    """What every order of the batch is rated against (read once)."""

    candidates: list[Candidate]
    rules: list[Rule]
    boxes: dict[int, BoxOption]
    tables: RateTables
    service_keys: dict[int, str]
    today: dt.date


def rate_orders(session: Session, orders: Sequence[Order], today: dt.date | None = None) -> dict[int, Rated | str]:
    """``rate_order`` for each of ``orders``, by order id: its ``Rated``, or why no service
    can take it (words). Reads what the orders share once (see the module doc)."""
    ids = [order.id for order in orders]
    if not ids:
        return {}
    rows: dict[int, list[tuple[OrderLine, Product]]] = defaultdict(list)
    for line, product in session.execute(select(OrderLine, Product).join(Product, Product.id == OrderLine.product_id)
                                         .where(OrderLine.order_id.in_(ids)).order_by(OrderLine.line_no)):
        rows[line.order_id].append((line, product))
    alone = _packed_or_open(session, ids)
    candidates = usable_candidates(session)
    shared = _Shared(candidates, routing_rules(session), active_boxes(session),
                     rate_tables(session, candidates, [order.ship_to_postal_code for order in orders]),
                     _service_keys(session), today or dt.date.today())
    rated: dict[int, Rated | str] = {}
    for order in orders:
        try:
            rated[order.id] = (rate_order(session, order, shared.today) if order.id in alone
                               else _rate_unpacked(order, rows[order.id], shared))
        except (NoServiceAvailable, RoutingRuleError) as exc:
            rated[order.id] = str(exc)
    return rated


def _rate_unpacked(order: Order, rows: list[tuple[OrderLine, Product]], shared: _Shared) -> Rated:
    """As ``rate_order`` for an order not being packed: one parcel estimated from its lines."""
    left = [(line, product, line.quantity) for line, product in packed_lines(rows)]
    parcels = [estimated_parcel(left, shared.boxes, None)] if left else []
    candidates = [c for c in shared.candidates if not (c.single_parcel and len(parcels) > 1)]
    offers = offers_from(shared.tables, candidates, order, parcels, shared.today)
    requested = shared.service_keys.get(order.requested_service_id) if order.requested_service_id else None
    decision = choose_service(offers, shared.rules, shipment_facts(order, parcels, rows), requested, order.deliver_by)
    chosen = next(c for c in candidates if c.key == decision.offer.key)
    return Rated(decision, chosen, tuple(candidates), tuple(offers), tuple(parcels), bool(left))


def _packed_or_open(session: Session, order_ids: list[int]) -> set[int]:
    """Orders whose latest pack session is open or holds packages not shipped yet."""
    latest = (select(PackSession.order_id, func.max(PackSession.id).label("id"))
              .where(PackSession.order_id.in_(order_ids)).group_by(PackSession.order_id).subquery())
    open_ = session.scalars(select(PackSession.order_id).join(latest, latest.c.id == PackSession.id)
                           .where(PackSession.status == PackSessionStatus.OPEN.value)).all()
    packed = session.scalars(select(latest.c.order_id).join(Package, Package.pack_session_id == latest.c.id)
                             .where(Package.shipment_id.is_(None))).all()
    return {int(i) for i in (*open_, *packed)}


def _service_keys(session: Session) -> dict[int, str]:
    return {int(service_id): f"{carrier}/{code}" for service_id, carrier, code in session.execute(
        select(CarrierService.id, Carrier.code, CarrierService.code)
        .join(Carrier, Carrier.id == CarrierService.carrier_id))}
