"""Workers for the slow, rare and network-bound work: station status, sync, upload, one-off calls.

`StatusWorker` reads the strip's state every few seconds and the counters after each decision.
`SyncWorker` runs the hub sync and the entry upload on a schedule and on "sync now"; a hub that
is down or trickling only delays its own thread (every request has a total deadline), never
the screen. `BackgroundCall` runs a single slow function (an admin PIN check, a self-test) on
a pool thread and hands the result back through a signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from gui.station_status import StatusReader
from gui.values import SyncReport
from station.adapters.clock import SystemClock
from station.paths import enrollment_path

STATUS_INTERVAL_MS = 3000
SYNC_INTERVAL_MS = 15 * 60 * 1000
UPLOAD_INTERVAL_MS = 60 * 1000


class StatusWorker(QObject):
    """Lives in its own QThread: `status_read(StationStatus)`, `counters_read(DayCounts)`."""

    status_read = Signal(object)
    counters_read = Signal(object)

    def __init__(
        self,
        base: Path,
        *,
        log_available: bool,
        now: Callable[[], datetime] | None = None,
        interval_ms: int = STATUS_INTERVAL_MS,
    ) -> None:
        super().__init__()
        self._reader = StatusReader(base, log_available=log_available)
        self._now = now or SystemClock().now
        self._interval_ms = interval_ms
        self._timer: QTimer | None = None

    @Slot()
    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(self._interval_ms)
        self.refresh()
        self.refresh_counters()

    @Slot()
    def refresh(self) -> None:
        self.status_read.emit(self._reader.read(self._now()))

    @Slot()
    def refresh_counters(self) -> None:
        counts = self._reader.day_counts(self._now())
        if counts is not None:
            self.counters_read.emit(counts)

    @Slot()
    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._reader.close()


class SyncWorker(QObject):
    """Lives in its own QThread; does nothing on a station that is not enrolled."""

    sync_finished = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        base: Path,
        *,
        scheduled: bool = True,
        sync_interval_ms: int = SYNC_INTERVAL_MS,
        upload_interval_ms: int = UPLOAD_INTERVAL_MS,
    ) -> None:
        super().__init__()
        self._base = base
        self._scheduled = scheduled
        self._intervals = (sync_interval_ms, upload_interval_ms)
        self._timers: list[QTimer] = []

    @Slot()
    def start(self) -> None:
        if not self._scheduled:
            return
        for interval, job in zip(self._intervals, (self.sync_now, self.upload_now), strict=True):
            timer = QTimer(self)
            timer.timeout.connect(job)
            timer.start(interval)
            self._timers.append(timer)

    @Slot()
    def sync_now(self) -> None:
        if not enrollment_path(self._base).exists():
            self.sync_finished.emit(SyncReport(False, ("not enrolled with a hub",)))
            return
        self.busy_changed.emit(True)
        try:
            report = self._sync()
            upload = self._upload()
            report = SyncReport(report.ok and upload.ok, report.lines + upload.lines)
        finally:
            self.busy_changed.emit(False)
        self.sync_finished.emit(report)

    @Slot()
    def upload_now(self) -> None:
        if enrollment_path(self._base).exists():
            self.sync_finished.emit(self._upload())

    @Slot()
    def stop(self) -> None:
        for timer in self._timers:
            timer.stop()

    def _sync(self) -> SyncReport:
        from gui.sync_jobs import sync_once  # the HTTP stack loads on this thread, on first use

        return sync_once(self._base)

    def _upload(self) -> SyncReport:
        from gui.sync_jobs import upload_once

        return upload_once(self._base)


class BackgroundCall(QObject):
    """Runs one function at a time on a pool thread; `finished(tag, result)` on completion
    (the result is the function's value, or the exception it raised)."""

    finished = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="station-call")
        self._lock = threading.Lock()

    def submit(self, tag: str, function: Callable[[], Any]) -> None:
        future = self._pool.submit(function)
        future.add_done_callback(lambda done: self._done(tag, done))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _done(self, tag: str, future: Future[Any]) -> None:
        if future.cancelled():
            return
        error = future.exception()
        self.finished.emit(tag, error if error is not None else future.result())
