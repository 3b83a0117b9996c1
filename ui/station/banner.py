"""The status banner: one full-width line (or two) telling the packer what happened and
what to do next, in a colour readable from two metres.

Tones: ``ok`` (green: accepted, shipped), ``warn`` (amber: a second scan must follow, a
label did not print, a confirmation), ``error`` (red: refused), ``info`` (grey: neutral
guidance). The matching sound is chosen with ``SOUND_OF``. The same refusal said again
right after itself is visibly a repeat: "… ×2", "… ×3" (``repeats``), so a packer who
scans the same wrong thing twice sees that the station heard the second scan. The banner
wraps and takes the window's width, never widening it (``ui.widgets.fit_text``): a word
too long for a line breaks, an echoed barcode longer than 60 characters is cut in its
middle (the whole text is in the tooltip); a long message takes a smaller type (``POINTS``)
so the banner stays under ``MAX_HEIGHT``, its maximum height: whatever it says, the
window never grows (it has room for a title bar on a 1280×800 screen). GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ui.style import AMBER, GREEN, GREY, RED, banner_css
from ui.widgets.fit_text import let_wrap, show_wrapped

TONES = {"ok": GREEN, "warn": AMBER, "error": RED, "info": GREY}
SOUND_OF = {"ok": "accept", "warn": "prompt", "error": "refuse"}
POINTS = (26, 22, 18, 15, 13, 11)  # the banner's type sizes, largest first: the largest that fits is used
MAX_HEIGHT = 100  # px: a long message takes a smaller type rather than push the window (and its title bar) past 800 px


class StatusBanner(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        let_wrap(self)  # a long message wraps, a long code in it breaks: the window never widens
        self.setMaximumHeight(MAX_HEIGHT)  # never taller, whatever the message: the window never grows
        self.tone = "info"
        self.points = POINTS[0]
        self._fitting = False
        self._whole = ""  # the text to show, before any cut
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
        self._whole = f"{text}  ×{self.repeats}" if again else text
        show_wrapped(self, self._whole)
        self._fit()

    def _fit(self) -> None:
        """The tone's colour and the largest type size (``POINTS``) whose wrapped text is
        at most ``MAX_HEIGHT`` high at the banner's width. When even the smallest is too
        tall, the text is cut after the most whole words that fit, with "…", and the whole
        text is in the tooltip: no line is ever drawn half outside the banner."""
        if self._fitting:
            return
        self._fitting = True
        try:
            show_wrapped(self, self._whole)
            for points in POINTS:
                self.points = points
                self.setStyleSheet(f"{banner_css(TONES[self.tone])} font-size: {points}pt;")
                if self._fits():
                    return
            self._cut_to_fit()
        finally:
            self._fitting = False

    def _fits(self) -> bool:
        return self.heightForWidth(max(self.width(), 1)) <= MAX_HEIGHT

    def _cut_to_fit(self) -> None:
        """The most leading words of the text that fit, then "…" (binary search)."""
        words = self._whole.split(" ")
        if len(words) < 2:
            return  # one word: it breaks where it must (``fit_text``), nothing to cut between
        low, high = 1, len(words) - 1  # low words always shown, even if they do not fit
        while low < high:
            middle = (low + high + 1) // 2
            show_wrapped(self, " ".join(words[:middle]) + " …")
            if self._fits():
                low = middle
            else:
                high = middle - 1
        show_wrapped(self, " ".join(words[:low]) + " …")
        self.setToolTip(self._whole)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()
