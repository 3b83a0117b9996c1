"""The station window opens offscreen on a real database and shows the packing queue."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

import main
from fulfilstation.db.database import Database
from fulfilstation.db.url import display_url
from ui.app import Launcher
from ui.main_window import MainWindow


def gui_args(url: str | None, demo: bool = False) -> argparse.Namespace:
    return argparse.Namespace(db=url, demo=demo, fullscreen=False, verbose=False)


def test_main_window_shows_the_queue(qtbot: QtBot, seeded_database: Database) -> None:
    url = seeded_database.engine.url.render_as_string(hide_password=False)
    context = main.bootstrap(gui_args(url))
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 50, timeout=10_000)
    assert window.counts.text() == "48 ready to pack · 2 on hold · 0 shipped"
    assert window.windowTitle() == f"FulfilStation — {context.station.name}"
    first = window.queue_model.index(0, 0).data()
    assert first.startswith("SO-")
    assert display_url(seeded_database.engine.url) in context.database_label
    chips = window.device_bar.chips
    assert chips["Scale"].state == "simulated" and chips["Scanner"].state == "connected"


def test_launcher_starts_demo_on_a_fresh_machine(qtbot: QtBot, tmp_path: Path) -> None:
    """As ``make run`` does: no database yet; it is created, migrated, seeded, shown."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    launcher = Launcher(app, lambda prompt: main.bootstrap(gui_args(None, demo=True), prompt), False)
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=20_000)
    window = launcher.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 50, timeout=10_000)
    assert (tmp_path / "data" / "fulfilstation.sqlite3").exists()
    assert "Demo data was added" in window.banner.text()
    slips = tmp_path / "documents" / window.context.station.name  # the demo's packing slips land here
    assert window.context.settings.devices.document_printer == "pdf:///" + slips.as_posix().lstrip("/")
    printer = window.context.devices.document_printer
    assert printer is not None and printer.uri == window.context.settings.devices.document_printer
    window.close()


def test_launcher_explains_an_unreachable_database(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    monkeypatch.setattr(app, "exit", lambda code=0: None)
    launcher = Launcher(app, lambda prompt: main.bootstrap(
        gui_args("postgresql://nobody@127.0.0.1:1/none"), prompt), False)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert launcher.window is None and launcher.exit_code == 1
    assert "Cannot reach the database at postgresql://nobody@127.0.0.1:1/none" in shown[0]
    assert "server is running" in shown[0]


def test_the_window_does_not_start_on_a_database_from_a_newer_version(seeded_database: Database) -> None:
    """The station would register itself (a write) into a schema it does not know."""
    from sqlalchemy import text

    from fulfilstation.errors import StartupError

    with seeded_database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StartupError, match=r"^this database was upgraded by a newer FulfilStation \(revision 9999\): "
                                           r"update this station$"):
        main.bootstrap(gui_args(seeded_database.engine.url.render_as_string(hide_password=False)))
