"""The waiting screen: live preview with the scan guide, and the few controls a guard needs:
entry/exit direction, language, manual ID entry and the admin panel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from gui.preview import PreviewWidget
from gui.texts import QT_TRANSLATE_NOOP, Text
from gui.theme import Metrics
from gui.widgets import TextLabel, TouchButton, pixel_font

TITLE = QT_TRANSLATE_NOOP("Scan", "Show your QR code")
DIRECTION = {
    "in": QT_TRANSLATE_NOOP("Scan", "Direction: Entry"),
    "out": QT_TRANSLATE_NOOP("Scan", "Direction: Exit"),
}
#: The language button names the *other* language, in that language (never translated).
OTHER_LANGUAGE = {"vi": Text("Language", "English"), "en": Text("Language", "Tiếng Việt")}
MANUAL = QT_TRANSLATE_NOOP("Scan", "No phone? Enter ID number")
ADMIN = QT_TRANSLATE_NOOP("Scan", "Admin")


class ScanScreen(QWidget):
    direction_toggled = Signal()
    language_toggled = Signal()
    manual_requested = Signal()
    admin_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = TextLabel(TITLE, self)
        self.title.setWordWrap(False)
        self.direction = TouchButton(DIRECTION["in"], self, name="direction")
        self.language = TouchButton(OTHER_LANGUAGE["vi"], self, name="language")
        self.admin = TouchButton(ADMIN, self, name="admin")
        self.preview = PreviewWidget(self)
        self.manual = TouchButton(MANUAL, self, name="manual")
        self.direction.clicked.connect(self.direction_toggled)
        self.language.clicked.connect(self.language_toggled)
        self.manual.clicked.connect(self.manual_requested)
        self.admin.clicked.connect(self.admin_requested)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        for button in (self.direction, self.language, self.admin):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.manual)

    def show_direction(self, direction: str) -> None:
        self.direction.set_label(DIRECTION.get(direction, DIRECTION["in"]))

    def show_language(self, language: str) -> None:
        self.language.set_label(OTHER_LANGUAGE.get(language, OTHER_LANGUAGE["vi"]))

    def resizeEvent(self, event: QResizeEvent) -> None:
        metrics = Metrics(self.window().height() or self.height())
        self.title.setFont(pixel_font(metrics.title, bold=True))
        for button in (self.direction, self.language, self.admin, self.manual):
            button.setFont(pixel_font(metrics.body, bold=button is self.manual))
            button.setMinimumHeight(
                metrics.button if button is self.manual else metrics.button * 3 // 4
            )
        super().resizeEvent(event)
