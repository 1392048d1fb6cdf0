"""Helpers of the upload tests (the fixtures are in upload_fixtures.py)."""

from __future__ import annotations

import http.client
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from station.entrylog.outbox import Outbox
from station.entrylog.sealing import SealingKey
from station.entrylog.writer import EntryLog
from station.model import VerificationResult
from station.paths import log_db_path
from station.ports import Clock
from sync.enrollment import Enrollment, enroll, save_enrollment
from sync.http import BackendClient, HttpLimits
from sync.hub import Hub, HubConfig
from sync.upload.backoff import UploadBackoff
from sync.upload.signing import create_device_key, public_key_pem
from sync.upload.uploader import Uploader

#: The cheapest KDF the hub's status list accepts, so a hub starts in milliseconds.
FAST = HubConfig(kdf_memory_kib=8192, kdf_iterations=1, page_size=4)
CHECKPOINT = "gate-1"
#: Entries of the shared queue (T24, T25).
QUEUE_SIZE = 2000


@dataclass(frozen=True)
class Station:
    """An enrolled station's data folder and what is in it."""

    base: Path
    enrollment: Enrollment
    device_key: ec.EllipticCurvePrivateKey

    @property
    def log(self) -> Path:
        return log_db_path(self.base)


@dataclass
class Alerts:
    """Alert lines the uploader raised (they must carry no personal data)."""

    lines: list[str] = field(default_factory=list)

    def __call__(self, line: str) -> None:
        self.lines.append(line)


def enroll_station(hub: Hub, url: str, base: Path, now: datetime) -> Station:
    """Enroll as a station does: a fresh device key, its public half sent with the code."""
    key = create_device_key(base)
    code = hub.create_enrollment_code(CHECKPOINT)
    enrollment = enroll(
        url,
        code,
        hub.key_fingerprint(),
        name=CHECKPOINT,
        device_key_pem=public_key_pem(key),
        now=now,
    )
    save_enrollment(enrollment, base)
    return Station(base, enrollment, key)


def fill_log(
    path: Path,
    count: int,
    result: VerificationResult,
    sealing_key: SealingKey | None,
    now: datetime,
) -> list[str]:
    """Record `count` entries with the real writer; their UUIDs in sequence order."""
    uuids = []
    with EntryLog(path, sealing_key=sealing_key) as log:
        for index in range(count):
            logged = log.record(
                result,
                direction="in" if index % 2 == 0 else "out",
                checkpoint_id=CHECKPOINT,
                clock_trusted=True,
                now=now + timedelta(seconds=index),
            )
            uuids.append(logged.uuid)
    return uuids


def local_states(station: Station) -> dict[str, str]:
    """uuid → state of every row of the station's log (read-only connection)."""
    with _read_only(station.log) as conn:
        return dict(conn.execute("SELECT uuid, state FROM entries").fetchall())


def local_attempts(station: Station, uuid: str) -> tuple[str, int, str | None]:
    with _read_only(station.log) as conn:
        row = conn.execute(
            "SELECT state, attempts, last_error FROM entries WHERE uuid = ?", (uuid,)
        ).fetchone()
    return row[0], row[1], row[2]


def hub_uuids(hub: Hub, station_id: str) -> list[str]:
    """Every entry UUID the hub holds for the station (duplicates would show as repeats)."""
    with _read_only(hub.path) as conn:
        rows = conn.execute("SELECT uuid FROM entries WHERE station_id = ?", (station_id,))
        return [row[0] for row in rows]


def hub_idempotency_keys(hub: Hub, station_id: str) -> list[str]:
    with _read_only(hub.path) as conn:
        rows = conn.execute("SELECT key FROM idempotency_keys WHERE station_id = ?", (station_id,))
        return [row[0] for row in rows]


def assert_in_sync(hub: Hub, station: Station) -> None:
    """T24's end state: the hub holds exactly the local entry set, each once, all acknowledged."""
    held = hub_uuids(hub, station.enrollment.station_id)
    states = local_states(station)
    assert len(held) == len(set(held)), "the hub holds an entry twice"
    assert set(held) == set(states), "the hub and the station hold different entries"
    assert set(states.values()) == {"uploaded"}


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def in_process_uploader(
    station: Station,
    *,
    batch_size: int = 50,
    limits: HttpLimits | None = None,
    clock: Clock | None = None,
    sleep: Callable[[float], object] | None = None,
    backoff: UploadBackoff | None = None,
    alerts: Alerts | None = None,
    url: str | None = None,
) -> Iterator[Uploader]:
    """An Uploader over the station's real log and a real client (optionally via `url`)."""
    outbox = Outbox(station.log)
    client = BackendClient(
        url or station.enrollment.hub_url, token=station.enrollment.token, limits=limits
    )
    try:
        yield Uploader(
            outbox,
            client,
            station.enrollment.station_id,
            station.device_key,
            batch_size=batch_size,
            clock=clock,
            sleep=sleep,
            backoff=backoff,
            alert=alerts if alerts is not None else Alerts(),
        )
    finally:
        client.close()
        outbox.close()


def drain_until_empty(uploader: Uploader, passes: int = 20) -> None:
    """Passes until one succeeds with nothing left pending (the 'final drain' of T24/T25)."""
    for _ in range(passes):
        result = uploader.drain_once()
        if result.ok and uploader.queue_counts().pending == 0:
            return
    raise AssertionError(f"the queue did not drain: {uploader.queue_counts()}")


# --- a recording proxy between station and hub --------------------------------------------------


#: The status recorded for a request the hub hung up on without answering.
DROPPED = 0


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    answer: bytes


class RecordingProxy:
    """A plain HTTP proxy on 127.0.0.1 that keeps every request and answer it relays.

    `refuse(path, body)` returning True answers 400 itself (a proxy or an older hub choking on
    a body), without forwarding.
    """

    def __init__(self, upstream: str, refuse: Callable[[str, bytes], bool] | None = None) -> None:
        self.exchanges: list[Exchange] = []
        self.refused = 0
        target = urlsplit(upstream)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if refuse is not None and refuse(self.path, body):
                    outer.refused += 1
                    self._answer(400, b'{"code":"BAD_REQUEST","problem":"refused"}', {})
                    return
                status, answer, headers = outer._forward(target, self, body)
                outer.exchanges.append(
                    Exchange(self.command, self.path, dict(self.headers), body, status, answer)
                )
                if status == DROPPED:
                    self.close_connection = True  # the hub hung up: so does the proxy
                    return
                self._answer(status, answer, headers)

            do_POST = do_GET  # noqa: N815

            def _answer(self, status: int, answer: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def _forward(
        target: Any, request: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, bytes, dict[str, str]]:
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        try:
            headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
            connection.request(request.command, request.path, body=body or None, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            kept = {k: v for k, v in response.getheaders() if k.lower() == "retry-after"}
            return response.status, answer, kept
        except (http.client.HTTPException, OSError):
            return DROPPED, b"", {}
        finally:
            connection.close()

    def entry_bodies(self) -> list[bytes]:
        return [e.body for e in self.exchanges if e.path.startswith("/station/v1/entries")]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
