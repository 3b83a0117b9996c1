"""The shipping the customer paid reaches ``orders.shipping_charged_minor`` through the one
intake door (SQLite and PostgreSQL): written with a new order, changed when the source says
another amount while the order is not yet picked, kept when a later file does not say it, and
NULL when no source ever said it."""

from __future__ import annotations

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from tests.support.app import app_for, sign_in

HEAD = "order_id,order_number,sku,quantity,unit_price,ship_to_name,ship_to_line1,ship_to_city,ship_to_region," \
       "ship_to_postal_code,ship_to_country"


def row(order: str, sku: str = "MUG-ENA-300") -> str:
    return f"{order},{order},{sku},1,12.90,Sam Park,1 Main St,Springfield,IL,62704,US"


def charged(database: Database) -> dict[str, int | None]:
    with database.unit_of_work() as session:
        return {number: value for number, value in session.execute(
            select(Order.number, Order.shipping_charged_minor).where(Order.channel == "csv"))}


def test_the_shipping_charged_is_written_changed_and_kept(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    first = "\n".join([HEAD + ",Shipping Charged", row("W-1") + ",4.95", row("W-2") + ",0", row("W-3") + ","])
    report = app.order_files.import_orders(manager, first.encode(), file_format="generic")
    assert report.summary() == "imported 3, updated 0, rejected 0"
    assert charged(seeded_database) == {"W-1": 495, "W-2": 0, "W-3": None}

    changed = "\n".join([HEAD + ",Shipping", row("W-1") + ",6.95", row("W-2") + ",0", row("W-3") + ",3.00"])
    report = app.order_files.import_orders(manager, changed.encode(), file_format="generic")
    assert (report.updated, report.unchanged) == (2, 1)
    assert charged(seeded_database) == {"W-1": 695, "W-2": 0, "W-3": 300}

    silent = "\n".join([HEAD, row("W-1"), row("W-2"), row("W-3")])  # a file without the column
    report = app.order_files.import_orders(manager, silent.encode(), file_format="generic")
    assert (report.updated, report.unchanged) == (0, 3)
    assert charged(seeded_database) == {"W-1": 695, "W-2": 0, "W-3": 300}
