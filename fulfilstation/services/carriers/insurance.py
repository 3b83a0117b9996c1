"""Insurance terms of a carrier service (an owner's): offered or not, the rate in basis points
of the declared value and a fixed fee in the service's currency. Every shipment by a service
that offers it is insured at its declared value (``carriers.insurance.insurance_for``, applied
by the ship transaction, which records the insured value and the cost on the shipment).

Invariants: one transaction with its audit entry ``carrier.insurance_set`` (before and after);
a refusal (a negative or absurd rate or fee) changes nothing. Blocking (database).
"""

from __future__ import annotations

from dataclasses import dataclass

from fulfilstation.db.database import Database
from fulfilstation.domain.money import format_money
from fulfilstation.services.actor import Actor
from fulfilstation.services.audit import record
from fulfilstation.services.carriers.setup import CarrierSetupRefused, find_service

MAX_RATE_BP = 10_000  # 100 % of the value: anything above is a typing mistake
MAX_FEE_MINOR = 10_000_000


@dataclass(frozen=True)
class InsuranceInfo:
    key: str  # ``carrier/service``
    allowed: bool
    rate_bp: int
    fee_minor: int
    currency: str

    @property
    def message(self) -> str:
        if not self.allowed:
            return f"{self.key}: shipments are not insured."
        return (f"{self.key}: every shipment is insured at its declared value for {self.rate_bp / 100:g} % of it "
                f"plus {format_money(self.fee_minor, self.currency)}.")


def set_insurance(database: Database, actor: Actor, key: str, allowed: bool, rate_bp: int = 0,
                  fee_minor: int = 0) -> InsuranceInfo:
    """Set the insurance terms of service ``key`` (``carrier/service``)."""
    if not 0 <= rate_bp <= MAX_RATE_BP:
        raise CarrierSetupRefused(f"The insurance rate is between 0 and {MAX_RATE_BP} basis points (100 %), "
                                  f"not {rate_bp}.")
    if not 0 <= fee_minor <= MAX_FEE_MINOR:
        raise CarrierSetupRefused(f"The insurance fee is between 0 and {MAX_FEE_MINOR} minor units, not {fee_minor}.")
    with database.unit_of_work() as session:
        service, carrier = find_service(session, key)
        before = {"allowed": service.insurance_allowed, "rate_bp": service.insurance_rate_bp,
                  "fee_minor": service.insurance_fee_minor}
        service.insurance_allowed, service.insurance_rate_bp, service.insurance_fee_minor = (
            bool(allowed), rate_bp if allowed else 0, fee_minor if allowed else 0)
        after = {"allowed": service.insurance_allowed, "rate_bp": service.insurance_rate_bp,
                 "fee_minor": service.insurance_fee_minor}
        record(session, actor, "carrier.insurance_set", "carrier_service", service.id,
               {"service": f"{carrier.code}/{service.code}", "from": before, "to": after})
        return InsuranceInfo(f"{carrier.code}/{service.code}", service.insurance_allowed, service.insurance_rate_bp,
                             service.insurance_fee_minor, service.currency)
