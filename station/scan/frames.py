"""Frames, source states, and the signal check every frame source shares.

A camera at a checkpoint fails in mundane ways: unplugged, covered, pointed at a wall in the dark,
or a driver that keeps handing out the same buffer.  Each of these is a *state* the station shows
("camera disconnected", "no picture"), never an exception, so sources report a `SourceState`
beside each frame and the scan loop keeps running.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray


class SourceState(StrEnum):
    """What a frame source is doing now; the GUI and `station scan` show it."""

    STARTING = "STARTING"
    LIVE = "LIVE"
    #: Frames arrive but show nothing usable (black, covered lens, frozen picture).
    NO_SIGNAL = "NO_SIGNAL"
    #: The device is missing or stopped answering; the source retries by itself.
    DISCONNECTED = "DISCONNECTED"
    #: A finite source (a video or image files played once) has nothing more to give.
    ENDED = "ENDED"


@dataclass(frozen=True, slots=True)
class Frame:
    """One captured picture: BGR or grayscale pixels, when (monotonic seconds), its number."""

    image: NDArray[Any]
    at: float
    index: int


#: Below this mean and spread of brightness a frame is black (lens covered, camera in the dark).
BLACK_MEAN = 10.0
BLACK_SPREAD = 4.0
#: A picture that does not change at all for this long comes from a stuck driver: no sensor
#: delivers bit-identical frames for seconds, because sensor noise alone changes pixels.
STALE_AFTER_S = 2.0


@dataclass(slots=True)
class SignalMonitor:
    """Classifies frames as LIVE or NO_SIGNAL (black or frozen) from cheap statistics.

    Only a 1/16-size thumbnail is examined, so the check costs microseconds on a 720p frame.
    """

    stale_after_s: float = STALE_AFTER_S
    _last_signature: bytes = field(default=b"", init=False)
    _unchanged_since: float | None = field(default=None, init=False)

    def classify(self, frame: Frame) -> SourceState:
        thumbnail = frame.image[::16, ::16]
        if thumbnail.size == 0:
            return SourceState.NO_SIGNAL
        if float(thumbnail.mean()) < BLACK_MEAN and float(thumbnail.std()) < BLACK_SPREAD:
            return SourceState.NO_SIGNAL
        signature = np.ascontiguousarray(thumbnail).tobytes()
        if signature != self._last_signature:
            self._last_signature = signature
            self._unchanged_since = frame.at
            return SourceState.LIVE
        if self._unchanged_since is not None and frame.at - self._unchanged_since >= (
            self.stale_after_s
        ):
            return SourceState.NO_SIGNAL
        return SourceState.LIVE


@dataclass(slots=True)
class RetrySchedule:
    """Allows one attempt to open a device per `interval_s`, so a missing camera is retried
    by itself without hammering its driver."""

    interval_s: float
    _next_attempt: float = field(default=0.0, init=False)

    def due(self, now: float) -> bool:
        """True (and the next attempt pushed back) when an attempt may be made at `now`."""
        if now < self._next_attempt:
            return False
        self._next_attempt = now + self.interval_s
        return True
