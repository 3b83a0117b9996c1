"""``OfflineAddressCheck``: the ``AddressCheck`` used when no carrier gateway verifies
addresses. It checks formats only (``domain.address_rules``: required parts, country and
region known, postal code shape, phone) and corrects formatting (country to its ISO code,
a state's name to its code, a postal code upper-cased and spaced as the country writes it).

Threading: stateless and pure; safe from any thread.
"""

from __future__ import annotations

from collections.abc import Mapping

from fulfilstation.domain.address_rules import review_address
from fulfilstation.integrations.ports import AddressVerdict


class OfflineAddressCheck:
    """Format checks with no network (implements ``integrations.ports.AddressCheck``)."""

    def check(self, address: Mapping[str, str | None]) -> AddressVerdict:
        review = review_address(address)
        problems = tuple((finding.code, finding.message, finding.holds) for finding in review.findings)
        return AddressVerdict(problems, review.corrected)
