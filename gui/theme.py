"""Sizes and colours for the three screens the station runs on (no Qt here).

Everything scales with the window's height: the 7" 800x480 and 10" 1280x800 Raspberry Pi
touch screens and 1080p monitors get the same layout at their own size. Touch targets never
drop below `MIN_TOUCH_PX` (about 9 mm on the 7" screen).
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_TOUCH_PX = 56
STATUS_COLOURS = {"ok": "#1b7a3a", "warn": "#b26a00", "bad": "#b3261e"}
SCREEN_BACKGROUND = "#101418"
SCREEN_TEXT = "#f2f4f5"
ACCENT = "#3d8bfd"
KIOSK_SIZES = {"7in": (800, 480), "10in": (1280, 800), "1080p": (1920, 1080)}
#: The window's Qt style sheet: dark screen, large rounded buttons, error texts in light red.
STYLE_SHEET = """
QWidget { background: #101418; color: #f2f4f5; }
QPushButton {
    background: #2a3138; border: 1px solid #3d4650; border-radius: 8px; padding: 4px 12px;
}
QPushButton:pressed { background: #3d8bfd; }
QPushButton:disabled { color: #6b7680; }
QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox, QTableWidget { background: #1c2228; }
QLabel#entry-error, QLabel#pin-message { color: #ffb4a9; }
"""


@dataclass(frozen=True, slots=True)
class Metrics:
    """Pixel sizes for a window `height` pixels tall."""

    height: int

    @property
    def strip(self) -> int:
        """Height of the status strip."""
        return max(30, min(64, round(self.height * 0.075)))

    @property
    def body(self) -> int:
        """Body text, in pixels."""
        return max(13, round(self.height / 34))

    @property
    def title(self) -> int:
        return max(18, round(self.height / 18))

    @property
    def button(self) -> int:
        """Height of a touch button."""
        return max(MIN_TOUCH_PX, round(self.height / 9))

    @property
    def small(self) -> int:
        return max(11, round(self.height / 44))

    @property
    def margin(self) -> int:
        return max(6, round(self.height / 60))


def parse_size(text: str) -> tuple[int, int]:
    """'800x480' (or one of the named kiosk sizes) as (width, height)."""
    if text in KIOSK_SIZES:
        return KIOSK_SIZES[text]
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()) or int(width) < 320 or int(height) < 240:
        raise ValueError(f"a window size looks like 800x480, not {text!r}")
    return int(width), int(height)
