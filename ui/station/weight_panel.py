"""The weight panel: the live weight in large digits with the scale's state, the range the
parcel must weigh (green when the reading is inside it and still, red when outside), the
box to use and the package number.

``show_reading`` takes the ``ScaleAdapter``'s readings, ``show_view`` the pack in progress;
both on the GUI thread. ``in_range`` is the verdict the colours show (None: no range yet).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from fulfilstation.domain.units import format_least_weight, format_weight
from fulfilstation.ports import ScaleState, WeightReading
from fulfilstation.services.packing import PackView
from ui.devices.describe import describe_scale_state
from ui.style import AMBER, GREEN, GREY, RED, result_css
from ui.widgets.fit_text import let_wrap, wrapped_minimum

MAX_WIDTH = 340  # the lines table gets the rest


class WeightPanel(QFrame):
    def __init__(self, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weightPanel")
        self.setMaximumWidth(MAX_WIDTH)
        self.unit = unit
        self.reading = WeightReading(None, ScaleState.DISCONNECTED)
        self.view: PackView | None = None
        self.in_range: bool | None = None
        self.weight = self._label("bigWeight", Qt.AlignmentFlag.AlignCenter)
        self.state = self._label("scaleState", Qt.AlignmentFlag.AlignCenter)
        self.expected = self._label("expected", Qt.AlignmentFlag.AlignCenter)
        self.box = self._label("box", Qt.AlignmentFlag.AlignLeft)
        self.box_hint = self._label("hint", Qt.AlignmentFlag.AlignLeft)
        self.package = self._label("hint", Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        title = self._label("panelTitle", Qt.AlignmentFlag.AlignLeft)
        title.setText("Scale")
        for widget in (title, self.weight, self.state, self.expected):
            layout.addWidget(widget)
        layout.addStretch(1)
        for widget in (self.box, self.box_hint, self.package):
            layout.addWidget(widget)
        self._refresh()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """As high as its wrapped lines need at its width: the lines table beside it gives way,
        never the weight, the range or the box (``resizeEvent`` asks again when the width changes)."""
        return wrapped_minimum(self, super().minimumSizeHint())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.updateGeometry()

    def _label(self, name: str, alignment: Qt.AlignmentFlag) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAlignment(alignment)
        return label if name == "bigWeight" else let_wrap(label)

    def set_unit(self, unit: str) -> None:
        """Show weights in ``unit`` (the site's: ``app.site.weight_unit``) from now on."""
        self.unit = unit
        self._refresh()

    def show_reading(self, reading: WeightReading) -> None:
        self.reading = reading
        self._refresh()

    def show_view(self, view: PackView | None) -> None:
        self.view = view
        self._refresh()

    def _refresh(self) -> None:
        self._show_texts()
        self.updateGeometry()  # new lines may need more height

    def _show_texts(self) -> None:
        reading, view = self.reading, self.view
        described = describe_scale_state(reading.state)
        self.weight.setText(format_weight(reading.grams, self.unit))
        self.state.setText(described.text if not described.advice else f"{described.text}: {described.advice}")
        self.state.setStyleSheet(result_css(described.colour))
        self._show_range(view)
        if view is None:
            for label in (self.box, self.box_hint, self.package):
                label.setText("")
            return
        box = view.box_code or view.suggested_box
        self.box.setText(f"Box: {box}" if box else "Box: any that fits")
        self.box_hint.setText(("chosen" if view.box_code else "suggested") + " — scan another box to change")
        closed = f" · {view.closed_packages} closed" if view.closed_packages else ""
        self.package.setText(f"Package {view.package_sequence}{closed}")

    def _show_range(self, view: PackView | None) -> None:
        low = view.expected_min_g if view is not None else None
        high = view.expected_max_g if view is not None else None
        if low is None or high is None:
            self.in_range = None
            self.expected.setText("Expected: scan items first" if view is not None else "")
            self.expected.setStyleSheet(result_css(GREY))
            return
        grams = self.reading.grams
        self.in_range = grams is not None and low <= grams <= high
        text = f"Expected\n{format_least_weight(low, self.unit)} – {format_weight(high, self.unit)}"
        if view is None or not view.complete or grams is None:  # not on the scale yet: no verdict
            self.expected.setText(text)
            self.expected.setStyleSheet(result_css(GREY))
            return
        if not self.in_range:
            text += "\nnothing on the scale" if grams <= 0 else "\ntoo light" if grams < low else "\ntoo heavy"
        colour = (GREEN if self.reading.usable else AMBER) if self.in_range else RED
        self.expected.setText(text)
        self.expected.setStyleSheet(result_css(colour))
