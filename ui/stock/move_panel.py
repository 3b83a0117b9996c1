"""The Move panel: moving stock with a scanner alone — scan the bin to take from, scan the
items (each scan one unit; a case GTIN its pack quantity; a GS1 code with AI 10 names the
lot), scan the bin to put them in. What is being carried is listed as it grows; Esc (or
Cancel) puts it all back, nothing moved.

Each scan is looked up in the background (``app.stock.identify`` and the source bin's
levels), one after another in the order scanned; a scan that cannot count (an unknown code,
an item not in the source bin, more than is free there, a lot to name) is refused in words
with its sound and changes nothing carried. The destination bin's scan commits everything
carried as one ``app.stock.move_many`` (one transaction: one stock move per product and
lot); a refusal then keeps what is carried, so another bin can be scanned or Esc pressed.

Signals: ``moved`` (the ``Moved`` tuple, after a commit), ``sound`` (a name of
``ui.station.sounds.SOUNDS``: ``accept``, ``prompt``, ``refuse``, ``refuse-unknown``,
``refuse-wrong-item``, ``refuse-too-many``, ``refuse-serial``). Threading: GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QListWidget, QPushButton, QWidget

from fulfilstation.domain.words import plural
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.refused import Refused
from fulfilstation.services.stock import Moved, MoveItem, ScanTarget, StockFilter, StockRefused, StockRow
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, RED, show_status
from ui.widgets.fit_text import breakable, let_wrap
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background

STEP_SOURCE = "1. Scan the bin to take from"
STEP_ITEMS = "2. Scan the items from {bin}, then the bin to put them in"
STEP_TARGET = "3. Scan more items, or the bin to put them in"
SCAN_BOX_WIDTH = 260
CARRIED_ROWS = 2


class WrappedStatus(StatusLine):
    """A status line that wraps and never widens the window (an echoed barcode is cut)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        let_wrap(self)

    def say(self, text: str, colour: str) -> None:
        show_status(self, breakable(text), colour)


@dataclass(frozen=True)
class _Looked:
    code: str
    target: ScanTarget
    source_rows: tuple[StockRow, ...]  # the product's levels in the source bin (a product scan)


@dataclass
class Carried:
    sku: str
    name: str
    lot: str
    units: int

    def words(self) -> str:
        lot = f"  lot {self.lot}" if self.lot else ""
        return f"{self.units} × {self.sku}  {self.name}{lot}"


class MovePanel(QFrame):
    moved = Signal(object)  # tuple[Moved, ...]
    sound = Signal(str)

    def __init__(self, app: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stockMove")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.stock = app.stock
        self.actor: Actor | None = None
        self.source: str | None = None
        self.carried: dict[tuple[str, str], Carried] = {}
        self.busy = False
        self._queue: list[str] = []
        self.step = let_wrap(QLabel(STEP_SOURCE, self))
        self.step.setObjectName("stockMoveStep")
        self.scan_box = QLineEdit(self)
        self.scan_box.setObjectName("stockMoveScan")
        self.scan_box.setPlaceholderText("Scan here")
        self.scan_box.setFixedWidth(SCAN_BOX_WIDTH)
        self.scan_box.returnPressed.connect(self._entered)
        self.list = QListWidget(self)
        self.list.setObjectName("stockCarried")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFixedHeight(self.list.fontMetrics().height() * CARRIED_ROWS + 12)
        self.cancel_button = QPushButton("Cancel (Esc)", self)
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.cancel)
        self.status = WrappedStatus(self)
        self.status.setObjectName("stockMoveStatus")
        title = QLabel("Move stock", self)
        title.setStyleSheet("font-weight: 700;")
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(title, 0, 0)
        layout.addWidget(self.step, 0, 1)
        layout.addWidget(self.scan_box, 0, 2)
        layout.addWidget(self.cancel_button, 0, 3)
        layout.addWidget(self.list, 1, 0, 1, 2)
        layout.addWidget(self.status, 1, 2, 1, 2)
        layout.setColumnStretch(1, 1)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._show()

    # -- what the screen calls
    def set_actor(self, actor: Actor | None) -> None:
        if actor is None or (self.actor is not None and actor.user_id != self.actor.user_id):
            self._reset()
            self.status.forget()
        self.actor = actor
        self.setEnabled(actor is not None)

    @property
    def active(self) -> bool:
        """A move is under way (a source bin is scanned)."""
        return self.source is not None

    def scan(self, code: str) -> None:
        """One scan (a wedge's Enter, or a scanner handed over by the screen)."""
        text = code.strip()
        if not text:
            return
        self._queue.append(text)
        if not self.busy:
            self._next()

    def cancel(self) -> None:
        if self.busy:
            return
        had = self.source is not None or bool(self.carried)
        self._queue.clear()
        self._reset()
        if had:
            self._say("Move cancelled: nothing moved. Put the items back.", AMBER)
        self.scan_box.setFocus()

    # -- scans, one at a time
    def _entered(self) -> None:
        text = self.scan_box.text()
        self.scan_box.clear()
        self.scan(text)

    def _next(self) -> None:
        if not self._queue or self.busy:
            return
        code, source, stock = self._queue.pop(0), self.source, self.stock
        self.busy = True

        def look() -> _Looked:
            target = stock.identify(code)
            rows: tuple[StockRow, ...] = ()
            if target.kind == "product" and source is not None:
                rows = tuple(stock.levels(StockFilter(sku=target.code, bin=source)))
            return _Looked(code, target, rows)

        run_in_background(look, self._looked, self._look_failed, owner=self)

    def _looked(self, looked: _Looked) -> None:
        self.busy = False
        if looked.target.kind == "bin":
            self._bin(looked.target)
        else:
            self._item(looked)
        if not self.busy:
            self._next()

    def _look_failed(self, exc: Exception) -> None:
        self.busy = False
        unknown = isinstance(exc, StockRefused) and exc.code == "unknown-code"
        self._refuse(refusal_text(exc), "refuse-unknown" if unknown else "refuse")
        self._next()

    def _bin(self, target: ScanTarget) -> None:
        if not target.bin_active:
            self._refuse(f"Bin {target.code} is no longer in use: scan another bin.", "refuse")
        elif self.source is None or (not self.carried and target.code != self.source):
            self.source = target.code
            self._say(f"Taking from {target.code}: scan the items.", GREEN)
            self.sound.emit("prompt")
        elif target.code == self.source:
            what = "scan the bin to put them in" if self.carried else "scan the items"
            self._refuse(f"That is {target.code}, the bin you take from: {what}.", "refuse")
        else:
            self._commit(target.code)
        self._show()

    def _item(self, looked: _Looked) -> None:
        target, source = looked.target, self.source
        if source is None:
            self._refuse(f"First scan the bin you take {target.code} from, then the items.", "refuse")
            return
        rows = [row for row in looked.source_rows if row.on_hand > 0]
        lot_named = target.lot if target.lot_tracked else None  # a lot on an untracked product's code: ignored
        if lot_named:
            rows = [row for row in rows if row.lot == lot_named]
        if not rows:
            lot = f" of lot {lot_named}" if lot_named else ""
            self._refuse(f"Bin {source} holds no {target.code}{lot}: put it back, or cancel and scan the bin it "
                         "came from.", "refuse-wrong-item")
            return
        lots = sorted({row.lot for row in rows})
        if len(lots) > 1:
            self._refuse(f"Bin {source} holds {target.code} of several lots ({', '.join(lots)}): scan the GS1 label "
                         "that names the lot.", "refuse-serial")
            return
        free = sum(row.available for row in rows)
        carried = self.carried.get((target.code, lots[0]))
        already = carried.units if carried else 0
        if already + target.units > free:
            self._refuse(f"Only {plural(free, 'unit')} of {target.code} in {source} {'is' if free == 1 else 'are'} "
                         f"free (the rest is reserved for orders); you carry {already}: put this one back.",
                         "refuse-too-many")
            return
        if carried is None:
            self.carried[(target.code, lots[0])] = Carried(target.code, target.name, lots[0], target.units)
        else:
            carried.units += target.units
        self._say(f"+{target.units} {target.code}", GREEN)
        self.sound.emit("accept")
        self._show()

    def _commit(self, destination: str) -> None:
        actor, source, stock = self.actor, self.source, self.stock
        if actor is None or source is None:
            return
        items = [MoveItem(c.sku, c.units, c.lot or None) for c in self.carried.values()]
        self.busy = True
        self._say(f"Moving to {destination}…", AMBER)
        run_in_background(lambda: stock.move_many(actor, source, destination, items), self._committed,
                          self._commit_failed, owner=self)

    def _committed(self, moved: tuple[Moved, ...]) -> None:
        self.busy = False
        units = sum(m.quantity for m in moved)
        where = f"from {moved[0].from_bin} to {moved[0].to_bin}" if moved else ""
        self._reset()
        self._say(f"Moved {plural(units, 'unit')} {where}: " + ", ".join(f"{m.quantity} × {m.sku}" for m in moved),
                  GREEN)
        self.sound.emit("accept")
        self.moved.emit(moved)
        self._next()

    def _commit_failed(self, exc: Exception) -> None:
        self.busy = False
        self._refuse(refusal_text(exc) + (" Scan another bin, or Esc to cancel." if isinstance(exc, Refused) else ""),
                     "refuse")
        self._next()

    # -- showing
    def _reset(self) -> None:
        self.source = None
        self.carried.clear()
        self._show()

    def _show(self) -> None:
        if self.source is None:
            self.step.setText(STEP_SOURCE)
        elif not self.carried:
            self.step.setText(STEP_ITEMS.format(bin=self.source))
        else:
            self.step.setText(STEP_TARGET)
        self.list.clear()
        for words in self.carried_words():
            self.list.addItem(words)
            self.list.item(self.list.count() - 1).setToolTip(words)  # cut with "…" when long: whole here

    def carried_words(self) -> list[str]:
        return [c.words() for c in self.carried.values()]

    def _say(self, text: str, colour: str) -> None:
        self.status.say(text, colour)

    def _refuse(self, text: str, sound: str) -> None:
        self._say(text, RED)
        self.sound.emit(sound)
