"""Phase 2, after the encrypted partition: updates.md under systemd. A new release is staged
from a git repository with `deploy/update.sh stage` (clone, its own venv, pip, the conformance
self-test), `switch` restarts the units on it and waits for them to stay healthy, `rollback`
returns to the release before. The short version's `apt install git` comes first.

The repository is made in the guest from the installed release (a tag on a copy of it): the
guest has no network path to the project's real repository, and what is checked is the
procedure, not a particular version.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from guest_common import CURRENT, PREFIX, Results, Runner, unit_properties
from guest_install import pip_env
from guest_services import UNITS

TAG = "vm-update"
REPOSITORY = Path("/var/tmp/station-release-repo")
UPDATE = str(CURRENT / "deploy" / "update.sh")
COPY_IGNORED = shutil.ignore_patterns(".venv", "*.egg-info", "__pycache__")


def update_and_rollback(results: Results, run: Runner) -> None:
    before = os.readlink(CURRENT)
    if not (_git(results, run) and _repository(results, run)):
        return
    started = time.monotonic()
    staged = run.run([UPDATE, "stage", str(REPOSITORY), TAG], env=pip_env(run), timeout=3600)
    results.step(
        "update: update.sh stage (clone, venv, pip, conformance self-test)",
        staged.returncode == 0 and (PREFIX / "releases" / TAG / ".venv" / "bin").is_dir(),
        _last_line(staged.stdout) or _last_line(staged.stderr),
        time.monotonic() - started,
    )
    if staged.returncode != 0:
        return
    switched = "update: update.sh switch, units on the new release"
    _switch(results, run, ["switch", TAG], TAG, switched)
    _switch(results, run, ["rollback"], Path(before).name, "update: update.sh rollback")


def _git(results: Results, run: Runner) -> bool:
    if shutil.which("git"):
        return True
    run.run(["apt-get", "update", "-qq"], timeout=900)
    done = run.run(["apt-get", "install", "-y", "-qq", "git"], timeout=900)
    return results.step("update: apt install git", done.returncode == 0, _last_line(done.stdout))


def _repository(results: Results, run: Runner) -> bool:
    """A git repository holding the installed release's files, tagged TAG."""
    shutil.rmtree(REPOSITORY, ignore_errors=True)
    shutil.copytree(Path(CURRENT).resolve(), REPOSITORY, ignore=COPY_IGNORED, symlinks=True)
    git = f"git -C {REPOSITORY} -c user.name=vm -c user.email=vm@localhost"
    done = run.shell(
        f"{git} init -q && {git} add -A && {git} commit -qm release && {git} tag {TAG}"
    )
    return results.step("update: release repository tagged", done.returncode == 0, TAG)


def _switch(results: Results, run: Runner, command: list[str], expected: str, name: str) -> None:
    """Run `update.sh <command>`: `current` must then name `expected`, and every unit must be
    active in a process started after the command began (so through the new link)."""
    started = time.monotonic()
    done = run.run([UPDATE, *command], timeout=900)
    current = Path(os.readlink(CURRENT)).name
    states = run.run(["systemctl", "is-active", *UNITS], quiet=True).stdout.split()
    restarted = [_started_after(unit, started) for unit in UNITS]
    ok = (
        done.returncode == 0
        and current == expected
        and states == ["active"] * len(UNITS)
        and all(restarted)
    )
    detail = (
        f"current -> {current}; {' '.join(states)}; restarted "
        f"{sum(restarted)}/{len(UNITS)}; kiosk's libraries from {_release_of('station-kiosk')}"
    )
    results.step(name, ok, detail, time.monotonic() - started)


def _started_after(unit: str, moment: float) -> bool:
    """The unit's main process began after `moment` (CLOCK_MONOTONIC, as systemd records it)."""
    value = unit_properties(unit, "ExecMainStartTimestampMonotonic")
    return int(value.get("ExecMainStartTimestampMonotonic") or 0) / 1e6 > moment


def _release_of(unit: str) -> str:
    """The release whose files the unit's main process has mapped (its venv's compiled
    modules): the kernel shows resolved paths, so this names the folder `current` named when
    the process started."""
    pid = unit_properties(unit, "MainPID").get("MainPID", "0")
    marker = f"{PREFIX}/releases/"
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return "?"
    names = {
        line.split(marker, 1)[1].split("/", 1)[0] for line in maps.splitlines() if marker in line
    }
    return "+".join(sorted(names)) or "?"


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""
