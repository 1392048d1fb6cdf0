"""Laptop mode's side column: today's counters, "Open image…" and "Paste".

A desk station checks codes that arrive as screenshots or text as well as through the camera;
the column only asks for them and hands them to the window, which submits them like any scan.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QVBoxLayout, QWidget

from gui.counters import CountersPanel
from gui.texts import QT_TRANSLATE_NOOP
from gui.theme import Metrics
from gui.widgets import TouchButton, pixel_font

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)"
OPEN_IMAGE = QT_TRANSLATE_NOOP("Laptop", "Open image…")
PASTE = QT_TRANSLATE_NOOP("Laptop", "Paste")


class LaptopPanel(QWidget):
    """`image_chosen(path)` after "Open image…", `paste_requested()` on "Paste"."""

    image_chosen = Signal(str)
    paste_requested = Signal()

    def __init__(self, counters: CountersPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(280)
        self.open_button = TouchButton(OPEN_IMAGE, self, name="open-image")
        self.open_button.clicked.connect(self._choose_image)
        self.paste_button = TouchButton(PASTE, self, name="paste")
        self.paste_button.clicked.connect(self.paste_requested)
        column = QVBoxLayout(self)
        column.addWidget(counters, 1)
        column.addWidget(self.open_button)
        column.addWidget(self.paste_button)

    def fit(self, metrics: Metrics) -> None:
        """Button text at the window's body size."""
        for button in (self.open_button, self.paste_button):
            button.setFont(pixel_font(metrics.body))

    def _choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.open_button.text(), "", IMAGE_FILTER)
        if path:
            self.image_chosen.emit(path)
