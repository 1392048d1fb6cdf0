"""On-screen keyboards for the admin panel's text fields on the touch kiosk (no physical keys).

`TextKeyboard` is a compact letter keyboard for the checkpoint id: a digits row, three QWERTY
rows, '-', '_', '.', space, Delete, Clear, Shift (tap once for one capital, twice for caps
lock) and Done/Cancel. The checkpoint id is an identifier written into every entry and read by
tracing tools, so the keyboard offers ASCII letters only: Vietnamese letters (diacritics, đ)
are deliberately absent. `DigitEntry` is the manual-entry and PIN keypad (`gui.keypad.DigitPad`)
with a title and a Cancel button, for the new admin PIN.

Both are built for 800x480 and scale with their own height (`gui.theme.Metrics`): the text
with Clear/Cancel/Done, then four rows of keys, eleven columns; on the 7" screen each key is
about 68 px wide and 80 px tall (never under `MIN_TOUCH_PX` tall). Keys are
`TouchButton`s: they never take focus and post no key events, so the keyboard-wedge scanner
filter (`gui.wedge_input`) never sees a tap, and a scanner burst is never mixed into the text.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui.keypad import CANCEL, DELETE, DigitPad
from gui.texts import QT_TRANSLATE_NOOP, Text
from gui.theme import ACCENT, Metrics
from gui.widgets import TextLabel, TouchButton, fitted_font, pixel_font

DONE = QT_TRANSLATE_NOOP("Keyboard", "Done")
CLEAR = QT_TRANSLATE_NOOP("Keyboard", "Clear")
SPACE = QT_TRANSLATE_NOOP("Keyboard", "Space")
SHIFT = QT_TRANSLATE_NOOP("Keyboard", "Shift")
CAPS = QT_TRANSLATE_NOOP("Keyboard", "Caps lock")
# Rows of single-character keys; the last row sits between Shift and Space.
KEY_ROWS = ("1234567890-", "qwertyuiop_", "asdfghjkl.", "zxcvbnm")
COLUMNS = 11
# Shift states, in the order a tap on Shift moves through them.
SHIFT_CYCLE = {"off": "once", "once": "caps", "caps": "off"}
# Pressed keys and an engaged Shift in the accent colour.
KEY_STYLE = f"QPushButton:checked {{ background: {ACCENT}; }}"


class TextKeyboard(QWidget):
    """Letters, digits and '-', '_', '.', space; `done(text)` or `cancelled()`."""

    done = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(KEY_STYLE)
        self._text = ""
        self._limit = 64
        self.shift = "off"
        self.keys: dict[str, TouchButton] = {}
        self.title = TextLabel(None, self)
        self.display = QLabel(self)
        self.display.setObjectName("keyboard-display")
        self.display.setTextFormat(Qt.TextFormat.RichText)
        self.grid = QGridLayout(self)
        self.grid.setSpacing(5)
        for column in range(COLUMNS):
            self.grid.setColumnStretch(column, 1)
        for row in range(len(KEY_ROWS) + 1):
            self.grid.setRowStretch(row, 1)
        self._header()
        for row, keys in enumerate(KEY_ROWS[:3], start=1):
            for column, key in enumerate(keys):
                self._add(key, Text("Keyboard", key), row, column)
        self._add("delete", DELETE, 3, 10)
        self._add("shift", SHIFT, 4, 0, span=2)
        for column, key in enumerate(KEY_ROWS[3], start=2):
            self._add(key, Text("Keyboard", key), 4, column)
        self._add("space", SPACE, 4, 9, span=2)
        self.keys["shift"].setCheckable(True)

    def _header(self) -> None:
        shown = QVBoxLayout()
        shown.setSpacing(0)
        shown.addWidget(self.title)
        shown.addWidget(self.display, 1)
        self.grid.addLayout(shown, 0, 0, 1, 5)
        self._add("clear", CLEAR, 0, 5, span=2)
        self._add("cancel", CANCEL, 0, 7, span=2)
        self._add("done", DONE, 0, 9, span=2)

    def _add(self, name: str, label: Text, row: int, column: int, *, span: int = 1) -> None:
        button = TouchButton(label, self, name=f"osk-{name}")
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        button.clicked.connect(lambda: self._press(name))
        self.grid.addWidget(button, row, column, 1, span)
        self.keys[name] = button

    def start(self, text: str, title: Text, limit: int) -> None:
        """Begin editing `text` (at most `limit` characters) under `title`."""
        self._text, self._limit = text[:limit], limit
        self.title.set_label(title)
        self._set_shift("off")
        self._show()

    def text(self) -> str:
        return self._text

    def _press(self, name: str) -> None:
        if name in ("done", "cancel"):
            self._set_shift("off")
            if name == "done":
                self.done.emit(self._text)
            else:
                self.cancelled.emit()
            return
        if name == "shift":
            self._set_shift(SHIFT_CYCLE[self.shift])
        elif name == "delete":
            self._text = self._text[:-1]
        elif name == "clear":
            self._text = ""
        else:
            self._type(" " if name == "space" else name)
        self._show()

    def _type(self, key: str) -> None:
        if len(self._text) >= self._limit:
            return
        if key.isalpha() and self.shift != "off":
            key = key.upper()
            if self.shift == "once":
                self._set_shift("off")
        self._text += key

    def _set_shift(self, state: str) -> None:
        """Letter keys show capitals while Shift is engaged; Shift names its state."""
        self.shift = state
        self.keys["shift"].setChecked(state != "off")
        self.keys["shift"].set_label(CAPS if state == "caps" else SHIFT)
        for key in "".join(KEY_ROWS):
            if key.isalpha():
                shown = key.upper() if state != "off" else key
                self.keys[key].set_label(Text("Keyboard", shown))
        self._fit_fonts()

    def _show(self) -> None:
        """The text so far and a caret, spaces kept visible (a trailing space counts)."""
        typed = html.escape(self._text).replace(" ", "&nbsp;")
        self.display.setText(f'{typed}<span style="color:{ACCENT}">|</span>')
        metrics = Metrics(self.height())
        self.display.setFont(
            fitted_font(self._text + "|", metrics.title, self.display.width() - 4, bold=True)
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        margin = Metrics(self.height()).margin
        self.grid.setContentsMargins(margin, margin, margin, margin)
        super().resizeEvent(event)
        self._fit_fonts()
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._fit_fonts()

    def _fit_fonts(self) -> None:
        """Single characters large; words (Delete, Space, Shift…) as large as fits their key."""
        metrics = Metrics(self.height())
        self.title.setFont(pixel_font(metrics.body))
        for name, key in self.keys.items():
            size = metrics.title if len(name) == 1 else max(metrics.body, metrics.title * 3 // 4)
            key.setFont(fitted_font(key.text(), size, key.width() - 26, bold=len(name) == 1))


class DigitEntry(QWidget):
    """The digit keypad with a title, a masked display and Cancel; `done(digits)` on OK."""

    done = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._digits = ""
        self._limit = 12
        self.title = TextLabel(None, self)
        self.display = QLabel(self)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setObjectName("digit-entry-display")
        self.pad = DigitPad(self)
        self.pad.digit_pressed.connect(self._digit)
        self.pad.delete_pressed.connect(self._delete)
        self.pad.ok_pressed.connect(lambda: self.done.emit(self._digits))
        self.cancel = TouchButton(CANCEL, self, name="digit-entry-cancel")
        self.cancel.clicked.connect(self.cancelled)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.display)
        layout.addWidget(self.pad, 1)

    def start(self, digits: str, title: Text, limit: int) -> None:
        self._digits, self._limit = digits[:limit], limit
        self.title.set_label(title)
        self._show()

    def text(self) -> str:
        return self._digits

    def _digit(self, key: str) -> None:
        if len(self._digits) < self._limit:
            self._digits += key
            self._show()

    def _delete(self) -> None:
        self._digits = self._digits[:-1]
        self._show()

    def _show(self) -> None:
        self.display.setText("•" * len(self._digits))

    def resizeEvent(self, event: QResizeEvent) -> None:
        metrics = Metrics(self.height())
        self.display.setFont(pixel_font(metrics.title, bold=True))
        self.title.setFont(pixel_font(metrics.body, bold=True))
        self.cancel.setFont(pixel_font(metrics.body))
        super().resizeEvent(event)
