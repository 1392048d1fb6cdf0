"""Which recoveries earn a place in the read strategy, measured rather than guessed.

For every frame the fast path (zxing-cpp, no extra passes) misses, every candidate step (a
decoder on a transformed frame) is tried on its own.  The table gives each candidate's extra
reads and cost; the greedy order below it (most extra reads per millisecond first, counting only
frames no earlier step read) is the evidence behind `DEFAULT_STEPS` in station/scan/strategy.py.

Run:  .venv/bin/python bench/scan_recovery_study.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan_sets import read_with_opencv, real_photos, synthetic  # noqa: E402

from station.codec.text import qr_bytes_to_text  # noqa: E402
from station.scan import preprocess  # noqa: E402
from station.scan.preprocess import Gray, bounded, to_grayscale  # noqa: E402
from station.scan.strategy import zbar, zxing_fast, zxing_global, zxing_thorough  # noqa: E402

Reader = Callable[[Gray], list[bytes]]


def opencv_aruco(gray: Gray) -> list[bytes]:
    return [text.encode("utf-8") for text in read_with_opencv(gray)]


READERS: dict[str, Reader] = {
    "zxing": zxing_thorough,
    "zxing/global": zxing_global,
    "zbar": zbar,
    "opencv": opencv_aruco,
}
TRANSFORMS: dict[str, Callable[[Gray], Gray] | None] = {
    "": None,
    "@equalized": preprocess.equalized,
    "@stretched": preprocess.stretched,
    "@thresholded": preprocess.thresholded,
    "@smoothed": preprocess.smoothed,
    "@sharpened": preprocess.sharpened,
    "@half": preprocess.half,
    "@double": preprocess.double,
    "@inverted": preprocess.inverted,
}


def candidates() -> dict[str, Reader]:
    steps: dict[str, Reader] = {}
    for reader_name, reader in READERS.items():
        for suffix, transform in TRANSFORMS.items():
            if reader_name == "opencv" and suffix not in ("", "@equalized"):
                continue  # OpenCV is slow; only its plain and equalized runs are worth a look
            steps[reader_name + suffix] = _compose(reader, transform)
    return steps


def _compose(reader: Reader, transform: Callable[[Gray], Gray] | None) -> Reader:
    return reader if transform is None else (lambda gray: reader(transform(gray)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="8 synthetic frames per condition")
    args = parser.parse_args()
    per_condition = 8 if args.quick else 25
    steps = candidates()
    missed: list[tuple[str, Gray, str]] = []
    total = 0
    samples = [*synthetic(per_condition), *real_photos()]
    for sample in samples:
        if sample.expected is None:
            continue
        total += 1
        gray = bounded(to_grayscale(sample.image))
        if sample.expected not in [qr_bytes_to_text(c) for c in zxing_fast(gray)]:
            missed.append((sample.name, gray, sample.expected))
    print(f"fast path missed {len(missed)} of {total} frames with a code\n")
    wins: dict[str, set[int]] = {}
    costs: dict[str, float] = {}
    for name, step in steps.items():
        times, hits = [], set()
        for index, (_, gray, expected) in enumerate(missed):
            start = time.perf_counter()
            found = step(gray)
            times.append((time.perf_counter() - start) * 1000)
            if expected in [qr_bytes_to_text(c) for c in found]:
                hits.add(index)
        wins[name], costs[name] = hits, statistics.median(times) if times else 0.0
    print(f"{'candidate':<24}{'extra reads':>12}{'median ms':>11}")
    for name in sorted(steps, key=lambda n: -len(wins[n])):
        print(f"{name:<24}{len(wins[name]):>12}{costs[name]:>11.2f}")
    print("\ngreedy order (extra reads per ms, new frames only):")
    covered: set[int] = set()
    spent = 0.0
    while True:
        gains = {n: len(wins[n] - covered) / max(costs[n], 0.05) for n in steps}
        best = max(gains, key=lambda n: gains[n])
        if not wins[best] - covered:
            break
        new = wins[best] - covered
        covered |= new
        spent += costs[best]
        print(f"  + {best:<22} +{len(new):>3} frames ({costs[best]:.2f} ms, {spent:.1f} ms in all)")
    unread = [missed[i][0] for i in range(len(missed)) if i not in covered]
    print(f"\nunread by every candidate: {len(unread)}: {', '.join(unread[:30])}")
    print(
        f"summary: fast path misses {len(missed)}/{total}; candidates recover {len(covered)}; "
        f"{len(unread)} unread"
    )


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
