"""``KarrioCatalogue``: the ``GatewayCatalogue`` of the karrio SDK — its carriers (the
extensions installed here, and the ones FulfilStation has an extra for), each carrier's
settings from karrio's own settings class (``karrio_gateway.settings_fields``), and an
account's ``KarrioGateway``.

Invariant: karrio is optional; ``karrio_gateway`` imports it only when a call needs it, and without
it every carrier is "not installed" with the command that adds it.

Threading: stateless; every call may run on any thread.
"""

from __future__ import annotations

from collections.abc import Mapping

from fulfilstation.carriers import karrio_gateway
from fulfilstation.carriers.gateway import CarrierGateway, CarrierProblem
from fulfilstation.carriers.gateway_catalogue import (
    KARRIO,
    CarrierChoice,
    ExtensionMissing,
    SettingField,
    UnknownCarrier,
)

#: karrio's carrier extensions (its packages ``karrio.NAME``), to tell a carrier whose
#: extension is missing from a name karrio does not have.
KNOWN = ("allied_express", "allied_express_local", "amazon_shipping", "aramex", "asendia", "asendia_us",
         "australiapost", "boxknight", "bpost", "canadapost", "canpar", "chronopost", "colissimo", "dhl_express",
         "dhl_parcel_de", "dhl_poland", "dhl_universal", "dicom", "dpd", "dpd_meta", "easyship", "eshipper", "fedex",
         "freightcom", "generic", "geodis", "gls", "hay_post", "hermes", "landmark", "laposte", "locate2u", "mydhl",
         "nationex", "parcelone", "postat", "purolator", "roadie", "royalmail", "sapient", "seko", "sendle",
         "shipengine", "smartkargo", "spring", "teleship", "tge", "tnt", "ups", "usps", "usps_international", "veho",
         "zoom2u")
_LABELS = {"ups": "UPS", "usps": "USPS", "fedex": "FedEx", "dhl_express": "DHL Express", "canadapost": "Canada Post",
           "royalmail": "Royal Mail", "australiapost": "Australia Post", "usps_international": "USPS International"}
#: Our own setting, not karrio's: another API host for the account (a sandbox proxy, a test stub).
SERVER_URL = SettingField("server_url", "API address", required=False, secret=False,
                          help="blank: the carrier's own API; else another host, e.g. a sandbox proxy")
_KINDS = {"boolean": "bool", "integer": "number", "float": "number", "string": "text"}


class KarrioCatalogue:
    def carriers(self, gateway: str) -> tuple[CarrierChoice, ...]:
        self._karrio(gateway)
        installed = set(karrio_gateway.installed_carriers())
        names = sorted(installed | set(karrio_gateway.EXTRAS))
        return tuple(CarrierChoice(KARRIO, name, label(name), name in installed, karrio_gateway.install_command(name))
                     for name in names)

    def fields(self, gateway: str, carrier: str) -> tuple[SettingField, ...]:
        self._karrio(gateway)
        self._installed(carrier)
        try:
            found = karrio_gateway.settings_fields(carrier)
        except CarrierProblem:
            raise ExtensionMissing(KARRIO, carrier, karrio_gateway.install_command(carrier)) from None
        fields = [SettingField(f.name, f.label, f.required, f.secret, _KINDS.get(f.type, "text"),
                               None if f.default is None else _text(f.default),
                               f"one of {', '.join(f.choices)}" if f.choices else "", tuple(f.choices))
                  for f in found if f.type != "object"]
        return (*fields, SERVER_URL)

    def gateway(self, gateway: str, carrier: str, settings: Mapping[str, str], secrets: Mapping[str, str],
                timeout_s: float) -> CarrierGateway:
        self._karrio(gateway)
        self._installed(carrier)
        return karrio_gateway.karrio_gateway_for(carrier, settings, secrets, timeout_s=timeout_s)

    @staticmethod
    def _karrio(gateway: str) -> None:
        if gateway != KARRIO:
            raise UnknownCarrier(gateway, "", ())

    @staticmethod
    def _installed(carrier: str) -> None:
        installed = karrio_gateway.installed_carriers()
        if carrier in installed:
            return
        if carrier in KNOWN or carrier in karrio_gateway.EXTRAS:
            raise ExtensionMissing(KARRIO, carrier, karrio_gateway.install_command(carrier))
        raise UnknownCarrier(KARRIO, carrier, tuple(sorted(set(installed) | set(karrio_gateway.EXTRAS))))


def label(carrier: str) -> str:
    """A carrier as people say it: karrio's name made readable (``dhl_express`` → DHL Express)."""
    return _LABELS.get(carrier) or (carrier.upper() if len(carrier) <= 3 else carrier.replace("_", " ").title())


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
