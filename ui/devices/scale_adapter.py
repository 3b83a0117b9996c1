"""``ScaleAdapter``: a ``Scale`` port as a Qt signal of readings (see ``relay`` for the
threading rules)."""

from __future__ import annotations

from PySide6.QtCore import Signal

from fulfilstation.ports import Scale, ScaleState, WeightReading
from ui.devices.relay import PortAdapter


class ScaleAdapter(PortAdapter):
    """Emits ``reading(WeightReading)`` on the GUI thread, only when the weight or the
    state changed. ``latest`` is the last reading emitted (DISCONNECTED before one)."""

    reading = Signal(object)

    def __init__(self, scale: Scale) -> None:
        super().__init__()
        self.scale = scale
        self.latest = WeightReading(None, ScaleState.DISCONNECTED)
        self._shown: tuple[int | None, ScaleState] | None = None

    def start(self) -> None:
        self._shown = None
        self._start_port(self.scale.start)

    def stop(self) -> None:
        self._stop_port(self.scale.stop)

    def _arrived(self, value: object) -> None:
        assert isinstance(value, WeightReading)
        key = (value.grams, value.state)
        if key == self._shown:
            return
        self._shown = key
        self.latest = value
        self.reading.emit(value)
