"""The Bins screen (owners lay bins out; managers look and print labels)."""

from ui.bins.screen import BinsScreen

__all__ = ["BinsScreen"]
