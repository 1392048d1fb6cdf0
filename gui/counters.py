"""Today's counters (laptop mode): entries by verdict and an hourly bar chart. Counts only: the
station shows no list of people, past or present."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.i18n import tr
from gui.presenters import LOOKS, Outcome
from gui.status_presenter import CountersView
from gui.texts import QT_TRANSLATE_NOOP
from gui.widgets import fitted_font, pixel_font

TITLE = QT_TRANSLATE_NOOP("Counters", "Today")
TOTAL = QT_TRANSLATE_NOOP("Counters", "Total: {count}")
NO_LOG = QT_TRANSLATE_NOOP("Counters", "No entry log on this station")
COLOURS = {
    "VALID": LOOKS[Outcome.VALID].background,
    "INVALID": LOOKS[Outcome.INVALID].background,
    "CHECK_MANUALLY": LOOKS[Outcome.CHECK_MANUALLY].background,
}


class CountersPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: CountersView | None = None
        self.setMinimumWidth(220)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def show_counts(self, view: CountersView) -> None:
        self.view = view
        self.update()

    def count_of(self, verdict: str) -> int:
        if self.view is None:
            return 0
        return next((count for v, _, count in self.view.by_verdict if v == verdict), 0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#181d22"))
        painter.setPen(QColor("#f2f4f5"))
        pad = 12.0
        line = max(16.0, min(28.0, self.height() / 18))
        width = self.width() - 2 * pad
        painter.setFont(pixel_font(round(line * 1.1), bold=True))
        painter.drawText(QRectF(pad, pad, width, line * 1.4), Qt.AlignmentFlag.AlignLeft, tr(TITLE))
        y = pad + line * 1.6
        if self.view is None:
            painter.setFont(pixel_font(round(line * 0.8)))
            painter.drawText(QRectF(pad, y, width, line * 3), Qt.TextFlag.TextWordWrap, tr(NO_LOG))
        else:
            y = self._paint_totals(painter, pad, y, line)
            self._paint_chart(painter, QRectF(pad, y, width, self.height() - y - pad))
        painter.end()

    def _paint_totals(self, painter: QPainter, pad: float, y: float, line: float) -> float:
        """A swatch and "Label: count" per verdict, then the total; returns the y below."""
        assert self.view is not None
        width = self.width() - 2 * pad - line
        rows = [(COLOURS[v], f"{tr(label)}: {count}") for v, label, count in self.view.by_verdict]
        rows.append(("", tr(TOTAL.with_args(count=self.view.total))))
        for colour, words in rows:
            if colour:
                swatch = QRectF(pad, y + line * 0.2, line * 0.7, line * 0.7)
                painter.fillRect(swatch, QColor(colour))
            painter.setFont(fitted_font(words, round(line * 0.8), width))
            box = QRectF(pad + (line if colour else 0), y, width, line * 1.2)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft, words)
            y += line * 1.3
        return y + line * 0.5

    def _paint_chart(self, painter: QPainter, area: QRectF) -> None:
        """Stacked bars per hour (valid at the bottom), hour labels every 6 hours."""
        assert self.view is not None
        label_h = max(12.0, area.height() * 0.08)
        bars = area.adjusted(0, 0, 0, -label_h)
        painter.setPen(QColor("#5b6670"))
        painter.drawLine(bars.bottomLeft(), bars.bottomRight())
        if bars.height() <= 4:
            return
        step = bars.width() / 24
        peak = max(1, self.view.peak)
        painter.setFont(pixel_font(round(label_h * 0.8)))
        painter.setPen(QColor("#aab4bd"))
        for hour, *counts in self.view.hours:
            x = bars.left() + hour * step
            bottom = bars.bottom()
            for verdict, count in zip(COLOURS, counts, strict=True):
                height = bars.height() * count / peak
                bar = QRectF(x + 1, bottom - height, step - 2, height)
                painter.fillRect(bar, QColor(COLOURS[verdict]))
                bottom -= height
            if hour % 6 == 0:
                label = QRectF(x, bars.bottom(), step * 6, label_h)
                painter.drawText(label, Qt.AlignmentFlag.AlignLeft, f"{hour:02d}")
