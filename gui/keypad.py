"""On-screen keypads: manual ID entry for people without a phone, and the admin PIN pad.

Both use the same `DigitPad` (large keys 1-9, delete, 0, OK), sized for a finger on the 7"
screen. The manual entry asks for the ID number, then the date of birth (ddmmyyyy), and
hands the text to verify to the window; the PIN pad hands over the PIN and never shows it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui.manual_entry import (
    birth_date,
    id_number_ok,
    manual_entry_text,
    shown_birth_date,
)
from gui.texts import QT_TRANSLATE_NOOP, Text
from gui.widgets import TextLabel, TouchButton, pixel_font

DELETE = QT_TRANSLATE_NOOP("Keypad", "Delete")
OK = QT_TRANSLATE_NOOP("Keypad", "OK")
CANCEL = QT_TRANSLATE_NOOP("Keypad", "Cancel")
ASK_ID = QT_TRANSLATE_NOOP("Keypad", "Type the ID number (12 or 9 digits)")
ASK_BIRTH = QT_TRANSLATE_NOOP("Keypad", "Type the date of birth (day, month, year)")
BAD_ID = QT_TRANSLATE_NOOP("Keypad", "An ID number has 12 or 9 digits.")
BAD_BIRTH = QT_TRANSLATE_NOOP("Keypad", "That is not a valid date of birth.")


class DigitPad(QWidget):
    """Keys 1-9, Delete, 0, OK in a 4x3 grid."""

    digit_pressed = Signal(str)
    delete_pressed = Signal()
    ok_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(6)
        grid.setContentsMargins(0, 0, 0, 0)
        self.keys: dict[str, TouchButton] = {}
        for index, key in enumerate("123456789"):
            self._add(grid, key, index // 3, index % 3)
        delete = TouchButton(DELETE, self, name="key-delete")
        delete.clicked.connect(self.delete_pressed)
        grid.addWidget(delete, 3, 0)
        self._add(grid, "0", 3, 1)
        ok = TouchButton(OK, self, name="key-ok")
        ok.clicked.connect(self.ok_pressed)
        grid.addWidget(ok, 3, 2)
        self.keys["delete"], self.keys["ok"] = delete, ok

    def _add(self, grid: QGridLayout, key: str, row: int, column: int) -> None:
        button = TouchButton(Text("Keypad", key), self, name=f"key-{key}")
        button.clicked.connect(lambda: self.digit_pressed.emit(key))
        grid.addWidget(button, row, column)
        self.keys[key] = button

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = max(16, min(40, self.height() // 10))
        for name, key in self.keys.items():
            key.setFont(pixel_font(size if name.isdigit() else size * 3 // 4, bold=name.isdigit()))
        super().resizeEvent(event)

    def press(self, keys: str) -> None:
        """Press keys by name: digits, 'd' for Delete, '=' for OK (for tests and scripts)."""
        for key in keys:
            name = {"d": "delete", "=": "ok"}.get(key, key)
            self.keys[name].click()


class ManualEntryScreen(QWidget):
    """Two steps: ID number, then date of birth; `entered(text)` or `cancelled()`."""

    entered = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._id = ""
        self._birth = ""
        self._step = "id"
        self.prompt = TextLabel(ASK_ID, self)
        self.display = QLabel(self)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setObjectName("entry-display")
        self.error = TextLabel(None, self)
        self.error.setObjectName("entry-error")
        self.pad = DigitPad(self)
        self.pad.digit_pressed.connect(self._digit)
        self.pad.delete_pressed.connect(self._delete)
        self.pad.ok_pressed.connect(self._ok)
        cancel = TouchButton(CANCEL, self, name="entry-cancel")
        cancel.clicked.connect(self._cancel)
        top = QHBoxLayout()
        top.addWidget(self.prompt, 1)
        top.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.display)
        layout.addWidget(self.error)
        layout.addWidget(self.pad, 1)
        self.reset()

    def reset(self) -> None:
        self._id = self._birth = ""
        self._step = "id"
        self.prompt.set_label(ASK_ID)
        self.error.set_label(None)
        self._show()

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = max(18, self.height() // 9)
        self.display.setFont(pixel_font(size, bold=True))
        self.prompt.setFont(pixel_font(max(14, size // 2)))
        self.error.setFont(pixel_font(max(13, size // 2)))
        super().resizeEvent(event)

    def _digit(self, key: str) -> None:
        if self._step == "id" and len(self._id) < 12:
            self._id += key
        elif self._step == "birth" and len(self._birth) < 8:
            self._birth += key
        self.error.set_label(None)
        self._show()

    def _delete(self) -> None:
        if self._step == "id":
            self._id = self._id[:-1]
        elif self._birth:
            self._birth = self._birth[:-1]
        else:
            self._step = "id"
            self.prompt.set_label(ASK_ID)
        self._show()

    def _ok(self) -> None:
        if self._step == "id":
            if not id_number_ok(self._id):
                self.error.set_label(BAD_ID)
                return
            self._step = "birth"
            self.prompt.set_label(ASK_BIRTH)
            self._show()
            return
        born = birth_date(self._birth, self._today or date.today())
        if born is None:
            self.error.set_label(BAD_BIRTH)
            return
        text = manual_entry_text(self._id, born)
        self.reset()
        self.entered.emit(text)

    def _cancel(self) -> None:
        self.reset()
        self.cancelled.emit()

    def _show(self) -> None:
        if self._step == "id":
            self.display.setText(self._id or "_")
        else:
            self.display.setText(shown_birth_date(self._birth))
