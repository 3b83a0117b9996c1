"""The database's health as a Qt signal and a strip: the thin Qt end of ``fulfilstation.health``.

    notifier = HealthNotifier(health, parent=window)   # health: a DatabaseHealth (started here)
    notifier.changed.connect(slot)                      # (online: bool, reason: str)
    strip = OfflineStrip(parent)                        # shown while offline, above every screen
    ...
    notifier.close()                                    # stops the probe

Threading rules (as ``ui.change_notifier``): create, connect and ``close()`` on the GUI
thread; ``changed`` is always emitted on the GUI thread — the probe's thread (or the thread
of a failed unit of work) only emits the private ``_arrived`` through a queued connection.
After ``close()`` nothing more is emitted. ``online`` is the last state emitted.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QWidget

from fulfilstation.health import DatabaseHealth
from ui.style import RED
from ui.widgets.fit_text import let_wrap

OFFLINE_TEXT = "Database offline — scans are kept; shipping waits until it is back."


class HealthNotifier(QObject):
    changed = Signal(bool, str)
    """(online, reason): the database went away (False, why in words) or is back (True, '')."""

    _arrived = Signal(bool, str)

    def __init__(self, health: DatabaseHealth, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.health = health
        self.online = True
        self._closed = False
        self._arrived.connect(self._relay, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = health.subscribe(self._from_health)
        self.destroyed.connect(lambda *_: health.stop())
        health.start()

    def close(self) -> None:
        """Stop the probe and emit no more (idempotent; GUI thread)."""
        self._closed = True
        self._unsubscribe()
        self.health.stop()

    def _from_health(self, online: bool, reason: str) -> None:
        """Runs on the probe's thread or a worker's: hand over to the GUI thread."""
        try:
            self._arrived.emit(online, reason)
        except RuntimeError:  # the C++ object is gone: nobody to tell
            self._unsubscribe()

    @Slot(bool, str)
    def _relay(self, online: bool, reason: str) -> None:
        if self._closed or online == self.online:
            return
        self.online = online
        self.changed.emit(online, reason)


class OfflineStrip(QLabel):
    """A red strip across the window while the database is offline, hidden otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineStrip")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        let_wrap(self)
        self.setStyleSheet(f"background-color: {RED}; color: white; font-size: 20pt; font-weight: bold; "
                           "padding: 6px;")
        self.setVisible(False)

    def show_health(self, online: bool, reason: str) -> None:
        self.setText(OFFLINE_TEXT)
        self.setToolTip(f"Why: {reason}. The station checks every second and carries on by itself when the "
                        "database is back." if reason else "")
        self.setVisible(not online)
