"""The site's review rules for incoming orders (site setting ``order_review``, an owner's):
an order worth more than ``max_value_minor``, shipping to another country than it is billed
to (``flag_country_mismatch``), or with more than ``max_units_per_sku`` units of one SKU is
held "for review"; ``phone_holds`` makes a phone that cannot be dialled hold the order
instead of only warning.

Invariants: a rule left at None (or False) is off; the stored value is always the whole
``OrderReview`` (``as_json``); each change is one
transaction with its audit entry ``site.order_review_changed``. A refusal changes nothing.

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import SiteSetting
from fulfilstation.services.actor import Actor
from fulfilstation.services.site.settings import SiteSettingRefused, store_setting

ORDER_REVIEW_SETTING = "order_review"


@dataclass(frozen=True)
class OrderReview:
    max_value_minor: int | None = None  # an order's total above this (its own currency's minor units)
    flag_country_mismatch: bool = False
    max_units_per_sku: int | None = None
    phone_holds: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: Any) -> OrderReview:
        if not isinstance(value, dict):
            return cls()
        limit = value.get("max_value_minor")
        units = value.get("max_units_per_sku")
        return cls(int(limit) if isinstance(limit, int) else None, bool(value.get("flag_country_mismatch")),
                   int(units) if isinstance(units, int) else None, bool(value.get("phone_holds")))


def order_review_of(session: Session) -> OrderReview:
    """The site's review rules (all off when never set)."""
    return OrderReview.from_json(session.scalar(select(SiteSetting.value)
                                                .where(SiteSetting.key == ORDER_REVIEW_SETTING)))


def set_order_review(database: Database, actor: Actor, rules: OrderReview) -> OrderReview:
    """Store ``rules`` whole (read ``order_review_of`` and ``replace`` what changes)."""
    if rules.max_value_minor is not None and rules.max_value_minor <= 0:
        raise SiteSettingRefused("The value limit for review is above zero (or none, to turn it off).")
    units = rules.max_units_per_sku
    if units is not None and not 1 <= units <= 1_000_000:
        raise SiteSettingRefused(f"The units of one SKU that flag an order for review are between 1 and 1000000, "
                                 f"not {units}.")
    store_setting(database, actor, ORDER_REVIEW_SETTING, rules.as_json())
    return rules
