"""A USB or laptop camera through OpenCV (`opencv-python-headless`: V4L2 on Linux).

The camera is opened lazily on the first `read()` and reopened by itself after it vanishes
(unplugged, driver reset), at most once per `retry_s`, so a kiosk recovers without a restart.
Black or frozen pictures are reported as NO_SIGNAL by the shared `SignalMonitor`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import cv2

from station.scan.frames import Frame, RetrySchedule, SignalMonitor, SourceState

#: OpenCV's LOG_LEVEL_SILENT (the same value in 4.x and 5.x).
OPENCV_LOG_LEVEL_SILENT = 0


def quiet_opencv_log() -> None:
    """Silence OpenCV's per-attempt messages; a kiosk retrying a missing camera would flood
    the journal with them, and the source's state already says what is wrong."""
    # Silent rather than errors only: OpenCV 4.x logs a missing camera index at ERROR level
    # (its Orbbec backend). 5.x has setLogLevel in cv2.utils.logging only, 4.x (a Pi with
    # apt's NumPy 1, see firmware_notes/constraints-pi.txt) at the top level only.
    logging = getattr(cv2.utils, "logging", cv2)
    logging.setLogLevel(OPENCV_LOG_LEVEL_SILENT)


#: Consecutive failed grabs after which the device is considered gone and is reopened.
FAILED_GRABS_BEFORE_RECONNECT = 10


class OpenCvCamera:
    """Frames from `cv2.VideoCapture(device)`; `device` is an index (0) or a path (/dev/video2)."""

    def __init__(
        self,
        device: int | str = 0,
        *,
        width: int = 1280,
        height: int = 720,
        fps: float = 30.0,
        retry_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._device = device
        self._settings = ((cv2.CAP_PROP_FRAME_WIDTH, width), (cv2.CAP_PROP_FRAME_HEIGHT, height))
        self._fps = fps
        self._retries = RetrySchedule(retry_s)
        self._clock = clock
        self._capture: Any = None
        self._state = SourceState.STARTING
        self._failed_grabs = 0
        self._index = 0
        self._monitor = SignalMonitor()
        self.problem = ""

    @property
    def name(self) -> str:
        return f"camera:{self._device}"

    @property
    def state(self) -> SourceState:
        return self._state

    def read(self) -> Frame | None:
        if self._capture is None and not self._open():
            return None
        ok, image = self._capture.read()
        if not ok or image is None or image.size == 0:
            self._failed_grabs += 1
            if self._failed_grabs >= FAILED_GRABS_BEFORE_RECONNECT:
                self._drop()
            return None
        self._failed_grabs = 0
        self._index += 1
        frame = Frame(image, self._clock(), self._index)
        self._state = self._monitor.classify(frame)
        return frame

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def _open(self) -> bool:
        if not self._retries.due(self._clock()):
            return False
        quiet_opencv_log()
        capture = cv2.VideoCapture(self._device)
        if not capture.isOpened():
            capture.release()
            self.problem = f"cannot open camera {self._device}"
            self._state = SourceState.DISCONNECTED
            return False
        for prop, value in self._settings:
            capture.set(prop, value)
        capture.set(cv2.CAP_PROP_FPS, self._fps)
        # One buffered frame: the station wants the newest picture, not a backlog.
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        self._capture = capture
        self._failed_grabs = 0
        self.problem = ""
        self._state = SourceState.LIVE
        return True

    def _drop(self) -> None:
        self.problem = "the camera stopped delivering frames"
        self.close()
        self._state = SourceState.DISCONNECTED
