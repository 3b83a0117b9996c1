"""EasyPost's Tracker object read into the carrier port's ``TrackingStatus`` (pure).

EasyPost documents a Tracker as ``{"tracking_code", "status", "status_detail",
"est_delivery_date", "tracking_details": [{"message", "description", "status",
"status_detail", "datetime", "tracking_location": {"city", "state", "country", "zip"}}]}``,
its details oldest first, times in ISO 8601 with a zone (``Z``). Statuses: ``unknown``,
``pre_transit``, ``in_transit``, ``out_for_delivery``, ``delivered``,
``available_for_pickup``, ``return_to_sender``, ``failure``, ``cancelled``, ``error``.

Invariants: events come out newest first (as the port says); an event's ``code`` is
``status/status_detail`` (so two scans at one instant with other details stay apart); the
delivery instant is the newest ``delivered`` detail's. A detail without a readable time is
left out; a tracker that is not an object raises ``TypeError``/``KeyError``/``ValueError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fulfilstation.carriers.gateway import TrackingEvent, TrackingState, TrackingStatus

STATES = {
    "pre_transit": TrackingState.PENDING,
    "in_transit": TrackingState.IN_TRANSIT,
    "out_for_delivery": TrackingState.OUT_FOR_DELIVERY,
    "available_for_pickup": TrackingState.OUT_FOR_DELIVERY,
    "delivered": TrackingState.DELIVERED,
    "return_to_sender": TrackingState.RETURNED,
    "failure": TrackingState.EXCEPTION,
    "error": TrackingState.EXCEPTION,
    "cancelled": TrackingState.EXCEPTION,
}


def tracking_status(tracker: Mapping[str, Any], number: str) -> TrackingStatus:
    if not isinstance(tracker, Mapping):
        raise TypeError("a tracker is an object")
    events = [event for event in (_event(d) for d in tracker.get("tracking_details") or () if isinstance(d, Mapping))
              if event is not None]
    events.sort(key=lambda e: e[0].occurred_at, reverse=True)
    state = STATES.get(str(tracker.get("status") or ""), TrackingState.UNKNOWN)
    delivered = next((event.occurred_at for event, status in events if status == "delivered"), None)
    if state is TrackingState.DELIVERED and delivered is None and events:
        delivered = events[0][0].occurred_at
    return TrackingStatus(str(tracker.get("tracking_code") or number), state, tuple(e for e, _s in events),
                          delivered_at=delivered if state is TrackingState.DELIVERED else None,
                          estimated_delivery=_date(tracker.get("est_delivery_date")))


def _event(detail: Mapping[str, Any]) -> tuple[TrackingEvent, str] | None:
    at = _instant(detail.get("datetime"))
    if at is None:
        return None
    status = str(detail.get("status") or "unknown")
    code = f"{status}/{detail.get('status_detail') or ''}".rstrip("/")[:64]
    text = str(detail.get("message") or detail.get("description") or status.replace("_", " "))[:300]
    return TrackingEvent(at, code, text, _place(detail.get("tracking_location"))), status


def _place(location: object) -> str | None:
    if not isinstance(location, Mapping):
        return None
    parts = [str(location[key]) for key in ("city", "state", "zip", "country") if location.get(key)]
    return ", ".join(parts)[:200] or None


def _instant(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        at = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return at.astimezone(dt.UTC) if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _date(value: object) -> dt.date | None:
    at = _instant(value)
    return at.date() if at is not None else None
