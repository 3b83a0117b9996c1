"""The values the slotting area returns (frozen: they cross threads to the window)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fulfilstation.services.refused import Refused

VELOCITY_DAYS = 30  # units shipped over this many days rank the movers
PROPOSAL_LIMIT = 20  # at most this many proposals at once


@dataclass(frozen=True)
class SlottingProposal:
    """A slotting move as stored: ``quantity`` free units of ``sku`` (``lot``) from
    ``from_bin`` to the nearer ``to_bin`` (pick sequences given), ranked by ``units_shipped``."""

    id: int
    sku: str
    name: str
    from_bin: str
    from_sequence: int
    to_bin: str
    to_sequence: int
    lot: str
    quantity: int
    units_shipped: int
    status: str
    proposed_at: dt.datetime
    decided_by: str | None = None
    decided_at: dt.datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "sku": self.sku, "name": self.name, "from_bin": self.from_bin,
                "from_sequence": self.from_sequence, "to_bin": self.to_bin, "to_sequence": self.to_sequence,
                "lot": self.lot, "quantity": self.quantity, "units_shipped": self.units_shipped,
                "status": self.status, "proposed_at": self.proposed_at.isoformat(), "decided_by": self.decided_by,
                "decided_at": self.decided_at.isoformat() if self.decided_at else None}


@dataclass(frozen=True)
class Proposed:
    """What ``propose`` did: the new proposals, how many older ones it marked stale."""

    proposals: tuple[SlottingProposal, ...]
    replaced: int
    days: int


@dataclass(frozen=True)
class AcceptedAll:
    """What ``accept_all`` did: the proposals accepted (each a stock move) and the ones
    found stale, with why."""

    accepted: tuple[SlottingProposal, ...]
    stale: tuple[tuple[int, str], ...]


class SlottingRefused(Refused):
    """Codes: ``unknown`` (no such proposal), ``decided`` (accepted, rejected or stale
    already: nothing happens twice), ``stale`` (the stock or the bin changed since it was
    proposed: it is now marked stale), ``bad-setting`` (days or limit out of range)."""
