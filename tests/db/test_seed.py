"""The demo warehouse is realistic and consistent."""

from __future__ import annotations

from biip import ParseConfig, parse  # type: ignore[attr-defined]
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    Bin,
    BoxType,
    Carrier,
    Order,
    Product,
    ProductBarcode,
    StockLevel,
    StockMove,
    User,
)
from fulfilstation.demo.seed import seed_demo
from fulfilstation.domain.pins import verify_pin
from fulfilstation.services.users.badges import site_badge_digest


def count(database: Database, model: type) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_demo_has_the_promised_size(seeded_database: Database) -> None:
    assert count(seeded_database, Product) >= 40
    with seeded_database.unit_of_work() as session:
        storage_bins = session.scalar(select(func.count()).select_from(Bin).where(Bin.zone != "DOCK"))
        open_orders = session.scalar(select(func.count()).select_from(Order).where(Order.status == "ready"))
    assert storage_bins == 100
    assert open_orders == 50
    assert count(seeded_database, BoxType) >= 5
    assert count(seeded_database, Carrier) >= 4


def test_every_barcode_is_a_valid_gtin_that_biip_reads(seeded_database: Database) -> None:
    with seeded_database.unit_of_work() as session:
        barcodes = session.execute(select(ProductBarcode.code, ProductBarcode.pack_quantity)).all()
    assert barcodes
    for code, pack_quantity in barcodes:
        result = parse(code, config=ParseConfig())
        assert result.gtin is not None, code
        assert result.gtin.value == code
        assert (pack_quantity > 1) == code.startswith("1"), code  # case GTIN-14s carry indicator 1


def test_reserved_stock_equals_allocations_and_ledger_explains_on_hand(seeded_database: Database) -> None:
    with seeded_database.unit_of_work() as session:
        reserved = session.scalar(select(func.sum(StockLevel.reserved)))
        allocated = session.scalar(select(func.sum(Allocation.quantity)))
        on_hand = session.scalar(select(func.sum(StockLevel.on_hand)))
        received = session.scalar(select(func.sum(StockMove.quantity)).where(StockMove.reason == "receive"))
        ordered = session.scalar(select(func.sum(Order.total_minor)))
    assert reserved == allocated and reserved > 0
    assert on_hand == received
    assert ordered > 0


def test_demo_users_log_in_with_documented_pins(seeded_database: Database) -> None:
    expected = {"packer": ("packer", "1111", "BADGE-0001"), "manager": ("manager", "2222", "BADGE-0002"),
                "owner": ("owner", "3333", "BADGE-0003")}
    with seeded_database.unit_of_work() as session:
        for username, (role, pin, badge) in expected.items():
            user = session.scalar(select(User).where(User.username == username))
            assert user is not None and user.role == role
            assert verify_pin(pin, user.pin_hash) and not verify_pin("0000", user.pin_hash)
            assert user.badge_digest == site_badge_digest(session, badge)
            assert pin not in (user.pin_hash or "")


def test_seeding_twice_changes_nothing(seeded_database: Database) -> None:
    before = count(seeded_database, Order)
    summary = seed_demo(seeded_database)
    assert not summary.seeded
    assert count(seeded_database, Order) == before
