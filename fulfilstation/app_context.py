"""What the composition root hands the user interface: ``AppServices`` and plain data.

The Qt layer receives one ``AppContext``. It holds no session and no driver objects the UI
could misuse: use cases are called through ``app`` (``AppServices``, which return frozen
dataclasses) and devices only through the ``fulfilstation.ports`` protocols. ``printers``
is the port the use cases print through: the window hands it its devices again
(``printers.use``) whenever the device settings change. ``listener`` (not yet started)
hears what other stations change; the window starts it. ``health`` (not yet started) says
when the database goes away and comes back; the window starts it (``ui.db_health``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fulfilstation.changes import ChangeListener
from fulfilstation.devices import Devices
from fulfilstation.health import DatabaseHealth
from fulfilstation.ports import DeviceToolkit
from fulfilstation.services.app import AppServices
from fulfilstation.services.stations import StationInfo
from fulfilstation.settings import StationSettings
from fulfilstation.station_printers import DevicePrinters

__all__ = ["AppContext"]


@dataclass(frozen=True)
class AppContext:
    app: AppServices
    station: StationInfo
    settings: StationSettings
    database_label: str
    schema_revision: str | None
    printers: DevicePrinters
    devices: Devices = field(default_factory=Devices)
    toolkit: DeviceToolkit | None = None
    notices: tuple[str, ...] = ()
    shutdown: Callable[[], None] = lambda: None
    listener: ChangeListener | None = None
    health: DatabaseHealth | None = None
