"""The Raspberry Pi CSI camera through picamera2 (libcamera), imported only when used.

picamera2 comes from apt (`python3-picamera2`) and is visible only in a venv made with
`--system-site-packages` (see firmware_notes/); on every other machine this source simply
reports DISCONNECTED with the reason, so importing the station never needs it.

Each frame is awaited for at most `frame_timeout_s`: a CSI ribbon that works loose mid-stream
makes libcamera stop completing requests without raising, and a blocking capture would then
freeze the scan thread for good. A stalled or failed camera is closed (a half-opened one too,
or libcamera reports it busy on every retry) and opened again every `retry_s`. Camera Module 3
focuses continuously, so a phone held 10 to 30 cm from the lens comes into focus by itself.
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
        fps: float = 15.0,
        camera_num: int = 0,
        frame_timeout_s: float = 2.0,
        retry_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._size = (width, height)
        self._frame_us = int(1_000_000 / fps)
        self._camera_num = camera_num
        self._frame_timeout_s = frame_timeout_s
        self._retries = RetrySchedule(retry_s)
        self._clock = clock
        self._camera: Any = None
        self._state = SourceState.STARTING
        self._index = 0
        self._monitor = SignalMonitor()
        self.problem = ""

    @property
    def name(self) -> str:
        return "picamera" if self._camera_num == 0 else f"picamera (camera {self._camera_num})"

    @property
    def state(self) -> SourceState:
        return self._state

    def read(self) -> Frame | None:
        if self._camera is None and not self._open():
            return None
        try:
            job = self._camera.capture_array("main", wait=False)
            image = job.get_result(timeout=self._frame_timeout_s)
        except TimeoutError:
            self._lost(f"no frame from the camera for {self._frame_timeout_s:g} s")
            return None
        except Exception as exc:  # hardware edge: libcamera raises bare RuntimeErrors and more
            self._lost(f"camera stopped: {type(exc).__name__}")
            return None
        self._index += 1
        frame = Frame(image, self._clock(), self._index)
        self._state = self._monitor.classify(frame)
        return frame

    def close(self) -> None:
        camera, self._camera = self._camera, None
        _close_quietly(camera)

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
            attached = len(Picamera2.global_camera_info())
        except Exception as exc:  # hardware edge: libcamera's camera manager failing to start
            return self._unavailable(f"libcamera failed: {type(exc).__name__}")
        if attached <= self._camera_num:
            return self._unavailable("no Pi camera found (check the ribbon cable and connector)")
        camera: Any = None
        try:
            camera = Picamera2(self._camera_num)
            camera.configure(self._configuration(camera))
            _focus_continuously(camera)
            camera.start()
        except Exception as exc:  # hardware edge: busy camera, unsupported mode, libcamera errors
            _close_quietly(camera)
            return self._unavailable(f"the Pi camera cannot start: {type(exc).__name__}")
        self._camera = camera
        self.problem = ""
        self._state = SourceState.LIVE
        return True

    def _configuration(self, camera: Any) -> Any:
        return camera.create_video_configuration(
            main={"size": self._size, "format": "RGB888"},
            buffer_count=2,
            controls={"FrameDurationLimits": (self._frame_us, self._frame_us)},
        )

    def _unavailable(self, problem: str) -> bool:
        self.problem = problem
        self._state = SourceState.DISCONNECTED
        return False

    def _lost(self, problem: str) -> None:
        self.close()
        self.problem = problem
        self._state = SourceState.DISCONNECTED


#: libcamera's AfModeEnum.Continuous.
AF_MODE_CONTINUOUS = 2


def _focus_continuously(camera: Any) -> None:
    """Continuous autofocus on cameras that have it (Camera Module 3); others are fixed-focus."""
    if "AfMode" in camera.camera_controls:
        camera.set_controls({"AfMode": AF_MODE_CONTINUOUS})


def _close_quietly(camera: Any) -> None:
    if camera is None:
        return
    try:
        camera.close()
    except Exception:  # hardware edge: closing a camera that failed half-way may fail too
        pass
