"""``StationController``: the packing station's state machine. It turns scans, command
barcodes and keys into ``AppServices`` calls (``app.packing``, ``app.shipping``), and their
results into signals the screens show (``PackSteps`` holds the state and the steps that
finish a pack).

Modes: ``LOGGED_OUT`` (a scan is a badge) → ``IDLE`` (a scan is an order to start; F2 or
FS:NEXT takes the next one) → ``PACKING`` (a scan goes to ``app.packing.scan``, which
decides whether it is an item, a serial or lot number, or a box; Enter / F9 / FS:SHIP
ships with the scale's reading; FS:NEWPKG closes the package; Esc twice, or FS:CANCEL
twice, cancels) → ``IDLE`` again after the ship. FS:LOGOUT logs out from anywhere. After
log-in the station resumes the pack it was in the middle of, so closing the window or a
crash loses nothing: every scan is already in the database. While a pack is open the
station says it is alive every ``HEARTBEAT_S`` seconds (``app.packing.heartbeat``, outside
the queue of calls); a station silent for 2 minutes may have its pack taken over, and
when this station learns it lost its pack (taken over, or released by a manager) it
leaves the pack screen and says so. The same timer records labels printed while the
database was away (``app.shipping.record_printed_labels``: this PC's print journal).
Scanning an order a dead station left open takes it over here, its scans shown. A known
badge scanned where a badge does nothing (idle, or mid-pack with no refused weight
waiting) is named as a badge (``badge_words``, asked only after the scan or start refused
it as unknown), never called an unknown barcode or a missing order.

The database offline (``set_online(False)``, from ``ui.db_health``): the pack stays on
screen with the scans the database has; every input that needs the database — a scan, a
ship, a new order, a sign-in — is refused at once in plain words, without a call (nothing
waits on a dead connection, nothing is counted that was not committed). Logging out still
works. A call cut by the outage is said the same way; a scan or a ship whose commit may or
may not have happened is re-checked when the database is back (``set_online(True)``: the
pack session is read again — ``app.packing.resume`` — and a scan that did commit after all
is said so, so it is not scanned twice; a ship that committed is said with Ctrl+R to print
its label, which was never printed: labels print only after the commit).

Threading: every method is called on the GUI thread and returns at once; use cases run in
the background, one at a time, and inputs wait their turn in order (``SerialCalls``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from fulfilstation.domain.commands import StationCommand, parse_command
from fulfilstation.domain.words import plural
from fulfilstation.health import is_connection_error
from fulfilstation.ports import ScanValue, WeightReading
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import HEARTBEAT_S, PackRefused, PackView, Refusal, ScanOutcome, Weighing
from fulfilstation.services.users import LoginChoice
from ui.station.badge_words import badge_words
from ui.station.pack_steps import Mode, PackSteps
from ui.worker import run_in_background

__all__ = ["Mode", "StationController"]

OFFLINE_SCAN = ("Database offline: this scan was NOT recorded. Keep the item out of the box and scan it again "
                "when the database is back.")
OFFLINE_SHIP = "Database offline: nothing shipped and no label printed. Ship again when the database is back."
OFFLINE_OTHER = "Database offline: that needs the database. Try again when it is back."
OFFLINE_NOW = "Database offline — scans are kept; shipping waits until it is back."


class StationController(PackSteps):
    users_loaded = Signal(object)  # list of LoginChoice

    def __init__(self, app: AppServices, station_id: int, weight: Callable[[], WeightReading],
                 parent: QObject | None = None) -> None:
        super().__init__(app, station_id, weight, parent)
        self.online = True
        self._unsure_scan: tuple[int, int, str] | None = None  # session, units scanned before, code
        self._unsure_ship: str | None = None  # the order whose ship was cut: did it commit?
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(HEARTBEAT_S * 1000)
        self.heartbeat.timeout.connect(self.beat)
        self.heartbeat.start()

    # ------------------------------------------------------------------ the database away and back

    def set_online(self, online: bool) -> None:
        """The database went away (False) or is back (True): see the module docstring."""
        if online == self.online:
            return
        self.online = online
        if not online:
            self._say(OFFLINE_NOW, "error")
            return
        who = self.user
        if who is None:
            self.load_users()  # the names may not have loaded while it was away
            self._say("The database is back. Log in: scan your badge, or choose your name and type your PIN.", "ok")
            return
        self._submit(lambda: self._call(lambda: self._recheck(who), self._back))

    def _recheck(self, who: Actor) -> tuple[PackView | None, bool]:
        """(The pack open at this station, whether the order of a cut ship has a live shipment.)"""
        view = self.app.packing.resume(who)
        shipped = False
        number = self._unsure_ship
        if view is None and number is not None:
            shipped = any(s.order_number == number and s.voided_at is None for s in self.app.shipping.search(number))
        return view, shipped

    def _back(self, result: tuple[PackView | None, bool]) -> None:
        view, shipped = result
        left = self.view
        before, self._unsure_scan = self._unsure_scan, None
        number, self._unsure_ship = self._unsure_ship, None
        self._set_view(view)
        self.queue_changed.emit()
        if view is None:
            if number is not None and shipped:
                self._say(f"The database is back. {number} WAS shipped just before it went away, but its label was "
                          "not printed: press Ctrl+R to print it. Then scan the next order.", "warn")
            elif number is not None or left is not None:
                gone = number or (left.order_number if left is not None else "")
                self._say(f"The database is back. The pack of {gone} is no longer open at this station (another "
                          "station took it over or a manager released it): check it in the queue.", "warn")
            else:
                self._say("The database is back. Scan an order, or press F2 for the next one.", "ok")
            return
        done = sum(min(line.scanned, line.ordered) for line in view.lines)
        total = sum(line.ordered for line in view.lines)
        text = f"The database is back: carry on with {view.order_number} ({done} of {plural(total, 'item')} scanned)."
        if before is not None and before[0] == view.session_id:
            counted = sum(line.scanned for line in view.lines)
            text += (f" Your scan of {before[2]} just before it went away WAS recorded: do not scan that item again."
                     if counted > before[1] else f" Scan {before[2]} again: it was not recorded.")
        self._say(text, "ok")

    def _offline_failure(self, exc: Exception, text: str) -> bool:
        """Say ``text`` when ``exc`` is a lost connection (True); False for any other failure."""
        if not is_connection_error(exc):
            return False
        self._refuse(None, text)
        return True

    def _failed(self, exc: Exception) -> None:
        if not self._offline_failure(exc, OFFLINE_OTHER):
            super()._failed(exc)

    def _ship(self, weighing: Weighing | None = None) -> None:
        if not self.online:
            self._refuse(None, OFFLINE_SHIP)
            return
        super()._ship(weighing)

    def _weight_refused(self, exc: Exception, weighing: Weighing, closes_package: bool = False) -> None:
        if is_connection_error(exc):
            if not closes_package and self.view is not None:
                self._unsure_ship = self.view.order_number
            self._refuse(None, OFFLINE_SHIP if not closes_package else OFFLINE_OTHER)
            return
        super()._weight_refused(exc, weighing, closes_package)

    def beat(self) -> None:
        """Tell the database this station still packs its open pack, and record labels
        printed while the database was away (the heartbeat timer)."""
        view, packer = self.view, self.user
        if packer is not None:
            run_in_background(lambda: self.app.shipping.record_printed_labels(packer), self._recorded,
                              lambda _exc: None, owner=self)
        if view is None or packer is None:
            return
        run_in_background(lambda: self.app.packing.heartbeat(packer, view.session_id),
                          lambda held: self._heard(view, held), lambda _exc: None, owner=self)

    def _recorded(self, count: object) -> None:
        if isinstance(count, int) and count > 0:
            self._say(f"The database is back: {count} label{'s' if count != 1 else ''} printed while it was away "
                      f"{'are' if count != 1 else 'is'} now recorded.", "info")

    def _heard(self, view: PackView, held: object) -> None:
        if held or self.view is None or self.view.session_id != view.session_id:
            return
        self._set_view(None)
        self.queue_changed.emit()
        self._say(f"The pack of {view.order_number} is no longer open at this station: another station took it "
                  "over or a manager released it. Scan the next order.", "warn")

    # ------------------------------------------------------------------ inputs

    def load_users(self) -> None:
        run_in_background(self.app.users.login_choices, self.users_loaded.emit, self._failed, owner=self)

    def login_pin(self, username: str, pin: str) -> None:
        self._submit(lambda: self._login(lambda: self.app.users.sign_in_with_pin(username, pin)))

    def scan(self, value: ScanValue) -> None:
        self._submit(lambda: self._on_scan(value))

    def command(self, command: StationCommand) -> None:
        self._submit(lambda: self._on_command(command))

    def enter(self) -> None:
        """Enter (or F9): ship when a pack is in progress; nothing otherwise."""
        self._submit(lambda: self._on_command(StationCommand.SHIP, quiet=True))

    def escape(self) -> None:
        self._submit(lambda: self._on_command(StationCommand.CANCEL, quiet=True))

    # ------------------------------------------------------------------ dispatch

    def _on_scan(self, value: ScanValue) -> None:
        command = parse_command(value.text)
        if command is not None:
            self._on_command(command)
        elif not self.online:
            self._refuse(None, OFFLINE_SCAN if self.mode is Mode.PACKING else OFFLINE_OTHER)
        elif self.user is None:
            self._login(lambda: self.app.users.sign_in_with_badge(value.text))
        elif self.mode is Mode.IDLE:
            self._cancel_until = 0.0
            self._start(value.text)
        elif self.override is not None:
            self._manager_badge(value, self.override)
        else:
            self._cancel_until = 0.0
            self._scan_item(value)

    def _on_command(self, command: StationCommand, quiet: bool = False) -> None:
        if command is StationCommand.LOG_OUT:
            self._logout()
            return
        if self.user is None:
            if not quiet:
                self._say("Log in first: scan your badge, or choose your name and type your PIN.", "error")
            return
        if not self.online and command is not StationCommand.SHIP:
            self._refuse(None, OFFLINE_OTHER)
            return
        if command is StationCommand.CANCEL:
            self._cancel(quiet)
            return
        self._cancel_until = 0.0
        if command is StationCommand.NEXT_ORDER:
            self._next_order()
        elif command is StationCommand.REPRINT:
            packer = self._actor()
            self._call(lambda: self.app.shipping.reprint(packer), self._reprinted)
        elif self.view is None:
            if not quiet:
                self._say("No pack in progress: scan an order first, or press F2 for the next one.", "error")
        elif command is StationCommand.SHIP:
            self._ship()
        elif command is StationCommand.NEW_PACKAGE:
            self._new_package(self.view)

    # ------------------------------------------------------------------ people

    def _login(self, job: Callable[[], Actor]) -> None:
        if not self.online:
            self._refuse(None, OFFLINE_OTHER)
            return
        self._call(job, self._signed_in)

    def _signed_in(self, who: Actor) -> None:
        self.user = who
        self._set_view(None)
        self.user_changed.emit(who)
        self._call(lambda: self.app.packing.resume(who), self._resumed)

    def _resumed(self, view: PackView | None) -> None:
        first = self.user.first_name if self.user else ""
        if view is None:
            self._say(f"Hello {first}. Scan an order, or press F2 for the next one.", "ok")
            return
        self._set_view(view)
        done = sum(min(line.scanned, line.ordered) for line in view.lines)
        total = sum(line.ordered for line in view.lines)
        self._say(f"Hello {first}. {view.order_number} was left open at this station: carry on "
                  f"({done} of {plural(total, 'item')} scanned).", "warn")

    def _logout(self) -> None:
        if self.user is None:
            return
        left = self.view
        self.user = None
        self._set_view(None)
        self.user_changed.emit(None)
        kept = (f" The pack of {left.order_number} stays open: it carries on at the next log-in here (after 2 "
                "minutes another station may take it over)." if left else "")
        self._say("Logged out." + kept, "info")

    # ------------------------------------------------------------------ orders and items

    def _start(self, reference: str) -> None:
        packer = self._actor()

        def job() -> PackView | LoginChoice:
            try:
                return self.app.packing.start(packer, reference)
            except PackRefused as refused:
                holder = (self.app.users.badge_holder(reference) if refused.code is Refusal.ORDER_NOT_FOUND
                          else None)
                if holder is None:
                    raise
                return holder

        def done(result: PackView | LoginChoice) -> None:
            if isinstance(result, LoginChoice):
                self._say(badge_words(reference, result, packer), "info")
            else:
                self._started(result)

        self._call(job, done)

    def _next_order(self) -> None:
        if self.view is not None:
            self._say(f"Finish {self.view.order_number} first, or cancel it (Esc twice).", "error")
            return
        packer = self._actor()
        self._call(lambda: self.app.packing.next_order(packer), self._started)

    def _started(self, view: PackView) -> None:
        self._set_view(view)
        self.queue_changed.emit()
        if view.taken_over_from:
            self._say(f"Packing {view.order_number} for {view.customer}. {view.taken_over_from} Scan the rest.",
                      "warn")
            return
        self._say(f"Packing {view.order_number} for {view.customer}: scan each item.", "ok")

    def _scan_item(self, value: ScanValue) -> None:
        assert self.view is not None
        session_id, packer = self.view.session_id, self._actor()

        def job() -> tuple[ScanOutcome, LoginChoice | None]:
            outcome = self.app.packing.scan(packer, session_id, value.text, value.symbology)
            unknown = not outcome.accepted and outcome.refusal is Refusal.UNKNOWN_BARCODE
            return outcome, self.app.users.badge_holder(value.text) if unknown else None

        scanned = sum(line.scanned for line in self.view.lines)

        def failed(exc: Exception) -> None:
            if is_connection_error(exc):
                self._unsure_scan = (session_id, scanned, value.text)
            if not self._offline_failure(exc, OFFLINE_SCAN):
                self._failed(exc)

        self._call(job, lambda result: self._scanned(result[0], result[1], value.text), failed)

    def _scanned(self, result: ScanOutcome, holder: LoginChoice | None = None, code: str = "") -> None:
        empty_scale = self.empty_scale
        self._set_view(result.view)
        if result.accepted:
            self.empty_scale = False
        if holder is not None:  # a badge, not an item
            words = badge_words(code, holder, self._actor(), result.view.order_number, empty_scale)
            if empty_scale:
                self._refuse(Refusal.WEIGHT_UNDER, words)
            else:
                self._say(words, "info")
        elif result.box is not None:
            self._say(result.message, "ok")
        elif result.accepted and result.view.complete:
            self._say("All items scanned ✓ Put the parcel on the scale, then press Enter.", "ok")
        elif result.accepted:
            self._say(result.message, "ok")
        elif result.pending:
            self._say(result.message, "warn")
        else:
            self._refuse(result.refusal, result.message)
