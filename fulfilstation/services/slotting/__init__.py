"""Slotting: proposed moves of the fastest movers to the bins nearest the packing
stations (lowest pick sequence), each accepted by a manager as a stock move, or rejected.

Threading: every use case blocks on the database; call them from worker threads.
"""

from fulfilstation.services.slotting.service import SlottingService
from fulfilstation.services.slotting.views import (
    PROPOSAL_LIMIT,
    VELOCITY_DAYS,
    AcceptedAll,
    Proposed,
    SlottingProposal,
    SlottingRefused,
)

__all__ = ["PROPOSAL_LIMIT", "VELOCITY_DAYS", "AcceptedAll", "Proposed", "SlottingProposal", "SlottingRefused",
           "SlottingService"]
