"""How long the ship waits for the carriers' live rates (site setting ``live_rate_timeout_s``,
an owner's): every gateway account is asked at once and one that has not answered after
this many seconds is left out of the choice. Default 4 s.

Invariants: the stored value is a JSON number between ``MIN_S`` and ``MAX_S``; anything else
(never set, a hand-edited row) reads as the default. Each change is one transaction with its
audit entry ``site.live_rate_timeout_s_changed`` (``settings.store_setting``).

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.carriers.live_rates import DEFAULT_TIMEOUT_S
from fulfilstation.db.database import Database
from fulfilstation.db.models import SiteSetting
from fulfilstation.services.actor import Actor
from fulfilstation.services.site.settings import SiteSettingRefused, store_setting

LIVE_RATE_TIMEOUT_SETTING = "live_rate_timeout_s"
MIN_S, MAX_S = 0.5, 30.0


def live_rate_timeout_of(session: Session) -> float:
    """Seconds the ship waits for live rates (``DEFAULT_TIMEOUT_S`` when never set)."""
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == LIVE_RATE_TIMEOUT_SETTING))
    if isinstance(value, bool) or not isinstance(value, int | float) or not MIN_S <= value <= MAX_S:
        return DEFAULT_TIMEOUT_S
    return float(value)


def set_live_rate_timeout(database: Database, actor: Actor, seconds: float) -> float:
    """Store the time limit (audited as ``site.live_rate_timeout_s_changed``)."""
    if not MIN_S <= seconds <= MAX_S:
        raise SiteSettingRefused(f"The time to wait for live rates is between {MIN_S:g} and {MAX_S:g} seconds, "
                                 f"not {seconds:g}.")
    stored: float = store_setting(database, actor, LIVE_RATE_TIMEOUT_SETTING, float(seconds))
    return stored
