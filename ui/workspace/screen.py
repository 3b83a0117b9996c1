"""``Screen``: what a workspace screen is to the main window.

A screen is shown when it is chosen in the navigation (and only to roles holding its
``permission``), told who is signed in (``set_actor``, None after log-out), handed the
scans of a non-keyboard scanner while it is shown (``take_scan``; a keyboard wedge simply
types into the focused widget), and asked to ``refresh`` when a change touched one of the
tables it ``watches`` — made here or at another station. On every sign-in and sign-out
it is told to ``forget_messages``: what its last action said belongs to the person who
acted (see ``ui.widgets.status_line``). The dashboard opens a screen with a filter
(``show_filter``, then shown).

Threading: GUI thread only; screens run blocking work through ``ui.worker``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from fulfilstation.domain.roles import Permission
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor


class Screen(QWidget):
    title = "Screen"
    permission = Permission.PACK
    watches: frozenset[str] = frozenset()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor: Actor | None = None

    def set_actor(self, actor: Actor | None) -> None:
        self.actor = actor

    def forget_messages(self) -> None:
        """Clear what the screen said about earlier actions (default: nothing to clear)."""

    def take_scan(self, value: ScanValue) -> None:
        """A scan while this screen is shown (default: ignored)."""

    def refresh(self) -> None:
        """Load what the screen shows again (in the background)."""

    def show_filter(self, name: str | None) -> None:
        """Show only what ``name`` names (a dashboard exception's filter, e.g. ``hold``) when the
        screen is next shown; a name it does not know shows the screen as it is (default: every
        name). Called just before the window shows the screen."""

    def shown(self) -> None:
        """The screen became the current one (default: refresh)."""
        self.refresh()
