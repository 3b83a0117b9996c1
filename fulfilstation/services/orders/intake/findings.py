"""``IntakeProblem``: one finding of the checks an order goes through when it arrives.

A holding finding (``holds``) puts the order on hold with its message as the reason, so it is
never picked or packed until a manager fixes it or releases it; a warning is shown in the
Orders view and the order goes on. Stored on the order as ``intake_problems``
(``as_json``), so the Orders view shows them without re-checking.
Pure values; no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IntakeProblem:
    code: str  # address-missing, postal-code, country, region, phone, unpaid, unknown-sku, customs-data, review-value …
    message: str  # plain words, says what to fix
    holds: bool = True

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "holds": self.holds}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> IntakeProblem:
        return cls(str(value.get("code", "")), str(value.get("message", "")), bool(value.get("holds", True)))


#: What a holding finding's code is called when holds are counted ("2 not paid").
HOLD_WORDS = {
    "unpaid": "not paid", "unknown-sku": "SKU not in the catalogue", "address-missing": "address incomplete",
    "postal-code": "postal code to check", "country": "country unknown", "region": "region unknown",
    "phone": "phone number to check", "review-value": "for review: value", "review-country":
    "for review: ships elsewhere than billed", "review-units": "for review: many units of one SKU",
    "customs-data": "HS code or origin missing for customs", "shop-hold": "on hold in the shop",
    "shop-cancelled": "cancelled in the shop while packing",
}


def hold_codes(shop_status: str | None, problems: Any) -> tuple[str, ...]:
    """The codes of the reasons intake holds an order for: the shop's hold, then each holding
    finding (``problems``: ``IntakeProblem``s or their JSON)."""
    codes = ["shop-hold"] if shop_status == "on-hold" else []
    for problem in problems or ():
        found = problem if isinstance(problem, dict) else problem.as_json()
        if found.get("holds", True):
            codes.append(str(found.get("code") or "other"))
    return tuple(dict.fromkeys(codes))


def held_words(orders: int, reasons: Mapping[str, int], *, would: bool) -> str:
    """``3 orders would be held: 2 not paid, 1 SKU not in the catalogue`` (an order held for
    two reasons counts under each)."""
    parts = ", ".join(f"{count} {HOLD_WORDS.get(code, code)}"
                      for code, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0])))
    verb = "would be held" if would else ("was held" if orders == 1 else "were held")
    return f"{orders} {'order' if orders == 1 else 'orders'} {verb}: {parts}."
