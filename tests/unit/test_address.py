"""The one set of address rules (``fulfilstation.domain.address``) the site's ship-from
address and an order's ship-to address share."""

from __future__ import annotations

import pytest

from fulfilstation.domain.address import Address, AddressProblem, checked


def test_an_address_is_cleaned() -> None:
    given = Address("  Robin Example ", "22 Elm St", "Columbus", "43215-1234", "us", line2=" ", region="oh",
                    company="", phone=" +1 614 555 0100 ")
    assert checked(given, "The ship-to address") == Address("Robin Example", "22 Elm St", "Columbus", "43215-1234",
                                                            "US", region="OH", phone="+1 614 555 0100")
    abroad = checked(Address("Ana", "Rua 1", "Lisboa", "1100-148", "pt", region="Lisboa"))
    assert (abroad.country, abroad.region) == ("PT", "Lisboa")  # only a US state is upper-cased


@pytest.mark.parametrize(("address", "problem"), [
    (Address("", "1 Main St", "", "43215", "US", region="OH"), "The ship-to address needs its name, city."),
    (Address("X", "1 Main St", "Columbus", "43215", "USA", region="OH"),
     "The country is a two-letter ISO code (US, CA, GB, DE …), not 'USA'."),
    (Address("X", "1 Main St", "Columbus", "43215", "US"),
     "A US address needs its two-letter state as its region (OH, CA, NY …)."),
    (Address("X", "1 Main St", "Columbus", "4321", "US", region="OH"),
     "A US ZIP code is 5 digits (or ZIP+4), not '4321'."),
    (Address("X", "1 Main St", "Columbus", "43215", "US", region="OH", phone="5" * 41),
     "The ship-to address has too long a phone (40 characters at most)."),
])
def test_what_is_wrong_is_said(address: Address, problem: str) -> None:
    with pytest.raises(AddressProblem) as raised:
        checked(address, "The ship-to address")
    assert str(raised.value) == problem
