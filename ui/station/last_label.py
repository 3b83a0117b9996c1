"""The station's last shipping label on screen, without the simulator.

* ``load_pages`` (blocking) asks its ``LabelSource`` (``app.shipping.last_labels``) for the
  labels of the station's latest live shipment and draws each package's label: from its description
  (``label_preview.render_description``, the same layout the printer got), or — for a
  label bought from a carrier's API, which has none — roughly from the carrier's stored
  ZPL (``zpl_preview``), then marked as the carrier's label (``LabelPages.carriers``).
* ``LastLabel`` runs it in the background and reports ``loaded`` (``LabelPages`` or None
  when the station has shipped nothing) or ``failed`` (words); only the latest load counts.
* ``LabelImage`` paints an image scaled to fit, ``LabelThumbnail`` is the idle screen's
  small picture of the label just printed (a click opens the dialog), and
  ``LastLabelDialog`` (Station → Show last label, Ctrl+Shift+L) shows the labels full size,
  one package at a time (← / → or PgUp / PgDn page through them).

Threading: drawing happens in the worker with the database read; widgets are GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeySequence, QMouseEvent, QPainter, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.services.shipping import ShipmentLabels
from ui.station.label_preview import DOTS_PER_MM, render_description, stamp_void
from ui.station.manager_sign_in import refusal_text
from ui.station.zpl_preview import render_label
from ui.style import AMBER, RED
from ui.widgets.fit_text import wrapped_minimum
from ui.worker import run_in_background

CARRIERS_NOTE = "The carrier's label: drawn roughly from what the carrier sent (its barcodes are not real here)."


@dataclass(frozen=True)
class LabelPages:
    shipment_id: int
    order_number: str
    service: str
    images: tuple[QImage, ...]  # one per package, in package order
    carriers: bool = False  # the carrier's own label (no description of ours)
    voided: bool = False

    def caption(self, index: int) -> str:
        """``SO-1001 · USPS Priority Mail · package 1 of 2``."""
        count = len(self.images)
        return f"{self.order_number} · {self.service} · package {index + 1} of {count}"


def pages_of(labels: ShipmentLabels, dots_per_mm: float = DOTS_PER_MM) -> LabelPages:
    """Each package's label drawn (blocking: worker thread); a voided shipment's stamped VOID."""
    descriptions = labels.descriptions
    if descriptions:
        images = tuple(render_description(label, dots_per_mm) for label in descriptions)
    else:
        images = tuple(render_label(zpl, scale=dots_per_mm / DOTS_PER_MM) for zpl in labels.stored_zpl if zpl)
    if labels.voided:
        images = tuple(stamp_void(image) for image in images)
    return LabelPages(labels.shipment_id, labels.order_number, labels.service, images, not descriptions,
                      labels.voided)


LabelSource = Callable[[], ShipmentLabels | None]
"""Blocking: the labels to show (the station's latest shipment's), or None."""


def load_pages(source: LabelSource) -> LabelPages | None:
    """The station's last shipment's labels drawn, or None (blocking: worker thread)."""
    labels = source()
    return None if labels is None else pages_of(labels)


class LastLabel(QObject):
    loaded = Signal(object)  # LabelPages | None
    failed = Signal(str)

    def __init__(self, source: LabelSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.pages: LabelPages | None = None
        self._ticket = 0

    def load(self) -> None:
        self._ticket += 1
        ticket, source = self._ticket, self.source
        run_in_background(lambda: load_pages(source), lambda pages: self._loaded(ticket, pages),
                          lambda exc: self._failed(ticket, exc), owner=self)

    def clear(self) -> None:
        """Forget the label shown (a log-out: the last customer's address leaves the screen);
        a load still running is ignored."""
        self._ticket += 1
        self.pages = None
        self.loaded.emit(None)

    def _loaded(self, ticket: int, pages: LabelPages | None) -> None:
        if ticket == self._ticket:
            self.pages = pages
            self.loaded.emit(pages)

    def _failed(self, ticket: int, exc: Exception) -> None:
        if ticket == self._ticket:
            self.failed.emit(f"The last label cannot be shown: {refusal_text(exc)}")


class LabelImage(QWidget):
    """An image scaled to fit (aspect kept) on a grey ground; ``clicked`` on a click."""

    clicked = Signal()

    def __init__(self, hint: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None
        self._hint = hint
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_image(self, image: QImage | None) -> None:
        self.image = image
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self._hint

    def image_rect(self) -> QRectF:
        """Where the image is painted: the largest rectangle of its shape that fits."""
        if self.image is None or self.image.isNull():
            return QRectF()
        scale = min(self.width() / self.image.width(), self.height() / self.image.height())
        width, height = self.image.width() * scale, self.image.height() * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#c4c7c5"))
        if self.image is not None and not self.image.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self.image_rect(), self.image)
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton and self.image is not None:
            self.clicked.emit()


THUMBNAIL_WIDTH = 200  # px: the idle screen's picture of the last label (4 × 6 in)

class LabelThumbnail(QWidget):
    """The idle screen's picture of the last label (the last package's); hidden until there is one."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages: LabelPages | None = None
        self.title = QLabel("Last label — Ctrl+Shift+L to enlarge", self)
        self.title.setObjectName("panelTitle")
        self.title.setWordWrap(True)
        self.setFixedWidth(THUMBNAIL_WIDTH)  # the queue beside it gets the rest
        self.image = LabelImage(QSize(THUMBNAIL_WIDTH, 300), self)
        self.image.setFixedSize(THUMBNAIL_WIDTH, 300)
        self.image.setCursor(Qt.CursorShape.PointingHandCursor)
        self.image.clicked.connect(self.clicked)
        self.caption = QLabel(self)
        self.caption.setObjectName("hint")
        self.caption.setWordWrap(True)
        self.caption.setFixedWidth(THUMBNAIL_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.image)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self.setVisible(False)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Room for the title, the label and every line of the caption: never drawn over each other."""
        return wrapped_minimum(self, super().minimumSizeHint())

    def show_pages(self, pages: LabelPages | None) -> None:
        self.pages = pages
        if pages is None or not pages.images:
            self.image.set_image(None)
            self.setVisible(False)
            return
        self.image.set_image(pages.images[-1])
        note = " (the carrier's label)" if pages.carriers else " — VOID" if pages.voided else ""
        self.caption.setText(pages.caption(len(pages.images) - 1) + note)
        self.setVisible(True)
        self.updateGeometry()


class LastLabelDialog(QDialog):
    """The last shipment's labels, full size, a package at a time."""

    def __init__(self, source: LabelSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Last label")
        self.pages: LabelPages | None = None
        self.page = 0
        self.image = LabelImage(QSize(540, 810), self)
        self.caption = QLabel("Loading the last label…", self)
        self.caption.setObjectName("chosen")
        self.caption.setWordWrap(True)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        self.previous = QPushButton("◀ Previous package", self)
        self.next = QPushButton("Next package ▶", self)
        self.previous.clicked.connect(lambda: self.turn(-1))
        self.next.clicked.connect(lambda: self.turn(1))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        paging = QHBoxLayout()
        paging.addWidget(self.previous)
        paging.addStretch(1)
        paging.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.note)
        layout.addWidget(self.image, 1)
        layout.addLayout(paging)
        layout.addWidget(buttons)
        self.resize(620, 1000)
        for keys, step in ((Qt.Key.Key_Left, -1), (Qt.Key.Key_PageUp, -1), (Qt.Key.Key_Right, 1),
                           (Qt.Key.Key_PageDown, 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.turn(step))
        self._set_paging()
        self.loader = LastLabel(source, self)
        self.loader.loaded.connect(self.show_pages)
        self.loader.failed.connect(self.show_problem)
        self.loader.load()

    def show_pages(self, pages: LabelPages | None) -> None:
        self.pages, self.page = pages, 0
        if pages is None or not pages.images:
            self.caption.setText("This station has not shipped anything yet." if pages is None else
                                 f"{pages.order_number}: no label is stored for this shipment.")
            self.image.set_image(None)
        else:
            self._show_page()
        notes = ([CARRIERS_NOTE] if pages is not None and pages.carriers else []) + \
                (["VOID: this shipment was voided; its labels must not be used."]
                 if pages is not None and pages.voided else [])
        self.note.setText(" ".join(notes))
        self.note.setStyleSheet(f"color: {RED if pages is not None and pages.voided else AMBER}; font-weight: 600;")
        self.note.setVisible(bool(notes))
        self._set_paging()

    def show_problem(self, text: str) -> None:
        self.caption.setText(text)
        self.caption.setStyleSheet(f"color: {RED};")

    def turn(self, step: int) -> None:
        """Show the previous (-1) or next (+1) package's label, if there is one."""
        count = len(self.pages.images) if self.pages is not None else 0
        if 0 <= self.page + step < count:
            self.page += step
            self._show_page()
            self._set_paging()

    def _show_page(self) -> None:
        assert self.pages is not None
        self.image.set_image(self.pages.images[self.page])
        self.caption.setText(self.pages.caption(self.page))

    def _set_paging(self) -> None:
        count = len(self.pages.images) if self.pages is not None else 0
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page + 1 < count)
        for button in (self.previous, self.next):
            button.setVisible(count > 1)
