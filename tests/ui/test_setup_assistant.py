"""The first-run set-up assistant (issue #16, point 5), walked page by page as a person
would: one PC with the demo (scanner, scale and label printer tested live), and joining a
site on the test PostgreSQL with a connection test. Finish writes the settings through
``StationSetup``; the password is in the keyring and in no file of the config folder.
The launcher opens the assistant only on a PC never set up, and Cancel ends the program
having written nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import URL

from drivers.sim.printer import ZplPrinterSimulator
from drivers.toolkit import DriverToolkit
from fulfilstation.app_context import AppContext
from fulfilstation.credentials import SERVICE
from fulfilstation.db.url import display_url
from fulfilstation.domain.units import format_weight
from fulfilstation.errors import StartupError
from fulfilstation.services.setup import StationSetup
from fulfilstation.settings import load_settings
from tests.support.memory_keyring import MemoryKeyring
from ui.app import Launcher
from ui.setup_assistant import SetupAssistant
from ui.setup_assistant.wizard import DATABASE, DEVICES, FINISH, STATION

PASSWORD = "site pass 7"
WAIT_MS = 15_000


@pytest.fixture
def printer() -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator() as simulator:
        yield simulator


def assistant(qtbot: QtBot) -> SetupAssistant:
    wizard = SetupAssistant(StationSetup(DriverToolkit()))
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def next_page(qtbot: QtBot, wizard: SetupAssistant, expected: int) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(button.isEnabled, timeout=WAIT_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == expected


def finish(qtbot: QtBot, wizard: SetupAssistant) -> None:
    with qtbot.waitSignal(wizard.accepted, timeout=60_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)


def files_holding(folder: Path, secret: str) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and secret.encode() in path.read_bytes()]


def test_one_pc_with_the_demo_and_live_device_tests(qtbot: QtBot, tmp_path: Path,
                                                   printer: ZplPrinterSimulator) -> None:
    wizard = assistant(qtbot)
    assert wizard.currentId() == DATABASE and wizard.database_page.one_pc.isChecked()
    assert not wizard.database_page.url.isEnabled()
    next_page(qtbot, wizard, STATION)
    wizard.station_page.name.setText("PACK3")
    next_page(qtbot, wizard, DEVICES)
    devices = wizard.devices_page
    qtbot.waitUntil(lambda: devices.discovery.text() != "Looking for devices…", timeout=WAIT_MS)

    devices.scanner_row.combo.setEditText("wedge:")
    qtbot.mouseClick(devices.scanner_row.test_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(devices.scanner_row.scan_field, "0123456789012")
    qtbot.keyClick(devices.scanner_row.scan_field, Qt.Key.Key_Return)
    assert wizard.currentId() == DEVICES  # the scanner's Enter pressed no Next
    assert devices.scanner_row.last_scan is not None and devices.scanner_row.last_scan.text == "0123456789012"
    assert "0123456789012" in devices.scanner_row.result.text()

    devices.scale_row.combo.setEditText("sim:?weight=1250g")
    qtbot.mouseClick(devices.scale_row.test_button, Qt.MouseButton.LeftButton)
    shown = format_weight(1250, devices.scale_row.unit)
    qtbot.waitUntil(lambda: devices.scale_row.weight.text() == shown, timeout=WAIT_MS)

    devices.label_row.combo.setEditText(printer.uri)
    qtbot.mouseClick(devices.label_row.test_button, Qt.MouseButton.LeftButton)
    label = printer.wait_for_jobs(1, timeout=10)[0]
    assert b"PACK3" in label  # the test label names the station being set up
    qtbot.waitUntil(lambda: devices.label_row.result.text().startswith("Test label sent"), timeout=WAIT_MS)
    assert not (tmp_path / "config").exists()  # testing wrote nothing

    next_page(qtbot, wizard, FINISH)
    assert wizard.finish_page.demo.isEnabled()
    wizard.finish_page.demo.setChecked(True)
    finish(qtbot, wizard)

    settings = load_settings(create=False)
    assert not settings.created and settings.path == tmp_path / "config" / "station.toml"
    assert settings.settings.station_name == "PACK3" and settings.settings.database_url == ""
    assert (settings.settings.devices.scanner, settings.settings.devices.scale,
            settings.settings.devices.label_printer) == ("wedge:", "sim:?weight=1250g", printer.uri)
    assert wizard.report is not None
    assert any(line.text.startswith("Demo warehouse added: 45 products") for line in wizard.report.lines)
    assert (tmp_path / "data" / "fulfilstation.sqlite3").is_file()
    assert devices.scale_row.adapter is None  # the live test was stopped


def test_joining_a_site_tests_the_connection_and_keeps_the_password_in_the_keyring(
        qtbot: QtBot, tmp_path: Path, postgres_seeded_url: URL, isolated_environment: MemoryKeyring) -> None:
    wizard = assistant(qtbot)
    page = wizard.database_page
    page.site.click()
    assert page.url.isEnabled() and "fulfilstation db create-station-role NAME" in page.note.text()
    url = display_url(postgres_seeded_url)
    page.url.setText(url)
    page.password.setText(PASSWORD)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # not tested yet
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result.text().startswith("Connected to the database"), timeout=WAIT_MS)
    assert "schema up to date" in page.result.text()
    assert isolated_environment.passwords == {}  # a test keeps nothing
    page.password.setText(PASSWORD + "x")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # changed: test again
    page.password.setText(PASSWORD)
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    next_page(qtbot, wizard, STATION)
    wizard.station_page.name.setText("PACK-SITE")
    next_page(qtbot, wizard, DEVICES)
    wizard.devices_page.scale_row.combo.setEditText("sim:")
    wizard.devices_page.label_row.combo.setEditText("sim:")
    next_page(qtbot, wizard, FINISH)
    assert not wizard.finish_page.demo.isEnabled()  # a site's database is the site's
    finish(qtbot, wizard)

    settings = load_settings(create=False).settings
    assert settings.station_name == "PACK-SITE" and settings.database_url == url
    name = (f"db:{postgres_seeded_url.username}@{postgres_seeded_url.host}:{postgres_seeded_url.port or 5432}/"
            f"{postgres_seeded_url.database}")
    assert isolated_environment.passwords == {(SERVICE, name): PASSWORD}
    assert files_holding(tmp_path / "config", PASSWORD) == []


def test_a_refused_finish_stays_open_and_writes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = assistant(qtbot)
    next_page(qtbot, wizard, STATION)
    next_page(qtbot, wizard, DEVICES)
    wizard.devices_page.label_row.combo.setEditText("tpc://10.0.0.7:9100")
    next_page(qtbot, wizard, FINISH)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    result = wizard.finish_page.result
    qtbot.waitUntil(lambda: result.text().startswith("Not set up: The label printer address is wrong"),
                    timeout=WAIT_MS)
    assert wizard.isVisible() and wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert not (tmp_path / "config").exists()


def test_the_launcher_asks_first_on_a_new_pc_and_cancel_writes_nothing(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    exits: list[int] = []
    monkeypatch.setattr(app, "exit", lambda code=0: exits.append(code))
    started: list[object] = []
    launcher = Launcher(app, lambda prompt: started.append(prompt), False, setup=StationSetup(DriverToolkit()))
    wizard = launcher.assistant
    assert wizard is not None and wizard.isVisible() and not launcher.startup.isVisible()
    qtbot.addWidget(wizard)
    qtbot.addWidget(launcher.startup)
    wizard.reject()
    assert exits == [0] and started == [] and launcher.exit_code == 0
    assert not (tmp_path / "config").exists() and not (tmp_path / "data").exists()


def test_the_launcher_skips_the_assistant_once_set_up(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    door = StationSetup(DriverToolkit())
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "station.toml").write_text('version = 1\n[station]\nname = "PACK1"\n')
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    monkeypatch.setattr(app, "exit", lambda code=0: None)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))

    def bootstrap(prompt: object) -> AppContext:
        raise StartupError("start-up reached")  # the test asks only whether start-up began

    launcher = Launcher(app, bootstrap, False, setup=door)
    assert launcher.assistant is None
    qtbot.waitUntil(lambda: shown == ["start-up reached"], timeout=WAIT_MS)
