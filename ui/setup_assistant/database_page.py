"""Page 1: one PC (the embedded database) or join a site (a PostgreSQL URL and its password).

Joining a site needs a connection test that passed for the URL and password shown (any
edit asks for a new test): Next stays off until then. The test runs through
``StationSetup.test_connection`` on a worker thread and writes nothing; the password is
kept in this page until Finish hands it to the set-up, which puts it in the keyring.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from fulfilstation.services.setup import ConnectionCheck, StationSetup
from ui.style import AMBER, GREEN, GREY, RED, result_css
from ui.worker import run_in_background

ROLE_NOTE = ("Each packing PC signs in to the database with a station login of its own, which may run FulfilStation "
             "but not change the schema. Whoever owns the database makes it on the server with:\n"
             "    fulfilstation db create-station-role NAME\n"
             "and gives you the URL (postgresql://NAME@HOST:5432/DBNAME) and the password.")

SITE_HINT = ("Type the URL and the password you were given, then press Test connection: Next waits for a test "
             "that passes.")


class DatabasePage(QWizardPage):
    def __init__(self, door: StationSetup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.door = door
        self.setTitle("Where are the orders kept?")
        self.one_pc = QRadioButton("This PC only: an embedded database on this computer", self)
        self.site = QRadioButton("Join a site: several PCs share one PostgreSQL database", self)
        self.one_pc.setChecked(True)
        choice = QButtonGroup(self)
        choice.addButton(self.one_pc)
        choice.addButton(self.site)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("postgresql://station_pack1@192.168.1.10:5432/fulfil")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("The station login's password")
        self.test_button = QPushButton("Test connection", self)
        self.test_button.setAutoDefault(False)
        self.result = QLabel(self)
        self.result.setObjectName("testResult")
        self.result.setWordWrap(True)
        self.note = QLabel(ROLE_NOTE, self)
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.site_widgets: tuple[QWidget, ...] = (self.url, self.password, self.test_button, self.note)
        self.tested: tuple[str, str] | None = None  # the URL and password the last passed test used
        self.testing = False
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.one_pc)
        layout.addWidget(self.site)
        layout.addWidget(self.url)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.one_pc.toggled.connect(self._chosen)
        self.url.textChanged.connect(self._edited)
        self.password.textChanged.connect(self._edited)
        self.test_button.clicked.connect(self.test)
        self._chosen()

    def joins_site(self) -> bool:
        return self.site.isChecked()

    def database(self) -> str:
        """What the set-up is given: ``""`` for the embedded database, else the URL."""
        return self.url.text().strip() if self.joins_site() else ""

    def given_password(self) -> str | None:
        return (self.password.text() or None) if self.joins_site() else None

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return not self.joins_site() or self.tested == (self.url.text().strip(), self.password.text())

    def test(self) -> None:
        url, password = self.url.text().strip(), self.password.text()
        if not url:
            self._say("Type the database's URL first.", RED)
            return
        if self.testing:
            return
        self.testing = True
        self.test_button.setEnabled(False)
        self._say("Connecting…", GREY)
        door = self.door
        run_in_background(lambda: door.test_connection(url, password or None),
                          lambda check: self._passed(url, password, check), self._failed, owner=self)

    def _passed(self, url: str, password: str, check: ConnectionCheck) -> None:
        self._tested()
        if not self.joins_site() or (url, password) != (self.url.text().strip(), self.password.text()):
            return  # one PC chosen, or edited, while it ran: that answer is about nothing shown
        self.tested = (url, password)
        self._say(check.sentence, GREEN if check.ready else AMBER)
        self.completeChanged.emit()

    def _failed(self, exc: Exception) -> None:
        from fulfilstation.errors import describe_error

        self._tested()
        if self.joins_site():  # else the one-PC note stays: the failure is about a URL no longer used
            self._say(describe_error(exc), RED)

    def _tested(self) -> None:
        self.testing = False
        self.test_button.setEnabled(self.joins_site())

    def _chosen(self) -> None:
        for widget in self.site_widgets:
            widget.setEnabled(self.joins_site() and (widget is not self.test_button or not self.testing))
        self._say(SITE_HINT if self.joins_site() else "FulfilStation keeps everything in a file on this PC. You "
                  "can move to a shared database later.", GREY)
        self.completeChanged.emit()

    def _edited(self) -> None:
        if self.tested is not None:
            self.tested = None
            self._say("Changed: test the connection again.", GREY)
        self.completeChanged.emit()

    def _say(self, text: str, colour: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(result_css(colour) if text else "")
