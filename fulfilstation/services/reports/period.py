"""A report's period: whole days of the site's own calendar, and the UTC instants they span.

Invariant: a site's day is its local day (the ``reports`` setting's ``time_zone``), never UTC's
— an order shipped at 23:30 in Chicago counts on that Chicago day. ``Period.start_utc`` is the
first instant of ``first`` and ``Period.end_utc`` the first instant after ``last`` (half-open,
so ``start_utc <= t < end_utc`` selects the period); daylight-saving days are 23 or 25 hours.

Threading: immutable values; pure functions.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FIRST_DAY = dt.date(1970, 1, 1)  # nothing the app records is older; a day's bounds stay representable
LAST_DAY = dt.date(9998, 12, 31)


class PeriodRefused(ValueError):
    """A period or time zone that cannot be used; the message says what to fix — that refusal's
    own fix only (a door that words it in its own terms, as the CLI's ``--from``/``--to``,
    tells the kinds apart by class)."""


class PeriodReversed(PeriodRefused):
    """The period's last day is before its first (``first`` and ``last`` as given)."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        super().__init__(f"The period ends ({last}) before it starts ({first}): give a first day on or before "
                         "the last.")
        self.first, self.last = first, last


class DayOutOfRange(PeriodRefused):
    """A day outside ``FIRST_DAY`` … ``LAST_DAY``."""

    def __init__(self, day: dt.date) -> None:
        super().__init__(f"{day.isoformat()} is outside the days reports cover ({FIRST_DAY.isoformat()} to "
                         f"{LAST_DAY.isoformat()}): give a day within them.")
        self.day = day


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise PeriodRefused(f"{name!r} is not a time zone: use an IANA name such as America/Chicago "
                            "or Europe/Berlin.") from exc


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date  # inclusive
    zone: ZoneInfo

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise PeriodReversed(self.first, self.last)
        for day in (self.first, self.last):
            if not FIRST_DAY <= day <= LAST_DAY:
                raise DayOutOfRange(day)

    @classmethod
    def day(cls, day: dt.date, zone: ZoneInfo) -> Period:
        return cls(day, day, zone)

    @classmethod
    def last_days(cls, days: int, today: dt.date, zone: ZoneInfo) -> Period:
        """The ``days`` days ending with ``today`` (``days`` ≥ 1)."""
        return cls(today - dt.timedelta(days=days - 1), today, zone)

    @property
    def start_utc(self) -> dt.datetime:
        return local_midnight(self.first, self.zone)

    @property
    def end_utc(self) -> dt.datetime:
        return local_midnight(self.last + dt.timedelta(days=1), self.zone)

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def local_day(self, instant: dt.datetime) -> dt.date:
        """The site's calendar day of a (timezone-aware) instant."""
        return instant.astimezone(self.zone).date()

    def day_of_epoch(self) -> Callable[[float], dt.date]:
        """A function from seconds since 1970 UTC to the site's day, for instants inside the period
        (a binary search over the days' first instants: for 100,000 rows, not ``astimezone`` each).
        A day starts half a millisecond before its midnight (the instant taken to the millisecond):
        SQLite's ``julianday`` gives back 00:00:00 as 23:59:59.9999…, which must stay on its own day."""
        days = self.days
        starts = [local_midnight(day, self.zone).timestamp() - 0.0005 for day in days]

        def day_of(epoch: float) -> dt.date:
            return days[max(bisect_right(starts, epoch) - 1, 0)]
        return day_of

    def label(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


def local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant the site's ``day`` begins (the first existing local time of that day)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)
