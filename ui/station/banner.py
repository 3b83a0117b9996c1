"""The status banner: one full-width line (or two) telling the packer what happened and
what to do next, in a colour readable from two metres.

Tones: ``ok`` (green: accepted, shipped), ``warn`` (amber: a second scan must follow, a
label did not print, a confirmation), ``error`` (red: refused), ``info`` (grey: neutral
guidance). The matching sound is chosen with ``SOUND_OF``. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ui.style import AMBER, GREEN, GREY, RED, banner_css

TONES = {"ok": GREEN, "warn": AMBER, "error": RED, "info": GREY}
SOUND_OF = {"ok": "accept", "warn": "prompt", "error": "refuse"}


class StatusBanner(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.tone = "info"
        self.show_message(text, "info")

    def show_message(self, text: str, tone: str) -> None:
        """Show ``text`` in ``tone``'s colour (``ok``, ``warn``, ``error`` or ``info``)."""
        if tone not in TONES:
            raise ValueError(f"unknown banner tone {tone!r}")
        self.tone = tone
        self.setText(text)
        self.setStyleSheet(banner_css(TONES[tone]))
