"""One audited pass of the tracking poller, as the use cases run it: ``TrackingService.poll``
and ``IntegrationsService.run_round`` both call ``run_poll`` (a use case never calls another
use case). Kept apart from ``service.py`` so the integrations area imports only this.

Threading: blocking (database, keyring, network).
"""

from __future__ import annotations

from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.context import ServiceContext
from fulfilstation.services.tracking.poll import LIMIT, poll
from fulfilstation.services.tracking.views import TrackingPoll


def run_poll(context: ServiceContext, actor: Actor, limit: int = LIMIT) -> TrackingPoll:
    """One pass, audited — what ``TrackingService.poll`` and ``integrations.run_round`` run
    (a use case never calls another use case: both call this)."""
    ports = context.ports
    done = poll(context.database, ports.carrier_trackers, ports.secrets, ports.clock.now, limit)
    if done.events_added or done.updated or done.delivered or done.errors:
        with context.database.unit_of_work() as session:
            audit.record(session, actor, "tracking.polled", "shipment", None,
                         {"asked": done.asked, "events_added": done.events_added, "updated": done.updated,
                          "delivered": done.delivered, "errors": list(done.errors)})
    return done
