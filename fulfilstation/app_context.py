"""What the composition root hands the user interface: plain data and service facades.

The Qt layer receives one ``AppContext``. It holds no session and no driver objects the
UI could misuse: services are called through ``StationServices`` (which return frozen
dataclasses) and devices only through the ``fulfilstation.ports`` protocols.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from fulfilstation.db.database import Database
from fulfilstation.devices import Devices
from fulfilstation.ports import DeviceToolkit
from fulfilstation.services.queue import QueueSnapshot, packing_queue
from fulfilstation.services.stations import StationInfo, register_station
from fulfilstation.settings import DeviceSettings, StationSettings, save_settings


class StationServices:
    """The use cases a station window may call. Every method blocks on the database:
    call it from a worker thread, never the GUI thread. Thread-safe."""

    def __init__(self, database: Database, settings_path: Path) -> None:
        self._database = database
        self._settings_path = settings_path

    def packing_queue(self) -> QueueSnapshot:
        return packing_queue(self._database)

    def save_devices(self, station: StationSettings, devices: DeviceSettings) -> StationSettings:
        """Store this station's device URIs in its settings file and in the database."""
        updated = replace(station, devices=devices)
        save_settings(updated, self._settings_path)
        register_station(self._database, updated.station_name, scanner=devices.scanner, scale=devices.scale,
                         label_printer=devices.label_printer, document_printer=devices.document_printer or None)
        return updated


@dataclass(frozen=True)
class AppContext:
    station: StationInfo
    settings: StationSettings
    services: StationServices
    database_label: str
    schema_revision: str | None
    devices: Devices = field(default_factory=Devices)
    toolkit: DeviceToolkit | None = None
    notices: tuple[str, ...] = ()
    shutdown: Callable[[], None] = lambda: None
