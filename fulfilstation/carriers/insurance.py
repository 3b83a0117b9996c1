"""Shipment insurance per carrier service (pure): ``insurance_for(service, declared_value)``.

A service offers insurance or not (``insurance_allowed``); when it does, every shipment by it
is insured at its declared value (the contents' value: order line prices × quantities), and
the cost is the rate in basis points of that value, rounded up to a whole minor unit, plus the
service's fixed fee. A service without insurance, or a shipment of no value, insures nothing
and costs nothing: ``(None, 0)``.

Pure: any object with the three attributes serves (the ``CarrierService`` row, a test value).
"""

from __future__ import annotations

from typing import Protocol


class InsuranceTerms(Protocol):
    @property
    def insurance_allowed(self) -> bool: ...

    @property
    def insurance_rate_bp(self) -> int: ...

    @property
    def insurance_fee_minor(self) -> int: ...


def insurance_for(service: InsuranceTerms, declared_value: int) -> tuple[int | None, int]:
    """``(insured_value_minor, cost_minor)``: ``(None, 0)`` when not insured."""
    if not service.insurance_allowed or declared_value <= 0:
        return None, 0
    rate, fee = max(0, int(service.insurance_rate_bp or 0)), max(0, int(service.insurance_fee_minor or 0))
    return declared_value, -(-declared_value * rate // 10_000) + fee
