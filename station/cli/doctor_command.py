"""`station doctor`: the self-test a technician runs on a kiosk, as a pass/fail table.

Checks, in order: camera, display, clock, disk, storage, data, hub, relay, conformance. Each
one reports PASS, WARN, FAIL or SKIP with one line saying what was found and what to do; the
command exits 1 when any check failed. Checks that need HTTP come from other packages through
the `checkpoint_station.doctor_checks` entry points (the hub check lives in `sync/`).

`--click-relay` really switches the gate relay (and beeps): run it with the gate in view.
`--safe-state` only drives the gate outputs to their safe state and exits (the kiosk unit's
ExecStopPost). `--confirm-clock` records that the technician checked the clock against a
reliable one, which lets purges resume after a long power-off without a hub.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Literal

from station.adapters.gate import open_gate
from station.adapters.hardware import HardwareConfig, load_hardware
from station.paths import data_dir
from station.time_floor import TimeGuard

Result = Literal["PASS", "WARN", "FAIL", "SKIP"]
CHECK_GROUP = "checkpoint_station.doctor_checks"
ORDER = (
    "camera",
    "display",
    "clock",
    "disk",
    "storage",
    "data",
    "hub",
    "relay",
    "conformance",
)


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    name: str
    result: Result
    detail: str
    figures: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "result": self.result,
            "detail": self.detail,
            "figures": self.figures,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True, slots=True)
class DoctorContext:
    """What every check may consult; paths are injectable so tests can stage a device."""

    base: Path
    hardware: HardwareConfig
    click_relay: bool = False
    camera_seconds: float = 3.0
    vectors: Path | None = None
    sys_root: Path = Path("/sys")
    proc_root: Path = Path("/proc")
    run_root: Path = Path("/run")
    #: gpiozero pin factory for the relay check; None = the board's own (tests: MockFactory).
    pin_factory: Any = None


DoctorCheck = Callable[[DoctorContext], CheckOutcome]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("doctor", help="self-test this kiosk: a pass/fail table")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--only", action="append", metavar="CHECK", help="run only this check")
    parser.add_argument("--skip", action="append", metavar="CHECK", help="leave this check out")
    parser.add_argument(
        "--click-relay", action="store_true", help="switch the gate relay and beep (gate in view!)"
    )
    parser.add_argument(
        "--camera-seconds", type=float, default=3.0, help="how long to read the camera"
    )
    parser.add_argument("--vectors", type=Path, help="dgc-testdata folder for the conformance run")
    parser.add_argument(
        "--safe-state", action="store_true", help="put the gate outputs in their safe state, exit"
    )
    parser.add_argument(
        "--confirm-clock",
        action="store_true",
        help="record that the clock was checked against a reliable clock",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    base = data_dir(args.data_dir)
    hardware = load_hardware(base)
    if args.safe_state:
        return _safe_state(hardware)
    if args.confirm_clock:
        print(TimeGuard(base).confirm().message)
    context = DoctorContext(
        base,
        hardware,
        click_relay=args.click_relay,
        camera_seconds=args.camera_seconds,
        vectors=args.vectors,
    )
    outcomes = run_checks(context, select(all_checks(), args.only, args.skip))
    print(json.dumps([o.to_json() for o in outcomes], indent=2) if args.json else table(outcomes))
    return 1 if any(o.result == "FAIL" for o in outcomes) else 0


def all_checks() -> dict[str, DoctorCheck]:
    """The core checks and those other packages register, in the table's order."""
    from station.cli import doctor_checks, doctor_vectors

    found: dict[str, DoctorCheck] = {
        "camera": doctor_checks.camera,
        "display": doctor_checks.display,
        "clock": doctor_checks.clock,
        "disk": doctor_checks.disk,
        "storage": doctor_checks.storage,
        "data": doctor_checks.data,
        "hub": _missing("hub", "the sync package is not installed"),
        "relay": doctor_checks.relay,
        "conformance": doctor_vectors.conformance,
    }
    for entry in entry_points(group=CHECK_GROUP):
        try:
            found[entry.name] = entry.load()
        except ImportError as exc:
            found[entry.name] = _missing(entry.name, f"cannot be loaded ({exc})")
    ranked = sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    return {name: found[name] for name in ranked}


def select(
    checks: dict[str, DoctorCheck], only: Iterable[str] | None, skip: Iterable[str] | None
) -> dict[str, DoctorCheck]:
    from station.errors import ConfigError

    wanted, dropped = set(only or checks), set(skip or ())
    unknown = (wanted | dropped) - set(checks)
    if unknown:
        raise ConfigError(
            f"unknown check(s) {', '.join(sorted(unknown))}; know {', '.join(checks)}"
        )
    return {name: check for name, check in checks.items() if name in wanted - dropped}


def run_checks(context: DoctorContext, checks: dict[str, DoctorCheck]) -> list[CheckOutcome]:
    outcomes = []
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            outcome = check(context)
        except Exception as exc:  # a self-test reports every check, even one that breaks
            outcome = CheckOutcome(name, "FAIL", f"the check itself failed: {exc!r}")
        seconds = time.perf_counter() - started
        outcomes.append(
            CheckOutcome(name, outcome.result, outcome.detail, outcome.figures, seconds)
        )
    return outcomes


def table(outcomes: list[CheckOutcome]) -> str:
    width = max([len(o.name) for o in outcomes] + [5])
    lines = [f"{'CHECK':<{width}}  RESULT  TIME    DETAIL"]
    for o in outcomes:
        lines.append(f"{o.name:<{width}}  {o.result:<6}  {o.seconds:5.1f}s  {o.detail}")
    counts = {r: sum(o.result == r for o in outcomes) for r in ("PASS", "WARN", "FAIL", "SKIP")}
    verdict = "FAILED" if counts["FAIL"] else "OK"
    summary = ", ".join(f"{n} {r.lower()}" for r, n in counts.items() if n)
    lines.append(f"doctor: {verdict} ({summary})")
    return "\n".join(lines)


def _missing(name: str, why: str) -> DoctorCheck:
    def check(context: DoctorContext) -> CheckOutcome:
        return CheckOutcome(name, "SKIP", why)

    return check


def _safe_state(hardware: HardwareConfig) -> int:
    gate = open_gate(hardware.gate)
    try:
        gate.safe_state()
    finally:
        gate.close()
    if gate.problem:
        print(f"station: gate: {gate.problem}")
        return 1
    print("gate outputs in their safe state" if hardware.gate.enabled else "no gate configured")
    return 0
