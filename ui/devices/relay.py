"""The base of the device adapters: callbacks from a driver's worker thread, delivered
on the GUI thread.

Threading rules:

* Create, ``start`` and ``stop`` an adapter on the GUI thread.
* The driver calls ``_from_worker`` on *its* thread; that only emits a signal, which Qt
  queues to the adapter's thread (the GUI thread). Subclasses handle it in ``_arrived``.
* ``start`` only hands the driver its callback: by the port contract a driver opens and
  reads its device on its own worker thread, so ``start`` returns at once.
* ``stop`` detaches at once (nothing more is delivered) and stops the driver with
  ``run_in_background``, because the port's ``stop`` waits for its worker thread.
  ``stopped`` is emitted when the driver has stopped.
* An adapter has no Qt parent: its owner keeps a reference, and a stopping adapter keeps
  itself alive until its driver has stopped, so a worker thread never emits into a
  deleted object.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from ui.worker import run_in_background

_stopping: set[PortAdapter] = set()


class PortAdapter(QObject):
    stopped = Signal()
    _relay = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self._generation = 0
        self.running = False
        self.last_error = ""
        self._relay.connect(self._on_relay, Qt.ConnectionType.QueuedConnection)

    def _start_port(self, start: Callable[[Callable[[Any], None]], None]) -> None:
        if self.running:
            return
        self._generation += 1
        start(partial(self._from_worker, self._generation))  # deliveries are queued: none before we return
        self.running = True

    def _stop_port(self, stop: Callable[[], None]) -> None:
        if not self.running:
            return
        self.running = False
        self._generation += 1
        _stopping.add(self)
        run_in_background(stop, self._port_stopped, self._port_stop_failed)

    def _from_worker(self, generation: int, value: object) -> None:
        """Called on the driver's worker thread: only emit (queued to the GUI thread)."""
        if generation == self._generation:
            with suppress(RuntimeError):  # the Qt object is gone: nobody is listening
                self._relay.emit(generation, value)

    @Slot(int, object)
    def _on_relay(self, generation: int, value: object) -> None:
        if self.running and generation == self._generation:
            self._arrived(value)

    def _arrived(self, value: object) -> None:
        raise NotImplementedError

    def _port_stopped(self, _result: object) -> None:
        _stopping.discard(self)
        self.stopped.emit()

    def _port_stop_failed(self, exc: Exception) -> None:
        self.last_error = str(exc)
        self._port_stopped(None)
