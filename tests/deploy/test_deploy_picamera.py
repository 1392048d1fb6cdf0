"""The Pi camera source against a stand-in for apt's picamera2 (the real one needs a Pi):
configuration, autofocus, frames, a stalled or missing camera, no leaked half-open camera,
reconnection, and selection by the hardware file."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from station.adapters.camera_picam import AF_MODE_CONTINUOUS, PiCameraSource
from station.adapters.hardware import hardware_path, load_hardware, open_camera
from station.scan.frames import SourceState
from station.scan.sources import SourceOptions, open_source


class FakePicamera2:
    """Just the picamera2 calls the station makes, with switches for each failure."""

    attached: ClassVar[int] = 1
    fail_start: ClassVar[bool] = False
    stall: ClassVar[bool] = False
    delivered: ClassVar[int] = 0
    opened: ClassVar[list[FakePicamera2]] = []

    def __init__(self, camera_num: int = 0) -> None:
        self.camera_num = camera_num
        self.camera_controls = {"AfMode": (0, 2, 0), "LensPosition": (0.0, 15.0, 1.0)}
        self.controls: dict[str, Any] = {}
        self.config: dict[str, Any] = {}
        self.started = self.closed = False
        self.frames = 0
        FakePicamera2.opened.append(self)

    @staticmethod
    def global_camera_info() -> list[dict[str, str]]:
        return [{"Model": "imx708", "Id": "/base/soc/i2c0mux/i2c@1/imx708@1a"}] * (
            FakePicamera2.attached
        )

    def create_video_configuration(self, **kwargs: Any) -> dict[str, Any]:
        return kwargs

    def configure(self, config: dict[str, Any]) -> None:
        self.config = config

    def set_controls(self, controls: dict[str, Any]) -> None:
        self.controls.update(controls)

    def start(self) -> None:
        if FakePicamera2.fail_start:
            raise RuntimeError("Failed to start camera: Device or resource busy")
        self.started = True

    def capture_array(self, name: str = "main", wait: bool | None = None) -> Any:
        assert wait is False, "the station must never block on a frame without a timeout"
        camera = self

        class Job:
            def get_result(self, timeout: float | None = None) -> Any:
                assert timeout is not None
                if FakePicamera2.stall:
                    raise TimeoutError()
                camera.frames += 1
                FakePicamera2.delivered += 1  # sensor noise: no two frames are alike
                width, height = camera.config["main"]["size"]
                rng = np.random.default_rng(FakePicamera2.delivered)
                return rng.integers(0, 255, (height, width, 3), dtype=np.uint8)

        return Job()

    def close(self) -> None:
        self.closed = True


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def picamera2(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakePicamera2]]:
    module = types.ModuleType("picamera2")
    module.Picamera2 = FakePicamera2  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "picamera2", module)
    FakePicamera2.attached, FakePicamera2.fail_start, FakePicamera2.stall = 1, False, False
    FakePicamera2.opened = []
    yield FakePicamera2


def test_frames_are_bgr_at_the_configured_size_rate_and_focus(picamera2: Any) -> None:
    source = PiCameraSource(width=640, height=480, fps=10)
    frames = [source.read() for _ in range(3)]
    assert all(frame is not None for frame in frames)
    assert frames[0].image.shape == (480, 640, 3)  # type: ignore[union-attr]
    assert [f.index for f in frames] == [1, 2, 3]  # type: ignore[union-attr]
    assert source.state is SourceState.LIVE and source.problem == ""
    camera = picamera2.opened[0]
    assert camera.config["main"] == {"size": (640, 480), "format": "RGB888"}
    assert camera.config["controls"]["FrameDurationLimits"] == (100_000, 100_000)
    assert camera.controls["AfMode"] == AF_MODE_CONTINUOUS
    source.close()
    assert camera.closed


def test_a_stalled_camera_is_closed_and_reopened(picamera2: Any) -> None:
    ticks = Ticks()
    source = PiCameraSource(frame_timeout_s=0.5, retry_s=2.0, clock=ticks)
    assert source.read() is not None
    picamera2.stall = True
    assert source.read() is None
    assert source.state is SourceState.DISCONNECTED and "no frame" in source.problem
    assert picamera2.opened[0].closed
    picamera2.stall = False
    ticks.now = 1.0
    assert source.read() is None  # not yet: retries are paced
    ticks.now = 2.5
    assert source.read() is not None and source.state is SourceState.LIVE
    assert len(picamera2.opened) == 2
    source.close()


def test_no_camera_on_the_connector_is_a_clear_state(picamera2: Any) -> None:
    picamera2.attached = 0
    source = PiCameraSource()
    assert source.read() is None
    assert source.state is SourceState.DISCONNECTED and "ribbon" in source.problem
    assert picamera2.opened == []


def test_a_camera_that_fails_to_start_is_not_left_open(picamera2: Any) -> None:
    picamera2.fail_start = True
    source = PiCameraSource()
    assert source.read() is None
    assert source.state is SourceState.DISCONNECTED and "cannot start" in source.problem
    assert picamera2.opened[0].closed, "a half-opened camera would stay busy for every retry"


def test_fixed_focus_cameras_get_no_autofocus_control(picamera2: Any) -> None:
    source = PiCameraSource()

    original = picamera2.__init__

    def without_af(self: Any, camera_num: int = 0) -> None:
        original(self, camera_num)
        self.camera_controls = {"ExposureTime": (1, 1000, 10)}

    picamera2.__init__ = without_af
    try:
        assert source.read() is not None
        assert "AfMode" not in picamera2.opened[0].controls
    finally:
        picamera2.__init__ = original
        source.close()


def test_open_source_passes_the_frame_rate(picamera2: Any) -> None:
    source = open_source("picamera", SourceOptions(width=320, height=240, fps=20))
    assert isinstance(source, PiCameraSource)
    assert source.read() is not None
    assert picamera2.opened[0].config["controls"]["FrameDurationLimits"] == (50_000, 50_000)
    source.close()


def test_the_hardware_file_selects_the_pi_camera(picamera2: Any, tmp_path: Path) -> None:
    hardware_path(tmp_path).write_text(
        '[camera]\nsource = "picamera"\nwidth = 800\nheight = 600\nfps = 12\n', encoding="utf-8"
    )
    source = open_camera(load_hardware(tmp_path))
    assert isinstance(source, PiCameraSource) and source.name == "picamera"
    frame = source.read()
    assert frame is not None and frame.image.shape == (600, 800, 3)
    source.close()
