"""The owner's Carriers screen (offscreen, both engines): "Add carrier account…" builds its form
from the carrier's karrio schema (secret fields as password edits), saves the account with its
secrets in the keyring only, and "Test connection" runs off the GUI thread and shows what the
carrier said; only owners get the screen."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from fulfilstation.credentials import SERVICE
from fulfilstation.db.database import Database
from fulfilstation.domain.roles import Permission
from fulfilstation.services.carriers import AccountChanges
from tests.carriers.conftest import require_extension
from tests.db.test_carriers_cli import everything_stored
from tests.support.app import app_for, sign_in
from tests.support.memory_keyring import MemoryKeyring
from tests.support.station_window import WAIT_MS
from tests.support.ups_stub import UPSStub
from ui.carriers import CarriersScreen
from ui.carriers.account_dialog import AddAccountDialog

SECRET = "window-secret-31f0"


def open_screen(qtbot: QtBot, db: Database) -> CarriersScreen:
    app = app_for(db)
    screen = CarriersScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "owner"))
    shown: list[QDialog] = []
    screen.open_dialog = lambda dialog: (shown.append(dialog), dialog.show())
    screen.refresh()
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0, timeout=WAIT_MS)
    return screen


def dialog_with_fields(qtbot: QtBot, screen: CarriersScreen, carrier: str) -> AddAccountDialog:
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.carrier.count() > 0, timeout=WAIT_MS)
    dialog.choose_carrier(carrier)
    qtbot.waitUntil(lambda: dialog.schema is not None and dialog.schema.carrier == carrier, timeout=WAIT_MS)
    return dialog


def test_an_account_is_added_from_its_schema_and_its_connection_tested(
        qtbot: QtBot, seeded_database: Database, isolated_environment: MemoryKeyring) -> None:
    screen = open_screen(qtbot, seeded_database)
    assert screen.permission is Permission.CARRIERS
    assert {row.account.gateway for row in screen.model.rows()} == {"local"}
    dialog = dialog_with_fields(qtbot, screen, "usps")
    secret = dialog.inputs["client_secret"]
    assert isinstance(secret, QLineEdit) and secret.echoMode() == QLineEdit.EchoMode.Password
    assert isinstance(dialog.inputs["client_id"], QLineEdit)
    assert isinstance(dialog.inputs["test_mode"], QCheckBox)
    account_type = dialog.inputs["account_type"]
    assert isinstance(account_type, QComboBox) and account_type.currentText() == "EPS"
    assert "account_number" not in dialog.inputs  # the account number field above stands for it

    dialog.name.setText("USPS main")
    dialog.number.setText("901234500")
    dialog.inputs["client_id"].setText("window-id-1234")  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # client_secret is missing
    qtbot.waitUntil(lambda: "needs client_secret" in dialog.message.text(), timeout=WAIT_MS)
    assert dialog.account is None and dialog.save_button.isEnabled()

    secret.setText(SECRET)
    server = dialog.inputs["server_url"]
    assert isinstance(server, QLineEdit)
    server.setText("http://127.0.0.1:9")  # nobody answers there
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.account is not None and dialog.account.carrier == "usps-karrio"
    assert secret.text() == "" and dialog.test_button.isEnabled()
    stored = [json.loads(v) for (service, _name), v in isolated_environment.passwords.items() if service == SERVICE]
    assert stored == [{"client_id": "window-id-1234", "client_secret": SECRET}]
    assert SECRET not in everything_stored(seeded_database)

    with qtbot.waitSignal(dialog.tested, timeout=WAIT_MS) as tested:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert not tested.args[0].ok and "Could not reach USPS" in dialog.message.text()
    assert SECRET not in dialog.message.text()

    qtbot.waitUntil(lambda: any(r.account.gateway == "karrio" for r in screen.model.rows()), timeout=WAIT_MS)
    screen.select("usps-karrio/901234500")
    assert screen.test_button.isEnabled()
    qtbot.mouseClick(screen.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Could not reach USPS" in screen.status.text(), timeout=WAIT_MS)
    screen.select("ups/0W1X23")
    assert not screen.test_button.isEnabled()  # its labels are made here: nothing to connect to


def test_a_carrier_whose_extension_is_missing_says_how_to_add_it(qtbot: QtBot, seeded_database: Database) -> None:
    screen = open_screen(qtbot, seeded_database)
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.carrier.count() > 0, timeout=WAIT_MS)
    index = dialog.carrier.findData("dhl_express")
    assert dialog.carrier.itemText(index) == "DHL Express (not installed)"
    dialog.carrier.setCurrentIndex(index)
    assert 'pip install "fulfilstation[dhl_express]"' in dialog.message.text()
    assert not dialog.save_button.isEnabled() and not dialog.inputs


def test_test_connection_shows_the_carriers_own_error_text(qtbot: QtBot, seeded_database: Database) -> None:
    require_extension("ups")
    screen = open_screen(qtbot, seeded_database)
    with UPSStub() as ups:
        dialog = dialog_with_fields(qtbot, screen, "ups")
        dialog.name.setText("UPS main")
        dialog.number.setText(ups.account_number)
        for name, value in (("client_id", ups.client_id), ("client_secret", "not-the-secret"),
                            ("server_url", ups.server_url)):
            dialog.inputs[name].setText(value)  # type: ignore[union-attr]
        with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        with qtbot.waitSignal(dialog.tested, timeout=WAIT_MS) as tested:
            qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        assert not tested.args[0].ok
        assert "ClientId is Invalid" in dialog.message.text() and "not-the-secret" not in dialog.message.text()

        # the right secret typed into the same dialog: Save changes keeps it, the test connects
        assert dialog.save_button.isEnabled() and dialog.save_button.text() == "Save changes"
        assert dialog.inputs["client_secret"].text() == ""  # type: ignore[union-attr]
        dialog.inputs["client_secret"].setText(ups.client_secret)  # type: ignore[union-attr]
        with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        with qtbot.waitSignal(dialog.tested, timeout=WAIT_MS) as tested:
            qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        assert tested.args[0].ok and "Connected: UPS priced 3 rates" in dialog.message.text()

        qtbot.waitUntil(lambda: any(r.account.gateway == "karrio" for r in screen.model.rows()), timeout=WAIT_MS)
        screen.app.carriers.edit_gateway_account(screen.actor, f"ups-karrio/{ups.account_number}",  # type: ignore[arg-type]
                                                 AccountChanges(secrets={"client_secret": "wrong-again"}))
        screen.select(f"ups-karrio/{ups.account_number}")
        qtbot.mouseClick(screen.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "ClientId is Invalid" in screen.status.text(), timeout=WAIT_MS)

        # Edit account… on the screen: the stored settings shown, the secret blank; a new one fixes it
        qtbot.mouseClick(screen.edit_button, Qt.MouseButton.LeftButton)
        edit = screen.dialog
        assert edit is not None and edit is not dialog and edit.windowTitle() == "Edit carrier account"
        qtbot.waitUntil(lambda: edit.schema is not None and "server_url" in edit.inputs, timeout=WAIT_MS)
        assert edit.inputs["server_url"].text() == ups.server_url  # type: ignore[union-attr]
        assert edit.inputs["client_secret"].text() == ""  # type: ignore[union-attr]
        assert not edit.carrier.isEnabled() and edit.name.text() == "UPS main"
        edit.inputs["client_secret"].setText(ups.client_secret)  # type: ignore[union-attr]
        with qtbot.waitSignal(edit.saved, timeout=WAIT_MS):
            qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(screen.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Connected: UPS priced 3 rates" in screen.status.text(), timeout=WAIT_MS)
