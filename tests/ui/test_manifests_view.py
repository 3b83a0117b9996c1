"""The manager's Manifests view (offscreen): close a carrier's day in the background, print the
manifest on the document printer (or preview it), see it in the closed list and reprint it;
an EasyPost manifest's missing scan form and its Retry. The view acts as the signed-in
manager (``app.manifests``, which checks the role): without one it only looks, and a
packer's close is refused by the use case."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from fulfilstation.db.database import Database
from fulfilstation.ports import DeviceFault
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from tests.db.test_manifest_scan_forms import bought
from tests.db.test_manifests import pack_at, packages_of, today
from tests.support.app import app_for, sign_in
from tests.support.bulk_shipments import account_of
from tests.support.easypost_account import add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.pdf import pdf_text
from ui.manifests_view import SCAN_FORM, ManifestsView

WAIT = 15_000
OFFICE = "OFFICE"  # the manager's PC


def office(db: Database, user: str = "manager") -> tuple[AppServices, Actor]:
    """The use cases at the office PC and ``user`` (a demo user) signed in there."""
    app = app_for(db, station=OFFICE)
    return app, sign_in(app, user)


class RecordingDocumentPrinter:
    """A document printer that keeps every PDF (thread-safe), or fails like a jammed one."""

    def __init__(self, jammed: bool = False) -> None:
        self.uri = "pdf:///test"
        self.jammed = jammed
        self._lock = threading.Lock()
        self._jobs: list[tuple[bytes, str]] = []
        self.threads: list[str] = []

    def print_pdf(self, pdf: bytes, job_name: str = "document") -> None:
        self.threads.append(threading.current_thread().name)
        if self.jammed:
            raise DeviceFault("paper jam", user_message="The office printer has a paper jam: clear it.")
        with self._lock:
            self._jobs.append((pdf, job_name))

    @property
    def jobs(self) -> list[tuple[bytes, str]]:
        with self._lock:
            return list(self._jobs)


def cell(view: ManifestsView, row: int, column: int, table: str = "open") -> str:
    item = (view.open_table if table == "open" else view.past_table).item(row, column)
    return item.text() if item is not None else ""


def test_manager_closes_a_carriers_day_then_reprints(qtbot: QtBot, seeded_database: Database,
                                                     tmp_path: Path) -> None:
    db = seeded_database
    ups = [pack_at(db, "PACK-A", "ups/ground"), pack_at(db, "PACK-B", "ups/ground")]
    pack_at(db, "PACK-A")  # the own courier stays open
    printer = RecordingDocumentPrinter()
    questions: list[str] = []
    app, manager = office(db)
    view = ManifestsView(app, printer, actor=manager, confirm=lambda q: questions.append(q) is None)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.open_table.rowCount() == 2, timeout=WAIT)
    assert [cell(view, row, 0) for row in range(2)] == ["Own Delivery", "UPS"]
    assert (cell(view, 1, 2), cell(view, 1, 3)) == ("2", "2") and cell(view, 1, 4).endswith(" lb")
    assert not view.reprint_button.isEnabled()

    stale = app.manifests.open_shipments("ups")[0]
    qtbot.mouseClick(view.close_buttons[account_of(db, "ups")], Qt.MouseButton.LeftButton)
    assert "Close the day for UPS account 0W1X23: 2 shipments" in questions[0]
    qtbot.waitUntil(lambda: len(printer.jobs) == 1 and view.past_table.rowCount() == 1, timeout=WAIT)
    qtbot.waitUntil(lambda: view.open_table.rowCount() == 1, timeout=WAIT)
    number = f"M-UPS-{today()}-1"
    qtbot.waitUntil(lambda: f"Manifest {number} sent to pdf:///test" in view.status.text(), timeout=WAIT)
    assert view.status.text().startswith(f"Closed {number}: 2 packages in 2 shipments")
    assert cell(view, 0, 0) == "Own Delivery" and cell(view, 0, 0, "past") == number
    assert "MainThread" not in printer.threads  # printed off the GUI thread
    pdf, job = printer.jobs[0]
    assert job == f"manifest {number}"
    tracking, _weight = packages_of(db, ups)
    assert all(t in pdf_text(pdf, tmp_path) for t in tracking)
    assert app.manifests.past()[0].closed_by == "Morgan Manager"

    view.past_table.selectRow(0)
    assert view.reprint_button.isEnabled()
    qtbot.mouseClick(view.reprint_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printer.jobs) == 2, timeout=WAIT)
    assert printer.jobs[1][0] == pdf

    view.close_group(stale)  # a button from before the close: refused in words, nothing made
    qtbot.waitUntil(lambda: "Nothing to close for UPS" in view.status.text(), timeout=WAIT)
    assert len(app.manifests.past()) == 1 and not view.busy


def test_label_pending_shipments_are_confirmed_on_a_checklist_before_the_close(qtbot: QtBot,
                                                                             seeded_database: Database) -> None:
    db = seeded_database
    pack_at(db, "PACK-A", "ups/ground")
    pending = [pack_at(db, "PACK-A", "ups/ground", printed=False), pack_at(db, "PACK-B", "ups/ground", printed=False)]
    app, manager = office(db)
    view = ManifestsView(app, RecordingDocumentPrinter(), actor=manager, confirm=lambda _q: True)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.open_table.rowCount() == 1, timeout=WAIT)
    assert cell(view, 0, 5) == "2"  # labels not printed
    qtbot.mouseClick(view.close_buttons[account_of(db, "ups")], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.labels_dialog is not None, timeout=WAIT)
    dialog = view.labels_dialog
    assert dialog is not None and "2 UPS shipments are still waiting" in view.status.text()
    assert dialog.list.count() == 2 and "PACK-B" in dialog.list.item(1).text()
    assert app.manifests.past() == [] and not dialog.close_button.isEnabled()
    dialog.list.item(0).setCheckState(Qt.CheckState.Checked)
    assert not dialog.close_button.isEnabled()  # each one must be confirmed
    dialog.list.item(1).setCheckState(Qt.CheckState.Checked)
    assert dialog.checked() == pending and dialog.close_button.isEnabled()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.past_table.rowCount() == 1, timeout=WAIT)
    assert app.manifests.past()[0].shipment_count == 3


def test_without_a_printer_the_manifest_opens_for_preview(qtbot: QtBot, seeded_database: Database,
                                                          tmp_path: Path) -> None:
    db = seeded_database
    pack_at(db, "PACK-A")
    opened: list[Path] = []
    app, manager = office(db)
    view = ManifestsView(app, None, actor=manager, confirm=lambda _q: True,
                         open_file=lambda path: opened.append(path) is None)  # a viewer took it
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: len(view.close_buttons) == 1, timeout=WAIT)
    next(iter(view.close_buttons.values())).click()
    qtbot.waitUntil(lambda: len(opened) == 1 and "Opened" in view.status.text(), timeout=WAIT)  # viewer: a worker
    number = f"M-COURIER-{today()}-1"
    assert opened[0] == tmp_path / "data" / "manifests" / f"{number}.pdf"  # the user's data folder, not /tmp
    assert f"Opened {opened[0]} in the PDF viewer." in view.status.text() and view.copy_button.isHidden()
    assert opened[0].name == f"{number}.pdf" and number in pdf_text(opened[0].read_bytes(), tmp_path)
    assert "No document printer is set up" in view.status.text()
    qtbot.waitUntil(lambda: view.past_table.rowCount() == 1, timeout=WAIT)
    view.past_table.selectRow(0)
    assert view.preview_button.isEnabled() and not view.reprint_button.isEnabled()
    view.preview()
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=WAIT)


def test_without_a_viewer_the_path_is_shown_with_a_copy_button(qtbot: QtBot, seeded_database: Database,
                                                                 tmp_path: Path) -> None:
    db = seeded_database
    pack_at(db, "PACK-A")
    tried: list[Path] = []
    app, manager = office(db)
    view = ManifestsView(app, None, actor=manager, confirm=lambda _q: True,
                         open_file=lambda path: tried.append(path) is not None)  # no viewer on this PC
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: len(view.close_buttons) == 1, timeout=WAIT)
    next(iter(view.close_buttons.values())).click()
    qtbot.waitUntil(lambda: len(tried) == 1 and view.copy_button.isVisible(), timeout=WAIT)
    saved = tmp_path / "data" / "manifests" / f"M-COURIER-{today()}-1.pdf"
    assert tried == [saved] and saved.read_bytes().startswith(b"%PDF")
    assert f"Saved {saved}: no PDF viewer was found" in view.status.text() and "Opened" not in view.status.text()
    assert view.copy_button.isVisible()
    qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == str(saved)


def test_a_jammed_printer_leaves_the_manifest_closed_for_reprint(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    pack_at(db, "PACK-A")
    printer = RecordingDocumentPrinter(jammed=True)
    app, manager = office(db)
    view = ManifestsView(app, printer, actor=manager, confirm=lambda _q: True)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: len(view.close_buttons) == 1, timeout=WAIT)
    declined = ManifestsView(app, printer, actor=manager, confirm=lambda _q: False)
    qtbot.addWidget(declined)
    qtbot.waitUntil(lambda: len(declined.close_buttons) == 1, timeout=WAIT)
    next(iter(declined.close_buttons.values())).click()  # the manager said no
    assert app.manifests.past() == []
    next(iter(view.close_buttons.values())).click()
    qtbot.waitUntil(lambda: "did not print" in view.status.text(), timeout=WAIT)
    assert "paper jam" in view.status.text() and "press Reprint" in view.status.text()
    assert len(app.manifests.past()) == 1


def test_a_missing_easypost_scan_form_is_shown_and_retried(qtbot: QtBot, seeded_database: Database,
                                                           stub: EasyPostStub) -> None:
    db = seeded_database
    bought(db, add_easypost_account(db, stub), 2)
    stub.fail("scan_form", 503, "SERVICE.UNAVAILABLE", "Service temporarily unavailable.")
    printer = RecordingDocumentPrinter()
    app, manager = office(db)
    view = ManifestsView(app, printer, actor=manager, confirm=lambda _q: True)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: len(view.close_buttons) == 1, timeout=WAIT)
    next(iter(view.close_buttons.values())).click()
    number = f"M-EPUSPS-{today()}-1"
    qtbot.waitUntil(lambda: f"Manifest {number} sent to" in view.status.text(), timeout=WAIT)
    assert f"Manifest {number} is closed, but its EasyPost scan form is missing" in view.status.text()
    assert "Retry scan form" in view.status.text()
    qtbot.waitUntil(lambda: view.past_table.rowCount() == 1, timeout=WAIT)
    assert cell(view, 0, SCAN_FORM, "past") == "missing — Retry scan form"
    assert not view.scan_form_button.isEnabled()
    view.past_table.selectRow(0)
    assert view.scan_form_button.isEnabled()
    qtbot.mouseClick(view.scan_form_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Reprint the manifest" in view.status.text(), timeout=WAIT)
    (form_id, _form), = stub.scan_forms.items()
    assert view.status.text().startswith(f"{number}: EasyPost scan form: {form_id}.")
    qtbot.waitUntil(lambda: cell(view, 0, SCAN_FORM, "past") == form_id, timeout=WAIT)
    assert app.manifests.past()[0].scan_form_id == form_id and stub.count("scan_form") == 2
    view.past_table.selectRow(0)
    assert not view.scan_form_button.isEnabled()  # it has its form: nothing to retry


def test_a_local_carriers_manifest_has_no_scan_form(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    pack_at(db, "PACK-A")
    app, manager = office(db)
    view = ManifestsView(app, RecordingDocumentPrinter(), actor=manager, confirm=lambda _q: True)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: len(view.close_buttons) == 1, timeout=WAIT)
    next(iter(view.close_buttons.values())).click()
    qtbot.waitUntil(lambda: view.past_table.rowCount() == 1 and "sent to" in view.status.text(), timeout=WAIT)
    assert "scan form" not in view.status.text() and cell(view, 0, SCAN_FORM, "past") == ""
    view.past_table.selectRow(0)
    assert not view.scan_form_button.isEnabled()


def test_without_a_manager_the_view_only_looks_and_a_packer_is_refused(qtbot: QtBot,
                                                                      seeded_database: Database) -> None:
    db = seeded_database
    pack_at(db, "PACK-A")
    app, packer = office(db, "packer")
    questions: list[str] = []
    view = ManifestsView(app, RecordingDocumentPrinter(), confirm=lambda q: questions.append(q) is None)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: len(view.close_buttons) == 1, timeout=WAIT)
    button = next(iter(view.close_buttons.values()))
    assert view.actor is None and not button.isEnabled()  # nobody signed in: look only
    view.set_actor(packer)  # the use case decides, not the screen
    assert button.isEnabled()
    button.click()
    assert questions and questions[0].startswith("Close the day for Own Delivery")
    refused = ("Pat Packer is a packer: only a manager or an owner can close a manifest. Ask one to do it, or to "
               "sign in here.")
    qtbot.waitUntil(lambda: view.status.text() == refused, timeout=WAIT)
    assert app.manifests.past() == [] and len(app.manifests.open_shipments()) == 1 and not view.busy
    view.set_actor(None)
    assert not button.isEnabled()


def test_the_summary_always_matches_the_open_table(qtbot: QtBot, seeded_database: Database) -> None:
    """#10: "Nothing to close" stayed (in green) while the table listed USPS with 4 open
    shipments, even after Refresh. Every load now rewrites the summary."""
    db = seeded_database
    app, manager = office(db)
    view = ManifestsView(app, RecordingDocumentPrinter(), actor=manager, confirm=lambda _q: True)
    qtbot.addWidget(view)
    nothing = "Nothing to close: every shipment is on a manifest."
    qtbot.waitUntil(lambda: view.summary.text() == nothing, timeout=WAIT)
    for _ in range(4):
        pack_at(db, "PACK-A", "ups/ground")
    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.open_table.rowCount() == 1, timeout=WAIT)
    assert view.summary.text().startswith("4 open shipments in 1 carrier account")
    qtbot.mouseClick(view.close_buttons[account_of(db, "ups")], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.open_table.rowCount() == 0 and view.summary.text() == nothing, timeout=WAIT)
    qtbot.waitUntil(lambda: "sent to pdf:///test" in view.status.text(), timeout=WAIT)  # what the close did
    pack_at(db, "PACK-B", "ups/ground")
    view.refresh()  # as a change made at a station asks it to
    qtbot.waitUntil(lambda: view.open_table.rowCount() == 1, timeout=WAIT)
    assert view.summary.text().startswith("1 open shipment in 1 carrier account")
    assert "sent to pdf:///test" in view.status.text()  # the close's outcome is still true

    view.forget_messages()  # a sign-in or sign-out: the last person's outcome is not the next one's
    assert view.status.text() == "" and view.copy_button.isHidden()
    assert view.summary.text().startswith("1 open shipment")  # the table's words stay
