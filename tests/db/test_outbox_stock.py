"""Stock to the shops (both engines): available less the buffer, never below zero, one
coalesced push per product carrying the figure at send time."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Bin, ChannelListing, OutboxMessage, Product
from fulfilstation.integrations.ports import ChannelError
from fulfilstation.services.app import AppServices
from fulfilstation.services.integrations import IntegrationsRefused
from fulfilstation.services.products import ProductFields
from tests.support.app import sign_in
from tests.support.outbox import add_shop, messages
from tests.support.shop_channel import ManualClock, RecordingShop, shop_app
from tests.support.warehouse import make_order


def _pickable_bin(database: Database) -> str:
    with database.unit_of_work() as session:
        return session.scalars(select(Bin.code).where(Bin.kind == "pickable", Bin.active.is_(True))
                               .order_by(Bin.code)).first() or ""


def _new_products(app: AppServices, stock: dict[str, int]) -> None:
    manager = sign_in(app, "manager")
    where = _pickable_bin(app.products.database)
    for sku, units in stock.items():
        app.products.create(manager, ProductFields(sku, f"Product {sku}"))
        if units:
            app.stock.adjust(manager, sku, where, "counted", set_to=units)


def _pushed(shop: RecordingShop, call: int) -> dict[str, int]:
    return {push.sku: push.available for push in shop.stock_calls[call]}


def test_available_less_the_buffer_is_pushed_and_zero_reads_zero(seeded_database: Database) -> None:
    shop, clock = RecordingShop(), ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    owner, manager = sign_in(app, "owner"), sign_in(app, "manager")
    _new_products(app, {"BUF-OWN": 7, "BUF-SITE": 7, "BUF-LOW": 1, "BUF-NONE": 0})
    app.integrations.set_site_buffer(owner, 2)
    app.integrations.set_product_buffer(owner, "BUF-OWN", 5)

    done = app.integrations.deliver(manager)
    assert done.stock_queued == done.stock_delivered > 4
    assert {sku: shop.stock[sku] for sku in ("BUF-OWN", "BUF-SITE", "BUF-LOW", "BUF-NONE")} == \
        {"BUF-OWN": 2, "BUF-SITE": 5, "BUF-LOW": 0, "BUF-NONE": 0}
    with seeded_database.unit_of_work() as session:
        listing = session.scalars(select(ChannelListing).join(Product, Product.id == ChannelListing.product_id)
                                  .where(Product.sku == "BUF-LOW")).one()
        assert (listing.pushed_available, listing.external_id, listing.inventory_item_id) == (0, "V-BUF-LOW",
                                                                                             "I-BUF-LOW")
    calls = len(shop.stock_calls)
    assert app.integrations.deliver(manager).stock_queued == 0  # nothing changed: nothing sent
    assert len(shop.stock_calls) == calls

    app.stock.adjust(manager, "BUF-OWN", _pickable_bin(seeded_database), "counted", set_to=10)
    app.integrations.set_product_buffer(owner, "BUF-SITE", None)  # the site default (2) again: still 5
    done = app.integrations.deliver(manager)
    assert (done.stock_queued, done.stock_delivered) == (1, 1)
    assert _pushed(shop, -1) == {"BUF-OWN": 5}
    with pytest.raises(IntegrationsRefused, match="0 or more"):
        app.integrations.set_site_buffer(owner, -1)


def test_a_burst_of_changes_is_one_push_per_product_with_the_final_figure(seeded_database: Database) -> None:
    shop, clock = RecordingShop(), ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    manager = sign_in(app, "manager")
    _new_products(app, {"BURST-A": 100, "BURST-B": 100})
    app.integrations.deliver(manager)  # the first push of every product
    before = len(shop.stock_calls)
    where = _pickable_bin(seeded_database)
    shop.fail_next(ChannelError("Cannot reach the shop (connection refused)", retryable=True))
    for change in range(50):  # while the shop is down, and workers keep queueing
        app.stock.adjust(manager, "BURST-A", where, "counted", set_to=60 + change)
        app.stock.adjust(manager, "BURST-B", where, "counted", set_to=10 + change)
        app.integrations.deliver(manager)
    waiting = [m for m in messages(seeded_database, "stock.level") if m.status == "pending"]
    assert len(waiting) == 2  # one row per product, however many changes
    clock.advance(3600)
    done = app.integrations.deliver(manager)
    assert done.stock_delivered == 2
    sent = shop.stock_calls[before:]
    assert len(sent) == 1 and _pushed(shop, -1) == {"BURST-A": 109, "BURST-B": 59}
    assert shop.stock["BURST-A"] == 109 and shop.stock["BURST-B"] == 59

    app.stock.adjust(manager, "BURST-A", where, "counted", set_to=0)  # the next change queues again
    app.integrations.deliver(manager)
    assert _pushed(shop, -1) == {"BURST-A": 0}


def test_a_full_reconciliation_queues_every_product_once(seeded_database: Database) -> None:
    shop, clock = RecordingShop(), ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    manager = sign_in(app, "manager")
    app.integrations.deliver(manager)
    with seeded_database.unit_of_work() as session:
        products = len(session.scalars(select(Product.id).where(Product.active.is_(True))).all())
    assert app.integrations.reconcile_stock(manager, "test") == products
    assert app.integrations.reconcile_stock(manager, "test") == 0  # already waiting: coalesced
    assert app.integrations.deliver(manager).stock_delivered == products
    with pytest.raises(IntegrationsRefused, match="no sales channel"):
        app.integrations.reconcile_stock(manager, "nope")


def _status(database: Database, message_id: int) -> str:
    with database.unit_of_work() as session:
        return str(session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == message_id)))


def test_a_failing_product_holds_back_no_other_and_a_newer_figure_supersedes_it(seeded_database: Database) -> None:
    shop, clock = RecordingShop(refused_skus={"HOLD-A"}), ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    manager = sign_in(app, "manager")
    app.integrations.set_retry_limit(sign_in(app, "owner"), 2)
    _new_products(app, {"HOLD-A": 5, "HOLD-B": 3})
    where = _pickable_bin(seeded_database)

    done = app.integrations.deliver(manager)  # the batch fails, its halves go, down to HOLD-A alone
    assert done.stock_delivered == done.stock_queued - 1 and done.retried == 1
    assert "HOLD-A" not in shop.stock and shop.stock["HOLD-B"] == 3
    clock.advance(3600)
    done = app.integrations.deliver(manager)
    (failed,) = app.integrations.problems().failed
    assert (done.failed, failed.topic, failed.attempts) == (1, "stock.level", 2) and "503" in (failed.last_error or "")

    app.stock.adjust(manager, "HOLD-B", where, "counted", set_to=7)  # a failed product holds back no other
    calls = len(shop.calls_of("set_stock"))
    done = app.integrations.deliver(manager)
    assert (done.stock_delivered, shop.stock["HOLD-B"]) == (1, 7)
    assert len(shop.calls_of("set_stock")) == calls + 1  # HOLD-A failed with this figure: not sent again
    assert _status(seeded_database, failed.id) == "failed"

    app.stock.adjust(manager, "HOLD-A", where, "counted", set_to=9)  # a newer figure supersedes the failed push
    done = app.integrations.deliver(manager)
    assert (done.stock_queued, done.retried) == (1, 1)
    assert _status(seeded_database, failed.id) == "cancelled" and app.integrations.problems().failed == ()
    (waiting,) = [m for m in messages(seeded_database, "stock.level") if m.status == "pending"]
    assert waiting.dedup_key.endswith(f":{waiting.payload['product_id']}")  # the key is the new row's

    shop.refused_skus.clear()  # the shop's listing is fixed
    clock.advance(3600)
    done = app.integrations.deliver(manager)
    assert (done.stock_delivered, shop.stock["HOLD-A"]) == (1, 9)


def test_retry_all_queues_every_failed_push_of_a_channel_audited_once(seeded_database: Database) -> None:
    shop, clock = RecordingShop(refused_skus={"ALL-A", "ALL-B"}), ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    add_shop(app, "other")
    manager = sign_in(app, "manager")
    app.integrations.set_retry_limit(sign_in(app, "owner"), 1)
    _new_products(app, {"ALL-A": 4, "ALL-B": 6})
    done = app.integrations.deliver(manager)
    assert done.failed == 4  # two products on two channels
    with pytest.raises(IntegrationsRefused, match="no sales channel"):
        app.integrations.retry_all(manager, "nope")
    shop.refused_skus.clear()
    assert app.integrations.retry_all(manager, "test") == 2
    assert {p.channel for p in app.integrations.problems().failed} == {"other"}
    assert app.integrations.retry_all(manager) == 2
    with pytest.raises(IntegrationsRefused, match="no failed pushes"):
        app.integrations.retry_all(manager)
    assert app.integrations.deliver(manager).stock_delivered == 4
    assert (shop.stock["ALL-A"], shop.stock["ALL-B"]) == (4, 6)
    with seeded_database.unit_of_work() as session:
        audited = [(e.details["channel"], e.details["count"]) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "outbox.retried_all").order_by(AuditEntry.id))]
    assert audited == [("test", 2), (None, 2)]


def test_a_reservation_and_its_release_reach_the_shop_at_the_next_pass(seeded_database: Database) -> None:
    shop, clock = RecordingShop(), ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    manager = sign_in(app, "manager")
    app.integrations.deliver(manager)
    before = shop.stock["MUG-CER-350"]
    number = make_order(seeded_database, [("MUG-CER-350", 2)])  # reserves two
    app.integrations.deliver(manager)
    assert _pushed(shop, -1)["MUG-CER-350"] == before - 2
    app.orders.cancel(manager, number, "Customer cancelled")  # releases them
    app.integrations.deliver(manager)
    assert shop.stock["MUG-CER-350"] == before
