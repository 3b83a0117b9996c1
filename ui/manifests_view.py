"""The manager's end-of-day Manifests view: what is still open per carrier account, a Close
button for each, and the closed manifests to preview or reprint.

Never blocks: every service call (database, PDF building) and every print runs through
``run_in_background``; results come back on the GUI thread. Closing is one transaction in
the service; only after it committed is the PDF printed on the document printer (the
``DocumentPrinter`` port) or, without one, saved in the user's data folder
(``paths.manifests_dir``) and opened for preview — "Opened" is said only when a viewer took
it; otherwise the path is shown with a Copy button. A print that fails leaves the manifest
closed: Reprint sends it again. An EasyPost manifest shows its scan form id in the closed
list; a missing one says "missing" and Retry scan form asks EasyPost again (in the
background; nothing is called when it is there).
A close refused because shipments of that carrier are label-pending opens
``PendingLabelsDialog`` (``labels_dialog``): the manager ticks each label that is on its
parcel and the close is asked again with those confirmed (audited by the use case).

Two lines of words, each with one job: ``summary`` (under the open table) says what the
open table shows and is rewritten by every load — first load, Refresh, the reload after a
close or after a change made elsewhere — so it always matches the table; ``status`` says
what the last action did (closing, printing, the preview's path) and is forgotten on
sign-in and sign-out (``forget_messages``).

The view talks to the use cases only through ``app.manifests`` (plain data back), as the
signed-in ``actor`` (a manager or owner; the use case checks). It is a workspace screen;
``ManifestsDialog`` shows it in a dialog (Station → Manifests… when a packer is signed in
and a manager signed in for the close-out).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.roles import Permission
from fulfilstation.domain.units import format_weight
from fulfilstation.domain.words import plural
from fulfilstation.files import SystemFileOpener
from fulfilstation.paths import manifests_dir
from fulfilstation.ports import DeviceError, DocumentPrinter
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.manifests import (
    ClosedManifest,
    LabelsPendingRefused,
    ManifestInfo,
    ManifestRefused,
    OpenGroup,
)
from ui.pending_labels_dialog import PendingLabelsDialog
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, GREY, RED, show_status
from ui.widgets.fit_columns import fit_columns
from ui.worker import run_in_background
from ui.workspace.screen import Screen

OPEN_COLUMNS = ("Carrier", "Account", "Shipments", "Packages", "Weight", "Labels not\nprinted", "")  # fit 1280 px
PAST_COLUMNS = ("Manifest", "Carrier", "Account", "Packages", "Weight", "Closed", "Scan\nform")  # date: in Manifest
SCAN_FORM = PAST_COLUMNS.index("Scan\nform")


def open_in_viewer(path: Path) -> bool:
    """Show ``path`` in this PC's PDF viewer (``SystemFileOpener``; blocks a moment: worker
    thread); False when no viewer took it."""
    try:
        SystemFileOpener().open(str(path))
    except OSError:
        return False
    return True


def save_preview(pdf: bytes, number: str) -> Path:
    """Write the PDF in this user's data folder (``paths.manifests_dir``, never a shared
    temporary folder), where a viewer can open it (blocking: call off the GUI thread)."""
    folder = manifests_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{number}.pdf"
    path.write_bytes(pdf)
    return path


def _table(columns: tuple[str, ...], flexible: tuple[str, ...], parent: QWidget) -> QTableWidget:
    """A read-only table whose ``flexible`` columns share the width the others leave (``fit_columns``)."""
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    fit_columns(table, {columns.index(name) for name in flexible})
    return table


def _scan_form_cell(info: ManifestInfo) -> str:
    if info.scan_form_id:
        return info.scan_form_id
    return "missing — Retry scan form" if info.scan_form_missing else ""


def open_words(groups: list[OpenGroup]) -> tuple[str, str]:
    """The summary of the open table (words, colour): what ``groups`` holds, never less."""
    if not groups:
        return "Nothing to close: every shipment is on a manifest.", GREEN
    shipments = sum(group.shipments for group in groups)
    return (f"{plural(shipments, 'open shipment')} in {plural(len(groups), 'carrier account')}: close each "
            "account's day once its parcels have gone.", GREY)


def _closed_cell(info: ManifestInfo) -> str:
    """When it was closed, without the year (a narrow column; the manifest's number has its date)."""
    return f"{info.closed_at.astimezone():%m-%d %H:%M}"


def _fill(table: QTableWidget, row: int, values: tuple[str, ...]) -> None:
    for column, value in enumerate(values):
        table.setItem(row, column, QTableWidgetItem(value))


class ManifestsView(Screen):
    manifest_closed = Signal(object)  # ManifestInfo, once committed
    title = "Manifests"
    permission = Permission.CLOSE_MANIFEST
    watches = frozenset({"shipments", "packages", "manifests"})

    def __init__(self, app: AppServices, printer: DocumentPrinter | None, *, actor: Actor | None = None,
                 weight_unit: str = "lb", confirm: Callable[[str], bool] | None = None,
                 open_file: Callable[[Path], bool] = open_in_viewer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.printer, self.unit = app, printer, weight_unit
        self.actor = actor
        self.services = app.manifests
        self.confirm = confirm or self._ask
        self.open_file = open_file
        self.close_buttons: dict[int, QPushButton] = {}
        self.labels_dialog: PendingLabelsDialog | None = None  # the last label-pending checklist shown
        self.past: list[ManifestInfo] = []
        self.busy = False
        layout = QVBoxLayout(self)
        opened = QGroupBox("Open shipments (not yet on a manifest)", self)
        self.open_table = _table(OPEN_COLUMNS, ("Carrier", "Account"), opened)
        self.summary = QLabel("Loading…", opened)
        self.summary.setObjectName("manifestSummary")
        self.summary.setWordWrap(True)
        open_layout = QVBoxLayout(opened)
        open_layout.addWidget(self.open_table)
        open_layout.addWidget(self.summary)
        self.status = QLabel("", self)
        self.status.setObjectName("manifestStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saved_path: Path | None = None  # the manifest PDF last written for the viewer
        self.copy_button = QPushButton("Copy the path", self)  # shown when no viewer opened it
        self.copy_button.setVisible(False)
        self.copy_button.clicked.connect(self.copy_path)
        closed = QGroupBox("Closed manifests", self)
        self.past_table = _table(PAST_COLUMNS, ("Account", PAST_COLUMNS[SCAN_FORM]), closed)
        self.past_table.itemSelectionChanged.connect(self._selection_changed)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton("Preview", closed)
        self.reprint_button = QPushButton("Reprint", closed)
        self.scan_form_button = QPushButton("Retry scan form", closed)
        self.refresh_button = QPushButton("Refresh", closed)
        for button, action in ((self.preview_button, self.preview), (self.reprint_button, self.reprint),
                               (self.scan_form_button, self.retry_scan_form), (self.refresh_button, self.refresh)):
            button.clicked.connect(action)
            buttons.addWidget(button)
        buttons.addStretch(1)
        past_layout = QVBoxLayout(closed)
        past_layout.addWidget(self.past_table)
        past_layout.addLayout(buttons)
        layout.addWidget(opened, 1)
        status = QHBoxLayout()
        status.addWidget(self.status, 1)
        status.addWidget(self.copy_button)
        layout.addLayout(status)
        layout.addWidget(closed, 1)
        self._selection_changed()
        self.refresh()

    # -- loading
    def refresh(self) -> None:
        services = self.services
        run_in_background(lambda: (services.open_shipments(), services.past()), self._loaded, self._load_failed,
                          owner=self)

    def _loaded(self, result: tuple[list[OpenGroup], list[ManifestInfo]]) -> None:
        groups, self.past = result
        self.open_table.setRowCount(len(groups))
        self.close_buttons = {}
        for row, group in enumerate(groups):
            _fill(self.open_table, row, (group.carrier_name, f"{group.account_number} ({group.account_name})",
                                         str(group.shipments), str(group.packages),
                                         format_weight(group.weight_g, self.unit), str(group.unprinted or "")))
            button = QPushButton("Close…", self.open_table)  # the carrier is the row's: a narrow column
            button.setToolTip(f"Close {group.carrier_name}'s day: its manifest")
            button.setAccessibleName(f"Close {group.carrier_name}")
            button.clicked.connect(lambda _checked=False, g=group: self.close_group(g))
            button.setEnabled(not self.busy and self.actor is not None)
            self.open_table.setCellWidget(row, len(OPEN_COLUMNS) - 1, button)
            self.close_buttons[group.account_id] = button
        self.past_table.setRowCount(len(self.past))
        for row, info in enumerate(self.past):
            _fill(self.past_table, row, (info.number, info.carrier_name, info.account_number, str(info.package_count),
                                         format_weight(info.total_weight_g, self.unit),
                                         _closed_cell(info), _scan_form_cell(info)))
        show_status(self.summary, *open_words(groups))
        self._selection_changed()

    def _load_failed(self, exc: Exception) -> None:
        """The tables could not be read: the summary says so (they may be out of date)."""
        show_status(self.summary, f"Could not load the open shipments: {refusal_text(exc)} Press Refresh to try "
                    "again.", RED)

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self._say(refusal_text(exc), AMBER if isinstance(exc, ManifestRefused) else RED)

    def set_actor(self, actor: Actor | None) -> None:
        """Who closes: the workspace's signed-in manager or owner (None: look only)."""
        self.actor = actor
        self._set_busy(self.busy)

    def forget_messages(self) -> None:
        """What the last person's actions said (and the path to copy) is not the next one's."""
        self.status.clear()
        self.saved_path = None
        self.copy_button.setVisible(False)

    def set_printer(self, printer: DocumentPrinter | None) -> None:
        self.printer = printer
        self._selection_changed()

    # -- closing
    def close_group(self, group: OpenGroup, confirmed_printed: tuple[int, ...] = ()) -> None:
        question = (f"Close the day for {group.carrier_name} account {group.account_number}: "
                    f"{plural(group.shipments, 'shipment')}, {plural(group.packages, 'package')}, "
                    f"{format_weight(group.weight_g, self.unit)}? A closed "
                    "manifest cannot be changed, and its shipments can no longer be voided.")
        if self.busy or (not confirmed_printed and not self.confirm(question)):
            return
        self._set_busy(True)
        self._say(f"Closing {group.carrier_name} account {group.account_number}…", AMBER)
        services, actor = self.services, self.actor
        assert actor is not None
        run_in_background(lambda: services.close(actor, group.carrier_code, group.account_id,
                                                 confirmed_printed=confirmed_printed),
                          self._closed, lambda exc: self._close_refused(group, exc), owner=self)

    def _close_refused(self, group: OpenGroup, exc: Exception) -> None:
        self._failed(exc)
        if isinstance(exc, LabelsPendingRefused):
            dialog = PendingLabelsDialog(group.carrier_name, exc.pending, self)
            dialog.confirmed.connect(lambda ids: self.close_group(group, tuple(ids)))
            self.labels_dialog = dialog
            dialog.open()

    def _closed(self, closed: ClosedManifest) -> None:
        info = closed.info
        self._set_busy(False)
        self.manifest_closed.emit(info)
        done = (f"Closed {info.number}: {plural(info.package_count, 'package')} in "
                f"{plural(info.shipment_count, 'shipment')}, "
                f"{format_weight(info.total_weight_g, self.unit)}. {info.scan_form_note or ''}").strip()
        colour = AMBER if info.scan_form_missing else GREEN
        self._say(done, colour)
        pdf = closed.pdf
        if pdf is None:
            self._say(f"{done} {closed.pdf_problem}", RED)
        else:
            self._deliver(info.number, lambda: pdf, done, colour)
        self.refresh()

    # -- scan form (EasyPost)
    def retry_scan_form(self) -> None:
        info, services, actor = self.selected(), self.services, self.actor
        if info is None or not info.scan_form_missing or self.busy or actor is None:
            return
        self._set_busy(True)
        self._say(f"Asking EasyPost for the scan form of {info.number}…", AMBER)
        run_in_background(lambda: services.attach_scan_form(actor, info.id), self._scan_form_done, self._failed,
                          owner=self)

    def _scan_form_done(self, info: ManifestInfo) -> None:
        self._set_busy(False)
        if info.scan_form_missing:
            self._say(info.scan_form_note or "", RED)
        else:
            self._say(f"{info.number}: {info.scan_form_note}. Reprint the manifest to show it on paper.", GREEN)
        self.refresh()

    # -- documents
    def _deliver(self, number: str, pdf: Callable[[], bytes], prefix: str = "", colour: str = GREEN) -> None:
        """Print on the document printer, or open a preview when there is none (background)."""
        printer = self.printer
        if printer is None:
            run_in_background(lambda: self._save_and_open(pdf(), number),
                              lambda shown: self._preview_ready(shown, prefix, colour), self._failed, owner=self)
            return

        def send() -> str | None:
            try:
                printer.print_pdf(pdf(), f"manifest {number}")
            except DeviceError as exc:
                return exc.user_message
            return None

        run_in_background(send, lambda problem: self._printed(number, problem, prefix, colour), self._failed,
                          owner=self)

    def _printed(self, number: str, problem: str | None, prefix: str, colour: str = GREEN) -> None:
        if problem:
            self._say(f"{prefix} Manifest {number} did not print: {problem} Then press Reprint.".strip(), RED)
        else:
            self._say(f"{prefix} Manifest {number} sent to {self.printer.uri if self.printer else ''}.".strip(),
                      colour)

    def _save_and_open(self, pdf: bytes, number: str) -> tuple[Path, bool]:
        """Write the PDF and offer it to the viewer (worker thread): (path, whether a viewer took it)."""
        path = save_preview(pdf, number)
        return path, self.open_file(path)

    def _preview_ready(self, shown: tuple[Path, bool], prefix: str, colour: str = GREEN) -> None:
        """Say where the PDF is; "Opened" only when a viewer took it, else the path to copy."""
        path, opened = shown
        self.saved_path = path
        self.copy_button.setVisible(not opened)
        if opened:
            note = "" if self.printer is not None else " No document printer is set up: print it from the viewer."
            self._say(f"{prefix} Opened {path} in the PDF viewer.{note}".strip(), colour)
        else:
            self._say(f"{prefix} Saved {path}: no PDF viewer was found on this PC. Copy the path and open it "
                      "yourself to print it.".strip(), AMBER)

    def copy_path(self) -> None:
        """The saved manifest's path to the clipboard (to open it in a viewer by hand)."""
        if self.saved_path is not None:
            QGuiApplication.clipboard().setText(str(self.saved_path))
            self._say(f"Copied {self.saved_path}.", GREEN)

    def selected(self) -> ManifestInfo | None:
        rows = self.past_table.selectionModel().selectedRows()
        return self.past[rows[0].row()] if rows and rows[0].row() < len(self.past) else None

    def preview(self) -> None:
        info, services = self.selected(), self.services
        if info is not None:
            run_in_background(lambda: self._save_and_open(services.pdf(info.id), info.number),
                              lambda shown: self._preview_ready(shown, ""), self._failed, owner=self)

    def reprint(self) -> None:
        info, services = self.selected(), self.services
        if info is not None:
            self._say(f"Printing {info.number}…", AMBER)
            self._deliver(info.number, lambda: services.pdf(info.id))

    # -- state
    def _selection_changed(self) -> None:
        info = self.selected()
        self.preview_button.setEnabled(info is not None)
        self.reprint_button.setEnabled(info is not None and self.printer is not None)
        self.scan_form_button.setEnabled(info is not None and info.scan_form_missing and not self.busy)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in self.close_buttons.values():
            button.setEnabled(not busy and self.actor is not None)
        self._selection_changed()

    def _say(self, text: str, colour: str) -> None:
        show_status(self.status, text, colour)

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Close the day", question)
        return answer == QMessageBox.StandardButton.Yes


class ManifestsDialog(QDialog):
    """A Manifests screen in a dialog, for the station's menu (the dialog takes ``view``)."""

    def __init__(self, view: ManifestsView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Manifests — end of day")
        self.resize(1100, 720)
        self.view = view
        view.setParent(self)
        QVBoxLayout(self).addWidget(view)
