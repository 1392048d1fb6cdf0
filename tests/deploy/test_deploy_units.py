"""The systemd units and the scripts that install and update them: what each unit promises
(restart, watchdog, hardening, one writable folder), rendering for a device, systemd's own
verifier and exposure score where systemd-analyze exists, shellcheck where it exists, and
release switching with rollback in a scratch root."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from station.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = ("kiosk", "sync", "upload")
COMMANDS = {
    "kiosk": ["run", "--kiosk"],
    "sync": ["sync", "--daemon", "--interval", "15"],
    "upload": ["upload", "--daemon", "--interval", "60"],
}
EXPOSURE_LIMIT = {"kiosk": 4.5, "sync": 2.5, "upload": 2.5}


def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = defaultdict(list)
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), defaultdict(list))
            continue
        key, _, value = line.partition("=")
        current[key].append(value)
    return sections


def environment(service: dict[str, list[str]]) -> dict[str, str]:
    return dict(item.split("=", 1) for item in service["Environment"])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The units rendered for a release in a scratch folder, with a real `station` in it."""
    base = tmp_path_factory.mktemp("device")
    prefix, data = base / "release", base / "data"
    (prefix / ".venv" / "bin").mkdir(parents=True)
    (prefix / ".venv" / "bin" / "station").symlink_to(ROOT / ".venv" / "bin" / "station")
    out = base / "units"
    subprocess.run(
        [str(DEPLOY / "install.sh"), "--render-only", str(out), "--prefix", str(prefix)]
        + ["--data-dir", str(data), "--user", "station", "--uid", "1001"]
        + ["--wayland-display", "wayland-1"],
        check=True,
        capture_output=True,
    )
    return out, prefix, data


@pytest.mark.parametrize("name", UNITS)
def test_each_unit_restarts_pings_and_is_confined(name: str) -> None:
    unit = parse_unit(DEPLOY / "systemd" / f"station-{name}.service")
    service = unit["Service"]
    assert service["Type"] == ["notify"] and service["NotifyAccess"] == ["main"]
    assert service["Restart"] == ["always"] and unit["Unit"]["StartLimitIntervalSec"] == ["0"]
    assert int(service["WatchdogSec"][0]) > 0
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "CapabilityBoundingSet": "",
        "UMask": "0077",
    }.items():
        assert service[key] == [value], key
    data = "/var/lib/checkpoint-station"
    assert service["ReadWritePaths"] == [data], "the data folder is the only writable path"
    assert environment(service)["STATION_DATA_DIR"] == data
    assert unit["Unit"]["RequiresMountsFor"] == [data]
    command = shlex.split(service["ExecStart"][0])
    assert command == ["/opt/checkpoint-station/current/.venv/bin/station", *COMMANDS[name]]


def test_kiosk_returns_the_gate_to_safe_and_reaches_the_compositor() -> None:
    service = parse_unit(DEPLOY / "systemd" / "station-kiosk.service")["Service"]
    assert service["ExecStopPost"] == [
        "/opt/checkpoint-station/current/.venv/bin/station doctor --safe-state"
    ]
    assert service["ProtectHome"] == ["read-only"]  # the Wayland socket is in /run/user
    env = environment(service)
    assert env["XDG_RUNTIME_DIR"] == "/run/user/1000" and env["QT_QPA_PLATFORM"] == "wayland"
    assert env["XDG_CACHE_HOME"].startswith("/var/lib/checkpoint-station/")
    assert {"video", "render", "gpio", "input"} <= set(service["SupplementaryGroups"][0].split())


def test_background_services_see_no_devices() -> None:
    for name in ("sync", "upload"):
        service = parse_unit(DEPLOY / "systemd" / f"station-{name}.service")["Service"]
        assert service["PrivateDevices"] == ["yes"] and service["ProtectHome"] == ["yes"]


@pytest.mark.parametrize("name", ["sync", "upload"])
def test_the_unit_commands_parse(name: str) -> None:
    build_parser().parse_args(COMMANDS[name])
    build_parser().parse_args(["doctor", "--safe-state"])


def test_the_kiosk_command_parses_once_the_app_registers_it() -> None:
    parser = build_parser()
    if not re.search(r"\{[^}]*\brun\b[^}]*\}", parser.format_usage()):
        pytest.skip("`station run` comes with the GUI package, which is not installed here")
    parser.parse_args(COMMANDS["kiosk"])


def test_rendering_replaces_every_device_specific_value(rendered: tuple[Path, Path, Path]) -> None:
    out, prefix, data = rendered
    for name in UNITS:
        text = (out / f"station-{name}.service").read_text(encoding="utf-8")
        assert "/opt/checkpoint-station" not in text and "/var/lib/checkpoint-station" not in text
        service = parse_unit(out / f"station-{name}.service")["Service"]
        assert service["ReadWritePaths"] == [str(data)]
        assert shlex.split(service["ExecStart"][0])[0] == str(prefix / ".venv" / "bin" / "station")
    kiosk = environment(parse_unit(out / "station-kiosk.service")["Service"])
    assert kiosk["XDG_RUNTIME_DIR"] == "/run/user/1001" and kiosk["WAYLAND_DISPLAY"] == "wayland-1"


def test_systemd_accepts_the_units(rendered: tuple[Path, Path, Path]) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine")
    out, _, _ = rendered
    units = [str(out / f"station-{name}.service") for name in UNITS]
    verified = subprocess.run(
        [analyze, "verify", *units], capture_output=True, text=True, timeout=60
    )
    assert verified.returncode == 0 and verified.stderr == "" and verified.stdout == "", (
        verified.stderr
    )


@pytest.mark.parametrize("name", UNITS)
def test_exposure_score_stays_low(rendered: tuple[Path, Path, Path], name: str) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine")
    out, _, _ = rendered
    scored = subprocess.run(
        [analyze, "security", "--offline=true", "--no-pager", str(out / f"station-{name}.service")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    found = re.search(r"Overall exposure level for \S+: ([\d.]+)", scored.stdout)
    if found is None:
        pytest.skip(f"this systemd-analyze cannot score unit files offline: {scored.stderr[:200]}")
    assert float(found.group(1)) <= EXPOSURE_LIMIT[name]


def test_scripts_pass_shellcheck() -> None:
    checker = shutil.which("shellcheck")
    if checker is None:
        pytest.skip("shellcheck is not installed on this machine")
    scripts = [str(DEPLOY / "install.sh"), str(DEPLOY / "update.sh")]
    checked = subprocess.run([checker, *scripts], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout


def test_install_refuses_unsafe_paths(tmp_path: Path) -> None:
    refused = subprocess.run(
        [str(DEPLOY / "install.sh"), "--render-only", str(tmp_path), "--prefix", "relative/path"],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1 and "absolute" in refused.stderr


def test_update_switches_releases_atomically_and_rolls_back(tmp_path: Path) -> None:
    for name in ("1.0.0", "1.1.0"):
        station = tmp_path / "releases" / name / ".venv" / "bin" / "station"
        station.parent.mkdir(parents=True)
        station.write_text("#!/bin/sh\nexit 0\n")
        station.chmod(0o755)

    def update(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(DEPLOY / "update.sh"), "--root", str(tmp_path), "--no-restart", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=30)

    assert update("switch", "1.0.0").returncode == 0
    assert update("switch", "1.1.0").returncode == 0
    assert (tmp_path / "current").resolve() == tmp_path / "releases" / "1.1.0"
    assert update("list").stdout.split("\n")[:2] == ["1.0.0 (previous)", "1.1.0 (current)"]
    assert update("rollback").returncode == 0
    assert (tmp_path / "current").resolve() == tmp_path / "releases" / "1.0.0"
    missing = update("switch", "2.0.0")
    assert missing.returncode == 1 and "not staged" in missing.stderr
    assert update("switch", "../../etc").returncode == 1
    assert (tmp_path / "current").resolve() == tmp_path / "releases" / "1.0.0"
