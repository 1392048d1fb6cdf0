"""Enrollment codes and station tokens.

A code is typed by a person at the station, so it is base32 in groups of four (80 random bits)
and forgiving about case, dashes and the digits people confuse with letters. It works once and
expires. The token a station gets back is 256 random bits; the hub keeps only its SHA-256, so a
copied hub database does not let anyone impersonate a station.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from sync.hub.problems import ENROLLMENT_REFUSED, NOT_ENROLLED, STATION_REVOKED, HubProblem
from sync.hub.store import utc_iso

CODE_BYTES = 10
TOKEN_BYTES = 32
_TYPO_FIXES = str.maketrans({"0": "O", "1": "I", "8": "B", "-": None, " ": None})


@dataclass(frozen=True, slots=True)
class Station:
    """A station as the hub knows it (no token: only its hash is stored)."""

    id: str
    name: str
    enrolled_at: str
    last_seen: str | None
    revoked_at: str | None
    #: PEM of the P-256 public key the station signs its entry uploads with (None: enrolled
    #: without one, so it cannot upload entries).
    device_key: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class Enrollment:
    """What a successful enrollment hands to the station (the token is shown only here)."""

    station_id: str
    token: str


def new_code() -> str:
    """A fresh `XXXX-XXXX-XXXX-XXXX` code (base32, 80 bits)."""
    text = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def code_hash(code: str) -> str:
    """The stored form of a code, after forgiving the usual typing differences."""
    canonical = code.upper().translate(_TYPO_FIXES)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def store_code(
    conn: sqlite3.Connection, code: str, name: str, now: datetime, valid_for: timedelta
) -> None:
    conn.execute(
        "INSERT INTO enrollment_codes (code_hash, name, created_at, expires_at) VALUES (?,?,?,?)",
        (code_hash(code), name, utc_iso(now), utc_iso(now + valid_for)),
    )


def ensure_device_key_column(conn: sqlite3.Connection) -> None:
    """Add `stations.device_key` to a hub file created before stations had device keys."""
    columns = {str(row[1]) for row in conn.execute("PRAGMA table_info(stations)")}
    if "device_key" not in columns:
        conn.execute("ALTER TABLE stations ADD COLUMN device_key TEXT")


def redeem_code(
    conn: sqlite3.Connection,
    code: str,
    name: str,
    now: datetime,
    device_key: str | None = None,
) -> Enrollment:
    """Use up `code` and register a station, or refuse (unknown, used or expired code)."""
    station_id = "st-" + secrets.token_hex(8)
    claimed = conn.execute(
        "UPDATE enrollment_codes SET used_at = ?, station_id = ? "
        "WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING name",
        (utc_iso(now), station_id, code_hash(code), utc_iso(now)),
    ).fetchall()
    if not claimed:
        raise HubProblem(403, ENROLLMENT_REFUSED, "the enrollment code is unknown, used or expired")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    conn.execute(
        "INSERT INTO stations (id, name, token_hash, enrolled_at, device_key) "
        "VALUES (?, ?, ?, ?, ?)",
        (station_id, name or str(claimed[0][0]), token_hash(token), utc_iso(now), device_key),
    )
    return Enrollment(station_id=station_id, token=token)


def find_station(conn: sqlite3.Connection, token: str) -> Station:
    """The station presenting `token`; 401 when unknown, 403 when revoked."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM stations WHERE token_hash = ?", (token_hash(token),)
    ).fetchone()
    if row is None:
        raise HubProblem(401, NOT_ENROLLED, "this station is not enrolled with the hub")
    station = Station(*row)
    if station.revoked:
        raise HubProblem(403, STATION_REVOKED, "this station's enrollment was revoked")
    return station


def touch(conn: sqlite3.Connection, station_id: str, now: datetime) -> None:
    conn.execute("UPDATE stations SET last_seen = ? WHERE id = ?", (utc_iso(now), station_id))


def revoke(conn: sqlite3.Connection, station_id: str, now: datetime) -> bool:
    cursor = conn.execute(
        "UPDATE stations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        (utc_iso(now), station_id),
    )
    return cursor.rowcount > 0


def all_stations(conn: sqlite3.Connection) -> list[Station]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM stations ORDER BY enrolled_at, id").fetchall()
    return [Station(*row) for row in rows]


_COLUMNS = "id, name, enrolled_at, last_seen, revoked_at, device_key"
