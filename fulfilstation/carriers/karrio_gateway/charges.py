"""What the carrier charged for a label, read from its own replies.

karrio's result usually carries the charge as ``selected_rate``, but not always: its UPS
mapper drops ``ShipmentCharges``, and its merge of USPS's one label per parcel drops each
parcel's postage. The call's successful replies are in its ``CallRecord`` (transport.py);
this reads the charge from each (one per carrier shipment) and adds them up.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from fulfilstation.carriers.karrio_gateway.requests import to_minor
from fulfilstation.carriers.karrio_gateway.transport import CallRecord

#: Where a carrier's purchase reply states the charge when karrio's result has no
#: ``selected_rate`` (karrio's UPS mapper drops ShipmentCharges; its merge of USPS's one label
#: per parcel drops the postage): JSON paths to an object with the amount and currency,
#: negotiated rates first, or a path straight to an amount in USD.
_COST_PATHS: dict[str, tuple[tuple[tuple[str, ...], str | None, str | None], ...]] = {
    "ups": (
        (("ShipmentResponse", "ShipmentResults", "NegotiatedRateCharges", "TotalCharge"), "MonetaryValue",
         "CurrencyCode"),
        (("ShipmentResponse", "ShipmentResults", "ShipmentCharges", "TotalChargesWithTaxes"), "MonetaryValue",
         "CurrencyCode"),
        (("ShipmentResponse", "ShipmentResults", "ShipmentCharges", "TotalCharges"), "MonetaryValue",
         "CurrencyCode"),
    ),
    "usps": ((("labelMetadata", "postage"), None, None),),
}


def cost_in_replies(carrier: str, record: CallRecord) -> tuple[int, str] | None:
    """The sum of the charges stated in the call's successful replies (one per carrier
    shipment), or None when the carrier's replies are not known here."""
    paths = _COST_PATHS.get(carrier)
    if not paths:
        return None
    total, currency = 0, None
    for exchange in record.exchanges:
        if exchange.status != 200 or exchange.auth or not exchange.body:
            continue
        found = _charge(_reply(carrier, exchange.body), paths)
        if found is not None:
            total += found[0]
            currency = found[1]
    return (total, currency) if currency else None


def _reply(carrier: str, body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        pass
    try:  # a multipart reply (USPS labels): the carrier extension's own parser
        utils = importlib.import_module(f"karrio.providers.{carrier}.utils")
        return utils.parse_response(body)
    except Exception:
        return None


def _charge(reply: Any, paths: tuple[tuple[tuple[str, ...], str | None, str | None], ...]) -> tuple[int, str] | None:
    for path, amount_key, currency_key in paths:
        node: Any = reply
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if amount_key is None and isinstance(node, int | float | str) and str(node):
            return to_minor(node, "USD"), "USD"
        if amount_key is not None and isinstance(node, dict) and node.get(amount_key) is not None:
            currency = str(node.get(currency_key or "") or "USD").upper()
            return to_minor(node[amount_key], currency), currency
    return None
