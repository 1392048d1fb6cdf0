"""Frame sources: real video files and image folders played as cameras, missing cameras and
files as states (never exceptions), and the black/frozen picture check."""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.adapters.camera_opencv import OpenCvCamera
from station.adapters.camera_picam import PiCameraSource
from station.adapters.media_files import ImageFilesSource, VideoFileSource
from station.errors import StationError
from station.scan.frames import Frame, SignalMonitor, SourceState
from station.scan.sources import SourceOptions, open_source

SIZE = (320, 240)


def write_video(path: Path, frames: int, fps: float = 20.0) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, SIZE)
    for number in range(frames):
        image = np.full((SIZE[1], SIZE[0], 3), 40 + number * 3 % 200, np.uint8)
        cv2.putText(image, str(number), (20, 120), cv2.FONT_HERSHEY_SIMPLEX, 2, (255,) * 3, 3)
        writer.write(image)
    writer.release()
    return path


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_video_played_once_gives_every_frame_then_ends(tmp_path: Path) -> None:
    source = VideoFileSource(write_video(tmp_path / "clip.mp4", 12), loop=False, realtime=False)
    frames = []
    while (frame := source.read()) is not None:
        frames.append(frame)
    assert [f.index for f in frames] == list(range(1, 13))
    assert frames[0].image.shape == (SIZE[1], SIZE[0], 3)
    assert source.state is SourceState.ENDED and source.problem == ""
    assert source.read() is None


def test_looping_video_starts_again(tmp_path: Path) -> None:
    source = VideoFileSource(write_video(tmp_path / "clip.mp4", 5), loop=True, realtime=False)
    frames = [source.read() for _ in range(12)]
    assert all(frame is not None for frame in frames)
    assert source.state is SourceState.LIVE
    first, sixth = frames[0], frames[5]
    assert first is not None and sixth is not None
    assert np.array_equal(first.image, sixth.image), "frame 6 is frame 1 again"
    source.close()


def test_realtime_video_is_paced(tmp_path: Path) -> None:
    import time

    source = VideoFileSource(write_video(tmp_path / "c.mp4", 6), loop=False, fps=50.0)
    started = time.monotonic()
    while source.read() is not None:
        pass
    assert time.monotonic() - started >= 5 / 50 * 0.9


@pytest.mark.parametrize("content", [b"", b"not a video at all" * 100, b"\x00\x00\x00\x18ftypmp42"])
def test_damaged_video_is_a_state_with_a_reason(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.mp4"
    path.write_bytes(content)
    source = VideoFileSource(path, realtime=False)
    assert source.read() is None
    assert source.state is SourceState.ENDED
    assert "bad.mp4" in source.problem


def test_truncated_video_ends_cleanly(tmp_path: Path) -> None:
    path = write_video(tmp_path / "clip.mp4", 30)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    source = VideoFileSource(path, loop=True, realtime=False)
    count = 0
    while source.read() is not None and count < 200:
        count += 1
    assert source.state in (SourceState.ENDED, SourceState.LIVE)
    assert count < 200 or source.state is SourceState.LIVE


def test_image_folder_skips_unreadable_files(tmp_path: Path) -> None:
    for number in range(3):
        image = np.full((50, 60, 3), 50 * number, np.uint8)
        cv2.imwrite(str(tmp_path / f"frame_{number}.png"), image)
    (tmp_path / "frame_1b.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    (tmp_path / "notes.txt").write_text("not an image")
    source = ImageFilesSource.from_folder(tmp_path, loop=False, realtime=False)
    frames = []
    while (frame := source.read()) is not None:
        frames.append(frame)
    assert [int(f.image.mean()) for f in frames] == [0, 50, 100]
    assert "frame_1b.png" in source.problem
    assert source.state is SourceState.ENDED


def test_folder_of_only_unreadable_files_ends_instead_of_spinning(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"junk")
    (tmp_path / "b.jpg").write_bytes(b"")
    source = ImageFilesSource.from_folder(tmp_path, loop=True, realtime=False)
    assert source.read() is None
    assert source.state is SourceState.ENDED


def test_still_image_loops_as_a_camera(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    cv2.imwrite(str(path), np.full((40, 40, 3), 128, np.uint8))
    source = open_source(f"file:{path}", SourceOptions(realtime=False))
    frames = [source.read() for _ in range(3)]
    assert all(frame is not None and frame.image.shape == (40, 40, 3) for frame in frames)


def test_missing_camera_is_disconnected_and_retried_on_schedule() -> None:
    clock = FakeClock()
    camera = OpenCvCamera("/dev/video-does-not-exist", retry_s=2.0, clock=clock)
    assert camera.read() is None
    assert camera.state is SourceState.DISCONNECTED
    clock.now = 1.0
    assert camera.read() is None  # too early to retry: must not hammer the driver
    clock.now = 2.5
    assert camera.read() is None
    assert camera.state is SourceState.DISCONNECTED
    camera.close()


def test_pi_camera_without_picamera2_is_a_clear_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "picamera2", None)  # as on any machine without the apt package
    source = PiCameraSource()
    assert source.read() is None
    assert source.state is SourceState.DISCONNECTED
    assert "picamera2" in source.problem


@pytest.mark.parametrize(
    "spec", ["", "camera:abc", "usb:0", "file:", "dir:", "picamera:1", "file:/no/such.mp4"]
)
def test_bad_source_specs_are_usage_errors(spec: str) -> None:
    with pytest.raises(StationError):
        open_source(spec)


def test_signal_monitor_black_and_frozen_pictures() -> None:
    monitor = SignalMonitor(stale_after_s=2.0)
    rng = np.random.default_rng(3)
    black = np.zeros((720, 1280, 3), np.uint8)
    assert monitor.classify(Frame(black, 0.0, 1)) is SourceState.NO_SIGNAL
    scene = rng.integers(0, 255, (720, 1280, 3), dtype=np.uint8)
    assert monitor.classify(Frame(scene, 0.1, 2)) is SourceState.LIVE
    assert monitor.classify(Frame(scene.copy(), 1.0, 3)) is SourceState.LIVE
    assert monitor.classify(Frame(scene.copy(), 2.2, 4)) is SourceState.NO_SIGNAL
    moved = scene.copy()
    moved[::16, ::16] ^= 1
    assert monitor.classify(Frame(moved, 2.3, 5)) is SourceState.LIVE
