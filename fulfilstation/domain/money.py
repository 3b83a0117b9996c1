"""Money in words: integer minor units and an ISO 4217 currency, as people write them.

``format_money(842, "USD") == "$8.42"``; ``format_money(120, "JPY") == "¥120"`` (no minor
unit); ``format_money(1250, "CHF") == "12.50 CHF"`` (no symbol known here). Every screen,
document and command uses this one function so a price reads the same everywhere, and
``minor_digits`` is the one table of decimals that reading prices in (rate imports) uses too;
``CURRENCIES`` the one list of ISO 4217 codes a site may keep its money in (``is_currency``).
"""

from __future__ import annotations

import re
from decimal import Decimal

SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
#: ISO 4217 minor-unit digits that are not 2 (of the codes in ``CURRENCIES``).
MINOR_DIGITS = {"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
                "RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
                "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3}
#: The active ISO 4217 currency codes (list one, 2025): the money of a country or a currency
#: union. Left out on purpose: fund and accounting units (BOV, CHE, CHW, CLF, COU, MXV, USN,
#: UYI, UYW, XDR, XSU, XUA), bond-market units (XBA–XBD), metals (XAG, XAU, XPD, XPT) and the
#: codes for testing and for no currency (XTS, XXX): nobody pays wages or postage in them.
CURRENCIES = frozenset((
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD",
    "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY",
    "COP", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD",
    "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
    "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD",
    "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU",
    "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK",
    "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND",
    "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VED", "VES", "VND", "VUV", "WST",
    "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
))


def is_currency(code: str) -> bool:
    """``code`` (any case, no spaces around) is one of ``CURRENCIES``."""
    return code.upper() in CURRENCIES


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
