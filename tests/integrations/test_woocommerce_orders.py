"""WooCommerce orders in: pagination, ``modified_after``, the mapping onto ``IncomingOrder``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from fulfilstation.credentials import SecretStore
from fulfilstation.integrations.ports import SETUP_RETRY_SECONDS, ChannelConfig, IncomingOrder
from fulfilstation.integrations.woocommerce import WooCommerceChannel
from tests.support.woocommerce_stub import WooCommerceStub, channel_for


@pytest.fixture
def stub() -> Iterator[WooCommerceStub]:
    with WooCommerceStub() as running:
        yield running


def fetch_all(channel: Any, state: dict[str, Any]) -> tuple[list[IncomingOrder], dict[str, Any], int]:
    """Every page, as a sync does; returns the orders, the final bookmark and the page count."""
    seen: list[IncomingOrder] = []
    pages = 0
    while True:
        page = channel.fetch_orders(state)
        pages += 1
        seen.extend(page.orders)
        state = dict(page.state)
        if not page.more:
            return seen, state, pages
        assert pages < 50, "paging does not end"


def test_every_order_arrives_across_pages_and_the_bookmark_moves_on(stub: WooCommerceStub) -> None:
    made = [stub.add_order()["id"] for _ in range(7)]
    stub.add_order(status="completed")  # not asked for
    stub.add_order(status="pending")  # not asked for
    channel = channel_for(stub, per_page=3)

    orders, state, pages = fetch_all(channel, {})

    assert {int(o.external_id) for o in orders} == set(made)
    assert pages >= 3
    listed = [r for r in stub.requests if r[0] == "orders"]
    assert all("status=processing%2Ccancelled%2Con-hold" in r[2] and "orderby=modified" in r[2]
               and "order=asc" in r[2] for r in listed)
    # nothing new: the next poll brings at most the last second's orders again, never the old ones
    again, _state, _pages = fetch_all(channel, state)
    assert {int(o.external_id) for o in again} <= {made[-1]}


def test_only_orders_changed_since_the_bookmark_come_again(stub: WooCommerceStub) -> None:
    first = [stub.add_order()["id"] for _ in range(4)]
    channel = channel_for(stub, per_page=100)
    _orders, state, _pages = fetch_all(channel, {})
    assert state["modified_after"]
    for _ in range(3):
        stub.tick()
    stub.change_order(first[0], status="cancelled")
    newer = stub.add_order()["id"]

    orders, _state, _pages = fetch_all(channel, state)

    # the last second's order of the previous poll comes again (the intake takes it as unchanged)
    assert {int(o.external_id) for o in orders} - {first[-1]} == {first[0], newer}
    cancelled = next(o for o in orders if int(o.external_id) == first[0])
    assert cancelled.shop_status == "cancelled"
    assert "modified_after=" in stub.requests[-1][2] and "dates_are_gmt=true" in stub.requests[-1][2]


def test_an_order_edited_while_paging_is_neither_lost_nor_skips_another(stub: WooCommerceStub) -> None:
    made = [stub.add_order()["id"] for _ in range(6)]
    channel = channel_for(stub, per_page=2)
    page = channel.fetch_orders({})
    seen = {int(o.external_id) for o in page.orders}
    stub.change_order(made[0], customer_note="leave at door")  # moves to the end of the list
    state = dict(page.state)
    while page.more:
        page = channel.fetch_orders(state)
        state = dict(page.state)
        seen |= {int(o.external_id) for o in page.orders}
    assert seen == set(made)


def test_an_order_maps_onto_incoming_order(stub: WooCommerceStub) -> None:
    raw = stub.add_order(
        number="W-1001", total="41.90", currency="eur", customer_note="Gift, please",
        shipping={"first_name": "Zoë", "last_name": "Ørsted", "company": "Acme", "address_1": "Hauptstr. 5",
                  "address_2": "2. OG", "city": "Berlin", "state": "BE", "postcode": "10115", "country": "de",
                  "phone": "+49 30 123456"},
        billing={"country": "AT", "email": "zoe@example.com", "phone": "+43 1 234"},
        line_items=[{"id": 77, "sku": "MUG-1", "quantity": 2, "price": 12.5, "name": "Mug"},
                    {"id": 78, "sku": "", "quantity": 1, "price": 16.9, "name": "Gift wrap"}],
        shipping_lines=[{"method_title": "DHL Express"}])
    order = channel_for(stub).fetch_orders({}).orders[0]

    assert order.channel == "woo" and order.external_id == str(raw["id"]) and order.number == "W-1001"
    assert (order.ship_to_name, order.ship_to_company) == ("Zoë Ørsted", "Acme")
    assert (order.ship_to_line1, order.ship_to_line2, order.ship_to_city) == ("Hauptstr. 5", "2. OG", "Berlin")
    assert (order.ship_to_region, order.ship_to_postal_code, order.ship_to_country) == ("BE", "10115", "DE")
    assert order.ship_to_phone == "+49 30 123456" and order.ship_to_email == "zoe@example.com"
    assert order.bill_to_country == "AT"
    assert (order.total_minor, order.currency) == (4190, "EUR")
    assert order.note == "Gift, please" and order.shipping_method == "DHL Express"
    assert order.financial_status == "paid" and order.shop_status == "open"
    assert order.ordered_at == dt.datetime.fromisoformat(raw["date_created_gmt"]).replace(tzinfo=dt.UTC)
    assert [(ln.sku, ln.quantity, ln.unit_price_minor, ln.name, ln.external_line_id) for ln in order.lines] == [
        ("MUG-1", 2, 1250, "Mug", "77"), ("", 1, 1690, "Gift wrap", "78")]


def test_an_order_without_a_shipping_address_ships_to_billing(stub: WooCommerceStub) -> None:
    stub.add_order(shipping={"first_name": "", "last_name": "", "address_1": "", "city": "", "postcode": "",
                             "country": ""},
                   billing={"first_name": "Kim", "last_name": "Park", "address_1": "9 Elm Rd", "city": "Austin",
                            "state": "TX", "postcode": "78701", "country": "US", "email": "kim@example.com",
                            "phone": "+1 512 555 0100"})
    order = channel_for(stub).fetch_orders({}).orders[0]
    assert (order.ship_to_name, order.ship_to_line1, order.ship_to_city, order.ship_to_region,
            order.ship_to_postal_code, order.ship_to_country, order.ship_to_phone) == (
        "Kim Park", "9 Elm Rd", "Austin", "TX", "78701", "US", "+1 512 555 0100")


@pytest.mark.parametrize(("status", "paid", "financial", "shop"), [
    ("processing", True, "paid", "open"),
    ("on-hold", False, "pending", "on-hold"),
    ("on-hold", True, "paid", "on-hold"),
    ("cancelled", False, "pending", "cancelled"),
])
def test_statuses_map_to_financial_and_shop_status(stub: WooCommerceStub, status: str, paid: bool,
                                                   financial: str, shop: str) -> None:
    stub.add_order(status=status, date_paid_gmt="2026-12-01T08:00:00" if paid else None)
    order = channel_for(stub).fetch_orders({}).orders[0]
    assert (order.financial_status, order.shop_status) == (financial, shop)


def test_the_key_is_sent_with_basic_auth_and_a_wrong_one_is_refused_plainly(stub: WooCommerceStub) -> None:
    from fulfilstation.credentials import SecretStore
    from fulfilstation.integrations.ports import ChannelError

    channel = channel_for(stub, name="other")
    SecretStore().set("channel:other:secret", "cs_wrong")
    with pytest.raises(ChannelError) as refused:
        channel.fetch_orders({})
    assert "WooCommerce refused the API key" in str(refused.value)
    assert refused.value.retry_after == SETUP_RETRY_SECONDS and refused.value.status == 401
    assert "cs_wrong" not in str(refused.value)


def test_missing_keys_say_how_to_set_them(stub: WooCommerceStub) -> None:
    from fulfilstation.credentials import SecretStore
    from fulfilstation.integrations.ports import ChannelConfig, ChannelError
    from fulfilstation.integrations.woocommerce import WooCommerceChannel

    channel = WooCommerceChannel(ChannelConfig("shop2", "woocommerce", base_url=stub.base_url), SecretStore())
    with pytest.raises(ChannelError) as refused:
        channel.fetch_orders({})
    assert "fulfilstation integrations set-secret shop2 key" in str(refused.value)
    assert "set-secret shop2 secret" in str(refused.value) and "keyring" in str(refused.value)
    assert refused.value.retryable and refused.value.retry_after == SETUP_RETRY_SECONDS
    assert stub.requests == []


def test_a_plain_http_shop_on_the_network_is_refused_before_the_key_leaves(stub: WooCommerceStub) -> None:
    from fulfilstation.credentials import SecretStore
    from fulfilstation.integrations.ports import ChannelConfig, ChannelError
    from fulfilstation.integrations.woocommerce import WooCommerceChannel

    SecretStore().set("channel:far:key", "ck")
    SecretStore().set("channel:far:secret", "cs")
    channel = WooCommerceChannel(ChannelConfig("far", "woocommerce", base_url="http://shop.example"), SecretStore())
    with pytest.raises(ChannelError, match="https://"):
        channel.fetch_orders({})


def test_the_apis_own_address_given_as_the_shops_still_reaches_it() -> None:
    """Owners paste the REST address they see in WooCommerce's docs: it is the same shop."""
    with WooCommerceStub() as stub:
        stub.add_order(lines=[("MUG-1", 1, "12.50")])
        store = SecretStore()
        store.set("channel:pasted:key", stub.key)
        store.set("channel:pasted:secret", stub.secret)
        config = ChannelConfig(name="pasted", kind="woocommerce", base_url=stub.base_url + "/wp-json/wc/v3/")
        page = WooCommerceChannel(config, store, timeout=5.0).fetch_orders({})
        assert len(page.orders) == 1
