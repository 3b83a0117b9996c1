"""Polling Shopify's orders: cursor pagination within the query-cost budget, the bookmark,
and how Shopify's order fields become an ``IncomingOrder``."""

from __future__ import annotations

import datetime as dt

import pytest

from fulfilstation.integrations.ports import OrderPage
from fulfilstation.integrations.shopify import ShopifyChannel
from tests.support.shopify_stub import FakeTime, ShopifyStub, channel_for


def fetch_all(channel: ShopifyChannel, state: dict[str, object]) -> tuple[list[OrderPage], dict[str, object]]:
    pages = []
    while True:
        page = channel.fetch_orders(state)
        pages.append(page)
        state = dict(page.state)
        if not page.more:
            return pages, state


def test_more_than_fifty_orders_come_in_pages_within_the_cost_budget(
        stub: ShopifyStub, channel: ShopifyChannel, fake_time: FakeTime) -> None:
    made = [stub.add_order([(f"SKU-{n % 7}", 1 + n % 3, "4.50")]) for n in range(55)]
    pages, state = fetch_all(channel, {})
    got = [order.external_id for page in pages for order in page.orders]
    assert got == made  # every order once, oldest change first
    assert len(pages) == 6 and all(page.more for page in pages[:-1])
    assert state == {"updated_at_min": stub.orders[made[-1]]["updatedAt"], "cursor": None}
    assert stub.throttled == 0  # the client waited for the bucket instead of being refused
    assert fake_time.slept and channel.client.waited == pytest.approx(sum(fake_time.slept))


def test_a_pass_resumes_from_its_cursor_with_a_new_adapter(stub: ShopifyStub, fake_time: FakeTime) -> None:
    made = [stub.add_order() for _ in range(15)]
    first = channel_for(stub, time_=fake_time).fetch_orders({})
    assert first.more and first.state["cursor"]
    second = channel_for(stub, time_=fake_time).fetch_orders(first.state)
    assert [o.external_id for o in first.orders + second.orders] == made
    assert not second.more and second.state["updated_at_min"] == stub.orders[made[-1]]["updatedAt"]


def test_the_next_pass_brings_changes_made_in_the_shop(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    first, second, third = stub.add_order(), stub.add_order(), stub.add_order()
    _, state = fetch_all(channel, {})
    stub.update_order(first, cancelledAt="2025-02-01T10:00:00Z", displayFinancialStatus="REFUNDED")
    stub.update_order(second, fulfillmentOrders=[{"id": "gid://shopify/FulfillmentOrder/9", "status": "ON_HOLD"}])
    pages, _ = fetch_all(channel, state)
    seen = {o.external_id: o for page in pages for o in page.orders}
    assert seen[first].shop_status == "cancelled" and seen[first].financial_status == "refunded"
    assert seen[second].shop_status == "on-hold"
    assert set(seen) == {first, second, third}  # the last of the previous pass is seen again (>=), never lost


def test_shopify_fields_map_to_an_incoming_order(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    gid = stub.add_order(
        [("TEE-M", 2, "19.99"), (None, 1, "5.00"), ("GIFT", 1, "25.00"), ("GONE", 3, "1.00")],
        financial="PARTIALLY_PAID", total="75.98", note="Bitte klingeln\nZweiter Stock", phone="+49 30 1234567",
        shippingAddress={"name": "Jürgen Müller-Lüdenscheidt", "company": "Müller GmbH", "address1": "Hauptstraße 5",
                         "address2": "Hinterhaus", "city": "Köln", "provinceCode": "NW", "zip": "50667",
                         "countryCodeV2": "DE", "phone": None},
        billingAddress={"countryCodeV2": "AT"}, shippingLine={"title": "DHL Paket"})
    lines = stub.orders[gid]["lineItems"]
    lines[2]["requiresShipping"] = False  # a gift card
    lines[3]["currentQuantity"] = 0  # removed by an order edit
    [order] = channel.fetch_orders({}).orders
    assert order.external_id == gid and order.number == f"#{gid.rsplit('/', 1)[1]}"
    assert (order.ship_to_name, order.ship_to_company, order.ship_to_line1, order.ship_to_line2) == (
        "Jürgen Müller-Lüdenscheidt", "Müller GmbH", "Hauptstraße 5", "Hinterhaus")
    assert (order.ship_to_city, order.ship_to_region, order.ship_to_postal_code, order.ship_to_country) == (
        "Köln", "NW", "50667", "DE")
    assert order.ship_to_phone == "+49 30 1234567"  # the order's phone when the address has none
    assert order.bill_to_country == "AT" and order.financial_status == "partially_paid"
    assert order.shop_status == "open" and order.shipping_method == "DHL Paket"
    assert order.total_minor == 7598 and order.currency == "USD"
    assert order.note == "Bitte klingeln\nZweiter Stock"
    assert order.ordered_at == dt.datetime.fromisoformat(stub.orders[gid]["createdAt"].replace("Z", "+00:00"))
    assert [(line.sku, line.quantity, line.unit_price_minor) for line in order.lines] == [
        ("TEE-M", 2, 1999), ("", 1, 500)]  # the SKU-less line is kept for the intake to flag
    assert order.lines[0].external_line_id == lines[0]["id"]


@pytest.mark.parametrize(("currency", "amount", "minor"), [("JPY", "1200", 1200), ("KWD", "12.345", 12345),
                                                           ("EUR", "0.10", 10), ("USD", "1234567.89", 123456789)])
def test_amounts_become_exact_minor_units(stub: ShopifyStub, channel: ShopifyChannel, currency: str, amount: str,
                                          minor: int) -> None:
    stub.add_order([("A", 1, amount)], currency=currency, total=amount)
    [order] = channel.fetch_orders({}).orders
    assert (order.currency, order.total_minor, order.lines[0].unit_price_minor) == (currency, minor, minor)


def test_orders_with_nothing_to_ship_are_left_out_but_cancellations_come(
        stub: ShopifyStub, channel: ShopifyChannel) -> None:
    stub.add_order(fulfillment="FULFILLED")
    digital = stub.add_order()
    stub.orders[digital]["lineItems"][0]["requiresShipping"] = False
    cancelled = stub.add_order(fulfillment="FULFILLED", cancelledAt="2025-01-02T00:00:00Z")
    wanted = stub.add_order(fulfillment="PARTIALLY_FULFILLED")
    held = stub.add_order(hold=True)
    page = channel.fetch_orders({})
    assert {o.external_id: o.shop_status for o in page.orders} == {
        cancelled: "cancelled", wanted: "open", held: "on-hold"}
    assert page.state["updated_at_min"] == stub.orders[held]["updatedAt"]  # skipped ones still move the bookmark


def test_an_order_with_more_lines_than_a_page_holds_comes_whole(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    stub.add_order([(f"P-{n:03d}", n + 1, "1.00") for n in range(145)])
    [order] = channel.fetch_orders({}).orders
    assert [line.sku for line in order.lines] == [f"P-{n:03d}" for n in range(145)]
    assert stub.count("order") == 2  # 20 with the page, then 100 and 25


def test_a_pass_broken_midway_resumes_from_the_last_page_kept(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    from fulfilstation.integrations.ports import ChannelError

    made = [stub.add_order() for _ in range(35)]
    got: list[str] = []
    state: dict[str, object] = {}
    failures = 0
    for step in range(10):
        if step in (1, 3):
            stub.fail_next(502)
        try:
            page = channel.fetch_orders(state)
        except ChannelError as error:
            assert error.retryable
            failures += 1
            continue  # the caller keeps the state it had and tries again later
        got += [o.external_id for o in page.orders]
        state = dict(page.state)
        if not page.more:
            break
    assert failures == 2 and got == made  # none lost, none twice
