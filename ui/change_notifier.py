"""Other stations' changes as a Qt signal: the thin Qt end of ``fulfilstation.changes``.

    notifier = ChangeNotifier(listener, parent=window)   # listener: a ChangeListener not yet started
    notifier.changed.connect(window.on_changes)           # frozenset of table names; ALL = everything
    ...
    notifier.close()                                      # or let the parent's destruction do it

Threading rules:

* Create, connect and ``close()`` it on the GUI thread (the thread it lives in).
* ``changed`` is always emitted on that thread, so its slots may touch widgets: the
  listener's thread only emits the private ``_arrived`` signal, which reaches ``_relay``
  through a queued connection (never a direct call from the listener's thread).
* After ``close()`` returns, ``changed`` is emitted no more: the listener is stopped (a
  call back under way finishes first) and anything still queued is dropped.
* Bursts arrive as they come (one emission per commit on PostgreSQL, at most two a
  second on SQLite); a view that is costly to rebuild should coalesce them itself.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot

from fulfilstation.changes import ChangeListener


class ChangeNotifier(QObject):
    changed = Signal(object)
    """frozenset[str]: the tables other stations changed (``fulfilstation.changes.ALL``: anything)."""

    _arrived = Signal(object)

    def __init__(self, listener: ChangeListener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listener = listener
        self._closed = False
        self._arrived.connect(self._relay, Qt.ConnectionType.QueuedConnection)
        self.destroyed.connect(lambda *_: listener.stop())  # deleted without close(): stop anyway
        listener.start(self._from_listener)

    def close(self) -> None:
        """Stop listening (idempotent). Call it on the GUI thread."""
        self._closed = True
        self._listener.stop()

    def _from_listener(self, tables: frozenset[str]) -> None:
        """Runs on the listener's thread: hand over to the GUI thread, touch nothing else."""
        try:
            self._arrived.emit(tables)
        except RuntimeError:  # the C++ object is gone (deleted without close()): nobody to tell
            self._listener.stop()

    @Slot(object)
    def _relay(self, tables: frozenset[str]) -> None:
        if not self._closed:
            self.changed.emit(tables)
