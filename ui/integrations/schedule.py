"""``SyncSchedule``: the shops synced and the outbox delivered inside the app, on a timer.

While someone who may sync (``SYNC_CHANNELS``: a manager or owner) is signed in, a QTimer
runs one round every ``poll_seconds`` (the smallest of the active channels', default 30):
``app.integrations.run_round`` as that person, on Qt's thread pool (``ui.worker``), never on
the GUI thread. A round is skipped while the previous one still runs. A round ends with a pass
of the tracking poller (``run_round`` runs it); when no shop channel is active the round is
that pass alone (``app.tracking.poll``: nothing to sync; the stock watcher is not run for
nobody) — only shipments not asked within the hour are asked, so most passes are one query. Each round's
result or error is emitted (``finished``/``failed``) on the GUI thread; the site's lease
keeps two PCs' schedules from delivering at once (the second's round says so).

Threading: GUI thread only (the rounds themselves run on the thread pool).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from fulfilstation.domain.roles import Permission
from fulfilstation.health import is_connection_error, offline_words
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.integrations import SyncRound
from ui.worker import run_in_background

DEFAULT_SECONDS = 30
SHOP_KINDS = ("shopify", "woocommerce")


class SyncSchedule(QObject):
    finished = Signal(object)  # SyncRound, or None when no shop channel is active (tracking only)
    failed = Signal(str)

    def __init__(self, app: AppServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.actor: Actor | None = None
        self.running = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.run_now)
        self.timer.setInterval(DEFAULT_SECONDS * 1000)

    def set_actor(self, actor: Actor | None) -> None:
        """Start for someone who may sync, stop for anyone else (and on sign-out)."""
        self.actor = actor if actor is not None and actor.may(Permission.SYNC_CHANNELS) else None
        if self.actor is None:
            self.timer.stop()
        elif not self.timer.isActive():
            self.timer.start()

    def run_now(self) -> None:
        """One round now (the timer's tick, or a person's "Sync now")."""
        actor = self.actor
        if actor is None or self.running:
            return
        self.running = True
        app = self.app

        def job() -> tuple[SyncRound | None, int]:
            shops = [c for c in app.integrations.channels() if c.active and c.kind in SHOP_KINDS]
            seconds = min((c.poll_seconds for c in shops), default=DEFAULT_SECONDS)
            if shops:
                return app.integrations.run_round(actor), seconds
            app.tracking.poll(actor)
            return None, seconds

        run_in_background(job, self._done, self._failed, owner=self)

    def _done(self, result: tuple[SyncRound | None, int]) -> None:
        self.running = False
        round_, seconds = result
        if self.timer.interval() != seconds * 1000:
            self.timer.setInterval(seconds * 1000)
        self.finished.emit(round_)

    def _failed(self, exc: Exception) -> None:
        """A round that failed ends nothing: the timer runs on (a lost database is said in
        plain words; the next round after its return delivers what waited)."""
        self.running = False
        if is_connection_error(exc):
            self.failed.emit(f"{offline_words(exc)}; the next round tries again.")
            return
        self.failed.emit(str(exc) or type(exc).__name__)

    def stop(self) -> None:
        self.timer.stop()
        self.actor = None
