"""Which carrier accounts are reached through a carrier gateway, and how one is built.

An account whose ``settings["gateway"]`` is ``"karrio"`` is reached through the karrio SDK
(``settings["carrier"]`` names karrio's carrier: ``ups``, ``usps`` …). ``GatewayFactory`` is
the seam the composition root fills (``Ports.carrier_gateways``): given an account and a time
limit it returns that account's ``CarrierGateway``; tests hand in one pointed at local stub
servers. Building a gateway may read the OS keyring: call it off the GUI thread and outside
any database transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fulfilstation.carriers.gateway import CarrierGateway, CarrierProblem

KARRIO = "karrio"


def is_gateway_account(settings: Mapping[str, Any] | None) -> bool:
    """True for an account reached through the karrio gateway."""
    return bool(settings) and (settings or {}).get("gateway") == KARRIO


@dataclass(frozen=True)
class GatewayAccount:
    """What building an account's gateway needs (plain values, read from the database
    before any carrier is asked). ``carrier_code`` is the gateway's carrier name."""

    account_id: int
    name: str
    carrier_code: str
    keyring_name: str | None
    settings: Mapping[str, Any] = field(default_factory=dict)


GatewayFactory = Callable[[GatewayAccount, float], CarrierGateway]
"""``make(account, timeout_s)`` → the account's gateway, each call waiting at most ``timeout_s``."""


def gateway_for(account: GatewayAccount, timeout_s: float) -> CarrierGateway:
    """The production ``GatewayFactory``: the account's gateway, its secrets from the OS keyring."""
    raise CarrierProblem(f"This FulfilStation cannot reach the {account.carrier_code.upper()} gateway: the karrio "
                         "gateway is not part of this version.")
