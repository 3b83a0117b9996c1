"""The managers' Integrations screen: the shops' channels and what did not reach them.

Top: the last scheduled round (when, what it did, or its error, from ``SyncSchedule``) and
red lines for a channel whose last sync failed or that has not synced for three poll
intervals, and when shipped orders' tracking has not reached their shop within 24 hours.
Then the channels (kind, active, last sync, pending and failed pushes, the last sync's
error: such a channel's row is red) and the problems: channels not syncing, failed pushes
with their error, and late tracking. "Retry" sends the selected failed push again
(``app.integrations.retry``), "Retry all" every failed push (``retry_all``, one audited
use case); "Sync now" runs a round at once. Everything loads and
runs in the background (``ui.worker``); the tables reload when the outbox, the channels or
the shipments change. GUI thread only.

Layout (1280×800 beside the navigation and the simulator panel, and up): the last round's
words are at most ``ROUND_LINES`` lines high and scroll (a round's errors can be a page of
text; the whole of it is in the tooltip too), and so are the red lines under them
(``FLAG_LINES``: a channel's last sync error is as long as the shop made it); the channels
and the problems share the height through a splitter, each at least ``TABLE_ROWS`` rows
high; each table's columns fit its width, long names and errors cut with "…", whole in the
tooltip (``fit_columns``); "Sync now" sits on the channels' title row and "Retry" and
"Retry all" on the problems'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.integrations import ChannelView, Problems, SyncRound
from ui.integrations.capped_text import CappedText
from ui.integrations.schedule import SyncSchedule
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, GREY, RED
from ui.widgets.fit_columns import fit_columns
from ui.widgets.row_model import SORT_ROLE, Column, RowModel
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background
from ui.workspace.screen import Screen


@dataclass(frozen=True)
class ProblemRow:
    """One line of the problems table: a failed push (``message_id``) or late tracking."""

    kind: str  # "Failed push" or "Tracking late"
    message_id: int | None
    channel: str
    what: str
    order: str
    attempts: str
    error: str
    since: dt.datetime | None


def problem_rows(problems: Problems) -> list[ProblemRow]:
    rows = [ProblemRow("Sync failing", None, t.channel, "orders from the shop", "—", "", t.words,
                       t.error_at or t.last_synced_at) for t in problems.syncs]
    rows += [ProblemRow("Failed push", p.id, p.channel or "—", p.topic, p.order or "—", str(p.attempts),
                        p.last_error or "", p.created_at) for p in problems.failed]
    rows += [ProblemRow("Tracking late", None, t.channel, f"tracking {t.tracking or '—'}", t.order, "",
                        f"not in the shop after 24 h (push {t.push_status or 'missing'})"
                        + (f": {t.last_error}" if t.last_error else ""), t.shipped_at) for t in problems.late]
    return rows


def problem_words(problem: ProblemRow) -> str:
    """The selected problem in full, under the table (its cells are cut to fit)."""
    order = f" · order {problem.order}" if problem.order not in ("", "—") else ""
    tries = f" · {problem.attempts} {'try' if problem.attempts == '1' else 'tries'}" if problem.attempts else ""
    return f"{problem.kind} · {problem.channel} · {problem.what}{order}{tries}: {problem.error or 'no error kept'}"


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else "never"


_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


CHANNEL_COLUMNS: tuple[Column[ChannelView], ...] = (
    Column("Channel", lambda c: c.name), Column("Kind", lambda c: c.kind),
    Column("Active", lambda c: "yes" if c.active else "no"),
    Column("Last sync", lambda c: _when(c.last_synced_at), lambda c: c.last_synced_at or dt.datetime.min),
    Column("Pending", lambda c: str(c.pending_pushes), lambda c: c.pending_pushes),
    Column("Failed", lambda c: str(c.failed_pushes), lambda c: c.failed_pushes),
    Column("Sync error", lambda c: f"{c.last_error} (since {_when(c.last_error_at)})" if c.last_error else "",
           lambda c: c.last_error_at or _NEVER),
)
PROBLEM_COLUMNS: tuple[Column[ProblemRow], ...] = (
    Column("Problem", lambda p: p.kind), Column("Channel", lambda p: p.channel), Column("What", lambda p: p.what),
    Column("Order", lambda p: p.order), Column("Tries", lambda p: p.attempts),
    Column("Since", lambda p: _when(p.since), lambda p: p.since or _NEVER), Column("Error", lambda p: p.error),
)

CHANNEL_FLEXIBLE = frozenset({0, 6})  # the channel's name, the last sync error: cut with "…", whole in the tooltip
PROBLEM_FLEXIBLE = frozenset({1, 2, 6})  # channel, what, error: cut with "…", the selected one whole below
ROUND_LINES = 3  # the last round's words: at most this many lines high, then they scroll
DETAIL_LINES = 3  # the selected problem's words, likewise
TABLE_ROWS = 3  # each table shows at least this many rows, whatever the lines above it say
FLAG_LINES = 3  # the red lines of failing and silent channels and late tracking, likewise


class IntegrationsScreen(Screen):
    title = "Integrations"
    permission = Permission.SYNC_CHANNELS
    watches = frozenset({"outbox", "sales_channels", "shipments"})

    def __init__(self, app: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self._failed = 0  # failed pushes in the last load: Retry all is for them
        self.schedule = SyncSchedule(app, self)
        self.schedule.finished.connect(self._round_done)
        self.schedule.failed.connect(self._round_failed)
        self.round_area = CappedText("No sync has run yet.", ROUND_LINES, self)  # errors can be a page: they scroll
        self.round_area.setObjectName("lastRound")
        self.last_round = self.round_area.label
        self.late_flag = CappedText("", FLAG_LINES, self)  # a failing channel's error can be a page: it scrolls
        self.late_flag.setObjectName("syncFlags")
        self.late_flag.setVisible(False)
        self.channels: RowModel[ChannelView] = RowModel(
            CHANNEL_COLUMNS, lambda c: GREY if not c.active else RED if c.last_error else None)
        self.problems: RowModel[ProblemRow] = RowModel(PROBLEM_COLUMNS, lambda p: RED if p.message_id else AMBER)
        self.channel_table = self._table(self.channels, "channels", CHANNEL_FLEXIBLE)
        self.problem_table = self._table(self.problems, "problems", PROBLEM_FLEXIBLE)
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.setToolTip("Send the selected failed push again")
        self.retry_button.clicked.connect(self.retry)
        self.retry_all_button = QPushButton("Retry all", self)
        self.retry_all_button.setToolTip("Queue every failed push again: the next round sends them.")
        self.retry_all_button.clicked.connect(self.retry_all)
        self.sync_button = QPushButton("Sync now", self)
        self.sync_button.setToolTip("Fetch the shops' orders and send what waits, now")
        self.sync_button.clicked.connect(self.sync_now)
        self.status = StatusLine(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._section("Channels", (self.sync_button,), self.channel_table))
        problems = self._section("Problems", (self.retry_button, self.retry_all_button), self.problem_table)
        self.problem_detail = CappedText("", DETAIL_LINES, problems)  # the selected problem whole: errors are long
        self.problem_detail.setObjectName("problemDetail")
        self.problem_detail.setVisible(False)
        problems_layout = problems.layout()
        assert problems_layout is not None
        problems_layout.addWidget(self.problem_detail)
        splitter.addWidget(problems)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addWidget(self.round_area)
        layout.addWidget(self.late_flag)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self.problem_table.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self._enable()

    def _section(self, title: str, buttons: tuple[QPushButton, ...], table: QTableView) -> QWidget:
        """A title with its buttons on one row, the table below."""
        section = QWidget(self)
        head = QHBoxLayout()
        head.addWidget(QLabel(title, section))
        head.addStretch(1)
        for button in buttons:
            head.addWidget(button)
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(table, 1)
        return section

    def _say_round(self, text: str, colour: str | None = None) -> None:
        self.round_area.set_text(text, colour)

    def _table(self, model: RowModel[ChannelView] | RowModel[ProblemRow], name: str,
               flexible: frozenset[int]) -> QTableView:
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        table = QTableView(self)
        table.setObjectName(name)
        table.setModel(proxy)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        fit_columns(table, flexible)
        rows = table.verticalHeader().defaultSectionSize() * TABLE_ROWS
        table.setMinimumHeight(table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth())
        return table

    # -- who is signed in: the schedule runs for those who may sync

    def set_actor(self, actor: Actor | None) -> None:
        super().set_actor(actor)
        self.schedule.set_actor(actor)
        self._enable()

    def forget_messages(self) -> None:
        self.status.forget()

    # -- loading

    def refresh(self) -> None:
        app = self.app
        run_in_background(lambda: (app.integrations.channels(), app.integrations.problems()), self._loaded,
                          self._load_failed, owner=self)

    def _loaded(self, result: tuple[tuple[ChannelView, ...], Problems]) -> None:
        channels, problems = result
        chosen = self.selected()
        self.channels.set_rows(channels)
        self.problems.set_rows(problem_rows(problems))
        if chosen is not None and chosen.message_id is not None:
            self._select(chosen.message_id)
        self._failed = len(problems.failed)
        flags = [f"{t.channel}: {t.words}" for t in problems.syncs]
        late = len(problems.late)
        if late:
            flags.append(f"{late} shipped order{'s' if late != 1 else ''}' tracking has not reached the shop within "
                         "24 hours: see Problems below.")
        self.late_flag.setVisible(bool(flags))
        if flags:
            self.late_flag.set_text("\n".join(flags), RED)
        self._enable()

    def _load_failed(self, exc: Exception) -> None:
        self.status.say(refusal_text(exc), RED)

    def selected(self) -> ProblemRow | None:
        rows = self.problem_table.selectionModel().selectedRows()
        if not rows:
            return None
        proxy = self.problem_table.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        return self.problems.row(proxy.mapToSource(rows[0]).row())

    def _select(self, message_id: int) -> None:
        proxy = self.problem_table.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        for row in range(proxy.rowCount()):
            if self.problems.row(proxy.mapToSource(proxy.index(row, 0)).row()).message_id == message_id:
                self.problem_table.selectRow(row)
                return

    def _enable(self) -> None:
        chosen = self.selected()
        self.problem_detail.setVisible(chosen is not None)
        if chosen is not None:
            self.problem_detail.set_text(problem_words(chosen))
        self.status.selection_is(chosen.message_id if chosen is not None else None)
        self.retry_button.setEnabled(self.actor is not None and chosen is not None and chosen.message_id is not None)
        self.retry_all_button.setEnabled(self.actor is not None and self._failed > 0)
        self.sync_button.setEnabled(self.schedule.actor is not None)

    # -- actions

    def retry(self) -> None:
        chosen, actor = self.selected(), self.actor
        if chosen is None or chosen.message_id is None or actor is None:
            return
        message_id = chosen.message_id
        self.status.say(f"Queueing push #{message_id} again…", AMBER)
        run_in_background(lambda: self.app.integrations.retry(actor, message_id),
                          lambda _none: self._retried(message_id), self._action_failed, owner=self)

    def _retried(self, message_id: int) -> None:
        self.status.say(f"Push #{message_id} is queued again: the next round sends it.", GREEN)
        self.refresh()

    def retry_all(self) -> None:
        actor = self.actor
        if actor is None:
            return
        self.status.say("Queueing every failed push again…", AMBER)
        run_in_background(lambda: self.app.integrations.retry_all(actor), self._retried_all, self._action_failed,
                          owner=self)

    def _retried_all(self, count: int) -> None:
        self.status.say(f"{count} failed push{'es are' if count != 1 else ' is'} queued again: the next round "
                        f"sends {'them' if count != 1 else 'it'}.", GREEN)
        self.refresh()

    def _action_failed(self, exc: Exception) -> None:
        self.status.say(refusal_text(exc), RED)

    def sync_now(self) -> None:
        self.status.say("Syncing…", AMBER)
        self.schedule.run_now()

    def _round_done(self, round_: SyncRound | None) -> None:
        if round_ is None:
            self._say_round("No active shop channel: nothing to sync.")
        else:
            self._say_round(round_words(round_), RED if round_.errors else GREEN)
        if self.status.text() == "Syncing…":
            self.status.forget()
        self.refresh()

    def _round_failed(self, error: str) -> None:
        self._say_round(f"The last sync failed: {error}", RED)


def round_words(round_: SyncRound) -> str:
    at = round_.at.astimezone().strftime("%H:%M:%S")
    fetched = sum(s.fetched for s in round_.syncs)
    delivery = round_.delivery
    words = (f"Last sync {at}: {fetched} order{'s' if fetched != 1 else ''} fetched; "
             + ("another computer is delivering the outbox." if delivery.lease_held_elsewhere else
                f"{delivery.delivered} push{'es' if delivery.delivered != 1 else ''} delivered, "
                f"{delivery.stock_delivered} stock level{'s' if delivery.stock_delivered != 1 else ''} sent, "
                f"{delivery.retried} to retry, {delivery.failed} failed."))
    if round_.errors:
        words += " Errors: " + "; ".join(round_.errors)
    return words
