"""The Orders area's use cases on SQLite and PostgreSQL: hold, release, cancel and the
ship-to address — a manager's and an owner's, never a packer's — and what they do to the
stations (a held order cannot be claimed or shipped) and to the stock (a cancel gives back
exactly what the order reserved)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders import Address, OrderRefused
from fulfilstation.services.packing import PackRefused, Refusal
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.site import SiteSettingRefused
from tests.support.app import app_for, sign_in
from tests.support.orders import (
    MUG_AND_SOAP,
    allocations_of,
    audit_of,
    on_hand_levels,
    outbox_of,
    pack_all,
    reserved_levels,
    ship_packed,
    state_of,
)
from tests.support.warehouse import make_order

NEW_ADDRESS = Address("Robin Example", "22 Elm Street", "Columbus", "43215", "us", line2="Apt 4", region="oh",
                      phone="+1 614 555 0100")


def ready(app: AppServices) -> str:
    return make_order(app.orders.database, MUG_AND_SOAP)


def held(app: AppServices) -> str:
    return make_order(app.orders.database, MUG_AND_SOAP, hold="Payment under review")


# Each use case: (make the order it applies to, do it as ``actor``, what must be true after).
USE_CASES: dict[str, tuple[Callable[[AppServices], str], Callable[[AppServices, Actor, str], Any],
                           Callable[[AppServices, str], bool]]] = {
    "hold": (ready, lambda app, who, n: app.orders.hold(who, n, "Customer asked to wait"),
             lambda app, n: app.orders.detail(n).summary.hold),
    "release": (held, lambda app, who, n: app.orders.release(who, n),
                lambda app, n: not app.orders.detail(n).summary.hold),
    "cancel": (ready, lambda app, who, n: app.orders.cancel(who, n, "Customer cancelled"),
               lambda app, n: app.orders.detail(n).summary.status == "cancelled"),
    "set_address": (ready, lambda app, who, n: app.orders.set_address(who, n, NEW_ADDRESS),
                    lambda app, n: app.orders.detail(n).ship_to.line1 == "22 Elm Street"),
}


@pytest.mark.parametrize("use_case", sorted(USE_CASES))
def test_managers_and_owners_may_packers_may_not(seeded_database: Database, use_case: str) -> None:
    app = app_for(seeded_database)
    make, do, done = USE_CASES[use_case]
    for username in ("manager", "owner"):
        number = make(app)
        do(app, sign_in(app, username), number)
        assert done(app, number), (use_case, username)
        assert audit_of(seeded_database, number)[-1].details["by"] == username
    number = make(app)
    before = state_of(seeded_database, number)
    with pytest.raises(NotAllowed, match="only a manager or an owner can"):
        do(app, sign_in(app, "packer"), number)
    assert state_of(seeded_database, number) == before


def test_a_held_order_cannot_be_claimed_until_it_is_released(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    number = ready(app)
    summary = app.orders.hold(manager, number, "  Address needs checking  ")
    assert (summary.hold, summary.hold_reason, summary.status) == (True, "Address needs checking", "ready")
    with pytest.raises(PackRefused, match="on hold: Address needs checking") as refused:
        app.packing.start(packer, number)
    assert refused.value.code is Refusal.ORDER_ON_HOLD
    with pytest.raises(OrderRefused, match="already on hold by Morgan Manager: Address needs checking"):
        app.orders.hold(manager, number, "Another reason")
    released = app.orders.release(manager, number, "Customer confirmed")
    assert (released.hold, released.hold_reason) == (False, None)
    with pytest.raises(OrderRefused, match="is not on hold"):
        app.orders.release(manager, number)
    assert app.packing.start(packer, number).order_number == number
    entries = audit_of(seeded_database, number)
    assert [e.action for e in entries] == ["order.held", "order.released", "pack.started"]
    assert entries[0].details["reason"] == "Address needs checking"
    assert (entries[1].details["reason"], entries[1].details["was"]) == ("Customer confirmed", "Address needs checking")


def test_a_hold_needs_a_reason_and_an_open_order(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    number = ready(app)
    before = state_of(seeded_database, number)
    for blank in ("", "   "):
        with pytest.raises(OrderRefused, match="Say why the order is held") as refused:
            app.orders.hold(manager, number, blank)
        assert refused.value.code == "reason-required"
    assert state_of(seeded_database, number) == before
    ship_packed(app, packer, pack_all(app, packer, number, MUG_AND_SOAP))
    with pytest.raises(OrderRefused, match="has already shipped: it can no longer be held"):
        app.orders.hold(manager, number, "Too late")
    cancelled = ready(app)
    app.orders.cancel(manager, cancelled, "Customer cancelled")
    with pytest.raises(OrderRefused, match="was cancelled"):
        app.orders.hold(manager, cancelled, "Too late")
    with pytest.raises(OrderRefused, match="There is no order 'NOPE-1'") as missing:
        app.orders.hold(manager, "NOPE-1", "Why not")
    assert missing.value.code == "order-not-found"


def test_holding_an_order_while_it_is_packed_stops_its_shipment(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    number = ready(app)
    view = pack_all(app, packer, number, MUG_AND_SOAP)
    on_hand = on_hand_levels(db)
    summary = app.orders.hold(manager, number, "Customer changed the size")
    assert (summary.status, summary.hold) == ("packing", True)
    assert audit_of(db, number, "order.held")[0].details["while_packing"] == "at station PACK-T by Pat Packer"
    with pytest.raises(PackRefused) as refused:
        ship_packed(app, packer, view)
    assert refused.value.code is Refusal.ORDER_ON_HOLD
    assert refused.value.message == (f"Order {number} was put on hold by Morgan Manager while it was being packed: "
                                     "Customer changed the size. Do not ship it: set it aside and cancel the pack, "
                                     "or ask a manager to release it.")
    detail = app.orders.detail(number)
    assert detail.summary.status == "packing" and detail.shipments == () and on_hand_levels(db) == on_hand
    app.orders.release(manager, number)
    tracking = ship_packed(app, packer, view)
    assert app.orders.detail(number).summary.tracking == tracking


def test_cancel_gives_back_exactly_the_reserved_stock(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    other = make_order(db, [("MUG-CER-350", 3)])  # reserved beside it, must stay reserved
    number = make_order(db, [("MUG-CER-350", 2), ("SOAP-LAV-100", 1), ("NB-A5-DOT", 4)], hold="Fraud check")
    reserved, on_hand, ours, theirs = reserved_levels(db), on_hand_levels(db), allocations_of(db, number), \
        allocations_of(db, other)
    assert sum(ours.values()) == 7
    outcome = app.orders.cancel(manager, number, "Customer cancelled by phone")
    assert (outcome.summary.status, outcome.summary.hold, outcome.units_released) == ("cancelled", False, 7)
    assert sorted((r.sku, r.quantity) for r in outcome.released) == [("MUG-CER-350", 2), ("NB-A5-DOT", 4),
                                                                     ("SOAP-LAV-100", 1)]
    assert reserved_levels(db) == {level: units - ours.get(level, 0) for level, units in reserved.items()}
    assert on_hand_levels(db) == on_hand  # nothing moved: only the reservation ends
    assert allocations_of(db, number) == {} and allocations_of(db, other) == theirs
    entry = audit_of(db, number, "order.cancelled")[0]
    assert entry.details["reason"] == "Customer cancelled by phone" and entry.details["was_held"] == "Fraud check"
    assert sum(r["quantity"] for r in entry.details["released"]) == 7 and entry.details["by"] == "manager"
    assert outbox_of(db, "order.cancelled") == [{"order_id": entry.entity_id, "order": number, "channel": "test",
                                                 "external_id": number, "reason": "Customer cancelled by phone"}]
    with pytest.raises(OrderRefused, match="already cancelled"):
        app.orders.cancel(manager, number, "Again")
    assert reserved_levels(db) == {level: units - ours.get(level, 0) for level, units in reserved.items()}


def test_cancel_refuses_an_order_being_packed_or_shipped(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    number = ready(app)
    view = pack_all(app, packer, number, MUG_AND_SOAP)
    before = state_of(db, number)
    with pytest.raises(OrderRefused, match=r"is being packed at station PACK-T by Pat Packer: cancel that pack "
                                           r"first") as refused:
        app.orders.cancel(manager, number, "Customer cancelled")
    assert refused.value.code == "order-being-packed" and state_of(db, number) == before
    tracking = ship_packed(app, packer, view)
    with pytest.raises(OrderRefused, match=rf"has shipped \({tracking}\): if the parcel is still here, void the "
                                           "shipment first"):
        app.orders.cancel(manager, number, "Customer cancelled")
    app.shipping.void(manager, tracking, "Customer cancelled before pickup")  # back on the shelf, reserved again
    reserved = reserved_levels(db)
    ours = allocations_of(db, number)
    assert sum(ours.values()) == 3
    app.orders.cancel(manager, number, "Customer cancelled")
    assert reserved_levels(db) == {level: units - ours.get(level, 0) for level, units in reserved.items()}


def test_set_address_is_checked_like_the_ship_from_address_and_audited(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    number = ready(app)
    before = state_of(db, number)
    for address, problem in ((Address("X", "1 Main St", "Columbus", "43215", "US"), "two-letter state"),
                             (Address("X", "1 Main St", " ", "43215", "US", region="OH"),
                              "The ship-to address needs its city"),
                             (Address("X", "1 Main St", "Columbus", "4321", "US", region="OH"), "ZIP code"),
                             (Address("X", "1 Main St", "Paris", "75001", "FRA"), "two-letter ISO code"),
                             (Address("X" * 201, "1 Main St", "Paris", "75001", "FR"), "too long a name")):
        with pytest.raises(OrderRefused, match=problem) as refused:
            app.orders.set_address(manager, number, address)
        assert refused.value.code == "bad-address"
    assert state_of(db, number) == before
    stored = app.orders.set_address(manager, number, NEW_ADDRESS)
    assert stored == Address("Robin Example", "22 Elm Street", "Columbus", "43215", "US", line2="Apt 4",
                             region="OH", phone="+1 614 555 0100")
    assert app.orders.detail(number).ship_to == stored
    entry = audit_of(db, number, "order.address_changed")[0]
    assert entry.details["from"] == {"name": "Test Person", "line1": "1 Test St", "city": "Springfield",
                                     "postal_code": "62704", "country": "US", "region": "IL"}
    assert entry.details["to"] == stored.as_json() and entry.details["by"] == "manager"
    app.orders.set_address(manager, number, NEW_ADDRESS)  # the same again: nothing to record
    assert len(audit_of(db, number, "order.address_changed")) == 1
    view = pack_all(app, packer, number, MUG_AND_SOAP)  # still editable while packed: the label is made at ship
    app.orders.set_address(sign_in(app, "owner"), number, Address("Robin Example", "9 Oak Ave", "Columbus", "43215",
                                                                  "US", region="OH"))
    ship_packed(app, packer, view)
    with pytest.raises(OrderRefused, match="has shipped: its address can no longer change"):
        app.orders.set_address(manager, number, NEW_ADDRESS)
    with db.unit_of_work() as session:
        assert session.scalars(select(Order.ship_to_line1).where(Order.number == number)).one() == "9 Oak Ave"


def test_the_sites_ship_from_address_follows_the_same_rules(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    before = app.site.settings()["ship_from"]
    with pytest.raises(SiteSettingRefused, match="The ship-from address needs its city"):
        app.site.set_ship_from(owner, Address("Dock", "1 Pier Rd", " ", "97209", "US", region="OR"))
    with pytest.raises(SiteSettingRefused, match="two-letter state"):
        app.site.set_ship_from(owner, Address("Dock", "1 Pier Rd", "Portland", "97209", "US"))
    assert app.site.settings()["ship_from"] == before
    stored = app.site.set_ship_from(owner, Address("Dock", "1 Pier Rd", "Portland", "97209", "us", region="or"))
    assert (stored["country"], stored["region"]) == ("US", "OR")
