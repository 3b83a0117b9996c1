"""Site-wide settings (``SiteService``)."""

from fulfilstation.domain.address import Address
from fulfilstation.domain.units import WEIGHT_UNITS
from fulfilstation.services.site.order_review import OrderReview
from fulfilstation.services.site.service import SiteService
from fulfilstation.services.site.settings import SiteSettingRefused

__all__ = ["WEIGHT_UNITS", "Address", "OrderReview", "SiteService", "SiteSettingRefused"]
