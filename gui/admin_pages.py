"""The admin panel: station identity, synced data with "sync now", the upload queue and the
self-test here; rule profile, camera, retention, kiosk options and the PIN in
`gui.admin_settings`. The app reacts to the panel's signals (sync, camera restart, verifier
reload). On the kiosk the checkpoint id and the new PIN are typed on on-screen keyboards
(`gui.onscreen_input`); `kiosk=None` follows the window the panel is shown in."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.admin_settings import NEW_PIN, SettingsPages, form_page
from gui.i18n import tr
from gui.onscreen_input import OnScreenInput
from gui.pin import MAX_DIGITS, PinStore
from gui.self_test import TestLine
from gui.status_presenter import present_source
from gui.texts import QT_TRANSLATE_NOOP, Text
from gui.values import StationStatus, SyncReport
from gui.widgets import TextLabel, TouchButton
from station.errors import ConfigError
from station.settings import MAX_CHECKPOINT_CHARS

CHECKPOINT = QT_TRANSLATE_NOOP("Admin", "Checkpoint (door or lane)")


class AdminPanel(QWidget):
    closed = Signal()
    sync_requested = Signal()
    upload_requested = Signal()
    camera_changed = Signal(str)
    settings_saved = Signal()
    options_saved = Signal(object)
    self_test_requested = Signal()

    def __init__(
        self,
        base: Path,
        pins: PinStore,
        camera_source: str,
        parent: QWidget | None = None,
        *,
        kiosk: bool | None = None,
    ) -> None:
        super().__init__(parent)
        self.base, self.pins = base, pins
        self.tabs = QTabWidget(self)
        self.message = TextLabel(None, self)
        self.message.setObjectName("admin-message")
        close = TouchButton(QT_TRANSLATE_NOOP("Admin", "Close and lock"), self, name="admin-close")
        close.clicked.connect(self.closed)
        top = QHBoxLayout()
        top.addWidget(self.message, 1)
        top.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._pages: list[tuple[QWidget, Text]] = []
        self._station_page()
        self._data_page()
        self._queue_page()
        self.settings = SettingsPages(base, pins, camera_source, self._add_page, self)
        self.settings.said.connect(self.message.set_label)
        self.settings.camera_changed.connect(self.camera_changed)
        self.settings.settings_saved.connect(self.settings_saved)
        self.settings.options_saved.connect(self.options_saved)
        self._test_page()
        self.touch_input = OnScreenInput(self, kiosk=kiosk)
        self.touch_input.attach_text(self.checkpoint, CHECKPOINT, limit=MAX_CHECKPOINT_CHARS)
        self.touch_input.attach_digits(self.settings.new_pin, NEW_PIN, limit=MAX_DIGITS)

    def _add_page(self, page: QWidget, title: Text) -> None:
        self._pages.append((page, title))
        self.tabs.addTab(page, tr(title))

    def retranslate(self) -> None:
        for index, (_, title) in enumerate(self._pages):
            self.tabs.setTabText(index, tr(title))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- pages ---------------------------------------------------------------------------------

    def _station_page(self) -> None:
        page, form = form_page()
        self.checkpoint = QLineEdit(page)
        self.checkpoint.setObjectName("checkpoint-id")
        self.checkpoint.setMaxLength(MAX_CHECKPOINT_CHARS)
        form.addRow(TextLabel(CHECKPOINT), self.checkpoint)
        self.enrollment = TextLabel(None, page)
        form.addRow(TextLabel(QT_TRANSLATE_NOOP("Admin", "Enrollment")), self.enrollment)
        form.addRow(
            TextLabel(QT_TRANSLATE_NOOP("Admin", "Data folder")),
            TextLabel(Text("Admin", str(self.base))),
        )
        save = TouchButton(QT_TRANSLATE_NOOP("Admin", "Save"), page, name="save-station")
        save.clicked.connect(self._save_station)
        form.addRow(save)
        self._add_page(page, QT_TRANSLATE_NOOP("Admin", "Station"))

    def _data_page(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.sources = QTableWidget(0, 4, page)
        self.sources.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.sources, 1)
        self.sync_button = TouchButton(
            QT_TRANSLATE_NOOP("Admin", "Sync now"), page, name="sync-now"
        )
        self.sync_button.clicked.connect(self.sync_requested)
        self.sync_report = TextLabel(None, page)
        layout.addWidget(self.sync_button)
        layout.addWidget(self.sync_report)
        self._add_page(page, QT_TRANSLATE_NOOP("Admin", "Data and sync"))

    def _queue_page(self) -> None:
        page, form = form_page()
        self.queue = TextLabel(None, page)
        form.addRow(TextLabel(QT_TRANSLATE_NOOP("Admin", "Upload queue")), self.queue)
        upload = TouchButton(QT_TRANSLATE_NOOP("Admin", "Upload now"), page, name="upload-now")
        upload.clicked.connect(self.upload_requested)
        form.addRow(upload)
        self._add_page(page, QT_TRANSLATE_NOOP("Admin", "Upload"))

    def _test_page(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        run = TouchButton(QT_TRANSLATE_NOOP("Admin", "Run self-test"), page, name="self-test")
        run.clicked.connect(self.self_test_requested)
        self.test_results = TextLabel(None, page)
        layout.addWidget(run)
        layout.addWidget(self.test_results, 1)
        self._add_page(page, QT_TRANSLATE_NOOP("Admin", "Self-test"))

    # -- filling in and saving ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Load the saved settings into the pages (each time the panel opens)."""
        self.message.set_label(None)
        self.touch_input.close()
        self.checkpoint.setText(self.settings.current().checkpoint_id)
        self.settings.refresh()

    def show_status(self, status: StationStatus) -> None:
        if status.station_id:
            words = QT_TRANSLATE_NOOP("Admin", "Enrolled as {station} at {hub}")
            self.enrollment.set_label(
                words.with_args(station=status.station_id, hub=status.hub_url)
            )
        else:
            self.enrollment.set_label(
                QT_TRANSLATE_NOOP("Admin", "Not enrolled: run station enroll on this station")
            )
        self._show_sources(status)
        queue = status.queue
        if queue is None:
            self.queue.set_label(QT_TRANSLATE_NOOP("Admin", "The entry log cannot be read."))
        else:
            words = QT_TRANSLATE_NOOP(
                "Admin",
                "Waiting: {pending}. Uploaded: {uploaded}. Held back: {held}. "
                "Oldest waiting: {oldest}",
            )
            self.queue.set_label(
                words.with_args(
                    pending=queue.pending,
                    uploaded=queue.uploaded,
                    held=queue.quarantined,
                    oldest=queue.oldest_pending or "-",
                )
            )

    def _show_sources(self, status: StationStatus) -> None:
        headers = [
            QT_TRANSLATE_NOOP("Admin", "Source"),
            QT_TRANSLATE_NOOP("Admin", "State"),
            QT_TRANSLATE_NOOP("Admin", "Age"),
            QT_TRANSLATE_NOOP("Admin", "Version"),
        ]
        self.sources.setHorizontalHeaderLabels([tr(h) for h in headers])
        self.sources.setRowCount(len(status.sources))
        for row, source in enumerate(status.sources):
            title, state, age, version = present_source(source)
            for column, value in enumerate((title, tr(state), tr(age), version)):
                self.sources.setItem(row, column, QTableWidgetItem(value))

    def show_sync_report(self, report: SyncReport) -> None:
        self.sync_report.set_label(Text("Admin", "\n".join(report.lines)))

    def set_sync_busy(self, busy: bool) -> None:
        self.sync_button.setEnabled(not busy)

    def show_self_test(self, lines: tuple[TestLine, ...]) -> None:
        shown = [
            f"{'✓' if line.ok else '✗'} {tr(line.name)}"
            + (f" ({line.detail})" if line.detail else "")
            for line in lines
        ]
        self.test_results.set_label(Text("SelfTest", "\n".join(shown)))

    def _save_station(self) -> None:
        try:
            checkpoint = self.checkpoint.text().strip()
            self.settings.save(replace(self.settings.current(), checkpoint_id=checkpoint))
        except ConfigError:
            self.message.set_label(
                QT_TRANSLATE_NOOP("Admin", "The checkpoint name must be 1 to 64 characters.")
            )

    def shutdown(self) -> None:
        self.settings.shutdown()
