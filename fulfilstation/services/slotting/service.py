"""``SlottingService``: fast movers to the bins nearest the packing stations.

Query: ``proposals`` (waiting, or the latest of every status). Use cases (``SLOTTING``:
managers and owners), each audited: ``propose`` (rank the movers, store the proposals,
replacing what was waiting), ``accept`` (the proposal becomes a ``move`` stock move, once),
``accept_all``, ``reject``.

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence

from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.slotting.deciding import accept, accept_all, reject
from fulfilstation.services.slotting.proposing import propose
from fulfilstation.services.slotting.queries import list_proposals
from fulfilstation.services.slotting.views import (
    PROPOSAL_LIMIT,
    VELOCITY_DAYS,
    AcceptedAll,
    Proposed,
    SlottingProposal,
)


class SlottingService(AreaService):
    def _now(self) -> dt.datetime:
        return self._context.ports.clock.now().astimezone(dt.UTC)

    # -- queries

    def proposals(self, *, open_only: bool = True) -> builtins.list[SlottingProposal]:
        """The proposals waiting for a decision (fastest mover first), or (``open_only=False``)
        the latest of every status, newest first."""
        return list_proposals(self.database, open_only=open_only)

    # -- use cases

    @use_case(Permission.SLOTTING, "propose slotting moves")
    def propose(self, actor: Actor, days: int = VELOCITY_DAYS, limit: int = PROPOSAL_LIMIT) -> Proposed:
        """Rank products by units shipped over ``days`` and propose moving the fastest movers'
        free units to the nearest empty pickable bins (at most ``limit``); replaces the
        proposals still waiting (marked stale)."""
        return propose(self.database, actor, self._now(), days, limit)

    @use_case(Permission.SLOTTING, "accept a slotting move")
    def accept(self, actor: Actor, move_id: int) -> SlottingProposal:
        """Make the proposal a ``move`` stock move (once, however many accept it); SlottingRefused
        ``stale`` when its stock or bin changed (it is then marked stale)."""
        return accept(self.database, actor, move_id, self._now())

    @use_case(Permission.SLOTTING, "accept slotting moves")
    def accept_all(self, actor: Actor, ids: Sequence[int] | None = None) -> AcceptedAll:
        """Accept every waiting proposal, or those of ``ids`` (each its own transaction); the
        stale ones are named, the ones decided meanwhile left out."""
        return accept_all(self.database, actor, self._now(), ids)

    @use_case(Permission.SLOTTING, "reject a slotting move")
    def reject(self, actor: Actor, move_id: int) -> SlottingProposal:
        return reject(self.database, actor, move_id, self._now())
