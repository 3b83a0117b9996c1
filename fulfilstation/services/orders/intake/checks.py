"""The checks an incoming order goes through before anyone may pick it (issue #12).

Contract used by intake: ``check_order`` is called inside the intake's transaction for
every order created or changed, and returns its findings and, when the ``AddressCheck``
corrected the address, the address to ship to. A holding finding holds the order (its
message is the hold reason); the findings are stored on the order (``intake_problems``).

This first version checks only that the required address parts are there, that the order
is paid, and that it has lines; the full rules (pycountry, postal code formats,
phonenumbers, review rules from the site settings, the AddressCheck port) come next.

Threading: blocking (reads site settings); runs on the intake's thread and session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.services.orders.intake.findings import IntakeProblem

UNPAID = frozenset({"pending", "authorized", "partially_paid", "unpaid", "voided", "refunded", "expired"})


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


def check_order(session: Session, incoming: IncomingOrder, unknown_skus: tuple[str, ...] = ()) -> CheckOutcome:
    """The findings for ``incoming``; ``unknown_skus`` are its SKUs not in the catalogue."""
    problems: list[IntakeProblem] = []
    parts = (("name", incoming.ship_to_name), ("street", incoming.ship_to_line1), ("city", incoming.ship_to_city),
             ("postal code", incoming.ship_to_postal_code), ("country", incoming.ship_to_country))
    missing = [label for label, value in parts if not (value or "").strip()]
    if missing:
        problems.append(IntakeProblem("address-missing", f"The ship-to address has no {', '.join(missing)}."))
    if (incoming.financial_status or "").lower() in UNPAID:
        problems.append(IntakeProblem("unpaid", f"The shop says the order is {incoming.financial_status}, not paid."))
    for sku in unknown_skus:
        problems.append(IntakeProblem("unknown-sku", f"SKU {sku} is not in the catalogue: add the product, "
                                      "then re-check the order."))
    return CheckOutcome(tuple(problems))
