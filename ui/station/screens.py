"""``StationScreens``: the station window's working area — the log-in, idle and pack
screens, the box for typing a code by hand, the status banner and its sounds — wired to
the ``StationController`` and to the live devices.

Input: scans come from the scanner adapter (a ``wedge:`` scanner is fed by the
``WedgeKeyFilter``, whatever has the focus); keys are window shortcuts (F2 next order,
F9 ship, Esc cancel, Ctrl+R reprint, Ctrl+L log out), Enter ships, and a code typed by
hand in the *Type a code* box counts as a scan. A station dialog (void a shipment,
manifests) borrows the scanner while it is open (``lend_scanner``): the wedge filter lets
every key through to the dialog, and other scanners' scans go to the dialog's handler.
Refusals sound by family (``ui.station.sounds.refusal_sound``).

While an order is open its shipping service and price are kept in the order header
(``ServiceQuotes``, asked again when a box is chosen or a package closed);
``service_changed`` shows a manager's change. After each ship or reprint the idle screen
shows the station's last label (``LastLabel``). The thumbnail belongs to the sign-in that
printed it: a log-out clears it and a sign-in starts clean, so no earlier customer's label
or address reappears for the next person (Show last label, Ctrl+Shift+L, and Reprint still
find the station's last shipment in the database).

Threading: GUI thread only. ``attach`` is called each time the window (re)starts its
devices, ``pause`` when it stops them for the settings dialog, ``close`` when it closes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from fulfilstation.app_context import AppContext
from fulfilstation.domain.commands import StationCommand
from fulfilstation.ports import ScaleState, ScanValue, WeightReading
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders import Quote
from fulfilstation.services.packing import PackView, Refusal
from fulfilstation.services.users import UserInfo
from ui.devices import LiveDevices
from ui.station.banner import SOUND_OF, StatusBanner
from ui.station.controller import StationController
from ui.station.first_run import FirstRunScreen
from ui.station.idle_view import IdleScreen
from ui.station.last_label import LastLabel
from ui.station.login_view import LoginScreen
from ui.station.pack_view import PackScreen
from ui.station.service_quote import ServiceQuotes, price_text
from ui.station.sounds import SoundPlayer, refusal_sound
from ui.station.wedge_filter import WedgeKeyFilter
from ui.worker import run_in_background

LABEL_AFTER_MS = 300  # the last label's thumbnail is loaded this long after a ship or reprint
NO_READING = WeightReading(None, ScaleState.DISCONNECTED)
SHORTCUTS = (("Next order", "F2", StationCommand.NEXT_ORDER), ("Ship (weigh now)", "F9", StationCommand.SHIP),
             ("Reprint last label", "Ctrl+R", StationCommand.REPRINT),
             ("New package", "Ctrl+N", StationCommand.NEW_PACKAGE),
             ("Cancel this pack", "Esc", StationCommand.CANCEL), ("Log out", "Ctrl+L", StationCommand.LOG_OUT))


class CodeEntry(QLineEdit):
    """A code typed by hand (a damaged barcode): Enter hands it over as ``typed``; Enter
    in the empty box is ``enter`` (ship)."""

    typed = Signal(str)
    enter = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
            return
        text = self.text().strip()
        self.clear()
        if text:
            self.typed.emit(text)
        else:
            self.enter.emit()
        event.accept()


class StationScreens(QWidget):
    def __init__(self, context: AppContext, unit: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.devices = context.devices
        self.live: LiveDevices | None = None
        self.user_line = QLabel(f"Station {context.station.name} — not logged in", self)
        self.user_line.setObjectName("stationLine")
        self.login = LoginScreen(self)
        self.first_run = FirstRunScreen(context.app, self)
        self.needs_owner = False  # a new database without an owner: the first-run screen instead of the log-in
        self.idle = IdleScreen(self)
        self.pack = PackScreen(unit, self)
        self.stack = QStackedWidget(self)
        for screen in (self.login, self.first_run, self.idle, self.pack):
            self.stack.addWidget(screen)
        self.entry = CodeEntry(self)
        self.entry.setObjectName("codeEntry")
        self.entry.setPlaceholderText("Type a code by hand and press Enter (F2 next order · Esc cancel · "
                                      "Ctrl+R reprint · Ctrl+L log out)")
        self.banner = StatusBanner("Log in: scan your badge, or choose your name and type your PIN.", self)
        self.sounds = SoundPlayer(context.settings.ui.sounds, self)
        self.controller = StationController(context.app, context.station.id, self._reading, self)
        self.quotes = ServiceQuotes(context.app, self)
        self.last_label = LastLabel(self.controller.last_labels, self)
        self.scan_borrower: Callable[[ScanValue], None] | None = None  # a dialog or screen that has the scanner
        self.away: Callable[[ScanValue], None] | None = None  # another workspace screen is shown
        self._refusal: Refusal | None = None  # the code of the red message about to be shown
        self.wedge = WedgeKeyFilter(parent)
        self._layout()
        self._connect()
        self.actions_by_command = self._shortcuts(parent)
        self.controller.load_users()
        run_in_background(context.app.users.has_owner, lambda has: self._owner_known(bool(has)), lambda _exc: None,
                          owner=self)

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.user_line)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.entry)
        layout.addWidget(self.banner)
        self._show_screen()

    def _connect(self) -> None:
        controller = self.controller
        controller.refused.connect(self._refusal_coming)
        controller.message.connect(self.say)
        controller.users_loaded.connect(self.login.set_users)
        controller.user_changed.connect(self._user_changed)
        controller.view_changed.connect(self._view_changed)
        controller.view_changed.connect(self.quotes.follow)  # after the header knows the order
        # the thumbnail after the ship's own screen change and the queue's request: rendering it is
        # tens of milliseconds of Python on a pool thread, which the window's work would wait for
        last_label = self.last_label
        controller.printed.connect(lambda _outcome: QTimer.singleShot(LABEL_AFTER_MS, last_label, last_label.load))
        self.quotes.quoted.connect(self.pack.header.show_quote)
        self.quotes.problem.connect(self.pack.header.show_quote_problem)
        self.last_label.loaded.connect(self.idle.show_last_label)
        self.login.pin_entered.connect(controller.login_pin)
        self.login.problem.connect(lambda text: self.say(text, "error"))
        self.first_run.created.connect(self._owner_created)
        self.entry.typed.connect(lambda text: controller.scan(ScanValue(text, None, text.encode())))
        self.entry.enter.connect(controller.enter)

    def _shortcuts(self, window: QWidget) -> dict[StationCommand, QAction]:
        actions = {}
        for text, keys, command in SHORTCUTS:
            action = QAction(text, window)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if command is StationCommand.CANCEL:
                action.triggered.connect(self.controller.escape)
            else:
                action.triggered.connect(lambda _checked=False, c=command: self.controller.command(c))
            window.addAction(action)
            actions[command] = action
        return actions

    # ------------------------------------------------------------------ devices

    def attach(self, live: LiveDevices) -> None:
        """Use ``live`` (started by the window): scans, readings, and the wedge's keys."""
        self.live, self.devices = live, live.devices
        if live.scanner is not None:
            live.scanner.scanned.connect(self.deliver_scan)
        if live.scale is not None:
            live.scale.reading.connect(self.pack.show_reading)
            self.pack.show_reading(live.scale.latest)
        if self.scan_borrower is None:
            self.wedge.attach(live.devices.scanner)

    def pause(self) -> None:
        self.wedge.detach()

    def lend_scanner(self, borrower: Callable[[ScanValue], None]) -> None:
        """Until ``take_back_scanner``: keys reach the dialog as typing, scans go to ``borrower``."""
        self.scan_borrower = borrower
        self.wedge.detach()

    def take_back_scanner(self) -> None:
        """The scanner is the station's again — or, while another workspace screen is shown
        (``set_away``), that screen's."""
        if self.away is not None:
            self.lend_scanner(self.away)
            return
        self.scan_borrower = None
        if self.live is not None and self.live.running:
            self.wedge.attach(self.live.devices.scanner)

    def set_away(self, borrower: Callable[[ScanValue], None] | None) -> None:
        """Another workspace screen is shown (its scan handler), or the station again (None)."""
        self.away = borrower
        self.take_back_scanner()

    @property
    def log_out_action(self) -> QAction:
        return self.actions_by_command[StationCommand.LOG_OUT]

    def deliver_scan(self, value: ScanValue) -> None:
        """A scan from the scanner adapter: to the dialog that borrowed the scanner, else the controller."""
        (self.scan_borrower or self.controller.scan)(value)

    def close_station(self) -> None:
        self.wedge.detach()

    def _reading(self) -> WeightReading:
        scale = self.live.scale if self.live is not None else None
        return scale.latest if scale is not None else NO_READING

    # ------------------------------------------------------------------ showing

    def say(self, text: str, tone: str) -> None:
        self.banner.show_message(text, tone)
        refusal, self._refusal = self._refusal, None
        sound = refusal_sound(refusal) if tone == "error" else SOUND_OF.get(tone)
        if sound is not None:
            self.sounds.play(sound)

    def _refusal_coming(self, code: Refusal | None) -> None:
        self._refusal = code

    def _user_changed(self, who: Actor | None) -> None:
        name = self.context.station.name
        self.user_line.setText(f"Station {name} — {who.full_name} ({who.role})" if who else
                               f"Station {name} — not logged in")
        self.last_label.clear()  # the last customer's label and address leave the screen; a sign-in starts clean
        if who is None:
            self.login.reset()
            self.controller.load_users()
        self._show_screen()

    def service_changed(self, quote: Quote) -> None:
        """A manager sent the open order by another service: show it, and say so."""
        self.quotes.show(quote)
        self.say(f"Service changed to {quote.service_name} ({price_text(quote.price)}).", "ok")

    def _view_changed(self, view: PackView | None) -> None:
        self.pack.show_view(view)
        self._show_screen()

    def _owner_known(self, has_owner: bool) -> None:
        self.needs_owner = not has_owner
        self._show_screen()

    def _owner_created(self, owner: UserInfo) -> None:
        self.needs_owner = False
        self.controller.load_users()
        self.login.prefer(owner.username)
        self.say(f"{owner.full_name} is the owner. Choose your name, type your PIN and press Enter.", "ok")
        self._show_screen()

    def _show_screen(self) -> None:
        controller = self.controller
        login: QWidget = self.first_run if self.needs_owner else self.login
        screen: QWidget = login if controller.user is None else self.pack if controller.view else self.idle
        if self.stack.currentWidget() is not screen:  # each scan shows the pack again: relaying it out cost ms
            self.stack.setCurrentWidget(screen)
        self.entry.setVisible(screen is not login)
        if screen is self.first_run:
            self.first_run.username.setFocus()
        else:
            (self.login.pin if screen is self.login else self.entry).setFocus()
