"""The Shipments screen: find, reprint and void any station's shipments (managers and owners)."""

from ui.shipments.screen import ShipmentsScreen

__all__ = ["ShipmentsScreen"]
