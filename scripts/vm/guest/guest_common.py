"""What every step of the in-guest check shares: running commands (as root or as the station's
user), waiting for a condition, asking systemd about a unit, and the results file.

Runs with the guest's own Python 3.11 and the standard library only: the first steps run
before the station's virtual environment exists.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PREFIX = Path("/opt/checkpoint-station")
CURRENT = PREFIX / "current"
DATA_DIR = Path("/var/lib/checkpoint-station")
STATION = str(CURRENT / ".venv" / "bin" / "station")
PYTHON = str(CURRENT / ".venv" / "bin" / "python")
USER = "station"
UID = 1000
#: Where the check keeps what must survive the reboot between its two phases.
STATE_DIR = Path("/var/lib/vm-check")
HUB_URL = "http://127.0.0.1:8700"


@dataclass
class Results:
    """Steps (name, outcome, detail, seconds), figures and larger records, written to
    `results.json` after every step so a run that hangs still shows how far it got."""

    path: Path
    log_path: Path
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path) -> Results:
        path = folder / "results.json"
        data = json.loads(path.read_text()) if path.exists() else {}
        data.setdefault("steps", [])
        data.setdefault("figures", {})
        data.setdefault("records", {})
        return cls(path, folder / "guest.log", data)

    def step(self, name: str, ok: bool | None, detail: str = "", seconds: float = 0.0) -> bool:
        """Record a step; ok=None means skipped. Returns `ok is True`."""
        entry = {"name": name, "ok": ok, "detail": detail, "seconds": round(seconds, 2)}
        self.data["steps"].append(entry)
        word = {True: "PASS", False: "FAIL", None: "SKIP"}[ok]
        self.log(f"== {word} {name}: {detail}")
        self.save()
        return ok is True

    def figure(self, name: str, value: float | str) -> None:
        self.data["figures"][name] = round(value, 3) if isinstance(value, float) else value
        self.save()

    def record(self, name: str, value: Any) -> None:
        self.data["records"][name] = value
        self.save()

    def passed(self, name: str) -> bool:
        return any(s["name"] == name and s["ok"] is True for s in self.data["steps"])

    def save(self) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.data, indent=2, sort_keys=True))
        temporary.replace(self.path)

    def log(self, line: str) -> None:
        stamped = f"[{time.monotonic():9.2f}] {line}"
        print(stamped, flush=True)
        with self.log_path.open("a") as out:
            out.write(stamped + "\n")


class Runner:
    """Runs commands, logging each with its exit status and output to the guest log."""

    def __init__(self, results: Results) -> None:
        self.results = results

    def run(
        self,
        command: Sequence[str],
        *,
        user: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 600,
        cwd: str | None = None,
        quiet: bool = False,
        input: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run to completion; never raises for a non-zero exit (the caller judges)."""
        full = as_user(command, user, env)
        started = time.monotonic()
        try:
            done = subprocess.run(
                full,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=cwd,
                check=False,
                input=input,
            )
        except subprocess.TimeoutExpired as expired:
            output = _text(expired.stdout) + _text(expired.stderr)
            done = subprocess.CompletedProcess(full, 124, output, f"timed out after {timeout} s")
        took = time.monotonic() - started
        if not quiet or done.returncode != 0:
            self.results.log(f"$ {shlex.join(full)}  -> {done.returncode} ({took:.1f} s)")
            for line in (done.stdout + done.stderr).splitlines()[-60:]:
                self.results.log(f"  {line}")
        return done

    def ok(self, command: Sequence[str], **options: Any) -> bool:
        return self.run(command, **options).returncode == 0

    def shell(self, script: str, **options: Any) -> subprocess.CompletedProcess[str]:
        return self.run(["/bin/bash", "-euo", "pipefail", "-c", script], **options)


def as_user(command: Sequence[str], user: str | None, env: dict[str, str] | None) -> list[str]:
    """`runuser -u USER -- env K=V ... command`, the way `sudo -u station` runs it on a Pi."""
    prefix = ["env", *(f"{k}={v}" for k, v in (env or {}).items())] if env else []
    if user is None:
        return [*prefix, *command]
    return ["runuser", "-u", user, "--", *prefix, *command]


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def wait_until(condition: Callable[[], bool], timeout: float, every: float = 0.1) -> float | None:
    """Seconds until `condition()` held, or None when it did not within `timeout`."""
    started = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            return None
        time.sleep(every)


def unit_properties(unit: str, *names: str) -> dict[str, str]:
    """`systemctl show -p …` as a dict (empty values for unknown units)."""
    done = subprocess.run(
        ["systemctl", "show", unit, *(f"--property={name}" for name in names)],
        capture_output=True,
        text=True,
        check=False,
    )
    pairs = (line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    return {key: value for key, value in pairs}


def station_env() -> dict[str, str]:
    return {"STATION_DATA_DIR": str(DATA_DIR), "HOME": f"/home/{USER}"}


def write_file(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.chmod(path, mode)
