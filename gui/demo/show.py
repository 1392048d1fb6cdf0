"""The station app on the demo's virtual camera: in a window, or headless for one pass.

The app is the real one (`gui.app.build_station`: camera, verify, status and sync workers, the
entry log, uploads every few seconds); only the camera is the folder of demo QR images played
as a person holding each one up. With a screen the demo loops until the window is closed.
Without one (no display, or `--headless`) the app runs offscreen, shows each credential once and
quits when every one has its verdict, so `station demo` works on a server or in CI too.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, Qt, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from gui.app import Station, build_station, quit_on_signals
from gui.app_config import AppConfig, Parts
from gui.camera import CameraWorker
from gui.demo.tracker import DemoTracker
from gui.virtual_camera import FolderCamera
from station.scan.frames import SourceState

#: Seconds from one person to the next (window, headless); each holds the code up for at most
#: `MAX_HOLD_S` or three quarters of that, and the counter stays empty for the rest.
WINDOW_PACE_S, HEADLESS_PACE_S = 6.5, 1.6
MAX_HOLD_S = 3.0
#: Headless: after the last credential, how long to wait for its verdict before giving up.
SETTLE_S = 4.0
UPLOAD_INTERVAL_S = 5.0


@dataclass(frozen=True, slots=True)
class DemoScreen:
    """How the demo shows the app."""

    headless: bool = False
    kiosk: bool = False
    size: tuple[int, int] | None = None
    language: str | None = None
    sound: bool | None = None
    pace_s: float | None = None

    @property
    def hold_and_gap(self) -> tuple[float, float]:
        pace = self.pace_s or (HEADLESS_PACE_S if self.headless else WINDOW_PACE_S)
        hold = min(MAX_HOLD_S, 0.75 * pace)
        return hold, pace - hold


def has_display() -> bool:
    """Whether Qt can open a window here (Linux needs X11 or Wayland; offscreen is none)."""
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run_app(base: Path, images: Path, tracker: DemoTracker, screen: DemoScreen) -> int:
    """Run the app on the images until the window closes (headless: one pass); exit status."""
    if screen.headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        qInstallMessageHandler(_quiet_offscreen)  # removed again below, before Python ends
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("checkpoint-station")
    cameras: list[FolderCamera] = []
    station = build_station(
        _config(base, images, screen), Parts(open_source=_opener(images, screen, cameras))
    )
    _track(station, tracker)
    station.window.setWindowTitle("Checkpoint station: demo")
    station.start()
    station.show()
    quit_on_signals(app)
    if screen.headless:
        watch = _HeadlessEnd(app, tracker, cameras)
        watch.start()
    try:
        return int(app.exec())
    finally:
        station.shutdown()
        if screen.headless:
            qInstallMessageHandler(None)


def _config(base: Path, images: Path, screen: DemoScreen) -> AppConfig:
    return AppConfig(
        base=base,
        kiosk=screen.kiosk,
        source=f"file:{images}",
        language=screen.language,
        size=screen.size or ((1280, 800) if screen.headless else None),
        sound=False if screen.headless else screen.sound,
        upload_interval_s=UPLOAD_INTERVAL_S,
    )


def _opener(
    images: Path, screen: DemoScreen, cameras: list[FolderCamera]
) -> Callable[[str], FolderCamera]:
    """The virtual camera: looping in a window, one pass headless."""
    hold, gap = screen.hold_and_gap

    def open_source(_spec: str) -> FolderCamera:
        camera = FolderCamera(images, hold_s=hold, gap_s=gap, loop=not screen.headless)
        cameras.append(camera)
        return camera

    return open_source


def _track(station: Station, tracker: DemoTracker) -> None:
    """Tell the tracker every code the camera reads (before the verify worker hears of it) and
    every decision, on the threads that produce them."""
    make_camera = station.make_camera

    def make_tracked(spec: str) -> CameraWorker:
        camera = make_camera(spec)
        camera.payload_seen.connect(tracker.on_scan, Qt.ConnectionType.DirectConnection)
        return camera

    station.make_camera = make_tracked
    station.verify.result_ready.connect(tracker.on_decision, Qt.ConnectionType.DirectConnection)


def _quiet_offscreen(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Headless, Qt's offscreen platform says what it cannot do with windows; the guard-facing
    lines are the verdicts, so only real warnings get through."""
    if "does not support" not in message:
        print(message, file=sys.stderr)


class _HeadlessEnd:
    """Quits the app once every credential has its verdict, or the camera has played them all
    and nothing more came for `SETTLE_S` seconds."""

    def __init__(
        self, app: QApplication, tracker: DemoTracker, cameras: list[FolderCamera]
    ) -> None:
        self._app, self._tracker, self._cameras = app, tracker, cameras
        self._ended_at: float | None = None
        self._timer = QTimer(app)
        self._timer.timeout.connect(self._check)

    def start(self) -> None:
        self._timer.start(200)

    def _check(self) -> None:
        if self._tracker.complete:
            self._app.quit()
            return
        if not self._cameras or self._cameras[-1].state is not SourceState.ENDED:
            return
        now = time.monotonic()
        self._ended_at = self._ended_at or now
        if now - self._ended_at > SETTLE_S:
            self._app.quit()
