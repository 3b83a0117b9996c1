"""Reading the cells of order files as people and shops write them. Pure.

* quantities: whole numbers (``2``, ``2.0``); anything else is ``None`` (the caller rejects);
* money: ``12.50``, ``$12.50``, ``1,234.50``, ``12,50`` → minor units (two decimals);
* times: Shopify's ``2026-11-30 14:02:11 -0500``, ISO 8601, or a bare date (taken as UTC);
* postal codes: Excel's guard apostrophe (``'02134``) dropped, ZIP+4 kept whole.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

_SHOPIFY_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)")
_MONEY_JUNK = re.compile(r"[^\d.,\-]")


def quantity(text: str) -> int | None:
    value = text.strip()
    if value.isdigit() and value.isascii():
        return int(value)
    if re.fullmatch(r"\d+", value):
        return int(value)
    if re.fullmatch(r"\d+\.0+", value):
        return int(value.split(".")[0])
    return None


_PLAIN = re.compile(r"(\d+)\.(\d\d)")


def money_minor(text: str) -> int | None:
    """Minor units of ``text`` (None: blank or not an amount)."""
    plain = _PLAIN.fullmatch(text)
    if plain is not None:  # 12.50, as shops write it: the hot path
        return int(plain.group(1)) * 100 + int(plain.group(2))
    value = _MONEY_JUNK.sub("", text.strip())
    if not value:
        return None
    if "," in value and "." in value:
        value = value.replace(",", "")  # 1,234.50
    elif "," in value:
        whole, _, tail = value.rpartition(",")
        value = f"{whole.replace(',', '')}.{tail}" if len(tail) <= 2 else value.replace(",", "")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    return int((amount * 100).to_integral_value())


def moment(text: str) -> dt.datetime | None:
    value = text.strip()
    if not value:
        return None
    shopify = _SHOPIFY_TIME.fullmatch(value)
    if shopify is not None:  # 2026-11-30 14:02:11 -0500, without strptime's cost
        year, month, day, hour, minute, second, sign, hours, minutes = shopify.groups()
        offset = dt.timedelta(hours=int(hours), minutes=int(minutes)) * (-1 if sign == "-" else 1)
        try:
            return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                               tzinfo=dt.timezone(offset))
        except ValueError:
            return None
    for pattern in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S"):
        try:
            parsed = dt.datetime.strptime(value, pattern)
            break
        except ValueError:
            continue
    else:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def postal_code(text: str) -> str:
    return text.strip().lstrip("'").strip()


def yes(text: str, default: bool = True) -> bool:
    value = text.strip().casefold()
    if value in {"true", "yes", "y", "1"}:
        return True
    if value in {"false", "no", "n", "0"}:
        return False
    return default
