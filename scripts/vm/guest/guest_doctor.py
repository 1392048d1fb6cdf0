"""Phase 1, part 4: `station doctor` as the technician runs it (doctor.md): the kiosk stopped
first, as the station's user, the loopback webcam in hardware.toml, the hub enrolled.
"""

from __future__ import annotations

import json
import time

from guest_common import DATA_DIR, STATION, USER, Results, Runner, station_env, wait_until
from guest_services import UNITS

#: Rows that must pass in the VM; display, clock and relay depend on what a VM lacks.
MUST_PASS = ("camera", "disk", "storage", "data", "hub", "conformance")


def doctor(results: Results, run: Runner) -> None:
    run.run(["systemctl", "stop", "station-kiosk.service"])
    command = [STATION, "--data-dir", str(DATA_DIR), "doctor"]
    started = time.monotonic()
    table = run.run(command, user=USER, env=station_env(), timeout=300)
    took = time.monotonic() - started
    results.figure("doctor_whole_table_s", took)
    results.record("doctor_table", table.stdout)
    as_json = run.run([*command, "--json"], user=USER, env=station_env(), timeout=300)
    run.run(["systemctl", "start", "station-kiosk.service"])
    try:
        rows = {row["name"]: row for row in json.loads(as_json.stdout)}
    except ValueError:
        results.step("doctor: whole table on the VM", False, "no JSON from doctor --json", took)
        return
    results.record("doctor_rows", rows)
    camera = rows.get("camera", {}).get("figures", {})
    for key in ("fps", "frames", "measured_fps"):
        if key in camera:
            results.figure(f"doctor_camera_{key}", camera[key])
    failing = [name for name in MUST_PASS if rows.get(name, {}).get("result") != "PASS"]
    summary = ", ".join(f"{name} {row['result']}" for name, row in rows.items())
    results.step(
        "doctor: whole table on the VM",
        not failing,
        summary + (f"; not PASS: {', '.join(failing)}" if failing else ""),
        took,
    )


def services_back(results: Results, run: Runner) -> bool:
    """All three units active again (after the doctor restarted the kiosk)."""

    def all_active() -> bool:
        return run.run(["systemctl", "is-active", *UNITS], quiet=True).stdout.split() == [
            "active"
        ] * len(UNITS)

    waited = wait_until(all_active, timeout=120, every=1)
    states = run.run(["systemctl", "is-active", *UNITS]).stdout.split()
    return results.step(
        "services: all active after the doctor", waited is not None, " ".join(states)
    )
