"""The integrations area: sales channels, order sync, the outbox worker, stock pushes."""

from fulfilstation.services.integrations.refused import IntegrationsRefused
from fulfilstation.services.integrations.service import IntegrationsService
from fulfilstation.services.integrations.views import (
    ChannelChanges,
    ChannelFields,
    ChannelSync,
    ChannelView,
    DeliveryPass,
    FailedPush,
    LateTracking,
    Problems,
    SyncRound,
    SyncTrouble,
)

__all__ = ["ChannelChanges", "ChannelFields", "ChannelSync", "ChannelView", "DeliveryPass", "FailedPush",
           "IntegrationsRefused", "IntegrationsService", "LateTracking", "Problems", "SyncRound",
           "SyncTrouble"]
