"""Which carrier accounts are reached through a carrier gateway, and how one is built.

An account whose ``settings["gateway"]`` is ``"karrio"`` is reached through the karrio SDK
(``settings["karrio_carrier"]`` names karrio's carrier: ``ups``, ``usps`` …; its non-secret
fields are ``settings["carrier_settings"]``, its secret fields one JSON object in the keyring
entry ``keyring_name``, as the account use cases keep them). ``GatewayFactory`` is
the seam the composition root fills (``Ports.carrier_gateways``): given an account and a time
limit it returns that account's ``CarrierGateway``; tests hand in one pointed at local stub
servers. Building a gateway may read the OS keyring: call it off the GUI thread and outside
any database transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fulfilstation.carriers.gateway import CarrierGateway, CarrierProblem
from fulfilstation.credentials import KeyringUnavailable, SecretStore

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


def gateway_for(account: GatewayAccount, timeout_s: float, store: SecretStore | None = None) -> CarrierGateway:
    """The production ``GatewayFactory``: the karrio gateway of ``account``, built from its
    ``carrier_settings`` and its secret fields, kept as one JSON object in the OS keyring entry
    ``keyring_name`` (as the account use cases store them). ``CarrierProblem`` in words when
    the account cannot be reached (another gateway, no secrets stored, the extension missing)."""
    if account.settings.get("gateway") != KARRIO:
        raise CarrierProblem(f"The carrier account {account.name} is not reached through the karrio gateway.")
    from fulfilstation.carriers.karrio_gateway import karrio_gateway_for  # noqa: PLC0415 - karrio is optional

    values = dict(account.settings.get("carrier_settings") or {})
    return karrio_gateway_for(account.carrier_code, values, _secrets(account, store or SecretStore()),
                              timeout_s=timeout_s)


def _secrets(account: GatewayAccount, store: SecretStore) -> dict[str, str]:
    if not account.keyring_name:
        return {}
    try:
        stored = store.get(account.keyring_name)
    except KeyringUnavailable as exc:
        raise CarrierProblem(str(exc)) from None
    if not stored:
        return {}
    try:
        secrets = json.loads(stored)
    except ValueError:
        raise CarrierProblem(f"The secrets stored for {account.name} in this computer's password store cannot be "
                             "read: enter them again in the account's settings.") from None
    return {str(k): str(v) for k, v in secrets.items()} if isinstance(secrets, dict) else {}
