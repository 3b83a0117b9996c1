"""Which karrio carriers this installation has, and the words for one it lacks.

karrio is an optional dependency: the core runs without it (EasyPost and own labels). Each
carrier is one more package (``karrio.ups``, ``karrio.usps`` …) that registers a plugin;
``pip install "fulfilstation[ups]"`` brings karrio and that extension together. Nothing here
imports karrio at module load: ``karrio_sdk()`` does it on first use and silences karrio's own
log output (its request logs may carry payloads; FulfilStation logs what it needs itself).
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import Any

from fulfilstation.carriers.gateway import CarrierProblem

#: The carriers with their own extra in pyproject.toml (``fulfilstation[NAME]``). Any other
#: karrio carrier works too once its ``karrio.NAME`` package is installed.
EXTRAS = ("ups", "usps", "fedex", "dhl_express", "canadapost", "purolator", "royalmail", "australiapost",
          "sendle", "mydhl")


def install_command(carrier: str) -> str:
    """The command that adds ``carrier``'s extension (and karrio with it)."""
    if carrier in EXTRAS:
        return f'pip install "fulfilstation[{carrier}]"'
    return f'pip install "fulfilstation[karrio]" "karrio.{carrier}"'


@functools.cache
def karrio_sdk() -> ModuleType:
    """``karrio.sdk`` (imported once, karrio's log output disabled); CarrierProblem without it."""
    try:
        logger = importlib.import_module("karrio.core.utils.logger").logger
        logger.disable("karrio")  # before the SDK's own import-time log lines
        sdk = importlib.import_module("karrio.sdk")
    except ImportError as error:
        raise CarrierProblem(
            f"The karrio carrier SDK is not installed ({error}). Install it with "
            'pip install "fulfilstation[karrio]", plus one extra per carrier, e.g. pip install "fulfilstation[ups]".'
        ) from None
    return sdk


def installed_carriers() -> tuple[str, ...]:
    """karrio's names of the carriers whose extension is installed (empty without karrio)."""
    try:
        return tuple(sorted(_providers()))
    except CarrierProblem:
        return ()


def plugin(carrier: str) -> Any:
    """karrio's ``PluginMetadata`` of ``carrier`` (its Settings, Mapper, Proxy, units …);
    CarrierProblem naming the install command when the extension is missing."""
    providers = _providers()
    if carrier not in providers:
        raise CarrierProblem(
            f"The karrio extension for carrier '{carrier}' is not installed. Install it with "
            f"{install_command(carrier)} and restart FulfilStation.")
    return providers[carrier]


def provider_units(carrier: str) -> ModuleType | None:
    """The carrier's ``karrio.providers.NAME.units`` module (label types, services), if any."""
    try:
        return importlib.import_module(f"karrio.providers.{carrier}.units")
    except ImportError:
        return None


def _providers() -> dict[str, Any]:
    karrio_sdk()
    references = importlib.import_module("karrio.references")
    providers: dict[str, Any] = references.collect_providers_data()
    return providers
