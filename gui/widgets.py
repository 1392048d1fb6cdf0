"""Small shared pieces: translated touch buttons, painted icons, fonts that fit a width."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from gui.i18n import tr
from gui.texts import Text
from gui.theme import MIN_TOUCH_PX


class TouchButton(QPushButton):
    """A large button whose label is a `Text`, re-translated when the language changes."""

    def __init__(self, label: Text, parent: QWidget | None = None, *, name: str = "") -> None:
        super().__init__(parent)
        self._label = label
        self.setMinimumHeight(MIN_TOUCH_PX)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the scanner input, not here
        if name:
            self.setObjectName(name)
        self.setText(tr(label))

    def set_label(self, label: Text) -> None:
        self._label = label
        self.setText(tr(label))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setText(tr(self._label))
        super().changeEvent(event)


class TextLabel(QLabel):
    """A label showing a `Text`, re-translated when the language changes."""

    def __init__(self, label: Text | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self.setWordWrap(True)
        self.setText(tr(label) if label else "")

    def set_label(self, label: Text | None) -> None:
        self._label = label
        self.setText(tr(label) if label else "")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setText(tr(self._label) if self._label else "")
        super().changeEvent(event)


def pixel_font(size_px: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(6, size_px))
    font.setBold(bold)
    return font


def fitted_font(text: str, size_px: int, width: float, *, bold: bool = False) -> QFont:
    """The largest font up to `size_px` in which `text` fits in `width` pixels on one line."""
    font = pixel_font(size_px, bold=bold)
    measured = QFontMetrics(font).horizontalAdvance(text)
    if measured > width > 0:
        font.setPixelSize(max(8, int(size_px * width / measured)))
    return font


def draw_icon(painter: QPainter, rect: QRectF, icon: str, colour: QColor) -> None:
    """A verdict or status symbol drawn with lines (no font needed): check, cross,
    exclamation, question, stop."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    size = min(rect.width(), rect.height())
    pen = QPen(colour, max(2.0, size * 0.12), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    centre = rect.center()

    def at(x: float, y: float) -> QPointF:
        return QPointF(centre.x() + x * size, centre.y() + y * size)

    if icon == "check":
        path = QPainterPath(at(-0.3, 0.0))
        path.lineTo(at(-0.08, 0.24))
        path.lineTo(at(0.32, -0.24))
        painter.drawPath(path)
    elif icon == "cross":
        painter.drawLine(at(-0.26, -0.26), at(0.26, 0.26))
        painter.drawLine(at(-0.26, 0.26), at(0.26, -0.26))
    elif icon == "exclamation":
        painter.drawLine(at(0.0, -0.32), at(0.0, 0.1))
        painter.drawPoint(at(0.0, 0.3))
    elif icon == "question":
        path = QPainterPath(at(-0.2, -0.14))
        path.cubicTo(at(-0.2, -0.42), at(0.24, -0.42), at(0.22, -0.14))
        path.cubicTo(at(0.2, 0.0), at(0.0, 0.0), at(0.0, 0.12))
        painter.drawPath(path)
        painter.drawPoint(at(0.0, 0.32))
    else:  # stop: a bar in a circle
        painter.drawEllipse(QRectF(at(-0.3, -0.3), at(0.3, 0.3)))
        painter.drawLine(at(-0.18, 0.0), at(0.18, 0.0))
    painter.restore()
