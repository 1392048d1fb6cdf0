"""The full-screen verdict: colour, a large icon and the word first; then name and date of birth
for comparison with an ID; then the reason in plain words and any warning.

It returns to the scan screen by itself after the configured seconds (or at a tap), and then
forgets the holder: nothing about a person stays in the widget tree once the screen clears.
The screen is painted in one pass, so `verdict_painted(serial)` marks the moment the guard
can see the verdict (the latency benchmark and the tests listen for it).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from gui.i18n import tr
from gui.presenters import VerdictView
from gui.texts import QT_TRANSLATE_NOOP
from gui.widgets import draw_icon, fitted_font, pixel_font

DATE_OF_BIRTH = QT_TRANSLATE_NOOP("Verdict", "Date of birth: {date}")
COUNTDOWN = QT_TRANSLATE_NOOP("Verdict", "Back to scanning in {seconds} s: tap to continue")
FLAGS_WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop


class VerdictScreen(QWidget):
    finished = Signal()
    verdict_painted = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, seconds: float = 5.0) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.seconds = seconds
        self.view: VerdictView | None = None
        self._left = 0
        self._painted_serial: int | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)

    def show_verdict(self, view: VerdictView, seconds: float | None = None) -> None:
        """Show `view` for `seconds` (the configured time unless given: a verdict held while
        the admin screen was open gets what is left of its time)."""
        self.view = view
        self._left = max(1, round(self.seconds if seconds is None else seconds))
        self._painted_serial = None
        self._tick.start()
        self.update()

    def hold(self) -> None:
        """Keep the verdict up until tapped (a supervisor's look, a screenshot)."""
        self._tick.stop()

    def clear(self) -> None:
        """Forget the verdict (and the holder's name with it)."""
        self._tick.stop()
        self.view = None
        self.update()

    def shown_texts(self) -> list[str]:
        """Every text on screen now, in reading order (empty once cleared)."""
        view = self.view
        if view is None:
            return []
        texts = [tr(view.direction), tr(view.word)]
        if view.holder_name:
            texts.append(view.holder_name)
        if view.date_of_birth:
            texts.append(tr(DATE_OF_BIRTH.with_args(date=view.date_of_birth)))
        texts.append(tr(view.reason))
        texts += [tr(note) for note in view.notes]
        texts.append(tr(COUNTDOWN.with_args(seconds=self._left)))
        return texts

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.view is not None:
            self._finish()
        super().mousePressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update()
        super().changeEvent(event)

    def _count_down(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._finish()
        else:
            self.update()

    def _finish(self) -> None:
        self.clear()
        self.finished.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        view = self.view
        if view is None:
            painter.fillRect(self.rect(), QColor("#101418"))
            painter.end()
            return
        foreground = QColor(view.look.foreground)
        painter.fillRect(self.rect(), QColor(view.look.background))
        w, h = float(self.width()), float(self.height())
        pad = h * 0.04
        side = min(h * 0.42, w * 0.3)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 235))
        circle = QRectF(pad, pad + h * 0.08, side, side)
        painter.drawEllipse(circle)
        draw_icon(painter, circle, view.look.icon, QColor(view.look.mark))
        left = circle.right() + pad
        width = w - left - pad
        painter.setPen(foreground)
        painter.setFont(pixel_font(round(h * 0.045)))
        painter.drawText(
            QRectF(pad, pad * 0.5, w - 2 * pad, h * 0.07),
            Qt.AlignmentFlag.AlignLeft,
            tr(view.direction),
        )
        y = self._paint_lines(painter, view, left, pad + h * 0.06, width)
        self._paint_notes(painter, view, pad, max(y, circle.bottom() + pad), w - 2 * pad)
        painter.setPen(foreground)
        painter.setFont(pixel_font(round(h * 0.04)))
        bottom = QRectF(pad, h - h * 0.08, w - 2 * pad, h * 0.07)
        painter.drawText(
            bottom, Qt.AlignmentFlag.AlignRight, tr(COUNTDOWN.with_args(seconds=self._left))
        )
        painter.end()
        if self._painted_serial != view.serial:
            self._painted_serial = view.serial
            self.verdict_painted.emit(view.serial)

    def _paint_lines(
        self, painter: QPainter, view: VerdictView, x: float, y: float, width: float
    ) -> float:
        """Word, name, date of birth, reason; returns the y below them."""
        h = float(self.height())
        word = tr(view.word)
        painter.setFont(fitted_font(word, round(h * 0.16), width, bold=True))
        painter.drawText(
            QRectF(x, y, width, h * 0.2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            word,
        )
        y += h * 0.21
        if view.holder_name:
            painter.setFont(fitted_font(view.holder_name, round(h * 0.075), width, bold=True))
            painter.drawText(
                QRectF(x, y, width, h * 0.1), Qt.AlignmentFlag.AlignLeft, view.holder_name
            )
            y += h * 0.1
        if view.date_of_birth:
            painter.setFont(pixel_font(round(h * 0.06)))
            line = tr(DATE_OF_BIRTH.with_args(date=view.date_of_birth))
            painter.drawText(QRectF(x, y, width, h * 0.08), Qt.AlignmentFlag.AlignLeft, line)
            y += h * 0.09
        painter.setFont(pixel_font(round(h * 0.05)))
        reason = QRectF(x, y, width, h * 0.2)
        bounds = painter.boundingRect(reason, FLAGS_WRAP, tr(view.reason))
        painter.drawText(reason, FLAGS_WRAP, tr(view.reason))
        return y + min(bounds.height(), reason.height()) + h * 0.02

    def _paint_notes(
        self, painter: QPainter, view: VerdictView, x: float, y: float, width: float
    ) -> None:
        """Warnings in white boxes with dark text, so they stand out on every colour."""
        h = float(self.height())
        painter.setFont(pixel_font(round(h * 0.05), bold=True))
        for note in view.notes:
            box = QRectF(x, y, width, h * 0.085)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#ffffff"))
            painter.drawRoundedRect(box, h * 0.015, h * 0.015)
            painter.setPen(QColor("#1a1a1a"))
            painter.drawText(
                box.adjusted(h * 0.02, 0, -h * 0.02, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                tr(note),
            )
            y += box.height() + h * 0.015
