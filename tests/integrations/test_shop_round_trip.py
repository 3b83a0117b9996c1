"""The whole loop against a local Shopify stand-in, on both engines: orders come in through
the sync (throttled, failing, repeated) exactly once each, are checked and reserved; a
shipment's tracking reaches the shop exactly once though its first answer is lost; a void
undoes it; and after a burst of stock changes the shop's stock is our available less the
buffer. The adapter is the real ``ShopifyChannel`` over real HTTP; only the shop is a stub."""

from __future__ import annotations

from sqlalchemy import func, select

from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Order, Product, StockLevel
from fulfilstation.integrations.ports import ChannelConfig, ShopChannel
from fulfilstation.integrations.shopify import ShopifyChannel
from fulfilstation.integrations.woocommerce import WooCommerceChannel
from fulfilstation.services.app import AppServices, build_services
from fulfilstation.services.context import Ports
from fulfilstation.services.integrations import ChannelFields
from fulfilstation.services.packing import Weighing
from tests.support.app import STATION, FixedPrinters, sign_in
from tests.support.shop_channel import ManualClock
from tests.support.shopify_stub import LOCATION, FakeTime, ShopifyStub
from tests.support.warehouse import expected_weight, scan_units
from tests.support.woocommerce_stub import WooCommerceStub

#: the local stub answers at once; on a loaded machine (two test workers) it may take a few
#: seconds: no test here is about a timeout (those set their own, with a stub told to be late)
STUB_TIMEOUT_S = 30.0

SKUS = ("MUG-CER-350", "SOAP-LAV-100")


def _app(database: Database, clock: ManualClock, time_: FakeTime) -> AppServices:
    def adapters(config: ChannelConfig, secrets: SecretStore) -> ShopChannel:
        return ShopifyChannel(config, secrets, timeout=STUB_TIMEOUT_S, sleep=time_.sleep, clock=time_.clock)

    return build_services(database, Ports(printers=FixedPrinters(), channel_adapters=adapters, clock=clock,
                                          sleep=time_.sleep), STATION)


def _sync_until_clean(app: AppServices, rounds: int = 6, channel: str = "shop") -> None:
    manager = sign_in(app, "manager")
    for _ in range(rounds):
        (result,) = app.integrations.sync(manager, channel)
        if result.error is None:
            return
    raise AssertionError(f"the sync kept failing: {result.error}")


def _orders(database: Database, channel: str = "shop") -> dict[str, Order]:
    with database.unit_of_work() as session:
        rows = list(session.scalars(select(Order).where(Order.channel == channel)))
        session.expunge_all()
    return {row.external_id: row for row in rows}


def _available(database: Database, sku: str) -> int:
    """Free units in pickable and storage bins, counted here without the house's own code."""
    with database.unit_of_work() as session:
        return int(session.scalar(
            select(func.coalesce(func.sum(StockLevel.on_hand - StockLevel.reserved), 0))
            .join(Bin, Bin.id == StockLevel.bin_id).join(Product, Product.id == StockLevel.product_id)
            .where(Product.sku == sku, Bin.kind.in_(("pickable", "storage")), Bin.active.is_(True))))


def _deliver_until_quiet(app: AppServices, clock: ManualClock, passes: int = 12) -> None:
    manager = sign_in(app, "manager")
    for _ in range(passes):
        done = app.integrations.deliver(manager)
        if not (done.retried or done.stock_queued or done.stock_delivered or done.delivered):
            return
        clock.advance(3600)  # past any back-off
    raise AssertionError("the outbox never went quiet")


def test_orders_tracking_and_stock_make_the_round_trip(seeded_database: Database) -> None:
    clock, time_ = ManualClock(), FakeTime()
    with ShopifyStub(clock=time_.clock) as shop:
        paid = [shop.add_order(((SKUS[0], 1, "12.00"),)), shop.add_order(((SKUS[1], 2, "6.50"),)),
                shop.add_order(((SKUS[0], 1, "12.00"), (SKUS[1], 1, "6.50")))]
        unpaid = shop.add_order(((SKUS[0], 1, "12.00"),), financial="PENDING")
        unknown = shop.add_order((("NO-SUCH-SKU", 1, "3.00"),))
        app = _app(seeded_database, clock, time_)
        owner = sign_in(app, "owner")
        app.integrations.add_channel(owner, ChannelFields("shop", "shopify", shop.base_url, LOCATION,
                                                          {"notify_customer": True}))
        app.integrations.set_secret(owner, "shop", "token", shop.token)
        app.integrations.set_site_buffer(owner, 2)

        # Orders in: a 429, a 500 and an answer that is not JSON on the way; nothing lost or doubled.
        manager = sign_in(app, "manager")
        for trouble in (lambda: shop.fail_next(429, "1"), lambda: shop.fail_next(500), shop.malformed_next):
            trouble()  # waited out (on the fake clock) and asked again within the round: no error, nothing lost
            waits = len(time_.slept)
            (result,) = app.integrations.sync(manager, "shop")
            assert result.error is None, result.error
            assert time_.slept[waits:] == [1.0]
        orders = _orders(seeded_database)
        assert sorted(orders) == sorted([*paid, unpaid, unknown])
        assert all(orders[gid].status == "ready" and not orders[gid].hold for gid in paid)
        assert orders[unpaid].hold and "paid" in (orders[unpaid].hold_reason or "")
        assert orders[unknown].hold and "NO-SUCH-SKU" in (orders[unknown].hold_reason or "")

        # Cancelled in the shop: cancelled here at the next sync, its stock released.
        shop.update_order(paid[1], cancelledAt="2025-01-02T00:00:00Z")
        _sync_until_clean(app)
        assert _orders(seeded_database)[paid[1]].status == "cancelled"

        # Shipped here: the fulfilment's first answer is lost; the retry finds it, creates none.
        packer = sign_in(app, "packer")
        order = _orders(seeded_database)[paid[2]]
        session_id = app.packing.start(packer, order.number).session_id
        scan_units(app, packer, session_id, [(SKUS[0], 1), (SKUS[1], 1)])
        shipped = app.shipping.ship(packer, session_id, Weighing(expected_weight(seeded_database, session_id)))
        shop.lose_next("fulfillmentCreate")
        _deliver_until_quiet(app, clock)
        (fulfilment,) = shop.fulfillments_of(paid[2])
        assert fulfilment["status"] == "SUCCESS"
        assert [t["number"] for t in fulfilment["trackingInfo"]] == list(shipped.tracking_numbers)
        assert app.integrations.problems().failed == ()

        # Voided here after the shop heard of it: the fulfilment is cancelled there, once.
        app.shipping.void(sign_in(app, "manager"), order.number, "label damaged")
        _deliver_until_quiet(app, clock)
        assert [f["status"] for f in shop.fulfillments_of(paid[2])] == ["CANCELLED"]

        # Stock: a burst of changes, then the shop holds our available less the buffer of 2 (never < 0).
        for sku in SKUS:
            shop.add_variant(sku, available=999)
        manager = sign_in(app, "manager")
        bins = {sku: _bin_of(seeded_database, sku) for sku in SKUS}
        for step in range(20):
            sku = SKUS[step % 2]
            app.stock.adjust(manager, sku, bins[sku], "burst", by=1 if step % 3 else -1)
        _deliver_until_quiet(app, clock)
        for sku in SKUS:
            assert shop.available(sku) == max(_available(seeded_database, sku) - 2, 0), sku


def _bin_of(database: Database, sku: str) -> str:
    with database.unit_of_work() as session:
        return str(session.scalars(
            select(Bin.code).join(StockLevel, StockLevel.bin_id == Bin.id)
            .join(Product, Product.id == StockLevel.product_id)
            .where(Product.sku == sku, Bin.kind.in_(("pickable", "storage")), StockLevel.lot_code == "",
                   StockLevel.on_hand > StockLevel.reserved + 7)
            .order_by(Bin.code)).first())


def test_woocommerce_orders_completion_and_stock_make_the_round_trip(seeded_database: Database) -> None:
    clock = ManualClock()
    with WooCommerceStub() as shop:
        paid = [shop.add_order(lines=[(SKUS[0], 1, "12.00")]), shop.add_order(lines=[(SKUS[1], 1, "6.50")])]
        held = shop.add_order(status="on-hold", lines=[(SKUS[0], 1, "12.00")])

        def adapters(config: ChannelConfig, secrets: SecretStore) -> ShopChannel:
            return WooCommerceChannel(config, secrets, timeout=STUB_TIMEOUT_S)

        slept: list[float] = []
        app = build_services(seeded_database, Ports(printers=FixedPrinters(), channel_adapters=adapters, clock=clock,
                                                    sleep=slept.append), STATION)
        owner = sign_in(app, "owner")
        app.integrations.add_channel(owner, ChannelFields("woo", "woocommerce", shop.base_url, None,
                                                          {"notify_customer": True}))
        app.integrations.set_secret(owner, "woo", "key", shop.key)
        app.integrations.set_secret(owner, "woo", "secret", shop.secret)

        shop.fail("orders", 429, retry_after="1")
        _sync_until_clean(app, channel="woo")
        assert slept == [1.0]  # the shop's wait, through the injected sleep
        _sync_until_clean(app, channel="woo")  # the same orders again: nothing doubled
        orders = _orders(seeded_database, "woo")
        assert sorted(orders) == sorted(str(o["id"]) for o in (*paid, held))
        assert orders[str(paid[0]["id"])].status == "ready"
        assert orders[str(held["id"])].hold

        packer = sign_in(app, "packer")
        number = orders[str(paid[0]["id"])].number
        session_id = app.packing.start(packer, number).session_id
        scan_units(app, packer, session_id, [(SKUS[0], 1)])
        shipped = app.shipping.ship(packer, session_id, Weighing(expected_weight(seeded_database, session_id)))
        shop.lose_response("update_order")
        _deliver_until_quiet(app, clock)
        completed = shop.orders[paid[0]["id"]]
        assert completed["status"] == "completed"
        assert [entry["number"] for entry in shop.meta(paid[0]["id"], "_fulfilstation_tracking")] == \
            list(shipped.tracking_numbers)
        assert len([n for n in shop.notes[paid[0]["id"]] if n.get("customer_note")]) == 1

        for sku in SKUS:  # listed in the shop only now: a reconciliation by hand pushes them
            shop.add_product(sku, stock=500)
        app.integrations.reconcile_stock(sign_in(app, "manager"), "woo")
        _deliver_until_quiet(app, clock)
        stocked = {p["sku"]: p["stock_quantity"] for p in shop.products.values()}
        for sku in SKUS:
            assert stocked[sku] == max(_available(seeded_database, sku), 0), sku
