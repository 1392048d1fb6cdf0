"""`station run --kiosk` stops cleanly on SIGTERM, the way systemd stops the kiosk unit, also
when the signal comes right after READY=1, before the app's event loop has started (a stop
sent in that window used to be lost, leaving systemd to kill the app after TimeoutStopSec)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.issuer.qr_image import qr_png

STATION = Path(sys.executable).with_name("station")
#: Far above a clean stop (under a second here): only a lost signal reaches it.
HANG_S = 60


@pytest.fixture()
def frames(tmp_path: Path) -> Path:
    folder = tmp_path / "frames"
    folder.mkdir()
    (folder / "pass.png").write_bytes(qr_png("HC1:NOT-A-REAL-PASS"))
    return folder


@pytest.fixture()
def manager(tmp_path: Path) -> Iterator[socket.socket]:
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(tmp_path / "notify"))
    receiver.settimeout(HANG_S)
    yield receiver
    receiver.close()


def start_kiosk(tmp_path: Path, frames: Path, notify: str, run: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "STATION_DATA_DIR": str(tmp_path / f"data-{run}"),
        "NOTIFY_SOCKET": notify,
        "QT_QPA_PLATFORM": "offscreen",
    }
    command = [str(STATION), "run", "--kiosk", "--no-sound", "--source", f"file:{frames}"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def messages_until(receiver: socket.socket, prefix: bytes) -> list[bytes]:
    seen = []
    while True:
        message = receiver.recv(4096)
        seen.append(message)
        if message.startswith(prefix):
            return seen


@pytest.mark.parametrize("delay_s", [0.0, 1.0], ids=["at-ready", "after-ready"])
def test_sigterm_stops_the_kiosk_cleanly(
    tmp_path: Path, frames: Path, manager: socket.socket, delay_s: float
) -> None:
    # Three rounds: the window between READY and the event loop is short.
    for run in range(3):
        app = start_kiosk(tmp_path, frames, manager.getsockname(), run)
        try:
            messages_until(manager, b"READY=1")
            time.sleep(delay_s)
        finally:
            app.send_signal(signal.SIGTERM)
        try:
            code = app.wait(timeout=HANG_S)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()
            pytest.fail(f"round {run}: the kiosk ignored SIGTERM")
        assert code == 0
        assert messages_until(manager, b"STOPPING=1")[-1].startswith(b"STOPPING=1")
