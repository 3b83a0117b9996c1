"""Site-wide settings (``SiteService``)."""

from fulfilstation.domain.address import Address
from fulfilstation.services.site.service import SiteService
from fulfilstation.services.site.settings import WEIGHT_UNITS, SiteSettingRefused

__all__ = ["WEIGHT_UNITS", "Address", "SiteService", "SiteSettingRefused"]
