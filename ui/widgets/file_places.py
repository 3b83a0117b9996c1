"""Where a file dialog opens: the person's Documents folder (else their home), never the
program's working folder — an installed app runs from its install folder, which is neither
where exports belong nor where a shop's CSV export was downloaded. GUI thread only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def start_folder() -> Path:
    """The folder file dialogs open in."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def suggested(name: str) -> str:
    """``name`` in ``start_folder``: a save dialog's suggestion."""
    return str(start_folder() / name)
