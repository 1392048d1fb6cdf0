"""Benchmark: QR read rate and time per frame, each decoder alone and the combined strategy.

All readers run on the same images in one run: (a) the EU DCC conformance PNGs, (b) synthetic
1280x720 camera frames of every condition, (c) real photos (zxing-cpp's samples), plus the
false-positive photos (no code; any text read there is counted as a false read).  A read counts
only if the expected text is among the texts returned, byte for byte.

Targets (scanning issue): combined rate >= the best single decoder on every set, >= 90 % on the
synthetic set, 100 % on the DCC PNGs; per 720p frame median <= 10 ms and p95 <= 40 ms.  The
last table checks that decoding really runs in parallel threads (both libraries release the GIL).

Run:  .venv/bin/python bench/bench_scan.py [--quick]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan_sets import SETS, Sample, read_with_opencv  # noqa: E402

from station.scan import distinct_texts, read_codes  # noqa: E402
from station.scan.preprocess import bounded, to_grayscale  # noqa: E402
from station.scan.strategy import READERS  # noqa: E402

Reader = Callable[[np.ndarray], list[str]]


def opencv_reader(image: np.ndarray) -> list[str]:
    return read_with_opencv(bounded(to_grayscale(image)))


def single(name: str) -> Reader:
    decode = READERS[name]
    return lambda image: distinct_texts(decode(bounded(to_grayscale(image))))


ROWS: dict[str, Reader] = {
    "pyzbar": single("zbar"),
    "zxing-cpp": single("zxing"),
    "opencv": opencv_reader,
    "combined": read_codes,
}


def run_set(samples: list[Sample]) -> dict[str, tuple[int, int, int, list[float]]]:
    """Per reader: (reads, images with a code, false reads, ms per image)."""
    results: dict[str, tuple[int, int, int, list[float]]] = {}
    for name, reader in ROWS.items():
        hits = with_code = false_reads = 0
        times: list[float] = []
        for sample in samples:
            start = time.perf_counter()
            texts = reader(sample.image)
            times.append((time.perf_counter() - start) * 1000)
            if sample.expected is None:
                false_reads += bool(texts)
            else:
                with_code += 1
                hits += sample.expected in texts
        results[name] = (hits, with_code, false_reads, times)
    return results


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def print_table(set_name: str, results: dict[str, tuple[int, int, int, list[float]]]) -> None:
    print(f"\n{set_name}")
    print(f"  {'reader':<11}{'read':>10}{'rate':>8}{'false':>7}{'median ms':>11}{'p95 ms':>9}")
    for name, (hits, total, false_reads, times) in results.items():
        rate = 100 * hits / total if total else 0.0
        print(
            f"  {name:<11}{hits:>5}/{total:<4}{rate:>7.1f}%{false_reads:>7}"
            f"{statistics.median(times):>11.2f}{percentile(times, 0.95):>9.2f}"
        )


def parallel_speedup(frames: list[np.ndarray]) -> tuple[float, float]:
    """Frames per second decoding with one thread and with two (GIL released => ~2x on 2 cores)."""

    def work(chunk: list[np.ndarray]) -> None:
        for frame in chunk:
            read_codes(frame)

    start = time.perf_counter()
    work(frames)
    one = len(frames) / (time.perf_counter() - start)
    threads = [threading.Thread(target=work, args=(frames[i::2],)) for i in range(2)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    two = len(frames) / (time.perf_counter() - start)
    return one, two


def main() -> None:
    parser = argparse.ArgumentParser(description="QR read rate and time per frame")
    parser.add_argument("--quick", action="store_true", help="8 synthetic frames per condition")
    args = parser.parse_args()
    np.seterr(all="ignore")
    loaded = {
        "dgc_pngs": list(SETS["dgc_pngs"]()),
        "synthetic": list(SETS["synthetic"](8 if args.quick else 25)),
        "real_photos": list(SETS["real_photos"]()),
    }
    verdicts = []
    combined_synthetic: tuple[int, int, int, list[float]] | None = None
    for set_name, samples in loaded.items():
        results = run_set(samples)
        print_table(f"{set_name} ({len(samples)} images)", results)
        best_single = max(r[0] for n, r in results.items() if n != "combined")
        combined = results["combined"]
        verdicts.append(combined[0] >= best_single)
        if set_name == "synthetic":
            combined_synthetic = combined
    assert combined_synthetic is not None
    print("\nsynthetic set by condition (combined)")
    by_condition: dict[str, list[bool]] = {}
    for sample in loaded["synthetic"]:
        by_condition.setdefault(sample.group, []).append(
            sample.expected in read_codes(sample.image)
        )
    for condition, hits in by_condition.items():
        print(f"  {condition:<14}{sum(hits):>4}/{len(hits):<4}{100 * sum(hits) / len(hits):>7.1f}%")
    frames = [s.image for s in loaded["synthetic"][:120]]
    one, two = parallel_speedup(frames)
    print(
        f"\ndecoding threads: 1 thread {one:.0f} frames/s, 2 threads {two:.0f} frames/s "
        f"({two / one:.2f}x)"
    )
    hits, total, _, times = combined_synthetic
    median, p95 = statistics.median(times), percentile(times, 0.95)
    print(
        f"\nsummary: combined beats or equals every single decoder on "
        f"{sum(verdicts)}/{len(verdicts)} sets; synthetic {100 * hits / total:.1f}% "
        f"(target >= 90%); 720p median {median:.1f} ms, p95 {p95:.1f} ms (targets 10/40); "
        f"Pi 4 estimate x3-5: median {3 * median:.0f}-{5 * median:.0f} ms, "
        f"p95 {3 * p95:.0f}-{5 * p95:.0f} ms"
    )


if __name__ == "__main__":
    main()
