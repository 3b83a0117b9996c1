"""The carrier port through the karrio SDK (issue #17): every karrio carrier, one gateway.

The account code calls ``karrio_gateway_for(carrier, settings, secrets, timeout_s=…)``;
the account form asks ``settings_fields(carrier)``; ``installed_carriers()`` lists the
carriers whose karrio extension is installed, and a missing one is a ``CarrierProblem``
naming ``install_command(carrier)``. Qt-free and DB-free. karrio itself is an optional
dependency: importing this package does not import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fulfilstation.carriers.karrio_gateway.address_check import KarrioAddressCheck, validates_addresses
from fulfilstation.carriers.karrio_gateway.extensions import EXTRAS, install_command, installed_carriers
from fulfilstation.carriers.karrio_gateway.gateway import KarrioGateway
from fulfilstation.carriers.karrio_gateway.settings_schema import OWN_SETTINGS, SettingField, settings_fields

__all__ = ["EXTRAS", "OWN_SETTINGS", "KarrioAddressCheck", "KarrioGateway", "SettingField", "install_command",
           "installed_carriers", "karrio_address_check_for", "karrio_gateway_for", "settings_fields"]


def karrio_gateway_for(carrier: str, settings: Mapping[str, Any], secrets: Mapping[str, str], *,
                       timeout_s: float = 20) -> KarrioGateway:
    """A gateway to the ``carrier`` account (karrio's carrier name: ups, usps, fedex …).
    ``settings``: the account's non-secret fields (``settings_fields``), plus optionally
    ``server_url`` (another API host, e.g. a local stub) and ``config`` (karrio's connection
    config dict); ``secrets``: the secret fields, from the keyring. Raises ``CarrierProblem``
    when the extension is missing or a required field is empty."""
    return KarrioGateway(carrier, settings, secrets, timeout_s=timeout_s)


def karrio_address_check_for(gateway: KarrioGateway) -> KarrioAddressCheck | None:
    """A ``KarrioAddressCheck`` (the ``AddressCheck`` port) for the gateway's carrier, or None
    when its karrio extension does not validate addresses."""
    return KarrioAddressCheck(gateway) if validates_addresses(gateway) else None
