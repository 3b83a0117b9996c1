"""``PackSteps``: the station's state (who, which pack) and the steps that finish a pack —
weigh and ship, a manager's override, a new package, reprint, cancel.

A weight outside the expected range arms ``override`` with the refused weighing: the
next badge scanned, if it is a manager's or an owner's, ships that weighing on their
authority (``Weighing.override_by``). The scale's reading and the printers are asked for
at the moment of the step (``weight()``, ``printer()``, ``document_printer()``), so a
device that was changed in the settings is used at once. With a document printer the
packing slip prints after the label; a slip that did not print is an amber line.

Threading: GUI thread only; the service calls go through ``SerialCalls._call``.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from fulfilstation.app_context import StationServices
from fulfilstation.ports import DocumentPrinter, LabelPrinter, ScanValue, WeightReading
from fulfilstation.services.packing import PackRefused, PackView, PrintOutcome, Refusal, Weighing
from fulfilstation.services.users.sign_in import LoginRefused, SignedIn
from ui.devices.describe import describe_scale_state
from ui.station.calls import SerialCalls

MANAGER_ROLES = ("manager", "owner")
CANCEL_CONFIRM_S = 6.0
WEIGHT_REFUSALS = (Refusal.WEIGHT_OVER, Refusal.WEIGHT_UNDER)


class Mode(enum.StrEnum):
    LOGGED_OUT = "logged-out"
    IDLE = "idle"
    PACKING = "packing"


class PackSteps(SerialCalls):
    user_changed = Signal(object)  # SignedIn | None
    view_changed = Signal(object)  # PackView | None
    printed = Signal(object)  # PrintOutcome, after a ship or a reprint
    queue_changed = Signal()  # an order was claimed, shipped or given back

    def __init__(self, services: StationServices, weight: Callable[[], WeightReading],
                 printer: Callable[[], LabelPrinter | None], parent: QObject | None = None, *,
                 document_printer: Callable[[], DocumentPrinter | None] = lambda: None) -> None:
        super().__init__(parent)
        self.services = services
        self.weight = weight
        self.printer = printer
        self.document_printer = document_printer
        self.mode = Mode.LOGGED_OUT
        self.user: SignedIn | None = None
        self.view: PackView | None = None
        self.override: Weighing | None = None  # a refused weighing a manager's badge may accept
        self._cancel_until = 0.0

    def _scan_item(self, value: ScanValue) -> None:
        raise NotImplementedError  # the controller's: a scan that was not a manager's badge

    def _failed(self, exc: Exception) -> None:
        """Say what went wrong; a pack finished or released elsewhere leaves the screen."""
        if isinstance(exc, PackRefused) and exc.code is Refusal.SESSION_CLOSED and self.view is not None:
            self._set_view(None)
            self.queue_changed.emit()
        super()._failed(exc)

    # ------------------------------------------------------------------ weighing and shipping

    def _weighing(self) -> Weighing | None:
        reading = self.weight()
        if reading.grams is None:
            state = describe_scale_state(reading.state)
            self._say(f"The scale shows no weight ({state.text}). {state.advice}".strip(), "error")
            return None
        return Weighing(reading.grams, stable=reading.usable)

    def _ship(self, weighing: Weighing | None = None) -> None:
        weighing = weighing or self._weighing()
        if weighing is None or self.view is None:
            return
        session_id, number, printer = self.view.session_id, self.view.order_number, self.printer()
        documents = self.document_printer()
        self.override = None
        self._call(lambda: self.services.ship_and_print(session_id, weighing, printer, documents),
                   lambda outcome: self._shipped(number, outcome), lambda exc: self._ship_refused(exc, weighing))

    def _ship_refused(self, exc: Exception, weighing: Weighing) -> None:
        if isinstance(exc, PackRefused) and exc.code in WEIGHT_REFUSALS:
            self.override = weighing
        self._failed(exc)

    def _shipped(self, number: str, outcome: PrintOutcome) -> None:
        self._set_view(None)
        self.queue_changed.emit()
        self.printed.emit(outcome)
        tracking = ", ".join(t for t in outcome.tracking_numbers if t)
        shipped = f"Shipped {number} — tracking {tracking}" if tracking else f"Shipped {number}"
        if outcome.printed:
            text = f"{shipped} — label printed. Scan the next order."
        else:
            problem = outcome.problem or "the printer did not take it."
            hint = "" if "Reprint" in problem else " Press Ctrl+R to reprint."
            text = f"{shipped} — label not printed: {problem}{hint}"
        if outcome.slip_problem:
            text += f"\n{outcome.slip_problem}"
        self._say(text, "ok" if outcome.printed and not outcome.slip_problem else "warn")

    def _manager_badge(self, value: ScanValue, weighing: Weighing) -> None:
        def job() -> SignedIn | None:
            try:
                return self.services.login_with_badge(value.text)
            except LoginRefused:
                return None  # not a badge: an ordinary scan

        self._call(job, lambda who: self._badge_scanned(value, weighing, who))

    def _badge_scanned(self, value: ScanValue, weighing: Weighing, who: SignedIn | None) -> None:
        if who is None:
            self._scan_item(value)
        elif who.role not in MANAGER_ROLES:
            self._say(f"{who.full_name} is not a manager: only a manager or owner can accept this weight.", "error")
        else:
            self._say(f"Weight accepted by {who.full_name}. Shipping…", "info")
            self._ship(replace(weighing, override_by=who.user_id))

    def _new_package(self, view: PackView) -> None:
        weighing = self._weighing()
        if weighing is not None:
            self._call(lambda: self.services.close_package(view.session_id, weighing), self._package_closed)

    def _package_closed(self, view: PackView) -> None:
        self._set_view(view)
        self._say(f"Package {view.package_sequence - 1} closed. Scan the items for package "
                  f"{view.package_sequence}.", "ok")

    def _reprinted(self, outcome: PrintOutcome | None) -> None:
        if outcome is None:
            self._say("Nothing to reprint: this station has not shipped anything yet.", "warn")
            return
        self.printed.emit(outcome)
        tracking = ", ".join(outcome.tracking_numbers)
        if outcome.printed:
            self._say(f"Label reprinted — tracking {tracking}.", "ok")
        else:
            self._say(f"Label not printed: {outcome.problem}", "warn")

    def _cancel(self, quiet: bool) -> None:
        view = self.view
        if view is None:
            if not quiet:
                self._say("No pack in progress: nothing to cancel.", "info")
            return
        if time.monotonic() >= self._cancel_until:
            self._cancel_until = time.monotonic() + CANCEL_CONFIRM_S
            self._say(f"Cancel the pack of {view.order_number}? Press Esc again (or scan FS:CANCEL) to confirm; "
                      "anything else carries on.", "warn")
            return
        self._cancel_until = 0.0
        user_id = self._user_id()
        self._call(lambda: self.services.cancel(view.session_id, user_id), lambda _: self._cancelled(view))

    def _cancelled(self, view: PackView) -> None:
        self._set_view(None)
        self.queue_changed.emit()
        self._say(f"Pack of {view.order_number} cancelled: the order is back in the queue. Put its items back.",
                  "warn")

    def _set_view(self, view: PackView | None) -> None:
        self.view = view
        if view is None:
            self.override = None
            self._cancel_until = 0.0
        self.mode = Mode.PACKING if view else Mode.IDLE if self.user else Mode.LOGGED_OUT
        self.view_changed.emit(view)

    def _user_id(self) -> int:
        assert self.user is not None
        return self.user.user_id
