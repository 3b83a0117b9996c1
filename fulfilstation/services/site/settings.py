"""The site-wide settings an owner sets once: the ship-from address printed on every label
and sent to carrier APIs, the weight unit the screens show, and the weight tolerance a
parcel must fall in.

Invariants: values are validated before anything is stored (a refusal changes nothing and
says what to fix); each change is one transaction with its audit entry
``site.<key>_changed`` (old and new value, and who changed it). The address needs a name, a street line, a
city, a postal code and a two-letter ISO country code; a US address also needs its state
(the rules are ``fulfilstation.domain.address``, shared with an order's ship-to address).

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import SiteSetting
from fulfilstation.documents.pdf_parts import PAGE_SIZES
from fulfilstation.domain.address import Address, AddressProblem, checked
from fulfilstation.domain.units import WEIGHT_UNITS
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.refused import Refused
from fulfilstation.services.users.badges import BADGE_SALT_KEY

#: Site setting naming the paper of document printers: ``"letter"`` (default) or ``"a4"``.
PAPER_SIZE_SETTING = "paper_size"


class SiteSettingRefused(Refused):
    """A value that cannot be stored; the message says what to fix."""

    def __init__(self, message: str) -> None:
        super().__init__("site-setting", message)


def site_settings(database: Database) -> dict[str, Any]:
    """Every site setting, by key (``ship_from``, ``units``, ``weight_tolerance`` …)."""
    with database.unit_of_work() as session:
        return {row.key: row.value for row in session.scalars(select(SiteSetting).order_by(SiteSetting.key))
                if row.key != BADGE_SALT_KEY}  # not a setting anyone sets: the badges' salt


def weight_unit_of(session: Session) -> str:
    """The unit weights are shown in: one of ``WEIGHT_UNITS`` (default ``kg``)."""
    units = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "units"))
    unit = units.get("weight") if isinstance(units, dict) else None
    return unit if unit in WEIGHT_UNITS else "kg"


def set_ship_from(database: Database, actor: Actor, address: Address) -> dict[str, str]:
    try:
        value = checked(address, "The ship-from address")
    except AddressProblem as problem:
        raise SiteSettingRefused(str(problem)) from problem
    stored: dict[str, str] = store_setting(database, actor, "ship_from", value.as_json())
    return stored


def set_weight_unit(database: Database, actor: Actor, unit: str) -> dict[str, str]:
    if unit not in WEIGHT_UNITS:
        raise SiteSettingRefused(f"The weight unit is one of {', '.join(WEIGHT_UNITS)}, not {unit!r}.")
    current = site_settings(database).get("units")
    units = dict(current) if isinstance(current, dict) else {}
    units["weight"] = unit
    units.setdefault("length", "in" if unit in ("lb", "oz", "lb-oz") else "cm")
    stored: dict[str, str] = store_setting(database, actor, "units", units)
    return stored


def set_weight_tolerance(database: Database, actor: Actor, grams: int, percent: float) -> dict[str, float]:
    """A parcel may weigh its expected weight ± the larger of ``grams`` and ``percent`` %."""
    if not 0 <= grams <= 5000:
        raise SiteSettingRefused(f"The tolerance in grams is between 0 and 5000, not {grams}.")
    if not 0 <= percent <= 50:
        raise SiteSettingRefused(f"The tolerance in percent is between 0 and 50, not {percent}.")
    stored: dict[str, float] = store_setting(database, actor, "weight_tolerance", {"grams": grams, "percent": percent})
    return stored


def paper_size(session: Session) -> str:
    """The site's paper (site setting ``paper_size``): ``letter`` unless set to ``a4``."""
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == PAPER_SIZE_SETTING))
    return value.lower() if isinstance(value, str) and value.lower() in PAGE_SIZES else "letter"


def store_setting(database: Database, actor: Actor, key: str, value: Any, *, action: str | None = None) -> Any:
    """Store the (already checked) ``value`` of site setting ``key`` in one transaction with its
    audit entry ``action`` (default ``site.<key>_changed``), naming the old and new value. The
    one writer of ``site_settings``: other areas' settings (stock buffer, retry limit) use it too."""
    with database.unit_of_work() as session:
        row = session.get(SiteSetting, key)
        before = row.value if row is not None else None
        if row is None:
            session.add(SiteSetting(key=key, value=value))
        else:
            row.value = value
        audit.record(session, actor, action or f"site.{key}_changed", "site_setting", None,
                     {"key": key, "from": before, "to": value})
    return value
