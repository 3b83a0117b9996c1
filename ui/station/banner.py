"""The status banner: one full-width line (or two) telling the packer what happened and
what to do next, in a colour readable from two metres.

Tones: ``ok`` (green: accepted, shipped), ``warn`` (amber: a second scan must follow, a
label did not print, a confirmation), ``error`` (red: refused), ``info`` (grey: neutral
guidance). The matching sound is chosen with ``SOUND_OF``. The same refusal said again
right after itself is visibly a repeat: "… ×2", "… ×3" (``repeats``), so a packer who
scans the same wrong thing twice sees that the station heard the second scan. GUI thread only.
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
        self.message = ""  # the last text shown, without its repeat count
        self.repeats = 1  # how many times in a row ``message`` was said as a refusal
        self.show_message(text, "info")

    def show_message(self, text: str, tone: str) -> None:
        """Show ``text`` in ``tone``'s colour (``ok``, ``warn``, ``error`` or ``info``); a
        refusal equal to the one shown gets its count ("×2")."""
        if tone not in TONES:
            raise ValueError(f"unknown banner tone {tone!r}")
        again = tone == "error" and self.tone == "error" and text == self.message
        self.repeats = self.repeats + 1 if again else 1
        self.tone, self.message = tone, text
        self.setText(f"{text}  ×{self.repeats}" if again else text)
        self.setStyleSheet(banner_css(TONES[tone]))
