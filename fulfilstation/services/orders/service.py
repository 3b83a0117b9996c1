"""``OrdersService``: orders as people look at them, their carrier quote, and a manager's
changes to them (carrier service).

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.orders.queries import OrderInfo, list_orders, show_order
from fulfilstation.services.orders.quotes import Quote, change_service, quote


class OrdersService(AreaService):
    # -- queries

    def list(self, status: str | None = None) -> list[OrderInfo]:
        """Orders, oldest ship-by first; ``status`` one of ``STATUS_FILTERS`` (``held``: on hold)."""
        return list_orders(self.database, status)

    def show(self, number: str) -> OrderInfo:
        """One order with its lines, suggested box and expected weight; OrderRefused when unknown."""
        return show_order(self.database, number)

    def quote(self, number: str) -> Quote:
        """The service the order would ship by now, its price and every alternative."""
        return quote(self.database, number)

    # -- use cases

    @use_case(Permission.CHANGE_SERVICE, "change an order's shipping service")
    def change_service(self, actor: Actor, number: str, service: str) -> Quote:
        """Send the order by ``service`` (``carrier/service``); audited as ``order.service_changed``."""
        return change_service(self.database, actor, number, service)
