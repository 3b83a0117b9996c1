"""Demo open orders with their stock allocations (reserved stock)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.models import CarrierService, Order, OrderLine, Product
from fulfilstation.demo.addresses import DEMO_ADDRESSES, Address
from fulfilstation.demo.catalogue import KIT_ORDER
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.services.orders.reserve import reserve_lines

ORDER_COUNT = 50
HELD = {7: "Address needs checking with the customer", 23: "Payment under review"}
GIFTS = {4: "Happy birthday, Sam! Love, Alex", 31: "Congratulations on the new home 🎉"}


def seed_orders(session: Session, rng: random.Random, products: list[Product],
                services: dict[str, CarrierService], today: dt.date, kits: list[Product] | None = None) -> int:
    service_keys = sorted(services)
    now = dt.datetime.now(dt.UTC)
    for number in range(ORDER_COUNT):
        address = DEMO_ADDRESSES[number % len(DEMO_ADDRESSES)]
        order = _order(number, address, today, now, rng)
        order.requested_service_id = services[rng.choice(service_keys)].id if number % 3 else None
        session.add(order)
        _lines(session, order, rng, products)
        if kits and number == KIT_ORDER:
            order.lines.append(OrderLine(line_no=len(order.lines) + 1, product_id=kits[0].id, quantity=1,
                                         unit_price_minor=kits[0].unit_price_minor))
        order.total_minor = sum(line.quantity * line.unit_price_minor for line in order.lines)
        session.flush()
        _reserve(session, order, today)
    return ORDER_COUNT


def _order(number: int, address: Address, today: dt.date, now: dt.datetime,
           rng: random.Random) -> Order:
    name, company, line1, line2, city, region, postal, country, residential = address
    return Order(
        channel="webshop", external_id=f"#{5001 + number}", number=f"SO-{10001 + number}",
        status=OrderStatus.PENDING.value, ship_to_name=name, ship_to_company=company, ship_to_line1=line1,
        ship_to_line2=line2, ship_to_city=city, ship_to_region=region, ship_to_postal_code=postal,
        ship_to_country=country, ship_to_residential=residential,
        ship_to_email=f"customer{number + 1}@example.com", ship_to_phone=f"+1 555 01{number:02d}",
        ship_by=today + dt.timedelta(days=rng.choice([-1, 0, 0, 0, 1, 1, 2, 3])),
        hold=number in HELD, hold_reason=HELD.get(number), gift_message=GIFTS.get(number),
        currency="USD", ordered_at=now - dt.timedelta(hours=rng.randint(1, 72)),
    )


def _lines(session: Session, order: Order, rng: random.Random, products: list[Product]) -> None:
    for line_no, product in enumerate(rng.sample(products, rng.choice([1, 1, 2, 2, 3, 4])), start=1):
        quantity = 1 if product.serial_tracked else rng.choice([1, 1, 1, 2, 3])
        order.lines.append(OrderLine(line_no=line_no, product_id=product.id, quantity=quantity,
                                     unit_price_minor=product.unit_price_minor))


def _reserve(session: Session, order: Order, today: dt.date) -> None:
    """Reserve the order by the rule every reservation follows (kits: their components) and
    make it ready; the demo's stock always suffices."""
    found = reserve_lines(session, order.id, today)
    if found.shortages:
        raise RuntimeError(f"demo stock too small for {order.number}: {found.shortages}")
    order.status = OrderStatus.READY.value
    order.ready_at = utcnow()
    session.flush()
