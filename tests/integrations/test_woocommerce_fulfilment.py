"""Tracking to WooCommerce: the order completed with our tracking meta and one note, exactly
once from the shop's point of view — also when an answer is lost and the push is repeated."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fulfilstation.integrations.ports import ChannelError, TrackingPush
from tests.support.woocommerce_stub import WooCommerceStub, channel_for

PACKAGES = [TrackingPush("1Z999AA10123456784", "UPS", "https://ups.example/t/1Z999AA10123456784"),
            TrackingPush("1Z999AA10123456791", "UPS"), TrackingPush("9400111899223197428490", "USPS")]


@pytest.fixture
def stub() -> Iterator[WooCommerceStub]:
    with WooCommerceStub() as running:
        yield running


def ship(channel: object, order_id: int, *, notify: bool = True) -> object:
    return channel.create_fulfilment(str(order_id), PACKAGES, notify_customer=notify,  # type: ignore[attr-defined]
                                     idempotency_key=f"shipment-{order_id}")


def test_a_shipment_completes_the_order_with_tracking_meta_and_a_customer_note(stub: WooCommerceStub) -> None:
    order_id = stub.add_order()["id"]
    reference = ship(channel_for(stub), order_id)

    assert reference == {"order_id": order_id, "tracking": [p.number for p in PACKAGES]}
    assert stub.orders[order_id]["status"] == "completed"
    assert stub.meta(order_id, "_fulfilstation_tracking") == [
        {"number": "1Z999AA10123456784", "carrier": "UPS", "url": "https://ups.example/t/1Z999AA10123456784"},
        {"number": "1Z999AA10123456791", "carrier": "UPS", "url": ""},
        {"number": "9400111899223197428490", "carrier": "USPS", "url": ""}]
    assert stub.meta(order_id, "_tracking_number") == "1Z999AA10123456784"
    assert stub.meta(order_id, "_tracking_provider") == "UPS"
    [note] = stub.notes[order_id]
    assert note["note"] == "Shipped with UPS: 1Z999AA10123456784, 1Z999AA10123456791; USPS: 9400111899223197428490."
    assert note["customer_note"] is True


def test_without_notify_the_note_is_private(stub: WooCommerceStub) -> None:
    order_id = stub.add_order()["id"]
    ship(channel_for(stub), order_id, notify=False)
    assert [n["customer_note"] for n in stub.notes[order_id]] == [False]


@pytest.mark.parametrize("lost", ["update_order", "add_note"])
def test_a_repeat_after_a_lost_answer_completes_once_with_one_note(stub: WooCommerceStub, lost: str) -> None:
    order_id = stub.add_order()["id"]
    channel = channel_for(stub)
    stub.lose_response(lost)
    with pytest.raises(ChannelError) as failed:
        ship(channel, order_id)
    assert failed.value.retryable

    ship(channel, order_id)  # the outbox tries again
    ship(channel, order_id)  # and once more, for good measure

    assert stub.orders[order_id]["status"] == "completed"
    assert stub.count("update_order") == 1
    assert len(stub.notes[order_id]) == 1 and stub.count("add_note") == 1


def test_a_repeat_after_a_timeout_completes_once_with_one_note(stub: WooCommerceStub) -> None:
    order_id = stub.add_order()["id"]
    stub.delay("update_order", 3.0)
    with pytest.raises(ChannelError):
        ship(channel_for(stub, timeout=1.0), order_id)
    ship(channel_for(stub), order_id)
    assert stub.count("update_order") == 1 and len(stub.notes[order_id]) == 1


def test_an_order_cancelled_in_the_shop_is_not_completed(stub: WooCommerceStub) -> None:
    order_id = stub.add_order(status="cancelled")["id"]
    with pytest.raises(ChannelError, match="cancelled in the shop") as refused:
        ship(channel_for(stub), order_id)
    assert not refused.value.retryable
    assert stub.orders[order_id]["status"] == "cancelled" and stub.notes[order_id] == []


def test_a_void_reopens_the_order_once_and_a_new_shipment_completes_it_again(stub: WooCommerceStub) -> None:
    order_id = stub.add_order()["id"]
    channel = channel_for(stub)
    reference = ship(channel, order_id)

    channel.cancel_fulfilment(str(order_id), reference)
    channel.cancel_fulfilment(str(order_id), reference)  # repeated: nothing more happens

    assert stub.orders[order_id]["status"] == "processing"
    assert stub.meta(order_id, "_fulfilstation_tracking") == ""
    assert stub.meta(order_id, "_tracking_number") == ""
    assert stub.count("update_order") == 2
    voided = [n for n in stub.notes[order_id] if n["note"].startswith("Shipment voided")]
    assert len(voided) == 1 and voided[0]["customer_note"] is False
    assert "1Z999AA10123456784" in voided[0]["note"]

    again = [TrackingPush("1ZNEW0000000000001", "UPS")]
    channel.create_fulfilment(str(order_id), again, notify_customer=True, idempotency_key="shipment-2")
    assert stub.orders[order_id]["status"] == "completed"
    assert [p["number"] for p in stub.meta(order_id, "_fulfilstation_tracking")] == ["1ZNEW0000000000001"]
