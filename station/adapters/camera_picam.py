"""The Raspberry Pi CSI camera through picamera2 (libcamera), imported only when used.

picamera2 comes from apt (`python3-picamera2`) and is visible only in a venv made with
`--system-site-packages` (see firmware_notes/); on every other machine this source simply
reports DISCONNECTED with the reason, so importing the station never needs it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from station.scan.frames import Frame, RetrySchedule, SignalMonitor, SourceState


class PiCameraSource:
    """Frames from the Pi camera's main stream as BGR (picamera2's "RGB888" is BGR in memory)."""

    def __init__(
        self,
        *,
        width: int = 1280,
        height: int = 720,
        retry_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._size = (width, height)
        self._retries = RetrySchedule(retry_s)
        self._clock = clock
        self._camera: Any = None
        self._state = SourceState.STARTING
        self._index = 0
        self._monitor = SignalMonitor()
        self.problem = ""

    @property
    def name(self) -> str:
        return "picamera"

    @property
    def state(self) -> SourceState:
        return self._state

    def read(self) -> Frame | None:
        if self._camera is None and not self._open():
            return None
        try:
            image = self._camera.capture_array("main")
        except Exception as exc:  # hardware edge: libcamera raises bare RuntimeErrors and more
            self.problem = f"camera stopped: {type(exc).__name__}"
            self.close()
            self._state = SourceState.DISCONNECTED
            return None
        self._index += 1
        frame = Frame(image, self._clock(), self._index)
        self._state = self._monitor.classify(frame)
        return frame

    def close(self) -> None:
        if self._camera is not None:
            try:
                self._camera.close()
            finally:
                self._camera = None

    def _open(self) -> bool:
        if not self._retries.due(self._clock()):
            return False
        try:
            from picamera2 import Picamera2  # type: ignore[import-not-found]
        except ImportError:
            self.problem = "picamera2 is not installed (apt install python3-picamera2)"
            self._state = SourceState.DISCONNECTED
            return False
        try:
            camera = Picamera2()
            config = camera.create_video_configuration(
                main={"size": self._size, "format": "RGB888"}, buffer_count=2
            )
            camera.configure(config)
            camera.start()
        except Exception as exc:  # hardware edge: no camera, busy camera, libcamera errors
            self.problem = f"no Pi camera: {type(exc).__name__}"
            self._state = SourceState.DISCONNECTED
            return False
        self._camera = camera
        self.problem = ""
        self._state = SourceState.LIVE
        return True
