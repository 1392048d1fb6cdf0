"""Starting and stopping: kept-alive connections, repeated stops, concurrent stations."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from hub_helpers import enroll

from sync.hub import Hub, HubServer

pytest_plugins = ["hub_fixtures"]


def test_stop_ends_kept_alive_connections_and_every_thread(hub: Hub):
    baseline = threading.active_count()
    server = HubServer(hub).start()
    with requests.Session() as session:
        session.trust_env = False
        assert session.get(server.url + "/healthz", timeout=10).status_code == 200
        assert threading.active_count() > baseline  # the connection's thread waits for more
        started = time.perf_counter()
        server.stop()
        assert time.perf_counter() - started < 2
    assert threading.active_count() == baseline
    server.stop()


def test_a_stopped_server_can_be_started_again(hub: Hub):
    server = HubServer(hub)
    for _ in range(2):
        with server:
            with requests.Session() as session:
                session.trust_env = False
                assert session.get(server.url + "/healthz", timeout=10).status_code == 200


def test_a_dozen_stations_sync_at_once(hub: Hub, server: HubServer, signers):
    hub.add_dscs([s.der for s in signers])
    stations = [enroll(server.url, hub, f"gate-{n}") for n in range(12)]
    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            versions = list(pool.map(lambda st: st.bundle("trust-list").version, stations))
        assert versions == [1] * 12
        assert all(s.last_seen for s in hub.stations()) and len(hub.stations()) == 12
    finally:
        for station in stations:
            station.close()
