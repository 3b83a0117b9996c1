"""``PickingService``: pick lists for one order, a batch or a wave; confirming picks by
scanning bin then item; short picks; cancelling; the printed list.

Queries: ``show`` (a list as walked: rows merged per bin + product + lot, progress),
``open_lists``, ``check_bin`` (what a scanned bin holds for the list, or a refusal),
``short_preview`` (what a short pick would write off), ``pdf``
(the printed list, on the site's paper). Use cases: ``create`` (orders by number or the
next N; ``PICK``), ``create_wave`` (by carrier, ship-by date or zone; ``MANAGE_PICKING``),
``pick`` and ``short`` (``PICK``), ``cancel`` (``MANAGE_PICKING``) — each audited.

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence

from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.orders.partial import partial_shipments_on
from fulfilstation.services.picking.cancelling import cancel_list
from fulfilstation.services.picking.confirming import check_bin, pick
from fulfilstation.services.picking.creating import create_list
from fulfilstation.services.picking.document import list_pdf
from fulfilstation.services.picking.reading import open_lists, show
from fulfilstation.services.picking.shorting import short_pick, short_preview
from fulfilstation.services.picking.views import (
    BinCheck,
    Cancelled,
    Created,
    Picked,
    PickingRefused,
    PickListSummary,
    PickListView,
    Selection,
    Shorted,
    ShortPreview,
    Wave,
)


class PickingService(AreaService):
    # -- queries

    def show(self, number: str) -> PickListView:
        """The list ``number`` as the picker walks it; PickingRefused when there is none."""
        return show(self.database, number)

    def open_lists(self, include_done: bool = False) -> builtins.list[PickListSummary]:
        """Lists open or being picked (and done ones with ``include_done``), newest first."""
        return open_lists(self.database, include_done=include_done)

    def check_bin(self, number: str, bin_code: str) -> BinCheck:
        """What the list picks in the scanned bin; PickingRefused ``wrong-bin`` saying where to go."""
        return check_bin(self.database, number, bin_code)

    def short_preview(self, number: str, bin_code: str, sku: str, lot: str | None = None) -> ShortPreview:
        """What ``short`` would write off in the bin (to ask the picker to confirm)."""
        return short_preview(self.database, number, bin_code, sku, lot)

    def pdf(self, number: str) -> bytes:
        """The printed pick list (barcodes of the list, its totes, bins and products)."""
        return list_pdf(self.database, number)

    # -- use cases

    @use_case(Permission.PICK, "create pick lists")
    def create(self, actor: Actor, orders: Sequence[str] = (), next: int | None = None, *,
               by_zone: bool = False) -> Created:
        """A pick list of the named ready orders (all or a refusal), or of the ``next`` N
        oldest; audited ``picklist.created``."""
        if orders and next is not None:
            raise PickingRefused("bad-selection", "Give order numbers or a count of next orders, not both.")
        numbers = tuple(dict.fromkeys(n.strip() for n in orders if n.strip()))
        return create_list(self.database, actor, Selection(orders=numbers, next=next), self._today(), by_zone=by_zone)

    @use_case(Permission.MANAGE_PICKING, "plan waves")
    def create_wave(self, actor: Actor, wave: Wave, value: str | None = None, limit: int | None = None, *,
                    by_zone: bool = False) -> Created:
        """A pick list of a wave: the ready orders of one carrier, to ship by a date (and
        overdue), or whose stock sits in one zone; audited ``picklist.created``."""
        selection = Selection(wave=Wave(wave), value=value, limit=limit)
        return create_list(self.database, actor, selection, self._today(), by_zone=by_zone)

    @use_case(Permission.PICK, "pick", fresh=False)
    def pick(self, actor: Actor, number: str, bin_code: str, scan: str, quantity: int = 1) -> Picked:
        """Confirm ``quantity`` scans of an item (a case counts its pack) from ``bin_code``."""
        return pick(self.database, actor, number, bin_code, scan, quantity)

    @use_case(Permission.PICK, "record a short pick")
    def short(self, actor: Actor, number: str, bin_code: str, sku: str, lot: str | None = None) -> Shorted:
        """The bin has no more of ``sku`` (module ``shorting``): stock corrected, orders
        reserved elsewhere or made backorders (or split, by the site setting)."""
        today = self._today()
        return short_pick(self.database, actor, number, bin_code, sku, lot, today, partial_shipments_on(self.database))

    @use_case(Permission.MANAGE_PICKING, "cancel a pick list")
    def cancel(self, actor: Actor, number: str, reason: str = "cancelled") -> Cancelled:
        """Cancel an open list: its orders can be picked again."""
        return cancel_list(self.database, actor, number, reason)

    def _today(self) -> dt.date:
        return self._context.ports.clock.now().astimezone().date()
