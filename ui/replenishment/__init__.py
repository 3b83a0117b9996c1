"""The Replenishment screen: the reorder report and slotting proposals (managers)."""

from ui.replenishment.screen import ReplenishmentScreen

__all__ = ["ReplenishmentScreen"]
