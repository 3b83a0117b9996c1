"""``OrdersService``: orders as people look at them (search, detail), their carrier quote,
and a manager's changes to them (carrier service, hold, release, cancel, ship-to address).

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence

from fulfilstation.domain.address import Address
from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.orders.arrival import reserve_backorders
from fulfilstation.services.orders.cancel import cancel_order
from fulfilstation.services.orders.detail import order_detail
from fulfilstation.services.orders.hold import hold_order, release_order
from fulfilstation.services.orders.queries import OrderInfo, list_orders, show_order
from fulfilstation.services.orders.quotes import Quote, change_service, quote
from fulfilstation.services.orders.recheck import Rechecked, recheck_order
from fulfilstation.services.orders.reserve import ReserveOutcome, reserve_stock
from fulfilstation.services.orders.search import DEFAULT_LIMIT, search_orders
from fulfilstation.services.orders.ship_to import set_ship_to
from fulfilstation.services.orders.views import CancelledOrder, OrderDetail, OrderSummary
from fulfilstation.services.packing.start import ReleasedPack, release_pack

_MANAGE = "hold, release or cancel orders"


class OrdersService(AreaService):
    def _today(self) -> dt.date:
        """Today at this PC (the Clock port): the day deliveries are promised from."""
        return self._context.ports.clock.now().astimezone().date()

    # -- queries

    def list(self, status: str | None = None) -> list[OrderInfo]:
        """Orders, oldest ship-by first; ``status`` one of ``STATUS_FILTERS`` (``held``: on hold)."""
        return list_orders(self.database, status)

    def show(self, number: str) -> OrderInfo:
        """One order with its lines, suggested box and expected weight; OrderRefused when unknown."""
        return show_order(self.database, number)

    def quote(self, number: str) -> Quote:
        """The service the order would ship by now, its price and every alternative."""
        return quote(self.database, number, self._today())

    def search(self, text: str | None = None, status: str | None = None, hold: bool | None = None,
               ship_by: str | None = None, carrier: str | None = None,
               limit: int = DEFAULT_LIMIT) -> builtins.list[OrderSummary]:
        """Orders matching ``text`` (number, shop id, customer, SKU, product barcode, tracking)
        and the filters (``status`` an OrderStatus value; ``ship_by`` one of SHIP_BY_FILTERS;
        ``carrier`` a carrier code): open ones first, oldest ship-by first. One query."""
        return search_orders(self.database, self._today(), text, status, hold, ship_by, carrier, limit)

    def detail(self, number: str) -> OrderDetail:
        """Everything about one order; OrderRefused when there is none."""
        return order_detail(self.database, number, self._today())

    # -- use cases

    @use_case(Permission.CHANGE_SERVICE, "change an order's shipping service")
    def change_service(self, actor: Actor, number: str, service: str) -> Quote:
        """Send the order by ``service`` (``carrier/service``); audited as ``order.service_changed``."""
        return change_service(self.database, actor, number, service, self._today())

    @use_case(Permission.MANAGE_ORDERS, _MANAGE)
    def hold(self, actor: Actor, number: str, reason: str) -> OrderSummary:
        """Stop the order being packed or shipped (also mid-pack); audited as ``order.held``."""
        return hold_order(self.database, actor, number, reason, self._today())

    @use_case(Permission.MANAGE_ORDERS, _MANAGE)
    def release(self, actor: Actor, number: str, reason: str | None = None) -> OrderSummary:
        """Take the hold off; audited as ``order.released``."""
        return release_order(self.database, actor, number, reason, self._today())

    @use_case(Permission.MANAGE_ORDERS, _MANAGE)
    def cancel(self, actor: Actor, number: str, reason: str) -> CancelledOrder:
        """Cancel an order that is neither shipped nor being packed, releasing its reserved
        stock; audited and sent to the shop (outbox) as ``order.cancelled``. Once it committed,
        the backorders needing the stock it gave back are reserved (oldest first)."""
        cancelled = cancel_order(self.database, actor, number, reason, self._today())
        skus = sorted({reservation.sku for reservation in cancelled.released})
        if skus:
            reserve_backorders(self.database, actor, today=self._today(), skus=skus)
        return cancelled

    @use_case(Permission.MANAGE_ORDERS, "reserve stock for orders")
    def reserve_stock(self, actor: Actor, numbers: Sequence[str] | None = None) -> tuple[ReserveOutcome, ...]:
        """Reserve stock for the named pending orders (None or empty: every pending order, oldest
        ship-by first), one transaction each: a fully reserved order becomes ready; one that is
        short stays pending with nothing reserved. Kit lines get their component lines first.
        Audited as ``order.stock_reserved`` (and ``order.kits_expanded``)."""
        return reserve_stock(self.database, actor, numbers, self._today())

    @use_case(Permission.IMPORT_ORDERS, "re-check orders")
    def recheck(self, actor: Actor, number: str) -> Rechecked:
        """Run the intake checks again on a pending or ready order: unmatched lines whose SKU is
        now in the catalogue become order lines, the problems are recomputed, an intake hold
        whose problems are gone is released (a manager's own hold never is), then a free
        pending order is reserved. Audited as ``order.rechecked``."""
        return recheck_order(self.database, actor, number, self._today(),
                             address_check=self._context.ports.address_check)

    @use_case(Permission.MANAGE_ORDERS, "release a pack session")
    def release_pack_session(self, actor: Actor, number: str,
                             reason: str = "released by a manager") -> ReleasedPack:
        """Give back to the queue the open pack of the order, at whatever station (one that
        died mid-pack); its scans stay as history. Audited as ``pack.released``."""
        return release_pack(self.database, actor, number, reason)

    @use_case(Permission.EDIT_ADDRESS, "change an order's ship-to address")
    def set_address(self, actor: Actor, number: str, address: Address) -> Address:
        """Ship the order (not shipped or cancelled) to ``address``; audited with the old and new."""
        return set_ship_to(self.database, actor, number, address)
