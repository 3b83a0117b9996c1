"""Station sounds: a short beep when a scan is accepted, a prompt when a second scan must
follow, and a loud pattern when something is refused: each family of refusal (unknown
barcode, wrong item, too many, serial or lot problem, expired lot, weight, an order that
cannot be started) has its own (``REFUSAL_SOUNDS``, ``refusal_sound``); any other refusal
is the plain ``refuse`` buzz.

The WAV files live in ``resources/sounds`` (``make_sounds.py`` makes them) and are played
with ``QtMultimedia.QSoundEffect``. Where QtMultimedia cannot load, or the PC has no audio
output, the player falls back to silence, and to ``QApplication.beep()`` for refusals, so
a missing sound card never stops a station. ``enabled=False`` (the ``ui.sounds`` setting)
is silence.

Threading: create and ``play`` on the GUI thread only.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import logging
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

from fulfilstation.services.packing import Refusal

log = logging.getLogger(__name__)

REFUSAL_FAMILIES: dict[str, tuple[Refusal, ...]] = {
    "refuse-unknown": (Refusal.UNKNOWN_BARCODE, Refusal.ORDER_NOT_FOUND),
    "refuse-wrong-item": (Refusal.NOT_ON_ORDER, Refusal.KIT_BARCODE),
    "refuse-too-many": (Refusal.OVER_QUANTITY,),
    "refuse-serial": (Refusal.SERIAL_ALREADY_SHIPPED, Refusal.SERIAL_REPEATED, Refusal.SERIAL_REQUIRED,
                      Refusal.LOT_REQUIRED, Refusal.SERIAL_NOT_RECEIVED),
    "refuse-expired": (Refusal.EXPIRED_LOT, Refusal.LOT_NOT_IN_STOCK),
    "refuse-weight": (Refusal.WEIGHT_OVER, Refusal.WEIGHT_UNDER, Refusal.WEIGHT_UNSTABLE),
    "refuse-order": (Refusal.ANOTHER_ORDER, Refusal.ORDER_ON_HOLD, Refusal.ORDER_NOT_READY, Refusal.ORDER_BEING_PACKED,
                     Refusal.ORDER_SHIPPED, Refusal.ORDER_CANCELLED, Refusal.CUSTOMS_INCOMPLETE),
}
REFUSAL_SOUNDS: dict[Refusal, str] = {code: name for name, codes in REFUSAL_FAMILIES.items() for code in codes}
SOUNDS = ("accept", "prompt", "refuse", *REFUSAL_FAMILIES)
BEEP_FALLBACK = {name for name in SOUNDS if name.startswith("refuse")}


def refusal_sound(code: Refusal | None) -> str:
    """The sound of a refusal with ``code``: its family's, else the plain ``refuse``."""
    return REFUSAL_SOUNDS.get(code, "refuse") if code is not None else "refuse"


class SoundPlayer(QObject):
    def __init__(self, enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.played: list[str] = []  # what was asked for, in order (diagnostics and tests)
        self._files = contextlib.ExitStack()  # keeps extracted files (zipped installs) while running
        self._effects: dict[str, Any] = self._load() if enabled else {}
        self.audio = bool(self._effects)

    def play(self, name: str) -> None:
        """Play one of ``SOUNDS`` (nothing when disabled)."""
        if name not in SOUNDS:
            raise ValueError(f"unknown sound {name!r}")
        if not self.enabled:
            return
        self.played.append(name)
        effect = self._effects.get(name)
        if effect is not None:
            effect.play()
        elif name in BEEP_FALLBACK:
            QApplication.beep()

    def _load(self) -> dict[str, Any]:
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:  # a Qt build without multimedia: stay silent
            log.info("no sounds: QtMultimedia is not available (%s)", exc)
            return {}
        if not QMediaDevices.audioOutputs():
            log.info("no sounds: this PC has no audio output")
            return {}
        effects: dict[str, Any] = {}
        folder = importlib.resources.files("resources").joinpath("sounds")
        for name in SOUNDS:
            try:
                path = self._files.enter_context(importlib.resources.as_file(folder.joinpath(f"{name}.wav")))
            except OSError as exc:
                log.warning("sound %s is missing: %s", name, exc)
                continue
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(1.0 if name in BEEP_FALLBACK else 0.8)
            effects[name] = effect
        return effects
