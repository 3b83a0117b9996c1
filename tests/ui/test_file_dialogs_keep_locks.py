"""The app's file dialogs never open the files they list: browsing the folder of the
station's SQLite database must not drop this process's POSIX locks on it (closing any
descriptor of a file drops them all), which let another process remove the write-ahead log
from under the window. Linux and macOS only (Windows locks differently)."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from ui.widgets import file_dialogs

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX advisory locks")

UI = Path(__file__).resolve().parents[2] / "ui"


def _locked_elsewhere(path: str, answer: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    with open(path, "r+b") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            answer.put(True)
        else:
            answer.put(False)


def still_locked(path: Path) -> bool:
    """Whether another process finds ``path`` locked (by this one)."""
    answer: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()  # type: ignore[type-arg]
    child = multiprocessing.get_context("fork").Process(target=_locked_elsewhere, args=(str(path), answer))
    child.start()
    child.join(10)
    return bool(answer.get(timeout=5))


def browse(show: Callable[[], object]) -> None:
    """Open a dialog through ``show``; close it after 1.5 s, time for its background thread to
    read the folder and its view to ask each listed file's icon and type."""
    def close() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QFileDialog) and widget.isVisible():
                widget.reject()

    QTimer.singleShot(1500, close)
    show()


def test_a_file_dialog_on_the_database_folder_keeps_its_locks(qtbot: QtBot, tmp_path: Path) -> None:
    wal = tmp_path / "fulfilstation.sqlite-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82" + os.urandom(4096))  # a name that says nothing: Qt would sniff it
    (tmp_path / "orders.csv").write_text("order_id,sku,quantity\n")
    with open(wal, "r+b") as held:
        fcntl.lockf(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert still_locked(wal)
        browse(lambda: file_dialogs.open_file_name(None, "Import", str(tmp_path), "CSV (*.csv)"))
        assert still_locked(wal), "browsing the folder dropped this process's lock on a file it lists"
        browse(lambda: file_dialogs.save_file_name(None, "Export", str(tmp_path / "out.csv"), "CSV (*.csv)"))
        assert still_locked(wal)


def test_no_screen_uses_qts_own_static_file_dialogs() -> None:
    offenders = [str(path.relative_to(UI)) for path in UI.rglob("*.py") if path.name != "file_dialogs.py"
                 and re.search(r"QFileDialog\.get(Open|Save|Existing)", path.read_text(encoding="utf-8"))]
    assert offenders == []
