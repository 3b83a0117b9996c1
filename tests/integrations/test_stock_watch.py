"""The stock watcher costs what changed (both engines): after its first, full pass it looks
only at the products changed since (a count, a reservation, a cancelled order's release, a
buffer, a new product), each queued once; a coarse change (the site buffer) makes a full
pass, and a change no mark can see is caught by the full pass every ``FULL_EVERY``."""

from __future__ import annotations

from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, StockLevel
from fulfilstation.services.app import AppServices
from fulfilstation.services.integrations.stock_watch import FULL_EVERY, StockWatch
from fulfilstation.services.products import ProductFields
from tests.support.app import sign_in
from tests.support.outbox import add_shop, messages
from tests.support.shop_channel import ManualClock, RecordingShop, shop_app
from tests.support.warehouse import make_order


def _pickable_bin(database: Database) -> str:
    with database.unit_of_work() as session:
        return session.scalars(select(Bin.code).where(Bin.kind == "pickable", Bin.active.is_(True))
                               .order_by(Bin.code)).first() or ""


def _waiting(database: Database) -> list[str]:
    return sorted(str(m.payload["sku"]) for m in messages(database, "stock.level") if m.status == "pending")


def test_a_pass_looks_only_at_what_changed(seeded_database: Database) -> None:
    shop, clock = RecordingShop(), ManualClock()
    app: AppServices = shop_app(seeded_database, shop, clock)
    add_shop(app)
    owner, manager = sign_in(app, "owner"), sign_in(app, "manager")
    where = _pickable_bin(seeded_database)
    for sku, units in (("W-A", 5), ("W-B", 3)):
        app.products.create(manager, ProductFields(sku, f"Watched {sku}"))
        app.stock.adjust(manager, sku, where, "counted", set_to=units)
    app.integrations.deliver(manager)  # every product reaches the shop
    with seeded_database.unit_of_work() as session:
        products = len(session.scalars(select(Product.id).where(Product.active.is_(True))).all())

    watch = StockWatch()
    assert watch.queue(seeded_database, clock.now()) == 0 and watch.last_full  # the first pass: all of them
    assert watch.queue(seeded_database, clock.now()) == 0 and not watch.last_full
    quiet = watch.last_examined
    assert quiet < products // 4  # the kits only (their components may have moved)

    def step(change: object, expected: list[str]) -> None:
        assert watch.queue(seeded_database, clock.now()) == len(expected) and not watch.last_full
        assert _waiting(seeded_database) == expected, change
        assert watch.last_examined <= quiet + 2 * len(expected) + 2  # what changed (and the pass before's)
        app.integrations.deliver(manager)
        assert _waiting(seeded_database) == []

    app.stock.adjust(manager, "W-A", where, "counted", set_to=9)
    step("a count", ["W-A"])
    number = make_order(seeded_database, [("W-B", 2)])  # reserves two
    step("a reservation", ["W-B"])
    app.orders.cancel(manager, number, "Customer cancelled")  # gives them back
    step("a cancelled order's release", ["W-B"])
    app.integrations.set_product_buffer(owner, "W-A", 4)
    step("a product's buffer", ["W-A"])
    app.products.create(manager, ProductFields("W-NEW", "Watched new"))
    app.stock.adjust(manager, "W-NEW", where, "counted", set_to=2)
    step("a new product", ["W-NEW"])
    assert shop.stock["W-A"] == 5 and shop.stock["W-B"] == 3 and shop.stock["W-NEW"] == 2

    app.integrations.set_site_buffer(owner, 1)  # every product's figure may move: a full pass
    assert watch.queue(seeded_database, clock.now()) > 0 and watch.last_full
    assert "W-B" in _waiting(seeded_database)
    app.integrations.deliver(manager)

    with seeded_database.unit_of_work() as session:  # a writer no mark sees (no ledger row, no audit)
        level = session.scalars(select(StockLevel.id).join(Product, Product.id == StockLevel.product_id)
                                .where(Product.sku == "W-B")).first()
        session.execute(update(StockLevel).where(StockLevel.id == level).values(on_hand=StockLevel.on_hand + 10))
    assert watch.queue(seeded_database, clock.now()) == 0 and not watch.last_full  # not seen yet
    clock.advance(FULL_EVERY.total_seconds())
    assert watch.queue(seeded_database, clock.now()) == 1 and watch.last_full  # the full pass catches it
    assert _waiting(seeded_database) == ["W-B"]
