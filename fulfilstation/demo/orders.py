"""Demo open orders with their stock allocations (reserved stock)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Allocation, CarrierService, Order, OrderLine, Product, StockLevel
from fulfilstation.demo.addresses import DEMO_ADDRESSES, Address
from fulfilstation.domain.enums import OrderStatus

ORDER_COUNT = 50
HELD = {7: "Address needs checking with the customer", 23: "Payment under review"}
GIFTS = {4: "Happy birthday, Sam! Love, Alex", 31: "Congratulations on the new home 🎉"}


def seed_orders(session: Session, rng: random.Random, products: list[Product],
                services: dict[str, CarrierService], today: dt.date) -> int:
    service_keys = sorted(services)
    now = dt.datetime.now(dt.UTC)
    for number in range(ORDER_COUNT):
        address = DEMO_ADDRESSES[number % len(DEMO_ADDRESSES)]
        order = _order(number, address, today, now, rng)
        order.requested_service_id = services[rng.choice(service_keys)].id if number % 3 else None
        session.add(order)
        _lines(session, order, rng, products)
        order.total_minor = sum(line.quantity * line.unit_price_minor for line in order.lines)
        session.flush()
        _allocate(session, order)
    return ORDER_COUNT


def _order(number: int, address: Address, today: dt.date, now: dt.datetime,
           rng: random.Random) -> Order:
    name, company, line1, line2, city, region, postal, country, residential = address
    return Order(
        channel="webshop", external_id=f"#{5001 + number}", number=f"SO-{10001 + number}",
        status=OrderStatus.READY.value, ship_to_name=name, ship_to_company=company, ship_to_line1=line1,
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


def _allocate(session: Session, order: Order) -> None:
    """Reserve each line's quantity in the bins with the most available stock first."""
    for line in order.lines:
        remaining = line.quantity
        levels = session.scalars(select(StockLevel).where(StockLevel.product_id == line.product_id)
                                 .order_by((StockLevel.on_hand - StockLevel.reserved).desc())).all()
        for level in levels:
            take = min(remaining, level.on_hand - level.reserved)
            if take <= 0:
                continue
            level.reserved += take
            session.add(Allocation(order_line_id=line.id, stock_level_id=level.id, quantity=take))
            remaining -= take
            if not remaining:
                break
        if remaining:
            raise RuntimeError(f"demo stock too small for {order.number} line {line.line_no}")
    session.flush()
