"""sd_notify over a real AF_UNIX datagram socket, the watchdog heartbeat, and the sync daemon
speaking it end to end (READY, WATCHDOG, STOPPING) against a real hub."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.adapters.sd_notify import ServiceHeartbeat, ServiceNotifier
from station.cli.main import main
from sync.hub import Hub, HubConfig, HubServer


class Manager:
    """The receiving end of NOTIFY_SOCKET, as systemd holds it."""

    def __init__(self, path: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path if not path.startswith("@") else "\0" + path[1:])
        self.sock.settimeout(10.0)
        self.address = path

    def next(self) -> str:
        return self.sock.recv(4096).decode("utf-8")

    def until(self, line: str, limit: int = 50) -> list[str]:
        seen = []
        for _ in range(limit):
            message = self.next()
            seen.append(message)
            if line in message.splitlines():
                return seen
        raise AssertionError(f"{line} never arrived: {seen}")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def manager(tmp_path: Path) -> Iterator[Manager]:
    receiver = Manager(str(tmp_path / "notify.sock"))
    yield receiver
    receiver.close()


def test_messages_arrive_as_one_datagram_each(manager: Manager) -> None:
    notifier = ServiceNotifier(manager.address)
    assert notifier.enabled
    assert notifier.ready("syncing every\n15 min")
    assert manager.next() == "READY=1\nSTATUS=syncing every 15 min"
    assert notifier.watchdog()
    assert manager.next() == "WATCHDOG=1"
    assert notifier.stopping()
    assert manager.next() == "STOPPING=1"


def test_abstract_namespace_socket() -> None:
    name = f"@station-test-{os.getpid()}-{time.monotonic_ns()}"
    receiver = Manager(name)
    try:
        assert ServiceNotifier(name).status("ok")
        assert receiver.next() == "STATUS=ok"
    finally:
        receiver.close()


def test_outside_systemd_every_call_is_a_no_op() -> None:
    notifier = ServiceNotifier.from_environment({})
    assert not notifier.enabled
    assert not notifier.ready() and not notifier.watchdog()
    assert notifier.watchdog_s is None and notifier.ping_interval_s is None


def test_a_vanished_manager_is_not_an_error(tmp_path: Path) -> None:
    assert not ServiceNotifier(str(tmp_path / "gone.sock")).watchdog()


def test_watchdog_period_applies_only_to_the_named_process() -> None:
    mine = ServiceNotifier.from_environment(
        {"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}
    )
    assert mine.watchdog_s == 30.0 and mine.ping_interval_s == 15.0
    other = ServiceNotifier.from_environment(
        {"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}
    )
    assert other.watchdog_s is None
    assert ServiceNotifier.from_environment({"WATCHDOG_USEC": "junk"}).watchdog_s is None


def test_heartbeat_pings_only_while_the_loop_beats(manager: Manager) -> None:
    now = [100.0]
    heartbeat = ServiceHeartbeat(
        ServiceNotifier(manager.address), stall_after_s=60.0, clock=lambda: now[0]
    )
    assert heartbeat.tick()
    assert manager.next() == "WATCHDOG=1"
    now[0] += 61.0  # the loop is stuck in one step for longer than it may be
    assert heartbeat.stalled and not heartbeat.tick()
    heartbeat.beat()
    assert heartbeat.tick()


def test_watched_event_counts_checks_as_beats_and_keeps_the_original_flag() -> None:
    now = [0.0]
    heartbeat = ServiceHeartbeat(ServiceNotifier(None), stall_after_s=10.0, clock=lambda: now[0])
    stop = threading.Event()
    watched = heartbeat.watched(stop)
    now[0] = 50.0
    assert heartbeat.stalled
    assert not watched.is_set()
    assert not heartbeat.stalled
    stop.set()  # a signal handler sets the original event
    assert watched.is_set() and watched.wait(0)


def test_started_heartbeat_pings_from_its_thread(manager: Manager) -> None:
    notifier = ServiceNotifier(manager.address, watchdog_usec=100_000)  # WatchdogSec=0.1
    heartbeat = ServiceHeartbeat.start(stall_after_s=5.0, notifier=notifier, status="up")
    try:
        assert manager.next() == "READY=1\nSTATUS=up"
        assert manager.next() == "WATCHDOG=1"
        assert manager.next() == "WATCHDOG=1"
    finally:
        heartbeat.stop("bye")
    assert manager.until("STOPPING=1")[-1] == "STOPPING=1\nSTATUS=bye"


@pytest.mark.network
def test_sync_daemon_is_ready_pings_the_watchdog_and_says_stopping(
    tmp_path: Path, manager: Manager, capsys: pytest.CaptureFixture[str]
) -> None:
    hub = Hub(tmp_path / "hub.sqlite", HubConfig(kdf_memory_kib=8192, kdf_iterations=1))
    server = HubServer(hub).start()
    station_dir = tmp_path / "station"
    try:
        main(["hub", "enroll-code", "--db", str(tmp_path / "hub.sqlite"), "--url", server.url])
        printed = capsys.readouterr().out
        code = re.search(r"--code (\S+)", printed).group(1)  # type: ignore[union-attr]
        pin = re.search(r"--pin (\S+)", printed).group(1)  # type: ignore[union-attr]
        enroll = ["--data-dir", str(station_dir), "enroll", "--hub", server.url]
        assert main([*enroll, "--code", code, "--pin", pin]) == 0
        env = {**os.environ, "NOTIFY_SOCKET": manager.address, "WATCHDOG_USEC": "200000"}
        daemon = subprocess.Popen(
            [sys.executable, "-m", "station.cli.main", "--data-dir", str(station_dir)]
            + ["sync", "--daemon", "--interval", "15"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert manager.next().startswith("READY=1")
            manager.until("WATCHDOG=1")
            manager.until("WATCHDOG=1")  # keeps pinging after the first sync round
            daemon.send_signal(signal.SIGTERM)
            manager.until("STOPPING=1")
            out, err = daemon.communicate(timeout=20)
            assert daemon.returncode == 0, err
            assert b"trust-list: version" in out
        finally:
            if daemon.poll() is None:
                daemon.kill()
                daemon.communicate()
    finally:
        server.stop()
        hub.close()
