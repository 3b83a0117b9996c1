"""Asking for a manager's authority in a station dialog: scan a badge, or choose a name and
type a PIN. The check runs in the background (``verifier``) through the same sign-in as
the station (``app.users.sign_in_with_badge`` / ``sign_in_with_pin``); someone whose role
does not hold the permission asked for is refused in words (``NotAllowed``, from the one
table of role rules, ``Actor.may``). The use case they then call checks again.

``ManagerPrompt`` is the dialog that only asks who (before the Manifests view opens).

Threading: widgets on the GUI thread; the callable ``verifier`` returns blocks and must run
in the background.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.roles import ROLE_NAMES, Permission, who_may
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.refused import NotAllowed, Refused
from fulfilstation.services.users import LoginChoice
from ui.style import GREEN, RED, show_status
from ui.widgets.screen_fit import available, place_on_screen
from ui.worker import run_in_background


class SignInMissing(ValueError):
    """Neither a badge nor a name and a PIN were given; ``str(exc)`` says what to do."""


def refusal_text(exc: Exception) -> str:
    """What a station dialog shows for a failed background call."""
    if isinstance(exc, Refused):
        return exc.message
    from fulfilstation.errors import describe_error

    return describe_error(exc)


class ManagerSignIn(QGroupBox):
    def __init__(self, app: AppServices, permission: Permission, what: str, current: Actor | None,
                 parent: QWidget | None = None) -> None:
        """``what`` finishes "only a manager or owner can …"; ``current`` (the station's user)
        is chosen in the list when they hold ``permission``."""
        super().__init__("Manager", parent)
        self.app, self.permission, self.what = app, permission, what
        self.preferred = current.username if current is not None and current.may(permission) else None
        self.badge = QLineEdit(self)
        self.badge.setEchoMode(QLineEdit.EchoMode.Password)
        self.badge.setPlaceholderText("Scan your badge here")
        self.names = QComboBox(self)
        self.pin = QLineEdit(self)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin.setPlaceholderText("PIN")
        form = QFormLayout(self)
        form.addRow("Badge", self.badge)
        form.addRow("…or name", self.names)
        form.addRow("PIN", self.pin)
        run_in_background(app.users.login_choices, self.set_users, lambda _exc: None, owner=self)

    def set_users(self, users: list[LoginChoice]) -> None:
        self.names.clear()
        self.names.addItem("(choose)", None)
        for user in users:
            self.names.addItem(f"{user.full_name} ({user.role})", user.username)
        if self.preferred is not None:
            self.choose(self.preferred)

    def choose(self, username: str) -> bool:
        index = self.names.findData(username)
        self.names.setCurrentIndex(max(0, index))
        return index >= 0

    def verifier(self) -> Callable[[], Actor]:
        """A blocking sign-in of whoever this is, refused (NotAllowed, SignInRefused) unless they
        hold the permission. Raises SignInMissing at once when nothing was given. Clears the
        badge and the PIN."""
        badge, username, pin = self.badge.text().strip(), self.names.currentData(), self.pin.text()
        self.badge.clear()
        self.pin.clear()
        users, permission, what = self.app.users, self.permission, self.what
        if badge:
            def sign_in() -> Actor:
                return users.sign_in_with_badge(badge)
        elif username and pin:
            def sign_in() -> Actor:
                return users.sign_in_with_pin(str(username), pin)
        else:
            raise SignInMissing(f"{who_may(permission).capitalize()} must scan their badge, or choose their name "
                                "and type their PIN.")

        def check() -> Actor:
            who = sign_in()
            if not who.may(permission):
                raise NotAllowed(f"{who.full_name} is {ROLE_NAMES[who.role]}: only {who_may(permission)} can "
                                 f"{what}. Ask one to sign in here.")
            return who

        return check


class ManagerPrompt(QDialog):
    """Who is the manager? ``who`` is set (and the dialog accepted) once a manager signed in."""

    confirmed = Signal(object)  # Actor

    def __init__(self, app: AppServices, permission: Permission, what: str, current: Actor | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("A manager, please" if who_may(permission) != "an owner" else "The owner, please")
        self.setMinimumWidth(420)
        self.who: Actor | None = None
        self.sign_in = ManagerSignIn(app, permission, what, current, self)
        self.message = QLabel(f"Only {who_may(permission)} can {what}.", self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)  # Enter (a badge scan) goes ahead
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sign_in)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.sign_in.badge.setFocus()

    def take_scan(self, value: ScanValue) -> None:
        """A scan from a scanner that is not a keyboard wedge: a badge."""
        self.sign_in.badge.setText(value.text)
        self.check()

    def check(self) -> None:
        try:
            verify = self.sign_in.verifier()
        except SignInMissing as exc:
            self.say(str(exc), RED)
            return
        run_in_background(verify, self._signed_in, lambda exc: self.say(refusal_text(exc), RED), owner=self)

    def _signed_in(self, who: Actor) -> None:
        self.who = who
        self.say(f"Hello {who.full_name}.", GREEN)
        self.confirmed.emit(who)
        self.accept()

    def say(self, text: str, colour: str) -> None:
        show_status(self.message, text, colour)
        self.fit_height()

    def fit_height(self) -> None:
        """As high as the wrapped message needs at the dialog's width (never squeezing the
        badge, name and PIN fields), within the screen."""
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout is not None else -1
        if needed > self.height():
            self.resize(QSize(self.width(), needed).boundedTo(available(self).size()))
            place_on_screen(self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.fit_height()
