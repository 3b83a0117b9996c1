"""What the composition root hands the user interface: plain data and service facades.

The Qt layer receives one ``AppContext``. It holds no session and no driver objects the
UI could misuse: services are called through ``StationServices`` (which return frozen
dataclasses) and devices only through the ``fulfilstation.ports`` protocols. ``manifests``
(the managers' end-of-day Manifests view) is built by the composition root too: the UI
cannot build a facade from a database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fulfilstation.devices import Devices
from fulfilstation.ports import DeviceToolkit
from fulfilstation.services.manifests.service import ManifestServices
from fulfilstation.services.packing.station_facade_old import StationServices
from fulfilstation.services.stations.registry import StationInfo
from fulfilstation.settings import StationSettings

__all__ = ["AppContext", "StationServices"]


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
    manifests: ManifestServices | None = None
