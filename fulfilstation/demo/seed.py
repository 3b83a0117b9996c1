"""Fill an empty database with the demo warehouse: products, bins, stock, open orders,
boxes, carriers, users (demo PINs in README.md) and site settings.

Deterministic (a fixed random seed) and done once: a database that already holds
products is left alone. Its open orders are reserved by the same rule as
``orders.reserve_stock`` (``services/orders/reserve.reserve_lines``); one of them orders a
kit. Everything is written in one transaction, and the stock figures it writes obey the
same invariants the services keep (reserved = sum of allocations, every unit on hand
explained by a ``receive`` stock move).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    AuditEntry,
    Bin,
    BoxType,
    Product,
    ProductBarcode,
    ProductComponent,
    SiteSetting,
    StockLevel,
    StockMove,
    User,
)
from fulfilstation.demo import catalogue
from fulfilstation.demo.carriers import seed_carriers
from fulfilstation.demo.orders import seed_orders
from fulfilstation.domain.enums import BinKind, StockMoveReason
from fulfilstation.domain.pins import hash_pin
from fulfilstation.services.users.badges import site_badge_digest

AISLES = "ABCDE"
BAYS = 10
LEVELS = 2


@dataclass(frozen=True)
class SeedSummary:
    seeded: bool
    products: int = 0
    bins: int = 0
    orders: int = 0
    users: int = 0
    message: str = ""


def seed_demo(database: Database, *, today: dt.date | None = None, seed: int = 2026) -> SeedSummary:
    today = today or dt.date.today()
    rng = random.Random(seed)
    with database.unit_of_work() as session:
        if session.scalar(select(func.count()).select_from(Product)):
            return SeedSummary(False, message="The database already holds products; demo data was not added.")
        users = _users(session)
        bins = _bins(session)
        products = _products(session)
        _boxes(session)
        _stock(session, rng, products, bins, today, users["owner"])
        kits = _kits(session, products)
        services = seed_carriers(session)
        orders = seed_orders(session, rng, products, services, today, kits)
        _site_settings(session)
        session.add(AuditEntry(user_id=users["owner"].id, action="demo.seeded",
                               details={"products": len(products), "orders": orders}))
    return SeedSummary(True, len(products) + len(kits), len(bins), orders, len(users), "Demo data added.")


def _users(session: Session) -> dict[str, User]:
    users = {}
    for demo in catalogue.DEMO_USERS:
        user = User(username=demo.username, full_name=demo.full_name, role=demo.role,
                    pin_hash=hash_pin(demo.pin), badge_digest=site_badge_digest(session, demo.badge))
        session.add(user)
        users[demo.username] = user
    session.flush()
    return users


def _bins(session: Session) -> list[Bin]:
    bins = []
    sequence = 0
    for aisle in AISLES:
        for bay in range(1, BAYS + 1):
            for level in range(1, LEVELS + 1):
                sequence += 10
                bins.append(Bin(code=f"{aisle}-{bay:02d}-{level}", zone=aisle, aisle=aisle, bay=f"{bay:02d}",
                                level=str(level),
                                kind=BinKind.PICKABLE.value if level == 1 else BinKind.STORAGE.value,
                                pick_sequence=sequence))
    specials = [("RECV-01", BinKind.RECEIVING), ("RET-01", BinKind.RETURNS), ("DMG-01", BinKind.DAMAGED),
                ("QUAR-01", BinKind.QUARANTINE)]
    session.add_all(bins + [Bin(code=c, zone="DOCK", kind=k.value, pick_sequence=0) for c, k in specials])
    session.flush()
    return bins


def _products(session: Session) -> list[Product]:
    products = []
    for index, demo in enumerate(catalogue.demo_products()):
        length, width, height = demo.size_mm
        supplier, lead_time_days = catalogue.demo_supplier(demo.sku)
        product = Product(sku=demo.sku, name=demo.name, weight_g=demo.weight_g, length_mm=length,
                          width_mm=width, height_mm=height, unit_price_minor=demo.price_minor,
                          lot_tracked=demo.lot_tracked, serial_tracked=demo.serial_tracked,
                          fragile=demo.fragile, hazmat=demo.hazmat, currency="USD", supplier=supplier,
                          lead_time_days=lead_time_days, cost_minor=catalogue.demo_cost_minor(demo.price_minor),
                          hs_code=catalogue.demo_customs(demo.sku)[0],
                          country_of_origin=catalogue.demo_customs(demo.sku)[1])
        product.barcodes.append(ProductBarcode(code=catalogue.unit_gtin(index), pack_quantity=1))
        if demo.case_quantity:
            product.barcodes.append(
                ProductBarcode(code=catalogue.case_gtin(index), pack_quantity=demo.case_quantity))
        session.add(product)
        products.append(product)
    session.flush()
    return products


def _kits(session: Session, products: list[Product]) -> list[Product]:
    """The demo kits (no stock of their own: their components'), with unit GTINs after the
    products'."""
    by_sku = {product.sku: product for product in products}
    kits = []
    for index, demo in enumerate(catalogue.DEMO_KITS, start=len(products)):
        length, width, height = demo.size_mm
        kit = Product(sku=demo.sku, name=demo.name, length_mm=length, width_mm=width, height_mm=height,
                      weight_g=sum(by_sku[sku].weight_g * quantity for sku, quantity in demo.components),
                      unit_price_minor=demo.price_minor, currency="USD", hs_code=catalogue.demo_customs(demo.sku)[0],
                      country_of_origin=catalogue.demo_customs(demo.sku)[1])
        kit.barcodes.append(ProductBarcode(code=catalogue.unit_gtin(index), pack_quantity=1))
        session.add(kit)
        session.flush()
        session.add_all(ProductComponent(kit_id=kit.id, component_id=by_sku[sku].id, quantity=quantity)
                        for sku, quantity in demo.components)
        kits.append(kit)
    session.flush()
    return kits


def _boxes(session: Session) -> None:
    for code, name, (length, width, height), tare, max_g, cost in catalogue.DEMO_BOXES:
        session.add(BoxType(code=code, name=name, inner_length_mm=length, inner_width_mm=width,
                            inner_height_mm=height, tare_weight_g=tare, max_weight_g=max_g,
                            cost_minor=cost, currency="USD"))


def _stock(session: Session, rng: random.Random, products: list[Product], bins: list[Bin],
           today: dt.date, owner: User) -> None:
    free = list(bins)
    rng.shuffle(free)
    for product in products:
        for slot in range(rng.randint(1, 2)):
            bin_ = free.pop()
            quantity = rng.randint(30, 160)
            lot = f"L{today:%y}{rng.randint(100, 999)}" if product.lot_tracked else ""
            expiry = today + dt.timedelta(days=rng.randint(120, 720)) if product.lot_tracked else None
            session.add(StockLevel(product_id=product.id, bin_id=bin_.id, lot_code=lot,
                                   expiry_date=expiry, on_hand=quantity, reserved=0))
            session.add(StockMove(product_id=product.id, to_bin_id=bin_.id, lot_code=lot, quantity=quantity,
                                  reason=StockMoveReason.RECEIVE.value, user_id=owner.id,
                                  note="Opening stock (demo)" + ("" if slot == 0 else ", second bin")))
    session.flush()


def _site_settings(session: Session) -> None:
    values = {
        "ship_from": catalogue.SHIP_FROM,
        "weight_tolerance": {"grams": 60, "percent": 5},
        "units": {"weight": "lb", "length": "in"},
        "currency": "USD",
        "demo": True,
    }
    session.add_all(SiteSetting(key=key, value=value) for key, value in values.items())
