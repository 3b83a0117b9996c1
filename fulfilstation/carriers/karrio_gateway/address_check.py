"""``KarrioAddressCheck``: the ``AddressCheck`` port answered by a carrier whose karrio
extension validates addresses (its proxy has ``validate_address``).

The address arrives with the keys of ``fulfilstation.domain.address.Address`` (name,
company, line1, line2, city, region, postal_code, country, phone, email). The verdict holds
the carrier's words as problems that hold the order (code ``carrier-address``), and the
carrier's corrected address in the same keys when it differs. When the carrier cannot be
asked (no answer, its server failed) the check says so without holding: the offline format
checks still stand, and a shipment is not blocked by a carrier's outage.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fulfilstation.carriers.gateway import Capability, CarrierProblem
from fulfilstation.carriers.karrio_gateway.gateway import KarrioGateway
from fulfilstation.carriers.karrio_gateway.problems import carrier_text, error_messages
from fulfilstation.integrations.ports import AddressVerdict

#: Our address keys → karrio's Address fields.
_KEYS = {"name": "person_name", "company": "company_name", "line1": "address_line1", "line2": "address_line2",
         "city": "city", "region": "state_code", "postal_code": "postal_code", "country": "country_code",
         "phone": "phone_number", "email": "email"}


def validates_addresses(gateway: KarrioGateway) -> bool:
    return Capability.ADDRESS_CHECK in gateway.info.capabilities


class KarrioAddressCheck:
    """Checks ship-to addresses with the carrier of ``gateway`` (see the module docstring)."""

    def __init__(self, gateway: KarrioGateway) -> None:
        if not validates_addresses(gateway):
            raise CarrierProblem(f"{gateway.label} through karrio does not check addresses.")
        self._gateway = gateway

    def check(self, address: Mapping[str, str | None]) -> AddressVerdict:
        query = {theirs: address[ours] for ours, theirs in _KEYS.items() if address.get(ours)}
        try:
            details, messages = self._gateway.validate_address(query)
        except CarrierProblem as error:
            return AddressVerdict(problems=(("carrier-unavailable", error.message, False),))
        errors = error_messages(messages)
        if details is not None and getattr(details, "success", False):
            return AddressVerdict(corrected=_corrected(address, getattr(details, "complete_address", None)))
        text = carrier_text(errors) or f"{self._gateway.label} could not confirm this address."
        return AddressVerdict(problems=(("carrier-address", f"{self._gateway.label}: {text}", True),),
                              corrected=_corrected(address, getattr(details, "complete_address", None)))


def _corrected(address: Mapping[str, str | None], complete: Any) -> Mapping[str, str] | None:
    if complete is None:
        return None
    changed = {}
    for ours, theirs in _KEYS.items():
        value = str(getattr(complete, theirs, None) or "")
        if ours == "region" and len(value) > 3:
            continue  # some extensions put a county name there, not a region code
        if value and value.casefold() != (address.get(ours) or "").casefold():
            changed[ours] = value
    if not changed:
        return None
    return {**{k: v for k, v in address.items() if v is not None}, **changed}
