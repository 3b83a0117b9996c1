"""``SetupAssistant``: one PC or a site → the station's name → its devices → Finish.

Finish hands everything to ``StationSetup.apply`` (the door ``fulfilstation setup`` uses) on
a worker thread; the assistant closes accepted once it has written the settings, or stays
on its last page saying why it could not (nothing written). Cancel (or Escape, or the title
bar's ×) closes it rejected, having written nothing: the connection test and the device
tests write no file. ``applied`` is emitted just before it closes accepted, so the caller
can show its next window first. Nothing blocks the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget, QWizard

from fulfilstation.services.setup import SetupReport, SetupRequest, StationSetup
from ui.setup_assistant.database_page import DatabasePage
from ui.setup_assistant.devices_page import DevicesPage
from ui.setup_assistant.finish_page import FinishPage
from ui.setup_assistant.station_page import StationPage
from ui.widgets.screen_fit import client_fitted
from ui.worker import run_in_background

SIZE = (1200, 800)
DATABASE, STATION, DEVICES, FINISH = range(4)


class SetupAssistant(QWizard):
    applied = Signal(object)  # SetupReport

    def __init__(self, door: StationSetup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.door = door
        self.applying = False
        self.report: SetupReport | None = None
        current = door.current()
        self.setWindowTitle("Set up FulfilStation on this PC")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.database_page = DatabasePage(door, self)
        self.station_page = StationPage(current.station_name, self)
        self.devices_page = DevicesPage(door.toolkit, current.devices, current.station_name, self)
        self.finish_page = FinishPage(self)
        for page_id, page in ((DATABASE, self.database_page), (STATION, self.station_page),
                              (DEVICES, self.devices_page), (FINISH, self.finish_page)):
            self.setPage(page_id, page)
        self.currentIdChanged.connect(self._entered)
        self.resize(client_fitted(QSize(*SIZE), self))

    def _entered(self, page_id: int) -> None:
        if page_id == DEVICES:
            self.devices_page.set_station(self.station_page.station())
            self.devices_page.discover()
        elif page_id == FINISH:
            self.finish_page.prepare(self._summary(), one_pc=not self.database_page.joins_site())

    def _summary(self) -> str:
        devices = self.devices_page.chosen()
        database = self.database_page.database() or "this PC's embedded database"
        simulated = [name for name, uri in (("scanner", devices.scanner), ("scale", devices.scale),
                                            ("label printer", devices.label_printer),
                                            ("document printer", devices.document_printer))
                     if uri.split("?", 1)[0] == "sim:"]
        warning = (f"\nSimulated (a demo or training: nothing real is scanned, weighed or printed): the "
                   f"{' and the '.join(simulated)}. For real parcels, go Back and choose the real devices."
                   if simulated else "")
        return (f"Station {self.station_page.station()} on {database}.\nScanner {devices.scanner}, scale "
                f"{devices.scale or 'none'}, label printer {devices.label_printer or 'none'}, document printer "
                f"{devices.document_printer or 'none'}.{warning}\nFinish checks them again and writes the settings; "
                "a password goes to the system's keyring, never to a file.")

    def request(self) -> SetupRequest:
        devices = self.devices_page.chosen()
        return SetupRequest(station=self.station_page.station(), database=self.database_page.database(),
                            password=self.database_page.given_password(), scanner=devices.scanner,
                            scale=devices.scale, label_printer=devices.label_printer,
                            document_printer=devices.document_printer, demo=self.finish_page.demo.isChecked())

    def accept(self) -> None:
        """Finish: apply in the background; close once it is written."""
        if self.applying:
            return
        self.applying = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.finish_page.say("Checking the database and the devices, then writing the settings…")
        door, request = self.door, self.request()
        run_in_background(lambda: door.apply(request), self._applied, self._refused, owner=self)

    def _applied(self, report: SetupReport) -> None:
        self.applying = False
        self.report = report
        self.finish_page.show_report(report)
        self.devices_page.stop_tests()
        self.applied.emit(report)
        super().accept()

    def _refused(self, exc: Exception) -> None:
        from fulfilstation.errors import describe_error

        self.applying = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        self.finish_page.refused(f"Not set up: {describe_error(exc)}")

    def reject(self) -> None:
        """Cancel: nothing is written (refused while Finish is writing)."""
        if self.applying:
            return
        self.devices_page.stop_tests()
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """A scanner ends each scan with Enter: on the devices page it must not press Next."""
        if self.currentId() == DEVICES and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)
