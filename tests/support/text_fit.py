"""Whether a window shows its texts whole at its size (tests/ui), as the house style draws
them: no window larger than the screen, no label whose text is cut (a wrapping label is
tall enough for its lines; a one-line label is wide enough, or an ``ElidedLabel``)."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText is QtGui's
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ui.style import STYLESHEET
from ui.widgets.fit_text import ElidedLabel


class HouseStyle:
    """The application's stylesheet (``ui.style``: 16–44 pt type) while a test runs: sizes
    measured without it are those of 9 pt text, not the station's."""

    def __enter__(self) -> HouseStyle:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.app, self.before = app, app.styleSheet()
        app.setStyleSheet(STYLESHEET)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.app.setStyleSheet(self.before)


def screen_area() -> QRect:
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    return screen.availableGeometry()


def outside_screen(window: QWidget) -> list[str]:
    """How ``window`` (shown) or what it asks for is larger than the screen (empty when it fits)."""
    area, problems = screen_area(), []
    hint = window.minimumSizeHint()
    if window.width() > area.width() or window.height() > area.height():
        problems.append(f"the window is {window.width()}×{window.height()} on a {area.width()}×{area.height()} screen")
    if hint.width() > area.width() or hint.height() > area.height():
        problems.append(f"the window needs at least {hint.width()}×{hint.height()}")
    return problems


def _visible_labels(window: QWidget) -> Iterator[QLabel]:
    for label in window.findChildren(QLabel):
        shown = label.isVisibleTo(window) and label.text() and label.pixmap().isNull() and label.width() > 0
        if shown and not GuiQt.mightBeRichText(label.text()):
            yield label


def cut_labels(window: QWidget) -> list[str]:
    """The visible labels of ``window`` whose text does not show whole, in words."""
    problems = []
    for label in _visible_labels(window):
        if isinstance(label, ElidedLabel):
            continue  # cut on purpose, whole in its tooltip
        margin = label.margin() * 2
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 1:
                problems.append(f"{label.objectName() or 'label'} {label.text()!r}: needs {needed}px high, "
                                f"has {label.height()}px")
            continue
        rect = label.contentsRect()
        lines = label.text().split("\n")
        metrics = label.fontMetrics()
        wide = max(metrics.horizontalAdvance(line) for line in lines) + margin
        high = metrics.lineSpacing() * len(lines) - metrics.leading() + margin
        if wide > rect.width() + 1 or high > rect.height() + 1:
            problems.append(f"{label.objectName() or 'label'} {label.text()!r}: {wide}×{high}px "
                            f"in {rect.width()}×{rect.height()}px")
    return problems
