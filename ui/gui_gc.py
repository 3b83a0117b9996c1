"""Garbage collection on the GUI thread only (as Anki does).

Python runs its cycle collector on whichever thread happens to allocate when a threshold
is crossed: often a pool thread running a use case (``ui/worker.py``). A collected cycle that
holds the last reference to a Python-owned QObject (a widget's closure, a timer) then
destroys that QObject on the pool thread, and Qt crashes (seen as segfaults and bus errors
"Garbage-collecting" inside reportlab on a pool thread). So the automatic collector is
switched off and a GUI-thread timer runs the same generational collections Python would
have: young ones as soon as their threshold is crossed (under a millisecond to a few), the
full one as rarely as Python would run it (see ``GuiThreadCollector``).

Threading: a ``GuiThreadCollector`` is made on the GUI thread, once a QApplication
exists; ``stop`` gives collection back to Python (tests, between windows).
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

from ui import native_memory

CHECK_MS = 250
FULL_CHECK_S = 30.0
TRIM_S = 1.0  # the C heap's free pages handed back this often (malloc_trim: about 1 ms for a station)


class GuiThreadCollector(QObject):
    """Runs Python's generational collections from a GUI-thread timer while it is alive.

    A full collection walks every tracked object (about 140 ms for a signed-in station), so
    it follows Python's own rule: only once the objects that reached the oldest generation
    since the last full collection are more than a quarter of those it kept. ``freeze``
    (called once the window is up) moves the start-up objects (modules, classes, the
    window) out of the collector's sight for good, so a full collection walks only what
    was made since."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._kept_by_last_full: int | None = None  # objects in the oldest generation after it
        self._next_full_check = 0.0
        self._next_trim = time.monotonic() + TRIM_S
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(CHECK_MS)

    def collect_due(self) -> int:
        """The oldest generation whose threshold is crossed, collected; -1 when none is.
        Every ``TRIM_S`` seconds, the C heap's free pages go back to the system too (``native_memory``)."""
        if time.monotonic() >= self._next_trim:
            self._next_trim = time.monotonic() + TRIM_S
            native_memory.trim()
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if thresholds[2] and counts[2] >= thresholds[2] and self._full_collection_worth_it():
            gc.collect(2)
            self._kept_by_last_full = len(gc.get_objects(2))
            return 2
        for generation in (1, 0):
            if thresholds[generation] and counts[generation] >= thresholds[generation]:
                gc.collect(generation)
                return generation
        return -1

    def _full_collection_worth_it(self) -> bool:
        now = time.monotonic()
        if now < self._next_full_check:  # counting the oldest generation costs ~10 ms: not too often
            return False
        self._next_full_check = now + FULL_CHECK_S
        if self._kept_by_last_full is None:
            return True
        return len(gc.get_objects(2)) - self._kept_by_last_full > self._kept_by_last_full // 4

    def freeze(self) -> None:
        """Collect everything once, then leave what survives (start-up's objects) out of every
        later collection (``gc.freeze``)."""
        gc.collect()
        gc.freeze()
        self._kept_by_last_full = len(gc.get_objects(2))

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()

