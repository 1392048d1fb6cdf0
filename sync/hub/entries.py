"""Uploaded entry logs: storing batches once, and noticing when a station's log went backwards.

Each station numbers its entries 1, 2, 3, ... and never reuses a number. The hub keeps the
highest number it holds per station, so a station whose SQLite file lost committed rows (a
damaged WAL, a restored image) shows up as a batch claiming a next number at or below what the
hub already holds, or as a number arriving again under a new UUID. Either raises an alert, and
the entries are stored anyway: a station that lost its own copy must not lose the hub's too.

A batch is one transaction: the idempotency record, the new rows and the alerts commit together,
so a lost acknowledgement replays exactly the answer the station missed. The log-health view
lists, per station, the numbers below its highest that the hub never received and that no purge
report of the station explains: entries lost before they were uploaded.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sync.hub.messages import json_bytes
from sync.hub.problems import IDEMPOTENCY_KEY_REUSED, HubProblem
from sync.hub.store import utc_iso

STORED, DUPLICATE, REJECTED = "stored", "duplicate", "rejected"
#: A UUID the hub already holds for another station (it is never overwritten or disclosed).
UUID_CONFLICT = "UUID_CONFLICT"
ROLLBACK, SEQ_REUSE = "rollback", "seq_reuse"
_INSERT = (
    "INSERT INTO entries (station_id, received_at, uuid, seq, checkpoint_id, direction, minute, "
    "clock_trusted, verdict, reason, format, data_version, sealed) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True, slots=True)
class WireEntry:
    """One entry that passed the wire schema (`sealed` already decoded from base64url)."""

    uuid: str
    seq: int
    checkpoint_id: str
    direction: str
    minute: str
    clock_trusted: bool
    verdict: str
    reason: str
    format: str
    data_version: str
    sealed: bytes | None

    def columns(self) -> tuple[object, ...]:
        """The field values in declaration order (the order of the INSERT's columns)."""
        return tuple(getattr(self, name) for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record of the batch that failed the schema: answered, never stored."""

    uuid: str
    error: str


@dataclass(frozen=True, slots=True)
class EntryBatch:
    next_seq: int
    items: tuple[WireEntry | Rejected, ...]


@dataclass(frozen=True, slots=True)
class Idempotency:
    """The batch's `Idempotency-Key` and the SHA-256 of the exact body it came with."""

    key: str
    body_hash: str


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    at: str
    station_id: str
    kind: str
    first_seq: int
    last_seq: int
    message: str


def ingest(
    conn: sqlite3.Connection,
    station_id: str,
    batch: EntryBatch,
    idempotency: Idempotency,
    now: datetime,
) -> bytes:
    """Store a batch (inside the caller's write transaction) and return the answer's bytes."""
    replay = _replay(conn, station_id, idempotency)
    if replay is not None:
        return replay
    fresh = [item for item in batch.items if isinstance(item, WireEntry)]
    owners = _uuid_owners(conn, [entry.uuid for entry in fresh])
    seq_owners = _seq_owners(conn, station_id, [entry.seq for entry in fresh])
    held_max = _held_max(conn, station_id)
    results, new, reused = _sort_out(batch.items, station_id, owners, seq_owners)
    received = utc_iso(now)
    conn.executemany(_INSERT, ((station_id, received, *entry.columns()) for entry in new))
    if held_max and batch.next_seq <= held_max:
        message = f"local log rollback at device {station_id}, seq {batch.next_seq}..{held_max}"
        _alert(conn, (received, station_id, ROLLBACK, batch.next_seq, held_max, message))
    for first, last in to_ranges(reused):
        seqs = f"seq {first}" if first == last else f"seq {first}..{last}"
        message = f"{seqs} reused with a new UUID at device {station_id}"
        _alert(conn, (received, station_id, SEQ_REUSE, first, last, message))
    floor = max([held_max, *(entry.seq for entry in new)])
    conn.execute(
        "INSERT INTO station_logs (station_id, max_seq, next_seq, updated_at) VALUES (?,?,?,?) "
        "ON CONFLICT (station_id) DO UPDATE SET max_seq = excluded.max_seq, "
        "next_seq = excluded.next_seq, updated_at = excluded.updated_at",
        (station_id, floor, batch.next_seq, received),
    )
    answer = json_bytes({"results": results, "seq_floor": floor})
    conn.execute(
        "INSERT INTO idempotency_keys (station_id, key, body_hash, answer, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (station_id, idempotency.key, idempotency.body_hash, answer, received),
    )
    return answer


def _replay(conn: sqlite3.Connection, station_id: str, idempotency: Idempotency) -> bytes | None:
    """The stored answer for a repeated key; 422 if the key came with another body before."""
    row = conn.execute(
        "SELECT body_hash, answer FROM idempotency_keys WHERE station_id = ? AND key = ?",
        (station_id, idempotency.key),
    ).fetchone()
    if row is None:
        return None
    if row[0] != idempotency.body_hash:
        raise HubProblem(
            422,
            IDEMPOTENCY_KEY_REUSED,
            "this Idempotency-Key was used with another body",
            idempotency.key,
        )
    return bytes(row[1])


def _sort_out(
    items: Sequence[WireEntry | Rejected],
    station_id: str,
    owners: dict[str, str],
    seq_owners: dict[int, str],
) -> tuple[list[dict[str, str]], list[WireEntry], list[int]]:
    """Per-record answers in request order, the entries to insert, and the reused numbers."""
    results: list[dict[str, str]] = []
    new: list[WireEntry] = []
    reused: list[int] = []
    for item in items:
        if isinstance(item, Rejected):
            results.append({"uuid": item.uuid, "status": REJECTED, "error": item.error})
            continue
        owner = owners.get(item.uuid)
        if owner is not None and owner != station_id:
            results.append({"uuid": item.uuid, "status": REJECTED, "error": UUID_CONFLICT})
            continue
        if owner is not None:
            results.append({"uuid": item.uuid, "status": DUPLICATE})
            continue
        if item.seq in seq_owners:
            reused.append(item.seq)
        owners[item.uuid] = station_id
        seq_owners[item.seq] = item.uuid
        new.append(item)
        results.append({"uuid": item.uuid, "status": STORED})
    return results, new, reused


def _uuid_owners(conn: sqlite3.Connection, uuids: list[str]) -> dict[str, str]:
    """uuid → station for the UUIDs the hub holds or held (purged entries leave a tombstone)."""
    if not uuids:
        return {}
    marks = ",".join("?" * len(uuids))
    rows = conn.execute(
        f"SELECT uuid, station_id FROM entries WHERE uuid IN ({marks}) UNION ALL "
        f"SELECT uuid, station_id FROM entry_tombstones WHERE uuid IN ({marks})",
        (*uuids, *uuids),
    )
    return {str(uuid): str(station) for uuid, station in rows}


def _seq_owners(conn: sqlite3.Connection, station_id: str, seqs: list[int]) -> dict[int, str]:
    if not seqs:
        return {}
    marks = ",".join("?" * len(seqs))
    rows = conn.execute(
        f"SELECT seq, uuid FROM entries WHERE station_id = ? AND seq IN ({marks}) UNION ALL "
        f"SELECT seq, uuid FROM entry_tombstones WHERE station_id = ? AND seq IN ({marks})",
        (station_id, *seqs, station_id, *seqs),
    )
    return {int(seq): str(uuid) for seq, uuid in rows}


def _held_max(conn: sqlite3.Connection, station_id: str) -> int:
    row = conn.execute(
        "SELECT max_seq FROM station_logs WHERE station_id = ?", (station_id,)
    ).fetchone()
    return 0 if row is None else int(row[0])


def _alert(conn: sqlite3.Connection, values: tuple[object, ...]) -> None:
    """Record (at, station, kind, first seq, last seq, message)."""
    conn.execute(
        "INSERT INTO log_alerts (at, station_id, kind, first_seq, last_seq, message) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        values,
    )


def to_ranges(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted, merged [first, last] runs of `numbers` (duplicates allowed)."""
    ranges: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return ranges


def alerts(conn: sqlite3.Connection, station_id: str | None = None) -> list[Alert]:
    """Rollback and reuse alerts, oldest first (optionally of one station)."""
    sql = "SELECT id, at, station_id, kind, first_seq, last_seq, message FROM log_alerts"
    args: tuple[str, ...] = ()
    if station_id is not None:
        sql, args = sql + " WHERE station_id = ?", (station_id,)
    return [Alert(*row) for row in conn.execute(sql + " ORDER BY id", args)]


@dataclass(frozen=True, slots=True)
class LogHealth:
    """One station's log as the hub sees it; `missing` numbers were lost, not purged."""

    station_id: str
    entries: int
    purged: int
    max_seq: int
    next_seq: int
    reported_unsent: int
    missing: tuple[tuple[int, int], ...]


_GAPS = """
WITH held AS (SELECT seq FROM entries WHERE station_id = :station
              UNION SELECT seq FROM entry_tombstones WHERE station_id = :station)
SELECT previous + 1, seq - 1 FROM (
    SELECT seq, lag(seq, 1, 0) OVER (ORDER BY seq) AS previous FROM held)
WHERE seq > previous + 1
"""


def log_health(conn: sqlite3.Connection) -> list[LogHealth]:
    """Per enrolled station: what it uploaded, and the gaps its purge reports do not explain."""
    rows = conn.execute(
        "SELECT s.id, coalesce(l.max_seq, 0), coalesce(l.next_seq, 0) FROM stations s "
        "LEFT JOIN station_logs l ON l.station_id = s.id ORDER BY s.id"
    ).fetchall()
    return [_health(conn, str(station), int(top), int(after)) for station, top, after in rows]


def _health(conn: sqlite3.Connection, station_id: str, max_seq: int, next_seq: int) -> LogHealth:
    def count(sql: str) -> int:
        return int(conn.execute(sql, (station_id,)).fetchone()[0])

    gaps = [(int(a), int(b)) for a, b in conn.execute(_GAPS, {"station": station_id})]
    reported: list[tuple[int, int]] = []
    for (text,) in conn.execute(
        "SELECT seq_ranges FROM purge_reports WHERE station_id = ?", (station_id,)
    ):
        reported.extend((int(a), int(b)) for a, b in json.loads(text))
    return LogHealth(
        station_id=station_id,
        entries=count("SELECT count(*) FROM entries WHERE station_id = ?"),
        purged=count("SELECT count(*) FROM entry_tombstones WHERE station_id = ?"),
        max_seq=max_seq,
        next_seq=next_seq,
        reported_unsent=count(
            "SELECT coalesce(sum(purged_unsent), 0) FROM purge_reports WHERE station_id = ?"
        ),
        missing=tuple(subtract_ranges(gaps, reported)),
    )


def subtract_ranges(
    ranges: Iterable[tuple[int, int]], covered: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The parts of `ranges` (inclusive pairs) that no pair of `covered` overlaps."""
    cover = sorted(covered)
    left: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        start = first
        for low, high in cover:
            if high < start or low > last:
                continue
            if low > start:
                left.append((start, low - 1))
            start = max(start, high + 1)
        if start <= last:
            left.append((start, last))
    return left
