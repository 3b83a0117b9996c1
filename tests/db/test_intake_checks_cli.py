"""``fulfilstation site set-order-review`` and ``fulfilstation orders recheck`` as people run
them (real processes, both engines): rules stored and shown in words, a bad value refused
with one line and nothing stored, an intake-held order re-checked after its product was
added, and the held order's reasons shown by ``orders show`` and ``orders history``."""

from __future__ import annotations

from fulfilstation.db.database import Database
from fulfilstation.services.orders.intake.findings import IntakeProblem
from fulfilstation.services.site.order_review import OrderReview, order_review_of
from tests.db.test_cli import cli, plain
from tests.db.test_intake_checks import intake_held_order
from tests.support.kits import new_product, put_stock

OWNER = ("--user", "owner", "--pin", "3333")
MANAGER = ("--manager", "manager", "--pin", "2222")


def test_order_review_rules_are_set_in_words_and_bad_values_refused(seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    done = cli("site", "set-order-review", "--db", url, "--max-value", "500.00", "--flag-country-mismatch",
               "--max-units-per-sku", "25", *OWNER)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("Order review rules saved: value above $500.00; more than 25 units of one SKU; country "
                           "mismatch held; bad phone warns.\n")
    bad = cli("site", "set-order-review", "--db", url, "--max-units-per-sku", "lots", *OWNER)
    assert (bad.returncode, bad.stderr) == (1, "error: --max-units-per-sku is a whole number, or 'none' to turn "
                                               "it off, not 'lots'.\n")
    off = cli("site", "set-order-review", "--db", url, "--max-value", "none", "--phone-holds", *OWNER)
    assert off.returncode == 0, off.stderr
    with seeded_database.unit_of_work() as session:
        assert order_review_of(session) == OrderReview(None, True, 25, True)


def test_recheck_releases_an_intake_hold_once_the_product_exists(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    number = intake_held_order(db, lines=[("MUG-CER-350", 1)],
                               unmatched=[{"line_no": 2, "sku": "CLI-NEW-1", "name": "New thing", "quantity": 1}],
                               problems=(IntakeProblem("unknown-sku", "SKU CLI-NEW-1 is not in the catalogue: add "
                                                       "the product, then re-check the order."),
                                         IntakeProblem("phone", "The phone '555' is not a phone number.", False)))
    shown = cli("orders", "show", number, "--db", url)
    assert "  Problem: SKU CLI-NEW-1 is not in the catalogue" in shown.stdout
    assert "  Warning: The phone '555' is not a phone number." in shown.stdout
    assert "Lines with unknown SKUs (add the products, then 'fulfilstation orders recheck'): 1 × CLI-NEW-1 New thing" \
        in shown.stdout
    new_product(db, "CLI-NEW-1")
    put_stock(db, "CLI-NEW-1", "A-01-1", 1)
    done = cli("orders", "recheck", number, "--db", url, *MANAGER)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith(f"Order {number} re-checked; lines now in the catalogue: CLI-NEW-1; "
                                                   "its intake hold is released; ")
    history = cli("orders", "history", number, "--db", url).stdout
    assert "Re-checked: intake hold released, lines now in the catalogue: CLI-NEW-1" in history
    refused = cli("orders", "recheck", "NO-SUCH", "--db", url, *MANAGER)
    assert refused.returncode == 1 and refused.stderr.startswith("error: There is no order 'NO-SUCH'")
