"""Postal addresses: the one set of rules for the site's ship-from address and an order's
ship-to address.

``checked`` returns the address cleaned (blanks stripped, empty optional parts None, the
country and a US state upper-cased) or raises ``AddressProblem`` whose message says what
to fix. An address needs a name, a street line, a city, a postal code and a two-letter ISO
country code; a US address also needs its two-letter state and a 5-digit ZIP (or ZIP+4).
Each part fits the database's column for it. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from typing import Any

REQUIRED = (("name", "name"), ("street (line 1)", "line1"), ("city", "city"), ("postal code", "postal_code"),
            ("country", "country"))
MAX_LENGTH = {"name": 200, "company": 200, "line1": 200, "line2": 200, "city": 100, "region": 100,
              "postal_code": 20, "phone": 40, "email": 200}
_WORDS = {"name": "name", "company": "company", "line1": "street (line 1)", "line2": "line 2", "city": "city",
          "region": "state or region", "postal_code": "postal code", "phone": "phone", "email": "email"}


class AddressProblem(ValueError):
    """An address that cannot be used; ``str()`` says what to fix."""


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str | None = None
    region: str | None = None
    company: str | None = None
    phone: str | None = None
    email: str | None = None

    def as_json(self) -> dict[str, str]:
        return {key: value for key, value in asdict(self).items() if value}

    def one_line(self) -> str:
        """``Name, Company, 1 Main St, Suite 2, City, ST, 12345, US`` (the parts it has)."""
        return ", ".join(str(part) for part in (self.name, self.company, self.line1, self.line2, self.city,
                                                self.region, self.postal_code, self.country) if part)


def checked(address: Address, what: str = "The address") -> Address:
    """``address`` cleaned, or AddressProblem (``what`` starts the message: "The ship-to address …")."""
    fields: dict[str, Any] = {key: value.strip() if isinstance(value, str) else value
                              for key, value in asdict(address).items()}
    missing = [label for label, key in REQUIRED if not fields[key]]
    if missing:
        raise AddressProblem(f"{what} needs its " + ", ".join(missing) + ".")
    too_long = [f"{_WORDS[key]} ({MAX_LENGTH[key]} characters at most)" for key, value in fields.items()
                if value and key in MAX_LENGTH and len(value) > MAX_LENGTH[key]]
    if too_long:
        raise AddressProblem(f"{what} has too long a " + ", ".join(too_long) + ".")
    parts: dict[str, Any] = {key: value or None for key, value in fields.items()}
    cleaned = Address(**parts)
    country = (cleaned.country or "").upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise AddressProblem(f"The country is a two-letter ISO code (US, CA, GB, DE …), not {cleaned.country!r}.")
    region = cleaned.region
    if country == "US":
        if not region or not re.fullmatch(r"[A-Za-z]{2}", region):
            raise AddressProblem("A US address needs its two-letter state as its region (OH, CA, NY …).")
        if not re.fullmatch(r"\d{5}(-?\d{4})?", cleaned.postal_code):
            raise AddressProblem(f"A US ZIP code is 5 digits (or ZIP+4), not {cleaned.postal_code!r}.")
        region = region.upper()
    return replace(cleaned, country=country, region=region)
