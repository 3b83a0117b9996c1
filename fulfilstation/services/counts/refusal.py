"""``CountsRefused``: the cycle-count area's one refusal type.

Codes: ``unknown-count``, ``not-open`` (completed or cancelled), ``bin-not-on-count``,
``not-counted`` (bins left to count), ``nothing-to-count``, ``lot-needed``, ``bad-quantity``,
``kit``, ``needs-approval`` (waiting for a manager), ``not-waiting``, ``already-on-count``, ``below-reserved``,
``bad-setting``. A refusal changes nothing.
"""

from __future__ import annotations

from fulfilstation.services.refused import Refused


class CountsRefused(Refused):
    """A cycle-count question or change that cannot be done as asked; ``message`` says what to do."""
