"""The Cycle counts screen (``CountsScreen``)."""

from ui.counts.screen import CountsScreen

__all__ = ["CountsScreen"]
