"""``CarriersService``: an owner sets up carriers — services, accounts, number ranges,
EasyPost and its API key, accounts through a gateway (karrio) and their connection test,
rate, zone and transit tables, a service's insurance terms. Every change is an owner's and is
audited; a refusal changes nothing (``CarrierSetupRefused``, ``TableRefused`` listing the
broken lines of a table).

Threading: blocking (database, keyring); call from worker threads.
"""

from __future__ import annotations

from fulfilstation.carriers.gateway_catalogue import CarrierChoice
from fulfilstation.domain.enums import CarrierKind
from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.carriers.accounts import NewAccount, NewRange, add_account, add_range
from fulfilstation.services.carriers.gateway_accounts import (
    AccountChanges,
    CarrierFields,
    ConnectionTest,
    NewGatewayAccount,
    add_gateway_account,
    carrier_fields,
    gateway_carriers,
    try_connection,
    update_gateway_account,
)
from fulfilstation.services.carriers.insurance import InsuranceInfo, set_insurance
from fulfilstation.services.carriers.setup import (
    AccountInfo,
    CarrierInfo,
    NewEasyPost,
    NewService,
    ServiceInfo,
    add_carrier,
    add_easypost,
    add_service,
    list_carriers,
    set_api_key,
)
from fulfilstation.services.carriers.tables import ImportResult, import_rates, import_transit, import_zones

_SET_UP = "set up carriers"


class CarriersService(AreaService):
    def list(self) -> list[CarrierInfo]:
        """Every carrier with its services and accounts (API keys: stored on this PC or not)."""
        return list_carriers(self.database, self._context.ports.secrets)

    @use_case(Permission.CARRIERS, _SET_UP)
    def add_carrier(self, actor: Actor, code: str, name: str) -> CarrierInfo:
        return add_carrier(self.database, actor, code, name, CarrierKind.LOCAL.value)

    @use_case(Permission.CARRIERS, _SET_UP)
    def add_service(self, actor: Actor, new: NewService) -> ServiceInfo:
        return add_service(self.database, actor, new)

    @use_case(Permission.CARRIERS, _SET_UP)
    def add_account(self, actor: Actor, new: NewAccount) -> AccountInfo:
        return add_account(self.database, actor, new)

    def gateway_carriers(self, gateway: str = "karrio") -> tuple[CarrierChoice, ...]:
        """Every carrier a gateway reaches, its extension installed on this PC or not."""
        return gateway_carriers(self._context.ports.gateways, gateway)

    def fields(self, gateway: str, carrier: str) -> CarrierFields:
        """The settings an account of ``carrier`` takes (the gateway's own schema)."""
        return carrier_fields(self._context.ports.gateways, gateway, carrier)

    @use_case(Permission.CARRIERS, _SET_UP)
    def add_gateway_account(self, actor: Actor, new: NewGatewayAccount) -> AccountInfo:
        """An account of a gateway's carrier (karrio: UPS, USPS …); secrets to this PC's keyring."""
        return add_gateway_account(self.database, actor, new, self._context.ports.gateways,
                                   self._context.ports.secrets)

    @use_case(Permission.CARRIERS, _SET_UP)
    def edit_gateway_account(self, actor: Actor, account: str, changes: AccountChanges) -> AccountInfo:
        return update_gateway_account(self.database, actor, account, changes, self._context.ports.gateways,
                                      self._context.ports.secrets)

    @use_case(Permission.CARRIERS, _SET_UP)
    def test_connection(self, actor: Actor, account: str) -> ConnectionTest:
        """Ask the carrier for a rate with the account's settings: the rates or its own words.
        Changes nothing (no audit entry); an owner's because it uses the account's secrets."""
        return try_connection(self.database, account, self._context.ports.gateways, self._context.ports.secrets)

    @use_case(Permission.CARRIERS, _SET_UP)
    def add_range(self, actor: Actor, account: str, new: NewRange, replace: bool = False) -> AccountInfo:
        return add_range(self.database, actor, account, new, replace)

    @use_case(Permission.CARRIERS, _SET_UP)
    def add_easypost(self, actor: Actor, new: NewEasyPost) -> CarrierInfo:
        return add_easypost(self.database, actor, new)

    @use_case(Permission.CARRIERS, _SET_UP)
    def set_api_key(self, actor: Actor, account: str, key: str) -> AccountInfo:
        """Store the account's API key in this PC's keyring (never anywhere else)."""
        return set_api_key(self.database, actor, account, key, self._context.ports.secrets)

    @use_case(Permission.CARRIERS, _SET_UP)
    def import_rates(self, actor: Actor, service: str, data: bytes, replace: bool = False) -> ImportResult:
        return import_rates(self.database, actor, service, data, replace)

    @use_case(Permission.CARRIERS, _SET_UP)
    def import_zones(self, actor: Actor, carrier: str, data: bytes, origin: str | None = None,
                     column: str | None = None, replace: bool = False) -> ImportResult:
        return import_zones(self.database, actor, carrier, data, origin, column, replace)

    @use_case(Permission.CARRIERS, _SET_UP)
    def import_transit(self, actor: Actor, service: str, data: bytes, replace: bool = False) -> ImportResult:
        return import_transit(self.database, actor, service, data, replace)

    @use_case(Permission.CARRIERS, _SET_UP)
    def set_insurance(self, actor: Actor, service: str, allowed: bool, rate_bp: int = 0,
                      fee_minor: int = 0) -> InsuranceInfo:
        """Insure every shipment by ``service`` (``carrier/service``) at its declared value for
        ``rate_bp`` basis points of it plus ``fee_minor``; ``allowed=False`` stops insuring."""
        return set_insurance(self.database, actor, service, allowed, rate_bp, fee_minor)
