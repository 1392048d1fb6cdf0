"""A USB keyboard-wedge scanner in the app: keystrokes in, scans out (`scanned(str)`).

An event filter on the application sees every key press that is not meant for a text field
(the admin panel's fields keep their keys), feeds its character to the station's
`WedgeBurstDetector` with the time it arrived, and emits a scan when a burst ends in Enter.
A person typing is told apart by the gaps between keys and ignored. A scanner typing US
keycodes on a German or French host layout is repaired (`station.scan.wedge_layout`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QTextEdit

from station.scan.wedge import WedgeBurstDetector
from station.scan.wedge_layout import detect_layout, remap_layout

POLL_MS = 50
TEXT_FIELDS = (QLineEdit, QTextEdit, QAbstractSpinBox, QComboBox)
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class WedgeInput(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        detector: WedgeBurstDetector | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.detector = detector or WedgeBurstDetector()
        self._clock = clock
        self.enabled = True
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        self._poll.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not self.enabled:
            return False
        assert isinstance(event, QKeyEvent)
        if isinstance(QApplication.focusWidget(), TEXT_FIELDS):
            return False
        if event.modifiers() & COMMAND_MODIFIERS:
            return False
        char = "\r" if event.key() in ENTER_KEYS else event.text()
        if len(char) != 1 or not (char.isprintable() or char == "\r"):
            return False
        self._deliver(self.detector.feed(char, self._clock()))
        return True

    def _on_poll(self) -> None:
        self._deliver(self.detector.poll(self._clock()))
        self.detector.take_human_text()  # a person typing on the scan screen: nothing to do

    def _deliver(self, text: str | None) -> None:
        if text:
            layout = detect_layout(text) or "us"
            self.scanned.emit(remap_layout(text, layout))
