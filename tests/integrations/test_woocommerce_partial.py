"""A split order's parts told to WooCommerce (the real adapter over HTTP, a local stub): a
part adds its tracking beside the others' and a note naming what it carries, and leaves the
order ``processing``; the last part completes it; a repeat changes nothing twice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fulfilstation.integrations.ports import ShippedLine, TrackingPush
from tests.support.woocommerce_stub import WooCommerceStub, channel_for

FIRST = [TrackingPush("1Z999AA10123456784", "UPS")]
SECOND = [TrackingPush("9400111899223197428490", "USPS")]


@pytest.fixture
def stub() -> Iterator[WooCommerceStub]:
    with WooCommerceStub() as running:
        yield running


def test_a_part_leaves_the_order_processing_and_the_last_part_completes_it(stub: WooCommerceStub) -> None:
    order_id = stub.add_order()["id"]
    channel = channel_for(stub)
    first = channel.create_fulfilment(str(order_id), FIRST, notify_customer=True, idempotency_key="part-1",
                                      lines=(ShippedLine("11", 2, "MUG-1"),), last_part=False)
    assert first == {"order_id": order_id, "tracking": ["1Z999AA10123456784"], "part": True, "last": False}
    assert stub.orders[order_id]["status"] == "processing"
    assert stub.meta(order_id, "_fulfilstation_tracking") == [
        {"number": "1Z999AA10123456784", "carrier": "UPS", "url": ""}]
    puts = stub.count("update_order")
    channel.create_fulfilment(str(order_id), FIRST, notify_customer=True, idempotency_key="part-1",
                              lines=(ShippedLine("11", 2, "MUG-1"),), last_part=False)  # a repeat
    assert stub.count("update_order") == puts
    assert [n["note"] for n in stub.notes[order_id]] == [
        "Shipped in part (2 × MUG-1) with UPS: 1Z999AA10123456784. The rest follows."]
    channel.create_fulfilment(str(order_id), SECOND, notify_customer=False, idempotency_key="part-2",
                              lines=(ShippedLine("11", 1, "MUG-1"), ShippedLine("12", 1, "TEE-M")), last_part=True)
    assert stub.orders[order_id]["status"] == "completed"
    assert [entry["number"] for entry in stub.meta(order_id, "_fulfilstation_tracking")] == [
        "1Z999AA10123456784", "9400111899223197428490"]
    assert [(n["note"], n["customer_note"]) for n in stub.notes[order_id]][-1] == (
        "Shipped in part (1 × MUG-1, 1 × TEE-M) with USPS: 9400111899223197428490. This completes the order.", False)


def test_withdrawing_a_part_keeps_the_other_parts_tracking(stub: WooCommerceStub) -> None:
    order_id = stub.add_order()["id"]
    channel = channel_for(stub)
    channel.create_fulfilment(str(order_id), FIRST, notify_customer=False, idempotency_key="part-1",
                              lines=(ShippedLine("11", 1, "MUG-1"),), last_part=False)
    second = channel.create_fulfilment(str(order_id), SECOND, notify_customer=False, idempotency_key="part-2",
                                       lines=(ShippedLine("12", 1, "TEE-M"),), last_part=True)
    assert stub.orders[order_id]["status"] == "completed"
    channel.cancel_fulfilment(str(order_id), second)
    assert stub.orders[order_id]["status"] == "processing"
    assert [entry["number"] for entry in stub.meta(order_id, "_fulfilstation_tracking")] == ["1Z999AA10123456784"]
    puts = stub.count("update_order")
    channel.cancel_fulfilment(str(order_id), second)  # a repeat
    assert stub.count("update_order") == puts
