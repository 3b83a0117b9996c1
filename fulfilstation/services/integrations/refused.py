"""``IntegrationsRefused``: a channel change or push that cannot be done; changes nothing."""

from __future__ import annotations

from fulfilstation.services.refused import Refused


class IntegrationsRefused(Refused):
    pass
