"""The core checks of `station doctor`: camera, display, clock, disk, storage, data, relay.

Each takes the `DoctorContext` and returns one `CheckOutcome`; none raises for a missing device
(that is a FAIL or SKIP with the reason). Device facts come from sysfs and procfs under the
context's roots, so tests stage a device in a temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from station.adapters.clock import SystemClock
from station.adapters.gate import BrokenGate, GpioGate, NullGate, open_gate
from station.adapters.hardware import open_camera
from station.cache.catalogue import SYNCED_SOURCES
from station.cache.database import open_cache
from station.cache.freshness import assess
from station.cache.sync_state import SyncStateStore
from station.cli.doctor_command import CheckOutcome, DoctorContext, Result
from station.paths import cache_db_path, enrollment_path, log_db_path
from station.scan.frames import SourceState
from station.settings import load_settings
from station.time_floor import TimeGuard

MB = 1024 * 1024
#: Below these the disk check fails / warns: the entry log must never run out of room.
FAIL_FREE_BYTES, WARN_FREE_BYTES = 200 * MB, 1024 * MB
FAIL_FREE_SHARE, WARN_FREE_SHARE = 0.05, 0.15
#: A 64 KiB write plus fsync slower than this points at a worn or slow SD card.
SLOW_FSYNC_S = 0.2
#: quick_check reads every page; larger caches are left to `sqlite3 cache.sqlite` by hand.
QUICK_CHECK_MAX_BYTES = 256 * MB
TOUCH_NAMES = re.compile(r"touch|ft5x06|goodix|raspberrypi-ts|ilitek", re.IGNORECASE)


def camera(ctx: DoctorContext) -> CheckOutcome:
    source = open_camera(ctx.hardware)
    frames, started = [], time.monotonic()
    try:
        while time.monotonic() - started < ctx.camera_seconds:
            frame = source.read()
            if frame is not None:
                frames.append(frame)
            elif source.state in (SourceState.DISCONNECTED, SourceState.ENDED):
                break
            else:
                time.sleep(0.005)
    finally:
        source.close()
    name = ctx.hardware.camera.source
    if not frames:
        return CheckOutcome("camera", "FAIL", f"{name}: {source.problem or 'no frames'}")
    height, width = frames[-1].image.shape[:2]
    span = frames[-1].at - frames[0].at
    fps = (len(frames) - 1) / span if span > 0 else 0.0
    figures = {"frames": len(frames), "width": width, "height": height, "fps": round(fps, 1)}
    found = f"{name}: {width}x{height} at {fps:.1f} fps"
    if source.state is SourceState.NO_SIGNAL:
        return CheckOutcome("camera", "WARN", f"{found}, but black or frozen", figures)
    return CheckOutcome("camera", "PASS", found, figures)


def display(ctx: DoctorContext) -> CheckOutcome:
    drm = ctx.sys_root / "class" / "drm"
    connected = [
        status.parent.name.split("-", 1)[1]
        for status in sorted(drm.glob("card*-*/status"))
        if _read(status) == "connected"
    ]
    if not connected:
        return CheckOutcome("display", "FAIL", "no screen connected (no DRM connector is)")
    sockets = sorted(ctx.run_root.glob("user/*/wayland-[0-9]"))
    touch = _touch_devices(ctx.proc_root)
    found = f"{', '.join(connected)} connected; touch: {', '.join(touch) or 'none found'}"
    figures = {"connectors": connected, "touch": touch}
    if not sockets:
        return CheckOutcome("display", "WARN", f"{found}; no Wayland compositor running", figures)
    return CheckOutcome("display", "PASS", f"{found}; compositor {sockets[0].name}", figures)


def clock(ctx: DoctorContext) -> CheckOutcome:
    flag = ctx.run_root / "systemd" / "timesync" / "synchronized"
    verdict = TimeGuard(ctx.base, ntp_synchronized=flag.exists).assess()
    rtc = (ctx.sys_root / "class" / "rtc" / "rtc0").exists()
    detail = f"{verdict.message} RTC {'present' if rtc else 'absent'}."
    figures = {**verdict.to_json(), "rtc": rtc}
    if not verdict.valid_verdicts_allowed:
        return CheckOutcome("clock", "FAIL", detail, figures)
    result: Result = "PASS" if verdict.purge_allowed else "WARN"
    return CheckOutcome("clock", result, detail, figures)


def disk(ctx: DoctorContext) -> CheckOutcome:
    try:
        ctx.base.mkdir(parents=True, exist_ok=True)
        stats = os.statvfs(ctx.base)
        write_s = _write_probe(ctx.base)
    except OSError as exc:
        return CheckOutcome("disk", "FAIL", f"cannot write in {ctx.base}: {exc.strerror}")
    free, total = stats.f_bavail * stats.f_frsize, stats.f_blocks * stats.f_frsize
    share = free / total if total else 0.0
    figures = {"free_mb": free // MB, "free_share": round(share, 3), "fsync_ms": write_s * 1e3}
    found = f"{free // MB} MB free ({share:.0%}); 64 KiB write+fsync {write_s * 1e3:.1f} ms"
    if free < FAIL_FREE_BYTES or share < FAIL_FREE_SHARE:
        return CheckOutcome("disk", "FAIL", f"{found}: too little room for the entry log", figures)
    if free < WARN_FREE_BYTES or share < WARN_FREE_SHARE or write_s > SLOW_FSYNC_S:
        return CheckOutcome("disk", "WARN", found, figures)
    return CheckOutcome("disk", "PASS", found, figures)


def storage(ctx: DoctorContext) -> CheckOutcome:
    problems: list[str] = []
    notes: list[str] = []
    for path in (log_db_path(ctx.base), cache_db_path(ctx.base)):
        if not path.exists():
            continue
        if path.stat().st_size > QUICK_CHECK_MAX_BYTES:
            notes.append(f"{path.name} not checked ({path.stat().st_size // MB} MB)")
            continue
        answer = _quick_check(path)
        (notes if answer == "ok" else problems).append(f"{path.name} {answer}")
    power = _power_warnings()
    if problems or power.startswith("under-voltage now"):
        return CheckOutcome("storage", "FAIL", "; ".join(problems + [power]).strip("; "))
    result: Result = "WARN" if power else "PASS"
    return CheckOutcome("storage", result, "; ".join(notes + [power or "power supply ok"]))


def data(ctx: DoctorContext) -> CheckOutcome:
    enrolled = enrollment_path(ctx.base).exists()
    cache = open_cache(cache_db_path(ctx.base))
    try:
        states = SyncStateStore(cache).all()
    finally:
        cache.close()
    expected = SYNCED_SOURCES if enrolled else ()
    health = assess(
        states, expected, load_settings(ctx.base).freshness_policy(), SystemClock().now()
    )
    figures = health.to_json()
    if not enrolled:
        return CheckOutcome("data", "WARN", "not enrolled with a hub (station enroll)", figures)
    behind = [s.reason for s in health.sources if s.state != "FRESH"]
    if health.state == "OK":
        return CheckOutcome("data", "PASS", f"{len(health.sources)} sources fresh", figures)
    result: Result = "WARN" if health.state == "WARN" else "FAIL"
    return CheckOutcome("data", result, "; ".join(behind[:3]), figures)


def relay(ctx: DoctorContext) -> CheckOutcome:
    config = ctx.hardware.gate
    gate = open_gate(config, pin_factory=ctx.pin_factory)
    wiring = ", ".join(
        f"{name} {out.pin}{'' if out.active_high else ' (active-low)'}"
        for name, out in config.outputs().items()
    )
    try:
        if isinstance(gate, BrokenGate):
            return CheckOutcome("relay", "FAIL", gate.problem)
        if isinstance(gate, NullGate) or not isinstance(gate, GpioGate):
            return CheckOutcome("relay", "SKIP", "no gate configured (hardware.toml [gate])")
        if not ctx.click_relay:
            return CheckOutcome("relay", "PASS", f"{wiring}: ready, all off; --click-relay tests")
        seen = gate.self_test()
    finally:
        gate.close()
    stuck = [name for name, levels in seen.items() if levels != (True, False)]
    figures = {name: list(levels) for name, levels in seen.items()}
    if stuck:
        return CheckOutcome("relay", "FAIL", f"did not switch: {', '.join(stuck)}", figures)
    return CheckOutcome("relay", "PASS", f"{wiring}: each switched on and off", figures)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""


def _touch_devices(proc_root: Path) -> list[str]:
    text = _read(proc_root / "bus" / "input" / "devices")
    names = re.findall(r'^N: Name="([^"]*)"', text, re.MULTILINE)
    return [name for name in names if TOUCH_NAMES.search(name)]


def _write_probe(base: Path) -> float:
    probe = base / ".doctor-probe"
    started = time.perf_counter()
    handle = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(handle, os.urandom(64 * 1024))
        os.fsync(handle)
    finally:
        os.close(handle)
        probe.unlink(missing_ok=True)
    return time.perf_counter() - started


def _quick_check(path: Path) -> str:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2.0)
        try:
            return str(conn.execute("PRAGMA quick_check").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"cannot be read: {exc}"


def _power_warnings() -> str:
    """The Pi firmware's throttling flags (vcgencmd); "" when fine or not a Pi."""
    tool = shutil.which("vcgencmd")
    if tool is None:
        return ""
    try:
        out = subprocess.run(
            [tool, "get_throttled"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
        flags = int(out.strip().split("=", 1)[1], 16)
    except (OSError, subprocess.TimeoutExpired, IndexError, ValueError):
        return ""
    if flags & 0x1:
        return "under-voltage now: use the official power supply (SD cards corrupt)"
    if flags & 0x10000:
        return "under-voltage happened since boot: check the power supply"
    if flags & 0x40004:
        return "the CPU was throttled (heat or power)"
    return ""
