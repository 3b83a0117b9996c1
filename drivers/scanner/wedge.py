"""Keyboard-wedge scan detection, without Qt.

A wedge scanner "types" its data as key presses, much faster than a person, and ends
with Enter (sometimes Tab). :class:`WedgeBurstDetector` tells the two apart:

* Every fed key is **held** until it is known whether it belongs to a scan.
* A burst is a run of keys whose gaps are all ``<= max_gap`` seconds. When a burst of
  at least ``min_length`` data keys ends with a terminator, it is a scan: ``feed``
  returns a :class:`~fulfilstation.ports.ScanValue` and the keys are consumed.
* Otherwise the held keys come back, in order, as a :class:`Typing` event, for the UI to
  deliver to the focused widget: when a gap breaks the burst (seen by the next ``feed``
  or by ``poll(now)``), on a short burst ending in Enter, or on a control key.

Typed keys are delayed by at most ``max_gap``: the UI arms a timer for ``deadline()``
and calls ``poll``. Threading: the detector is pure state fed on the GUI thread; it is
not thread-safe and never blocks. Timestamps are seconds from one monotonic clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fulfilstation.domain.aim import split_aim
from fulfilstation.ports import ScanValue

ENTER = "\r"
TAB = "\t"
GS = "\x1d"

_KEY_NAMES = {"\n": ENTER, "enter": ENTER, "return": ENTER, "tab": TAB}


def normalise_key(key: str) -> str:
    """Enter/Return/LF become ``ENTER``, Tab becomes ``TAB``; other keys are kept."""
    if len(key) == 1:
        return _KEY_NAMES.get(key, key)
    return _KEY_NAMES.get(key.lower(), key)


@dataclass(frozen=True, slots=True)
class WedgeConfig:
    """How the wedge scanner is set up. ``terminators`` holds ``ENTER`` and/or ``TAB``.

    ``prefix``/``suffix`` are stripped when present (``require_prefix``: a burst without
    the prefix is typing); every ``gs_substitute`` in the data becomes ``\\x1d``; with
    ``detect_aim`` a leading ``]Cm`` becomes ``ScanValue.symbology``. A scan's ``raw``
    is every key of the burst as typed, terminator included, in UTF-8.
    """

    max_gap: float = 0.050
    min_length: int = 4
    terminators: frozenset[str] = frozenset({ENTER})
    prefix: str = ""
    suffix: str = ""
    require_prefix: bool = False
    gs_substitute: str | None = None
    detect_aim: bool = True
    max_length: int = 4096


@dataclass(frozen=True, slots=True)
class HeldKey:
    """One key press as fed; ``token`` is the caller's (e.g. a copy of the Qt event)."""

    key: str
    timestamp: float
    token: object = None


@dataclass(frozen=True, slots=True)
class Typing:
    """Keys that were not a scan, in the order fed: for the focused widget."""

    keys: tuple[HeldKey, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        """The keys as text (Enter as ``\\r``, Tab as ``\\t``; named keys omitted)."""
        return "".join(k.key for k in self.keys if len(k.key) == 1)


WedgeEvent = ScanValue | Typing


class WedgeBurstDetector:
    """Splits a key stream into scans and typing. See the module docstring for rules."""

    def __init__(self, config: WedgeConfig | None = None) -> None:
        self.config = config or WedgeConfig()
        self._held: list[HeldKey] = []

    @property
    def pending(self) -> int:
        """How many keys are held, waiting to be classified."""
        return len(self._held)

    def deadline(self) -> float | None:
        """When held keys turn into typing if nothing else arrives (None: none held)."""
        if not self._held:
            return None
        return self._held[-1].timestamp + self.config.max_gap

    def feed(
        self, key: str, timestamp: float, token: object = None
    ) -> list[WedgeEvent]:
        """Feed one key press. Empty ``key`` (a bare modifier such as Shift) is ignored.

        One character is text; ``"Enter"``/``"Tab"`` (or ``\\r``, ``\\n``, ``\\t``) are
        terminators when configured; any other name (``"Backspace"``) is a control key
        that ends the burst and comes back as typing. Never raises.
        """
        if not key:
            return []
        events: list[WedgeEvent] = []
        if self._held and timestamp - self._held[-1].timestamp > self.config.max_gap:
            events.extend(self._release())
        held = HeldKey(normalise_key(key), timestamp, token)
        self._held.append(held)
        if held.key in self.config.terminators:
            events.extend(self._finish())
        elif len(held.key) > 1 or len(self._held) > self.config.max_length:
            events.extend(self._release())
        return events

    def poll(self, now: float) -> list[WedgeEvent]:
        """Release held keys as typing once ``now`` is past :meth:`deadline`."""
        deadline = self.deadline()
        if deadline is not None and now > deadline:
            return self._release()
        return []

    def flush(self) -> list[WedgeEvent]:
        """Release every held key as typing now (focus change, window closing)."""
        return self._release()

    def _release(self) -> list[WedgeEvent]:
        if not self._held:
            return []
        keys, self._held = tuple(self._held), []
        return [Typing(keys)]

    def _finish(self) -> list[WedgeEvent]:
        value = self._decode(self._held)
        if value is None:
            return self._release()
        self._held = []
        return [value]

    def _decode(self, keys: list[HeldKey]) -> ScanValue | None:
        """The scan in a terminated burst, or None when it is not one."""
        cfg = self.config
        data = "".join(k.key for k in keys[:-1])
        if len(keys) - 1 < cfg.min_length:
            return None
        text = data
        if cfg.prefix and text.startswith(cfg.prefix):
            text = text[len(cfg.prefix) :]
        elif cfg.require_prefix:
            return None
        symbology = None
        if cfg.detect_aim:
            symbology, text = split_aim(text)
        if cfg.suffix and text.endswith(cfg.suffix):
            text = text[: -len(cfg.suffix)]
        if cfg.gs_substitute:
            text = text.replace(cfg.gs_substitute, GS)
        if not text:
            return None
        raw = (data + keys[-1].key).encode("utf-8", "surrogatepass")
        return ScanValue(text=text, symbology=symbology, raw=raw)
