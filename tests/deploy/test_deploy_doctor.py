"""`station doctor` on staged devices: sysfs/procfs trees in a temporary folder, a folder of
frames as the camera, MockFactory pins as the gate, a real hub on 127.0.0.1, and the CLI."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from gpiozero.pins.mock import MockFactory

from station.adapters.gate import GateConfig, OutputPin
from station.adapters.hardware import CameraConfig, HardwareConfig
from station.cli import doctor_checks
from station.cli.doctor_command import DoctorContext, all_checks, run_checks, select, table
from station.cli.doctor_vectors import conformance, default_vectors
from station.cli.main import main
from station.clock_trust import record_reference_time
from station.errors import ConfigError
from station.paths import log_db_path
from sync.doctor_checks import hub_check
from sync.hub import Hub, HubConfig, HubServer


def stage_device(root: Path, *, screen: bool = True, ntp: bool = True) -> dict[str, Path]:
    """A Pi's /sys, /proc and /run as far as the doctor reads them."""
    sys_root, proc_root, run_root = root / "sys", root / "proc", root / "run"
    for name, state in (("card1-DSI-1", "connected"), ("card1-HDMI-A-1", "disconnected")):
        connector = sys_root / "class" / "drm" / name
        connector.mkdir(parents=True)
        (connector / "status").write_text(state if screen else "disconnected")
    (sys_root / "class" / "rtc" / "rtc0").mkdir(parents=True)
    (proc_root / "bus" / "input").mkdir(parents=True)
    (proc_root / "bus" / "input" / "devices").write_text(
        'I: Bus=0018 Vendor=0000\nN: Name="generic ft5x06 (79)"\n\n'
        'I: Bus=0003\nN: Name="Logitech USB Keyboard"\n'
    )
    (run_root / "user" / "1000").mkdir(parents=True)
    (run_root / "user" / "1000" / "wayland-0").touch()
    if ntp:
        (run_root / "systemd" / "timesync").mkdir(parents=True)
        (run_root / "systemd" / "timesync" / "synchronized").touch()
    return {"sys_root": sys_root, "proc_root": proc_root, "run_root": run_root}


def frames_folder(folder: Path, count: int = 6) -> Path:
    folder.mkdir()
    rng = np.random.default_rng(7)
    for number in range(count):
        image = rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)
        cv2.imwrite(str(folder / f"frame-{number:02d}.png"), image)
    return folder


GATE = GateConfig(relay=OutputPin(17, active_high=False), buzzer=OutputPin(27), red=OutputPin(23))


@pytest.fixture
def context(tmp_path: Path) -> DoctorContext:
    camera = CameraConfig(source=f"dir:{frames_folder(tmp_path / 'frames')}", fps=15)
    return DoctorContext(
        tmp_path / "data",
        HardwareConfig(camera=camera, gate=GATE),
        camera_seconds=0.5,
        pin_factory=MockFactory(),
        **stage_device(tmp_path / "device"),
    )


def outcome_of(context: DoctorContext, name: str) -> tuple[str, str]:
    (outcome,) = run_checks(context, select(all_checks(), [name], None))
    return outcome.result, outcome.detail


def test_a_healthy_kiosk_passes_its_device_checks(context: DoctorContext) -> None:
    wanted = ["camera", "display", "disk", "storage", "relay"]
    outcomes = run_checks(context, select(all_checks(), wanted, None))
    assert {o.name: o.result for o in outcomes} == dict.fromkeys(wanted, "PASS")
    by_name = {o.name: o for o in outcomes}
    assert by_name["camera"].figures["width"] == 320 and 8 <= by_name["camera"].figures["fps"]
    assert "DSI-1 connected" in by_name["display"].detail
    assert (
        "generic ft5x06" in by_name["display"].detail and "wayland-0" in by_name["display"].detail
    )
    assert "relay 17 (active-low)" in by_name["relay"].detail


def test_missing_hardware_fails_with_the_reason(context: DoctorContext, tmp_path: Path) -> None:
    bare = replace(
        context,
        hardware=HardwareConfig(camera=CameraConfig(source="camera:/dev/video99")),
        **stage_device(tmp_path / "bare", screen=False, ntp=False),
    )
    assert outcome_of(bare, "camera") == (
        "FAIL",
        "camera:/dev/video99: cannot open camera /dev/video99",
    )
    assert outcome_of(bare, "display")[0] == "FAIL"
    assert outcome_of(bare, "relay") == ("SKIP", "no gate configured (hardware.toml [gate])")
    assert outcome_of(bare, "clock")[0] == "WARN"  # no NTP: time not confirmed


def test_clock_check_reports_each_state(context: DoctorContext) -> None:
    result, detail = outcome_of(context, "clock")
    assert result == "PASS" and "ntp" in detail and "RTC present" in detail
    future = datetime.now(UTC) + timedelta(days=3)
    record_reference_time(context.base, local_now=future, reference=future, source="t")
    result, detail = outcome_of(context, "clock")
    assert result == "FAIL" and "CLOCK UNTRUSTED" in detail


def test_relay_click_switches_each_output_and_reads_it_back(context: DoctorContext) -> None:
    clicked = replace(context, click_relay=True)
    (outcome,) = run_checks(clicked, {"relay": doctor_checks.relay})
    assert outcome.result == "PASS" and "each switched on and off" in outcome.detail
    assert outcome.figures == {
        "relay": [True, False],
        "buzzer": [True, False],
        "red": [True, False],
    }


def test_a_damaged_log_fails_the_storage_check(context: DoctorContext) -> None:
    context.base.mkdir(parents=True)
    log_db_path(context.base).write_bytes(b"this is not a database" * 100)
    result, detail = outcome_of(context, "storage")
    assert result == "FAIL" and "log.sqlite" in detail


def test_data_check_wants_an_enrolled_station(context: DoctorContext) -> None:
    assert outcome_of(context, "data") == ("WARN", "not enrolled with a hub (station enroll)")


def test_conformance_runs_known_answers_and_the_vendored_vectors(context: DoctorContext) -> None:
    assert default_vectors() is not None
    outcome = conformance(context)
    assert outcome.result == "PASS", outcome.detail
    assert outcome.figures["known_answers"] == 8 and outcome.figures["dgc_files"] > 150


def test_conformance_reports_a_vector_that_disagrees(
    context: DoctorContext, tmp_path: Path
) -> None:
    source = default_vectors()
    assert source is not None
    copied = tmp_path / "vectors" / "dgc-testdata" / "common" / "2DCode" / "raw"
    copied.mkdir(parents=True)
    case = json.loads((source / "common" / "2DCode" / "raw" / "CO1.json").read_text("utf-8-sig"))
    case["EXPECTEDRESULTS"]["EXPECTEDVERIFY"] = not case["EXPECTEDRESULTS"]["EXPECTEDVERIFY"]
    (copied / "CO1.json").write_text(json.dumps(case))
    outcome = conformance(replace(context, vectors=copied.parent.parent.parent))
    assert outcome.result == "FAIL" and "CO1.json EXPECTEDVERIFY" in outcome.detail


@pytest.mark.network
def test_hub_check_against_a_real_hub(context: DoctorContext, tmp_path: Path, capsys) -> None:
    hub = Hub(tmp_path / "hub.sqlite", HubConfig(kdf_memory_kib=8192, kdf_iterations=1))
    server = HubServer(hub).start()
    try:
        assert hub_check(context).result == "SKIP"
        main(["hub", "enroll-code", "--db", str(tmp_path / "hub.sqlite"), "--url", server.url])
        printed = capsys.readouterr().out
        code = re.search(r"--code (\S+)", printed).group(1)  # type: ignore[union-attr]
        pin = re.search(r"--pin (\S+)", printed).group(1)  # type: ignore[union-attr]
        enroll = ["--data-dir", str(context.base), "enroll", "--hub", server.url]
        assert main([*enroll, "--code", code, "--pin", pin]) == 0
        outcome = hub_check(context)
        assert outcome.result == "PASS", outcome.detail
        assert "token and pinned key accepted" in outcome.detail
        assert abs(outcome.figures["skew_s"]) < 5
        assert (context.base / "clock.json").exists()  # the signed time counts as evidence
        unplugged = replace(context, **stage_device(tmp_path / "offline", ntp=False))
        assert outcome_of(unplugged, "clock")[1].startswith("Clock confirmed (hub)")
    finally:
        server.stop()
        hub.close()
    failed = hub_check(context)
    assert failed.result == "FAIL" and "NETWORK" in failed.detail


def test_table_and_exit_code_from_the_command_line(tmp_path: Path, capsys) -> None:
    data = str(tmp_path / "data")
    code = main(["--data-dir", data, "doctor", "--only", "disk", "--only", "relay"])
    printed = capsys.readouterr().out
    assert code == 0
    assert re.search(r"^disk\s+PASS\s+\d+\.\d+s\s+\d+ MB free", printed, re.MULTILINE)
    assert re.search(r"^relay\s+SKIP", printed, re.MULTILINE)
    assert printed.strip().endswith("doctor: OK (1 pass, 1 skip)")
    assert main(["--data-dir", data, "doctor", "--json", "--only", "disk"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["result"] == "PASS"
    assert main(["--data-dir", data, "doctor", "--skip", "everything"]) == 2
    assert "unknown check" in capsys.readouterr().err


def test_safe_state_and_confirm_clock_options(tmp_path: Path, capsys) -> None:
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "doctor", "--safe-state"]) == 0
    assert "no gate configured" in capsys.readouterr().out
    assert main(["--data-dir", data, "doctor", "--confirm-clock", "--only", "disk"]) == 0
    assert "Clock confirmed (technician)" in capsys.readouterr().out


def test_every_check_is_listed_in_order() -> None:
    assert list(all_checks()) == [
        "camera",
        "display",
        "clock",
        "disk",
        "storage",
        "data",
        "hub",
        "relay",
        "conformance",
    ]
    with pytest.raises(ConfigError):
        select(all_checks(), ["nope"], None)


def test_a_check_that_breaks_is_a_fail_row_not_a_crash(context: DoctorContext) -> None:
    def broken(ctx: DoctorContext):  # type: ignore[no-untyped-def]
        raise RuntimeError("driver exploded")

    (outcome,) = run_checks(context, {"camera": broken})
    assert outcome.result == "FAIL" and "driver exploded" in outcome.detail
    assert "doctor: FAILED (1 fail)" in table([outcome])
