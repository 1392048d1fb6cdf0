"""Report: how often a bare decoder reads the synthetic camera frames, per capture condition.

Why this exists: the station's read strategy is tuned on `station.issuer.camera_scenes` frames,
so those frames must be about as hard as a real kiosk camera's. This script shows whether they
are: it builds `--frames` frames per condition from `sample_texts()` (equal counts, so every
row has the same sample size) and reads each frame's grayscale with two decoders on their own,
with their default settings and no preprocessing:

- zxing-cpp: `zxingcpp.read_barcodes(gray)`;
- zbar: `station.adapters.qr_pyzbar.read_qr_bytes(gray)` (raw bytes, so UTF-8 names compare
  exactly).

A frame counts as read when a decoded payload equals the frame's text. The "overall" row
weights the conditions by `CONDITION_SHARES`, i.e. it is the rate on a mixed set in which
inverted codes are rare, as in the field. Times are the median milliseconds per call.

Neither extreme is a useful target: a set that both decoders read almost always cannot tell
strategies apart, and one they almost never read is not what a kiosk sees. On another
synthetic 720p set, zxing-cpp alone read about 69 % and zbar about 42 %; rates far from
those call for a second look at the generator's ranges (their physics, not the numbers).

Run:  .venv/bin/python bench/scan_conditions_report.py [--frames 30] [--seed 0]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
import zxingcpp
from numpy.typing import NDArray

from station.adapters.qr_pyzbar import read_qr_bytes
from station.issuer.camera_scenes.conditions import CONDITION_SHARES, CONDITIONS
from station.issuer.camera_scenes.frames import SyntheticFrame, synth_set
from station.issuer.camera_scenes.samples import sample_texts

Gray = NDArray[np.uint8]


@dataclass
class Tally:
    """Reads and timings of one decoder on one condition."""

    reads: int = 0
    frames: int = 0
    ms: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.reads / self.frames if self.frames else 0.0


def zxing_reads(gray: Gray, text: str) -> bool:
    return any(result.text == text for result in zxingcpp.read_barcodes(gray))


def zbar_reads(gray: Gray, text: str) -> bool:
    return text.encode("utf-8") in read_qr_bytes(gray)


DECODERS: dict[str, Callable[[Gray, str], bool]] = {"zxing-cpp": zxing_reads, "zbar": zbar_reads}


def measure(frames: Iterable[SyntheticFrame]) -> tuple[dict[str, dict[str, Tally]], float]:
    """Tallies per condition and decoder, and the mean generation time per frame (ms)."""
    tallies: dict[str, dict[str, Tally]] = {}
    generation: list[float] = []
    iterator = iter(frames)  # timed one frame at a time: the set is generated lazily
    while True:
        start = time.perf_counter()
        frame = next(iterator, None)
        if frame is None:
            break
        generation.append((time.perf_counter() - start) * 1000)
        gray = np.asarray(cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY), np.uint8)
        row = tallies.setdefault(frame.condition, {name: Tally() for name in DECODERS})
        for name, decode in DECODERS.items():
            start = time.perf_counter()
            ok = decode(gray, frame.text)
            row[name].ms.append((time.perf_counter() - start) * 1000)
            row[name].frames += 1
            row[name].reads += ok
    return tallies, statistics.fmean(generation)


def overall(tallies: dict[str, dict[str, Tally]], decoder: str) -> tuple[float, float]:
    """Share-weighted read rate and median time over all conditions."""
    weights = {condition: CONDITION_SHARES.get(condition, 1.0) for condition in tallies}
    total = sum(weights.values())
    rate = sum(weights[c] * tallies[c][decoder].rate for c in tallies) / total
    times = [ms for row in tallies.values() for ms in row[decoder].ms]
    return rate, statistics.median(times)


def report(tallies: dict[str, dict[str, Tally]]) -> None:
    names = list(DECODERS)
    header = f"{'condition':<14}{'frames':>7}" + "".join(
        f"{name + ' read':>16}{'ms':>8}" for name in names
    )
    print(header)
    print("-" * len(header))
    for condition in CONDITIONS:
        if condition not in tallies:
            continue
        row = tallies[condition]
        cells = "".join(f"{row[n].rate:>15.0%} {statistics.median(row[n].ms):>7.1f}" for n in names)
        print(f"{condition:<14}{row[names[0]].frames:>7}{cells}")
    print("-" * len(header))
    cells = ""
    for name in names:
        rate, ms = overall(tallies, name)
        cells += f"{rate:>15.0%} {ms:>7.1f}"
    print(f"{'overall':<14}{'':>7}{cells}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=30, help="frames per condition")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    frames = synth_set(sample_texts(), args.frames, seed=args.seed, shares=None)
    tallies, generation_ms = measure(frames)
    report(tallies)
    shares = ", ".join(f"{c} {s:g}" for c, s in CONDITION_SHARES.items() if s != 1.0)
    rates = "  ".join(f"{name} {overall(tallies, name)[0]:.0%}" for name in DECODERS)
    print(f"\nsummary: overall read rate (shares: {shares}): {rates}; ", end="")
    print(f"generation {generation_ms:.1f} ms/frame")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
