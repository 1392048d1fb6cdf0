"""The live camera picture with a scan guide: a square with rounded corner marks in the middle,
and a line of advice under it. When there is no picture, it says why, in large words."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.i18n import tr
from gui.texts import QT_TRANSLATE_NOOP, Text
from gui.widgets import pixel_font

HINT = QT_TRANSLATE_NOOP("Scan", "Hold the QR code inside the frame")
NO_PICTURE: dict[str, Text] = {
    "STARTING": QT_TRANSLATE_NOOP("Scan", "Starting the camera…"),
    "NO_SIGNAL": QT_TRANSLATE_NOOP("Scan", "No picture: is the lens covered?"),
    "DISCONNECTED": QT_TRANSLATE_NOOP("Scan", "Camera disconnected: check the cable"),
    "STALLED": QT_TRANSLATE_NOOP("Scan", "Camera not responding: check the cable"),
    "ENDED": QT_TRANSLATE_NOOP("Scan", "The camera source has ended"),
    "FAILED": QT_TRANSLATE_NOOP("Scan", "The camera cannot be opened"),
}
GUIDE_COLOUR = "#3d8bfd"


class PreviewWidget(QWidget):
    """Shows the newest preview frame; `state` selects the message shown instead of it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._image: QImage | None = None
        self.state = "STARTING"
        #: For the startup benchmark: when the first camera picture was painted.
        self.first_painted_at: float | None = None
        self.frames_shown = 0

    def show_frame(self, image: QImage) -> None:
        self._image = image
        self.frames_shown += 1
        self.update()

    def set_state(self, state: str) -> None:
        self.state = state
        if state in ("DISCONNECTED", "ENDED", "FAILED", "STALLED"):
            self._image = None  # never leave an old picture up as if it were live
        self.update()

    def message(self) -> Text | None:
        """What the preview says instead of a picture (None while it shows one)."""
        if self._image is not None and self.state in ("LIVE", "STARTING", "NO_SIGNAL"):
            return None
        return NO_PICTURE.get(self.state, NO_PICTURE["STARTING"])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#000000"))
        message = self.message()
        if message is None and self._image is not None:
            self._paint_image(painter)
            if self.first_painted_at is None:
                self.first_painted_at = time.monotonic()
        guide = self._guide_rect()
        self._paint_guide(painter, guide, dimmed=message is not None)
        painter.setPen(QColor("#ffffff"))
        size = max(14, round(self.height() / 16))
        painter.setFont(pixel_font(size, bold=message is not None))
        below = QRectF(0, guide.bottom() + size * 0.3, self.width(), size * 2.6)
        if message is not None:
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, tr(message)
            )
        else:
            self._paint_hint(painter, below, tr(HINT))
        painter.end()

    def _paint_hint(self, painter: QPainter, area: QRectF, hint: str) -> None:
        """The hint on a dark band, readable over any picture."""
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        bounds = painter.boundingRect(area, flags, hint)
        band = bounds.adjusted(-bounds.height() * 0.4, -2, bounds.height() * 0.4, 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))
        painter.drawRoundedRect(band, band.height() / 3, band.height() / 3)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(area, flags, hint)

    def _paint_image(self, painter: QPainter) -> None:
        assert self._image is not None
        scaled = self._image.size().scaled(
            self.size(), Qt.AspectRatioMode.KeepAspectRatioByExpanding
        )
        left = (self.width() - scaled.width()) / 2
        top = (self.height() - scaled.height()) / 2
        painter.drawImage(QRectF(left, top, scaled.width(), scaled.height()), self._image)

    def _guide_rect(self) -> QRectF:
        side = min(self.width() * 0.7, self.height() * 0.62)
        top = (self.height() - side) / 2 - self.height() * 0.06
        return QRectF((self.width() - side) / 2, max(4.0, top), side, side)

    def _paint_guide(self, painter: QPainter, rect: QRectF, *, dimmed: bool) -> None:
        colour = QColor(GUIDE_COLOUR)
        colour.setAlpha(90 if dimmed else 255)
        pen = QPen(colour, max(3.0, rect.width() / 40))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        arm = rect.width() / 5
        for x, y, dx, dy in (
            (rect.left(), rect.top(), 1, 1),
            (rect.right(), rect.top(), -1, 1),
            (rect.left(), rect.bottom(), 1, -1),
            (rect.right(), rect.bottom(), -1, -1),
        ):
            painter.drawLine(int(x), int(y), int(x + dx * arm), int(y))
            painter.drawLine(int(x), int(y), int(x), int(y + dy * arm))
