"""``StationsService``: the stations of the site and a station's device settings.

``register`` (at start-up: this PC announces itself and its devices) and ``ensure`` (a
station named for the first time, e.g. ``pack --station``) are the system's bookkeeping,
not a person's change. ``save_devices`` is a person's: a manager or owner chooses this
station's scanner, scale and printers; they are written to this PC's settings file and to
the station's row, and audited.

Threading: blocking (database, settings file); call from worker threads.
"""

from __future__ import annotations

from dataclasses import replace

from fulfilstation.domain.roles import Permission
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.refused import Refused
from fulfilstation.services.stations.registry import StationInfo, ensure_station, register_station, station_info
from fulfilstation.settings import DeviceSettings, StationSettings, save_settings


class StationsService(AreaService):
    def register(self, name: str, devices: DeviceSettings) -> StationInfo:
        """Create the station on first use, else record its devices and last-seen time."""
        return register_station(self.database, name, scanner=devices.scanner, scale=devices.scale,
                                label_printer=devices.label_printer,
                                document_printer=devices.document_printer or None)

    def ensure(self, name: str) -> StationInfo:
        """The station called ``name``, registered without devices if never seen before."""
        if not name.strip():
            raise Refused("no-station", "A station needs a name (station.toml's [station] name, or --station).")
        return ensure_station(self.database, name.strip())

    def info(self, station_id: int) -> StationInfo | None:
        return station_info(self.database, station_id)

    @use_case(Permission.DEVICE_SETTINGS, "change a station's devices")
    def save_devices(self, actor: Actor, station: StationSettings, devices: DeviceSettings) -> StationSettings:
        """Store this station's device URIs in its settings file and in the database (audited)."""
        ports = self._context.ports
        if ports.settings_file is None:
            raise Refused("no-settings-file", "This program has no station settings file to save devices in.")
        if ports.settings_read_only:
            raise Refused("settings-read-only", f"{ports.settings_file} was written by a newer FulfilStation and is "
                          "not changed by this version. Update this station first.")
        updated = replace(station, devices=devices)
        save_settings(updated, ports.settings_file)
        info = self.register(updated.station_name, devices)
        with self.database.unit_of_work() as session:
            audit.record(session, actor, "station.devices_changed", "station", info.id,
                         {"station": info.name, "scanner": devices.scanner, "scale": devices.scale,
                          "label_printer": devices.label_printer, "document_printer": devices.document_printer})
        return updated
