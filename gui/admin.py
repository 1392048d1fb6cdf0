"""The admin screen: a PIN pad first, the admin panel (`gui.admin_pages`) after a correct PIN.

The PIN is checked on a pool thread (the slow hash would otherwise freeze the screen), with the
lockout from `gui.pin`. Closing the panel, or leaving it idle for `IDLE_LOCK_S`, locks it again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gui.admin_pages import AdminPanel
from gui.background import BackgroundCall
from gui.keypad import DigitPad
from gui.pin import MAX_FAILURES, PinCheck, PinStore
from gui.texts import QT_TRANSLATE_NOOP, Text
from gui.widgets import TextLabel, TouchButton, pixel_font

IDLE_LOCK_S = 120
#: What counts as someone using the unlocked panel.
ACTIVITY = (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin)
ASK_PIN = QT_TRANSLATE_NOOP("Admin", "Admin PIN")
CHECKING = QT_TRANSLATE_NOOP("Admin", "Checking…")
WRONG = QT_TRANSLATE_NOOP("Admin", "Wrong PIN. Attempts left before lockout: {left}")
LOCKED = QT_TRANSLATE_NOOP("Admin", "Too many wrong PINs. Try again in {seconds} s.")
NO_PIN = QT_TRANSLATE_NOOP(
    "Admin", "No admin PIN is set. Set one on this station with: station run --set-pin"
)
BACK = QT_TRANSLATE_NOOP("Admin", "Back")


class PinScreen(QWidget):
    pin_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pin = ""
        self.title = TextLabel(ASK_PIN, self)
        self.display = QLabel(self)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = TextLabel(None, self)
        self.message.setObjectName("pin-message")
        self.pad = DigitPad(self)
        self.pad.digit_pressed.connect(self._digit)
        self.pad.delete_pressed.connect(self._delete)
        self.pad.ok_pressed.connect(self._ok)
        back = TouchButton(BACK, self, name="pin-back")
        back.clicked.connect(self.cancelled)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(back)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.display)
        layout.addWidget(self.message)
        layout.addWidget(self.pad, 1)
        self.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = max(18, self.height() // 9)
        self.display.setFont(pixel_font(size, bold=True))
        self.title.setFont(pixel_font(max(14, size // 2), bold=True))
        self.message.setFont(pixel_font(max(13, size * 2 // 5)))
        super().resizeEvent(event)

    def clear(self) -> None:
        self._pin = ""
        self.display.setText("")

    def say(self, text: Text | None) -> None:
        self.message.set_label(text)

    def _digit(self, key: str) -> None:
        if len(self._pin) < 12:
            self._pin += key
            self.display.setText("•" * len(self._pin))

    def _delete(self) -> None:
        self._pin = self._pin[:-1]
        self.display.setText("•" * len(self._pin))

    def _ok(self) -> None:
        pin, self._pin = self._pin, ""
        self.display.setText("")
        self.pin_entered.emit(pin)


class AdminScreen(QStackedWidget):
    """PIN pad, then the panel; `closed()` when the guard leaves (or it locks while idle)."""

    closed = Signal()

    def __init__(self, pins: PinStore, panel: AdminPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pins = pins
        self.pin_screen = PinScreen(self)
        self.panel = panel
        self.addWidget(self.pin_screen)
        self.addWidget(panel)
        self._calls = BackgroundCall(self)
        self._calls.finished.connect(self._on_call_finished)
        self._checking = False
        self._lock_tick = QTimer(self)
        self._lock_tick.setInterval(1000)
        self._lock_tick.timeout.connect(self._show_lock)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_LOCK_S * 1000)
        self._idle.timeout.connect(self.lock)
        self.pin_screen.pin_entered.connect(self._check)
        self.pin_screen.cancelled.connect(self.lock)
        panel.closed.connect(self.lock)

    @property
    def unlocked(self) -> bool:
        return self.currentWidget() is self.panel

    def open(self) -> None:
        """Show the PIN pad (the panel only after a correct PIN)."""
        self.setCurrentWidget(self.pin_screen)
        self.pin_screen.clear()
        if not self.pins.is_set():
            self.pin_screen.say(NO_PIN)
        elif self.pins.locked_for() > 0:
            self._show_lock()
            self._lock_tick.start()
        else:
            self.pin_screen.say(None)

    @property
    def idle_left_ms(self) -> int:
        """Milliseconds until the unlocked panel locks by itself (-1 when it is locked)."""
        return self._idle.remainingTime() if self._idle.isActive() else -1

    def lock(self) -> None:
        self._watch_activity(False)
        self._idle.stop()
        self._lock_tick.stop()
        self.setCurrentWidget(self.pin_screen)
        self.pin_screen.clear()
        self.closed.emit()

    def shutdown(self) -> None:
        self._watch_activity(False)
        self._calls.shutdown()
        self.panel.shutdown()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.unlocked:
            self._idle.start()
        return False

    def _watch_activity(self, watching: bool) -> None:
        """While unlocked, every tap or key anywhere in the app (a field, a button, the
        on-screen keyboard) counts as use; the panel's own events alone would miss them."""
        app = QApplication.instance()
        if app is None:
            return
        app.removeEventFilter(self)
        if watching:
            app.installEventFilter(self)

    def _check(self, pin: str) -> None:
        if self._checking or not self.pins.is_set():
            return
        if self.pins.locked_for() > 0:
            self._show_lock()
            return
        self._checking = True
        self.pin_screen.say(CHECKING)
        self._calls.submit("pin", lambda: self.pins.check(pin))

    def _on_call_finished(self, tag: str, answer: object) -> None:
        if tag != "pin":
            return
        self._checking = False
        if isinstance(answer, PinCheck) and answer.ok:
            self.pin_screen.say(None)
            self.setCurrentWidget(self.panel)
            self.panel.refresh()
            self._idle.start()
            self._watch_activity(True)
            return
        if isinstance(answer, PinCheck) and answer.locked_for_s > 0:
            self._show_lock()
            self._lock_tick.start()
            return
        failures = answer.failures if isinstance(answer, PinCheck) else 0
        self.pin_screen.say(WRONG.with_args(left=max(0, MAX_FAILURES - failures)))

    def _show_lock(self) -> None:
        left = self.pins.locked_for()
        if left <= 0:
            self._lock_tick.stop()
            self.pin_screen.say(None)
            return
        self.pin_screen.say(LOCKED.with_args(seconds=int(left + 0.999)))
