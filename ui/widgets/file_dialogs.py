"""File dialogs that never open the files they list.

Why: Qt's own file dialog asks ``QMimeDatabase`` for each listed file's type and icon, and a
file whose name says nothing (``fulfilstation.sqlite-wal``, ``-shm``) is opened and read to
sniff its content. On Linux and macOS, closing ANY descriptor of a file drops every POSIX
lock this process holds on it — so merely browsing the folder of the station's SQLite
database dropped its locks, and another process then took the database as unused and
removed its write-ahead log from under the window (a tester's "database disk image is
malformed", and lost writes). These dialogs are Qt's widget dialog with an icon provider
that decides icons and types from the name alone: nothing listed is ever opened. On Windows,
whose locks belong to a handle, the system's own dialog is kept.

Use ``open_file_name`` / ``save_file_name`` instead of ``QFileDialog.getOpenFileName`` /
``getSaveFileName`` everywhere (a test keeps it so). GUI thread only.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QStyle, QWidget


class NameOnlyIcons(QAbstractFileIconProvider):
    """Icons and types from a file's name and kind (folder or file), never its content."""

    def icon(self, what: object) -> QIcon:
        style = QApplication.style()
        if isinstance(what, QFileInfo) and what.isDir():
            return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        if isinstance(what, QAbstractFileIconProvider.IconType) and what in (
                QAbstractFileIconProvider.IconType.Folder, QAbstractFileIconProvider.IconType.Computer,
                QAbstractFileIconProvider.IconType.Drive, QAbstractFileIconProvider.IconType.Network):
            return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        return style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


def _dialog(parent: QWidget | None, caption: str, folder: str, filters: str,
            mode: QFileDialog.AcceptMode) -> QFileDialog:
    dialog = QFileDialog(parent, caption, folder, filters)
    # Windows locks per handle (closing another handle drops nothing): its own dialog is safe there.
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, sys.platform != "win32")
    provider = NameOnlyIcons()
    dialog.setIconProvider(provider)
    dialog._name_only_icons = provider  # type: ignore[attr-defined]  # not owned by the dialog: kept alive with it
    dialog.setAcceptMode(mode)
    if mode == QFileDialog.AcceptMode.AcceptOpen:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return dialog


def open_file_name(parent: QWidget | None, caption: str, folder: str, filters: str) -> str:
    """The chosen existing file's path, or "" when cancelled."""
    dialog = _dialog(parent, caption, folder, filters, QFileDialog.AcceptMode.AcceptOpen)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    return dialog.selectedFiles()[0]


def save_file_name(parent: QWidget | None, caption: str, suggested: str, filters: str) -> str:
    """The path to save to (a suggested name given), or "" when cancelled."""
    dialog = _dialog(parent, caption, suggested, filters, QFileDialog.AcceptMode.AcceptSave)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    return dialog.selectedFiles()[0]
