"""When a push that failed for now is tried again (pure).

Exponential back-off: 30 s · 2^(attempts − 1), capped at one hour, spread by ±10 % jitter
(so pushes that failed together do not all come back in the same second); a shop's
``Retry-After`` wins when it asks for longer.
"""

from __future__ import annotations

BASE_SECONDS = 30.0
CAP_SECONDS = 3600.0
JITTER = 0.1


def retry_delay(attempts: int, retry_after: float | None, jitter: float) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt (≥ 1); ``jitter`` in [0, 1)."""
    exponent = max(0, attempts - 1)
    base = CAP_SECONDS if exponent >= 12 else min(CAP_SECONDS, BASE_SECONDS * 2 ** exponent)
    delay = min(CAP_SECONDS, base * (1 - JITTER + 2 * JITTER * jitter))
    if retry_after is not None and retry_after > delay:
        return float(retry_after)
    return delay
