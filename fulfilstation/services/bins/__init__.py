"""Bins (``BinsService``): the warehouse's storage locations — lay them out, import them,
look them up (walking order, stock held)."""

from fulfilstation.services.bins.fields import KINDS, BinFields
from fulfilstation.services.bins.service import BinsService
from fulfilstation.services.bins.views import BinDetail, BinInfo, BinsRefused, BinStock

__all__ = ["KINDS", "BinDetail", "BinFields", "BinInfo", "BinStock", "BinsRefused", "BinsService"]
