"""Helpers of the app tests (imported by test modules; the fixtures are in gui_fixtures.py):
the one double, `FakeFrameSource`, a camera that can be unplugged and plugged back, and small
shortcuts for passes, PINs and waiting for verdicts.
"""

from __future__ import annotations

import errno
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gui.app import Station
from gui.demo_data import DemoStation
from gui.pin import KdfCost, PinStore
from gui.virtual_camera import scene
from station.entry_recorder import NOT_RECORDED, RecordOutcome
from station.issuer.demo_set import DemoPass
from station.issuer.qr_image import qr_gray
from station.scan.frames import Frame, SourceState

#: A cheap PIN hash for tests that only exercise the lockout (the real cost is the default).
TEST_PIN_COST = KdfCost(memory_kib=8 * 1024, iterations=1)
WAIT_MS = 15_000


def demo_pass(demo_set: DemoStation, label: str) -> DemoPass:
    return next(p for p in demo_set.passes if p.label.startswith(label))


class FakeFrameSource:
    """A camera showing one picture at 20 frames a second that can be unplugged: `unplug()`
    makes `read` raise ENODEV (as a vanished V4L2 device does) or, with `report=True`, report
    DISCONNECTED as the FrameSource contract asks; `plug()` brings the picture back."""

    problem = ""

    def __init__(self, picture: np.ndarray | None = None) -> None:
        self._picture = scene(picture)
        self._state = SourceState.STARTING
        self._unplugged = threading.Event()
        self._raise = True
        self._index = 0
        self.closed = False

    @property
    def name(self) -> str:
        return "fake:camera"

    @property
    def state(self) -> SourceState:
        return self._state

    def unplug(self, *, report: bool = False) -> None:
        self._raise = not report
        self._unplugged.set()

    def plug(self) -> None:
        self._unplugged.clear()

    def read(self) -> Frame | None:
        time.sleep(0.05)
        if self._unplugged.is_set():
            if self._raise:
                raise OSError(errno.ENODEV, "No such device")
            self._state = SourceState.DISCONNECTED
            self.problem = "device vanished"
            return None
        self._state = SourceState.LIVE
        self._index += 1
        return Frame(self._picture, time.monotonic(), self._index)

    def close(self) -> None:
        self.closed = True


def blank_camera() -> FakeFrameSource:
    return FakeFrameSource(None)


@dataclass
class RunningStation:
    station: Station
    qtbot: object

    @property
    def window(self):
        return self.station.window

    def wait_verdict(self, timeout: int = WAIT_MS):
        """Wait until a verdict is painted; return its view."""
        with self.qtbot.waitSignal(self.window.verdict.verdict_painted, timeout=timeout):
            pass
        return self.window.verdict.view


def set_pin(base: Path, pin: str, cost: KdfCost = TEST_PIN_COST) -> PinStore:
    store = PinStore(base, cost=cost)
    store.set_pin(pin)
    return store


def qr_picture(text: str) -> np.ndarray:
    return qr_gray(text, scale=3)


class FullDiskRecorder:
    """A recorder on a disk that has just filled up (the recorder's own words and code)."""

    direction = "in"

    def record(self, result) -> RecordOutcome:
        return RecordOutcome(None, "STORAGE_FULL", NOT_RECORDED)

    def close(self) -> None:
        pass


class RecordingGate:
    """A gate relay that notes each verdict it was driven with (the fake GPIO pin)."""

    def __init__(self) -> None:
        self.verdicts: list[str] = []

    def on_verdict(self, status: str) -> None:
        self.verdicts.append(status)

    def close(self) -> None:
        self.verdicts.append("closed")
