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
    try:  # --confirm-clock prints its message before the table
        rows = json.loads(done.stdout[done.stdout.find("[") :])
    except ValueError:
        return {}
    return dict(rows[0]) if rows else {}


def _jump(results: Results, run: Runner) -> None:
    """Confirm the clock, jump it two years ahead (T17), then set it back. The station is
    offline meanwhile (the hub stopped): the hub here shares the guest's clock, so it would
    vouch for the jumped time, where a site's hub, on another machine, would contradict it."""
    run.run(["systemctl", "stop", "systemd-timesyncd.service"])
    run.run(["systemctl", "stop", "vm-hub.service"])
    confirmed = _clock_row(run, "--confirm-clock")
    run.run(["date", "-s", "+2 years"])
    jumped = _clock_row(run)
    _no_purge_while_jumped(results, run)
    run.run(["date", "-s", "-2 years"])
    restored = _clock_row(run)
    run.run(["hwclock", "--hctosys"])
    run.run(["systemctl", "start", "systemd-timesyncd.service", "vm-hub.service"])
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


def _no_purge_while_jumped(results: Results, run: Runner) -> None:
    """Two years ahead every entry looks past retention: `station log purge` must refuse to
    delete anything until the clock is trusted again (time-and-rtc.md, T17)."""
    before = _queue(run)
    purge = run.run(
        [STATION, "--data-dir", str(DATA_DIR), "log", "purge"], user=USER, env=station_env()
    )
    after = _queue(run)
    refused = purge.returncode == 1 and "purge skipped" in purge.stderr
    results.step(
        "clock: no retention purge on the jumped clock",
        # the total, not each count: station-upload may send a pending entry meanwhile
        refused and bool(before) and sum(before.values()) == sum(after.values()),
        f"log purge exit {purge.returncode}: {purge.stderr.strip()[:80]}; "
        f"queue before {before}, after {after}",
    )


def _queue(run: Runner) -> dict[str, int]:
    """The entry log's pending and uploaded counts (empty when they cannot be read)."""
    command = [STATION, "--data-dir", str(DATA_DIR), "log", "stats", "--json"]
    done = run.run(command, user=USER, env=station_env(), quiet=True)
    try:
        queue = json.loads(done.stdout)["queue"]
        return {key: int(queue[key]) for key in ("pending", "uploaded")}
    except (ValueError, KeyError, TypeError):
        return {}


def _state(row: dict[str, object]) -> str:
    figures = row.get("figures")
    return str(figures.get("state")) if isinstance(figures, dict) else "?"
