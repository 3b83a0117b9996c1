"""A split order's round trip with a Shopify stand-in (both engines; the real adapter over
HTTP): an order partly in stock comes in by the sync and, with partial shipments on, ships
what is there; the shop hears of exactly those line items (partially fulfilled); the next
sync leaves both parts alone; when the rest arrives and ships, the shop's order is fulfilled."""

from __future__ import annotations

from fulfilstation.db.database import Database
from fulfilstation.services.integrations import ChannelFields
from fulfilstation.services.packing import Weighing
from tests.integrations.test_shop_round_trip import _app, _deliver_until_quiet, _orders, _sync_until_clean
from tests.support.app import sign_in
from tests.support.kits import lines_of, new_product
from tests.support.shop_channel import ManualClock
from tests.support.shopify_stub import LOCATION, FakeTime, ShopifyStub
from tests.support.warehouse import expected_weight, scan_units

MUG = "MUG-CER-350"


def test_a_split_order_is_fulfilled_in_shopify_part_by_part(seeded_database: Database) -> None:
    db = seeded_database
    clock, time_ = ManualClock(), FakeTime()
    new_product(db, "RT-LATE", barcode="04006381333931")  # nothing in stock yet
    with ShopifyStub(clock=time_.clock) as shop:
        gid = shop.add_order(((MUG, 2, "12.00"), ("RT-LATE", 1, "5.00")))
        app = _app(db, clock, time_)
        owner = sign_in(app, "owner")
        app.integrations.add_channel(owner, ChannelFields("shop", "shopify", shop.base_url, LOCATION, {}))
        app.integrations.set_secret(owner, "shop", "token", shop.token)
        app.site.set_partial_shipments(owner, True)
        _sync_until_clean(app)
        order = _orders(db)[gid]
        rest = _orders(db)[f"{gid}#2"]
        assert (order.status, rest.status, rest.backorder, rest.number) == ("ready", "pending", True,
                                                                            f"{order.number}-2")
        assert [(sku, qty) for _no, sku, qty, _kit in lines_of(db, order.number)] == [(MUG, 2)]
        assert [(sku, qty) for _no, sku, qty, _kit in lines_of(db, rest.number)] == [("RT-LATE", 1)]

        packer, manager = sign_in(app, "packer"), sign_in(app, "manager")

        def ship(number: str, lines: list[tuple[str, int]]) -> tuple[str, ...]:
            session_id = app.packing.start(packer, number).session_id
            scan_units(app, packer, session_id, lines)
            return app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))).tracking_numbers

        first = ship(order.number, [(MUG, 2)])
        _deliver_until_quiet(app, clock)
        (made,) = shop.fulfillments_of(gid)
        assert [t["number"] for t in made["trackingInfo"]] == list(first)
        assert [(item["lineItem"]["id"], units) for item, units in made["lineItemsTaken"]] == [
            (shop.orders[gid]["lineItems"][0]["id"], 2)]
        assert shop.orders[gid]["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"

        _sync_until_clean(app)  # the shop still lists 2 + 1: neither part changes
        assert [(sku, qty) for _no, sku, qty, _kit in lines_of(db, order.number)] == [(MUG, 2)]
        assert [(sku, qty) for _no, sku, qty, _kit in lines_of(db, rest.number)] == [("RT-LATE", 1)]

        app.stock.adjust(manager, "RT-LATE", "A-01-1", "the late one came", by=1)
        assert _orders(db)[f"{gid}#2"].status == "ready"
        second = ship(rest.number, [("RT-LATE", 1)])
        _deliver_until_quiet(app, clock)
        assert [[t["number"] for t in f["trackingInfo"]] for f in shop.fulfillments_of(gid)] == [list(first),
                                                                                                  list(second)]
        assert shop.orders[gid]["displayFulfillmentStatus"] == "FULFILLED"
        assert app.integrations.problems().failed == ()
