"""The site's cycle-count rules (site settings, read with defaults, written through the one
writer ``site.settings.store_setting``):

* ``abc_classes`` ``{"a": 80, "b": 15, "days": 90}``: class A is the products making the top
  ``a`` % of shipped value over the last ``days`` days, B the next ``b`` %, C the rest;
* ``count_schedule`` ``{"A": 7, "B": 30, "C": 90}``: days between counts of a product per class;
* ``count_variance`` ``{"units": 2, "value_minor": 5000}``: a line whose variance is more than
  ``units`` units or more than ``value_minor`` (minor currency units) needs a manager's approval.

A missing or hand-broken value reads as its default. Threading: blocking (database).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import SiteSetting
from fulfilstation.services.actor import Actor
from fulfilstation.services.counts.refusal import CountsRefused
from fulfilstation.services.site.settings import store_setting

ABC_SETTING, SCHEDULE_SETTING, VARIANCE_SETTING = "abc_classes", "count_schedule", "count_variance"


@dataclass(frozen=True)
class CountRules:
    """Every cycle-count setting at once (percentages, days, thresholds)."""

    a_percent: int = 80
    b_percent: int = 15
    window_days: int = 90
    every_a_days: int = 7
    every_b_days: int = 30
    every_c_days: int = 90
    variance_units: int = 2
    variance_value_minor: int = 5000

    def interval(self, abc_class: str | None) -> int:
        """Days between counts of a product of ``abc_class`` (no class: C)."""
        return {"A": self.every_a_days, "B": self.every_b_days}.get(abc_class or "C", self.every_c_days)


def _number(value: Any, key: str, default: int) -> int:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, int) and not isinstance(found, bool) and found >= 0 else default


def rules_of(session: Session) -> CountRules:
    stored = {row.key: row.value for row in session.scalars(select(SiteSetting).where(
        SiteSetting.key.in_((ABC_SETTING, SCHEDULE_SETTING, VARIANCE_SETTING))))}
    abc, schedule, variance = (stored.get(key) for key in (ABC_SETTING, SCHEDULE_SETTING, VARIANCE_SETTING))
    base = CountRules()
    return CountRules(_number(abc, "a", base.a_percent), _number(abc, "b", base.b_percent),
                      _number(abc, "days", base.window_days), _number(schedule, "A", base.every_a_days),
                      _number(schedule, "B", base.every_b_days), _number(schedule, "C", base.every_c_days),
                      _number(variance, "units", base.variance_units),
                      _number(variance, "value_minor", base.variance_value_minor))


def read_rules(database: Database) -> CountRules:
    with database.unit_of_work() as session:
        return rules_of(session)


def set_rules(database: Database, actor: Actor, rules: CountRules) -> CountRules:
    """Check and store the three settings (each audited ``site.<key>_changed``)."""
    if not (1 <= rules.a_percent <= 100 and 0 <= rules.b_percent <= 100 - rules.a_percent):
        raise CountsRefused("bad-setting", "Class A is 1 to 100 % of the shipped value and A + B at most 100 % "
                            f"(not {rules.a_percent} % and {rules.b_percent} %).")
    if not 1 <= rules.window_days <= 730:
        raise CountsRefused("bad-setting", f"The ABC window is 1 to 730 days, not {rules.window_days}.")
    for name, days in (("A", rules.every_a_days), ("B", rules.every_b_days), ("C", rules.every_c_days)):
        if not 1 <= days <= 730:
            raise CountsRefused("bad-setting", f"Class {name} is counted every 1 to 730 days, not {days}.")
    if rules.variance_units < 0 or rules.variance_value_minor < 0:
        raise CountsRefused("bad-setting", "The variance thresholds are 0 or more (units and value).")
    store_setting(database, actor, ABC_SETTING, {"a": rules.a_percent, "b": rules.b_percent,
                                                 "days": rules.window_days})
    store_setting(database, actor, SCHEDULE_SETTING, {"A": rules.every_a_days, "B": rules.every_b_days,
                                                      "C": rules.every_c_days})
    store_setting(database, actor, VARIANCE_SETTING, {"units": rules.variance_units,
                                                      "value_minor": rules.variance_value_minor})
    return read_rules(database)
