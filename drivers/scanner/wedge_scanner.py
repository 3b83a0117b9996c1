"""The ``wedge:`` scanner: a Scanner port fed by the UI's key events.

There is no device to open: a keyboard-wedge scanner is a keyboard. The UI's key
event filter calls :meth:`WedgeScanner.feed` for every key press (and
:meth:`WedgeScanner.poll` when its timer for :meth:`WedgeScanner.deadline` fires),
swallows the event, and delivers the returned :class:`~drivers.scanner.wedge.Typing`
keys to the focused widget. Scans go to the ``on_scan`` callback given to ``start``.

Threading: unlike the other scanners there is no worker thread; ``on_scan`` is called on
the thread that calls ``feed``/``poll`` (the GUI thread). Not thread-safe.

URI parameters (all optional): ``gap_ms`` (50), ``min_length`` (4), ``terminator``
(``enter``, ``tab`` or ``both``), ``prefix``, ``suffix``, ``require_prefix`` (0/1),
``gs`` (the substitute typed for the GS1 separator), ``aim`` (0/1, detect AIM ids).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from drivers.scanner.wedge import (
    ENTER,
    TAB,
    Typing,
    WedgeBurstDetector,
    WedgeConfig,
    WedgeEvent,
)
from fulfilstation.ports import DeviceUriError, ScanValue

_TERMINATORS = {
    "enter": frozenset({ENTER}),
    "tab": frozenset({TAB}),
    "both": frozenset({ENTER, TAB}),
}
_KNOWN = {"gap_ms", "min_length", "terminator", "prefix", "suffix", "require_prefix"}
_KNOWN |= {"gs", "aim"}


def _flag(name: str, value: str) -> bool:
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise DeviceUriError(f"wedge parameter {name}={value!r} must be 0 or 1")


def _number(name: str, value: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not low <= number <= high:
        raise DeviceUriError(f"wedge parameter {name}={value!r} must be {low}..{high}")
    return number


def wedge_config_from_params(params: Mapping[str, str]) -> WedgeConfig:
    """Build a :class:`WedgeConfig` from URI parameters; unknown ones raise
    DeviceUriError naming them."""
    unknown = sorted(set(params) - _KNOWN)
    if unknown:
        raise DeviceUriError(f"unknown wedge: parameter(s): {', '.join(unknown)}")
    terminator = params.get("terminator", "enter").lower()
    if terminator not in _TERMINATORS:
        raise DeviceUriError(
            f"wedge parameter terminator={terminator!r}: enter/tab/both"
        )
    return WedgeConfig(
        max_gap=_number("gap_ms", params.get("gap_ms", "50"), 1, 1000) / 1000,
        min_length=int(_number("min_length", params.get("min_length", "4"), 1, 1000)),
        terminators=_TERMINATORS[terminator],
        prefix=params.get("prefix", ""),
        suffix=params.get("suffix", ""),
        require_prefix=_flag("require_prefix", params.get("require_prefix", "0")),
        gs_substitute=params.get("gs") or None,
        detect_aim=_flag("aim", params.get("aim", "1")),
    )


class WedgeScanner:
    """Scanner port for ``wedge:``; the module docstring gives the feeding contract."""

    def __init__(self, uri: str = "wedge:", config: WedgeConfig | None = None) -> None:
        self.uri = uri
        self.detector = WedgeBurstDetector(config)
        self._on_scan: Callable[[ScanValue], None] | None = None

    def start(self, on_scan: Callable[[ScanValue], None]) -> None:
        """Remember ``on_scan``; scans found by ``feed``/``poll`` are passed to it."""
        self._on_scan = on_scan

    def stop(self) -> None:
        """Forget the callback (idempotent); held keys stay until flushed."""
        self._on_scan = None

    def feed(self, key: str, timestamp: float, token: object = None) -> list[Typing]:
        """Feed one key press; returns the keys to deliver to the focused widget."""
        return self._dispatch(self.detector.feed(key, timestamp, token))

    def poll(self, now: float) -> list[Typing]:
        """Call when the timer for :meth:`deadline` fires."""
        return self._dispatch(self.detector.poll(now))

    def flush(self) -> list[Typing]:
        """Release held keys as typing (focus change)."""
        return self._dispatch(self.detector.flush())

    def deadline(self) -> float | None:
        return self.detector.deadline()

    def _dispatch(self, events: list[WedgeEvent]) -> list[Typing]:
        typing: list[Typing] = []
        for event in events:
            if isinstance(event, Typing):
                typing.append(event)
            elif self._on_scan is not None:
                self._on_scan(event)
        return typing
