"""The shop's word on a split order (both engines): a re-import that sends the order as the
shop has it (full quantities) changes no part's lines — unchanged when the parts together
match, a warning when the shop's lines really changed — while an address change reaches every
part; a cancel in the shop cancels the remainders too, their stock given back."""

from __future__ import annotations

import datetime as dt

from fulfilstation.db.database import Database
from fulfilstation.integrations.ports import IncomingLine
from tests.db.test_order_intake import incoming, manager, order, write
from tests.support.app import sign_in
from tests.support.kits import allocations_match_reserved, new_product, put_stock

TODAY = dt.date(2026, 12, 5)
LINES = (IncomingLine("PI-1", 3, 1000, external_line_id="L-1"), IncomingLine("PI-2", 1, 500, external_line_id="L-2"))


def split_order(database: Database, external: str) -> tuple[str, str]:
    """A shop order of 3 × PI-1 (1 in stock) and 1 × PI-2 (in stock), shipped in part."""
    app, actor = manager(database)
    app.site.set_partial_shipments(sign_in(app, "owner"), True)
    for sku, units in (("PI-1", 1), ("PI-2", 5)):
        new_product(database, sku)
        put_stock(database, sku, "A-01-1", units)
    assert write(database, actor, incoming(external, lines=LINES)).imported == 1
    number = f"#{external}"
    return number, f"{number}-2"


def test_a_reimport_leaves_the_split_lines_and_applies_the_address_to_every_part(seeded_database: Database) -> None:
    db = seeded_database
    number, rest = split_order(db, "PI-A")
    assert (order(db, number)["status"], order(db, number)["lines"]) == ("ready", [("PI-1", 1, 1000),
                                                                                  ("PI-2", 1, 500)])
    assert (order(db, rest)["status"], order(db, rest)["lines"]) == ("pending", [("PI-1", 2, 1000)])
    _app, actor = manager(db)
    same = write(db, actor, incoming("PI-A", lines=LINES))
    assert (same.updated, same.unchanged, same.warnings) == (0, 2, ())  # each part counts
    moved = write(db, actor, incoming("PI-A", lines=LINES, ship_to_line1="9 Elm St"))
    assert moved.updated == 2 and moved.warnings == ()
    assert [order(db, n)["ship_to_line1"] for n in (number, rest)] == ["9 Elm St", "9 Elm St"]
    more = (IncomingLine("PI-1", 5, 1000, external_line_id="L-1"), LINES[1])
    changed = write(db, actor, incoming("PI-A", lines=more, ship_to_line1="9 Elm St"))
    assert [w.reason for w in changed.warnings] == [
        f"order {number} was split for a partial shipment ({number}, {rest}): the shop's line changes were not "
        "applied"]
    assert order(db, number)["lines"] == [("PI-1", 1, 1000), ("PI-2", 1, 500)]
    assert order(db, rest)["lines"] == [("PI-1", 2, 1000)]
    assert (order(db, number)["status"], order(db, number)["reserved"]) == ("ready", 2)


def test_a_cancel_in_the_shop_cancels_every_part(seeded_database: Database) -> None:
    db = seeded_database
    number, rest = split_order(db, "PI-B")
    _app, actor = manager(db)
    report = write(db, actor, incoming("PI-B", lines=LINES, shop_status="cancelled"))
    assert report.updated == 2
    assert [(order(db, n)["status"], order(db, n)["reserved"]) for n in (number, rest)] == [
        ("cancelled", 0), ("cancelled", 0)]
    assert allocations_match_reserved(db)
