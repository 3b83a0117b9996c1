"""The Picking screen (packers and up): make pick lists and pick them with a scanner alone."""

from ui.picking.screen import PickingScreen

__all__ = ["PickingScreen"]
