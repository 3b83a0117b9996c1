"""Per-station settings: a versioned TOML file in the platform config directory.

The file holds what belongs to *this PC* (its station name, database URL, device URIs,
screen preferences). Site-wide settings live in the database. Secrets never live here:
a database URL is stored without its password (see ``credentials``).

Versioning: ``version`` at the top of the file. Older files are upgraded one step at a
time by the functions in ``UPGRADES`` (``n -> n+1``) and written back; a file from a newer
FulfilStation is read as far as possible but never overwritten.
"""

from __future__ import annotations

import os
import socket
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from fulfilstation import paths

CURRENT_VERSION = 1

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]
UPGRADES: dict[int, Upgrade] = {}
"""``UPGRADES[n]`` turns a version-``n`` document into version ``n + 1``."""


class SettingsError(ValueError):
    """The settings file cannot be used; the message says which file and what to fix."""


@dataclass(frozen=True)
class DeviceSettings:
    scanner: str = "wedge:"
    scale: str = "sim:"
    label_printer: str = "sim:"
    document_printer: str = ""


@dataclass(frozen=True)
class UiSettings:
    fullscreen: bool = False
    sounds: bool = True
    font_scale: float = 1.0


@dataclass(frozen=True)
class StationSettings:
    station_name: str = field(default_factory=lambda: default_station_name())
    database_url: str = ""  # empty = the embedded SQLite file in the data directory
    devices: DeviceSettings = field(default_factory=DeviceSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    version: int = CURRENT_VERSION

    def with_devices(self, **changes: str) -> StationSettings:
        return replace(self, devices=replace(self.devices, **changes))


def default_station_name() -> str:
    host = socket.gethostname().split(".")[0] or "station"
    return host.upper()[:64]


@dataclass(frozen=True)
class LoadedSettings:
    settings: StationSettings
    path: Path
    created: bool = False
    upgraded_from: int | None = None
    read_only: bool = False  # written by a newer version: never overwrite
    warnings: tuple[str, ...] = ()


def load_settings(path: Path | None = None, *, create: bool = True) -> LoadedSettings:
    """Read (creating with defaults if missing, upgrading if old) the settings file. With
    ``create=False`` (the CLI: a read-only command writes nothing) a missing file gives the
    defaults without writing them; a command that saves settings writes the file then."""
    path = path or paths.settings_file()
    if not path.exists():
        settings = StationSettings()
        if create:
            save_settings(settings, path)
        return LoadedSettings(settings, path, created=create)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"The station settings file {path} is damaged ({exc}). "
                            "Fix it in a text editor, or delete it to start again with defaults.") from exc
    version = _version_of(document, path)
    if version > CURRENT_VERSION:
        warning = (f"{path} was written by a newer FulfilStation (settings version {version}); "
                   "it is used as far as this version understands it and is not changed.")
        return LoadedSettings(_from_document(document, path), path, read_only=True, warnings=(warning,))
    upgraded_from = None
    if version < CURRENT_VERSION:
        document, upgraded_from = upgrade_document(document, version), version
    settings = _from_document(document, path)
    if upgraded_from is not None:
        save_settings(settings, path)
    return LoadedSettings(settings, path, upgraded_from=upgraded_from)


def upgrade_document(document: dict[str, Any], version: int) -> dict[str, Any]:
    while version < CURRENT_VERSION:
        step = UPGRADES.get(version)
        if step is None:
            raise SettingsError(f"No upgrade from settings version {version}; delete the file to start again.")
        document = step(dict(document))
        version += 1
        document["version"] = version
    return document


def save_settings(settings: StationSettings, path: Path | None = None) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a file."""
    path = path or paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# FulfilStation station settings. Secrets are kept in the OS keyring, not here.\n"
    text += tomli_w.dumps(_to_document(settings))
    fd, tmp = tempfile.mkstemp(prefix=".station-", suffix=".toml", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _version_of(document: dict[str, Any], path: Path) -> int:
    version = document.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise SettingsError(f"{path}: 'version' must be a whole number of 1 or more, not {version!r}.")
    return version


def _to_document(settings: StationSettings) -> dict[str, Any]:
    return {
        "version": settings.version,
        "station": {"name": settings.station_name},
        "database": {"url": settings.database_url},
        "devices": asdict(settings.devices),
        "ui": asdict(settings.ui),
    }


def _from_document(document: dict[str, Any], path: Path) -> StationSettings:
    station = _table(document, "station", path)
    database = _table(document, "database", path)
    defaults = StationSettings()
    return StationSettings(
        station_name=_typed(station, "name", str, defaults.station_name, path),
        database_url=_typed(database, "url", str, "", path),
        devices=_dataclass_from(DeviceSettings, _table(document, "devices", path), path),
        ui=_dataclass_from(UiSettings, _table(document, "ui", path), path),
        version=CURRENT_VERSION if _version_of(document, path) <= CURRENT_VERSION else document["version"],
    )


def _table(document: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = document.get(key, {})
    if not isinstance(value, dict):
        raise SettingsError(f"{path}: [{key}] must be a table.")
    return value


def _typed(table: dict[str, Any], key: str, kind: type, default: Any, path: Path) -> Any:
    value = table.get(key, default)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise SettingsError(f"{path}: '{key}' should be a {kind.__name__}, not {value!r}.")
    return value


def _dataclass_from(cls: Any, table: dict[str, Any], path: Path) -> Any:
    defaults = cls()
    values = {name: _typed(table, name, type(getattr(defaults, name)), getattr(defaults, name), path)
              for name in defaults.__dataclass_fields__}
    return cls(**values)
