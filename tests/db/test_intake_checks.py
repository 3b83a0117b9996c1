"""The intake checks on a real database (both engines): ``check_order`` with the site's
review rules, ``orders.recheck`` (unknown SKUs become lines, an intake hold is released, a
manager's hold never is), a held order refused at packing with the intake reason, and the
order review setting."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Order, OrderLine, Product
from fulfilstation.integrations.ports import IncomingLine, IncomingOrder
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders import OrderRefused
from fulfilstation.services.orders.intake.checks import CheckOutcome, check_order
from fulfilstation.services.orders.intake.findings import IntakeProblem
from fulfilstation.services.packing import PackRefused, Refusal
from fulfilstation.services.site import OrderReview, SiteSettingRefused
from tests.support.app import sign_in
from tests.support.kits import new_product, put_stock, status_of


@pytest.fixture
def manager(app: AppServices) -> Actor:
    return sign_in(app, "manager")


def incoming(**changes: object) -> IncomingOrder:
    base: dict[str, object] = dict(
        channel="shopify", external_id="5001", number="#5001", ship_to_name="Ada Lovelace",
        ship_to_line1="1 Main St", ship_to_city="Columbus", ship_to_postal_code="43215", ship_to_country="US",
        ship_to_region="OH", ship_to_phone="+1 614-466-3455", lines=(IncomingLine("MUG-CER-350", 2, 1200),),
        financial_status="paid", total_minor=2400, bill_to_country="US")
    base.update(changes)
    return IncomingOrder(**base)  # type: ignore[arg-type]


def check(database: Database, order: IncomingOrder, unknown: tuple[str, ...] = ()) -> CheckOutcome:
    with database.unit_of_work() as session:
        return check_order(session, order, unknown)


def codes(outcome: CheckOutcome) -> list[tuple[str, bool]]:
    return [(problem.code, problem.holds) for problem in outcome.problems]


def test_a_good_order_passes_and_a_well_formed_address_is_not_corrected(seeded_database: Database) -> None:
    outcome = check(seeded_database, incoming())
    assert outcome.problems == ()
    assert outcome.corrected_address is None
    assert not outcome.holds


def test_each_intake_rule_holds_or_warns_with_plain_words(seeded_database: Database) -> None:
    bad_postcode = check(seeded_database, incoming(ship_to_country="CA", ship_to_region="ON",
                                                   ship_to_postal_code="K1A0B1X", ship_to_phone=None,
                                                   bill_to_country="CA"))
    assert codes(bad_postcode) == [("postal-code", True)]
    assert bad_postcode.hold_reason() == "The postal code 'K1A0B1X' does not fit Canada's format (A1A 1A1)."
    assert codes(check(seeded_database, incoming(ship_to_country="XX"))) == [("country", True)]
    assert codes(check(seeded_database, incoming(ship_to_region="Narnia"))) == [("region", True)]
    assert codes(check(seeded_database, incoming(ship_to_line1=" "))) == [("address-missing", True)]
    assert codes(check(seeded_database, incoming(ship_to_phone="555"))) == [("phone", False)]
    unpaid = check(seeded_database, incoming(financial_status="pending"))
    assert codes(unpaid) == [("unpaid", True)] and "not paid" in unpaid.problems[0].message
    unknown = check(seeded_database, incoming(), ("NO-SUCH-SKU",))
    assert codes(unknown) == [("unknown-sku", True)] and "NO-SUCH-SKU" in unknown.problems[0].message


def test_a_badly_formatted_address_comes_back_corrected(seeded_database: Database) -> None:
    outcome = check(seeded_database, incoming(ship_to_country="United States", ship_to_region="Ohio",
                                              ship_to_postal_code="432151234"))
    assert outcome.problems == ()
    assert outcome.corrected_address is not None
    assert {k: outcome.corrected_address[k] for k in ("country", "region", "postal_code")} == {
        "country": "US", "region": "OH", "postal_code": "43215-1234"}


def test_the_sites_review_rules_hold_for_review(app: AppServices) -> None:
    owner = sign_in(app, "owner")
    db = app.orders.database
    assert check(db, incoming(total_minor=90_000, bill_to_country="GB",
                              lines=(IncomingLine("MUG-CER-350", 40),))).problems == ()
    app.site.set_order_review(owner, OrderReview(max_value_minor=50_000, flag_country_mismatch=True,
                                                 max_units_per_sku=25, phone_holds=True))
    outcome = check(db, incoming(total_minor=90_000, bill_to_country="GB", ship_to_phone="555",
                                 lines=(IncomingLine("MUG-CER-350", 20), IncomingLine("MUG-CER-350", 20))))
    assert codes(outcome) == [("phone", True), ("review-value", True), ("review-country", True),
                              ("review-units", True)]
    messages = [problem.message for problem in outcome.problems]
    assert messages[1] == "For review: the order is worth $900.00, above the site's limit of $500.00."
    assert messages[2] == "For review: it ships to United States but is billed to United Kingdom."
    assert messages[3] == "For review: 40 units of MUG-CER-350, more than the site's limit of 25 of one SKU."
    assert app.site.order_review() == OrderReview(50_000, True, 25, True)
    with db.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "site.order_review_changed")).one()
        assert entry.details["to"]["max_units_per_sku"] == 25


def test_review_rules_refuse_nonsense_and_store_nothing(app: AppServices) -> None:
    owner = sign_in(app, "owner")
    with pytest.raises(SiteSettingRefused, match="between 1 and 1000000"):
        app.site.set_order_review(owner, OrderReview(max_units_per_sku=0))
    with pytest.raises(SiteSettingRefused, match="above zero"):
        app.site.set_order_review(owner, OrderReview(max_value_minor=-5))
    assert app.site.order_review() == OrderReview()


_numbers = itertools.count(1)


def intake_held_order(database: Database, *, unmatched: list[dict[str, object]] | None = None,
                      problems: tuple[IntakeProblem, ...] = (), lines: list[tuple[str, int]] | None = None,
                      postal_code: str = "43215", hold_reason: str | None = None) -> str:
    """An order as intake writes it: its findings stored, held with their reason."""
    number = f"IN-{next(_numbers):04d}"
    reason = CheckOutcome(problems).hold_reason() if hold_reason is None else hold_reason
    with database.unit_of_work() as session:
        order = Order(channel="shopify", external_id=number, number=number, status="pending",
                      ship_to_name="Ada Lovelace", ship_to_line1="1 Main St", ship_to_city="Columbus",
                      ship_to_region="OH", ship_to_postal_code=postal_code, ship_to_country="US",
                      financial_status="paid", total_minor=2400, ordered_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
                      hold=reason is not None, hold_reason=reason,
                      intake_problems=[p.as_json() for p in problems], unmatched_lines=unmatched)
        session.add(order)
        session.flush()
        for line_no, (sku, quantity) in enumerate(lines or [], start=1):
            product_id = session.scalars(select(Product.id).where(Product.sku == sku)).one()
            session.add(OrderLine(order_id=order.id, line_no=line_no, product_id=product_id, quantity=quantity))
    return number


def test_recheck_after_the_product_was_added_makes_the_line_releases_and_reserves(app: AppServices,
                                                                                  manager: Actor) -> None:
    db = app.orders.database
    number = intake_held_order(db, lines=[("MUG-CER-350", 1)],
                               unmatched=[{"line_no": 2, "sku": "NEW-SKU-1", "name": "New thing", "quantity": 2,
                                           "unit_price_minor": 900}],
                               problems=(IntakeProblem("unknown-sku", "SKU NEW-SKU-1 is not in the catalogue: add "
                                                       "the product, then re-check the order."),))
    detail = app.orders.detail(number)
    assert detail.summary.hold and [p.code for p in detail.problems] == ["unknown-sku"]
    assert [(u.sku, u.quantity) for u in detail.unmatched] == [("NEW-SKU-1", 2)]
    still = app.orders.recheck(manager, number)
    assert still.hold == "kept" and still.still_unknown == ("NEW-SKU-1",)
    new_product(db, "NEW-SKU-1")
    put_stock(db, "NEW-SKU-1", "A-01-1", 5)
    done = app.orders.recheck(manager, number)
    assert (done.hold, done.matched, done.problems) == ("released", ("NEW-SKU-1",), ())
    assert done.reservation is not None and done.reservation.result == "ready"
    assert status_of(db, number) == "ready"
    detail = app.orders.detail(number)
    assert not detail.summary.hold and detail.unmatched == () and detail.problems == ()
    assert [(line.line_no, line.sku, line.ordered) for line in detail.lines][-1] == (2, "NEW-SKU-1", 2)
    assert any(entry.action == "order.rechecked" and "intake hold released" in entry.what
               for entry in detail.history)


def test_recheck_never_releases_a_managers_own_hold(app: AppServices, manager: Actor) -> None:
    db = app.orders.database
    number = intake_held_order(db, lines=[("MUG-CER-350", 1)], hold_reason="Customer phoned: wait")
    outcome = app.orders.recheck(manager, number)
    assert (outcome.hold, outcome.hold_reason) == ("kept", "Customer phoned: wait")
    assert status_of(db, number) == "pending"


def test_recheck_holds_a_bad_address_and_packing_is_told_the_intake_reason(app: AppServices,
                                                                            manager: Actor) -> None:
    db = app.orders.database
    number = intake_held_order(db, lines=[("MUG-CER-350", 1)], postal_code="4321")
    with db.unit_of_work() as session:  # a ready order, as if reserved before the rule applied
        order = session.scalars(select(Order).where(Order.number == number)).one()
        order.status = "ready"
    outcome = app.orders.recheck(manager, number)
    assert outcome.hold == "held"
    assert outcome.hold_reason == "The postal code '4321' does not fit United States's format (12345 or 12345-6789)."
    packer = sign_in(app, "packer")
    with pytest.raises(PackRefused, match="on hold: The postal code '4321' does not fit") as refused:
        app.packing.start(packer, number)
    assert refused.value.code is Refusal.ORDER_ON_HOLD


def test_recheck_refuses_an_order_that_is_no_longer_open(app: AppServices, manager: Actor) -> None:
    db = app.orders.database
    number = intake_held_order(db, lines=[("MUG-CER-350", 1)])
    with db.unit_of_work() as session:
        session.scalars(select(Order).where(Order.number == number)).one().status = "shipped"
    with pytest.raises(OrderRefused, match="is shipped: only a pending or ready order is re-checked"):
        app.orders.recheck(manager, number)
    with pytest.raises(OrderRefused, match="There is no order"):
        app.orders.recheck(manager, "NO-SUCH")


def test_recheck_corrects_a_badly_formatted_address_keeps_the_one_sent_and_audits_both(app: AppServices,
                                                                                       manager: Actor) -> None:
    db = app.orders.database
    number = intake_held_order(db, lines=[("MUG-CER-350", 1)], postal_code="432151234")
    with db.unit_of_work() as session:
        session.scalars(select(Order).where(Order.number == number)).one().ship_to_region = "Ohio"
    outcome = app.orders.recheck(manager, number)
    assert outcome.address_corrected and outcome.problems == ()
    detail = app.orders.detail(number)
    assert (detail.ship_to.region, detail.ship_to.postal_code) == ("OH", "43215-1234")
    assert detail.original_ship_to is not None
    assert (detail.original_ship_to.region, detail.original_ship_to.postal_code) == ("Ohio", "432151234")
    entry = next(e for e in detail.history if e.action == "order.rechecked")
    assert entry.details["address_from"]["postal_code"] == "432151234"
    assert entry.details["address_to"]["postal_code"] == "43215-1234"
    assert "address corrected" in entry.what
