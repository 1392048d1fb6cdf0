"""The scan loop: capture and decoding on their own threads, latest frame wins, no repeats.

A camera delivers 15-30 frames a second and decoding a hard frame can take longer than one
frame period.  Queuing frames would make the station answer for a person who already left, so
the capture thread keeps only the newest frame and the decode thread always takes that one
(`lossless=True` instead hands over every frame, for replaying a file as fast as possible).
Both decoders release the GIL while they work, so capture, decoding and the caller's thread
(verification, GUI) really run side by side.

A code that stays in view is reported once: it is dropped while it was last seen less than
`window_s` ago (default 3 s), and reported again once it has been out of view that long, which
is how the next person holding up the same kind of pass, or the same person coming back, gets
verified.
"""

from __future__ import annotations

import hashlib
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from numpy.typing import NDArray

from station.ports import FrameSource
from station.scan import read_codes
from station.scan.frames import Frame, SourceState

DEFAULT_REPEAT_WINDOW_S = 3.0


@dataclass(frozen=True, slots=True)
class CodeRead:
    """One new code: its text, when its frame was captured, when it was decoded."""

    text: str
    frame_at: float
    decoded_at: float
    wall_time: datetime
    frame_index: int
    source: str


@dataclass(frozen=True, slots=True)
class StateChange:
    """The source changed state (camera lost, picture black, video ended...)."""

    state: SourceState
    problem: str
    at: float


ScanEvent = CodeRead | StateChange


@dataclass(slots=True)
class RepeatFilter:
    """Admits a payload unless it was seen within the last `window_s` seconds.

    Only a hash of each payload is kept, and only for as long as the window needs it, so the
    filter holds no personal data and cannot grow without bound.
    """

    window_s: float = DEFAULT_REPEAT_WINDOW_S
    _last_seen: dict[bytes, float] = field(default_factory=dict)

    def admit(self, text: str, at: float) -> bool:
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        previous = self._last_seen.get(key)
        self._last_seen[key] = at
        self._forget_before(at - self.window_s)
        return previous is None or at - previous >= self.window_s

    def _forget_before(self, cutoff: float) -> None:
        stale = [key for key, seen in self._last_seen.items() if seen < cutoff]
        for key in stale:
            del self._last_seen[key]


@dataclass(slots=True)
class ScanStats:
    captured: int = 0
    decoded: int = 0
    dropped: int = 0
    #: Frames whose decoding raised (a decoder bug or a pathological frame); scanning goes on.
    failed: int = 0


class _LatestFrame:
    """A one-frame mailbox: `put` replaces an unread frame (counted as dropped) or, when
    lossless, waits until the decoder has taken it."""

    def __init__(self, lossless: bool) -> None:
        self._lossless = lossless
        self._frame: Frame | None = None
        self._closed = False
        self._changed = threading.Condition()

    def put(self, frame: Frame, stop: threading.Event) -> bool:
        with self._changed:
            while self._lossless and self._frame is not None and not stop.is_set():
                self._changed.wait(0.1)
            replaced = self._frame is not None
            self._frame = frame
            self._changed.notify_all()
            return replaced

    def take(self, timeout: float) -> Frame | None:
        with self._changed:
            if self._frame is None and not self._closed:
                self._changed.wait(timeout)
            frame, self._frame = self._frame, None
            self._changed.notify_all()
            return frame

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def drained(self) -> bool:
        with self._changed:
            return self._closed and self._frame is None


class ScanLoop:
    """Runs a frame source through the read strategy; `events()` yields what happened."""

    def __init__(
        self,
        source: FrameSource,
        *,
        read: Callable[[NDArray[Any]], list[str]] = read_codes,
        window_s: float = DEFAULT_REPEAT_WINDOW_S,
        lossless: bool = False,
        idle_s: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        self.stats = ScanStats()
        self._read = read
        self._filter = RepeatFilter(window_s)
        self._mailbox = _LatestFrame(lossless)
        self._events: queue.Queue[ScanEvent | None] = queue.Queue(maxsize=256)
        self._stop = threading.Event()
        self._idle_s = idle_s
        self._clock = clock
        self._state = SourceState.STARTING
        self._threads = [
            threading.Thread(target=self._capture, name="scan-capture", daemon=True),
            threading.Thread(target=self._decode, name="scan-decode", daemon=True),
        ]

    def start(self) -> ScanLoop:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stop both threads and close the source; safe to call more than once."""
        self._stop.set()
        self._mailbox.close()
        for thread in self._threads:
            if thread.is_alive() and thread is not threading.current_thread():
                thread.join(timeout=5)
        self.source.close()

    def __enter__(self) -> ScanLoop:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def events(self, deadline: float | None = None) -> Iterator[ScanEvent]:
        """Yield events until the source has ended and everything is decoded, `stop()` is
        called, or the monotonic `deadline` passes."""
        while True:
            timeout = None if deadline is None else deadline - self._clock()
            if timeout is not None and timeout <= 0:
                return
            try:
                event = self._events.get(timeout=timeout)
            except queue.Empty:
                return
            if event is None:
                return
            yield event

    def _capture(self) -> None:
        try:
            while not self._stop.is_set():
                frame = self.source.read()
                self._note_state()
                if frame is None:
                    if self.source.state is SourceState.ENDED:
                        return
                    self._stop.wait(self._idle_s)
                    continue
                self.stats.captured += 1
                if self._mailbox.put(frame, self._stop):
                    self.stats.dropped += 1
        finally:
            self._mailbox.close()

    def _decode(self) -> None:
        try:
            while not self._stop.is_set() and not self._mailbox.drained:
                frame = self._mailbox.take(timeout=0.1)
                if frame is None:
                    continue
                try:
                    self._decode_frame(frame)
                except Exception:  # one bad frame must not stop a kiosk's scanning for good
                    self.stats.failed += 1
        finally:
            self._publish(None)

    def _decode_frame(self, frame: Frame) -> None:
        texts = self._read(frame.image)
        self.stats.decoded += 1
        decoded_at = self._clock()
        for text in texts:
            if self._filter.admit(text, frame.at):
                now = datetime.now(UTC)
                self._publish(
                    CodeRead(text, frame.at, decoded_at, now, frame.index, self.source.name)
                )

    def _note_state(self) -> None:
        state = self.source.state
        if state is not self._state:
            self._state = state
            self._publish(StateChange(state, self.source.problem, self._clock()))

    def _publish(self, event: ScanEvent | None) -> None:
        """Hand an event to the consumer; if nobody reads for a long time, keep the newest."""
        while True:
            try:
                self._events.put_nowait(event)
                return
            except queue.Full:
                try:
                    self._events.get_nowait()
                except queue.Empty:
                    pass
