"""Where a save dialog of an export opens: the folder of the last file exported on this PC
(kept with ``QSettings`` in this PC's config folder, ``window.ini``), else the person's
Documents (``platformdirs.user_documents_dir``), else their home folder — never the folder
the program happens to run in.

Invariant: ``export_folder`` returns a folder that exists now.

Threading: GUI thread (``QSettings`` is read and written there).
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

from fulfilstation.paths import config_dir

KEY = "exports/last_folder"


def _settings() -> QSettings:
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def documents() -> Path:
    """The person's Documents folder when it exists, else their home folder."""
    folder = Path(platformdirs.user_documents_dir())
    return folder if folder.is_dir() else Path.home()


def export_folder() -> Path:
    """The last export's folder if it still exists, else ``documents()``."""
    last = _settings().value(KEY)
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return documents()


def remember_export_folder(folder: Path) -> None:
    """The next export's dialog opens in ``folder``."""
    settings = _settings()
    settings.setValue(KEY, str(folder.resolve()))
    settings.sync()
