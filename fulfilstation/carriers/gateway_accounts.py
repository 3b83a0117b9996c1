"""Which carrier accounts are reached through a ``CarrierGateway``, and the default factory.

An account of a gateway carrier has ``settings["gateway"] == "karrio"`` and
``settings["karrio_carrier"]`` (``"ups"``, ``"usps"`` …); the carrier's own non-secret fields
(karrio's settings schema, ``server_url`` among them) are ``settings["carrier_settings"]``
(as ``services/carriers/gateway_accounts`` keeps them); ours beside them: ``timeout_s``
(default 20) and ``label_dpi`` (the label printer's resolution, default 203). Its secrets are
one JSON object in the OS keyring entry ``CarrierAccount.keyring_name`` — never in the database.

``GatewayFactory`` is the port the use cases are given (``Ports.carrier_gateways``):
``make(account name, keyring entry name, settings, timeout_s=None)`` → a ``CarrierGateway``
whose calls each wait at most ``timeout_s`` (None: the account's ``timeout_s``, default 20;
live rate shopping passes the site's shorter limit). The label, void, manifest and live-rate
use cases all build gateways through it, so there is one way an account becomes a gateway.
Tests hand in one that points the gateway at a local stub. Building a gateway calls nothing on
the network, but may read the OS keyring: call it off the GUI thread and outside any database
transaction.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from fulfilstation.carriers.gateway import CarrierGateway, CarrierProblem
from fulfilstation.credentials import KeyringUnavailable, SecretStore


class GatewayFactory(Protocol):
    def __call__(self, account_name: str, keyring_name: str | None, settings: Mapping[str, Any], *,
                 timeout_s: float | None = None) -> CarrierGateway: ...


@dataclass(frozen=True)
class GatewayAccount:
    """What building an account's gateway needs (plain values, read from the database
    before any carrier is asked). ``carrier_code`` is the gateway's carrier name."""

    account_id: int
    name: str
    carrier_code: str
    keyring_name: str | None
    settings: Mapping[str, Any] = field(default_factory=dict)


KARRIO = "karrio"
DEFAULT_DPI = 203
OUR_SETTINGS = frozenset({"gateway", "karrio_carrier", "timeout_s", "label_dpi", "carrier_settings",
                          "secret_fields"})


def is_gateway_account(settings: Mapping[str, Any] | None) -> bool:
    """True for an account whose labels are bought through a carrier gateway (karrio)."""
    return bool(settings) and (settings or {}).get("gateway") == KARRIO


def label_dpi(settings: Mapping[str, Any] | None) -> int:
    """The dots per inch the account's labels are asked for (the label printer's)."""
    value = (settings or {}).get("label_dpi")
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else DEFAULT_DPI


@functools.cache
def manifest_offered(carrier: str) -> bool:
    """Whether the karrio carrier has an end-of-day manifest call (no secrets, no network)."""
    try:
        from fulfilstation.carriers.karrio_gateway.extensions import plugin
        return "create_manifest" in vars(plugin(carrier).Proxy)
    except (ImportError, CarrierProblem, AttributeError):
        return False


def account_secrets(account_name: str, keyring_name: str | None, store: SecretStore | None = None) -> dict[str, str]:
    """The account's secrets from the OS keyring (a JSON object); CarrierProblem in words when missing."""
    where = f'Enter them again for the account "{account_name}" (they are kept in this computer\'s password store).'
    if not keyring_name:
        raise CarrierProblem(f"The carrier account {account_name} has no credentials set up. {where}")
    try:
        stored = (store or SecretStore()).get(keyring_name)
    except KeyringUnavailable as exc:
        raise CarrierProblem(str(exc)) from None
    if not stored:
        raise CarrierProblem(f"No credentials are stored on this computer for {account_name}. {where}")
    try:
        secrets = json.loads(stored)
    except ValueError:
        raise CarrierProblem(f"The stored credentials of {account_name} cannot be read. {where}") from None
    if not isinstance(secrets, dict):
        raise CarrierProblem(f"The stored credentials of {account_name} cannot be read. {where}")
    return {str(k): str(v) for k, v in secrets.items()}


def gateway_for(account_name: str, keyring_name: str | None, settings: Mapping[str, Any],
                store: SecretStore | None = None, *, timeout_s: float | None = None) -> CarrierGateway:
    """The gateway of a karrio account (its secrets read from the OS keyring). CarrierProblem
    in words when the account is not a gateway's, or its carrier's extension is missing."""
    if not is_gateway_account(settings):
        raise CarrierProblem(f"The carrier account {account_name} is not reached through a carrier gateway.")
    carrier = str(settings.get("karrio_carrier") or "")
    if not carrier:
        raise CarrierProblem(f"The carrier account {account_name} does not say which carrier it is.")
    try:
        from fulfilstation.carriers.karrio_gateway import karrio_gateway_for  # the SDK is an optional extra
    except ImportError:
        raise CarrierProblem('The karrio carrier gateway is not installed: pip install "fulfilstation[karrio]"') \
            from None
    own = {key: value for key, value in settings.items() if key not in OUR_SETTINGS}
    nested = settings.get("carrier_settings")
    if isinstance(nested, Mapping):
        own.update({str(key): value for key, value in nested.items()})
    timeout = timeout_s if timeout_s is not None else float(settings.get("timeout_s") or 20)
    gateway: CarrierGateway = karrio_gateway_for(carrier, own, account_secrets(account_name, keyring_name, store),
                                                 timeout_s=timeout)
    return gateway
