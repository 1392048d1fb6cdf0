"""The app's composition root: the only place that builds the workers, their threads and the
window, and wires their signals (`build_station`), and the `station run` entry (`run`).

Threads: the camera worker (capture and decoding run on the scan loop's own threads under it),
the verify worker (verification and the entry log), the status worker and the sync worker each
have a QThread; the GUI thread only paints and forwards input. Signals carry frozen values.
The camera worker's thread is busy reading the scan loop's events, so calls into it (pause, the
preview hand-shake) are direct calls on thread-safe methods, never queued slots.

Tests, the benchmark and the screenshot script build the same station with `Parts` replacing
the frame source, the verifier or the recorder.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication

from gui.admin import AdminScreen
from gui.admin_pages import AdminPanel
from gui.app_config import DEFAULT_SOURCE, AppConfig, Parts
from gui.app_factories import camera_factory, clock_judge, real_recorder_factory, verifier_factory
from gui.background import BackgroundCall, StatusWorker, SyncWorker
from gui.camera import CameraWorker
from gui.device import Watchdog, load_device
from gui.i18n import Translations, qm_path
from gui.main_window import StationWindow
from gui.options import AppOptions, load_options, save_options
from gui.pin import PinStore
from gui.self_test import run_self_test
from gui.sounds import SoundPlayer
from gui.wedge_input import WedgeInput
from gui.workers import VerifyWorker, start_in_thread, stop_thread
from station.verify.verifier import Verifier

LAPTOP_SIZE = (1280, 800)


@dataclass
class Station:
    """Everything `build_station` made; `start`, `show` and `shutdown` it."""

    config: AppConfig
    options: AppOptions
    window: StationWindow
    verify: VerifyWorker
    status: StatusWorker
    sync: SyncWorker
    translations: Translations
    wedge: WedgeInput
    make_camera: Callable[[str], CameraWorker]
    make_verifier: Callable[[], Verifier]
    camera: CameraWorker | None = None
    source: str = DEFAULT_SOURCE
    threads: dict[str, QThread] = field(default_factory=dict)
    calls: BackgroundCall | None = None

    def start(self) -> None:
        for name, worker in (("verify", self.verify), ("status", self.status), ("sync", self.sync)):
            self.threads[name] = start_in_thread(
                worker, f"station-{name}", worker.start, worker.stop
            )
        self.start_camera(self.source)

    def start_camera(self, spec: str) -> None:
        self.stop_camera()
        self.source = spec
        camera = self.make_camera(spec)
        camera.payload_seen.connect(self.verify.on_scan)
        camera.frame_ready.connect(self.window.on_camera_frame_ready)
        camera.state_changed.connect(self.window.on_camera_state_changed)
        self.window.preview_taken.connect(camera.preview_taken, Qt.ConnectionType.DirectConnection)
        self.window.scanning_paused.connect(camera.pause, Qt.ConnectionType.DirectConnection)
        self.camera = camera
        self.threads["camera"] = start_in_thread(camera, "station-camera", camera.start)

    def stop_camera(self) -> None:
        camera, self.camera = self.camera, None
        if camera is None:
            return
        self.window.preview_taken.disconnect(camera.preview_taken)
        self.window.scanning_paused.disconnect(camera.pause)
        camera.stop()
        thread = self.threads.pop("camera", None)
        if thread is not None:
            stop_thread(thread)

    def show(self) -> None:
        size = self.config.size
        if self.config.kiosk and size is None:
            self.window.showFullScreen()
            return
        width, height = size or LAPTOP_SIZE
        self.window.resize(width, height)
        if self.config.kiosk:
            self.window.setFixedSize(width, height)  # a kiosk screen of that size, for testing
        self.window.show()

    def shutdown(self) -> None:
        """Stop the camera, then each worker in its own thread, waiting with a timeout."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.wedge)
        self.translations.remove()
        self._disconnect_closures()
        self.stop_camera()
        self.window.admin.shutdown()
        if self.calls is not None:
            self.calls.shutdown()
        for name in ("verify", "status", "sync"):
            thread = self.threads.pop(name, None)
            # A sync waits for the hub at most its request deadline; give it a while.
            if thread is not None and not stop_thread(thread, 20_000 if name == "sync" else 5000):
                self.threads[name] = thread  # still running: keep it referenced, never destroyed

    def _disconnect_closures(self) -> None:
        """Drop the connections whose slots hold this station, so nothing outlives it."""
        panel = self.window.admin.panel
        for signal_ in (
            self.wedge.scanned,
            self.window.direction_changed,
            panel.camera_changed,
            panel.options_saved,
            panel.self_test_requested,
        ):
            signal_.disconnect()
        if self.calls is not None:
            self.calls.finished.disconnect()


def build_station(config: AppConfig, parts: Parts | None = None) -> Station:
    """Make the workers and the window and connect them (nothing runs until `start`)."""
    parts = parts or Parts()
    app = QApplication.instance()
    assert isinstance(app, QApplication), "create the QApplication first"
    options = load_options(config.base)
    language = config.language or options.language
    translations = Translations(app)
    translations.switch(language)
    next_serial = functools.partial(next, itertools.count(1))
    device = load_device(config.base)
    make_verifier = parts.make_verifier or verifier_factory(config)
    make_recorder = parts.make_recorder or real_recorder_factory(config.base)
    log_available = parts.log_available
    pins = PinStore(config.base)
    source = config.source or options.source or device.camera_source or DEFAULT_SOURCE
    panel = AdminPanel(config.base, pins, source)
    sound = SoundPlayer(enabled=options.sound if config.sound is None else config.sound)
    window = StationWindow(
        kiosk=config.kiosk,
        admin=AdminScreen(pins, panel),
        sound=sound,
        switch_language=translations.switch,
        next_serial=next_serial,
        language=language,
        direction=options.direction,
        verdict_seconds=options.verdict_seconds,
    )
    verify = VerifyWorker(
        make_verifier,
        make_recorder or (lambda: None),
        direction=options.direction,
        gate=parts.gate or device.open_gate(),
        judge_clock=parts.judge_clock or clock_judge(config),
    )
    station = Station(
        config=config,
        options=options,
        window=window,
        verify=verify,
        status=StatusWorker(
            config.base,
            log_available=make_recorder is not None if log_available is None else log_available,
        ),
        sync=SyncWorker(
            config.base,
            scheduled=config.scheduled_sync,
            upload_interval_ms=int(config.upload_interval_s * 1000),
        ),
        translations=translations,
        wedge=WedgeInput(window),
        make_camera=camera_factory(config, parts, device, next_serial),
        make_verifier=make_verifier,
        source=source,
    )
    _connect(station, panel, sound)
    return station


def _connect(station: Station, panel: AdminPanel, sound: SoundPlayer) -> None:
    window, verify, status, sync = station.window, station.verify, station.status, station.sync
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(station.wedge)
    station.wedge.scanned.connect(lambda text: window.submit_text(text, "wedge"))
    window.scan_submitted.connect(verify.on_scan)
    window.image_submitted.connect(verify.on_image)
    window.direction_changed.connect(verify.set_direction)
    window.direction_changed.connect(lambda d: _save_option(station, direction=d))
    verify.result_ready.connect(window.on_verify_result_ready)
    verify.result_ready.connect(status.refresh_counters)
    status.status_read.connect(window.on_status_status_read)
    status.counters_read.connect(window.on_status_counters_read)
    panel.sync_requested.connect(sync.sync_now)
    panel.upload_requested.connect(sync.upload_now)
    sync.sync_finished.connect(panel.show_sync_report)
    sync.sync_finished.connect(status.refresh)
    sync.busy_changed.connect(panel.set_sync_busy)
    panel.settings_saved.connect(verify.reload)
    panel.settings_saved.connect(status.refresh)
    panel.camera_changed.connect(lambda spec: _change_camera(station, spec))
    panel.options_saved.connect(lambda options: _apply_options(station, sound, options))
    station.calls = BackgroundCall(window)
    station.calls.finished.connect(lambda tag, lines: _self_test_done(panel, tag, lines))
    panel.self_test_requested.connect(lambda: _self_test(station, sound))


def _save_option(station: Station, **values: object) -> None:
    try:
        station.options = station.options.changed(**values)
        save_options(station.config.base, station.options)
    except (OSError, ValueError):
        pass  # the choice still applies until the app restarts


def _change_camera(station: Station, spec: str) -> None:
    if spec:
        _save_option(station, source=spec)
        station.start_camera(spec)


def _apply_options(station: Station, sound: SoundPlayer, options: AppOptions) -> None:
    station.options = options
    station.window.verdict.seconds = options.verdict_seconds
    sound.enabled = options.sound


def _self_test(station: Station, sound: SoundPlayer) -> None:
    window = station.window
    assert station.calls is not None
    station.calls.submit(
        "self-test",
        functools.partial(
            run_self_test,
            station.make_verifier,
            camera_state=window.camera_status.state,
            status=window.station_status,
            storage_state=window.storage_state,
            sound_backend=sound.backend,
            translations=qm_path,
        ),
    )


def _self_test_done(panel: AdminPanel, tag: str, lines: object) -> None:
    if tag == "self-test" and isinstance(lines, tuple):
        panel.show_self_test(lines)


def run(args: argparse.Namespace, config: AppConfig) -> int:
    """`station run`: create the application, show the station, run until closed."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("checkpoint-station")
    station = build_station(config)
    station.start()
    station.show()
    quit_on_signals(app)
    watchdog = Watchdog()
    watchdog.ready()
    if watchdog.interval_ms is not None:  # pinged from the GUI thread: a frozen screen restarts
        pings = QTimer(app)
        pings.timeout.connect(watchdog.ping)
        pings.start(watchdog.interval_ms)
    try:
        return int(app.exec())
    finally:
        watchdog.stopping()
        station.shutdown()


def quit_on_signals(app: QObject) -> None:
    """SIGINT and SIGTERM close the app cleanly (Python runs handlers between Qt events, so a
    short timer gives it the chance). The quit is posted, not called: a signal that arrives
    before the event loop starts (systemd stopping a kiosk that has just said READY) would
    otherwise be lost, since `quit()` does nothing while no loop runs."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: QTimer.singleShot(0, QApplication.quit))
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
