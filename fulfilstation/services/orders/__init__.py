"""Orders: look-ups, quotes and a manager's changes (``OrdersService``)."""

from fulfilstation.services.orders.queries import STATUS_FILTERS, OrderInfo, OrderLineInfo, OrderRefused
from fulfilstation.services.orders.quotes import Quote, QuoteOption, ServiceChoiceRefused
from fulfilstation.services.orders.service import OrdersService

__all__ = ["STATUS_FILTERS", "OrderInfo", "OrderLineInfo", "OrderRefused", "OrdersService", "Quote", "QuoteOption",
           "ServiceChoiceRefused"]
