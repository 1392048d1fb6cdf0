"""Phase 1, part 3: the three units on a real systemd (PID 1, cgroups, sd_notify, watchdog).

The kiosk needs a Wayland compositor: weston's headless backend with its kiosk shell, run as
"station" under a lingering user session so its socket appears at /run/user/1000/wayland-0,
where the unit looks (on the Pi, lightdm's autologin starts labwc there).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import time
from pathlib import Path

from guest_common import (
    DATA_DIR,
    UID,
    USER,
    Results,
    Runner,
    unit_properties,
    wait_until,
    write_file,
)

UNITS = ("station-sync", "station-upload", "station-kiosk")
HUB_DB = Path("/srv/vm-hub/hub.sqlite")
SOCKET = Path(f"/run/user/{UID}/wayland-0")
COMPOSITOR_UNIT = f"""[Unit]
Description=Headless Wayland compositor (stands in for the Pi's autologin labwc session)
Requires=user-runtime-dir@{UID}.service
After=user-runtime-dir@{UID}.service

[Service]
User={USER}
Environment=XDG_RUNTIME_DIR=/run/user/{UID}
ExecStart=/usr/bin/weston --backend=headless-backend.so --shell=kiosk-shell.so \
    --socket=wayland-0 --width=1280 --height=800 --idle-time=0
Restart=always

[Install]
WantedBy=graphical.target
"""


def compositor(results: Results, run: Runner) -> bool:
    started = time.monotonic()
    run.run(["loginctl", "enable-linger", USER])
    write_file(Path("/etc/systemd/system/vm-compositor.service"), COMPOSITOR_UNIT)
    run.run(["systemctl", "daemon-reload"])
    run.run(["systemctl", "enable", "--now", "vm-compositor.service"])
    waited = wait_until(SOCKET.is_socket, timeout=30)
    detail = f"{SOCKET} after {waited:.1f} s" if waited is not None else f"no {SOCKET}"
    return results.step(
        "kiosk: weston headless as station", waited is not None, detail, time.monotonic() - started
    )


def start_units(results: Results, run: Runner) -> bool:
    started = time.monotonic()
    run.run(["systemctl", "enable", "--now", *(f"{u}.service" for u in UNITS)], timeout=300)
    all_ok = True
    for unit in UNITS:
        waited = wait_until(lambda u=unit: _active(u), timeout=180, every=0.2)
        props = unit_properties(
            unit,
            "StatusText",
            "ExecMainStartTimestampMonotonic",
            "ActiveEnterTimestampMonotonic",
            "NotifyAccess",
            "Type",
        )
        ready = _seconds_between(
            props, "ExecMainStartTimestampMonotonic", "ActiveEnterTimestampMonotonic"
        )
        if ready is not None:
            results.figure(f"{unit}_start_to_ready_s", ready)
        if waited is None:
            status = run.run(["systemctl", "status", "--no-pager", "-n", "40", unit])
            results.record(f"status_{unit}", status.stdout[-4000:])
        detail = (
            f"Type={props.get('Type')}, READY=1 after {ready} s, status {props.get('StatusText')!r}"
        )
        all_ok &= results.step(
            f"services: {unit} active (READY=1)",
            waited is not None,
            detail,
            time.monotonic() - started,
        )
    return all_ok


def _active(unit: str) -> bool:
    return unit_properties(unit, "ActiveState")["ActiveState"] == "active"


def _seconds_between(props: dict[str, str], start: str, end: str) -> float | None:
    try:
        return round((int(props[end]) - int(props[start])) / 1e6, 3)
    except (KeyError, ValueError):
        return None


def kill_restarts(results: Results, run: Runner) -> None:
    """`systemctl kill -s SIGKILL` each unit: seconds until it is active (READY) again, and
    whether the kiosk's ExecStopPost safe-state ran after the kill."""
    for unit in UNITS:
        before = unit_properties(unit, "MainPID", "NRestarts")
        killed_at = time.monotonic()
        since = time.time()
        run.run(["systemctl", "kill", "-s", "SIGKILL", f"{unit}.service"])
        back = wait_until(lambda u=unit, b=before: _restarted(u, b), timeout=120, every=0.05)
        if back is not None:
            results.figure(f"{unit}_kill9_to_active_s", back)
        detail = f"active again after {back:.2f} s" if back is not None else "not back in 120 s"
        results.step(
            f"restart: {unit} after SIGKILL", back is not None, detail, time.monotonic() - killed_at
        )
        if unit == "station-kiosk":
            _stop_post(results, run, unit, since)


def _restarted(unit: str, before: dict[str, str]) -> bool:
    now = unit_properties(unit, "MainPID", "NRestarts", "ActiveState")
    return (
        now["ActiveState"] == "active"
        and now["MainPID"] not in ("0", before["MainPID"])
        and int(now["NRestarts"] or 0) > int(before["NRestarts"] or 0)
    )


def _stop_post(results: Results, run: Runner, unit: str, since: float) -> None:
    """The safe-state command ran (and succeeded) after the kill: the journal line it prints
    and the exit status systemd recorded for ExecStopPost."""
    journal = run.run(["journalctl", "-u", unit, "--since", f"@{int(since)}", "-o", "cat"])
    printed = "no gate configured" in journal.stdout or "safe state" in journal.stdout
    stop_post = unit_properties(unit, "ExecStopPost")["ExecStopPost"]
    status = re.search(r"status=(\S+)", stop_post)
    code = status.group(1) if status else "?"
    ok = printed and code == "0/0"
    detail = f"journal line {'found' if printed else 'missing'}; exit {code}"
    results.step("restart: kiosk ExecStopPost safe-state ran", ok, detail)


def watchdog(results: Results, run: Runner) -> None:
    """SIGSTOP the kiosk's main process: WatchdogSec=30 must make systemd kill and restart it."""
    unit = "station-kiosk"
    before = unit_properties(unit, "MainPID", "NRestarts", "WatchdogUSec")
    stopped_at = time.monotonic()
    since = time.time()
    os.kill(int(before["MainPID"]), signal.SIGSTOP)
    back = wait_until(lambda: _restarted(unit, before), timeout=120, every=0.1)
    journal = run.run(["journalctl", "-u", unit, "--since", f"@{int(since)}", "-o", "cat"])
    timeout_seen = "Watchdog timeout" in journal.stdout
    if back is not None:
        results.figure("station-kiosk_sigstop_to_active_s", back)
    detail = (
        f"WatchdogSec {before['WatchdogUSec']}; "
        f"{'watchdog timeout logged' if timeout_seen else 'no watchdog message'}; "
        + (f"active again {back:.1f} s after SIGSTOP" if back is not None else "not back in 120 s")
    )
    results.step(
        "watchdog: SIGSTOPped kiosk restarted",
        back is not None and timeout_seen,
        detail,
        time.monotonic() - stopped_at,
    )


def analyze(results: Results, run: Runner) -> None:
    """`systemd-analyze verify` on the installed units and `systemd-analyze security` scores."""
    paths = [f"/etc/systemd/system/{u}.service" for u in UNITS]
    verify = run.run(["systemd-analyze", "verify", *paths])
    output = (verify.stdout + verify.stderr).strip()
    results.record("analyze_verify", output)
    results.step(
        "units: systemd-analyze verify (installed)",
        verify.returncode == 0 and not output,
        output.replace("\n", " | ")[:300] or "no findings",
    )
    scores = {}
    for unit in UNITS:
        done = run.run(["systemd-analyze", "security", "--no-pager", f"{unit}.service"], quiet=True)
        found = re.search(r"Overall exposure level for \S+: (\d+\.\d+) (\S+)", done.stdout)
        scores[unit] = f"{found.group(1)} {found.group(2)}" if found else "?"
        results.record(f"security_{unit}", done.stdout[-6000:])
    results.figure("security_exposure", ", ".join(f"{u} {s}" for u, s in scores.items()))
    results.step(
        "units: systemd-analyze security",
        "?" not in scores.values(),
        ", ".join(f"{u.removeprefix('station-')} {s}" for u, s in scores.items()),
    )


def uploads(results: Results, run: Runner) -> None:
    """Everything the station had logged when this step began reaches the hub through
    station-upload (a drain every 60 s): the hub comes to hold this station's highest sequence
    number of that moment. The kiosk keeps logging the looping camera meanwhile, and uploaded
    entries may be purged on the station, so the station's own counts would prove nothing."""
    started = time.monotonic()
    target = _highest_seq(DATA_DIR / "log.sqlite")
    seen: dict[str, int] = {}

    def arrived() -> bool:
        seen["hub"] = _highest_seq(HUB_DB)
        return target > 0 and seen["hub"] >= target

    waited = wait_until(arrived, timeout=150, every=5)
    results.step(
        "upload: scanned entries reached the hub",
        waited is not None,
        f"station's last entry when the step began: #{target}; the hub's highest: "
        f"#{seen.get('hub', 0)}",
        time.monotonic() - started,
    )


def _highest_seq(database: Path) -> int:
    """The highest entry sequence number in a station log or a hub file (0 if unreadable)."""
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return 0
    try:
        value = connection.execute("SELECT max(seq) FROM entries").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        connection.close()
    return int(value or 0)
