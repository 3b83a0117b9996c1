"""``TrackingService``: following shipments to delivery (issue #17, point 6).

Use case: ``poll`` (``SYNC_CHANNELS``, as the other sync jobs: a manager, or a job signed in
with a manager's job secret) — one pass of the poller (``poll.py``), audited
``tracking.polled`` when it recorded something or a carrier failed. The schedule runs it:
``integrations.run_round`` (the window's timer and ``fulfilstation sync``) ends each round
with a pass, and ``fulfilstation tracking poll`` runs one. Queries: ``problems`` (the
dashboard's tracking exceptions), ``show`` (one shipment's recorded tracking).

Threading: blocking (database, keyring, network); call from worker threads, the CLI or a
job, never the GUI thread.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select

from fulfilstation.db.models import Order, Package, Shipment, TrackingEvent
from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.reports.period import PeriodRefused, zone_named
from fulfilstation.services.reports.settings import report_settings_of
from fulfilstation.services.tracking.exceptions import tracking_problems
from fulfilstation.services.tracking.poll import LIMIT
from fulfilstation.services.tracking.refused import TrackingRefused
from fulfilstation.services.tracking.run import run_poll
from fulfilstation.services.tracking.views import ShipmentTracking, TrackedEvent, TrackingPoll, TrackingProblem


class TrackingService(AreaService):
    @use_case(Permission.SYNC_CHANNELS, "track shipments")
    def poll(self, actor: Actor, limit: int = LIMIT) -> TrackingPoll:
        """Ask the carriers about every due shipment (at most ``limit``); a carrier's failure
        is in the result's ``errors``, never raised."""
        return run_poll(self._context, actor, limit)

    def problems(self) -> list[TrackingProblem]:
        """Returned to sender, no movement for 3 days, delivered late (``exceptions.py``), by
        the site's days (the reports' time zone; one this PC does not know: UTC)."""
        now = self._context.ports.clock.now().astimezone(dt.UTC)
        with self.database.unit_of_work() as session:
            try:
                zone: dt.tzinfo = zone_named(report_settings_of(session).time_zone)
            except PeriodRefused:
                zone = dt.UTC
            return tracking_problems(session, now, zone)

    def show(self, number: str) -> ShipmentTracking:
        """A shipment's recorded tracking by its (or one of its packages') tracking number."""
        with self.database.unit_of_work() as session:
            row = session.execute(
                select(Shipment.id, Shipment.tracking_number, Order.number, Shipment.tracking_state,
                       Shipment.delivered_at, Shipment.promised_by, Shipment.tracked_at)
                .join(Order, Order.id == Shipment.order_id)
                .where(or_(Shipment.tracking_number == number.strip(),
                           Shipment.id.in_(select(Package.shipment_id)
                                           .where(Package.tracking_number == number.strip()))))).first()
            if row is None:
                raise TrackingRefused("unknown-tracking", f"No shipment has the tracking number {number.strip()}.")
            events = tuple(TrackedEvent(e.occurred_at, e.code, e.description, e.location) for e in session.scalars(
                select(TrackingEvent).where(TrackingEvent.shipment_id == row.id)
                .order_by(TrackingEvent.occurred_at.desc(), TrackingEvent.id.desc())))
            return ShipmentTracking(str(row.tracking_number), row.number, row.tracking_state, row.delivered_at,
                                    row.promised_by, row.tracked_at, events)
