"""The order lines of the pack in progress as a table: picture, SKU, product, ordered,
scanned, and a check mark when the line is complete (its row turns green).

``set_view`` replaces the rows from a fresh ``PackView`` and remembers which line the
last accepted scan counted (``last_changed``), shown in bold. Product pictures come from
``LineView.image_path`` when the file can be read; they are cached. GUI thread only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPixmap

from fulfilstation.services.packing import LineView, PackView

HEADERS = ("", "SKU", "Product", "Qty", "Scanned", "")
IMAGE, SKU, NAME, ORDERED, SCANNED, DONE = range(6)
THUMBNAIL = QSize(56, 56)
COMPLETE_BACKGROUND = QColor("#d7f0dd")
STARTED_BACKGROUND = QColor("#fff1cc")
COMPLETE_TEXT = QColor("#1b7f3b")

Index = QModelIndex | QPersistentModelIndex


class LinesModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.lines: tuple[LineView, ...] = ()
        self.last_changed: int | None = None
        self._pictures: dict[str, QPixmap | None] = {}

    def set_view(self, view: PackView | None) -> None:
        lines = view.lines if view is not None else ()
        before = {line.order_line_id: line.scanned for line in self.lines}
        changed = [row for row, line in enumerate(lines) if line.scanned > before.get(line.order_line_id, 0)]
        self.beginResetModel()
        self.lines = lines
        if changed:
            self.last_changed = changed[0]
        elif not lines or {line.order_line_id for line in lines} != set(before):
            self.last_changed = None
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.DecorationRole and column == IMAGE and line.image_path:
            return self._picture(line.image_path)
        if role == Qt.ItemDataRole.BackgroundRole:
            if line.complete:
                return QBrush(COMPLETE_BACKGROUND)
            return QBrush(STARTED_BACKGROUND) if line.scanned else None
        if role == Qt.ItemDataRole.ForegroundRole and column == DONE and line.complete:
            return QBrush(COMPLETE_TEXT)
        if role == Qt.ItemDataRole.FontRole and index.row() == self.last_changed:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ORDERED, SCANNED, DONE):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _text(line: LineView, column: int) -> str | None:
        extra = " · serial no." if line.serial_tracked else _lot_words(line) if line.lot_tracked else ""
        extra += f" · {line.kit}" if line.kit else ""  # a kit's component: "part of KIT ×N"
        values = {SKU: line.sku, NAME: line.name + extra, ORDERED: str(line.ordered), SCANNED: str(line.scanned),
                  DONE: "✓" if line.complete else ""}
        return values.get(column)

    def _picture(self, path: str) -> QPixmap | None:
        if path not in self._pictures:
            pixmap = QPixmap(path) if Path(path).is_file() else QPixmap()
            self._pictures[path] = None if pixmap.isNull() else pixmap.scaled(
                THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        return self._pictures[path]


def _lot_words(line: LineView) -> str:
    """The row's lot words: "· lot no." until a lot is scanned, then the lots taken ("· lot L26569",
    "· lots L1, L2")."""
    if not line.lots:
        return " · lot no."
    return f" · lot{'s' if len(line.lots) > 1 else ''} {', '.join(line.lots)}"
