"""The Orders screen of the workspace (managers and owners): find, open, hold, release,
cancel orders and change where they ship."""

from ui.orders.screen import OrdersScreen

__all__ = ["OrdersScreen"]
