"""The Returns screen: receive RMAs by scanning, grade each unit, authorise returns."""

from ui.returns.screen import ReturnsScreen

__all__ = ["ReturnsScreen"]
