"""Touch input for text fields: on the kiosk, a tap on a field opens an on-screen keyboard.

The kiosk has a touch screen and no physical keyboard, so a `QLineEdit` there cannot be
filled. `OnScreenInput` watches the fields it is given: in kiosk mode a tap on one covers the
host widget (the admin panel) with the letter keyboard or the digit keypad
(`gui.onscreen_keyboard`), starting from the field's text. Done writes the text back into the
field, Cancel leaves it as it was; either way the field's own Save or Change button still does
the saving, as on a laptop. In laptop mode the fields take the physical keyboard as before.

Whether the station is a kiosk is given, or else read from the window the host is shown in
(the station window's `kiosk`), at the moment of the tap.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from gui.onscreen_keyboard import DigitEntry, TextKeyboard
from gui.texts import Text

Overlay = TextKeyboard | DigitEntry
# Mouse events a tap on a watched field produces (touch arrives as synthesized mouse events).
TAP_EVENTS = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
)


@dataclass(frozen=True, slots=True)
class Binding:
    """How one field is edited: which overlay, under which title, how many characters."""

    overlay: Overlay
    title: Text
    limit: int


class OnScreenInput(QObject):
    """Opens the keyboard or keypad over `host` when a watched field is tapped (kiosk only)."""

    opened = Signal(object)
    closed = Signal()

    def __init__(self, host: QWidget, *, kiosk: bool | None = None) -> None:
        super().__init__(host)
        self.host = host
        self.kiosk = kiosk
        self.keyboard = TextKeyboard(host)
        self.keypad = DigitEntry(host)
        for overlay in (self.keyboard, self.keypad):
            overlay.hide()
            overlay.done.connect(self._on_overlay_done)
            overlay.cancelled.connect(self.close)
        self._bindings: dict[QLineEdit, Binding] = {}
        self._target: QLineEdit | None = None
        host.installEventFilter(self)

    def attach_text(self, field: QLineEdit, title: Text, *, limit: int) -> None:
        """Edit `field` on the letter keyboard (at most `limit` characters)."""
        self._watch(field, Binding(self.keyboard, title, limit))

    def attach_digits(self, field: QLineEdit, title: Text, *, limit: int) -> None:
        """Edit `field` on the digit keypad (at most `limit` digits, shown as dots)."""
        self._watch(field, Binding(self.keypad, title, limit))

    def _watch(self, field: QLineEdit, binding: Binding) -> None:
        self._bindings[field] = binding
        field.installEventFilter(self)

    def touch_first(self) -> bool:
        """True on the kiosk: fields open the on-screen keyboard instead of taking keys."""
        if self.kiosk is not None:
            return self.kiosk
        return getattr(self.host.window(), "kiosk", False) is True

    @property
    def current(self) -> Overlay | None:
        """The keyboard or keypad now shown, if any."""
        if self._target is None:
            return None
        return self._bindings[self._target].overlay

    def open(self, field: QLineEdit) -> Overlay:
        """Cover the host with the overlay bound to `field`, starting from its text."""
        self.close()
        binding = self._bindings[field]
        self._target = field
        field.clearFocus()
        overlay = binding.overlay
        overlay.start(field.text(), binding.title, binding.limit)
        overlay.setGeometry(self.host.rect())
        overlay.raise_()
        overlay.show()
        self.opened.emit(overlay)
        return overlay

    def close(self) -> None:
        """Hide whichever overlay is open, leaving its field unchanged."""
        overlay, self._target = self.current, None
        if overlay is not None:
            overlay.hide()
            self.closed.emit()

    def _on_overlay_done(self, text: str) -> None:
        if self._target is not None:
            self._target.setText(text)
        self.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host:
            if event.type() == QEvent.Type.Resize:
                for overlay in (self.keyboard, self.keypad):
                    overlay.setGeometry(self.host.rect())
            return False
        if not isinstance(watched, QLineEdit) or watched not in self._bindings:
            return False
        if event.type() not in TAP_EVENTS or not self.touch_first():
            return False
        if event.type() == QEvent.Type.MouseButtonPress:
            self.open(watched)
        return True
