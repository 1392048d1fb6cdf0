"""`CameraWorker`: the frame source, QR decoding and the preview, all off the GUI thread.

The worker owns the frame source and runs the station's `ScanLoop` on it (capture and decoding
on their own threads, newest frame wins), then turns the loop's events into signals:
`payload_seen(ScanInput)` for each new code, `state_changed(CameraStatus)` when the camera is
lost, covered or back. A `PreviewTap` around the source hands the GUI a small copy of a frame
now and then (`frame_ready(QImage)`, at most `preview_fps` a second), and never a second one
before the GUI has taken the first: a busy screen skips preview frames instead of queueing them.

A source that raises `OSError` (a driver that does not keep the FrameSource promise) is shown
as disconnected and read again after a pause, so it recovers by itself like any other camera.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from gui.values import CameraStatus, ScanInput
from station.errors import StationError
from station.ports import FrameSource
from station.scan import read_codes
from station.scan.frames import Frame, SourceState
from station.scan.loop import CodeRead, ScanLoop

PREVIEW_WIDTH = 640
#: Pause after a source raised before reading it again (a vanished device is not hammered).
ERROR_PAUSE_S = 0.5


class PreviewTap:
    """A FrameSource that passes frames through and shows some of them to `on_frame`."""

    def __init__(self, source: FrameSource, on_frame: Callable[[Frame], None]) -> None:
        self._source = source
        self._on_frame = on_frame
        self._error = ""
        self.problem = source.problem

    @property
    def name(self) -> str:
        return self._source.name

    @property
    def state(self) -> SourceState:
        return SourceState.DISCONNECTED if self._error else self._source.state

    def read(self) -> Frame | None:
        try:
            frame = self._source.read()
        except OSError as exc:
            self._error = self.problem = f"camera error: {exc.strerror or exc}"
            time.sleep(ERROR_PAUSE_S)
            return None
        self._error = ""
        self.problem = self._source.problem
        if frame is not None:
            self._on_frame(frame)
        return frame

    def close(self) -> None:
        self._source.close()


def preview_image(image: np.ndarray[Any, Any], width: int = PREVIEW_WIDTH) -> QImage:
    """A small RGB QImage owning its pixels (safe to hand to another thread)."""
    height = max(1, round(image.shape[0] * width / max(1, image.shape[1])))
    small = cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)
    if small.ndim == 2:
        rgb = cv2.cvtColor(small, cv2.COLOR_GRAY2RGB)
    else:
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    rgb = np.ascontiguousarray(rgb)
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


class CameraWorker(QObject):
    """Lives in its own QThread; `start` runs until `stop` is called or the source ends."""

    payload_seen = Signal(object)
    frame_ready = Signal(QImage)
    state_changed = Signal(object)

    def __init__(
        self,
        open_source: Callable[[], FrameSource],
        *,
        next_serial: Callable[[], int],
        budget_s: float = 0.04,
        window_s: float = 3.0,
        preview_fps: float = 15.0,
    ) -> None:
        super().__init__()
        self._open_source = open_source
        self._next_serial = next_serial
        self._read = functools.partial(read_codes, budget_s=budget_s)
        self._window_s = window_s
        self._preview_period = 1.0 / preview_fps
        self._last_preview = 0.0
        self._preview_in_flight = threading.Event()
        self._paused = threading.Event()
        self._stopping = threading.Event()
        self._loop: ScanLoop | None = None
        self._lock = threading.Lock()
        self.source_name = ""

    @Slot()
    def start(self) -> None:
        try:
            source = self._open_source()
        except StationError as exc:
            self.state_changed.emit(CameraStatus("FAILED", str(exc)))
            return
        self.source_name = source.name
        loop = ScanLoop(
            PreviewTap(source, self._offer_preview), read=self._read, window_s=self._window_s
        )
        with self._lock:
            if self._stopping.is_set():
                source.close()
                return
            self._loop = loop.start()
        self.state_changed.emit(CameraStatus("STARTING", "", source.name))
        for event in loop.events():
            if isinstance(event, CodeRead):
                self._on_code(event)
            else:
                self.state_changed.emit(CameraStatus(str(event.state), event.problem, source.name))

    def stop(self) -> None:
        """Stop capture and decoding and release the camera (any thread; waits for both)."""
        with self._lock:
            self._stopping.set()
            loop, self._loop = self._loop, None
        if loop is not None:
            loop.stop()

    def pause(self, paused: bool) -> None:
        """While paused (admin panel, manual entry) codes in view are not verified."""
        if paused:
            self._paused.set()
        else:
            self._paused.clear()

    def preview_taken(self) -> None:
        """The GUI has the last preview frame; the next one may be sent."""
        self._preview_in_flight.clear()

    def _on_code(self, event: CodeRead) -> None:
        if self._paused.is_set():
            return
        self.payload_seen.emit(ScanInput(event.text, "camera", event.frame_at, self._next_serial()))

    def _offer_preview(self, frame: Frame) -> None:
        """On the capture thread: send a small copy if one is due and the last was taken."""
        if self._preview_in_flight.is_set() or frame.at - self._last_preview < self._preview_period:
            return
        self._last_preview = frame.at
        self._preview_in_flight.set()
        self.frame_ready.emit(preview_image(frame.image))
