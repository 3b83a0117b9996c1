"""Guards found by trying intake as a user (both engines): an order with a line of unknown
SKU is never reserved nor packed, even released; a scanned order number opens our order of
that number, not another channel's order whose shop id reads the same."""

from __future__ import annotations

import datetime as dt

import pytest

from fulfilstation.db.database import Database
from fulfilstation.integrations.ports import IncomingLine, IncomingOrder
from fulfilstation.services.orders.intake.write import write_incoming
from fulfilstation.services.packing import PackRefused
from tests.support.app import app_for, sign_in


def _order(channel: str, external_id: str, number: str, sku: str) -> IncomingOrder:
    return IncomingOrder(channel, external_id, number, "Ana Lima", "1 Main St", "Springfield", "62704", "US",
                         (IncomingLine(sku, 1),), ship_to_region="IL", financial_status="paid")


def test_an_order_with_an_unknown_sku_is_never_reserved_nor_packed(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    write_incoming(seeded_database, manager, [_order("shop", "9001", "#9001", "NO-SUCH-SKU")],
                   today=dt.date.today(), source="test")
    assert app.orders.detail("#9001").summary.hold  # held by the intake: unknown SKU
    app.orders.release(manager, "#9001", "customer asked")
    (outcome,) = app.orders.reserve_stock(manager, ["#9001"])
    assert outcome.result == "skipped" and "NO-SUCH-SKU" in outcome.message
    assert app.orders.detail("#9001").summary.status == "pending"
    with pytest.raises(PackRefused, match="NO-SUCH-SKU"):
        app.packing.start(packer, "#9001")


def test_a_scanned_number_opens_our_order_before_another_channels_shop_id(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    # shop-b's order goes in first: a lookup by "number or shop id" would find it first.
    write_incoming(seeded_database, manager, [_order("shop-b", "#5002", "B-5002", "SOAP-LAV-100"),
                                              _order("shop-a", "1", "#5002", "MUG-CER-350")],
                   today=dt.date.today(), source="test")
    view = app.packing.start(packer, "#5002")
    assert view.order_number == "#5002"
