"""Benchmark: the kiosk's own overheads on this machine (the Pi figures are scaled from these in
firmware_notes/measurements.md).

What is timed, and why:
- `TimeGuard.assess()`: the GUI judges the clock before every verdict and the purge before it
  runs; with an empty data folder, and on top of an entry log of 10,000 entries (the first
  call reads them all, later calls only the new ones);
- `apply_clock_policy` on a verdict;
- `GpioGate.on_verdict("VALID")` until the relay pin has switched (gpiozero MockFactory: the
  Python side of a gate opening, not the relay's own ~10 ms of mechanics), and how long the
  gate really stays open for `open_s` = 0.3 s;
- one sd_notify watchdog ping over a real AF_UNIX datagram socket;
- a 64 KiB write + fsync in the data folder (what the disk check measures);
- the doctor's conformance run (8 known answers drawn as QR images and read back, plus the
  vendored dgc-testdata files), `station --version` as a fresh process (the floor of a
  restart after a crash), and `station doctor` end to end as a fresh process;
- `station run --kiosk` as a fresh process (offscreen, a folder of QR images as its camera)
  from launch until it says READY=1 on a real NOTIFY_SOCKET: what a restart after a crash
  costs on top of the unit's RestartSec (reliability plan T31).

Run:  .venv/bin/python bench/bench_kiosk.py [--quick]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import os
import platform
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gpiozero.pins.mock import MockFactory
from timing import iterations_from_args, measure_rounds, percentiles

from station.adapters.gate import GateConfig, GpioGate, OutputPin
from station.adapters.sd_notify import ServiceNotifier
from station.cli.doctor_vectors import default_vectors, dgc_vectors, known_answers
from station.entrylog.writer import EntryLog
from station.issuer.qr_image import qr_png
from station.model import Check
from station.paths import log_db_path
from station.time_floor import TimeGuard, apply_clock_policy
from station.verify.outcome import build_result

ROOT = Path(__file__).resolve().parent.parent
STATION = ROOT / ".venv" / "bin" / "station"


def main(argv: list[str] | None = None) -> None:
    iterations, warmup = iterations_from_args(__doc__ or "", argv, full=2000, quick=200)
    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cores")
    rows: list[tuple[str, float, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-kiosk-") as folder:
        base = Path(folder)
        rows += time_guard_rows(base, iterations, warmup)
        rows += gate_rows(iterations // 10)
        rows += notify_rows(base, iterations, warmup)
        rows += fsync_rows(base, max(20, iterations // 20))
        rows += once_rows(base)
        rows += kiosk_ready_rows(base)
    print(f"{'case':<46} {'median':>12} {'p95':>12}  unit")
    for name, median, p95, unit in rows:
        print(f"{name:<46} {median:>12.1f} {p95:>12.1f}  {unit}")
    figures = {name: median for name, median, _, _ in rows}
    print(
        "summary: "
        f"assess {figures['TimeGuard.assess() (10k-entry log, warm)']:.0f} µs, "
        f"gate {figures['gate on_verdict(VALID) until relay pin on']:.0f} µs, "
        f"ping {figures['sd_notify WATCHDOG=1']:.0f} µs, "
        f"doctor {figures['station doctor (fresh process)']:.2f} s, "
        f"kiosk ready {figures[KIOSK_READY]:.2f} s"
    )


def time_guard_rows(
    base: Path, iterations: int, warmup: int
) -> list[tuple[str, float, float, str]]:
    empty, logged = base / "empty", base / "logged"
    empty.mkdir()
    logged.mkdir()
    now = datetime.now(UTC)
    verdict = build_result("DCC", [Check.passed("signature")], now, None)
    with EntryLog(log_db_path(logged), sealing_key=None) as log:
        for number in range(10_000):
            log.record(
                verdict,
                direction="in",
                checkpoint_id="gate-1",
                clock_trusted=True,
                now=now - timedelta(seconds=10_000 - number),
            )
    started = time.perf_counter()
    guard = TimeGuard(logged, ntp_synchronized=lambda: True)
    guard.assess()
    first = (time.perf_counter() - started) * 1e3
    clock = TimeGuard(empty, ntp_synchronized=lambda: True).assess()
    samples = measure_rounds(
        [
            ("TimeGuard.assess() (empty data folder)", TimeGuard(empty).assess),
            ("TimeGuard.assess() (10k-entry log, warm)", guard.assess),
            ("apply_clock_policy(verdict)", lambda: apply_clock_policy(verdict, clock)),
        ],
        iterations // 4,
        warmup,
    )
    rows = [(name, *percentiles(values), "µs") for name, values in samples.items()]
    return [*rows, ("TimeGuard.assess() first read of a 10k-entry log", first, first, "ms")]


def gate_rows(rounds: int) -> list[tuple[str, float, float, str]]:
    factory = MockFactory()
    gate = GpioGate(GateConfig(relay=OutputPin(17, active_high=False)), pin_factory=factory)
    latencies = []
    for _ in range(rounds):
        started = time.perf_counter_ns()
        gate.on_verdict("VALID")
        while gate.level("relay") is not True:
            pass
        latencies.append(time.perf_counter_ns() - started)
        gate.safe_state()
    held = []
    gate = GpioGate(GateConfig(relay=OutputPin(18), open_s=0.3), pin_factory=factory)
    for _ in range(5):
        gate.on_verdict("VALID")
        started = time.perf_counter()
        wait_until(lambda: gate.level("relay") is False)
        held.append((time.perf_counter() - started) * 1e3)
    gate.close()
    median, p95 = percentiles(latencies)
    return [
        ("gate on_verdict(VALID) until relay pin on", median, p95, "µs"),
        ("gate open time for open_s = 300 ms", statistics.median(held), max(held), "ms"),
    ]


def notify_rows(base: Path, iterations: int, warmup: int) -> list[tuple[str, float, float, str]]:
    path = base / "notify.sock"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    receiver.setblocking(False)
    notifier = ServiceNotifier(str(path))

    def ping() -> None:
        notifier.watchdog()
        receiver.recv(64)

    samples = measure_rounds([("sd_notify WATCHDOG=1", ping)], iterations, warmup)
    receiver.close()
    return [(name, *percentiles(values), "µs") for name, values in samples.items()]


def fsync_rows(base: Path, rounds: int) -> list[tuple[str, float, float, str]]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter_ns()
        handle = os.open(base / "probe", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(handle, os.urandom(64 * 1024))
        os.fsync(handle)
        os.close(handle)
        samples.append(time.perf_counter_ns() - started)
    median, p95 = percentiles(samples)
    return [("64 KiB write + fsync (data folder)", median / 1e3, p95 / 1e3, "ms")]


def once_rows(base: Path) -> list[tuple[str, float, float, str]]:
    rows = []
    started = time.perf_counter()
    count, _ = known_answers()
    rows.append((f"doctor known answers ({count} QR images)", time.perf_counter() - started))
    vectors = default_vectors()
    if vectors is not None:
        started = time.perf_counter()
        files, _, _ = dgc_vectors(vectors)
        rows.append((f"doctor dgc-testdata ({files} files)", time.perf_counter() - started))
    env = {**os.environ, "STATION_DATA_DIR": str(base / "doctor")}
    for label, args in (
        ("station --version (fresh process)", ["--version"]),
        ("station doctor (fresh process)", ["doctor", "--camera-seconds", "1"]),
    ):
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([str(STATION), *args], env=env, capture_output=True, check=False)
            runs.append(time.perf_counter() - started)
        rows.append((label, statistics.median(runs)))
    return [(name, seconds, seconds, "s") for name, seconds in rows]


KIOSK_READY = "station run --kiosk: launch -> READY=1"


def kiosk_ready_rows(base: Path) -> list[tuple[str, float, float, str]]:
    """Median of 5 fresh kiosk launches until systemd would see READY=1 (the p95 column holds
    the slowest of the 5)."""
    frames = base / "kiosk-frames"
    frames.mkdir()
    (frames / "pass.png").write_bytes(qr_png("HC1:NOT-A-REAL-PASS"))
    runs = []
    for attempt in range(5):
        address = str(base / f"notify-{attempt}")
        receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        receiver.bind(address)
        receiver.settimeout(60)
        env = {
            **os.environ,
            "STATION_DATA_DIR": str(base / f"kiosk-{attempt}"),
            "NOTIFY_SOCKET": address,
            "QT_QPA_PLATFORM": "offscreen",
        }
        command = [str(STATION), "run", "--kiosk", "--no-sound", "--source", f"file:{frames}"]
        started = time.perf_counter()
        app = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            while not receiver.recv(4096).startswith(b"READY=1"):
                pass
            runs.append(time.perf_counter() - started)
        finally:
            app.terminate()
            app.wait(timeout=30)
            receiver.close()
    return [(KIOSK_READY, statistics.median(runs), max(runs), "s")]


def wait_until(condition: Callable[[], bool]) -> None:
    while not condition():
        time.sleep(0.0005)


if __name__ == "__main__":
    main()
