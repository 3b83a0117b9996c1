"""``IntakeProblem``: one finding of the checks an order goes through when it arrives.

A holding finding (``holds``) puts the order on hold with its message as the reason, so it is
never picked or packed until a manager fixes it or releases it; a warning is shown in the
Orders view and the order goes on. Stored on the order as ``intake_problems``
(``as_json``), so the Orders view shows them without re-checking.
Pure values; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IntakeProblem:
    code: str  # address-missing, postal-code, country, region, phone, unpaid, unknown-sku, review-value …
    message: str  # plain words, says what to fix
    holds: bool = True

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "holds": self.holds}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> IntakeProblem:
        return cls(str(value.get("code", "")), str(value.get("message", "")), bool(value.get("holds", True)))
