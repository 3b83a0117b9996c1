"""Pushes written with their cause, delivered by the worker (both engines): a shipment's
tracking reaches its shop, a void undoes it, failures back off, give up and come back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from fulfilstation.db.database import Database
from fulfilstation.db.models import OutboxMessage
from fulfilstation.domain.enums import OutboxStatus
from fulfilstation.integrations.ports import ChannelError, TrackingPush
from fulfilstation.services.integrations import IntegrationsRefused
from fulfilstation.services.packing import PackRefused, Weighing
from tests.support.app import sign_in
from tests.support.easypost_account import add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.outbox import add_shop, messages, ship_order
from tests.support.shop_channel import ManualClock, RecordingShop, shop_app
from tests.support.warehouse import expected_weight, make_order, scan_units


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def shop() -> RecordingShop:
    return RecordingShop()


def _shipment_push(database: Database):  # type: ignore[no-untyped-def]
    pushes = messages(database, "shipment.created")
    assert len(pushes) == 1
    return pushes[0]


def test_a_shipment_of_two_packages_sends_both_tracking_numbers_once(seeded_database: Database,
                                                                      shop: RecordingShop, clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app, notify_customer=False)
    number, shipment_id = ship_order(app, [("MUG-CER-350", 1), ("SOAP-LAV-100", 1)], packages=2)
    push = _shipment_push(seeded_database)
    assert push.channel == "test" and push.status == "pending" and push.order_id is not None
    assert push.payload["external_id"] == number and len(push.payload["packages"]) == 2
    assert all(p["number"] and p["carrier"] for p in push.payload["packages"])

    manager = sign_in(app, "manager")
    done = app.integrations.deliver(manager)
    assert done.delivered == 1 and done.failed == 0
    (call,) = shop.calls_of("create_fulfilment")
    external_id, tracking, notify, key = call
    assert external_id == number and not notify and key == f"shipment.created:{shipment_id}"
    assert [t.number for t in tracking] == [p["number"] for p in push.payload["packages"]]
    push = _shipment_push(seeded_database)
    assert push.status == "delivered" and push.result == {"fulfilment_id": "F-1", "order": number,
                                                          "tracking": [t.number for t in tracking],
                                                          "carriers": [t.carrier for t in tracking]}
    assert app.integrations.deliver(manager).delivered == 0  # nothing twice
    assert len(shop.calls_of("create_fulfilment")) == 1


def test_a_shipment_rolled_back_leaves_no_push(seeded_database: Database, shop: RecordingShop,
                                               clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    number = make_order(seeded_database, [("MUG-CER-350", 1)])
    session_id = app.packing.start(packer, number).session_id
    scan_units(app, packer, session_id, [("MUG-CER-350", 1)])
    app.orders.hold(manager, number, "Customer called")  # while it is being packed
    with pytest.raises(PackRefused):
        app.shipping.ship(packer, session_id, Weighing(expected_weight(seeded_database, session_id)))
    assert messages(seeded_database, "shipment.created") == []


def test_an_order_of_no_shop_channel_is_not_pushed(seeded_database: Database, shop: RecordingShop,
                                                   clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)  # no channel "test" configured
    ship_order(app, [("MUG-CER-350", 1)])
    push = _shipment_push(seeded_database)
    assert push.channel is None
    app.integrations.deliver(sign_in(app, "manager"))
    assert shop.calls == [] and _shipment_push(seeded_database).status == "pending"


def test_a_void_before_delivery_cancels_the_push(seeded_database: Database, shop: RecordingShop,
                                                 clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    number, _shipment = ship_order(app, [("MUG-CER-350", 1)])
    manager = sign_in(app, "manager")
    app.shipping.void(manager, number, "Wrong box")
    assert _shipment_push(seeded_database).status == "cancelled"
    app.integrations.deliver(manager)
    assert shop.calls_of("create_fulfilment") == [] and messages(seeded_database, "fulfilment.cancel") == []


def test_a_void_after_delivery_queues_a_cancel_with_the_shops_reference(seeded_database: Database,
                                                                        shop: RecordingShop,
                                                                        clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    number, shipment_id = ship_order(app, [("MUG-CER-350", 1)])
    manager = sign_in(app, "manager")
    app.integrations.deliver(manager)
    app.shipping.void(manager, number, "Parcel damaged")
    (cancel,) = messages(seeded_database, "fulfilment.cancel")
    assert cancel.status == "pending" and cancel.channel == "test"
    assert cancel.payload["reference"]["fulfilment_id"] == "F-1" and cancel.payload["shipment_id"] == shipment_id
    assert _shipment_push(seeded_database).status == "delivered"
    assert app.integrations.deliver(manager).delivered == 1
    assert shop.cancelled == [(number, cancel.payload["reference"])]


def test_a_retryable_error_backs_off_and_retry_after_is_honoured(seeded_database: Database, shop: RecordingShop,
                                                                 clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    ship_order(app, [("MUG-CER-350", 1)])
    manager = sign_in(app, "manager")
    shop.fail_next(ChannelError("The shop answered 503", retryable=True, status=503))
    start = clock.now()
    assert app.integrations.deliver(manager).retried == 1
    push = _shipment_push(seeded_database)
    assert push.status == "pending" and push.attempts == 1 and push.last_error == "The shop answered 503"
    assert start + dt.timedelta(seconds=27) <= push.next_attempt_at <= start + dt.timedelta(seconds=33)
    assert app.integrations.deliver(manager).retried == 0  # not due yet: the shop is not asked
    assert len(shop.calls_of("create_fulfilment")) == 1

    clock.advance(34)
    shop.fail_next(ChannelError("Too many requests", retryable=True, retry_after=600, status=429))
    assert app.integrations.deliver(manager).retried == 1
    push = _shipment_push(seeded_database)
    assert push.attempts == 2 and push.next_attempt_at == clock.now() + dt.timedelta(seconds=600)
    clock.advance(599)
    assert app.integrations.deliver(manager).delivered == 0
    clock.advance(1)
    assert app.integrations.deliver(manager).delivered == 1
    assert _shipment_push(seeded_database).status == "delivered"
    assert len(shop.fulfilments) == 1


def test_after_the_retry_limit_a_push_fails_is_listed_and_the_retry_sends_it(
        seeded_database: Database, shop: RecordingShop, clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    number, _shipment = ship_order(app, [("MUG-CER-350", 1)])
    manager = sign_in(app, "manager")
    delays = []
    for attempt in range(1, 9):
        shop.fail_next(ChannelError(f"timeout {attempt}", retryable=True))
        before = clock.now()
        app.integrations.deliver(manager)
        push = _shipment_push(seeded_database)
        if attempt < 8:
            assert push.status == "pending" and push.attempts == attempt
            delays.append((push.next_attempt_at - before).total_seconds())
        clock.advance(3601)
    assert push.status == "failed" and push.attempts == 8 and push.last_error == "timeout 8"
    assert delays[0] < delays[1] < delays[2] < delays[3] < delays[4] < delays[5] <= 3600 and delays[6] <= 3600
    (problem,) = app.integrations.problems().failed
    assert (problem.id, problem.channel, problem.topic, problem.order, problem.attempts, problem.last_error) == \
        (push.id, "test", "shipment.created", number, 8, "timeout 8")
    assert app.integrations.deliver(manager).delivered == 0  # a failed push waits for a person

    app.integrations.retry(manager, push.id)
    with pytest.raises(IntegrationsRefused, match="not failed"):
        app.integrations.retry(manager, push.id)
    assert app.integrations.problems().failed == ()
    assert app.integrations.deliver(manager).delivered == 1
    assert _shipment_push(seeded_database).status == "delivered"


def test_the_retry_limit_is_a_site_setting(seeded_database: Database, shop: RecordingShop,
                                          clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    app.integrations.set_retry_limit(sign_in(app, "owner"), 2)
    with pytest.raises(IntegrationsRefused, match="from 1 to 100"):
        app.integrations.set_retry_limit(sign_in(app, "owner"), 0)
    ship_order(app, [("MUG-CER-350", 1)])
    manager = sign_in(app, "manager")
    for attempt in (1, 2):
        shop.fail_next(ChannelError(f"timeout {attempt}", retryable=True))
        app.integrations.deliver(manager)
        clock.advance(3601)
    push = _shipment_push(seeded_database)
    assert (push.status, push.attempts, push.last_error) == ("failed", 2, "timeout 2")


def test_an_inactive_channels_push_waits_for_it(seeded_database: Database, shop: RecordingShop,
                                                clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    owner, manager = sign_in(app, "owner"), sign_in(app, "manager")
    app.integrations.deactivate_channel(owner, "test")
    ship_order(app, [("MUG-CER-350", 1)])
    assert _shipment_push(seeded_database).channel == "test"
    app.integrations.deliver(manager)
    assert shop.calls == []
    app.integrations.reactivate_channel(owner, "test")
    assert app.integrations.deliver(manager).delivered == 1


def test_an_error_retrying_cannot_fix_fails_at_once(seeded_database: Database, shop: RecordingShop,
                                                    clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    ship_order(app, [("MUG-CER-350", 1)])
    shop.fail_next(ChannelError("The order is not in the shop (404)", retryable=False, status=404))
    done = app.integrations.deliver(sign_in(app, "manager"))
    assert done.failed == 1 and "404" in done.errors[0]
    push = _shipment_push(seeded_database)
    assert push.status == OutboxStatus.FAILED.value and push.attempts == 1


def test_a_shipment_not_pushed_within_24_hours_is_flagged(seeded_database: Database, shop: RecordingShop,
                                                          clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    number, shipment_id = ship_order(app, [("MUG-CER-350", 1)])
    assert app.integrations.problems().late == ()
    clock.advance(23 * 3600 - 600)
    assert app.integrations.problems().late == ()
    clock.advance(3600 + 600)
    (late,) = app.integrations.problems().late
    assert (late.shipment_id, late.order, late.channel, late.push_status) == (shipment_id, number, "test", "pending")
    app.integrations.deliver(sign_in(app, "manager"))
    assert app.integrations.problems().late == ()


def test_a_cancelled_order_is_marked_delivered_when_the_adapter_has_nothing_to_do(
        seeded_database: Database, shop: RecordingShop, clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    manager = sign_in(app, "manager")
    number = make_order(seeded_database, [("MUG-CER-350", 1)])
    app.orders.cancel(manager, number, "Customer changed their mind")
    (message,) = messages(seeded_database, "order.cancelled")
    assert message.channel == "test" and message.order_id is not None
    assert app.integrations.deliver(manager).delivered == 1
    (message,) = messages(seeded_database, "order.cancelled")
    assert message.status == "delivered" and "skipped" in (message.result or {})


def test_a_void_while_the_push_is_in_flight_is_undone_in_the_shop(seeded_database: Database,
                                                                   clock: ManualClock) -> None:
    """The worker holds no transaction while the shop answers: a manager voids the shipment
    meanwhile (the push turns cancelled), the shop says yes — so a cancel push follows."""
    voided: list[str] = []

    class VoidMeanwhile(RecordingShop):
        def create_fulfilment(self, order_external_id: str, tracking: Sequence[TrackingPush], *,
                              notify_customer: bool, idempotency_key: str) -> Mapping[str, Any]:
            if not voided:
                voided.append(order_external_id)
                app.shipping.void(sign_in(app, "manager"), order_external_id, "Customer collected it")
            return super().create_fulfilment(order_external_id, tracking, notify_customer=notify_customer,
                                             idempotency_key=idempotency_key)

    shop = VoidMeanwhile()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    number, shipment_id = ship_order(app, [("MUG-CER-350", 1)])
    manager = sign_in(app, "manager")
    app.integrations.deliver(manager)
    assert voided == [number]
    push = _shipment_push(seeded_database)
    assert push.status == "delivered" and push.result and push.result["fulfilment_id"] == "F-1"
    (cancel,) = messages(seeded_database, "fulfilment.cancel")
    assert cancel.payload["reference"]["fulfilment_id"] == "F-1" and cancel.payload["shipment_id"] == shipment_id
    app.integrations.deliver(manager)
    assert shop.cancelled == [(number, cancel.payload["reference"])]


def test_an_api_label_bought_after_the_commit_is_pushed_once_it_has_tracking(
        seeded_database: Database, stub: EasyPostStub, clock: ManualClock) -> None:
    shop = RecordingShop()
    add_easypost_account(seeded_database, stub, price_minor=1, default=True)
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    stub.fail("create", 503, "SERVICE.UNAVAILABLE", "Service unavailable")  # the label waits to be bought
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    number, _shipment = ship_order(app, [("MUG-CER-350", 1)], packer=packer)
    assert _shipment_push(seeded_database).payload["packages"] == []
    done = app.integrations.deliver(manager)
    assert done.retried == 1 and shop.calls_of("create_fulfilment") == []
    assert "no tracking number yet" in (_shipment_push(seeded_database).last_error or "")
    bought = app.shipping.reprint(packer)  # buys the label now
    assert bought is not None and bought.tracking_numbers[0]
    clock.advance(60)
    assert app.integrations.deliver(manager).delivered == 1
    ((external_id, tracking, _notify, _key),) = shop.calls_of("create_fulfilment")
    assert external_id == number and [t.number for t in tracking] == list(bought.tracking_numbers)


def test_an_orders_pushes_reach_the_shop_in_the_order_they_were_made(seeded_database: Database,
                                                                     shop: RecordingShop, clock: ManualClock) -> None:
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    number, _shipment = ship_order(app, [("MUG-CER-350", 1)])
    create = _shipment_push(seeded_database)
    with seeded_database.unit_of_work() as session:  # a later push of the same order, due at once
        session.add(OutboxMessage(topic="fulfilment.cancel", dedup_key="fulfilment.cancel:order-test",
                                  channel="test", order_id=create.order_id,
                                  payload={"external_id": number, "reference": {"fulfilment_id": "F-1"}}))
    other, _ = ship_order(app, [("MUG-CER-350", 1)])
    manager = sign_in(app, "manager")
    shop.fail_next(ChannelError("The shop answered 502", retryable=True, status=502))
    done = app.integrations.deliver(manager)  # the create fails: its order's cancel waits in this pass
    assert (done.retried, done.delivered) == (1, 1)
    assert shop.calls_of("cancel_fulfilment") == [] and [c[0] for c in shop.calls_of("create_fulfilment")] == \
        [number, other]
    assert app.integrations.deliver(manager).delivered == 0  # and while the create backs off
    assert shop.calls_of("cancel_fulfilment") == []

    clock.advance(3600)
    assert app.integrations.deliver(manager).delivered == 2
    kinds = [call for call, args in shop.calls if call != "set_stock" and args[0] == number]
    assert kinds == ["create_fulfilment", "create_fulfilment", "cancel_fulfilment"]
