"""Stock to the shops when one product's push fails forever (both engines, both shops): the
real adapters over real HTTP to the Shopify and WooCommerce stand-ins, one listing answering
HTTP 503 to every stock update that names it. The other products reach the shop in the
same round and the next ones, the failing product ends in the
problems after the retry limit, and every other product's stock in the shop is our
available less the buffer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, StockLevel
from fulfilstation.integrations.ports import ChannelConfig, ShopChannel
from fulfilstation.integrations.shopify import ShopifyChannel
from fulfilstation.integrations.woocommerce import WooCommerceChannel
from fulfilstation.services.app import AppServices, build_services
from fulfilstation.services.context import Ports
from fulfilstation.services.integrations import ChannelFields
from fulfilstation.services.products import ProductFields
from tests.support.app import STATION, FixedPrinters, sign_in
from tests.support.shop_channel import ManualClock
from tests.support.shopify_stub import LOCATION, FakeTime, ShopifyStub
from tests.support.woocommerce_stub import WooCommerceStub

#: the local stub answers at once; on a loaded machine (two test workers) it may take a few
#: seconds: no test here is about a timeout (those set their own, with a stub told to be late)
STUB_TIMEOUT_S = 30.0

BAD = "SOAP-LAV-100"  # the shop chokes on this listing
GOOD = ("MUG-CER-350", "ISO-NEW-1")
BUFFER = 2


@dataclass
class Shop:
    """One stand-in shop as the test sees it: its kind, address, secrets and stock."""

    kind: str
    base_url: str
    secrets: dict[str, str]
    stock_of: Callable[[str], int | None]
    fail_stock_of: Callable[[str], None]
    heal: Callable[[], None]
    adapter: Callable[[ChannelConfig, SecretStore], ShopChannel]


@contextmanager
def _shopify() -> Iterator[Shop]:
    time_ = FakeTime()
    with ShopifyStub(clock=time_.clock) as stub:
        for sku in (BAD, *GOOD):
            stub.add_variant(sku, 0)
        yield Shop("shopify", stub.base_url, {"token": stub.token}, stub.available, stub.fail_stock_of,
                   stub.stock_failures.clear,
                   lambda config, secrets: ShopifyChannel(config, secrets, timeout=STUB_TIMEOUT_S, sleep=time_.sleep,
                                                          clock=time_.clock))


@contextmanager
def _woocommerce() -> Iterator[Shop]:
    with WooCommerceStub() as stub:
        ids = {sku: stub.add_product(sku, stock=0) for sku in (BAD, *GOOD)}
        yield Shop("woocommerce", stub.base_url, {"key": stub.key, "secret": stub.secret},
                   lambda sku: stub.products[ids[sku]]["stock_quantity"],
                   lambda sku: stub.fail_stock_of(ids[sku]), stub.stock_failures.clear,
                   lambda config, secrets: WooCommerceChannel(config, secrets, timeout=STUB_TIMEOUT_S))


@pytest.fixture(params=["shopify", "woocommerce"])
def shop(request: pytest.FixtureRequest) -> Iterator[Shop]:
    with (_shopify() if request.param == "shopify" else _woocommerce()) as running:
        yield running


def _available(database: Database, sku: str) -> int:
    """Free units in pickable and storage bins, counted here without the house's own code."""
    with database.unit_of_work() as session:
        return int(session.scalar(
            select(func.coalesce(func.sum(StockLevel.on_hand - StockLevel.reserved), 0))
            .join(Bin, Bin.id == StockLevel.bin_id).join(Product, Product.id == StockLevel.product_id)
            .where(Product.sku == sku, Bin.kind.in_(("pickable", "storage")), Bin.active.is_(True))))


def _pickable_bin(database: Database) -> str:
    with database.unit_of_work() as session:
        return session.scalars(select(Bin.code).where(Bin.kind == "pickable", Bin.active.is_(True))
                               .order_by(Bin.code)).first() or ""


def _good_stock_matches(database: Database, shop: Shop) -> None:
    for sku in GOOD:
        assert shop.stock_of(sku) == max(0, _available(database, sku) - BUFFER), sku


def test_one_products_failing_push_holds_back_no_other(seeded_database: Database, shop: Shop) -> None:
    clock = ManualClock()
    app: AppServices = build_services(seeded_database, Ports(printers=FixedPrinters(), channel_adapters=shop.adapter,
                                                             clock=clock), STATION)
    owner, manager = sign_in(app, "owner"), sign_in(app, "manager")
    app.integrations.add_channel(owner, ChannelFields("shop", shop.kind, shop.base_url,
                                                      LOCATION if shop.kind == "shopify" else None))
    for key, secret in shop.secrets.items():
        app.integrations.set_secret(owner, "shop", key, secret)
    app.integrations.set_site_buffer(owner, BUFFER)
    app.integrations.set_retry_limit(owner, 3)
    app.products.create(manager, ProductFields(GOOD[1], "A product new to the shop"))
    where = _pickable_bin(seeded_database)
    app.stock.adjust(manager, GOOD[1], where, "counted", set_to=12)
    shop.fail_stock_of(BAD)

    first = app.integrations.run_round(manager)  # the batch fails; its halves go; BAD alone spends an attempt
    assert first.delivery.retried == 1 and first.delivery.stock_delivered == first.delivery.stock_queued - 1
    _good_stock_matches(seeded_database, shop)
    assert shop.stock_of(GOOD[1]) == 10 and shop.stock_of(BAD) == 0

    for units in (30, 7, 1):  # each round's changes reach the shop in that round, BAD backing off meanwhile
        clock.advance(30)
        app.stock.adjust(manager, GOOD[0], where, "counted", set_to=units)
        app.stock.adjust(manager, GOOD[1], where, "counted", set_to=units + 3)
        done = app.integrations.run_round(manager).delivery
        assert done.stock_delivered == 2, done
        _good_stock_matches(seeded_database, shop)
    for _ in range(3):  # past every back-off: BAD reaches the retry limit
        clock.advance(3600)
        app.integrations.run_round(manager)
    (failed,) = app.integrations.problems().failed
    assert failed.topic == "stock.level" and failed.attempts == 3 and "503" in (failed.last_error or "")

    clock.advance(30)
    app.stock.adjust(manager, GOOD[0], where, "counted", set_to=50)  # a failed product holds back no other
    assert app.integrations.run_round(manager).delivery.stock_delivered == 1
    _good_stock_matches(seeded_database, shop)

    shop.heal()  # the shop's listing is mended; Retry all sends it
    assert app.integrations.retry_all(manager) == 1
    assert app.integrations.run_round(manager).delivery.stock_delivered == 1
    assert shop.stock_of(BAD) == max(0, _available(seeded_database, BAD) - BUFFER)
    assert app.integrations.problems().failed == ()
