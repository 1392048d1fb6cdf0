"""On a station with a real camera: the camera source delivers live frames and the scan loop
reads a pass held in front of it. Skipped unless a camera is named (as on CI, which has none).

Run on the device after installing (see firmware_notes/camera.md):

    STATION_CAMERA=camera:0 .venv/bin/python -m pytest tests/hardware -q
    STATION_CAMERA=picamera STATION_CAMERA_EXPECT='HC1:...' \\
        .venv/bin/python -m pytest tests/hardware

With `STATION_CAMERA_EXPECT` set, hold a QR with exactly that text in view (a printed pass or
a phone showing `station demo`'s images): the test waits up to 30 s for the scan loop to read it.
"""

from __future__ import annotations

import os
import time

import pytest

from station.scan.frames import SourceState
from station.scan.loop import CodeRead, ScanLoop
from station.scan.sources import SourceOptions, open_source

pytestmark = pytest.mark.hardware
SPEC = os.environ.get("STATION_CAMERA", "")
EXPECT = os.environ.get("STATION_CAMERA_EXPECT", "")


@pytest.fixture()
def camera_spec() -> str:
    if not SPEC:
        pytest.skip("no camera here: set STATION_CAMERA=camera:0 (or picamera) on a device")
    return SPEC


def test_the_camera_delivers_live_frames(camera_spec: str) -> None:
    source = open_source(camera_spec, SourceOptions(width=1280, height=720))
    try:
        frames = []
        deadline = time.monotonic() + 10
        while len(frames) < 10 and time.monotonic() < deadline:
            frame = source.read()
            if frame is not None:
                frames.append(frame)
        assert source.state is SourceState.LIVE, source.state
        assert len(frames) == 10
        height, width = frames[-1].image.shape[:2]
        assert width >= 320 and height >= 240
        assert frames[-1].at > frames[0].at
    finally:
        source.close()


def test_a_pass_held_in_view_is_read(camera_spec: str) -> None:
    if not EXPECT:
        pytest.skip("set STATION_CAMERA_EXPECT to the text of a QR held in front of the camera")
    seen: list[str] = []
    with ScanLoop(open_source(camera_spec, SourceOptions())) as loop:
        for event in loop.events(deadline=time.monotonic() + 30):
            if isinstance(event, CodeRead):
                seen.append(event.text)
                if event.text == EXPECT:
                    break
    assert EXPECT in seen, f"not read within 30 s ({len(seen)} other codes read)"
