"""What the tracking area returns (frozen values; the window and the CLI take these)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class AccountPoll:
    """One carrier account's part of a poll: numbers asked, and the carrier's trouble if any."""

    account: str
    asked: int
    answered: int
    error: str | None = None


@dataclass(frozen=True)
class TrackingPoll:
    """One pass of the tracking poller."""

    at: dt.datetime
    accounts: tuple[AccountPoll, ...]
    events_added: int  # carrier scans recorded for the first time
    updated: int  # shipments whose tracking state or last event moved
    delivered: int  # shipments recorded delivered in this pass

    @property
    def asked(self) -> int:
        return sum(a.asked for a in self.accounts)

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(f"tracking {a.account}: {a.error}" for a in self.accounts if a.error)

    def words(self) -> str:
        """One line: ``tracking: 12 asked, 5 new events, 2 delivered``."""
        if not self.accounts:
            return "tracking: nothing due"
        return (f"tracking: {self.asked} asked, {self.events_added} new events, {self.updated} updated, "
                f"{self.delivered} delivered" + "".join(f"; {e}" for e in self.errors))


@dataclass(frozen=True)
class TrackingProblem:
    """A shipment the dashboard names: ``kind`` one of KINDS."""

    kind: str
    shipment_id: int
    order_number: str
    tracking_number: str
    state: str | None
    last_event_at: dt.datetime | None
    promised_by: dt.date | None
    delivered_at: dt.datetime | None


RETURNED, NO_MOVEMENT, DELIVERED_LATE = "returned", "no-movement", "delivered-late"
KINDS = (RETURNED, NO_MOVEMENT, DELIVERED_LATE)
KIND_NAMES = {RETURNED: "Returned to sender", NO_MOVEMENT: "No carrier movement for 3 days",
              DELIVERED_LATE: "Delivered after the promised day"}


@dataclass(frozen=True)
class TrackedEvent:
    occurred_at: dt.datetime
    code: str
    description: str
    location: str | None


@dataclass(frozen=True)
class ShipmentTracking:
    """A shipment's tracking as recorded (``tracking show``)."""

    tracking_number: str
    order_number: str
    state: str | None
    delivered_at: dt.datetime | None
    promised_by: dt.date | None
    tracked_at: dt.datetime | None
    events: tuple[TrackedEvent, ...]  # newest first
