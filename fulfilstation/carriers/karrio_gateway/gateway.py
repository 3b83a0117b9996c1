"""``KarrioGateway``: one carrier account reached through the karrio SDK, as the port's
``CarrierGateway``.

Built from karrio's carrier name (``ups``, ``usps``, ``fedex`` …), the account's
non-secret settings, its secrets (from the keyring, never stored here beyond the settings
object karrio needs) and a timeout. Each call builds a fresh karrio ``Gateway`` whose settings
carry a ``CallRecord`` (transport.py): every HTTP request of the call shares the call's
deadline, and what happened on the wire decides the ``CarrierProblem`` (problems.py). The
OAuth token cache is shared by every gateway of the same carrier and API host (karrio keys
it by the account's credentials).

Threading: blocking; separate calls may run on separate threads at once (nothing mutable is
shared but karrio's thread-safe token cache). karrio's fluent API runs its own worker
threads (asyncio.to_thread) for multi-request operations: do not call from a thread that is
running an asyncio event loop.

Secrets: they live only in the karrio settings object; ``repr`` shows carrier and account
name only, and messages carry the carrier's words, never a request.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fulfilstation.carriers.gateway import (
    LOOKUP_UNSUPPORTED,
    Capability,
    CarrierLabel,
    CarrierManifest,
    CarrierProblem,
    GatewayInfo,
    LiveRate,
    PostalAddress,
    RateRequest,
    ShipmentRequest,
    TrackingStatus,
)
from fulfilstation.carriers.karrio_gateway import replies, requests
from fulfilstation.carriers.karrio_gateway.charges import cost_in_replies
from fulfilstation.carriers.karrio_gateway.extensions import karrio_sdk, plugin
from fulfilstation.carriers.karrio_gateway.labels import label_type_for
from fulfilstation.carriers.karrio_gateway.problems import error_messages, problem
from fulfilstation.carriers.karrio_gateway.settings_schema import karrio_settings
from fulfilstation.carriers.karrio_gateway.transport import CallRecord, bind

#: karrio proxy methods → the port's capabilities.
_CAPABILITIES = {"get_rates": Capability.RATES, "create_shipment": Capability.LABELS,
                 "cancel_shipment": Capability.VOID, "get_tracking": Capability.TRACKING,
                 "create_manifest": Capability.MANIFEST, "validate_address": Capability.ADDRESS_CHECK}


class KarrioGateway:
    """One karrio carrier account (see the module docstring)."""

    def __init__(self, carrier: str, settings: Mapping[str, Any], secrets: Mapping[str, str], *,
                 timeout_s: float = 20) -> None:
        sdk = karrio_sdk()
        self._plugin = plugin(carrier)
        self.carrier = carrier
        self.label = str(getattr(self._plugin, "label", None) or carrier.upper())
        self.timeout_s = float(timeout_s)
        self._settings_class = _settings_class(self._plugin.Settings, settings.get("server_url"))
        self._values = karrio_settings(carrier, settings, secrets)
        self._sdk = sdk
        self._cache = _token_cache(carrier, str(settings.get("server_url") or ""))
        try:
            self._settings_class(**self._values)
        except (TypeError, ValueError) as error:
            raise CarrierProblem(f"The {self.label} account settings are not valid: {error}") from None
        methods = set(_proxy_methods(self._plugin.Proxy))
        capabilities = {cap for name, cap in _CAPABILITIES.items() if name in methods}
        if Capability.LABELS in capabilities:
            capabilities.add(Capability.MULTI_PARCEL)  # karrio makes one shipment of several parcels
        self._service_names = _service_names(self._plugin)
        self._info = GatewayInfo(gateway="karrio", carrier_code=carrier, capabilities=frozenset(capabilities))

    def __repr__(self) -> str:
        return f"KarrioGateway({self.carrier!r}, timeout_s={self.timeout_s:g})"

    @property
    def info(self) -> GatewayInfo:
        return self._info

    # ------------------------------------------------------------------ the port

    def rates(self, request: RateRequest) -> Sequence[LiveRate]:
        self._require(Capability.RATES, "live rates")
        result, messages, record = self._call(lambda sdk, gw: sdk.Rating.fetch(requests.rate_request(request))
                                              .from_(gw).parse())
        rates = [replies.live_rate(self.carrier, r, self._service_names) for r in result or ()]
        if request.service_codes:
            rates = [r for r in rates if r.service_code in request.service_codes]
        if not rates and error_messages(messages):
            raise problem(self.label, record, messages, action="rates")
        return rates

    def create_label(self, request: ShipmentRequest) -> CarrierLabel:
        self._require(Capability.LABELS, "labels")
        label_type = label_type_for(self.carrier, request.label_format, request.dpi)
        payload = requests.shipment_request(request, label_type)
        details, messages, record = self._call(lambda sdk, gw: sdk.Shipment.create(payload).from_(gw).parse())
        if details is None:
            raise problem(self.label, record, messages, action="the label", buying=True)
        try:
            return replies.label(details, parcels=len(request.parcels), currency=request.currency,
                                 cost=cost_in_replies(self.carrier, record))
        except CarrierProblem as error:  # a label was probably made: say so
            raise CarrierProblem(f"{self.label} answered, but {error.message[0].lower()}{error.message[1:]}",
                                 uncertain=True) from None

    def find_label(self, reference: str, tracking_number: str | None = None) -> CarrierLabel | None | object:
        """karrio has no call to find a shipment by our reference: the caller asks a person."""
        return LOOKUP_UNSUPPORTED

    def void(self, external_id: str, tracking_number: str) -> None:
        """Cancels the whole carrier shipment: ``external_id`` as ``create_label`` gave it
        (several ids joined by commas when karrio made one carrier shipment per parcel)."""
        self._require(Capability.VOID, "voiding labels")
        first, *others = [i for i in external_id.split(",") if i] or [tracking_number]
        payload = {"shipment_identifier": first, "options": {"shipment_identifiers": others} if others else {}}
        confirmation, messages, record = self._call(lambda sdk, gw: sdk.Shipment.cancel(payload).from_(gw).parse())
        if confirmation is None or not getattr(confirmation, "success", False):
            raise problem(self.label, record, messages, action=f"voiding {tracking_number or external_id}")

    def manifest(self, tracking_numbers: Sequence[str], ship_from: PostalAddress) -> CarrierManifest | None:
        if Capability.MANIFEST not in self._info.capabilities:
            return None
        payload = {"shipment_identifiers": list(tracking_numbers), "address": requests.address(ship_from)}
        details, messages, record = self._call(lambda sdk, gw: sdk.Manifest.create(payload).from_(gw).parse())
        if details is None:
            raise problem(self.label, record, messages, action="the manifest")
        return replies.manifest(details)

    def track(self, tracking_numbers: Sequence[str]) -> Sequence[TrackingStatus]:
        self._require(Capability.TRACKING, "tracking")
        if not tracking_numbers:
            return []
        payload = {"tracking_numbers": list(tracking_numbers)}
        found, messages, record = self._call(lambda sdk, gw: sdk.Tracking.fetch(payload).from_(gw).parse())
        statuses = [replies.tracking(d) for d in found or ()]
        if not statuses and error_messages(messages):
            raise problem(self.label, record, messages, action="tracking")
        return statuses

    # ------------------------------------------------------------------ helpers

    def validate_address(self, address: Mapping[str, Any]) -> tuple[Any, list[Any]]:
        """karrio's (AddressValidationDetails, messages) for a karrio address dict (address_check.py)."""
        self._require(Capability.ADDRESS_CHECK, "address checks")
        details, messages, record = self._call(
            lambda sdk, gw: sdk.Address.validate({"address": dict(address)}).from_(gw).parse())
        if details is None and error_messages(messages) and any(e.status is None or e.status >= 500
                                                                for e in record.exchanges):
            raise problem(self.label, record, messages, action="the address check")
        return details, list(messages or ())

    def _call(self, operation: Callable[[Any, Any], Any]) -> tuple[Any, list[Any], CallRecord]:
        record = CallRecord(self.timeout_s)
        settings = self._settings_class(**self._values)
        bind(settings, record)
        gateway = self._sdk.gateway[self.carrier].create(settings, cache=self._cache)
        try:
            result, messages = operation(self._sdk, gateway)
        except CarrierProblem:
            raise
        except Exception as error:  # karrio's fail-safe catches most; a bug in a mapper must not escape raw
            raise problem(self.label, record, [_sdk_message(error)], action="the request") from None
        return result, list(messages or ()), record

    def _require(self, capability: Capability, what: str) -> None:
        if capability not in self._info.capabilities:
            raise CarrierProblem(f"{self.label} through karrio offers no {what}.")


def _settings_class(base: type, server_url: Any) -> type:
    """karrio's Settings class, or a subclass answering ``server_url`` with ours."""
    if not server_url:
        return base
    url = str(server_url).rstrip("/")
    return type(f"Redirected{base.__name__}", (base,), {"server_url": property(lambda self: url)})


def _service_names(meta: Any) -> dict[str, str]:
    """karrio service code → the carrier's name, where the plugin's services enum has names
    as values (UPS: ``ups_ground = "UPS Ground"``); codes as values (USPS) are left out."""
    services = getattr(meta, "services", None)
    members = getattr(services, "__members__", {}) if services is not None else {}
    return {name: str(member.value) for name, member in members.items()
            if isinstance(member.value, str) and " " in member.value}


def _proxy_methods(proxy: type) -> list[str]:
    return [name for name in vars(proxy) if not name.startswith("_") and name != "settings"]


_caches: dict[tuple[str, str], Any] = {}
_caches_lock = threading.Lock()


def _token_cache(carrier: str, server_url: str) -> Any:
    """karrio's token cache, one per carrier and API host for the whole process: gateways
    built anew for each call (live rates at every pack) reuse the account's OAuth token.
    karrio keys its entries by the account's credentials, so accounts never share a token."""
    with _caches_lock:
        cache = _caches.get((carrier, server_url))
        if cache is None:
            lib = importlib.import_module("karrio.lib")  # optional dependency, loaded with the SDK
            cache = _caches[(carrier, server_url)] = lib.Cache()
        return cache


class _Message:
    def __init__(self, error: Exception) -> None:
        self.code = "SHIPPING_SDK_INTERNAL_ERROR"
        self.message = str(error) or type(error).__name__
        self.level = "error"


def _sdk_message(error: Exception) -> Any:
    return _Message(error)
