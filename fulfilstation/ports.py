"""Ports: the protocols the core expects from devices and the outside world.

Drivers in ``drivers/`` implement these and import nothing else of ours. Services in
``fulfilstation/`` depend only on these protocols, never on a concrete driver, so tests
and the demo mode can hand them simulators (the composition root is ``main.bootstrap``).

Threading rules, common to every device port:

* ``start(callback)`` starts a worker thread owned by the driver. The callback is called
  **on that worker thread**; a Qt adapter must marshal it to the GUI thread itself.
* ``stop()`` is idempotent, thread-safe, and returns after the worker has ended.
* Blocking calls (``LabelPrinter.send``, ``LabelPrinter.status``, ``DocumentPrinter.print_pdf``)
  must never be made from the GUI thread.

Every device error carries a plain-language ``user_message`` that a packer can act on.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

# --------------------------------------------------------------------------- errors


class DeviceError(Exception):
    """Base of every device failure. ``user_message`` is shown to the packer as is."""

    def __init__(self, message: str, *, user_message: str | None = None) -> None:
        super().__init__(message)
        self.user_message = user_message or message


class DeviceUriError(DeviceError, ValueError):
    """A device URI that cannot be understood (unknown scheme, unknown or bad parameter)."""


class DeviceNotFound(DeviceError):
    """The device is not attached, the port does not exist, or the host does not answer."""


class DeviceTimeout(DeviceError):
    """The device did not answer within the allowed time."""


class DeviceFault(DeviceError):
    """The device answered but reports a fault (paper out, head open, scale error...)."""


class DeviceBusy(DeviceError):
    """The device is held by another program or another job."""


# --------------------------------------------------------------------------- scale


class ScaleState(enum.StrEnum):
    STABLE = "stable"
    MOTION = "motion"
    ZERO = "zero"
    UNDER_ZERO = "under-zero"
    OVER_CAPACITY = "over-capacity"
    FAULT = "fault"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True, slots=True)
class WeightReading:
    """One reading from a scale.

    Invariant: ``grams`` is None whenever the scale did not report a weight (fault,
    disconnected, over capacity, under zero, or a status-only reply). A reading is only
    *usable* for shipping when it is stable (or stable at zero) and carries grams.
    """

    grams: int | None
    state: ScaleState
    raw: bytes = b""
    monotonic: float = 0.0

    @property
    def usable(self) -> bool:
        return self.grams is not None and self.state in (ScaleState.STABLE, ScaleState.ZERO)


@runtime_checkable
class Scale(Protocol):
    uri: str

    def start(self, on_reading: Callable[[WeightReading], None]) -> None:
        """Start reading on a worker thread; ``on_reading`` is called on that thread."""

    def stop(self) -> None: ...

    def latest(self) -> WeightReading:
        """The last reading (``DISCONNECTED`` before the first one). Thread-safe."""

    def zero(self) -> None:
        """Ask the scale to zero itself. Raises DeviceError if it cannot."""


# --------------------------------------------------------------------------- scanner


@dataclass(frozen=True, slots=True)
class ScanValue:
    """One scan as the scanner delivered it.

    ``text`` is the decoded data with GS1 group separators as ``\\x1d``; ``symbology`` is the
    AIM identifier (``]C1``, ``]E0`` ...) when the scanner sent one, else None; ``raw`` is
    the bytes as received, for diagnostics.
    """

    text: str
    symbology: str | None = None
    raw: bytes = b""


@runtime_checkable
class Scanner(Protocol):
    uri: str

    def start(self, on_scan: Callable[[ScanValue], None]) -> None:
        """Start listening on a worker thread; ``on_scan`` is called on that thread."""

    def stop(self) -> None: ...


class WedgeKey(Protocol):
    """One key press held by a keyboard wedge: the key (one character, or a name such as
    ``"Enter"``/``"Backspace"``), when it was pressed (seconds), and the caller's token."""

    @property
    def key(self) -> str: ...

    @property
    def timestamp(self) -> float: ...

    @property
    def token(self) -> object: ...


class WedgeTyping(Protocol):
    """Keys that turned out not to be a scan, in the order fed: for the focused widget."""

    @property
    def keys(self) -> Sequence[WedgeKey]: ...

    @property
    def text(self) -> str: ...


@runtime_checkable
class KeyboardWedge(Protocol):
    """A scanner fed by the window's key events (the ``wedge:`` scanner).

    The UI feeds every key press with ``feed`` (``token`` comes back with the key when it
    is typing, not a scan), calls ``poll`` when its timer for ``deadline()`` fires, and
    ``flush`` to release every held key at once. The returned typing goes to the focused
    widget; scans go to the callback given to ``Scanner.start``, on the feeding thread.
    Not thread-safe: the GUI thread only. Timestamps are seconds on one monotonic clock.
    """

    def feed(self, key: str, timestamp: float, token: object = None) -> Sequence[WedgeTyping]: ...

    def poll(self, now: float) -> Sequence[WedgeTyping]: ...

    def flush(self) -> Sequence[WedgeTyping]: ...

    def deadline(self) -> float | None: ...


# --------------------------------------------------------------------------- printers


class PrinterCondition(enum.StrEnum):
    PAPER_OUT = "paper out"
    RIBBON_OUT = "ribbon out"
    HEAD_OPEN = "head open"
    PAUSED = "paused"
    BUFFER_FULL = "buffer full"
    NO_ANSWER = "no answer"


_CONDITION_ADVICE = {
    PrinterCondition.PAPER_OUT: "The label printer is out of labels: load a new roll and close the lid.",
    PrinterCondition.RIBBON_OUT: "The label printer is out of ribbon: fit a new ribbon.",
    PrinterCondition.HEAD_OPEN: "The label printer's lid is open: close it firmly.",
    PrinterCondition.PAUSED: "The label printer is paused: press its pause button to resume.",
    PrinterCondition.BUFFER_FULL: "The label printer is busy with earlier labels: wait a moment and try again.",
    PrinterCondition.NO_ANSWER: (
        "The label printer does not answer: check that it is switched on and its cable is plugged in."
    ),
}


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """The state of a label printer. ``two_way`` is False for transports that cannot ask
    (a device file, a spooler queue): then ``conditions`` is empty and readiness unknown."""

    conditions: frozenset[PrinterCondition] = field(default_factory=frozenset)
    two_way: bool = True
    raw: bytes = b""

    @property
    def ready(self) -> bool:
        return not self.conditions

    @property
    def words(self) -> str:
        """A short state in words: ``ready``, ``paper out``, ``head open, paused`` ..."""
        if not self.conditions:
            return "ready" if self.two_way else "ready (status not reported)"
        return ", ".join(c.value for c in PrinterCondition if c in self.conditions)

    @property
    def advice(self) -> str:
        """What the packer should do, in plain words (empty when ready)."""
        return " ".join(_CONDITION_ADVICE[c] for c in PrinterCondition if c in self.conditions)


@runtime_checkable
class LabelPrinter(Protocol):
    uri: str

    def status(self) -> PrinterStatus:
        """Ask the printer for its state. Never raises for a silent printer: that is
        ``NO_ANSWER``. Blocking: never call on the GUI thread."""

    def send(self, data: bytes, job_name: str = "label") -> None:
        """Send raw printer language bytes (ZPL). Raises DeviceError on failure. Blocking."""


@runtime_checkable
class DocumentPrinter(Protocol):
    uri: str

    def print_pdf(self, pdf: bytes, job_name: str = "document") -> None:
        """Print (or store) a PDF document. Raises DeviceError on failure. Blocking."""


# --------------------------------------------------------------------------- simulators


@runtime_checkable
class SimulatedScaleControls(Protocol):
    """What a simulated scale (``sim:``) lets a demo or a technician change. Thread-safe."""

    def set_weight(self, grams: int, stable: bool = True) -> None:
        """Show ``grams`` (stable, or in motion)."""


@runtime_checkable
class RecordingPrinter(Protocol):
    """A simulated printer that keeps what it was sent (``sim:``). Thread-safe."""

    @property
    def jobs(self) -> list[bytes]:
        """Every job received so far, in order (a copy)."""


# --------------------------------------------------------------------------- toolkit


@dataclass(frozen=True, slots=True)
class DiscoveredDevice:
    """A device found on this PC, with the URI that would use it."""

    kind: str  # "scale", "scanner", "label_printer", "document_printer" or "serial-port"
    uri: str
    description: str


class DeviceToolkit(Protocol):
    """Everything the core, the CLI and the UI may do with device drivers, without
    importing them: ``main.py`` builds the implementation (``drivers.toolkit``) and hands
    it over. Every method may block (discovery, opening ports): not on the GUI thread."""

    def discover(self) -> list[DiscoveredDevice]: ...

    def open_scale(self, uri: str) -> Scale: ...

    def open_scanner(self, uri: str) -> Scanner: ...

    def open_label_printer(self, uri: str) -> LabelPrinter: ...

    def open_document_printer(self, uri: str) -> DocumentPrinter: ...

    def parse_weight(self, text: str) -> int:
        """:func:`fulfilstation.domain.units.parse_weight`: ``"1.25lb"`` → grams, else ValueError."""

    def run_scale_simulator(self, protocol: str, weight_grams: int, out: Callable[[str], None]) -> None:
        """Serve a simulated serial scale on a pseudo-terminal until interrupted."""

    def run_printer_simulator(self, listen: str, out_dir: str, state: str, out: Callable[[str], None]) -> None:
        """Serve a simulated ZPL printer on TCP until interrupted."""


# --------------------------------------------------------------------------- clock


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware (UTC)."""


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


# --------------------------------------------------------------------------- station printers and files


class StationPrinters(Protocol):
    """The printers a station prints on, asked for by use cases at the moment they print.

    ``configured`` is the address recorded for the station in the database (the window
    keeps it in step with its settings file); an implementation may prefer what it knows
    better (the window: its open devices; the command line: ``--label-printer`` or this
    PC's settings file). None: no printer. May raise DeviceError for an unusable address.
    """

    def label_printer(self, station: str, configured: str | None) -> LabelPrinter | None: ...

    def document_printer(self, station: str, configured: str | None) -> DocumentPrinter | None: ...


class FileOpener(Protocol):
    """Shows a saved document to the person at this PC (the system's PDF viewer)."""

    def open(self, path: str) -> None:
        """Open ``path``; raises OSError when it cannot."""
