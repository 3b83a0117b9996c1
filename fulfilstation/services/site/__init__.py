"""Site-wide settings (``SiteService``)."""

from fulfilstation.carriers.customs import CONTENTS_TYPES, INCOTERMS, CustomsTerms
from fulfilstation.domain.address import Address
from fulfilstation.domain.units import WEIGHT_UNITS
from fulfilstation.services.site.order_review import OrderReview
from fulfilstation.services.site.service import SiteService
from fulfilstation.services.site.settings import SiteSettingRefused

__all__ = ["CONTENTS_TYPES", "INCOTERMS", "WEIGHT_UNITS", "Address", "CustomsTerms",
           "OrderReview", "SiteService", "SiteSettingRefused"]
