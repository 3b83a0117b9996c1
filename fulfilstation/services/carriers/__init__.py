"""Carrier set-up: carriers, services, accounts, ranges, EasyPost, gateway (karrio) accounts,
tables (``CarriersService``)."""

from fulfilstation.carriers.gateway_catalogue import CarrierChoice, SettingField
from fulfilstation.services.carriers.accounts import RANGE_KINDS, NewAccount, NewRange
from fulfilstation.services.carriers.gateway_accounts import (
    AccountChanges,
    CarrierFields,
    ConnectionTest,
    NewGatewayAccount,
)
from fulfilstation.services.carriers.service import CarriersService
from fulfilstation.services.carriers.setup import (
    AccountInfo,
    CarrierInfo,
    CarrierSetupRefused,
    NewEasyPost,
    NewService,
    RangeInfo,
    ServiceInfo,
)
from fulfilstation.services.carriers.tables import ImportResult, TableRefused

__all__ = ["RANGE_KINDS", "AccountChanges", "AccountInfo", "CarrierChoice", "CarrierFields", "CarrierInfo",
           "CarrierSetupRefused", "CarriersService", "ConnectionTest", "ImportResult", "NewAccount", "NewEasyPost",
           "NewGatewayAccount", "NewRange", "NewService", "RangeInfo", "ServiceInfo", "SettingField", "TableRefused"]
