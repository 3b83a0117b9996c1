"""``PackingService``: the packing bench's use cases — claim an order, scan (items, serial
and lot numbers, boxes), close a package, cancel — and the packing queue.

Shipping a finished pack is ``ShippingService.ship`` (it records, buys, prints).

Threading: every method blocks on the database; call from worker threads. Many stations
may call at once: races are settled by conditional updates and unique constraints.
"""

from __future__ import annotations

from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, confirm, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.packing.boxes import Weighing, close_package
from fulfilstation.services.packing.command_sheet import command_sheet_pdf
from fulfilstation.services.packing.queue import QueueSnapshot, packing_queue
from fulfilstation.services.packing.scanning import scan_item
from fulfilstation.services.packing.start import (
    cancel_pack,
    heartbeat,
    next_order,
    open_session_for_station,
    start_pack,
)
from fulfilstation.services.packing.views import PackView, ScanOutcome


class PackingService(AreaService):
    # -- queries

    def queue(self) -> QueueSnapshot:
        """Ready orders (held ones flagged, each with the service it ships by, as of today at
        this PC's clock) and order counts by status."""
        return packing_queue(self.database, today=self._context.ports.clock.now().astimezone().date())

    def command_sheet(self, station_name: str | None = None) -> bytes:
        """The PDF of command barcodes and box barcodes for a station (default: this PC's)."""
        return command_sheet_pdf(self.database, station_name or self._context.station_name)

    # -- use cases

    @use_case(Permission.PACK, "pack orders")
    def resume(self, actor: Actor) -> PackView | None:
        """The pack the actor's station was in the middle of (after a crash or a restart)."""
        if actor.station_id is None:
            return None
        return open_session_for_station(self.database, actor.station_id)

    @use_case(Permission.PACK, "pack orders")
    def start(self, actor: Actor, reference: str, *, restart: bool = False) -> PackView:
        """Claim the order named by ``reference``: resume its open pack at this station, take
        over one another station has not been heard from for 2 minutes (scans kept), or with
        ``restart`` (the ``pack`` command) start afresh, never counting old scans again."""
        return start_pack(self.database, actor, reference, restart=restart)

    @use_case(Permission.PACK, "pack orders", fresh=False)
    def heartbeat(self, actor: Actor, session_id: int) -> bool:
        """The station is still packing ``session_id`` (call at least every 30 s while it is
        open). False: the pack is no longer open at this station (released, taken over)."""
        return heartbeat(self.database, actor.station_id, session_id)

    @use_case(Permission.PACK, "pack orders")
    def next_order(self, actor: Actor) -> PackView:
        """Claim the ready order with the oldest ship-by date."""
        return next_order(self.database, actor)

    @use_case(Permission.PACK, "pack orders", fresh=False)
    def scan(self, actor: Actor, session_id: int, raw: str, symbology: str | None = None) -> ScanOutcome:
        """One scan during a pack, decided in one transaction: a serial or lot number awaited,
        a box (chooses the package's box), or an item checked against the order. A refused
        item is an outcome (``accepted`` False, its ``refusal``), not an exception."""
        return scan_item(self.database, session_id, raw, symbology, self._context.ports.clock.now().astimezone().date(),
                         user_id=actor.user_id, station_id=actor.station_id)

    @use_case(Permission.PACK, "pack orders")
    def close_package(self, actor: Actor, session_id: int, weighing: Weighing) -> PackView:
        """Weigh and close the open package (multi-package orders) and start the next."""
        if weighing.override is not None:
            confirm(self.database, weighing.override)
        return close_package(self.database, session_id, weighing, actor.station_id, actor.user_id)

    @use_case(Permission.PACK, "pack orders")
    def cancel(self, actor: Actor, session_id: int, reason: str = "cancelled by packer") -> None:
        """Give the order back to the queue; scans stay as history."""
        cancel_pack(self.database, actor, session_id, reason)
