"""A folder of QR images played as a camera (`station run --source file:<folder>`).

Each picture is held in view for `hold_s` seconds, as a person holds up a phone, then the
camera sees an empty counter for `gap_s` seconds before the next one. The gap is longer than
the scan loop's repeat window (3 s), so even a folder of one picture reads as a person coming
back each time round, and the folder can loop forever. Frames
come at `fps` like a camera's and look like one: the code sits in the middle of a grey,
720p picture. Unreadable files are skipped and named in `problem`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from station.adapters.image_file import load_image
from station.adapters.media_files import IMAGE_SUFFIXES
from station.errors import Reject
from station.scan.frames import Frame, SourceState

WIDTH, HEIGHT = 1280, 720
BACKGROUND = 150
#: The code fills at most this share of the picture's height, as a phone held at a scanner.
CODE_SHARE = 0.7
MAX_PICTURES = 200


def scene(image: NDArray[np.uint8] | None) -> NDArray[np.uint8]:
    """A camera-sized BGR frame with `image` centred on a grey background (None: empty)."""
    canvas = np.full((HEIGHT, WIDTH, 3), BACKGROUND, dtype=np.uint8)
    if image is None:
        return canvas
    if image.ndim == 2:
        image = np.asarray(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), dtype=np.uint8)
    height, width = image.shape[:2]
    scale = min(CODE_SHARE * HEIGHT / height, 0.9 * WIDTH / width)
    size = (max(1, int(width * scale)), max(1, int(height * scale)))
    fitted = cv2.resize(image, size, interpolation=cv2.INTER_NEAREST)
    top, left = (HEIGHT - size[1]) // 2, (WIDTH - size[0]) // 2
    canvas[top : top + size[1], left : left + size[0]] = fitted
    return canvas


class FolderCamera:
    """Plays every image in `folder` (name order) as a person holding up a pass."""

    def __init__(
        self,
        folder: str | Path,
        *,
        hold_s: float = 2.5,
        gap_s: float = 3.5,
        fps: float = 10.0,
        loop: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._folder = Path(folder)
        self._hold_s, self._gap_s, self._period = hold_s, gap_s, 1.0 / fps
        self._loop = loop
        self._clock = clock
        self.problem = ""
        self._pictures = self._load()
        self._empty = scene(None)
        self._shown: tuple[int, NDArray[np.uint8]] | None = None
        self._state = SourceState.STARTING if self._pictures else SourceState.ENDED
        self._started = clock()
        self._due = self._started
        self._index = 0

    @property
    def name(self) -> str:
        return f"file:{self._folder}"

    @property
    def state(self) -> SourceState:
        return self._state

    def read(self) -> Frame | None:
        if self._state is SourceState.ENDED:
            return None
        now = self._clock()
        if self._due > now:
            time.sleep(self._due - now)
            now = self._clock()
        self._due = max(self._due, now) + self._period
        picture = self._picture_at(now - self._started)
        if picture is None:
            self._state = SourceState.ENDED
            return None
        self._state = SourceState.LIVE
        self._index += 1
        return Frame(self._scene_of(picture), now, self._index)

    def close(self) -> None:
        self._state = SourceState.ENDED

    def _scene_of(self, picture: int) -> NDArray[np.uint8]:
        """The frame for a picture index (-1: the empty counter); the last one is reused."""
        if picture < 0:
            return self._empty
        if self._shown is None or self._shown[0] != picture:
            self._shown = (picture, scene(self._pictures[picture]))
        return self._shown[1]

    def _picture_at(self, elapsed: float) -> int | None:
        """Index of the picture in view after `elapsed` seconds; -1 between pictures; None
        once a single play-through has ended."""
        cycle = self._hold_s + self._gap_s
        slot, within = divmod(elapsed, cycle)
        if not self._loop and slot >= len(self._pictures):
            return None
        return int(slot) % len(self._pictures) if within < self._hold_s else -1

    def _load(self) -> list[NDArray[np.uint8]]:
        try:
            paths = sorted(p for p in self._folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        except OSError:
            self.problem = f"cannot read folder {self._folder}"
            return []
        pictures = []
        for path in paths[:MAX_PICTURES]:
            try:
                pictures.append(load_image(path, color=True))
            except Reject as exc:
                self.problem = f"{path.name}: {exc.detail}"
        if not pictures and not self.problem:
            self.problem = f"no images in {self._folder}"
        return pictures
