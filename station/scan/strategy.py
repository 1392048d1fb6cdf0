"""The read strategy: which decoder runs on which version of the frame, in what order.

Most frames are either empty or easy, so the fast path (zxing-cpp on the frame as captured) runs
first and alone.  Only when it finds nothing do the recoveries run, cheapest-per-extra-read
first, until one finds a code or the frame's time budget is spent.  The order of
`DEFAULT_STEPS` comes from `bench/bench_scan.py`: each step is there because it reads frames
that every step before it missed (see bench/README.md for the figures).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from station.adapters import qr_pyzbar, qr_zxing
from station.ports import QrReader
from station.scan import preprocess
from station.scan.preprocess import Gray

Transform = Callable[[Gray], Gray]


def zxing_fast(gray: Gray) -> list[bytes]:
    return qr_zxing.read_qr_bytes(gray, thorough=False)


def zxing_thorough(gray: Gray) -> list[bytes]:
    return qr_zxing.read_qr_bytes(gray, thorough=True)


def zxing_global(gray: Gray) -> list[bytes]:
    return qr_zxing.read_qr_bytes(gray, thorough=True, global_threshold=True)


def zbar(gray: Gray) -> list[bytes]:
    return qr_pyzbar.read_qr_bytes(gray)


#: The decoders on their own, by name, as the benchmark and tests refer to them.
READERS: dict[str, QrReader] = {
    "zxing": zxing_thorough,
    "zxing-fast": zxing_fast,
    "zbar": zbar,
}


@dataclass(frozen=True, slots=True)
class Step:
    """One attempt: a decoder on a transformed frame (`transform` None = the frame as is)."""

    name: str
    reader: QrReader
    transform: Transform | None = None
    #: Typical cost on a 720p frame (bench/scan_recovery_study.py); a step that would overrun
    #: the frame's budget is skipped, so a cheaper later step still gets its chance.
    typical_s: float = 0.001

    def run(self, gray: Gray) -> list[bytes]:
        return self.reader(self.transform(gray) if self.transform else gray)


@dataclass(frozen=True, slots=True)
class StrategyRead:
    """What one frame gave: the raw codes, which step found them, and the time spent."""

    codes: list[bytes]
    step: str | None
    steps_tried: int
    elapsed_s: float


#: Measured on 306 synthetic 720p frames and 137 real photos (bench/scan_recovery_study.py):
#: the fast path reads 87 %; each recovery below is, in order, the one that read the most
#: frames still unread per millisecond.  zbar earns its place last: on smoothed frames it
#: reads codes no zxing variant does.
DEFAULT_STEPS: tuple[Step, ...] = (
    Step("zxing", zxing_fast),
    Step("zxing-global@half", zxing_global, preprocess.half, 0.0003),
    Step("zxing-global", zxing_global, None, 0.0008),
    Step("zxing-global@inverted", zxing_global, preprocess.inverted, 0.0006),
    Step("zxing-global@sharpened", zxing_global, preprocess.sharpened, 0.0021),
    Step("zxing-global@thresholded", zxing_global, preprocess.thresholded, 0.0022),
    Step("zxing@equalized", zxing_thorough, preprocess.equalized, 0.008),
    Step("zbar@smoothed", zbar, preprocess.smoothed, 0.0124),
)

#: Per-frame time budget for camera frames: at 15-30 fps a frame that takes longer than this
#: delays the next read, and the person in front of the camera notices.
CAMERA_BUDGET_S = 0.040
#: A still image (file, pasted photo) is read once while a person waits: spend more.
STILL_BUDGET_S = 1.0


@dataclass(frozen=True, slots=True)
class ReadStrategy:
    steps: Sequence[Step] = DEFAULT_STEPS
    budget_s: float = CAMERA_BUDGET_S

    def read(self, gray: Gray) -> StrategyRead:
        """Run the steps in order until one finds a code or the budget is spent.

        The first step always runs; a later one runs only if its typical cost fits in the time
        left, so a frame rarely costs more than the budget.
        """
        started = time.perf_counter()
        tried = 0
        for step in self.steps:
            if tried and time.perf_counter() - started + step.typical_s > self.budget_s:
                continue
            tried += 1
            codes = step.run(gray)
            if codes:
                return StrategyRead(codes, step.name, tried, time.perf_counter() - started)
        return StrategyRead([], None, tried, time.perf_counter() - started)
