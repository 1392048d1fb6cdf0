"""Video files and image files played as a camera: the demo camera and the test camera.

Both pace themselves like a camera (`read()` waits until the next frame is due at the chosen
frame rate) unless `realtime=False`, loop by default, and report ENDED when played once.  An
unreadable file is a state with a plain `problem`, never an exception: a damaged demo video must
not take the kiosk down.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from station.adapters.camera_opencv import quiet_opencv_log
from station.adapters.image_file import load_image
from station.errors import Reject
from station.scan.frames import Frame, SourceState

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".pgm"})


class _Pacer:
    """Sleeps so that frames come out at `fps`, as a camera's `read()` blocks for its next frame."""

    def __init__(self, fps: float, realtime: bool, clock: Callable[[], float]) -> None:
        self._period = 1.0 / fps if realtime and fps > 0 else 0.0
        self._clock = clock
        self._due = 0.0

    def wait(self) -> float:
        now = self._clock()
        if self._period:
            if self._due > now:
                time.sleep(self._due - now)
                now = self._clock()
            self._due = max(self._due, now) + self._period
        return now


class VideoFileSource:
    """Frames of a video file (anything FFmpeg in OpenCV reads: mp4, avi, mkv...)."""

    def __init__(
        self,
        path: str | Path,
        *,
        loop: bool = True,
        realtime: bool = True,
        fps: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._path = Path(path)
        self._loop = loop
        self._clock = clock
        self._index = 0
        self._state = SourceState.STARTING
        self.problem = ""
        quiet_opencv_log()
        self._capture: Any = cv2.VideoCapture(str(self._path))
        if not self._capture.isOpened():
            self._end(f"cannot open video file {self._path.name}")
            self._pacer = _Pacer(0, False, clock)
            return
        file_fps = float(self._capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self._pacer = _Pacer(fps or file_fps or 15.0, realtime, clock)

    @property
    def name(self) -> str:
        return f"file:{self._path}"

    @property
    def state(self) -> SourceState:
        return self._state

    def read(self) -> Frame | None:
        if self._state is SourceState.ENDED:
            return None
        image = self._grab()
        if image is None and self._loop and self._index > 0:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            image = self._grab()
        if image is None:
            self._end("" if self._index else f"no frames in {self._path.name}")
            return None
        self._index += 1
        self._state = SourceState.LIVE
        return Frame(image, self._pacer.wait(), self._index)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def _grab(self) -> NDArray[np.uint8] | None:
        try:
            ok, image = self._capture.read()
        except cv2.error:
            return None
        return image if ok and image is not None and image.size else None

    def _end(self, problem: str) -> None:
        self._state = SourceState.ENDED
        if problem:
            self.problem = problem
        self.close()


class ImageFilesSource:
    """Still images shown one after another (a folder of frames, or one photo).

    Unreadable files are skipped (their names end up in `problem`); when no file at all can be
    read the source ends.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        name: str,
        loop: bool = True,
        realtime: bool = True,
        fps: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._paths = list(paths)
        self._name = name
        self._loop = loop
        self._pacer = _Pacer(fps, realtime, clock)
        self._position = 0
        self._index = 0
        self._readable = 0
        self._state = SourceState.STARTING if self._paths else SourceState.ENDED
        self.problem = "" if self._paths else "no image files"

    @classmethod
    def from_folder(cls, folder: str | Path, **options: Any) -> ImageFilesSource:
        """Every image in `folder`, in name order (frame_0001.png, frame_0002.png, ...)."""
        root = Path(folder)
        paths = sorted(p for p in root.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        return cls(paths, name=f"dir:{root}", **options)

    @property
    def name(self) -> str:
        return self._name

    @property
    def state(self) -> SourceState:
        return self._state

    def read(self) -> Frame | None:
        for _ in range(len(self._paths) + 1):
            path = self._next_path()
            if path is None:
                return None
            try:
                image = load_image(path, color=True)
            except Reject as exc:
                self.problem = f"{path.name}: {exc.detail}"
                continue
            self._readable += 1
            self._index += 1
            self._state = SourceState.LIVE
            return Frame(image, self._pacer.wait(), self._index)
        self._finish()
        return None

    def close(self) -> None:
        self._position = len(self._paths)
        self._loop = False

    def _next_path(self) -> Path | None:
        if self._position >= len(self._paths):
            if not (self._loop and self._readable):
                self._finish()
                return None
            self._position = 0
        path = self._paths[self._position]
        self._position += 1
        return path

    def _finish(self) -> None:
        self._state = SourceState.ENDED
