"""The station window (skeleton the packing flow grows in): who and where, a status
banner, the packing queue, the device bar, and the database in the status bar.

Never blocks: the queue is loaded through ``run_in_background`` and refreshed every 30 s
and on F5; while a load is under way the status bar says so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QLabel, QMainWindow, QTableView, QVBoxLayout, QWidget

from fulfilstation.app_context import AppContext
from fulfilstation.services.queue import QueueSnapshot
from ui.style import AMBER, GREY, RED, banner_css
from ui.widgets.device_bar import DeviceBar
from ui.widgets.queue_model import QueueModel
from ui.worker import run_in_background

REFRESH_MS = 30_000


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle(f"FulfilStation — {context.station.name}")
        self.resize(1280, 800)
        self.queue_model = QueueModel()
        self._loading = False
        self.setCentralWidget(self._build_body())
        self._build_status_bar()
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh_queue)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh_queue)
        self._timer.start(REFRESH_MS)
        self.show_notices()
        self.refresh_queue()

    def _build_body(self) -> QWidget:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.title = QLabel(f"Station {self.context.station.name} — not logged in")
        self.title.setObjectName("title")
        self.banner = QLabel("Scan an order to start packing")
        self.banner.setObjectName("banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setStyleSheet(banner_css(GREY))
        self.counts = QLabel("Loading the queue…")
        self.table = QTableView(body)
        self.table.setModel(self.queue_model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        devices = self.context.settings.devices
        self.device_bar = DeviceBar({"Scanner": devices.scanner, "Scale": devices.scale,
                                     "Label printer": devices.label_printer,
                                     "Document printer": devices.document_printer or None}, body)
        for widget in (self.title, self.banner, self.counts, self.table, self.device_bar):
            layout.addWidget(widget)
        return body

    def _build_status_bar(self) -> None:
        revision = self.context.schema_revision or "empty"
        self.statusBar().addPermanentWidget(QLabel(f"{self.context.database_label} · schema {revision}"))

    def show_notices(self) -> None:
        if self.context.notices:
            self.set_banner(" ".join(self.context.notices), AMBER)

    def set_banner(self, text: str, colour: str) -> None:
        self.banner.setText(text)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(banner_css(colour))

    def refresh_queue(self) -> None:
        if self._loading:
            return
        self._loading = True
        self.statusBar().showMessage("Loading the packing queue…")
        run_in_background(self.context.services.packing_queue, self._queue_loaded, self._queue_failed, owner=self)

    def _queue_loaded(self, snapshot: QueueSnapshot) -> None:
        self._loading = False
        self.queue_model.set_rows(snapshot.orders)
        held = sum(1 for order in snapshot.orders if order.on_hold)
        ready = len(snapshot.orders) - held
        shipped = snapshot.counts.get("shipped", 0)
        self.counts.setText(f"{ready} ready to pack · {held} on hold · {shipped} shipped")
        self.statusBar().showMessage("Queue up to date", 3000)

    def _queue_failed(self, exc: Exception) -> None:
        from fulfilstation.errors import describe_error

        self._loading = False
        self.statusBar().clearMessage()
        self.set_banner(describe_error(exc), RED)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self._timer.stop()
        self.context.shutdown()
        super().closeEvent(event)
