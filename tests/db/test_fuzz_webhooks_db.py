"""Bad input (issue #15 point 5), the database half of webhooks: any order JSON a verified
webhook may carry, decoded (``payloads.SOURCES``) and taken by ``app.webhooks.receive``
through the one intake door, on SQLite and PostgreSQL. Each delivery is taken (True): an
order that cannot be stored is left out by the intake with its reason — never a database
error (an integer column's overflow on PostgreSQL was one: a quantity or amount past 32 bits
is now refused by ``intake.tidy`` in words), which the server would answer with 500 and the
shop would send again for ever.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from fulfilstation.db.models import OrderLine, WebhookDelivery
from fulfilstation.integrations.webhooks.payloads import SOURCES, Delivery, NotAnOrder
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders.intake.tidy import MINOR_MAX, QUANTITY_MAX
from tests.support.app import sign_in
from tests.unit.test_fuzz_webhooks import orders_json

DB_FUZZ = settings(max_examples=40, deadline=10_000, database=None, suppress_health_check=[HealthCheck.too_slow])
TOPIC = {"woocommerce": "order.created", "shopify": "orders/create"}


def test_any_decoded_order_is_taken_or_left_out_in_words(app: AppServices) -> None:
    manager = sign_in(app, "manager")
    ids = itertools.count(1)

    @DB_FUZZ
    @given(st.sampled_from(sorted(SOURCES)), orders_json)
    @example("woocommerce", {"id": 7001, "line_items": [{"sku": "SKU-1", "quantity": 2**40, "price": "1"}],
                             "shipping": {"address_1": "1 Main St", "city": "X", "postcode": "62701",
                                          "country": "US", "first_name": "Ada"}})
    @example("shopify", {"id": 7002, "total_price": "99999999999.99",
                         "line_items": [{"sku": "SKU-1", "quantity": 1, "price": "1"}]})
    def deliver(source: str, payload: dict[str, Any]) -> None:
        try:
            orders = SOURCES[source].decode("fuzz-web", TOPIC[source], payload)
        except NotAnOrder as refused:  # the server answers 400 (tests/unit/test_fuzz_webhooks.py)
            assert str(refused).strip()
            return
        delivery = Delivery(source, "fuzz-web", f"d-{next(ids)}", TOPIC[source], orders)
        assert app.webhooks.receive(manager, delivery) is True

    deliver()
    with app.users.database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)
                              .where(WebhookDelivery.source == "fuzz-web"))
        largest = session.scalar(select(func.max(OrderLine.quantity)))
        assert largest is None or largest <= QUANTITY_MAX
        assert (session.scalar(select(func.max(OrderLine.unit_price_minor))) or 0) <= MINOR_MAX
