"""The Receiving screen (packers and up): receive goods with a scanner alone."""

from ui.receiving.screen import LabelRequest, ReceivingScreen

__all__ = ["LabelRequest", "ReceivingScreen"]
