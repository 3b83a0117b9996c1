"""The printers' rows: Test prints a test label or a test page.

Label printer: on a worker thread, open the printer, ask its ``status()``, and only when
it is ready send the test label (``fulfilstation.documents.labels.printer_test_label``), as
the packing flow will (a two-way printer that is not ready gets nothing; its advice is
shown). Document printer: build a one-page PDF (``fulfilstation.documents.test_page``) and
print it, on a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from fulfilstation.documents.labels.printer_test_label import printer_test_label_zpl
from fulfilstation.documents.test_page import build_test_page
from fulfilstation.ports import DeviceToolkit, PrinterStatus
from ui.device_settings.choices import DOCUMENT_PRINTER, LABEL_PRINTER
from ui.device_settings.row import DeviceRow
from ui.style import GREEN, GREY, RED


@dataclass(frozen=True)
class LabelTestOutcome:
    status: PrinterStatus
    sent: bool


class LabelPrinterRow(DeviceRow):
    def __init__(self, uri: str, toolkit: DeviceToolkit | None, station: str, parent: QWidget | None = None) -> None:
        super().__init__(LABEL_PRINTER, "Label printer", uri, toolkit, parent)
        self.station = station

    def run_test(self, uri: str) -> None:
        toolkit, station = self.toolkit, self.station
        assert toolkit is not None
        if not uri:
            self.report("No label printer is set: choose one above.", RED)
            return

        def job() -> LabelTestOutcome:
            printer = toolkit.open_label_printer(uri)
            status = printer.status()
            if not status.ready:
                return LabelTestOutcome(status, sent=False)
            printer.send(printer_test_label_zpl(station), "test label")
            return LabelTestOutcome(status, sent=True)

        self.report("Asking the printer, then sending a test label…")
        self.background(job, self._done)

    def _done(self, outcome: LabelTestOutcome) -> None:
        status = outcome.status
        if not outcome.sent:
            self.report(f"Not sent: the printer reports {status.words}. {status.advice}", RED)
        elif status.two_way:
            self.report("Test label sent: the printer is ready.", GREEN)
        else:
            self.report("Test label sent. This printer cannot report its state: check that a label came out.",
                        GREEN)


class DocumentPrinterRow(DeviceRow):
    def __init__(self, uri: str, toolkit: DeviceToolkit | None, station: str, parent: QWidget | None = None) -> None:
        super().__init__(DOCUMENT_PRINTER, "Document printer", uri, toolkit, parent)
        self.station = station

    def run_test(self, uri: str) -> None:
        toolkit, station = self.toolkit, self.station
        assert toolkit is not None
        if not uri:
            self.report("No document printer is set: packing slips will not be printed.", GREY)
            return

        def job() -> str:
            printer = toolkit.open_document_printer(uri)
            printer.print_pdf(build_test_page(station, uri), "test page")
            return uri

        self.report("Printing a test page…")
        self.background(job, self._done)

    def _done(self, uri: str) -> None:
        if uri.startswith("pdf:"):
            self.report("Test page saved as a PDF file in the folder of this address.", GREEN)
        else:
            self.report("Test page sent: check that it came out of the printer.", GREEN)
