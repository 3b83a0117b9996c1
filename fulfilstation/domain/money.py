"""Money in words: integer minor units and an ISO 4217 currency, as people write them.

``format_money(842, "USD") == "$8.42"``; ``format_money(120, "JPY") == "¥120"`` (no minor
unit); ``format_money(1250, "CHF") == "12.50 CHF"`` (no symbol known here). Every screen,
document and command uses this one function so a price reads the same everywhere, and
``minor_digits`` is the one table of decimals that reading prices in (rate imports) uses too.
"""

from __future__ import annotations

import re
from decimal import Decimal

SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
#: ISO 4217 minor-unit digits that are not 2.
MINOR_DIGITS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "UGX": 0, "XAF": 0, "XOF": 0,
                "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3}


def minor_digits(currency: str) -> int:
    """How many decimals the currency's minor unit has (2 unless ISO 4217 says otherwise)."""
    return MINOR_DIGITS.get(currency.upper(), 2)


def format_money(minor: int, currency: str) -> str:
    currency = currency.upper()
    digits = minor_digits(currency)
    sign, minor = ("-" if minor < 0 else ""), abs(minor)
    major, rest = divmod(minor, 10 ** digits)
    amount = f"{major:,}" + (f".{rest:0{digits}d}" if digits else "")
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency}"


def parse_money_minor(text: str, currency: str) -> int | None:
    """``8.42``, ``$8.42``, ``1,234.50``, ``8.42 USD`` → minor units of ``currency``; None if
    not a price (negative, or more decimals than the currency has)."""
    amount = re.sub(r"^(?:[A-Z]{3}|[A-Z]{0,2}[$€£¥])\s*|\s*[A-Z]{3}$", "", text.strip(), count=2)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", amount):
        amount = amount.replace(",", "")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", amount):
        return None
    value = Decimal(amount).scaleb(minor_digits(currency))
    return int(value) if value == value.to_integral_value() else None
