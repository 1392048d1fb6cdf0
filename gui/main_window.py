"""The station window: scan screen, verdict, manual entry and admin, over the status strip.

Kiosk mode is the touch flow alone, full screen. Laptop mode is the same flow in a window with
a side panel: today's counters, "Open image…" and "Paste"; it also takes image files and text
dropped on it, Ctrl+V, and a USB keyboard-wedge scanner (the wedge works in kiosk mode too).

The window only shows things and forwards input: every code goes out through `scan_submitted`
or `image_submitted` to the verify worker, and verdicts come back through
`on_verify_result_ready`. Nothing here waits for a worker.

The language button is for the person at the gate: when their verdict screen returns to
scanning, the screen goes back to the station's default language (the `--lang` option or the
admin panel's saved choice), which the button never changes. A guest who switches language and
leaves without scanning gets the same: after `GUEST_LANGUAGE_S` on the scan screen the default
comes back. A verdict that arrives while the
admin screen or manual entry is up is held and shown when it closes (`gui.held_verdict`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gui.admin import AdminScreen
from gui.counters import CountersPanel
from gui.held_verdict import HeldVerdict
from gui.keypad import ManualEntryScreen
from gui.laptop_panel import LaptopPanel
from gui.options import AppOptions
from gui.presenters import present_decision
from gui.scan_screen import ScanScreen
from gui.sounds import SoundPlayer
from gui.status_presenter import present_counters, present_status
from gui.status_strip import StatusStrip
from gui.theme import STYLE_SHEET, Metrics
from gui.values import CameraStatus, DayCounts, Decision, ImageInput, ScanInput, StationStatus
from gui.verdict_screen import VerdictScreen

STALL_S = 2.0
#: How long a guest's language choice outlives them on an idle scan screen.
GUEST_LANGUAGE_S = 30.0


class StationWindow(QMainWindow):
    scan_submitted = Signal(object)
    image_submitted = Signal(object)
    direction_changed = Signal(str)
    language_changed = Signal(str)
    preview_taken = Signal()
    scanning_paused = Signal(bool)

    def __init__(
        self,
        *,
        kiosk: bool,
        admin: AdminScreen,
        sound: SoundPlayer,
        switch_language: Callable[[str], object],
        next_serial: Callable[[], int],
        language: str = "vi",
        direction: str = "in",
        verdict_seconds: float = 5.0,
    ) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.sound = sound
        #: The station's language; `language` is the one shown for the person at the gate now.
        self.default_language = language
        self.language = language
        self.direction = direction
        self._switch_language = switch_language
        self._next_serial = next_serial
        self.camera_status = CameraStatus("STARTING")
        self.station_status: StationStatus | None = None
        self.storage_state = "OK"
        self._last_frame = time.monotonic()
        self.setWindowTitle("Checkpoint station")
        self.setStyleSheet(STYLE_SHEET)
        self._build(admin, verdict_seconds)
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(250)
        self._watchdog.timeout.connect(self._check_stall)
        self._watchdog.start()
        self.guest_language_timer = QTimer(self)
        self.guest_language_timer.setSingleShot(True)
        self.guest_language_timer.setInterval(int(GUEST_LANGUAGE_S * 1000))
        self.guest_language_timer.timeout.connect(self._on_guest_language_idle)
        self.scan.show_direction(direction)
        self.scan.show_language(language)
        self._refresh_strip()

    def _build(self, admin: AdminScreen, verdict_seconds: float) -> None:
        self.scan = ScanScreen()
        self.verdict = VerdictScreen(seconds=verdict_seconds)
        self.held = HeldVerdict(self)
        self.manual = ManualEntryScreen()
        self.admin = admin
        self.stack = QStackedWidget()
        for page in (self.scan, self.verdict, self.manual, self.admin):
            self.stack.addWidget(page)
        self.strip = StatusStrip()
        self.counters = CountersPanel()
        self.laptop: LaptopPanel | None = None
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.stack, 1)
        if not self.kiosk:
            self.laptop = LaptopPanel(self.counters)
            self.laptop.image_chosen.connect(self.open_image)
            self.laptop.paste_requested.connect(self.paste)
            body.addWidget(self.laptop)
            self.setAcceptDrops(True)
            paste = QShortcut(QKeySequence(QKeySequence.StandardKey.Paste), self)
            paste.activated.connect(self.paste)
        layout = QVBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(body, 1)
        layout.addWidget(self.strip)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.scan.direction_toggled.connect(self.toggle_direction)
        self.scan.language_toggled.connect(self.toggle_language)
        self.scan.manual_requested.connect(self.open_manual_entry)
        self.scan.admin_requested.connect(self.open_admin)
        self.verdict.finished.connect(self._on_verdict_finished)
        self.manual.entered.connect(self._on_manual_entered)
        self.manual.cancelled.connect(self._on_cover_closed)
        self.admin.closed.connect(self._on_cover_closed)
        self.admin.panel.options_saved.connect(self._on_options_saved)

    # -- input -------------------------------------------------------------------------------------

    def accepts_input(self) -> bool:
        """Codes are taken on the scan and verdict screens, not in manual entry or admin."""
        return self.stack.currentWidget() in (self.scan, self.verdict)

    def submit_text(self, text: str, kind: str) -> None:
        if self.accepts_input() and text.strip():
            self.scan_submitted.emit(
                ScanInput(text.strip(), kind, time.monotonic(), self._next_serial())
            )

    def open_image(self, path: str) -> None:
        if self.accepts_input():
            self.image_submitted.emit(ImageInput(path, time.monotonic(), self._next_serial()))

    def paste(self) -> None:
        self.submit_text(QApplication.clipboard().text(), "paste")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        data = event.mimeData()
        if data.hasUrls() or data.hasText():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        data = event.mimeData()
        files = [url.toLocalFile() for url in data.urls() if url.isLocalFile()]
        if files:
            self.open_image(files[0])
        elif data.hasText():
            self.submit_text(data.text(), "drop")
        event.acceptProposedAction()

    def _on_manual_entered(self, text: str) -> None:
        self.held.drop()  # a new person's code comes next: the earlier verdict is theirs no more
        self.show_scan()
        self.submit_text(text, "manual")

    # -- navigation --------------------------------------------------------------------------------

    def show_scan(self) -> None:
        self.verdict.clear()
        self.stack.setCurrentWidget(self.scan)
        self.scanning_paused.emit(False)

    def open_manual_entry(self) -> None:
        self.manual.reset()
        self.stack.setCurrentWidget(self.manual)
        self.scanning_paused.emit(True)

    def open_admin(self) -> None:
        self.stack.setCurrentWidget(self.admin)
        self.admin.open()
        self.scanning_paused.emit(True)

    def toggle_direction(self) -> None:
        self.direction = "out" if self.direction == "in" else "in"
        self.scan.show_direction(self.direction)
        self.direction_changed.emit(self.direction)

    def _on_verdict_finished(self) -> None:
        """The person has had their verdict: the next one starts in the default language."""
        self.show_scan()
        if self.language != self.default_language:
            self.set_language(self.default_language)

    def _on_cover_closed(self) -> None:
        """Back from admin or manual entry: a verdict held meanwhile is shown for the rest of
        its time, without its sound (that belonged to the moment of the decision, like the
        gate), else the scan screen."""
        held = self.held.take()
        if held is None:
            self.show_scan()
            return
        view, seconds_left = held
        self.stack.setCurrentWidget(self.verdict)
        self.verdict.show_verdict(view, seconds_left)
        self.scanning_paused.emit(False)

    def toggle_language(self) -> None:
        """The language for the person at the gate only (never saved)."""
        self.set_language("en" if self.language == "vi" else "vi")
        if self.language != self.default_language:
            self.guest_language_timer.start()

    def _on_guest_language_idle(self) -> None:
        """Nobody scanned since the switch: the next person starts in the default language.
        A verdict, manual entry or the admin panel on screen waits for its own return."""
        if self.language == self.default_language:
            return
        if self.stack.currentWidget() is self.scan:
            self.set_language(self.default_language)
        else:
            self.guest_language_timer.start()

    def set_default_language(self, language: str) -> None:
        self.default_language = language
        self.set_language(language)

    def _on_options_saved(self, options: AppOptions) -> None:
        if options.language != self.default_language:
            self.set_default_language(options.language)

    def set_language(self, language: str) -> None:
        if language == self.default_language:
            self.guest_language_timer.stop()
        self.language = language
        self._switch_language(language)
        self.scan.show_language(language)
        self.language_changed.emit(language)

    # -- worker results ----------------------------------------------------------------------------

    def on_camera_frame_ready(self, image: QImage) -> None:
        self._last_frame = time.monotonic()
        if self.camera_status.state == "STALLED":
            self.on_camera_state_changed(CameraStatus("LIVE"))
        self.scan.preview.show_frame(image)
        self.preview_taken.emit()

    def on_camera_state_changed(self, camera: CameraStatus) -> None:
        self.camera_status = camera
        self._last_frame = time.monotonic()
        self.scan.preview.set_state(camera.state)
        self._refresh_strip()

    def on_verify_result_ready(self, decision: Decision) -> None:
        if decision.recorded is not None:
            self.storage_state = decision.storage_state
            self._refresh_strip()
        view = present_decision(decision)
        if self.stack.currentWidget() in (self.manual, self.admin):
            self.held.hold(view, self.verdict.seconds)  # no sound while the screen is covered
            return
        self.stack.setCurrentWidget(self.verdict)
        self.verdict.show_verdict(view)
        self.sound.play(view.sound)

    def on_status_status_read(self, status: StationStatus) -> None:
        self.station_status = status
        self._refresh_strip()
        self.admin.panel.show_status(status)

    def on_status_counters_read(self, counts: DayCounts) -> None:
        self.counters.show_counts(present_counters(counts))

    def _check_stall(self) -> None:
        """A camera that says it is live but sends nothing for 2 s is shown as not responding."""
        if self.camera_status.state == "LIVE" and time.monotonic() - self._last_frame > STALL_S:
            self.on_camera_state_changed(
                CameraStatus("STALLED", "no frames", self.camera_status.source)
            )

    def _refresh_strip(self) -> None:
        now = datetime.now(UTC)
        self.strip.show_items(
            present_status(
                self.station_status, self.camera_status, storage_state=self.storage_state, now=now
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh_strip()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        metrics = Metrics(self.height())
        self.strip.setFixedHeight(metrics.strip)
        if self.laptop is not None:
            self.laptop.fit(metrics)
        super().resizeEvent(event)
