"""The checks an incoming order goes through before anyone may pick it (issue #12).

Contract used by intake: ``check_order`` is called inside the intake's transaction for
every order created or changed (and by ``orders.recheck`` on a stored order), and returns
its findings and, when the ``AddressCheck`` corrected the address, the address to ship to.
A holding finding holds the order (its message is the hold reason); the findings are
stored on the order (``intake_problems``).

The rules: the ship-to address through the ``AddressCheck`` port (offline: the parts a
carrier needs, country and region known, the postal code's format, the phone — a warning
unless the site's ``order_review.phone_holds``); unpaid per the shop's financial status;
every unknown SKU (the line is kept by intake); the site's review rules (``order_review``:
value above a limit, shipping country ≠ billing country, more than N units of one SKU) hold
it "for review: …"; an order leaving the ship-from country whose products lack an HS code
or a country of origin is held for customs (``customs.lines``), naming each SKU.

Threading: blocking (reads site settings); runs on the caller's thread and session.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import EllipsisType

from sqlalchemy.orm import Session

from fulfilstation.domain.address_rules import country_code, country_name
from fulfilstation.domain.money import format_money
from fulfilstation.integrations.offline_address import OfflineAddressCheck
from fulfilstation.integrations.ports import AddressCheck, IncomingOrder
from fulfilstation.services.customs.lines import incoming_customs_problem
from fulfilstation.services.orders.intake.findings import IntakeProblem
from fulfilstation.services.site.customs import ship_from_country_of
from fulfilstation.services.site.order_review import OrderReview, order_review_of

UNPAID = frozenset({"pending", "authorized", "partially_paid", "unpaid", "voided", "refunded", "expired",
                    "partially_refunded"})
_OFFLINE = OfflineAddressCheck()


@dataclass(frozen=True)
class CheckOutcome:
    problems: tuple[IntakeProblem, ...] = ()
    corrected_address: Mapping[str, str] | None = None  # Address keys; None: ship as sent

    @property
    def holds(self) -> bool:
        return any(problem.holds for problem in self.problems)

    def hold_reason(self) -> str | None:
        reasons = [problem.message for problem in self.problems if problem.holds]
        return "; ".join(reasons)[:300] if reasons else None


def address_of(incoming: IncomingOrder) -> dict[str, str | None]:
    """The ship-to address of ``incoming`` with the keys of ``domain.address.Address``."""
    return {"name": incoming.ship_to_name, "company": incoming.ship_to_company, "line1": incoming.ship_to_line1,
            "line2": incoming.ship_to_line2, "city": incoming.ship_to_city, "region": incoming.ship_to_region,
            "postal_code": incoming.ship_to_postal_code, "country": incoming.ship_to_country,
            "phone": incoming.ship_to_phone, "email": incoming.ship_to_email}


def check_order(session: Session, incoming: IncomingOrder, unknown_skus: tuple[str, ...] = (), *,
                address_check: AddressCheck | None = None, rules: OrderReview | None = None,
                ship_from_country: str | None | EllipsisType = ...) -> CheckOutcome:
    """The findings for ``incoming``; ``unknown_skus`` are its SKUs not in the catalogue.
    ``address_check`` defaults to the offline format checks (pass ``Ports.address_check``);
    ``rules`` default to the site's ``order_review`` setting and ``ship_from_country`` to the
    site's ship-from country (each read in ``session`` when not given)."""
    review = rules if rules is not None else order_review_of(session)
    origin = ship_from_country_of(session) if isinstance(ship_from_country, EllipsisType) else ship_from_country
    verdict = (address_check or _OFFLINE).check(address_of(incoming))
    problems = [IntakeProblem(code, message, review.phone_holds if code == "phone" else holds)
                for code, message, holds in verdict.problems]
    if (incoming.financial_status or "").strip().lower() in UNPAID:
        problems.append(IntakeProblem("unpaid", f"The shop says the order is {incoming.financial_status}, not "
                                      "paid: wait for the payment, or release it if it was paid another way."))
    for sku in unknown_skus:
        problems.append(IntakeProblem("unknown-sku", f"SKU {sku} is not in the catalogue: add the product, "
                                      "then re-check the order."))
    customs = incoming_customs_problem(session, incoming, origin)
    if customs is not None:
        problems.append(customs)
    problems += _review(incoming, review)
    return CheckOutcome(tuple(problems), dict(verdict.corrected) if verdict.corrected else None)


def _review(incoming: IncomingOrder, rules: OrderReview) -> list[IntakeProblem]:
    found = []
    if rules.max_value_minor is not None and incoming.total_minor > rules.max_value_minor:
        found.append(IntakeProblem("review-value", f"For review: the order is worth "
                                   f"{format_money(incoming.total_minor, incoming.currency)}, above the site's "
                                   f"limit of {format_money(rules.max_value_minor, incoming.currency)}."))
    if rules.flag_country_mismatch and incoming.bill_to_country:
        ship, bill = country_code(incoming.ship_to_country), country_code(incoming.bill_to_country)
        if ship and bill and ship != bill:
            found.append(IntakeProblem("review-country", f"For review: it ships to {country_name(ship)} but is "
                                       f"billed to {country_name(bill)}."))
    if rules.max_units_per_sku is not None:
        units: Counter[str] = Counter()
        for line in incoming.lines:
            units[line.sku.strip()] += line.quantity
        for sku, count in sorted(units.items()):
            if count > rules.max_units_per_sku:
                found.append(IntakeProblem("review-units", f"For review: {count} units of {sku}, more than the "
                                           f"site's limit of {rules.max_units_per_sku} of one SKU."))
    return found
