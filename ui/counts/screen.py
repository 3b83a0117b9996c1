"""The Cycle counts screen (everyone signed in may count; managers create and approve).

* Top: today's proposal in words (lines and bins due) and, for a manager, "Create today's
  count"; the counts, open ones first.
* Choosing a count shows its lines — the count sheet on screen, blind for a counter: bins in
  walking order, products, what was counted, never the expected figure — and the counting
  panel, driven by the scanner alone: scan a bin of the count, then its items (a case counts
  its pack; "Units per scan" above 1 counts that many per scan — a typed quantity), each
  product's running count in big type; scanning the bin again (or Bin done) records the bin
  ("bin done": a product of the bin not scanned is recorded as 0). Scanning a count's number
  (its sheet's barcode, "CC-9") chooses that count; a bin not on the count is named as such.
* Every button and row click gives the focus back to the scan box (buttons take no focus).
* Sheet PDF saves the chosen count's blind sheet in this station's documents folder.
* Complete count posts the variances, or says a manager must approve (the reasons shown);
  Approve (managers) posts them; Send back (managers) returns the lines over the threshold to
  the counters for a recount. A counter is told how many lines wait, never a figure.
  A completed count's lines show counted, system and variance.

Never blocks: every call runs through ``run_in_background``; scans are looked up one at a
time, in the order scanned. Threading: GUI thread only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.roles import Permission
from fulfilstation.domain.words import plural
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.counts import BinCounted, Completed, CountSummary, CountView, ProposedLine, ScannedItem
from fulfilstation.services.refused import Refused
from ui.counts.model import NAME_COLUMN, counts_model, line_columns, lines_model
from ui.station.manager_sign_in import refusal_text
from ui.stock.move_panel import WrappedStatus
from ui.style import AMBER, GREEN, RED
from ui.widgets.fit_columns import fit_columns
from ui.widgets.fit_text import let_wrap
from ui.worker import run_in_background
from ui.workspace.screen import Screen

SoundSink = Callable[[str], None]
BIG = "font-size: 22pt; font-weight: 600;"
COUNT_NUMBER = re.compile(r"CC-\d+", re.IGNORECASE)  # a count's number, as printed on its sheet


@dataclass(frozen=True)
class _Overview:
    proposal: tuple[ProposedLine, ...]
    counts: tuple[CountSummary, ...]


@dataclass
class Running:
    """A product's running count in the bin being counted."""

    sku: str
    name: str
    units: int

    def words(self) -> str:
        """Two lines in big type: the running figure and SKU, then the name."""
        return f"{self.units} × {self.sku}\n{self.name}"


class CountsScreen(Screen):
    title = "Cycle counts"
    permission = Permission.COUNT  # everyone signed in counts
    watches = frozenset({"cycle_counts", "cycle_count_lines", "products"})

    def __init__(self, app: AppServices, parent: QWidget | None = None, *, play: SoundSink | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.play = play
        self.sounds: list[str] = []  # every sound asked for, in order (tests, diagnostics)
        self.busy = False
        self.view: CountView | None = None
        self._load_seq = 0  # the latest count asked for: an older answer arriving later is dropped
        self._wanted: str | None = None  # that count's number, as asked
        self.bin: str | None = None  # the bin being counted
        self.running: dict[str, Running] = {}
        self.scans: list[str] = []
        self.typed: list[tuple[str, int]] = []
        self._queue: list[str] = []
        self.last_completed: Completed | None = None
        self._build()
        self._update_actions()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.proposal_label = let_wrap(QLabel("", self))
        self.proposal_label.setObjectName("hint")
        self.create_button = QPushButton("Create &today's count", self)
        self.create_button.clicked.connect(self.create_today)
        self.sheet_button = QPushButton("&Sheet PDF", self)
        self.sheet_button.setToolTip("Save the chosen count's blind sheet (PDF) in this station's documents folder")
        self.sheet_button.clicked.connect(self.save_sheet)
        self.refresh_button = QPushButton("Re&fresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        self.send_back_button = QPushButton("Send bac&k", self)
        self.send_back_button.setToolTip("Send the lines over the threshold back to the counters for a recount")
        self.send_back_button.clicked.connect(self.send_back)
        top = QHBoxLayout()
        top.addWidget(self.proposal_label, 1)
        top.addWidget(self.create_button)
        top.addWidget(self.sheet_button)
        top.addWidget(self.refresh_button)
        top.addWidget(self.send_back_button)
        self.counts_model = counts_model()
        self.counts_model.setParent(self)
        self.counts_table = self._table(self.counts_model, "counts")
        fit_columns(self.counts_table, {3})
        self.counts_table.selectionModel().selectionChanged.connect(lambda *_args: self._count_chosen())
        self.lines_model = lines_model()
        self.lines_model.setParent(self)
        self.lines_table = self._table(self.lines_model, "countLines")
        fit_columns(self.lines_table, {NAME_COLUMN})
        self.step = let_wrap(QLabel("Choose a count.", self))
        self.step.setObjectName("prompt")
        self.scan_box = QLineEdit(self)
        self.scan_box.setObjectName("codeEntry")
        self.scan_box.setPlaceholderText("Scan a bin of the count, then its items")
        self.scan_box.returnPressed.connect(self._scan_box_entered)
        self.quantity = QSpinBox(self)
        self.quantity.setRange(1, 100_000)
        self.quantity.setValue(1)
        self.quantity.setToolTip("How many units each scan counts (then back to 1): a typed quantity")
        self.quantity.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.running_list = QListWidget(self)
        self.running_list.setObjectName("countRunning")
        self.running_list.setStyleSheet(BIG)
        self.running_list.setWordWrap(True)
        self.running_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.bin_done_button = QPushButton("&Bin done", self)
        self.bin_done_button.clicked.connect(self.bin_done)
        self.complete_button = QPushButton("&Complete count", self)
        self.complete_button.clicked.connect(self.complete)
        self.approve_button = QPushButton("&Approve variances", self)
        self.approve_button.clicked.connect(self.approve)
        for button in (self.create_button, self.sheet_button, self.refresh_button, self.bin_done_button,
                       self.complete_button, self.approve_button, self.send_back_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner's keystrokes stay in the scan box
            button.clicked.connect(self.scan_box_focus)
        for table in (self.counts_table, self.lines_table):
            table.clicked.connect(self.scan_box_focus)
        self.status = WrappedStatus(self)
        self.status.setObjectName("countStatus")
        entry = QHBoxLayout()
        entry.addWidget(self.scan_box, 1)
        entry.addWidget(QLabel("Units/scan", self))
        entry.addWidget(self.quantity)
        buttons = QHBoxLayout()
        buttons.addWidget(self.bin_done_button)
        buttons.addStretch(1)
        buttons.addWidget(self.complete_button)
        buttons.addWidget(self.approve_button)
        panel = QVBoxLayout()
        panel.addWidget(self.step)
        panel.addLayout(entry)
        panel.addWidget(self.running_list, 1)
        panel.addLayout(buttons)
        upper = QHBoxLayout()
        upper.addWidget(self.counts_table, 2)
        upper.addLayout(panel, 3)
        body = QVBoxLayout()
        body.addLayout(upper, 1)
        body.addWidget(self.lines_table, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)

    def _table(self, model: object, name: str) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        table.setModel(model)  # type: ignore[arg-type]
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        return table

    # ------------------------------------------------------------------ the Screen contract
    def set_actor(self, actor: Actor | None) -> None:
        self.actor = actor
        self._update_actions()

    def forget_messages(self) -> None:
        self.status.forget()

    def take_scan(self, value: ScanValue) -> None:
        """A scanner's scan (not a wedge's): counted like one typed into the scan box."""
        if QApplication.activeModalWidget() is None:
            self.scan(value.text)

    def shown(self) -> None:
        self.scan_box.setFocus()
        self.refresh()

    def scan_box_focus(self) -> None:
        """After any button or row click the focus goes back to the scan box (a scan is never lost)."""
        self.scan_box.setFocus()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        counts = self.app.counts

        def load() -> _Overview:
            return _Overview(tuple(counts.proposal()), tuple(counts.list()))

        run_in_background(load, self._loaded, self._failed, owner=self)

    def _loaded(self, overview: _Overview) -> None:
        due = overview.proposal
        self.proposal_label.setText(
            f"Today's proposal: {plural(len(due), 'line')} in {plural(len({p.bin for p in due}), 'bin')} due "
            "for a count." if due else "Today's proposal: nothing is due for a count.")
        numbers = [c.number for c in overview.counts]
        upper = [n.upper() for n in numbers]
        keep = self.view.number if self.view is not None else None
        if self._wanted is not None and self._wanted.upper() in upper:
            keep = numbers[upper.index(self._wanted.upper())]  # the count asked for last, maybe still loading
        self.counts_model.set_rows(overview.counts)
        if keep in numbers:
            self.counts_table.selectRow(numbers.index(keep))
        elif keep is None and overview.counts and overview.counts[0].status in ("open", "counting"):
            self.counts_table.selectRow(0)

    def _failed(self, exc: Exception) -> None:
        self.status.say(refusal_text(exc), AMBER if isinstance(exc, Refused) else RED)

    def chosen(self) -> CountSummary | None:
        rows = self.counts_table.selectionModel().selectedRows()
        return self.counts_model.row(rows[0].row()) if rows else None

    def _count_chosen(self) -> None:
        summary = self.chosen()
        if summary is not None:
            self.load_count(summary.number)

    def load_count(self, number: str) -> None:
        """Show count ``number``. Answers come back in any order: only the latest asked for is
        shown, so a reload started before a scan never puts the previous count back."""
        counts, actor = self.app.counts, self.actor
        self._load_seq += 1
        seq, self._wanted = self._load_seq, number
        run_in_background(lambda: counts.show(number, actor), lambda view: self._count_loaded(view, seq),
                          self._failed, owner=self)

    def _count_loaded(self, view: CountView, seq: int) -> None:
        if seq != self._load_seq:
            return  # a later count was asked for meanwhile
        changed = self.view is None or self.view.number != view.number
        self.view = view
        self.lines_model.columns = line_columns(view.blind)
        self.lines_model.set_rows(view.lines)
        if changed:
            self._reset_bin()
        self._show_step()
        self._update_actions()

    # ------------------------------------------------------------------ counting
    def _scan_box_entered(self) -> None:
        text = self.scan_box.text()
        self.scan_box.clear()
        self.scan(text)

    def scan(self, code: str) -> None:
        code = code.strip()
        if not code:
            return
        self._queue.append(code)
        if not self.busy:
            self._next()

    def _next(self) -> None:
        if self.busy or not self._queue:
            return
        code = self._queue.pop(0)
        view = self.view
        if COUNT_NUMBER.fullmatch(code):
            self._open_count(code.upper())
            return self._next()
        if view is None or view.status not in ("open", "counting"):
            self._refuse("Choose an open count first: its bins are listed with it.")
            return self._next()
        bin_code = next((b for b in view.bins if b.upper() == code.upper()), None)
        if bin_code is not None:
            if self.bin is None:
                self._start_bin(bin_code)
            elif bin_code == self.bin:
                self.bin_done()
            else:
                self._refuse(f"Finish bin {self.bin} first: scan it again (or Bin done), then scan {bin_code}.")
            return self._next()
        if self.bin is None:
            self.busy = True  # a bin not on the count, or an item before any bin: say which
            run_in_background(lambda: self.app.counts.identify(code), lambda _item: self._not_a_bin_of(view),
                              lambda exc: self._not_a_bin_of(view, exc), owner=self)
            return None
        self.busy = True
        counts, each = self.app.counts, self.quantity.value()
        run_in_background(lambda: counts.identify(code), lambda item: self._identified(code, each, item),
                          self._identify_failed, owner=self)

    def _not_a_bin_of(self, view: CountView, exc: Exception | None = None) -> None:
        self.busy = False
        bins = f"{', '.join(view.bins[:8])}{' …' if len(view.bins) > 8 else ''}"
        if isinstance(exc, Refused) and exc.code == "bin-scanned":
            self._refuse(f"{refusal_text(exc).split(' is a bin')[0]} is not on count {view.number}: scan one of "
                         f"its bins ({bins}).")
        else:
            self._refuse(f"Scan a bin of count {view.number} first ({bins}), then its items.")
        self._next()

    def _open_count(self, number: str) -> None:
        """A count's number scanned (from its sheet): that count is chosen (a bin being counted
        is finished first)."""
        if self.bin is not None:
            self._refuse(f"Finish bin {self.bin} first: scan it again (or Bin done), then scan {number}.")
            return
        numbers = [row.number for row in self.counts_model.rows()]
        if number in numbers and (self.view is None or self.view.number != number):
            self.counts_table.selectRow(numbers.index(number))  # chosen: its lines load
        else:
            self.load_count(number)
        self._sound("prompt")

    def _identified(self, code: str, each: int, item: ScannedItem) -> None:
        self.busy = False
        units = item.units * each
        if each == 1:
            self.scans.append(code)
        else:
            self.typed.append((item.sku, units))
            self.quantity.setValue(1)
        found = self.running.setdefault(item.sku, Running(item.sku, item.name, 0))
        found.units += units
        self._show_running()
        self._sound("accept")
        self.status.say(f"{units} × {item.sku} counted in {self.bin}.", GREEN)
        self._next()

    def _identify_failed(self, exc: Exception) -> None:
        self.busy = False
        self._refuse(refusal_text(exc), "refuse-unknown")
        self._next()

    def _start_bin(self, bin_code: str) -> None:
        self._reset_bin()
        self.bin = bin_code
        self._sound("prompt")
        self._show_step()
        self._update_actions()

    def bin_done(self) -> None:
        actor, view, bin_code = self.actor, self.view, self.bin
        if actor is None or view is None or bin_code is None or self.busy:
            return
        self.busy = True
        counts, scans, typed = self.app.counts, list(self.scans), list(self.typed)
        run_in_background(lambda: counts.count_bin(actor, view.number, bin_code, scans, typed),
                          self._bin_recorded, self._action_failed, owner=self)

    def _bin_recorded(self, done: BinCounted) -> None:
        self.busy = False
        words = ", ".join(f"{line.counted} × {line.sku}" for line in done.lines) or "nothing"
        self.status.say(f"Bin {done.bin} recorded: {words}.", GREEN)
        self._sound("accept")
        self._reset_bin()
        self.load_count(done.number)
        self._next()

    def _reset_bin(self) -> None:
        self.bin, self.running, self.scans, self.typed = None, {}, [], []
        self.quantity.setValue(1)
        self._show_running()
        self._show_step()

    def _show_running(self) -> None:
        self.running_list.clear()
        for running in self.running.values():
            self.running_list.addItem(running.words())
            self.running_list.item(self.running_list.count() - 1).setToolTip(running.words())

    def running_words(self) -> list[str]:
        return [running.words() for running in self.running.values()]

    def _show_step(self) -> None:
        view = self.view
        if view is None:
            text = "Choose a count."
        elif view.status not in ("open", "counting"):
            text = f"Count {view.number} is {view.status}."
        elif self.bin is None:
            left = [b for b in view.bins if any(line.bin == b and line.counted is None for line in view.lines)]
            text = (f"1. Scan a bin of {view.number} ({plural(len(left), 'bin')} to count)" if left else
                    f"Every bin of {view.number} is counted: Complete count.")
        else:
            text = f"2. Scan the items in {self.bin}, then scan {self.bin} again"
        self.step.setText(text)

    def save_sheet(self) -> None:
        view = self.view
        if view is None:
            return
        counts = self.app.counts
        run_in_background(lambda: counts.save_sheet(view.number),
                          lambda path: self.status.say(f"Count sheet saved to {path}.", GREEN), self._failed,
                          owner=self)

    # ------------------------------------------------------------------ completing
    def create_today(self) -> None:
        actor = self.actor
        if actor is None or not actor.may(Permission.MANAGE_COUNTS):
            return
        counts = self.app.counts
        run_in_background(lambda: counts.create(actor, today=True), lambda created: self._created(created.number),
                          self._action_failed, owner=self)

    def _created(self, number: str) -> None:
        self.status.say(f"Count {number} created: print its sheet ('fulfilstation count sheet {number}') or count "
                        "here.", GREEN)
        self.view = None
        self.load_count(number)
        self.refresh()

    def complete(self) -> None:
        self._finish(approve=False)

    def approve(self) -> None:
        self._finish(approve=True)

    def send_back(self) -> None:
        actor, view = self.actor, self.view
        if actor is None or view is None or self.busy:
            return
        self.busy = True
        counts = self.app.counts
        run_in_background(lambda: counts.recount(actor, view.number), lambda bins: self._sent_back(view.number, bins),
                          self._action_failed, owner=self)

    def _sent_back(self, number: str, bins: tuple[str, ...]) -> None:
        self.busy = False
        self.status.say(f"Count {number} sent back for a recount: count {', '.join(bins)} again.", GREEN)
        self.load_count(number)
        self.refresh()

    def _finish(self, *, approve: bool) -> None:
        actor, view = self.actor, self.view
        if actor is None or view is None or self.busy:
            return
        self.busy = True
        counts = self.app.counts
        call = counts.approve if approve else counts.complete
        run_in_background(lambda: call(actor, view.number), self._finished, self._action_failed, owner=self)

    def _finished(self, done: Completed) -> None:
        self.busy = False
        self.last_completed = done
        if done.needs_approval and done.blind:
            self.status.say(done.reasons[0], AMBER)  # a counter: how many lines wait, never a figure
        elif done.needs_approval:
            self.status.say(f"Count {done.number} needs a manager's approval: " + " ".join(done.reasons), AMBER)
        else:
            self.status.say(f"Count {done.number} completed: {done.lines_exact} of "
                            f"{plural(done.lines_counted, 'line')} exact, {plural(done.units_variance, 'unit')} "
                            "of variance posted.", GREEN)
        self.load_count(done.number)
        self.refresh()

    def _action_failed(self, exc: Exception) -> None:
        self.busy = False
        self._refuse(refusal_text(exc))
        self._next()

    # ------------------------------------------------------------------ helpers
    def _refuse(self, text: str, sound: str = "refuse") -> None:
        self.status.say(text, RED)
        self._sound(sound)

    def _sound(self, name: str) -> None:
        self.sounds.append(name)
        if self.play is not None:
            self.play(name)

    def _update_actions(self) -> None:
        actor, view = self.actor, self.view
        manager = actor is not None and actor.may(Permission.MANAGE_COUNTS)
        is_open = view is not None and view.status in ("open", "counting")
        self.create_button.setVisible(manager)
        self.sheet_button.setEnabled(view is not None)
        self.approve_button.setVisible(manager)
        self.approve_button.setEnabled(is_open)
        self.send_back_button.setVisible(manager)
        self.send_back_button.setEnabled(is_open and view is not None and view.needs_approval)
        self.complete_button.setEnabled(is_open and self.bin is None)
        self.bin_done_button.setEnabled(self.bin is not None)
