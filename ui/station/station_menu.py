"""The Station menu's own entries: Print command sheet (Ctrl+P), Change shipping service…
(Ctrl+Shift+S), Show last label (Ctrl+Shift+L), Labels not printed… (Ctrl+Shift+R), Void a
shipment…, and Manifests… (only when the composition root gave ``AppContext.manifests``).

* Command sheet: ``app.packing.command_sheet`` builds the PDF in the background; it goes
  to the document printer (``print_pdf``, in the background too) or, without one, to a
  file the user chooses (``command-sheet-<station>.pdf`` in Documents by default). The
  status bar says where it went; a failure is a red banner.
* Change shipping service… is enabled only while an order is open: ``ServiceDialog`` asks
  for a manager, lists the order's options and changes it; the header and the banner then
  show the new service (``StationScreens.service_changed``).
* Labels not printed… (Ctrl+Shift+R, once someone is logged in) opens
  ``LabelPendingDialog``: this station's (or every station's) label-pending shipments,
  each with what Reprint will print, reprinted one by one.
* Show last label (enabled once someone is logged in; Ctrl+L is *log out*) opens
  ``LastLabelDialog`` on the station's last shipment; so does a click on the idle screen's
  thumbnail.
* A manager's badge scanned after a weight refusal — or Accept the weight (manager)…, a
  ``ManagerPrompt`` for a badge or a name and PIN — opens ``WeightOverrideDialog`` (the
  reading, range and difference, a reason, then *Accept and ship*).
* Void and Manifests are manager jobs: the void dialog asks for the manager itself; the
  Manifests view opens at once for a manager or owner logged in at the station, else after
  a ``ManagerPrompt``. While any of these dialogs is open it has the scanner (``lend_scanner``).

Threading: GUI thread; blocking work goes through ``run_in_background``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QWidget

from fulfilstation.app_context import AppContext
from fulfilstation.domain.roles import Permission
from fulfilstation.ports import DeviceError, DocumentPrinter
from fulfilstation.services.actor import Actor
from ui.manifests_view import ManifestsDialog, ManifestsView
from ui.station.label_pending_dialog import LabelPendingDialog
from ui.station.last_label import LastLabelDialog
from ui.station.manager_sign_in import ManagerPrompt, refusal_text
from ui.station.pack_steps import WeightQuestion
from ui.station.screens import StationScreens
from ui.station.service_dialog import ServiceDialog
from ui.station.void_dialog import VoidDialog
from ui.station.weight_override_dialog import WeightOverrideDialog
from ui.widgets.file_dialogs import save_file_name
from ui.worker import run_in_background

STATUS_MS = 15_000
PathChooser = Callable[[QWidget, str], str]  # (parent, suggested path) -> chosen path, "" for none


def choose_save_path(parent: QWidget, suggested: str) -> str:
    return save_file_name(parent, "Save the command sheet", suggested, "PDF (*.pdf)")


def command_sheet_name(station: str) -> str:
    return f"command-sheet-{re.sub(r'[^A-Za-z0-9._-]+', '-', station).strip('-') or 'station'}.pdf"


class StationMenu(QObject):
    status = Signal(str)  # where a command sheet went, for the status bar (and tests)

    def __init__(self, window: QMainWindow, screens: StationScreens, context: Callable[[], AppContext],
                 unit: Callable[[], str], navigate: Callable[[str], None] | None = None) -> None:
        super().__init__(window)
        self.window, self.screens, self.context, self.unit = window, screens, context, unit
        self.navigate = navigate  # shows a workspace screen by key
        self.choose_path: PathChooser = choose_save_path
        self.dialog: QDialog | None = None  # the station dialog (void, service, label, prompt, Manifests) open
        self.command_sheet_action = self._action("Print command sheet", self.print_command_sheet, "Ctrl+P")
        self.service_action = self._action("Change shipping service…", self.open_service_change, "Ctrl+Shift+S")
        self.service_action.setEnabled(False)
        self.last_label_action = self._action("Show last label", self.open_last_label, "Ctrl+Shift+L")
        self.last_label_action.setEnabled(False)
        self.label_pending_action = self._action("Labels not printed…", self.open_label_pending, "Ctrl+Shift+R")
        self.label_pending_action.setEnabled(False)
        screens.controller.user_changed.connect(lambda who: self.label_pending_action.setEnabled(who is not None))
        screens.controller.view_changed.connect(lambda view: self.service_action.setEnabled(view is not None))
        screens.controller.user_changed.connect(self._user_changed)
        screens.idle.last_label.clicked.connect(self.last_label_action.trigger)
        screens.controller.weight_question.connect(self.open_weight_override)
        self.accept_weight_action = self._action("Accept the weight (manager)…", self.ask_weight_manager)
        self.accept_weight_action.setEnabled(False)
        screens.controller.override_armed.connect(self.accept_weight_action.setEnabled)
        self.void_action = self._action("Void a shipment…", self.open_void)
        self.manifests_action = self._action("Manifests…", self.open_manifests)

    def _user_changed(self, who: Actor | None) -> None:
        """Menus follow who is signed in; a log-out closes the station dialog that was open
        (a label, an order's service: the last customer's details leave the screen)."""
        self.last_label_action.setEnabled(who is not None)
        if who is None and self.dialog is not None:
            self.dialog.reject()

    def _action(self, text: str, slot: Callable[[], None], keys: str | None = None) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(lambda _checked=False: slot())
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.window.addAction(action)  # works with the menu bar hidden (full screen)
        return action

    def add_to(self, menu: QMenu) -> None:
        for action in (self.command_sheet_action, self.service_action, self.accept_weight_action,
                       self.last_label_action, self.label_pending_action, self.void_action, self.manifests_action):
            menu.addAction(action)

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)
        self.status.emit(text)

    def _failed(self, what: str, exc: Exception) -> None:
        problem = exc.user_message if isinstance(exc, DeviceError) else refusal_text(exc)
        self.screens.say(f"{what}: {problem}", "error")

    # ------------------------------------------------------------------ command sheet

    def print_command_sheet(self) -> None:
        self._say("Making the command sheet…")
        run_in_background(self.context().app.packing.command_sheet, self._sheet_ready,
                          lambda exc: self._failed("The command sheet could not be made", exc), owner=self)

    def _sheet_ready(self, pdf: bytes) -> None:
        context = self.context()
        printer: DocumentPrinter | None = context.devices.document_printer
        if printer is not None:
            run_in_background(lambda: printer.print_pdf(pdf, f"command sheet {context.station.name}"),
                              lambda _none: self._say(f"Command sheet sent to the document printer {printer.uri}."),
                              lambda exc: self._failed("The command sheet did not print", exc), owner=self)
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path = self.choose_path(self.window, str(Path(folder) / command_sheet_name(context.station.name)))
        if not path:
            self._say("Command sheet not saved.")
            return
        run_in_background(lambda: Path(path).write_bytes(pdf),
                          lambda _size: self._say(f"No document printer is set up: command sheet saved to {path}."),
                          lambda exc: self._failed(f"The command sheet could not be saved to {path}", exc),
                          owner=self)

    # ------------------------------------------------------------------ manager dialogs

    def open_service_change(self) -> None:
        controller = self.screens.controller
        if controller.view is None or self.dialog is not None:
            return
        dialog = ServiceDialog(self.context().app, controller.view.order_number, controller.user, self.window)
        dialog.changed.connect(self.screens.service_changed)
        self.open_dialog(dialog, dialog.take_scan)

    def open_last_label(self) -> None:
        if self.dialog is None:
            self.open_dialog(LastLabelDialog(self.screens.controller.last_labels, self.window), lambda _scan: None)

    def open_label_pending(self) -> None:
        """Every label-pending shipment of this station (or all), each reprintable."""
        user = self.screens.controller.user
        if user is None or self.dialog is not None:
            return
        context = self.context()
        dialog = LabelPendingDialog(context.app, user, context.station.name, self.window)
        dialog.reprinted.connect(self.screens.controller.printed.emit)
        self.open_dialog(dialog, lambda _scan: None)

    def open_void(self) -> None:
        dialog = VoidDialog(self.context().app, self.screens.controller.user, self.window)
        dialog.voided.connect(lambda sentence: self.screens.say(sentence, "ok"))
        dialog.voided.connect(lambda _sentence: self.screens.controller.queue_changed.emit())
        self.open_dialog(dialog, dialog.take_scan)

    def open_manifests(self) -> None:
        user = self.screens.controller.user
        if user is not None and user.may(Permission.CLOSE_MANIFEST) and self.navigate is not None:
            self.navigate("manifests")
            return
        if user is not None and user.may(Permission.CLOSE_MANIFEST):
            self._open_manifests(user)
            return
        prompt = ManagerPrompt(self.context().app, Permission.CLOSE_MANIFEST, "close the day's manifests", user,
                               self.window)
        prompt.finished.connect(lambda _result: self._prompted(prompt))  # before _open's: the view takes over
        self.open_dialog(prompt, prompt.take_scan)

    def _prompted(self, prompt: ManagerPrompt) -> None:
        if prompt.who is not None:
            self._open_manifests(prompt.who)

    def _open_manifests(self, who: Actor) -> None:
        context = self.context()
        view = ManifestsView(context.app, context.devices.document_printer, actor=who, weight_unit=self.unit())
        # nothing to scan there: scans are not packing meanwhile
        self.open_dialog(ManifestsDialog(view, self.window), lambda _scan: None)

    def ask_weight_manager(self) -> None:
        """A manager signs in with a badge or a name and PIN to accept the refused weight."""
        controller = self.screens.controller
        if controller.override is None or self.dialog is not None:
            return
        prompt = ManagerPrompt(self.context().app, Permission.ACCEPT_WEIGHT, "accept a weight outside the range",
                               controller.user, self.window)
        def signed_in(_result: int) -> None:
            if prompt.who is not None:
                controller.manager_signed_in(prompt.who)

        prompt.finished.connect(signed_in)  # before open_dialog's: the override dialog takes over
        self.open_dialog(prompt, prompt.take_scan)

    def open_weight_override(self, question: WeightQuestion) -> None:
        """A manager signed in after a weight refusal: show them the weight and ask why."""
        dialog = WeightOverrideDialog(question, self.unit(), self.window)
        dialog.accepted_weight.connect(self.screens.controller.accept_weight)
        self.open_dialog(dialog, dialog.take_scan)

    def open_dialog(self, dialog: QDialog, take_scan: Callable[..., None]) -> None:
        """Open ``dialog`` window-modal with the scanner lent to it; tidy up when it closes."""
        self.dialog = dialog
        self.screens.lend_scanner(take_scan)
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
            self.screens.take_back_scanner()
            self.window.activateWindow()  # the keys are the station's again
        dialog.deleteLater()
