"""The virtual-machine check's report: one row per check, the figures, a `summary:` line
(the shape of the bench scripts' output, bench/timing.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Figures worth a place in the summary line, with how to show them.
HEADLINE = (
    ("station-kiosk_kill9_to_active_s", "kiosk back after kill -9 {:.1f} s (T31: 5 s)"),
    ("station-kiosk_sigstop_to_active_s", "watchdog restart {:.0f} s after SIGSTOP"),
    ("scan_first_verdict_s_median", "first verdict {:.2f} s after a code appears (median)"),
    ("camera_read_fps", "camera {:.1f} fps"),
    ("doctor_whole_table_s", "doctor {:.1f} s"),
)


def print_report(data: dict[str, Any], finished: bool, run_dir: Path) -> int:
    """Print the tables and the summary; the exit status (0 only when all passed)."""
    steps = data.get("steps", [])
    width = max((len(s["name"]) for s in steps), default=10)
    print(f"\n{'CHECK':<{width}}  RESULT  TIME     DETAIL")
    for step in steps:
        word = {True: "PASS", False: "FAIL", None: "SKIP"}[step["ok"]]
        print(f"{step['name']:<{width}}  {word:<6}  {step['seconds']:6.1f}s  {step['detail']}")
    figures = data.get("figures", {})
    if figures:
        print("\nFIGURE" + " " * 34 + "VALUE")
        for name, value in sorted(figures.items()):
            print(f"{name:<40}{value}")
    counts = {
        word: sum(1 for s in steps if s["ok"] is flag)
        for word, flag in (("pass", True), ("fail", False), ("skip", None))
    }
    parts = [f"{counts['pass']} pass, {counts['fail']} fail, {counts['skip']} skip"]
    parts += [text.format(figures[key]) for key, text in HEADLINE if key in figures]
    accel = data.get("accel", "?")
    parts.append(
        f"accelerator {accel}" + ("" if accel == "kvm" else " (emulated CPU: slow timings)")
    )
    if not finished:
        parts.append("the run did not finish (see serial.log)")
    print(f"\nresults: {run_dir / 'results'}")
    print("summary: " + "; ".join(parts))
    return 0 if finished and counts["fail"] == 0 and steps else 1
