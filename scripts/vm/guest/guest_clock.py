"""Phase 2, last: time-and-rtc.md against qemu's emulated RTC (an MC146818 "rtc_cmos") and
the real system clock: what the doctor reports, then a two-year jump with `date -s` and back.

Runs last because the jump disturbs everything that reads the clock.
"""

from __future__ import annotations

import json
from pathlib import Path

from guest_common import DATA_DIR, STATION, USER, Results, Runner, station_env


def clock_checks(results: Results, run: Runner) -> None:
    rtc = Path("/sys/class/rtc/rtc0/name")
    name = rtc.read_text().strip() if rtc.exists() else "none"
    hwclock = run.run(["hwclock", "--show"])
    results.record("timedatectl", run.run(["timedatectl"]).stdout)
    results.step(
        "clock: RTC read with hwclock",
        hwclock.returncode == 0,
        f"/dev/rtc0 {name}: {hwclock.stdout.strip()}",
    )
    state = _clock_row(run)
    results.record("clock_row_boot", state)
    results.step(
        "clock: doctor clock row after boot",
        state.get("result") in ("PASS", "WARN"),
        f"{state.get('result')} {state.get('detail', '')}",
    )
    _jump(results, run)


def _clock_row(run: Runner, *extra: str) -> dict[str, object]:
    command = [STATION, "--data-dir", str(DATA_DIR), "doctor", "--only", "clock", "--json", *extra]
    done = run.run(command, user=USER, env=station_env())
    try:
        rows = json.loads(done.stdout)
    except ValueError:
        return {}
    return dict(rows[0]) if rows else {}


def _jump(results: Results, run: Runner) -> None:
    """Confirm the clock, jump it two years ahead (T17), then set it back."""
    run.run(["systemctl", "stop", "systemd-timesyncd.service"])
    confirmed = _clock_row(run, "--confirm-clock")
    run.run(["date", "-s", "+2 years"])
    jumped = _clock_row(run)
    run.run(["date", "-s", "-2 years"])
    restored = _clock_row(run)
    run.run(["hwclock", "--hctosys"])
    run.run(["systemctl", "start", "systemd-timesyncd.service"])
    states = [_state(row) for row in (confirmed, jumped, restored)]
    results.record(
        "clock_jump_rows", {"confirmed": confirmed, "jumped": jumped, "restored": restored}
    )
    ok = states[0] == "TRUSTED" and states[1] == "JUMPED" and states[2] == "TRUSTED"
    results.step(
        "clock: date -s +2 years is a jump, undoing it trusts again",
        ok,
        " -> ".join(states) + f"; jumped row: {jumped.get('result')} "
        f"{str(jumped.get('detail', ''))[:120]}",
    )


def _state(row: dict[str, object]) -> str:
    figures = row.get("figures")
    return str(figures.get("state")) if isinstance(figures, dict) else "?"
