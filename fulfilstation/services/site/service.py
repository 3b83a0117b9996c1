"""``SiteService``: the site-wide settings (an owner's): ship-from address, weight unit,
weight tolerance, the review rules for incoming orders, partial shipments (a short order
ships what is there, the rest later), the customs terms of international shipments. Values are validated before
anything is stored; each change is audited.

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

from typing import Any

from fulfilstation.carriers.customs import CustomsTerms
from fulfilstation.domain.address import Address
from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.site.customs import customs_terms_of, set_customs
from fulfilstation.services.site.order_review import OrderReview, order_review_of, set_order_review
from fulfilstation.services.site.partial_shipments import partial_shipments_of, set_partial_shipments
from fulfilstation.services.site.settings import (
    set_ship_from,
    set_weight_tolerance,
    set_weight_unit,
    site_settings,
    weight_unit_of,
)

_CHANGE = "change the site settings"


class SiteService(AreaService):
    def settings(self) -> dict[str, Any]:
        """Every site setting, by key (``ship_from``, ``units``, ``weight_tolerance`` …)."""
        return site_settings(self.database)

    def weight_unit(self) -> str:
        """The unit screens show weights in: one of ``WEIGHT_UNITS`` (default ``kg``)."""
        with self.database.unit_of_work() as session:
            return weight_unit_of(session)

    def order_review(self) -> OrderReview:
        """The rules that hold an incoming order for review (all off when never set)."""
        with self.database.unit_of_work() as session:
            return order_review_of(session)

    @use_case(Permission.SITE_SETTINGS, _CHANGE)
    def set_order_review(self, actor: Actor, rules: OrderReview) -> OrderReview:
        """Store the review rules for incoming orders; audited as ``site.order_review_changed``."""
        return set_order_review(self.database, actor, rules)

    def partial_shipments(self) -> bool:
        """True when a short order ships what is in stock and the rest waits (default False)."""
        with self.database.unit_of_work() as session:
            return partial_shipments_of(session)

    @use_case(Permission.SITE_SETTINGS, _CHANGE)
    def set_partial_shipments(self, actor: Actor, on: bool) -> bool:
        """Turn partial shipments on or off; audited as ``site.partial_shipments_changed``."""
        return set_partial_shipments(self.database, actor, on)

    def customs(self) -> CustomsTerms:
        """The customs terms of international shipments (contents type, incoterm, signer, CN22 limit)."""
        with self.database.unit_of_work() as session:
            return customs_terms_of(session)

    @use_case(Permission.SITE_SETTINGS, _CHANGE)
    def set_customs(self, actor: Actor, terms: CustomsTerms) -> CustomsTerms:
        """Store the customs terms; audited as ``site.customs_changed``."""
        return set_customs(self.database, actor, terms)

    @use_case(Permission.SITE_SETTINGS, _CHANGE)
    def set_ship_from(self, actor: Actor, address: Address) -> dict[str, str]:
        return set_ship_from(self.database, actor, address)

    @use_case(Permission.SITE_SETTINGS, _CHANGE)
    def set_weight_unit(self, actor: Actor, unit: str) -> dict[str, str]:
        return set_weight_unit(self.database, actor, unit)

    @use_case(Permission.SITE_SETTINGS, _CHANGE)
    def set_weight_tolerance(self, actor: Actor, grams: int, percent: float) -> dict[str, float]:
        return set_weight_tolerance(self.database, actor, grams, percent)
