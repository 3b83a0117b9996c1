"""The tracking area's refusal."""

from __future__ import annotations

from fulfilstation.services.refused import Refused


class TrackingRefused(Refused):
    """A tracking request that cannot be answered (an unknown tracking number …)."""
