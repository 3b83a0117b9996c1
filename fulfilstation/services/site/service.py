"""``SiteService``: the site-wide settings (an owner's): ship-from address, weight unit,
weight tolerance. Values are validated before anything is stored; each change is audited.

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fulfilstation.db.models import SiteSetting
from fulfilstation.domain.address import Address
from fulfilstation.domain.roles import Permission
from fulfilstation.domain.units import WEIGHT_UNITS
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.site.settings import (
    set_ship_from,
    set_weight_tolerance,
    set_weight_unit,
    site_settings,
)

_CHANGE = "change the site settings"


class SiteService(AreaService):
    def settings(self) -> dict[str, Any]:
        """Every site setting, by key (``ship_from``, ``units``, ``weight_tolerance`` …)."""
        return site_settings(self.database)

    def weight_unit(self) -> str:
        """The unit screens show weights in: one of ``WEIGHT_UNITS`` (default ``kg``)."""
        with self.database.unit_of_work() as session:
            units = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "units"))
        unit = units.get("weight") if isinstance(units, dict) else None
        return unit if unit in WEIGHT_UNITS else "kg"

    @use_case(Permission.SITE_SETTINGS, _CHANGE)
    def set_ship_from(self, actor: Actor, address: Address) -> dict[str, str]:
        return set_ship_from(self.database, actor, address)

    @use_case(Permission.SITE_SETTINGS, _CHANGE)
    def set_weight_unit(self, actor: Actor, unit: str) -> dict[str, str]:
        return set_weight_unit(self.database, actor, unit)

    @use_case(Permission.SITE_SETTINGS, _CHANGE)
    def set_weight_tolerance(self, actor: Actor, grams: int, percent: float) -> dict[str, float]:
        return set_weight_tolerance(self.database, actor, grams, percent)
