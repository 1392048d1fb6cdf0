"""`station upload` as an operator runs it: one line of counts per pass, clear refusals when the
station is not set up, and a daemon that SIGTERM stops cleanly between batches."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from upload_helpers import Station, assert_in_sync, fill_log, hub_uuids

from station.entrylog.sealing import SealingKey
from station.model import VerificationResult
from sync.hub import Hub
from sync.upload.signing import device_key_path

pytest_plugins = ["upload_fixtures"]


def _station(base: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "station.cli.main", "--data-dir", str(base), "upload", *args]


def _run(base: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_station(base, *args), capture_output=True, text=True, timeout=60)


def test_one_pass_prints_one_line_of_counts(
    station: Station,
    hub: Hub,
    valid_result: VerificationResult,
    sealing_key: SealingKey,
    now: datetime,
) -> None:
    uuids = fill_log(station.log, 30, valid_result, sealing_key, now)
    done = _run(station.base, "--batch-size", "10")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and done.stderr == ""
    assert "batches=3 sent=30 stored=30" in lines[0] and "pending=0" in lines[0]
    assert not any(uuid in done.stdout for uuid in uuids)
    assert_in_sync(hub, station)


def test_a_failed_pass_exits_1_with_the_error_code(
    station: Station,
    hub: Hub,
    valid_result: VerificationResult,
    sealing_key: SealingKey,
    now: datetime,
) -> None:
    fill_log(station.log, 3, valid_result, sealing_key, now)
    hub.faults.add("/station/v1/entries", "status", status=503, times=1)
    done = _run(station.base)
    assert done.returncode == 1
    assert "failed=SERVER_BUSY" in done.stdout and "pending=3" in done.stdout


def test_an_unenrolled_station_is_told_what_to_do(tmp_path: Path) -> None:
    done = _run(tmp_path)
    assert done.returncode == 2
    assert "NOT_ENROLLED" in done.stderr and "station enroll" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_station_without_device_key_is_told_what_to_do(station: Station) -> None:
    device_key_path(station.base).unlink()
    done = _run(station.base)
    assert done.returncode == 2
    assert "DEVICE_KEY_MISSING" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args", [["--batch-size", "0"], ["--batch-size", "501"], ["--interval", "0.5"]]
)
def test_out_of_range_options_are_refused(tmp_path: Path, args: list[str]) -> None:
    done = _run(tmp_path, *args)
    assert done.returncode == 2 and "must be" in done.stderr


def test_the_daemon_drains_and_stops_cleanly_on_sigterm(
    station: Station,
    hub: Hub,
    valid_result: VerificationResult,
    sealing_key: SealingKey,
    now: datetime,
) -> None:
    fill_log(station.log, 40, valid_result, sealing_key, now)
    manager = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)  # systemd's end of sd_notify
    manager.bind(str(station.base / "notify.sock"))
    manager.settimeout(0.2)
    messages: list[str] = []
    listening = threading.Event()
    listening.set()

    def listen() -> None:  # systemd reads its socket all the time; so must the test
        while listening.is_set():
            try:
                messages.append(manager.recv(4096).decode())
            except TimeoutError:
                continue

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    environment = {
        **os.environ,
        "NOTIFY_SOCKET": str(station.base / "notify.sock"),
        "WATCHDOG_USEC": "200000",
    }
    process = subprocess.Popen(
        _station(station.base, "--daemon", "--interval", "1", "--batch-size", "10"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        deadline = time.monotonic() + 30
        while len(hub_uuids(hub, station.enrollment.station_id)) < 40:
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        fill_log(station.log, 5, valid_result, sealing_key, now)  # picked up by a later pass
        while len(hub_uuids(hub, station.enrollment.station_id)) < 45:
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert err == "" and out.splitlines()[-1] == "upload: stopped"
    assert all(line.startswith("upload: ") for line in out.splitlines())
    assert_in_sync(hub, station)
    listening.clear()
    listener.join(timeout=5)
    manager.close()
    assert messages[0].startswith("READY=1") and messages[-1].startswith("STOPPING=1")
    assert any(message.startswith("WATCHDOG=1") for message in messages)
