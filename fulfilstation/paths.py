"""Where FulfilStation keeps its files on this PC.

``FULFIL_CONFIG_DIR``, ``FULFIL_DATA_DIR`` and ``FULFIL_DOCUMENTS_DIR`` override the
platform directories (tests, portable installs); otherwise platformdirs decides
(``~/.config/FulfilStation`` and ``~/.local/share/FulfilStation`` on Linux,
``%LOCALAPPDATA%\\FulfilStation`` on Windows; documents in the user's Documents folder,
``FulfilStation`` inside it). Nothing is written to a shared temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "FulfilStation"


def config_dir() -> Path:
    override = os.environ.get("FULFIL_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    override = os.environ.get("FULFIL_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def settings_file() -> Path:
    return config_dir() / "station.toml"


def default_sqlite_path() -> Path:
    return data_dir() / "fulfilstation.sqlite3"


def backups_dir() -> Path:
    return data_dir() / "backups"


def documents_dir() -> Path:
    """The person's own documents (packing slips saved without a document printer, one
    folder per station: ``station_documents_dir``), where they look for them."""
    override = os.environ.get("FULFIL_DOCUMENTS_DIR")
    return Path(override) if override else Path(platformdirs.user_documents_dir()) / APP_NAME


def station_documents_dir(root: Path, station: str) -> Path:
    """The folder of ``station``'s documents inside ``root`` (its name made safe for a path)."""
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in station).strip("-.") or "station"
    return root / safe


def manifests_dir() -> Path:
    """Manifest PDFs written for the viewer (this user's data folder, never a shared one)."""
    return data_dir() / "manifests"


def journal_dir() -> Path:
    """Where a station journals labels printed while the database was away (replayed later)."""
    return data_dir() / "journal"
