"""Station → Device settings: pick each device from the discovered list or type its
address, test it, and save.

Anyone at the station may open it and test the devices (a packer checking why the scale
shows nothing); saving is a manager's or owner's change: when the person signed in may not
(or nobody is), Save asks a manager to sign in (``ManagerPrompt``) and saves as them —
``app.stations.save_devices`` checks the role again.

Invariant: a manager who signs in for a Save authorises that one save only. Their actor is
passed to that save and never kept: the next Save asks again (``self.actor`` is always the
person signed in at the station, never the manager who stepped in).

Nothing here blocks the GUI thread: discovery, every test and the save run through
``run_in_background`` (see the rows in ``ui.device_settings``). Whatever a test opened is
stopped when the dialog closes. ``saved(StationSettings)`` is emitted after a save; the
station window then reopens its devices with the new addresses.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.app_context import AppContext
from fulfilstation.devices import address_problem, first_bad_address
from fulfilstation.domain.roles import Permission
from fulfilstation.domain.words import plural
from fulfilstation.ports import DeviceError, DeviceToolkit, DiscoveredDevice
from fulfilstation.services.actor import Actor
from fulfilstation.settings import DeviceSettings, StationSettings
from ui.device_settings.printer_rows import DocumentPrinterRow, LabelPrinterRow
from ui.device_settings.row import DeviceRow, error_text, offer_choices
from ui.device_settings.scale_row import ScaleRow
from ui.device_settings.scanner_row import ScannerRow
from ui.devices.describe import preferred_weight_unit
from ui.station.manager_sign_in import ManagerPrompt
from ui.style import GREEN, GREY, RED, result_css
from ui.widgets.screen_fit import client_fitted, place_on_screen
from ui.worker import run_in_background

SIZE = (1400, 860)  # px, as large as the screen allows (the rows scroll below that)

class StationSettingsDialog(QDialog):
    saved = Signal(object)  # StationSettings

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 toolkit: DeviceToolkit | None = None, unit: str | None = None, actor: Actor | None = None) -> None:
        """``toolkit`` replaces ``context.toolkit`` (tests give one whose discovery is fixed);
        ``actor`` is who is signed in (None: nobody); a manager or owner saves, anyone else
        is asked for one on Save (``app.stations.save_devices`` checks)."""
        super().__init__(parent)
        self.context = context
        self.actor = actor
        self.settings = context.settings
        self.toolkit = toolkit if toolkit is not None else context.toolkit
        self.unit = unit or preferred_weight_unit()
        self.discovered: list[DiscoveredDevice] = []
        self.saving = False
        self._close_when_saved: int | None = None
        self.discard_box: QMessageBox | None = None  # "Discard the unsaved changes?" while asked
        self.setWindowTitle(f"Device settings — station {self.settings.station_name}")
        self._build()
        self._show_who_saves()
        self.discover()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        place_on_screen(self)  # over its window, but never past the screen's edges
        QTimer.singleShot(0, lambda: place_on_screen(self))  # once the window manager framed it

    def _build(self) -> None:
        devices, station, toolkit = self.settings.devices, self.settings.station_name, self.toolkit
        self.scanner_row = ScannerRow(devices.scanner, toolkit, self)
        self.scale_row = ScaleRow(devices.scale, toolkit, self.unit, self)
        self.label_row = LabelPrinterRow(devices.label_printer, toolkit, station, self)
        self.document_row = DocumentPrinterRow(devices.document_printer, toolkit, station, self)
        self.discovery = QLabel(self)
        self.discovery.setObjectName("discovery")
        self.discovery.setWordWrap(True)
        self.search_button = self._button("Look again", self.discover)
        self.message = QLabel(self)
        self.message.setObjectName("testResult")
        self.message.setWordWrap(True)
        self.save_button = self._button("Save", self.save)
        self.prompt: ManagerPrompt | None = None  # asking for a manager before a save
        close_button = self._button("Close", self.reject)
        top = QHBoxLayout()
        top.addWidget(self.discovery, 1)
        top.addWidget(self.search_button)
        rows = QWidget(self)  # scrolls when the screen is small: Save and Close stay in sight
        grid = QGridLayout(rows)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, row in enumerate(self.rows):
            grid.addWidget(row, index // 2, index % 2)
        self.rows_area = QScrollArea(self)
        self.rows_area.setWidgetResizable(True)
        self.rows_area.setFrameShape(QFrame.Shape.NoFrame)
        self.rows_area.setWidget(rows)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.rows_area, 1)
        layout.addLayout(bottom)
        self.resize(client_fitted(QSize(*SIZE), self))

    def _button(self, text: str, action: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)  # Enter in the scan box or an address box presses nothing
        button.clicked.connect(action)
        return button

    @property
    def rows(self) -> tuple[DeviceRow, ...]:
        return self.scanner_row, self.scale_row, self.label_row, self.document_row

    # ------------------------------------------------------------------ discovery

    def discover(self) -> None:
        self._offer([])
        if self.toolkit is None:
            self.discovery.setText("Device drivers are not available in this window: addresses can be typed "
                                   "and saved, but not tested.")
            self.search_button.setEnabled(False)
            return
        self.discovery.setText("Looking for devices…")
        self.search_button.setEnabled(False)
        run_in_background(self.toolkit.discover, self._discovered, self._discovery_failed, owner=self)

    def _discovered(self, found: list[DiscoveredDevice]) -> None:
        self.discovered = list(found)
        self.search_button.setEnabled(True)
        self._offer(self.discovered)
        if found:
            self.discovery.setText(f"Found {plural(len(found), 'device')} on this PC: pick one from the lists, "
                                   "or type an address.")
        else:
            self.discovery.setText("No scale or scanner found on this PC: plug it in and press Look again, "
                                   "or type an address.")

    def _discovery_failed(self, exc: Exception) -> None:
        self.search_button.setEnabled(True)
        self.discovery.setText(f"Could not look for devices: {error_text(exc)} You can still type an address.")

    def _offer(self, found: list[DiscoveredDevice]) -> None:
        offer_choices(self.rows, found)

    # ------------------------------------------------------------------ saving

    def chosen(self) -> DeviceSettings:
        return DeviceSettings(scanner=self.scanner_row.uri(), scale=self.scale_row.uri(),
                              label_printer=self.label_row.uri(), document_printer=self.document_row.uri())

    def save(self) -> None:
        if self.saving:
            return
        devices = self.chosen()
        if not devices.scanner:
            self._tell("Choose a scanner: wedge: for a scanner that types like a keyboard.", RED)
            return
        actor = self.actor
        if actor is None or not actor.may(Permission.DEVICE_SETTINGS):
            self._ask_for_manager()
            return
        self._save_as(actor, devices)

    def _save_as(self, actor: Actor, devices: DeviceSettings) -> None:
        """Save ``devices`` as ``actor``, in the background; ``actor`` is not kept."""
        toolkit, stations, settings = self.toolkit, self.context.app.stations, self.settings

        def job() -> StationSettings:
            if toolkit is not None:
                check_addresses(toolkit, devices)
            return stations.save_devices(actor, settings, devices)

        self.saving = True
        self.save_button.setEnabled(False)
        self._tell("Saving…", GREY)
        run_in_background(job, self._saved, self._save_failed, owner=self)

    def may_save(self) -> bool:
        return self.actor is not None and self.actor.may(Permission.DEVICE_SETTINGS)

    def _ask_for_manager(self) -> None:
        """Who saves? A manager signs in (badge or PIN); the save goes ahead as them."""
        if self.prompt is not None:
            return
        prompt = ManagerPrompt(self.context.app, Permission.DEVICE_SETTINGS, "change this station's devices",
                               self.actor, self)
        self.prompt = prompt
        self._tell("Saving needs a manager or an owner: ask one to sign in.", GREY)
        prompt.finished.connect(lambda _result: self._prompted(prompt))
        prompt.open()

    def _prompted(self, prompt: ManagerPrompt) -> None:
        self.prompt = None
        prompt.deleteLater()
        if prompt.who is None:
            self._tell("Not saved: a manager or an owner saves device settings. You can still test them.", GREY)
            return
        self._save_as(prompt.who, self.chosen())  # this save only: the next Save asks again

    def _show_who_saves(self) -> None:
        self.save_button.setText("Save" if self.may_save() else "Save (a manager signs in)…")

    def _saved(self, settings: StationSettings) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.settings = settings
        self._tell("Saved for this station. The station window uses these devices when you close this dialog.",
                   GREEN)
        self.saved.emit(settings)
        self._close_if_asked()

    def _save_failed(self, exc: Exception) -> None:
        from fulfilstation.errors import describe_error

        self.saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, AddressError):
            self._tell(f"Not saved: {exc.user_message} Fix it and save again.", RED)
        else:
            self._tell(f"Not saved: {describe_error(exc)}", RED)
        self._close_if_asked()

    def _close_if_asked(self) -> None:
        if self._close_when_saved is not None:
            self.done(self._close_when_saved)

    def _tell(self, text: str, colour: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(result_css(colour))

    # ------------------------------------------------------------------ closing

    def unsaved(self) -> bool:
        """Whether the addresses shown differ from the saved ones."""
        return self.chosen() != self.settings.devices

    def reject(self) -> None:
        """Close (the Close button, Escape, the title bar's ×); with an unsaved change the
        person is asked "Discard the unsaved changes?" first (``discard_box``)."""
        if self.saving or not self.unsaved():
            super().reject()
            return
        if self.discard_box is None:
            box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes", "Discard the unsaved changes?",
                              QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            box.finished.connect(lambda _result: self._answered(box))
            self.discard_box = box
            box.open()

    def _answered(self, box: QMessageBox) -> None:
        self.discard_box = None
        box.deleteLater()
        if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Discard:
            super().reject()

    def done(self, result: int) -> None:
        """Close, stopping every test. While a save is running the dialog stays open until
        it has finished, so the station window always learns the saved addresses."""
        if self.saving:
            self._close_when_saved = result
            self._tell("Finishing the save…", GREY)
            return
        for row in self.rows:
            row.close_row()
        super().done(result)


def check_addresses(toolkit: DeviceToolkit, devices: DeviceSettings) -> None:
    """Open (without starting) each device, so a bad address is refused before it is
    saved. Opening touches no hardware, but call it off the GUI thread all the same."""
    bad = first_bad_address(toolkit, devices)
    if bad is not None:
        name, exc = bad
        raise AddressError(str(exc), user_message=f"The {name} address is wrong: {address_problem(exc)}") from exc


class AddressError(DeviceError):
    """A device address that cannot be saved; ``user_message`` names the device and the bad part."""
