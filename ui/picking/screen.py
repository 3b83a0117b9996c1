"""The Picking screen (packers, managers, owners): make a pick list and pick it with a
scanner alone.

Left, the open pick lists and the ways to make one: the next N ready orders, or (managers) a
wave by carrier, ship-by date or zone, optionally split by zone. Right, the open list: a big
prompt says what to scan next ("Go to bin A-01-1", "Scan SKU X: 3 to pick"), the walk in
big type (bin, item, units, picked, totes), and the progress. Scanning: a pick list's
number opens it; then a bin (a wrong one is refused loudly, naming the bin to go to); then
items (a case counts its pack quantity) until the row is done, then the next bin. "Short"
(or F8, or scanning/typing ``SHORT``) says the scanned bin has no more of the current item:
only after the bin was scanned ("Scan the bin first" before), and only when confirmed — the
first press asks (naming the stock to be written off, ``app.picking.short_preview``), a
second press at the same row records it (``app.picking.short``), any scan cancels (and is
not used). "Print…" saves the list's PDF (a save dialog). Scans arriving while one is
decided wait their turn, in order. Accepted scans beep, refusals sound loudly.

Never blocks: every call runs through ``run_in_background``. Threading: GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.roles import Permission
from fulfilstation.domain.words import plural
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.picking import (
    BinCheck,
    Cancelled,
    Created,
    Picked,
    PickListView,
    PickRow,
    Shorted,
    ShortPreview,
    Wave,
)
from ui.picking.models import lists_model, walk_model
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, RED
from ui.widgets.big_prompt import big_prompt
from ui.widgets.file_dialogs import save_file_name
from ui.widgets.fit_text import ElidedLabel
from ui.widgets.row_model import SORT_ROLE
from ui.widgets.row_table import row_table
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background
from ui.workspace.screen import Screen

SoundSink = Callable[[str], None]
SHORT_COMMAND = "SHORT"
NO_LIST = "Scan a pick list's number, or make one"


class PickingScreen(Screen):
    title = "Picking"
    permission = Permission.PICK
    watches = frozenset({"pick_lists", "pick_list_lines", "pick_list_orders"})

    def __init__(self, app: AppServices, parent: QWidget | None = None, *, play: SoundSink | None = None,
                 choose_save: Callable[[str], str] | None = None) -> None:
        super().__init__(parent)
        self.picking = app.picking
        self.play = play
        self.choose_save = choose_save or (lambda suggested: save_file_name(
            self, "Save the pick list", suggested, "PDF files (*.pdf)"))
        self.view: PickListView | None = None
        self.bin: str | None = None  # the bin scanned last on the open list
        self.short_asked: tuple[str, str, str, str] | None = None  # (list, bin, sku, lot) awaiting a second F8
        self.short_question = ""
        self._short_said = ""  # the last short's message, kept when the list turns done
        self.busy = False
        self._queue: list[str] = []
        layout = QHBoxLayout(self)
        self.list_pane = self._build_lists()
        layout.addWidget(self.list_pane, 2)
        layout.addWidget(self._build_walk(), 5)
        QShortcut(QKeySequence(Qt.Key.Key_F8), self, self.short)
        self._update_actions()

    # -- building
    def _build_lists(self) -> QWidget:
        pane = QWidget(self)
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Open pick lists", pane))
        self.lists = lists_model()
        self.lists.setParent(self)
        self.lists_proxy = QSortFilterProxyModel(self)
        self.lists_proxy.setSourceModel(self.lists)
        self.lists_proxy.setSortRole(SORT_ROLE)
        self.list_table = row_table(self.lists_proxy, pane, flexible={3}, keep_scan_focus=True)
        self.list_table.doubleClicked.connect(lambda _index: self.open_selected())
        column.addWidget(self.list_table, 1)
        self.open_button = QPushButton("&Open", pane)
        self.open_button.clicked.connect(self.open_selected)
        column.addWidget(self.open_button)
        next_row = QHBoxLayout()
        self.next_count = QSpinBox(pane)
        self.next_count.setRange(1, 500)
        self.next_count.setValue(10)
        self.next_count.setPrefix("Next ")
        self.next_count.setSuffix(" orders")
        self.create_button = QPushButton("&Make list", pane)
        self.create_button.clicked.connect(self.create_next)
        next_row.addWidget(self.next_count, 1)
        next_row.addWidget(self.create_button)
        column.addLayout(next_row)
        wave_row = QHBoxLayout()
        self.wave_choice = QComboBox(pane)
        for wave in Wave:
            self.wave_choice.addItem(f"Wave: {wave.value}", wave.value)
        self.wave_value = QLineEdit(pane)
        self.wave_value.setPlaceholderText("carrier, date or zone")
        self.wave_button = QPushButton("Make &wave", pane)
        self.wave_button.setToolTip("A wave of orders (managers)")
        self.wave_button.clicked.connect(self.create_wave)
        wave_row.addWidget(self.wave_choice)
        wave_row.addWidget(self.wave_value, 1)
        column.addLayout(wave_row)
        column.addWidget(self.wave_button)
        self.by_zone = QCheckBox("Split by zone", pane)
        column.addWidget(self.by_zone)
        return pane

    def _build_walk(self) -> QWidget:
        pane = QWidget(self)
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        self.heading = ElidedLabel("", pane)
        self.prompt = big_prompt(NO_LIST, pane, "pickingPrompt", scale=2.0)
        self.scan_box = QLineEdit(pane)
        self.scan_box.setPlaceholderText("Scan here (or type and press Enter); SHORT or F8: the bin has no more")
        self.scan_box.returnPressed.connect(self._typed)
        self.walk = walk_model()
        self.walk.setParent(self)
        self.walk_table = row_table(self.walk, pane, flexible={1, 4}, keep_scan_focus=True)
        big = QFont(self.walk_table.font())
        big.setPointSizeF(big.pointSizeF() * 1.4)
        self.walk_table.setFont(big)
        self.walk_table.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 2.2))
        self.short_button = QPushButton("&Short (F8)", pane)
        self.short_button.setToolTip("The bin has no more of this item")
        self.short_button.clicked.connect(self.short)
        self.print_button = QPushButton("&Print…", pane)
        self.print_button.setToolTip("Save the pick list as a PDF (barcodes of the list, totes, bins and items)")
        self.print_button.clicked.connect(self.print_list)
        self.cancel_button = QPushButton("Cancel list", pane)
        self.cancel_button.setToolTip("Cancel the pick list: its orders can be picked again (managers)")
        self.cancel_button.clicked.connect(self.cancel_list)
        self.back_button = QPushButton("Back", pane)
        self.back_button.clicked.connect(self.leave_list)
        buttons = QHBoxLayout()
        for button in (self.short_button, self.print_button, self.cancel_button, self.back_button):
            buttons.addWidget(button)
        self.status = StatusLine(pane)
        self.status.setObjectName("pickingStatus")
        self.status.setWordWrap(True)
        column.addWidget(self.heading)
        column.addWidget(self.prompt)
        column.addWidget(self.scan_box)
        column.addWidget(self.walk_table, 1)
        column.addLayout(buttons)
        column.addWidget(self.status)
        return pane

    # -- the Screen contract
    def set_actor(self, actor: Actor | None) -> None:
        self.actor = actor
        self._update_actions()

    def forget_messages(self) -> None:
        self.status.forget()

    def take_scan(self, value: ScanValue) -> None:
        self._enqueue(value.text)

    def shown(self) -> None:
        self.scan_box.setFocus()
        self.refresh()

    def refresh(self) -> None:
        picking, number = self.picking, self.view.number if self.view else None

        def load() -> tuple[list[object], PickListView | None]:
            return list(picking.open_lists()), picking.show(number) if number else None

        run_in_background(load, self._loaded, self._failed, owner=self)

    def _loaded(self, loaded: tuple[list[object], PickListView | None]) -> None:
        lists, view = loaded
        self.lists.set_rows(lists)  # type: ignore[arg-type]
        if view is not None and self.view is not None and view.number == self.view.number:
            self._show_view(view)

    # -- making and opening lists
    def create_next(self) -> None:
        actor, picking, count, by_zone = self.actor, self.picking, self.next_count.value(), self.by_zone.isChecked()
        if actor is None or self.busy:
            return
        self._set_busy(True)
        run_in_background(lambda: picking.create(actor, next=count, by_zone=by_zone), self._created, self._failed,
                          owner=self)

    def create_wave(self) -> None:
        actor, picking = self.actor, self.picking
        wave, value = Wave(self.wave_choice.currentData()), self.wave_value.text().strip() or None
        by_zone = self.by_zone.isChecked()
        if actor is None or self.busy:
            return
        self._set_busy(True)
        run_in_background(lambda: picking.create_wave(actor, wave, value, by_zone=by_zone), self._created,
                          self._failed, owner=self)

    def _created(self, created: Created) -> None:
        self._set_busy(False)
        self._open(created.view)
        self._say(f"Pick list {created.number} made: {plural(len(created.view.totes), 'order')}. Print it, or pick on "
                  "screen.", GREEN)
        self.refresh()

    def open_selected(self) -> None:
        rows = self.list_table.selectionModel().selectedRows()
        if rows:
            self.open_list(self.lists.row(self.lists_proxy.mapToSource(rows[0]).row()).number)

    def open_list(self, number: str) -> None:
        picking = self.picking
        self._set_busy(True)
        run_in_background(lambda: picking.show(number), self._opened, self._scan_failed, owner=self)

    def _opened(self, view: PickListView) -> None:
        self._set_busy(False)
        if view.status not in ("open", "picking"):
            self._refused(f"Pick list {view.number} is {view.status}: nothing to pick on it.")
            self._next_scan()
            return
        self._open(view)
        self._say(f"Picking {view.number}.", GREEN)
        self._next_scan()

    def _open(self, view: PickListView) -> None:
        self.bin, self.short_asked = None, None
        self.list_pane.setVisible(False)
        self._show_view(view)
        self.scan_box.setFocus()

    def leave_list(self) -> None:
        self.view, self.bin, self.short_asked = None, None, None
        self.walk.set_rows([])
        self.list_pane.setVisible(True)
        self.heading.setText("")
        self.prompt.setText(NO_LIST)
        self._update_actions()
        self.refresh()

    def _show_view(self, view: PickListView) -> None:
        self.view = view
        self.walk.set_rows(view.rows)
        self.heading.setText(f"Pick list {view.number} — {view.description}: {view.picked} picked, {view.short} "
                             f"short of {plural(view.units, 'unit')}; {view.rows_done} of "
                             f"{plural(len(view.rows), 'stop')} done")
        self.prompt.setText(self._prompt_text())
        self._update_actions()

    def current_row(self) -> PickRow | None:
        """The row being picked: the first unfinished one at the scanned bin, else the next stop."""
        if self.view is None:
            return None
        if self.bin is not None:
            here = [row for row in self.view.rows if row.bin == self.bin and not row.done]
            if here:
                return here[0]
        return self.view.next_row

    def _prompt_text(self) -> str:
        if self.view is None:
            return NO_LIST
        if self.short_asked is not None:
            return self.short_question
        row = self.current_row()
        if row is None:
            return f"Pick list {self.view.number} is done"
        lot = f" lot {row.lot}" if row.lot else ""
        if self.bin is None or row.bin != self.bin:
            return f"Go to bin {row.bin}"
        return f"Scan {row.sku}{lot}: {row.remaining} to pick ({row.tote_labels})"

    # -- scanning
    def _typed(self) -> None:
        text = self.scan_box.text()
        self.scan_box.clear()
        if text.strip():
            self._enqueue(text)

    def _enqueue(self, text: str) -> None:
        self._queue.append(text.strip())
        if not self.busy:
            self._next_scan()

    def _next_scan(self) -> None:
        if self.busy or not self._queue:
            return
        code = self._queue.pop(0)
        actor, picking, view = self.actor, self.picking, self.view
        if actor is None:
            self._queue.clear()
            return
        if code.upper() == SHORT_COMMAND:
            self.short()
            self._next_scan()
            return
        if self.short_asked is not None:
            self.short_asked = None
            self._say(f"Short cancelled: nothing was written off ({code} was not used: scan it again).", AMBER)
            self.prompt.setText(self._prompt_text())
            self._update_actions()
            self._next_scan()
            return
        if view is None or code.upper() == view.number.upper() or code.upper().startswith("PL-"):
            self.open_list(code)
            return
        bins = {row.bin.upper() for row in view.rows}
        self._set_busy(True)
        if self.bin is None or code.upper() in bins:
            run_in_background(lambda: picking.check_bin(view.number, code), self._at_bin, self._scan_failed,
                              owner=self)
            return
        at = self.bin
        run_in_background(lambda: picking.pick(actor, view.number, at, code), self._picked, self._scan_failed,
                          owner=self)

    def _at_bin(self, found: BinCheck) -> None:
        self._set_busy(False)
        self.bin = found.bin
        self.play_sound("accept")
        self.prompt.setText(self._prompt_text())
        self._say(f"At bin {found.bin}: " + "; ".join(f"{row.remaining} × {row.sku}" for row in found.rows), GREEN)
        self._next_scan()

    def _picked(self, picked: Picked) -> None:
        self._set_busy(False)
        self.play_sound("accept")
        if picked.row_done:
            self.bin = None if not self._more_here(picked) else self.bin
        self._say(picked.message, GREEN)
        self._reload_view()

    def _more_here(self, picked: Picked) -> bool:
        return self.view is not None and any(row.bin == picked.bin and row.sku != picked.sku and not row.done
                                             for row in self.view.rows)

    def _reload_view(self) -> None:
        if self.view is None:
            return
        picking, number = self.picking, self.view.number
        self._set_busy(True)
        run_in_background(lambda: picking.show(number), self._reloaded, self._scan_failed, owner=self)

    def _reloaded(self, view: PickListView) -> None:
        self._set_busy(False)
        self._show_view(view)
        if view.status == "done":
            self.play_sound("prompt")
            before = f"{self._short_said} " if self._short_said else ""  # the write-off stays in view
            self._say(f"{before}Pick list {view.number} is done: take the totes to packing.",
                      AMBER if before else GREEN)
        self._short_said = ""
        self._next_scan()

    def _scan_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.short_asked = None
        self._queue.clear()
        self._refused(refusal_text(exc))

    # -- acting
    def short_row(self) -> PickRow | None:
        """The row a short pick is about: the first unfinished one at the scanned bin (None
        before a bin is scanned)."""
        if self.view is None or self.bin is None:
            return None
        return next((row for row in self.view.rows if row.bin == self.bin and not row.done), None)

    def short(self) -> None:
        """First press: ask (naming the write-off); second press at the same row: record it."""
        actor, picking, view, row = self.actor, self.picking, self.view, self.short_row()
        if actor is None or view is None or self.busy:
            return
        if row is None:
            upcoming = view.next_row
            self.short_asked = None
            self._refused(f"Scan the bin first{f': go to bin {upcoming.bin}' if upcoming else ''}. A short pick "
                          "is for the bin you are at.")
            return
        key = (view.number, row.bin, row.sku, row.lot)
        self._set_busy(True)
        if self.short_asked != key:
            run_in_background(lambda: picking.short_preview(view.number, row.bin, row.sku, row.lot or None),
                              lambda preview: self._short_asked(key, preview), self._scan_failed, owner=self)
            return
        self.short_asked = None
        run_in_background(lambda: picking.short(actor, view.number, row.bin, row.sku, row.lot), self._shorted,
                          self._scan_failed, owner=self)

    def _short_asked(self, key: tuple[str, str, str, str], preview: ShortPreview) -> None:
        self._set_busy(False)
        self.short_asked, self.short_question = key, preview.question
        self.play_sound("prompt")
        self.prompt.setText(preview.question)
        self._say(preview.question, AMBER)
        self._next_scan()

    def _shorted(self, shorted: Shorted) -> None:
        self._set_busy(False)
        self.play_sound("prompt")
        self.bin = None
        self._short_said = shorted.message
        self._say(shorted.message, AMBER)
        self._reload_view()

    def print_list(self) -> None:
        if self.view is None or self.busy:
            return
        path = self.choose_save(f"{self.view.number}.pdf")
        if not path:
            return
        picking, number = self.picking, self.view.number

        def write() -> str:
            Path(path).write_bytes(picking.pdf(number))
            return path

        run_in_background(write, lambda saved: self._say(f"Pick list saved to {saved}.", GREEN), self._failed,
                          owner=self)

    def cancel_list(self) -> None:
        actor, picking, view = self.actor, self.picking, self.view
        if actor is None or view is None or self.busy:
            return
        self._set_busy(True)
        run_in_background(lambda: picking.cancel(actor, view.number, "cancelled on the Picking screen"),
                          self._cancelled, self._failed, owner=self)

    def _cancelled(self, cancelled: Cancelled) -> None:
        self._set_busy(False)
        self.leave_list()
        self._say(cancelled.message, AMBER)

    # -- helpers
    def play_sound(self, name: str) -> None:
        if self.play is not None:
            self.play(name)

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self._refused(refusal_text(exc))

    def _refused(self, message: str) -> None:
        self.play_sound("refuse")
        self._say(message, RED)

    def _say(self, text: str, colour: str) -> None:
        self.status.say(text, colour)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_actions()

    def _update_actions(self) -> None:
        actor, open_list = self.actor, self.view is not None
        manager = actor is not None and actor.may(Permission.MANAGE_PICKING)
        for button in (self.create_button, self.open_button):
            button.setEnabled(actor is not None and not self.busy)
        self.wave_button.setEnabled(manager and not self.busy)
        self.wave_button.setVisible(manager)
        self.wave_choice.setVisible(manager)
        self.wave_value.setVisible(manager)
        self.short_button.setEnabled(open_list and not self.busy and self.current_row() is not None)
        self.short_button.setText("Confirm &short (F8)" if self.short_asked else "&Short (F8)")
        self.print_button.setEnabled(open_list)
        self.cancel_button.setVisible(manager)
        self.cancel_button.setEnabled(open_list and not self.busy)
        self.back_button.setEnabled(open_list)
