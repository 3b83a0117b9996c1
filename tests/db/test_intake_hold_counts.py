"""The import's report counts the orders intake holds and why (both engines): per reason, an
order held for two reasons under each, "would be held" in a preview; a preview says that
backorders are known only after the import (it never counts them); a re-import that holds
an order counts it too."""

from __future__ import annotations

from pathlib import Path

from fulfilstation.db.database import Database
from fulfilstation.integrations.ports import IncomingLine
from fulfilstation.services.orders.intake.findings import held_words
from fulfilstation.services.orders.intake.write import NO_BACKORDERS_YET
from tests.db.test_order_intake import incoming, manager, write

SHOPIFY = (Path(__file__).resolve().parents[1] / "data" / "imports" / "shopify_orders.csv").read_bytes()


def test_the_preview_counts_holds_per_reason_and_no_backorders(seeded_database: Database) -> None:
    app, actor = manager(seeded_database)
    preview = app.order_files.import_orders(actor, SHOPIFY, dry_run=True)
    assert preview.notes[-2:] == ("2 orders would be held: 1 SKU not in the catalogue, 1 not paid.", NO_BACKORDERS_YET)
    assert not any("backorder" in note.lower() for note in preview.notes[:-1])
    done = app.order_files.import_orders(actor, SHOPIFY)
    assert done.notes[-2] == "2 orders were held: 1 SKU not in the catalogue, 1 not paid."
    assert done.notes[-1].startswith("Reserved on arrival: ")
    again = app.order_files.import_orders(actor, SHOPIFY, dry_run=True)  # nothing new, nothing changed
    assert not any("held" in note or "backorder" in note.lower() for note in again.notes)


def test_an_order_held_for_two_reasons_counts_under_each_and_a_reimport_counts(seeded_database: Database) -> None:
    _app, actor = manager(seeded_database)
    report = write(seeded_database, actor,
                   incoming("C-1", financial_status="pending", lines=(IncomingLine("NO-SUCH-SKU", 1, 100),)),
                   incoming("C-2", financial_status="pending"), incoming("C-3"))
    assert report.notes == ("2 orders were held: 2 not paid, 1 SKU not in the catalogue.",
                            "Reserved on arrival: 1 order ready to pack, 0 waiting for stock as backorders.")
    held = write(seeded_database, actor, incoming("C-3", shop_status="on-hold"), dry_run=True)
    assert held.notes == ("1 order would be held: 1 on hold in the shop.", NO_BACKORDERS_YET)


def test_the_words() -> None:
    assert held_words(1, {"unpaid": 1}, would=False) == "1 order was held: 1 not paid."
    assert held_words(3, {"postal-code": 1, "review-value": 2, "custom": 1}, would=True) == \
        "3 orders would be held: 2 for review: value, 1 custom, 1 postal code to check."
