"""Carrier set-up: carriers, services, accounts, ranges, EasyPost, tables (``CarriersService``)."""

from fulfilstation.services.carriers.accounts import RANGE_KINDS, NewAccount, NewRange
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

__all__ = ["RANGE_KINDS", "AccountInfo", "CarrierInfo", "CarrierSetupRefused", "CarriersService", "ImportResult",
           "NewAccount", "NewEasyPost", "NewRange", "NewService", "RangeInfo", "ServiceInfo", "TableRefused"]
