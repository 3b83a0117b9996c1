"""``Navigation``: the workspace's list of screens, showing a signed-in person only the ones
their role may use (``Actor.may``, the one table of role rules). Hidden while nobody is
signed in, and while only one screen is allowed (every role now has more: a packer sees the
station, Receiving and Stock).

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor

KEY_ROLE = Qt.ItemDataRole.UserRole
WIDTH = 190  # px at most: as wide as the longest screen name shown


class Navigation(QListWidget):
    chosen = Signal(str)  # the key of the screen chosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay the screen's (a wedge types there)
        self.setFixedWidth(WIDTH)
        self.permissions: dict[str, Permission] = {}
        self.currentItemChanged.connect(self._changed)

    def add(self, key: str, title: str, permission: Permission) -> None:
        item = QListWidgetItem(title)
        item.setData(KEY_ROLE, key)
        self.addItem(item)
        self.permissions[key] = permission

    def show_for(self, actor: Actor | None) -> None:
        """Show the screens ``actor`` may use (none when signed out)."""
        allowed = 0
        for row in range(self.count()):
            item = self.item(row)
            may = actor is not None and actor.may(self.permissions[str(item.data(KEY_ROLE))])
            item.setHidden(not may)
            allowed += may
        self.setVisible(allowed > 1)
        self.setFixedWidth(min(WIDTH, self.sizeHintForColumn(0) + 2 * self.frameWidth() + 12))  # its longest name

    def select(self, key: str) -> None:
        for row in range(self.count()):
            if self.item(row).data(KEY_ROLE) == key:
                self.setCurrentRow(row)
                return

    def allows(self, key: str) -> bool:
        return any(self.item(row).data(KEY_ROLE) == key and not self.item(row).isHidden()
                   for row in range(self.count()))

    def _changed(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.chosen.emit(str(item.data(KEY_ROLE)))
