"""``PackSteps``: the station's state (who, which pack) and the steps that finish a pack —
weigh and ship, a manager's override, a new package, reprint, cancel.

A weight outside the expected range arms ``override`` with the refused weighing: the
next badge scanned signs its holder in (``app.users.sign_in_with_badge``) — or a manager
signs in with a name and PIN (Station → Accept the weight…, ``manager_signed_in``) —; a manager gets
``weight_question`` (the window shows ``WeightOverrideDialog``: reading, range,
difference, a reason) and only their confirmation (``accept_weight``) ships that weighing
on their authority with their reason (``Weighing.override``/``reason``); whether they may
accept it is the ship use case's decision, not the window's. The shipped banner says who
accepted which weight. An empty scale is nothing a manager could accept: it arms nothing,
and a badge scanned after it is told so (``empty_scale``, until the next weighing). The
scale's reading is asked for at the moment of the step (``weight()``). Shipping is one
call, ``app.shipping.ship``: it records, buys an API label, prints on this station's
printers (the ``StationPrinters`` port the window keeps in step with its devices) and
prints or saves the packing slip; a slip that did not print, or was saved (no document
printer: the line says where), is amber.

Threading: GUI thread only; the service calls go through ``SerialCalls._call``.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from fulfilstation.domain.roles import Permission, who_may
from fulfilstation.domain.weight_check import ExpectedWeight
from fulfilstation.ports import ScanValue, WeightReading
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import PackRefused, PackView, Refusal, Weighing
from fulfilstation.services.shipping import PrintOutcome, ShipmentLabels
from fulfilstation.services.users import SignInRefused
from ui.devices.describe import describe_scale_state
from ui.station.calls import SerialCalls

CANCEL_CONFIRM_S = 6.0
WEIGHT_REFUSALS = (Refusal.WEIGHT_OVER, Refusal.WEIGHT_UNDER)


class Mode(enum.StrEnum):
    LOGGED_OUT = "logged-out"
    IDLE = "idle"
    PACKING = "packing"


@dataclass(frozen=True)
class WeightQuestion:
    """A refused weighing a signed-in manager may accept: what the override dialog shows."""

    manager: Actor
    weighing: Weighing
    expected: ExpectedWeight
    order_number: str
    closes_package: bool = False  # the weighing closed a package (FS:NEWPKG), not the ship


class PackSteps(SerialCalls):
    weight_question = Signal(object)  # WeightQuestion: a manager may accept this weight (ask them)
    override_armed = Signal(bool)  # a refused weighing waits for a manager (True) or no longer (False)
    user_changed = Signal(object)  # Actor | None
    view_changed = Signal(object)  # PackView | None
    printed = Signal(object)  # PrintOutcome, after a ship or a reprint
    queue_changed = Signal()  # an order was claimed, shipped or given back

    def __init__(self, app: AppServices, station_id: int, weight: Callable[[], WeightReading],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.station_id = station_id
        self.weight = weight
        self.mode = Mode.LOGGED_OUT
        self.user: Actor | None = None
        self.view: PackView | None = None
        self._override: Weighing | None = None  # a refused weighing a manager's badge may accept
        self._override_closes_package = False  # that weighing closed a package (else: it shipped)
        self._cancel_until = 0.0
        self.empty_scale = False  # the last weighing was refused: nothing was on the scale

    @property
    def override(self) -> Weighing | None:
        """The refused weighing a manager may accept (None: nothing to accept)."""
        return self._override

    @override.setter
    def override(self, weighing: Weighing | None) -> None:
        armed = weighing is not None
        changed = armed != (self._override is not None)
        self._override = weighing
        if changed:
            self.override_armed.emit(armed)

    def manager_signed_in(self, who: Actor) -> None:
        """A manager signed in by name and PIN (or badge) in a prompt to accept the refused weight."""
        def ask() -> None:
            if self.override is None:
                self._say("There is no weight waiting for a manager.", "info")
                return
            self._badge_scanned(ScanValue("", None, b""), self.override, who)

        self._submit(ask)

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
        session_id, number, packer = self.view.session_id, self.view.order_number, self._actor()
        self.override, self.empty_scale = None, False
        self._call(lambda: self.app.shipping.ship(packer, session_id, weighing),
                   lambda outcome: self._shipped(number, outcome), lambda exc: self._weight_refused(exc, weighing))

    def _weight_refused(self, exc: Exception, weighing: Weighing, closes_package: bool = False) -> None:
        if isinstance(exc, PackRefused) and exc.code in WEIGHT_REFUSALS and weighing.grams > 0:
            self._override_closes_package = closes_package
            self.override = weighing
        elif isinstance(exc, PackRefused) and exc.code in WEIGHT_REFUSALS:
            self.empty_scale = True  # nothing a manager could accept
        self._failed(exc)

    def _shipped(self, number: str, outcome: PrintOutcome) -> None:
        self._set_view(None)
        self.queue_changed.emit()
        self.printed.emit(outcome)
        tracking = ", ".join(t for t in outcome.tracking_numbers if t)
        shipped = f"Shipped {number} — tracking {tracking}" if tracking else f"Shipped {number}"
        if outcome.database_lost:  # committed, then the database went away: the truth, in its own words
            self._say(f"{outcome.problem}\n{outcome.slip_problem}", "warn")
            return
        if outcome.printed:
            text = f"{shipped} — label printed. Scan the next order."
        else:
            problem = outcome.problem or "the printer did not take it."
            hint = "" if "Reprint" in problem else (" Press Ctrl+R to reprint (Ctrl+Shift+R lists every label not "
                                                    "printed).")
            text = f"{shipped} — label not printed: {problem}{hint}"
        for accepted in outcome.weight_accepted:
            text += f"\n{accepted}."
        if outcome.service_note:
            text += f"\n{outcome.service_note}."
        if outcome.slip_problem:
            text += f"\n{outcome.slip_problem}"
        elif outcome.slip_saved_to:
            text += f"\nNo document printer: packing slip saved to {outcome.slip_saved_to}"
        elif outcome.slip_filed_to:  # the station files slips as PDFs (pdf://, the demo's): say where
            text += f"\nPacking slip saved to {outcome.slip_filed_to}"
        if outcome.customs_note:  # a shipment abroad: its CN22/CN23 and invoice printed, saved, or why not
            text += f"\n{outcome.customs_note}"
        slip_done = not outcome.slip_problem and not outcome.slip_saved_to  # a saved slip still needs printing
        customs_done = outcome.customs_note is None or outcome.customs_note.startswith("Customs documents printed")
        self._say(text, "ok" if outcome.printed and slip_done and customs_done else "warn")

    def _manager_badge(self, value: ScanValue, weighing: Weighing) -> None:
        def job() -> Actor | None:
            try:
                return self.app.users.sign_in_with_badge(value.text)
            except SignInRefused as refused:
                if refused.code == "unknown-badge":
                    return None  # not a badge: an ordinary scan
                raise

        self._call(job, lambda who: self._badge_scanned(value, weighing, who))

    def _badge_scanned(self, value: ScanValue, weighing: Weighing, who: Actor | None) -> None:
        if who is None:
            self._scan_item(value)
        elif not who.may(Permission.ACCEPT_WEIGHT):  # the use case would refuse: say so, stay armed
            self._refuse(Refusal.NOT_ALLOWED, f"{who.full_name} is not a manager: only "
                         f"{who_may(Permission.ACCEPT_WEIGHT)} can accept this weight.")
        elif self.view is None or self.view.expected_g is None or self.view.expected_min_g is None \
                or self.view.expected_max_g is None:
            self._say("There is no weight to accept: ship again.", "info")
        else:
            view = self.view
            expected = ExpectedWeight(view.expected_g or 0, view.expected_min_g or 0, view.expected_max_g or 0)
            self._say(f"{who.full_name}: check the weight, choose a reason and confirm to ship.", "info")
            self.weight_question.emit(WeightQuestion(who, weighing, expected, view.order_number,
                                                     self._override_closes_package))

    def accept_weight(self, question: WeightQuestion, reason: str) -> None:
        """The manager confirmed the override dialog: ship the refused weighing on their
        authority, with their reason (the use case checks both)."""
        def ship() -> None:
            if self.view is None or self.view.order_number != question.order_number:
                self._say(f"{question.order_number} is no longer open here: nothing shipped.", "warn")
                return
            accepted = replace(question.weighing, override=question.manager, reason=reason)
            if question.closes_package:
                self._say(f"Weight accepted by {question.manager.full_name}. Closing the package…", "info")
                self._close_package(self.view, accepted)
                return
            self._say(f"Weight accepted by {question.manager.full_name}. Shipping…", "info")
            self._ship(accepted)

        self._submit(ship)

    def _new_package(self, view: PackView) -> None:
        weighing = self._weighing()
        if weighing is not None:
            self._close_package(view, weighing)

    def _close_package(self, view: PackView, weighing: Weighing) -> None:
        packer = self._actor()
        self.override, self.empty_scale = None, False
        self._call(lambda: self.app.packing.close_package(packer, view.session_id, weighing),
                   self._package_closed, lambda exc: self._weight_refused(exc, weighing, closes_package=True))

    def _package_closed(self, view: PackView) -> None:
        self._set_view(view)
        self._say(f"Package {view.package_sequence - 1} closed. Scan the items for package "
                  f"{view.package_sequence}.", "ok")

    def _reprinted(self, outcome: PrintOutcome | None) -> None:
        if outcome is None:
            self._say("Nothing to reprint: this station has not shipped anything yet.", "warn")
            return
        self.printed.emit(outcome)
        if outcome.printed:
            self._say(f"Reprinted {outcome.what} on {outcome.printer}.", "ok")
        else:
            self._say(f"Not reprinted ({outcome.what}): {outcome.problem}", "warn")

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
        packer = self._actor()
        self._call(lambda: self.app.packing.cancel(packer, view.session_id), lambda _: self._cancelled(view))

    def _cancelled(self, view: PackView) -> None:
        self._set_view(None)
        self.queue_changed.emit()
        self._say(f"Pack of {view.order_number} cancelled: the order is back in the queue. Put its items back.",
                  "warn")

    def _set_view(self, view: PackView | None) -> None:
        self.view = view
        if view is None:
            self.override, self.empty_scale = None, False
            self._cancel_until = 0.0
        self.mode = Mode.PACKING if view else Mode.IDLE if self.user else Mode.LOGGED_OUT
        self.view_changed.emit(view)

    def last_labels(self) -> ShipmentLabels | None:
        """This station's latest shipment's labels (blocking: call in the background)."""
        return self.app.shipping.last_labels(self.station_id)

    def _actor(self) -> Actor:
        assert self.user is not None
        return self.user
