"""The status strip along the bottom of every screen: data, clock, camera, storage, upload.

Each item is a coloured disc with a symbol (check, exclamation mark, cross) and a short text, so
its level reads without colour too. The strip is painted in one pass and elides text that does
not fit, so it keeps one line on the 7" screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.i18n import tr
from gui.status_presenter import StatusItem
from gui.theme import STATUS_COLOURS
from gui.widgets import draw_icon, pixel_font

SYMBOLS = {"ok": "check", "warn": "exclamation", "bad": "cross"}


class StatusStrip(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: tuple[StatusItem, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(36)

    def show_items(self, items: tuple[StatusItem, ...]) -> None:
        if items != self.items:
            self.items = items
            self.update()

    def item(self, key: str) -> StatusItem | None:
        return next((item for item in self.items if item.key == key), None)

    def item_text(self, key: str) -> str:
        """The item's text as shown, in the current language ("" when absent)."""
        found = self.item(key)
        return tr(found.label) if found else ""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#1c2228"))
        if not self.items:
            painter.end()
            return
        h = float(self.height())
        font = pixel_font(max(10, round(h * 0.34)))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        x = 0.0
        for item, width in zip(self.items, self._widths(metrics, h), strict=True):
            self._paint_item(painter, metrics, QRectF(x, 0, width, h), item)
            x += width
        painter.end()

    def _widths(self, metrics: QFontMetrics, h: float) -> list[float]:
        """Each item gets the width its text needs; when they do not all fit, the longest
        ones give up space first, so short items stay whole."""
        needed = [metrics.horizontalAdvance(tr(item.label)) + h * 1.3 for item in self.items]
        total = float(self.width())
        if sum(needed) <= total:
            spare = (total - sum(needed)) / len(needed)
            return [width + spare for width in needed]
        cap = max(needed)
        while sum(min(width, cap) for width in needed) > total and cap > h:
            cap -= 2
        return [min(width, cap) for width in needed]

    def _paint_item(
        self, painter: QPainter, metrics: QFontMetrics, cell: QRectF, item: StatusItem
    ) -> None:
        h = cell.height()
        disc = QRectF(cell.left() + h * 0.2, h * 0.18, h * 0.64, h * 0.64)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(STATUS_COLOURS.get(item.level, STATUS_COLOURS["warn"])))
        painter.drawEllipse(disc)
        draw_icon(
            painter,
            disc.adjusted(h * 0.08, h * 0.08, -h * 0.08, -h * 0.08),
            SYMBOLS.get(item.level, "exclamation"),
            QColor("#ffffff"),
        )
        text_rect = QRectF(disc.right() + h * 0.2, 0, cell.right() - disc.right() - h * 0.3, h)
        shown = metrics.elidedText(
            tr(item.label), Qt.TextElideMode.ElideRight, int(text_rect.width())
        )
        painter.setPen(QColor("#f2f4f5"))
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, shown
        )
