"""The health authority's side of sealed identity blocks: its public key, and how long they stay.

The authority keeps the X25519 private key (in production, in an HSM); the hub only ever holds
the public half. Registering one publishes it as a new version of the source "sealing-key",
served as a signed bundle, so a station seals identities only to a key its pinned hub vouches
for. Blocks sealed to an earlier key stay openable by that key's owner: keys are added, never
replaced in place.

Retention on both sides is accounted here. A station reports each purge of its own log (counts
and the numbers it deleted unsent, never content), so the log-health view can tell purged
entries from lost ones. The hub's own purge deletes entries (and the sealed blocks in them)
older than N days with `secure_delete` on, but leaves their UUID, station and number behind as
tombstones, so a late retry is still answered "duplicate" and the numbers still count as held.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.entrylog import sealing
from station.entrylog.sealing import SealingKey
from sync.hub.store import utc_iso

SEALING_KEY = "sealing-key"
_WHERE_OLD = "received_at < :cutoff OR (clock_trusted = 1 AND minute < :minute)"


@dataclass(frozen=True, slots=True)
class AuthorityKey:
    """A registered public sealing key and the source version it was published under."""

    version: int
    key: SealingKey
    added_at: str

    @property
    def key_id(self) -> str:
        """Hex of the 8-byte id every block sealed to this key starts with."""
        return self.key.id.hex()


@dataclass(frozen=True, slots=True)
class HubPurge:
    """What a hub retention run deleted (counts only)."""

    entries: int
    sealed: int
    answers: int


def current_key(conn: sqlite3.Connection) -> AuthorityKey | None:
    row = conn.execute(
        "SELECT version, public_key, added_at FROM authority_keys ORDER BY version DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return AuthorityKey(int(row[0]), SealingKey.from_raw(bytes(row[1])), str(row[2]))


def register(conn: sqlite3.Connection, key: SealingKey, version: int, now: datetime) -> int:
    """Publish `key` under `version`; 0 (nothing changed) when it already is the current key."""
    current = current_key(conn)
    if current is not None and current.key.raw() == key.raw():
        return 0
    conn.execute(
        "INSERT INTO authority_keys (version, public_key, key_id, added_at) VALUES (?, ?, ?, ?)",
        (version, key.raw(), key.id.hex(), utc_iso(now)),
    )
    return 1


def bundle_fields(key: AuthorityKey) -> dict[str, str]:
    """The payload fields of the sealing-key bundle besides the envelope."""
    return {"key": key.key.to_text(), "key_id": key.key_id}


def parse_raw_key(text: str) -> SealingKey:
    """A public key given as base64url of its 32 raw bytes (as an HSM exports it)."""
    try:
        return SealingKey.from_text(text.strip())
    except sealing.SealError as exc:
        raise ValueError(f"the public key is not usable: {exc}") from None


def create_key_file(path: Path) -> X25519PrivateKey:
    """Generate the authority's key pair and write the private half to `path` (0600, new file)."""
    if path.exists():
        raise ValueError(f"{path} already exists; refusing to overwrite a private key")
    key = sealing.generate_authority_key()
    sealing.save_private_key(key, path)
    return key


def purge_entries(conn: sqlite3.Connection, cutoff: datetime, now: datetime) -> HubPurge:
    """Delete entries received before `cutoff` (or recorded before it on a trusted clock).

    Run with `PRAGMA secure_delete` on, so the freed pages are zeroed rather than left readable.
    """
    bounds = {"cutoff": utc_iso(cutoff), "minute": utc_iso(cutoff)[:16] + "Z"}
    sealed = conn.execute(
        f"SELECT count(*) FROM entries WHERE sealed IS NOT NULL AND ({_WHERE_OLD})", bounds
    ).fetchone()[0]
    conn.execute(
        "INSERT OR IGNORE INTO entry_tombstones (uuid, station_id, seq, purged_at) "
        f"SELECT uuid, station_id, seq, :now FROM entries WHERE {_WHERE_OLD}",
        {**bounds, "now": utc_iso(now)},
    )
    deleted = conn.execute(f"DELETE FROM entries WHERE {_WHERE_OLD}", bounds).rowcount
    answers = conn.execute(
        "DELETE FROM idempotency_keys WHERE created_at < :cutoff", bounds
    ).rowcount
    return HubPurge(entries=deleted, sealed=int(sealed), answers=answers)


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a station's retention purge deleted: counts, and the numbers it never uploaded."""

    id: str
    at: str
    purged_unsent: int
    purged_uploaded: int
    purged_quarantined: int
    seq_ranges: tuple[tuple[int, int], ...]


def store_purge_report(
    conn: sqlite3.Connection, station_id: str, report: PurgeReport, now: datetime
) -> bool:
    """Keep a station's purge report; False when this report id was already stored."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO purge_reports (station_id, id, at, purged_unsent, purged_uploaded, "
        "purged_quarantined, seq_ranges, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            station_id,
            report.id,
            report.at,
            report.purged_unsent,
            report.purged_uploaded,
            report.purged_quarantined,
            json.dumps([list(pair) for pair in report.seq_ranges]),
            utc_iso(now),
        ),
    )
    return cursor.rowcount > 0
