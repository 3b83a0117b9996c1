"""``AddAccountDialog``: "Add carrier account…" and "Edit account…" — an account of a carrier's
own API through a gateway (karrio: UPS, USPS, FedEx …).

Choose the gateway and the carrier; the form below is built from the carrier's settings
schema (``app.carriers.fields``): a secret field is a password edit, a yes/no field a check
box, a field of a few values a list, a required one marked ``*``. A carrier whose extension is not installed says the
command that adds it. Save runs ``app.carriers.add_gateway_account`` as the signed-in owner;
then "Test connection" asks the carrier for a rate (``app.carriers.test_connection``) and
shows its answer — the carrier's own error text as it sent it. Every call runs off the GUI
thread (``ui.worker``); the dialog only collects what was typed, the use case decides.

Once the account is saved (or when the dialog opens on an existing account) Save becomes
"Save changes" (``app.carriers.edit_gateway_account``): the settings as shown, the name, and
only the secrets typed again — a blank secret field keeps the stored one. The gateway, the
carrier and the account number of a saved account are fixed.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.carriers import (
    AccountChanges,
    AccountInfo,
    CarrierChoice,
    CarrierFields,
    ConnectionTest,
    NewGatewayAccount,
)
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, RED, show_status
from ui.worker import run_in_background

GATEWAYS = ("karrio",)
SECRET_NEW = "secret: kept in this computer's password store only"
SECRET_STORED = "stored: leave blank to keep it, or type a new one"


class AddAccountDialog(QDialog):
    saved = Signal(object)  # the AccountInfo saved
    tested = Signal(object)  # the ConnectionTest

    def __init__(self, app: AppServices, actor: Actor, parent: QWidget | None = None,
                 account: AccountInfo | None = None) -> None:
        super().__init__(parent)
        self.app, self.actor = app, actor
        self.setWindowTitle("Edit carrier account" if account else "Add carrier account")
        self.setMinimumWidth(520)
        self.account: AccountInfo | None = account
        self.schema: CarrierFields | None = None
        self.choices: dict[str, CarrierChoice] = {}
        self.inputs: dict[str, QLineEdit | QCheckBox | QComboBox] = {}
        self.gateway = QComboBox(self)
        self.gateway.addItems(GATEWAYS)
        self.carrier = QComboBox(self)
        self.carrier.setObjectName("carrier")
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. UPS main account")
        self.number = QLineEdit(self)
        self.number.setPlaceholderText("the number the carrier knows the account by")
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("default: the carrier's name, e.g. ups")
        top = QFormLayout()
        top.addRow("Gateway", self.gateway)
        top.addRow("Carrier", self.carrier)
        top.addRow("Name *", self.name)
        top.addRow("Account number *", self.number)
        top.addRow("Carrier code here", self.code)
        self.fields_box = QWidget(self)
        self.fields_form = QFormLayout(self.fields_box)
        self.fields_form.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.save_button = QPushButton("Save", self)
        self.test_button = QPushButton("Test connection", self)
        self.test_button.setEnabled(False)
        close = QPushButton("Close", self)
        self.save_button.clicked.connect(self.save)
        self.test_button.clicked.connect(self.test_connection)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.save_button, self.test_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.fields_box)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.carrier.currentIndexChanged.connect(lambda _index: self._carrier_chosen())
        self.gateway.currentIndexChanged.connect(lambda _index: self.load_carriers())
        if account is not None:
            self._editing(account)
        self.load_carriers()

    def _editing(self, account: AccountInfo) -> None:
        """Show ``account`` as saved: its name, number and code fixed; Save saves changes."""
        self.gateway.setCurrentText(account.gateway)
        self.name.setText(account.name)
        self.number.setText(account.account_number)
        self.code.setText(account.carrier)
        for widget in (self.gateway, self.carrier, self.number, self.code):
            widget.setEnabled(False)
        self.save_button.setText("Save changes")
        self.test_button.setEnabled(True)

    # -- the carriers and their schema

    def load_carriers(self) -> None:
        gateway = self.gateway.currentText()
        self._say("Loading the carriers…", AMBER)
        run_in_background(lambda: self.app.carriers.gateway_carriers(gateway), self._carriers_loaded,
                          self._failed, owner=self)

    def _carriers_loaded(self, choices: tuple[CarrierChoice, ...]) -> None:
        self.choices = {c.carrier: c for c in choices}
        self.carrier.blockSignals(True)
        self.carrier.clear()
        for choice in sorted(choices, key=lambda c: (not c.installed, c.label.lower())):
            self.carrier.addItem(choice.label + ("" if choice.installed else " (not installed)"), choice.carrier)
        self.carrier.blockSignals(False)
        if not choices:
            self._say("No carriers: the gateway is not installed on this computer.", RED)
            return
        self._say("", GREEN)
        if self.account is not None and self.account.gateway_carrier:
            self.carrier.blockSignals(True)
            self.choose_carrier(self.account.gateway_carrier)
            self.carrier.blockSignals(False)
        self._carrier_chosen()

    def choose_carrier(self, carrier: str) -> None:
        """Select ``carrier`` (the gateway's name, e.g. ``ups``) as if chosen in the list."""
        index = self.carrier.findData(carrier)
        if index >= 0:
            self.carrier.setCurrentIndex(index)

    def _carrier_chosen(self) -> None:
        carrier = self.carrier.currentData()
        self._clear_fields()
        if not carrier:
            return
        choice = self.choices.get(str(carrier))
        if choice is not None and not choice.installed:
            self._say(f"The {choice.label} extension is not installed on this computer. Add it with: "
                      f"{choice.install}", RED)
            self.save_button.setEnabled(False)
            return
        gateway = self.gateway.currentText()
        self._say(f"Loading the settings of {carrier}…", AMBER)
        run_in_background(lambda: self.app.carriers.fields(gateway, str(carrier)), self._fields_loaded,
                          self._failed, owner=self)

    def _fields_loaded(self, schema: CarrierFields) -> None:
        if schema.carrier != self.carrier.currentData():
            return  # another carrier was chosen meanwhile
        self._clear_fields()
        self.schema = schema
        for spec in schema.fields:
            if spec.name == "account_number":
                continue  # the account number above
            label = f"{spec.label}{' *' if spec.required and spec.default is None else ''}"
            widget: QLineEdit | QCheckBox | QComboBox
            if spec.kind == "bool" and not spec.secret:
                widget = QCheckBox(self.fields_box)
                widget.setChecked((spec.default or "").lower() in ("true", "yes", "1"))
            elif spec.choices and not spec.secret:
                widget = QComboBox(self.fields_box)
                widget.addItems(("", *spec.choices) if spec.default is None else spec.choices)
                if spec.default is not None:
                    widget.setCurrentText(spec.default)
            else:
                widget = QLineEdit(self.fields_box)
                if spec.secret:
                    widget.setEchoMode(QLineEdit.EchoMode.Password)
                    widget.setPlaceholderText(SECRET_STORED if self.account else SECRET_NEW)
                elif spec.default is not None:
                    widget.setPlaceholderText(f"default {spec.default}")
            widget.setObjectName(f"field_{spec.name}")
            widget.setToolTip(spec.help or spec.name)
            self.fields_form.addRow(label, widget)
            self.inputs[spec.name] = widget
        if self.account is not None:
            self._show_settings(self.account)
        self.save_button.setEnabled(True)
        self._say("", GREEN)

    def _show_settings(self, account: AccountInfo) -> None:
        stored = account.settings.get("carrier_settings")
        values = stored if isinstance(stored, dict) else {}
        for name, widget in self.inputs.items():
            if name not in values or values[name] is None:
                continue
            value = str(values[name])
            if isinstance(widget, QCheckBox):
                widget.setChecked(value.lower() in ("true", "yes", "1"))
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(value)
            elif widget.echoMode() != QLineEdit.EchoMode.Password:
                widget.setText(value)

    def _clear_fields(self) -> None:
        self.schema = None
        self.inputs.clear()
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)

    # -- saving and testing

    def new_account(self) -> NewGatewayAccount:
        """What the form says (the use case checks it against the schema)."""
        settings: dict[str, str] = {}
        secrets: dict[str, str] = {}
        fields = {f.name: f for f in (self.schema.fields if self.schema else ())}
        for name, widget in self.inputs.items():
            if isinstance(widget, QCheckBox):
                settings[name] = "true" if widget.isChecked() else "false"
            elif isinstance(widget, QComboBox):
                if widget.currentText():
                    settings[name] = widget.currentText()
            elif widget.text().strip():
                (secrets if fields[name].secret else settings)[name] = widget.text() if fields[name].secret \
                    else widget.text().strip()
        return NewGatewayAccount(self.gateway.currentText(), str(self.carrier.currentData() or ""),
                                 self.name.text(), self.number.text().strip() or None, settings, secrets,
                                 self.code.text().strip() or None)

    def save(self) -> None:
        if self.account is not None:
            self.save_changes()
            return
        new, actor = self.new_account(), self.actor
        self.save_button.setEnabled(False)
        self._say("Saving…", AMBER)
        run_in_background(lambda: self.app.carriers.add_gateway_account(actor, new), self._saved,
                          self._save_failed, owner=self)

    def save_changes(self) -> None:
        """The saved account's settings as shown, its name, and the secrets typed again."""
        if self.account is None:
            return
        typed = self.new_account()
        changes = AccountChanges(settings=dict(typed.settings), secrets=dict(typed.secrets), name=typed.name)
        ref, actor = f"{self.account.carrier}/{self.account.account_number}", self.actor
        self.save_button.setEnabled(False)
        self._say("Saving the changes…", AMBER)
        run_in_background(lambda: self.app.carriers.edit_gateway_account(actor, ref, changes), self._saved,
                          self._save_failed, owner=self)

    def _saved(self, account: AccountInfo) -> None:
        new = self.account is None
        self.account = account
        for widget in self.inputs.values():
            if isinstance(widget, QLineEdit) and widget.echoMode() == QLineEdit.EchoMode.Password:
                widget.clear()  # the secret is in the keyring now; nothing keeps it here
                widget.setPlaceholderText(SECRET_STORED)
        self._editing(account)
        self.save_button.setEnabled(True)
        done = "Saved" if new else "Saved the changes to"
        self._say(f"{done} {account.carrier}/{account.account_number} ({account.name}). Test its connection: it "
                  "asks the carrier for a rate.", GREEN)
        self.saved.emit(account)

    def _save_failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        self._failed(exc)

    def test_connection(self) -> None:
        if self.account is None:
            return
        ref, actor = f"{self.account.carrier}/{self.account.account_number}", self.actor
        self.test_button.setEnabled(False)
        self._say("Asking the carrier for a rate…", AMBER)
        run_in_background(lambda: self.app.carriers.test_connection(actor, ref), self._tested,
                          self._test_failed, owner=self)

    def _tested(self, result: ConnectionTest) -> None:
        self.test_button.setEnabled(True)
        self._say(connection_words(result), GREEN if result.ok else RED)
        self.tested.emit(result)

    def _test_failed(self, exc: Exception) -> None:
        self.test_button.setEnabled(True)
        self._failed(exc)

    def _failed(self, exc: Exception) -> None:
        self._say(refusal_text(exc), RED)

    def _say(self, text: str, colour: str) -> None:
        show_status(self.message, text, colour)


def connection_words(result: ConnectionTest) -> str:
    """A test connection's answer: the rates, or what went wrong and the carrier's own words."""
    if result.carrier_text and result.carrier_text not in result.message:
        return f"{result.message}\nThe carrier said: {result.carrier_text}"
    return result.message
