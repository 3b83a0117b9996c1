"""What our own UPS, USPS and FedEx labels carry beyond the address: the data of their
barcodes and the human-readable forms the carriers' label guides ask for. Pure functions.

* UPS ("Guide to Labeling"): the MaxiCode's structured carrier message — primary: ship-to
  postal code (mode 2: US ZIP + 4, "0000" when there is none; mode 3: up to 6 characters),
  ISO 3166 numeric country, 3-digit class of service; secondary: ``[)>`` RS ``01`` GS ``96``,
  then tracking number (``1Z`` and its last 8 characters), SCAC ``UPSN``, shipper number,
  Julian day of pickup, shipment id (empty), package n/x, weight (whole pounds, rounded up),
  address validation (Y/N), ship-to street (optional: dropped first when the symbol is full),
  city, state, RS EOT. The postal barcode is GS1-128 ``(420)`` ZIP in the US, else ``(421)``
  numeric country + postal code. The 1Z number reads ``1Z 5R8 939 03 0575 671 2``.
* USPS (Publication 199): the IMpb reads in groups of four digits, ``9405 5901 …``.
* FedEx: the 2D PDF417 carries the ANSI MH10.8.3 format 01 message (``[)>`` RS ``01`` GS
  ``02``, ship-to postal code, country, service, tracking number, SCAC ``FDE``, account,
  Julian day, shipment id, n/x, weight ``NLB``, address validation, street, city, state,
  recipient, RS EOT); FedEx's own supplementary format-06 segment is not written. The Express
  tracking number reads in groups of four, ``9865 7878 8856``.

Texts inside the symbols are upper case ASCII (accents dropped) with only the characters the
guides' examples use, and never contain GS, RS or EOT of their own.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable

import pycountry

from fulfilstation.documents.labels.code128 import Code128Data
from fulfilstation.documents.labels.symbols2d import EOT, GS, RS, MaxiCode

UPS_HEADER = f"[)>{RS}01{GS}96"
FEDEX_HEADER = f"[)>{RS}01{GS}02"
_UNSAFE = re.compile(r"[^A-Z0-9 .,\-/#&']")


def symbol_text(text: str, limit: int = 35) -> str:
    """``text`` as a 2D symbol field: ASCII upper case, safe characters, at most ``limit``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return " ".join(_UNSAFE.sub(" ", ascii_text).split())[:limit].strip()


def country_numeric(alpha2: str) -> str:
    country = pycountry.countries.get(alpha_2=(alpha2 or "US").upper())
    if country is None:
        raise ValueError(f"{alpha2!r} is not an ISO 3166 country code")
    return str(country.numeric)


def julian_day(day: dt.date) -> str:
    return f"{day.timetuple().tm_yday:03d}"


def whole_pounds(weight_g: int) -> int:
    return max(1, math.ceil(weight_g / 453.59237))


def grouped(number: str, sizes: tuple[int, ...] | None = None, every: int = 4) -> str:
    """``number`` in groups: of the given sizes, else of ``every`` characters."""
    if sizes is None:
        return " ".join(number[i:i + every] for i in range(0, len(number), every))
    parts, start = [], 0
    for size in sizes:
        parts.append(number[start:start + size])
        start += size
    return " ".join(part for part in (*parts, number[start:]) if part)


def ups_tracking_caption(tracking: str) -> str:
    """``1Z 5R8 939 03 0575 671 2``: 1Z, shipper (3 + 3), service, package (4 + 3), check."""
    return grouped(tracking, (2, 3, 3, 2, 4, 3, 1))


def us_zip(postal_code: str) -> str:
    """The digits of a US ZIP: 5 or 9, else empty."""
    digits = "".join(ch for ch in postal_code if ch.isdigit())[:9]
    return digits if len(digits) in (5, 9) else digits[:5] if len(digits) > 5 else ""


def postal_barcode(country: str, postal_code: str) -> tuple[Code128Data, str] | None:
    """UPS's postal barcode: ``(420)`` ZIP in the US, ``(421)`` country + postal code abroad."""
    if (country or "US").upper() == "US":
        zip_code = us_zip(postal_code)
        return (Code128Data.gs1(("420", zip_code)), f"(420) {zip_code}") if zip_code else None
    postal = re.sub(r"[^A-Z0-9]", "", postal_code.upper())[:9]
    if not postal:
        return None
    numeric = country_numeric(country)
    return Code128Data.gs1(("421", numeric + postal)), f"(421) {numeric} {postal}"


def ups_maxicode(*, tracking: str, shipper: str, service_code: str, country: str, postal_code: str,
                 package: tuple[int, int], weight_g: int, pickup: dt.date, city: str, state: str,
                 street: str = "", validated: bool = False,
                 fits: Callable[[MaxiCode], bool] | None = None) -> MaxiCode:
    """The UPS MaxiCode (at 0, 0: the layout places it). ``fits`` tells whether a symbol holds
    the message (zint's encoder); the optional street goes first, then the city shortens."""
    us = (country or "US").upper() == "US"
    postal = us_zip(postal_code) if us else re.sub(r"[^A-Z0-9]", "", postal_code.upper())[:6]
    if us:
        postal = f"{postal:0<9}" if len(postal) == 5 else postal or "000000000"
    body = [tracking[:2] + tracking[10:], "UPSN", symbol_text(shipper, 6), julian_day(pickup), "",
            f"{package[0]}/{package[1]}", str(whole_pounds(weight_g)), "Y" if validated else "N"]
    cities = [symbol_text(city, 20), symbol_text(city, 12)]
    symbol = None
    for street_text, city_text in ((symbol_text(street), cities[0]), ("", cities[0]), ("", cities[1])):
        message = UPS_HEADER + GS.join([*body, street_text, city_text, symbol_text(state, 2)]) + RS + EOT
        symbol = MaxiCode(0, 0, 2 if us else 3, postal or "0", country_numeric(country),
                          f"{service_code:0>3}"[-3:], message)
        if fits is None or fits(symbol):
            return symbol
    assert symbol is not None
    return symbol


def fedex_2d_message(*, tracking: str, account: str, service_code: str, country: str, postal_code: str,
                     package: tuple[int, int], weight_g: int, pickup: dt.date, street: str, city: str, state: str,
                     recipient: str, validated: bool = False) -> str:
    """The FedEx 2D barcode's data (ANSI MH10.8.3 format 01)."""
    us = (country or "US").upper() == "US"
    postal = us_zip(postal_code)[:5] if us else symbol_text(postal_code, 9).replace(" ", "")
    fields = [postal, country_numeric(country), symbol_text(service_code, 2), tracking, "FDE",
              symbol_text(account, 9), julian_day(pickup), "", f"{package[0]}/{package[1]}",
              f"{whole_pounds(weight_g)}LB", "Y" if validated else "N", symbol_text(street), symbol_text(city, 20),
              symbol_text(state, 2), symbol_text(recipient)]
    return FEDEX_HEADER + GS.join(fields) + RS + EOT
