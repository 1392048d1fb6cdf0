"""The check inside the virtual machine, started at every boot by vm-check.service:

    python3 /mnt/repo/scripts/vm/guest/check.py /mnt/results

Phase 1 (first boot): install the station as firmware_notes describes, the loopback webcam
and `station scan`, the units on systemd (start, kill -9, watchdog, safe state, analyze), the
doctor, then the LUKS data partition; reboot. Phase 2 (second boot): the partition opened
unattended and the services run on it; an update and a rollback with deploy/update.sh; the
clock checks; power off. Results go to `results.json` in the shared folder (see
guest_common.Results); the host's driver reads it.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import time
from pathlib import Path

import guest_camera
import guest_clock
import guest_doctor
import guest_install
import guest_luks
import guest_services
import guest_update
from guest_common import STATE_DIR, Results, Runner

PHASE_FILE = STATE_DIR / "phase"


def main() -> int:
    results = Results.open(Path(sys.argv[1]))
    run = Runner(results)
    phase = PHASE_FILE.read_text().strip() if PHASE_FILE.exists() else "1"
    results.log(f"vm-check: phase {phase}")
    next_phase = "done"
    try:
        if phase == "1":
            _environment(results, run)
            next_phase = "2" if _phase_one(results, run) else "done"
        elif phase == "2":
            _phase_two(results, run)
    finally:
        _collect_journal(run, results, phase)
        STATE_DIR.mkdir(parents=True, exist_ok=True)
        PHASE_FILE.write_text(next_phase)
        results.data[f"phase_{phase}_finished"] = next_phase
        results.save()
        action = "reboot" if next_phase == "2" else "poweroff"
        results.log(f"vm-check: phase {phase} over; {action}")
        subprocess.run(["systemctl", "--no-block", action], check=False)
    return 0


def _environment(results: Results, run: Runner) -> None:
    systemd = run.run(["systemctl", "--version"], quiet=True).stdout.splitlines()[0]
    pid1 = Path("/proc/1/comm").read_text().strip()
    results.record(
        "environment",
        {
            "kernel": platform.release(),
            "machine": platform.machine(),
            "python": platform.python_version(),
            "systemd": systemd,
            "pid1": pid1,
            "cpus": len(Path("/proc/cpuinfo").read_text().split("processor\t")) - 1,
            "os": Path("/etc/debian_version").read_text().strip(),
        },
    )
    results.step("vm: booted Debian with systemd as PID 1", pid1 == "systemd", systemd)
    probe = run.run(["touch", "/mnt/pipcache/.written-by-station"], user="station")
    results.record("pip_cache_writable", probe.returncode == 0)


def _phase_one(results: Results, run: Runner) -> bool:
    """Everything up to the LUKS reboot; True when the reboot into phase 2 is wanted."""
    if not guest_install.install(results, run):
        return False
    feeder = guest_camera.Feeder(run)
    try:
        guest_camera.camera_checks(results, run, feeder)
        feeder.start()  # the show again, for the doctor's camera row
        if guest_services.compositor(results, run) and guest_services.start_units(results, run):
            guest_services.kill_restarts(results, run)
            guest_services.watchdog(results, run)
            guest_services.uploads(results, run)
        guest_services.analyze(results, run)
        guest_doctor.doctor(results, run)
        guest_doctor.services_back(results, run)
    finally:
        feeder.stop()
    return guest_luks.prepare(results, run)


def _phase_two(results: Results, run: Runner) -> None:
    results.log(f"vm-check: second boot, {time.monotonic():.1f} s since the kernel started")
    if guest_luks.after_reboot(results, run):
        guest_update.update_and_rollback(results, run)
    guest_clock.clock_checks(results, run)


def _collect_journal(run: Runner, results: Results, phase: str) -> None:
    units = [f"--unit={u}" for u in (*guest_services.UNITS, "vm-compositor", "vm-hub")]
    units += ["--unit=systemd-cryptsetup@stationdata", "--unit=clevis-luks-askpass"]
    journal = run.run(["journalctl", "-b", "--no-pager", *units], quiet=True)
    (results.path.parent / f"journal-phase{phase}.txt").write_text(journal.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
