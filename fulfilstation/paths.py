"""Where FulfilStation keeps its files on this PC.

``FULFIL_CONFIG_DIR`` and ``FULFIL_DATA_DIR`` override the platform directories (tests,
portable installs); otherwise platformdirs decides (``~/.config/FulfilStation`` and
``~/.local/share/FulfilStation`` on Linux, ``%LOCALAPPDATA%\\FulfilStation`` on Windows).
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
    """Where documents that could not be printed are saved (packing slips without a document printer)."""
    return data_dir() / "documents"


def journal_dir() -> Path:
    """Where a station journals labels printed while the database was away (replayed later)."""
    return data_dir() / "journal"
