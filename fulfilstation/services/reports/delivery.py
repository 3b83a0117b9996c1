"""On-time delivery (issue #17, point 6): of the shipments the carriers delivered in a period,
how many arrived by the day they were promised.

Rules (also printed under the table): a shipment counts in the period of the site-local day
of its delivery (``shipments.delivered_at``, recorded by the tracking poller); voided ones
never. It is on time when that day is on or before its promised day (``promised_by``: the
order's deliver-by, else the service's transit days from the rate tables — see
``tracking/promise.py``); shipments without a promise are counted apart and not rated.

Threading: takes an open session; blocking (database); read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Shipment
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.services.reports.period import Period
from fulfilstation.services.reports.tables import ReportTable

DELIVERY_NOTE = (
    "Shipments the carrier delivered in the period (site-local day of delivery, from the tracking poller). On time: "
    "delivered on or before the promised day — the order's deliver-by date, else the ship date plus the service's "
    "transit days in the rate tables. Rate = on time ÷ delivered with a promise; the others are counted apart.")


@dataclass(frozen=True)
class OnTimeDelivery:
    period: Period
    rated: int  # delivered, with a promised day
    on_time: int
    without_promise: int

    @property
    def late(self) -> int:
        return self.rated - self.on_time

    @property
    def rate_pct(self) -> float | None:
        return None if self.rated == 0 else 100.0 * self.on_time / self.rated

    def table(self) -> ReportTable:
        return ReportTable("On-time delivery", ("Period", "Delivered with a promise", "On time", "Late",
                                                "On-time %", "Without a promise"),
                           ((self.period.label(), self.rated, self.on_time, self.late, self.rate_pct,
                             self.without_promise),), note=DELIVERY_NOTE)


def on_time_delivery(session: Session, period: Period) -> OnTimeDelivery:
    rated = on_time = unrated = 0
    for delivered_at, promised_by in session.execute(
            select(Shipment.delivered_at, Shipment.promised_by)
            .where(Shipment.delivered_at >= period.start_utc, Shipment.delivered_at < period.end_utc,
                   Shipment.status != ShipmentStatus.VOIDED.value)):
        if delivered_at is None or promised_by is None:
            unrated += 1
            continue
        rated += 1
        on_time += period.local_day(delivered_at) <= promised_by
    return OnTimeDelivery(period, rated, on_time, unrated)
