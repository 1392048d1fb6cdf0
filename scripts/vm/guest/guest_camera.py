"""Phase 1, part 2: a real V4L2 camera for `station scan`.

v4l2loopback (built by dkms for this kernel when the image was made) gives /dev/video0; the
feeder writes the demo credentials' QR codes into its output side; `station scan --source
camera:0 --json` reads the capture side through OpenCV's V4L2 backend, the code path a USB
UVC webcam takes, and must print each credential's labelled verdict.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guest_common import (
    CURRENT,
    DATA_DIR,
    PYTHON,
    STATION,
    USER,
    Results,
    Runner,
    as_user,
    wait_until,
)
from guest_install import WORLD

FEEDER = Path("/mnt/repo/scripts/vm/guest/vm_feeder.py")
SCHEDULE = Path("/run/vm-feeder.jsonl")
DEVICE = "/dev/video0"
#: Two rounds of the 23-credential show (2.5 s each) and some margin for opening the camera.
SCAN_SECONDS = 150
RATE_PROBE = """
import sys, time
from station.scan.sources import SourceOptions, open_source
source = open_source("camera:0", SourceOptions(width=1280, height=720))
first = None
count = 0
end = time.monotonic() + 15
while time.monotonic() < end and count < 75:
    frame = source.read()
    if frame is not None:
        first = first or time.monotonic()
        count += 1
rate = (count - 1) / (time.monotonic() - first) if first and count > 1 else 0.0
shape = frame.image.shape if frame is not None else None
print(f"{count} {rate:.2f} {shape}")
"""


class Feeder:
    """The feeder process (root, the release's Python) writing into the loopback device."""

    def __init__(self, run: Runner) -> None:
        self.run = run
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, only: int | None = None) -> None:
        self.stop()
        SCHEDULE.unlink(missing_ok=True)
        command = [PYTHON, str(FEEDER), "--device", DEVICE, "--world", str(WORLD)]
        command += ["--schedule", str(SCHEDULE)] + (["--only", str(only)] if only else [])
        self.run.results.log("feeder: " + " ".join(command))
        self.process = subprocess.Popen(command)
        # Writing starts once every picture is composed: wait for the first schedule line.
        wait_until(lambda: SCHEDULE.exists() or not self.alive(), timeout=120)
        time.sleep(0.5)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def camera_checks(results: Results, run: Runner, feeder: Feeder) -> bool:
    started = time.monotonic()
    loaded = run.ok(
        [
            "modprobe",
            "v4l2loopback",
            "devices=1",
            "video_nr=0",
            "exclusive_caps=1",
            "card_label=VM loopback webcam",
        ],
    )
    listing = run.run(["v4l2-ctl", "--list-devices"]).stdout.strip()
    results.record("v4l2_devices", listing)
    if not results.step(
        "camera: v4l2loopback loaded",
        loaded,
        listing.replace("\n", " "),
        time.monotonic() - started,
    ):
        return False
    feeder.start()
    formats = run.run(["v4l2-ctl", "-d", DEVICE, "--get-fmt-video"]).stdout
    results.record("v4l2_format", formats)
    results.step("camera: feeder writing YUYV 1280x720", feeder.alive(), _format_line(formats))
    scan_ok = _scan(results, run)
    _read_rate(results, run)
    _hardware_tests(results, run, feeder)
    return scan_ok


def _format_line(text: str) -> str:
    parts = [
        line.strip() for line in text.splitlines() if "Width/Height" in line or "Pixel" in line
    ]
    return "; ".join(parts) or "format unknown"


@dataclass
class Verdict:
    number: int
    status: str
    reason: str
    latency_ms: float
    since_shown_s: float


def _scan(results: Results, run: Runner) -> bool:
    manifest = json.loads((WORLD / "manifest.json").read_text())
    expected = {c["number"]: c for c in manifest["credentials"]}
    command = [
        STATION,
        "--data-dir",
        str(DATA_DIR),
        "scan",
        "--source",
        "camera:0",
        "--json",
        "--duration",
        str(SCAN_SECONDS),
    ]
    full = as_user(command, USER, {"HOME": f"/home/{USER}"})
    results.log("$ " + " ".join(full))
    started = time.monotonic()
    arrivals: list[tuple[float, dict[str, Any]]] = []
    with subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as scan:
        assert scan.stdout is not None
        for line in scan.stdout:
            arrivals.append((time.monotonic(), json.loads(line)))
            if len(_attribute(arrivals, expected)) == len(expected):
                scan.terminate()
                break
        _, errors = scan.communicate(timeout=30)
    results.record("scan_stderr", errors[-4000:])
    results.record(
        "scan_lines",
        [
            {key: body.get(key) for key in ("format", "status", "reason", "latency_ms")}
            | {"arrived_s": round(arrived - started, 3)}
            for arrived, body in arrivals
        ],
    )
    verdicts = _attribute(arrivals, expected)
    return _judge(results, expected, verdicts, len(arrivals), time.monotonic() - started)


#: Result formats named after the family that issued them (national QRs are routed by content).
FAMILY_FORMATS = frozenset({"dcc", "ddcc", "divoc", "nzcp", "vds", "shc"})


def _attribute(
    arrivals: list[tuple[float, dict[str, Any]]], expected: dict[int, Any]
) -> dict[int, Verdict]:
    """First verdict per credential. The frame was captured at the arrival time minus the
    reported latency; the feeder's schedule says what was on screen then. Frames can wait a
    little in the driver's buffers, so the picture before the current one (across the empty
    gap) is also a candidate, and a verdict whose format names a family only goes to a
    credential of that family."""
    schedule = [json.loads(line) for line in SCHEDULE.read_text().splitlines() if line]
    found: dict[int, Verdict] = {}
    for arrived, body in arrivals:
        captured = arrived - body.get("latency_ms", 0) / 1000
        shown = _picture(schedule, captured, body.get("format"), expected)
        if shown is None or shown["number"] in found:
            continue
        found[shown["number"]] = Verdict(
            shown["number"],
            body["status"],
            body["reason"],
            body["latency_ms"],
            arrived - shown["at"],
        )
    return found


def _picture(
    schedule: list[dict[str, Any]], captured: float, fmt: Any, expected: dict[int, Any]
) -> dict[str, Any] | None:
    recent = [s for s in schedule if s["at"] <= captured][-3:]
    for shown in reversed(recent):
        credential = expected.get(shown["number"])
        if credential and (fmt not in FAMILY_FORMATS or credential["family"] == fmt):
            return dict(shown)
    return None


def _judge(
    results: Results,
    expected: dict[int, Any],
    verdicts: dict[int, Verdict],
    lines: int,
    took: float,
) -> bool:
    rows = []
    for number, credential in sorted(expected.items()):
        got = verdicts.get(number)
        rows.append(
            {
                "number": number,
                "label": credential["label"],
                "family": credential["family"],
                "expected": credential["expected"],
                "expected_reason": credential["expected_reason"],
                "status": got.status if got else None,
                "reason": got.reason if got else None,
                "latency_ms": got.latency_ms if got else None,
                "since_shown_s": round(got.since_shown_s, 3) if got else None,
            }
        )
    results.record("scan_verdicts", rows)
    read = [r for r in rows if r["status"] is not None]
    wrong = [r for r in read if r["status"] != r["expected"]]
    ok = len(read) == len(rows) and not wrong
    detail = f"{len(read)}/{len(rows)} credentials read, {len(wrong)} verdicts not as labelled"
    detail += f", {lines} verdict lines in {took:.0f} s"
    if wrong:
        detail += "; " + "; ".join(f"#{r['number']} {r['status']}≠{r['expected']}" for r in wrong)
    results.step("camera: station scan --source camera:0 verdicts as labelled", ok, detail, took)
    if read:
        shown = [r["since_shown_s"] for r in read]
        results.figure("scan_first_verdict_s_median", statistics.median(shown))
        results.figure("scan_first_verdict_s_max", max(shown))
        results.figure(
            "scan_frame_to_verdict_ms_median", statistics.median(r["latency_ms"] for r in read)
        )
    return ok


def _read_rate(results: Results, run: Runner) -> None:
    """Frames per second the station's OpenCV source gets from the loopback webcam."""
    done = run.run([PYTHON, "-c", RATE_PROBE], user=USER, env={"HOME": f"/home/{USER}"})
    parts = done.stdout.split(maxsplit=2)
    if done.returncode != 0 or len(parts) < 2:
        results.step("camera: frame rate read through OpenCV", False, "probe failed")
        return
    results.figure("camera_read_fps", float(parts[1]))
    ok = float(parts[1]) > 5
    results.step(
        "camera: frame rate read through OpenCV",
        ok,
        f"{parts[0]} frames at {parts[1]} fps, frame shape {parts[2].strip()}",
    )


def _hardware_tests(results: Results, run: Runner, feeder: Feeder) -> None:
    """tests/hardware/test_real_camera.py with STATION_CAMERA=camera:0, the first credential
    held steadily in view (STATION_CAMERA_EXPECT), as on a device."""
    manifest = json.loads((WORLD / "manifest.json").read_text())
    first = manifest["credentials"][0]
    feeder.start(only=first["number"])
    env = {
        "HOME": f"/home/{USER}",
        "STATION_CAMERA": "camera:0",
        "STATION_CAMERA_EXPECT": first["text"],
        "QT_QPA_PLATFORM": "offscreen",
    }
    started = time.monotonic()
    done = run.run(
        [
            PYTHON,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-v",  # cancels the project's addopts -q: the summary line names the counts
            "-rs",
            "tests/hardware/test_real_camera.py",
        ],
        user=USER,
        env=env,
        cwd=str(CURRENT),
        timeout=300,
    )
    summary = (done.stdout.strip().splitlines() or ["no output"])[-1]
    ok = done.returncode == 0 and "passed" in summary and "skipped" not in summary
    results.record("hardware_pytest", done.stdout[-4000:])
    results.step(
        "camera: tests/hardware/test_real_camera.py", ok, summary, time.monotonic() - started
    )
