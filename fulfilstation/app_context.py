"""What the composition root hands the user interface: plain data and service facades.

The Qt layer receives one ``AppContext``. It holds no session and no driver objects the
UI could misuse: services are called through ``StationServices`` (which return frozen
dataclasses) and devices only through the ``fulfilstation.ports`` protocols.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fulfilstation.db.database import Database
from fulfilstation.ports import DocumentPrinter, LabelPrinter, Scale, Scanner
from fulfilstation.services.queue import QueueSnapshot, packing_queue
from fulfilstation.services.stations import StationInfo
from fulfilstation.settings import StationSettings


class StationServices:
    """The use cases a station window may call. Every method blocks on the database:
    call it from a worker thread, never the GUI thread. Thread-safe."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def packing_queue(self) -> QueueSnapshot:
        return packing_queue(self._database)


@dataclass(frozen=True)
class Devices:
    scanner: Scanner | None = None
    scale: Scale | None = None
    label_printer: LabelPrinter | None = None
    document_printer: DocumentPrinter | None = None


@dataclass(frozen=True)
class AppContext:
    station: StationInfo
    settings: StationSettings
    services: StationServices
    database_label: str
    schema_revision: str | None
    devices: Devices = field(default_factory=Devices)
    notices: tuple[str, ...] = ()
    shutdown: Callable[[], None] = lambda: None
