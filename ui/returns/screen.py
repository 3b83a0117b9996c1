"""The Returns screen (packers, managers, owners): receive returned parcels with a scanner and
grade each unit; managers also authorise returns.

Left, the RMAs: waiting ones first, those received more than 48 hours ago and not processed
in red with "OVERDUE", received ones amber; "Overdue only" lists just those (the dashboard's
unprocessed returns open the screen so: ``show_filter("unprocessed")``); "New RMA…"
(managers: ``CreateRmaDialog``) and Refresh. Right, the open RMA: a big prompt says what to
do next; the scan box takes a keyboard wedge's keystrokes (Enter ends a scan) and a serial/HID scanner's scans come
through ``take_scan``. Scanning the RMA slip's barcode or the return label opens the RMA;
then each item scanned is received on it (``app.returns.receive``: into the returns bin,
never more than authorised); scanning another RMA opens that one. Scans that arrive while
one is being decided wait their turn, in order. The grading panel below the lines grades
one received unit at a time: the product, its grade, what becomes of it (restock needs a
sellable bin — type it or scan its label into the bin box —, quarantine goes to the
quarantine bin unless one is named, dispose scraps it) and Grade. Accepted scans and grades
beep, refusals sound loudly (the station's sounds). Slip saves the RMA slip (PDF) in this
station's documents folder, to print or send to the customer.

Never blocks: every call runs through ``run_in_background``. Threading: GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.enums import ReturnAction, ReturnGrade
from fulfilstation.domain.money import format_money
from fulfilstation.domain.roles import Permission
from fulfilstation.domain.words import plural
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.returns import CreatedRma, GradedUnit, ReturnScan, ReturnsRefused, RmaSummary, RmaView
from ui.returns.create_dialog import CreateRmaDialog, NewRma
from ui.returns.models import lines_model, rmas_model
from ui.station.manager_sign_in import refusal_text
from ui.station.sounds import SoundPlayer
from ui.style import AMBER, GREEN, RED
from ui.widgets.big_prompt import big_prompt
from ui.widgets.fit_text import ElidedLabel, let_wrap
from ui.widgets.row_model import SORT_ROLE
from ui.widgets.row_table import row_table
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background
from ui.workspace.screen import Screen

NO_RMA = "Scan the RMA slip or the return label"
DEFAULT_ACTION = {ReturnGrade.LIKE_NEW: ReturnAction.RESTOCK, ReturnGrade.OPENED: ReturnAction.RESTOCK,
                  ReturnGrade.DAMAGED: ReturnAction.QUARANTINE, ReturnGrade.DEFECTIVE: ReturnAction.QUARANTINE,
                  ReturnGrade.WRONG_ITEM: ReturnAction.QUARANTINE}
BIN_HINT = {ReturnAction.RESTOCK.value: "sellable bin (scan its label)",
            ReturnAction.QUARANTINE.value: "quarantine bin (blank: the first one)",
            ReturnAction.DISPOSE.value: "no bin: the unit is scrapped"}


@dataclass(frozen=True)
class _Opened:
    view: RmaView


class ReturnsScreen(Screen):
    title = "Returns"
    permission = Permission.RECEIVE_RETURNS
    watches = frozenset({"rmas", "rma_lines", "rma_units", "orders"})

    def __init__(self, app: AppServices, parent: QWidget | None = None, *, sounds: SoundPlayer | None = None) -> None:
        super().__init__(parent)
        self.returns = app.returns
        self.sounds = sounds or SoundPlayer(False, self)
        self.view: RmaView | None = None
        self.view_number: str | None = None
        self.dialog: CreateRmaDialog | None = None
        self.busy = False
        self._queue: list[ScanValue] = []
        self._pending: tuple[str, str, str] | None = None  # (item code, "lot"/"serial", SKU) asked for
        layout = QHBoxLayout(self)
        layout.addWidget(self._build_list(), 2)
        layout.addWidget(self._build_rma(), 3)
        self._show_view(None)

    # -- building
    def _build_list(self) -> QWidget:
        pane = QWidget(self)
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        self.rmas = rmas_model()
        self.rmas.setParent(self)
        self.rmas_proxy = self._proxy(self.rmas)
        self.rma_table = row_table(self.rmas_proxy, pane, flexible={1, 2})
        self.rma_table.setObjectName("rmaList")
        self.rma_table.doubleClicked.connect(lambda _index: self.open_selected())
        self.list_hint = let_wrap(QLabel("", pane))
        self.list_hint.setObjectName("hint")
        self.new_button = QPushButton("&New RMA…", pane)
        self.new_button.setToolTip("Authorise a return of a shipped order (managers)")
        self.new_button.clicked.connect(self.new_rma)
        self.open_button = QPushButton("&Open", pane)
        self.open_button.clicked.connect(self.open_selected)
        self.refresh_button = QPushButton("Re&fresh", pane)
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.new_button, self.refresh_button):
            buttons.addWidget(button)
        self.overdue_only = QCheckBox("Overdue only", pane)
        self.overdue_only.setToolTip("Only RMAs received more than 48 h ago and not processed")
        self.overdue_only.toggled.connect(lambda _on: self.refresh())
        heading = QHBoxLayout()
        heading.addWidget(QLabel("Returns (RMAs)", pane))
        heading.addStretch(1)
        heading.addWidget(self.overdue_only)
        column.addLayout(heading)
        column.addWidget(self.rma_table, 1)
        column.addWidget(self.list_hint)
        column.addLayout(buttons)
        return pane

    def _build_rma(self) -> QWidget:
        pane = QWidget(self)
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        self.heading = ElidedLabel("", pane)
        self.prompt = big_prompt(NO_RMA, pane, "returnsPrompt")
        self.scan_box = QLineEdit(pane)
        self.scan_box.setObjectName("returnsScan")
        self.scan_box.setPlaceholderText("Scan here (or type and press Enter)")
        self.scan_box.returnPressed.connect(self._typed)
        self.lines = lines_model()
        self.lines.setParent(self)
        self.lines_proxy = self._proxy(self.lines)
        self.line_table = row_table(self.lines_proxy, pane, flexible={1, 2})
        column.addWidget(self.heading)
        column.addWidget(self.prompt)
        column.addWidget(self.scan_box)
        column.addWidget(self.line_table, 1)
        column.addWidget(self._build_grading(pane))
        self.status = StatusLine(pane)
        self.status.setObjectName("returnsStatus")
        self.status.setWordWrap(True)
        self.slip_button = QPushButton("&Slip", pane)
        self.slip_button.setToolTip("Save the RMA slip (PDF, with its barcode) in this station's documents folder")
        self.slip_button.clicked.connect(self.save_slip)
        self.back_button = QPushButton("Back", pane)
        self.back_button.setToolTip("Back to the list")
        self.back_button.clicked.connect(lambda: self._show_view(None))
        self.cancel_button = QPushButton("Cancel RMA", pane)
        self.cancel_button.setToolTip("Nothing came back on it: cancel it (managers)")
        self.cancel_button.clicked.connect(lambda: self._manage("cancel"))
        self.close_button = QPushButton("Close short", pane)
        self.close_button.setToolTip("The units still expected are not coming: close the RMA (managers)")
        self.close_button.clicked.connect(lambda: self._manage("close"))
        self.refund_button = QPushButton("Record refund", pane)
        self.refund_button.setToolTip("The order's refund was paid (managers)")
        self.refund_button.clicked.connect(lambda: self._manage("refund"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for button in (self.cancel_button, self.close_button, self.refund_button):
            bottom.addWidget(button)
        bottom.addWidget(self.slip_button)
        bottom.addWidget(self.back_button)
        column.addLayout(bottom)
        return pane

    def _build_grading(self, parent: QWidget) -> QWidget:
        self.grading = QWidget(parent)
        rows = QVBoxLayout(self.grading)
        rows.setContentsMargins(0, 0, 0, 0)
        self.item_choice = self._choice("The product of the unit in your hand")
        self.grade_choice = self._choice("How it came back")
        for grade in ReturnGrade:
            self.grade_choice.addItem(grade.value.replace("-", " "), grade.value)
        self.action_choice = self._choice("What becomes of it")
        for action in ReturnAction:
            self.action_choice.addItem(action.value, action.value)
        self.bin_box = QLineEdit(self.grading)
        self.bin_box.setObjectName("returnsBin")
        self.bin_box.returnPressed.connect(self.grade_unit)
        self.grade_button = QPushButton("&Grade", self.grading)
        self.grade_button.clicked.connect(self.grade_unit)
        self.grade_choice.currentIndexChanged.connect(self._grade_chosen)
        self.action_choice.currentIndexChanged.connect(self._action_chosen)
        first, second = QHBoxLayout(), QHBoxLayout()
        first.addWidget(QLabel("Grade a unit of", self.grading))
        first.addWidget(self.item_choice, 3)
        first.addWidget(self.grade_choice, 2)
        second.addWidget(QLabel("then", self.grading))
        second.addWidget(self.action_choice, 2)
        second.addWidget(self.bin_box, 3)
        second.addWidget(self.grade_button)
        rows.addLayout(first)
        rows.addLayout(second)
        self._grade_chosen()
        return self.grading

    def _choice(self, tip: str) -> QComboBox:
        """A combo box that never sets the window's width by its longest entry."""
        choice = QComboBox(self.grading)
        choice.setToolTip(tip)
        choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        choice.setMinimumContentsLength(6)
        return choice

    def _proxy(self, model: object) -> QSortFilterProxyModel:
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)  # type: ignore[arg-type]
        proxy.setSortRole(SORT_ROLE)
        return proxy

    # -- the Screen contract
    def set_actor(self, actor: Actor | None) -> None:
        self.actor = actor
        self._pending = None
        self._reset_grading()
        self._update_actions()

    def _reset_grading(self) -> None:
        """A fresh grading form (a new RMA or a new person): like new, restock, no bin."""
        self.bin_box.clear()
        self.grade_choice.setCurrentIndex(0)
        self._grade_chosen()

    def forget_messages(self) -> None:
        self.status.forget()

    def take_scan(self, value: ScanValue) -> None:
        """A scanner's scan (not a wedge's): into the bin box while it has the focus (a bin
        label), else received on the open RMA or opening one."""
        if self.bin_box.hasFocus():
            self.bin_box.setText(value.text.strip())
            return
        self._enqueue(value)

    def shown(self) -> None:
        self.scan_box.setFocus()
        self.refresh()

    def show_filter(self, name: str | None) -> None:
        """The dashboard's unprocessed returns (``unprocessed``, ``overdue``): overdue RMAs only;
        the list loads when the screen is shown."""
        if (name or "").strip().lower() in ("unprocessed", "overdue", "unprocessed-returns"):
            self.overdue_only.blockSignals(True)  # one load, when shown
            self.overdue_only.setChecked(True)
            self.overdue_only.blockSignals(False)

    def refresh(self) -> None:
        returns, number = self.returns, self.view.number if self.view else None
        overdue_only = self.overdue_only.isChecked()

        def load() -> tuple[list[RmaSummary], RmaView | None]:
            return returns.list(overdue_only=overdue_only), returns.find(number) if number else None

        run_in_background(load, self._loaded, self._failed, owner=self)

    def _loaded(self, loaded: tuple[list[RmaSummary], RmaView | None]) -> None:
        rows, view = loaded
        self.rmas.set_rows(rows)
        overdue = sum(1 for row in rows if row.overdue)
        waiting = sum(1 for row in rows if row.status in ("open", "received"))
        self.list_hint.setText(f"{plural(waiting, 'RMA')} waiting" + (
            f", {overdue} overdue (received more than 48 h ago, not processed)" if overdue else ""))
        if view is not None and self.view is not None and view.number == self.view.number:
            self._show_view(view)

    # -- scanning
    def _typed(self) -> None:
        text = self.scan_box.text()
        self.scan_box.clear()
        if text.strip():
            self._enqueue(ScanValue(text))

    def _enqueue(self, value: ScanValue) -> None:
        self._queue.append(value)
        self._next_scan()

    def _next_scan(self) -> None:
        if self.busy or not self._queue or self.actor is None:
            if self.actor is None:
                self._queue.clear()
            return
        code = self._queue.pop(0).text.strip()
        actor, returns, view, pending = self.actor, self.returns, self.view, self._pending
        self._pending = None

        def work() -> ReturnScan | _Opened:
            if view is None or view.status in ("closed", "cancelled"):
                return _Opened(returns.find(code))
            if pending is not None:  # this scan is the lot or serial of the item scanned before
                item, kind, _sku = pending
                return returns.receive(actor, view.number, item, lot=code if kind == "lot" else None,
                                       serial=code if kind == "serial" else None)
            try:
                return returns.receive(actor, view.number, code)
            except ReturnsRefused as refused:
                if refused.code != "unknown-code":
                    raise
                try:
                    return _Opened(returns.find(code))  # another RMA's slip or label
                except ReturnsRefused as missing:  # an RMA number not known here says so
                    raise (missing if code.upper().startswith("RMA-") else refused) from None

        self._set_busy(True)
        run_in_background(work, self._scanned, self._scan_failed, owner=self)

    def _scanned(self, outcome: ReturnScan | _Opened) -> None:
        self._set_busy(False)
        if isinstance(outcome, _Opened):
            self.sounds.play("accept")
            self._show_view(outcome.view)
            self._say(f"{outcome.view.number} opened: order {outcome.view.order_number}.", GREEN)
        else:
            self.sounds.play("accept")
            self._show_view(outcome.rma)
            self._say(outcome.message, GREEN)
            self.refresh()
        self._next_scan()

    def _scan_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self._queue.clear()
        if isinstance(exc, ReturnsRefused) and exc.code in ("lot-needed", "serial-needed") and exc.item:
            kind = "lot" if exc.code == "lot-needed" else "serial"
            self._pending = (exc.item, kind, exc.sku)
            self.sounds.play("accept")
            self.prompt.setText(f"Scan the {'lot' if kind == 'lot' else 'serial number'} of {exc.sku}")
            self._say(exc.message, AMBER)
            return
        if isinstance(exc, ReturnsRefused) and exc.code == "bin-label" and self.grading.isVisible():
            self.bin_box.setText(exc.item)  # a bin label scanned while grading: the bin to grade into
            self._say(f"Bin {exc.item} chosen for the unit to grade: press Grade.", GREEN)
            return
        self._refused(refusal_text(exc))

    # -- acting
    def open_selected(self) -> None:
        rows = self.rma_table.selectionModel().selectedRows()
        if rows:
            self._enqueue(ScanValue(self.rmas.row(self.rmas_proxy.mapToSource(rows[0]).row()).number))

    def grade_unit(self) -> None:
        actor, returns, view = self.actor, self.returns, self.view
        sku = self.item_choice.currentData()
        if actor is None or view is None or self.busy or not sku:
            return
        grade, action = str(self.grade_choice.currentData()), str(self.action_choice.currentData())
        bin_code = self.bin_box.text().strip() or None
        self._set_busy(True)
        run_in_background(lambda: returns.grade(actor, view.number, str(sku), grade, action, bin_code),
                          self._graded, self._grade_failed, owner=self)

    def _graded(self, graded: GradedUnit) -> None:
        self._set_busy(False)
        self.sounds.play("accept")
        self._show_view(graded.rma)
        self._say(graded.message, GREEN)
        self.refresh()
        self.scan_box.setFocus()

    def _grade_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self._refused(refusal_text(exc))

    def save_slip(self) -> None:
        returns, view = self.returns, self.view
        if view is None:
            return
        run_in_background(lambda: returns.save_slip(view.number),
                          lambda path: self._say(f"RMA slip saved: {path}", GREEN), self._failed, owner=self)

    def new_rma(self) -> None:
        if self.actor is None or not self.actor.may(Permission.CREATE_RMA) or self.dialog is not None:
            return
        dialog = CreateRmaDialog(self, self.view.order_number if self.view else "")
        dialog.submitted.connect(lambda value: self._create(dialog, value))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _create(self, dialog: CreateRmaDialog, value: object) -> None:
        actor, returns = self.actor, self.returns
        if actor is None or not isinstance(value, NewRma):
            return
        dialog.set_busy(True)

        def made(created: CreatedRma) -> None:
            dialog.set_busy(False)
            dialog.accept()
            self._say(f"{created.number} authorised for order {created.order_number} "
                      f"({plural(created.units, 'unit')}). {created.label_note}",
                      GREEN if created.tracking_number else AMBER)
            self.refresh()

        def refused(exc: Exception) -> None:
            dialog.set_busy(False)
            dialog.say(refusal_text(exc))

        run_in_background(lambda: returns.create(actor, value.order, value.lines, value.note, label=value.label),
                          made, refused, owner=self)

    def _dialog_closed(self, dialog: CreateRmaDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    # -- showing
    def _show_view(self, view: RmaView | None) -> None:
        self.view = view
        self.lines.set_rows(view.lines if view else [])
        self.line_table.setVisible(view is not None)
        self.grading.setVisible(view is not None and view.to_grade > 0)
        if view is None or (self.view_number != view.number):
            self._reset_grading()
            self._pending = None
        self.view_number = view.number if view else None
        if view is None:
            self.heading.setText("")
            self.prompt.setText(NO_RMA)
        else:
            flag = "OVERDUE  ·  " if view.overdue else ""
            refund = (f"  ·  refund {format_money(view.refund_minor, view.currency)} due" if view.refund_due
                      else "")
            label = f"  ·  return label {view.tracking_number}" if view.tracking_number else ""
            self.heading.setText(f"{flag}{view.number} for order {view.order_number} ({view.status}, "
                                 f"{view.received_total}/{view.expected_total} received){refund}{label}")
            self._select(view.number)
            self.prompt.setText(_prompt(view))
            current = self.item_choice.currentData()
            self.item_choice.clear()
            for line in view.lines:
                if line.received > line.graded:
                    self.item_choice.addItem(f"{line.sku} ({line.received - line.graded} to grade)", line.sku)
            found = self.item_choice.findData(current)
            if found >= 0:
                self.item_choice.setCurrentIndex(found)
        self._update_actions()

    def _grade_chosen(self) -> None:
        grade = ReturnGrade(str(self.grade_choice.currentData()))
        self.action_choice.setCurrentIndex(self.action_choice.findData(DEFAULT_ACTION[grade].value))
        self._action_chosen()

    def _action_chosen(self) -> None:
        action = str(self.action_choice.currentData())
        self.bin_box.setPlaceholderText(BIN_HINT.get(action, ""))
        self.bin_box.setEnabled(action != ReturnAction.DISPOSE.value)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_actions()

    def _update_actions(self) -> None:
        actor = self.actor
        self.new_button.setVisible(actor is not None and actor.may(Permission.CREATE_RMA))
        self.grade_button.setEnabled(not self.busy and self.item_choice.count() > 0)
        self.back_button.setEnabled(self.view is not None)
        manager, view = actor is not None and actor.may(Permission.CREATE_RMA), self.view
        self.cancel_button.setVisible(manager and view is not None and view.status == "open")
        self.close_button.setVisible(manager and view is not None and view.status == "received"
                                     and view.to_grade == 0 and view.to_receive > 0)
        self.refund_button.setVisible(manager and view is not None and view.refund_due)
        for button in (self.cancel_button, self.close_button, self.refund_button):
            button.setEnabled(not self.busy)
        self.slip_button.setEnabled(self.view is not None)

    def _select(self, number: str) -> None:
        """The list's selection follows the RMA shown (opened by a scan or a click)."""
        for row in range(self.rmas_proxy.rowCount()):
            source = self.rmas_proxy.mapToSource(self.rmas_proxy.index(row, 0)).row()
            if self.rmas.row(source).number == number:
                self.rma_table.selectRow(row)
                return

    def _manage(self, what: str) -> None:
        """A manager's button: cancel the RMA, close it short or record its order's refund."""
        actor, returns, view = self.actor, self.returns, self.view
        if actor is None or view is None or self.busy:
            return

        def work() -> str:
            if what == "cancel":
                return f"{returns.cancel(actor, view.number).number} is cancelled."
            if what == "close":
                return returns.close(actor, view.number)[1]
            done = returns.record_refund(actor, view.order_number)
            return (f"Refund of {format_money(done.refund_minor, done.currency)} recorded for order "
                    f"{done.order_number}.")

        def done(words: str) -> None:
            self._set_busy(False)
            self._say(words, GREEN)
            self.refresh()

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            self._refused(refusal_text(exc))

        self._set_busy(True)
        run_in_background(work, done, failed, owner=self)

    def _refused(self, message: str) -> None:
        self.sounds.play("refuse")
        self._say(message, RED)

    def _say(self, text: str, colour: str) -> None:
        self.status.say(text, colour)

    def _failed(self, exc: Exception) -> None:
        self._say(refusal_text(exc), RED)


def _prompt(view: RmaView) -> str:
    if view.status in ("closed", "cancelled"):
        return f"{view.number} is {'processed' if view.status == 'closed' else 'cancelled'}: scan the next RMA"
    if view.to_grade:
        return f"Grade each unit below ({view.to_grade} to grade; {view.to_receive} still to come)" if (
            view.to_receive) else f"Grade each unit below ({view.to_grade} to grade)"
    if view.to_receive:
        return f"Scan each returned item ({view.to_receive} to come)"
    return f"Grade each unit below ({view.to_grade} to grade)"
