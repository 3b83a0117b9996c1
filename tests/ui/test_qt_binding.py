"""The Qt binding must be fit to run a station all day.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every Qt method that
returns nothing; after enough calls the interpreter aborts ("none_dealloc"). A station
makes millions of such calls a day, so a binding that leaks here must never be installed
(pyproject pins it out). On Python 3.12+ ``None`` is immortal and the count is constant.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_qt_calls_returning_nothing_keep_the_reference_count_of_none(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    point = QPoint()
    before = sys.getrefcount(None)
    for index in range(2000):
        point.setX(index)
        label.setText("x")
    after = sys.getrefcount(None)
    assert abs(after - before) < 50, f"None lost {before - after} references over 4,000 Qt calls"
