"""The scan loop on real frames: each person reported once, repeats suppressed only within the
window, the newest frame wins when decoding is slower than the camera, clean stop and states."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np

from station.adapters.camera_opencv import OpenCvCamera
from station.adapters.media_files import VideoFileSource
from station.issuer.qr_image import qr_gray
from station.scan.frames import Frame, SourceState
from station.scan.loop import CodeRead, RepeatFilter, ScanLoop, StateChange

BLANK = np.full((480, 640), 230, np.uint8)


def frame_with(text: str | None) -> np.ndarray:
    image = BLANK.copy()
    if text is not None:
        code = qr_gray(text, scale=3)
        image[40 : 40 + code.shape[0], 100 : 100 + code.shape[1]] = code
    return image


class TimedFrames:
    """An in-memory frame source with chosen capture times: a recording with its timestamps."""

    def __init__(self, images: list[np.ndarray], times: list[float]) -> None:
        self._items = list(zip(images, times, strict=True))
        self._position = 0
        self.problem = ""

    name = "recording"

    @property
    def state(self) -> SourceState:
        return SourceState.ENDED if self._position >= len(self._items) else SourceState.LIVE

    def read(self) -> Frame | None:
        if self._position >= len(self._items):
            return None
        image, at = self._items[self._position]
        self._position += 1
        return Frame(image, at, self._position)

    def close(self) -> None:
        self._position = len(self._items)


def reads_of(loop: ScanLoop) -> list[CodeRead]:
    with loop:
        return [e for e in loop.events(time.monotonic() + 20) if isinstance(e, CodeRead)]


def test_each_person_is_reported_once_in_order(tmp_path: Path) -> None:
    path = tmp_path / "queue.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, (640, 480))
    people = ["HC1:PERSON-ONE", "shc:/5676290952432060", "079099012345|Lê Thu Hà|30091972"]
    for text in people:
        for _ in range(6):
            writer.write(cv2.cvtColor(frame_with(text), cv2.COLOR_GRAY2BGR))
        for _ in range(3):
            writer.write(cv2.cvtColor(BLANK, cv2.COLOR_GRAY2BGR))
    writer.release()
    source = VideoFileSource(path, loop=False, realtime=False)
    loop = ScanLoop(source, lossless=True)
    reads = reads_of(loop)
    assert [r.text for r in reads] == people
    assert loop.stats.captured == 27 and loop.stats.dropped == 0
    assert all(r.decoded_at >= r.frame_at for r in reads)


def test_same_code_again_after_the_window_is_a_new_read() -> None:
    a = frame_with("HC1:SAME-PASS")
    images = [a, a, a, BLANK, BLANK, a, BLANK, a]
    times = [0.0, 0.5, 1.0, 2.0, 3.0, 3.5, 5.0, 7.0]
    reads = reads_of(ScanLoop(TimedFrames(images, times), lossless=True, window_s=3.0))
    # Seen at 0.0 (new), 0.5 and 1.0 (held up), 3.5 (2.5 s after 1.0: same person), 7.0 (new).
    assert [r.frame_at for r in reads] == [0.0, 7.0]


def test_repeat_filter_forgets_old_payloads() -> None:
    repeats = RepeatFilter(window_s=1.0)
    assert repeats.admit("A", 0.0)
    for index in range(1000):
        assert repeats.admit(f"other-{index}", 10.0 + index)
    assert repeats.admit("A", 2000.0)
    assert len(repeats._last_seen) <= 2


def test_newest_frame_wins_when_decoding_is_slow() -> None:
    images = [BLANK] * 40 + [frame_with("HC1:LATE-ARRIVAL")] * 3
    slow_calls: list[int] = []

    def slow_read(image: np.ndarray) -> list[str]:
        slow_calls.append(1)
        time.sleep(0.02)
        from station.scan import read_codes

        return read_codes(image)

    class PacedFrames(TimedFrames):
        def read(self) -> Frame | None:
            time.sleep(0.002)  # a 500 fps camera: faster than the decoder
            return super().read()

    source = PacedFrames(images, [i * 0.002 for i in range(len(images))])
    loop = ScanLoop(source, read=slow_read)
    reads = reads_of(loop)
    assert [r.text for r in reads] == ["HC1:LATE-ARRIVAL"]
    assert loop.stats.dropped > 0
    assert len(slow_calls) < len(images)


def test_states_are_reported_and_stop_is_prompt() -> None:
    camera = OpenCvCamera("/dev/video-missing", retry_s=0.05)
    loop = ScanLoop(camera).start()
    events = list(loop.events(time.monotonic() + 0.5))
    started = time.monotonic()
    loop.stop()
    assert time.monotonic() - started < 2.0
    states = [e.state for e in events if isinstance(e, StateChange)]
    assert states == [SourceState.DISCONNECTED]


def test_a_frame_that_breaks_the_decoder_does_not_stop_scanning() -> None:
    calls: list[int] = []

    def fragile_read(image: np.ndarray) -> list[str]:
        calls.append(1)
        if len(calls) == 2:
            raise MemoryError("pathological frame")
        from station.scan import read_codes

        return read_codes(image)

    images = [BLANK, BLANK, frame_with("HC1:AFTER-THE-FAILURE")]
    loop = ScanLoop(TimedFrames(images, [0.0, 0.1, 0.2]), read=fragile_read, lossless=True)
    with loop:
        events = list(loop.events(time.monotonic() + 5))
    assert [e.text for e in events if isinstance(e, CodeRead)] == ["HC1:AFTER-THE-FAILURE"]
    assert loop.stats.failed == 1 and len(calls) == 3
    assert [e.state for e in events if isinstance(e, StateChange)][-1] is SourceState.ENDED
