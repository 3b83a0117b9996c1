"""``KarrioCatalogue``: the ``GatewayCatalogue`` of the karrio SDK (placeholder until the
karrio gateway is merged: knows no carrier)."""

from __future__ import annotations

from collections.abc import Mapping

from fulfilstation.carriers.gateway import CarrierGateway
from fulfilstation.carriers.gateway_catalogue import CarrierChoice, SettingField, UnknownCarrier


class KarrioCatalogue:
    def carriers(self, gateway: str) -> tuple[CarrierChoice, ...]:
        return ()

    def fields(self, gateway: str, carrier: str) -> tuple[SettingField, ...]:
        raise UnknownCarrier(gateway, carrier, ())

    def gateway(self, gateway: str, carrier: str, settings: Mapping[str, str], secrets: Mapping[str, str],
                timeout_s: float) -> CarrierGateway:
        raise UnknownCarrier(gateway, carrier, ())
