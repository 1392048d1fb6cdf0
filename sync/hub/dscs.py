"""Document signer certificates, kept the way the DGCA verifier service keeps them.

Each row gets a monotonically increasing id (the DGCA resume token). Removal is a soft delete so
the delta endpoint and the trust-list bundle can report it; adding a certificate that was
removed earlier inserts a new row, so resuming clients pick it up again.
"""

from __future__ import annotations

import base64
import binascii
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from station.trust.certificate import TrustedCertificate
from sync.hub.store import utc_iso

MANUAL = "manual"
TRUST_LIST = "trust-list"
_FINGERPRINT = re.compile(r"^[0-9a-fA-F]{64}$")


@dataclass(frozen=True, slots=True)
class Dsc:
    """One row of the signer table (a removed certificate has `deleted` set)."""

    id: int
    kid: str
    fingerprint: str
    country: str
    origin: str
    added_at: str
    deleted: bool
    deleted_at: str | None


def kid_text(kid: bytes) -> str:
    """The DGCA wire form of a kid: standard base64."""
    return base64.b64encode(kid).decode("ascii")


def normalise_kid(text: str) -> str:
    """A kid typed as standard or URL-safe base64, with or without padding, in wire form."""
    compact = text.strip().replace("-", "+").replace("_", "/").rstrip("=")
    try:
        raw = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"{text!r} is neither a kid (base64) nor a SHA-256 fingerprint") from exc
    if not raw:
        raise ValueError("an empty kid")
    return kid_text(raw)


def add(
    conn: sqlite3.Connection, certs: Sequence[TrustedCertificate], origin: str, now: datetime
) -> int:
    """Insert every certificate not already current; returns how many were added."""
    added = 0
    for cert in certs:
        if _current_id(conn, cert.fingerprint) is not None:
            continue
        conn.execute(
            "INSERT INTO dscs (kid, fingerprint, country, der, origin, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                kid_text(cert.kid),
                cert.fingerprint,
                cert.country or "",
                cert.der,
                origin,
                utc_iso(now),
            ),
        )
        added += 1
    return added


def remove(conn: sqlite3.Connection, selector: str, now: datetime) -> int:
    """Soft-delete the current rows named by kid or SHA-256 fingerprint; returns the count."""
    if _FINGERPRINT.match(selector.strip()):
        column, value = "fingerprint", selector.strip().lower()
    else:
        column, value = "kid", normalise_kid(selector)
    cursor = conn.execute(
        f"UPDATE dscs SET deleted = 1, deleted_at = ? WHERE deleted = 0 AND {column} = ?",
        (utc_iso(now), value),
    )
    return cursor.rowcount


def replace_trust_list(
    conn: sqlite3.Connection,
    certs: Sequence[TrustedCertificate],
    now: datetime,
    origin: str = TRUST_LIST,
) -> tuple[int, int]:
    """Make the rows of one origin (a loaded trust list, an upstream pull) equal `certs`:
    (added, removed). Rows of other origins, manual ones included, are untouched."""
    wanted = {cert.fingerprint for cert in certs}
    stale = [
        str(row[0])
        for row in conn.execute(
            "SELECT fingerprint FROM dscs WHERE deleted = 0 AND origin = ?", (origin,)
        )
        if row[0] not in wanted
    ]
    removed = sum(remove(conn, fingerprint, now) for fingerprint in stale)
    return add(conn, certs, origin, now), removed


def current_kids(conn: sqlite3.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT kid FROM dscs WHERE deleted = 0 ORDER BY id")]


def removed_kids(conn: sqlite3.Connection, since: str = "") -> list[str]:
    """Kids of removed certificates that no current certificate shares (removed at/after since)."""
    rows = conn.execute(
        "SELECT DISTINCT kid FROM dscs WHERE deleted = 1 AND deleted_at >= ? "
        "AND kid NOT IN (SELECT kid FROM dscs WHERE deleted = 0) ORDER BY kid",
        (since,),
    )
    return [str(r[0]) for r in rows]


def updated_kids(conn: sqlite3.Connection, since: str) -> list[str]:
    rows = conn.execute(
        "SELECT kid FROM dscs WHERE deleted = 0 AND added_at >= ? ORDER BY id", (since,)
    )
    return [str(r[0]) for r in rows]


def next_after(conn: sqlite3.Connection, token: int) -> tuple[int, str, bytes] | None:
    """The first current certificate with an id above the resume token: (id, kid, DER)."""
    row = conn.execute(
        "SELECT id, kid, der FROM dscs WHERE deleted = 0 AND id > ? ORDER BY id LIMIT 1", (token,)
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]), bytes(row[2]))


def lookup(conn: sqlite3.Connection, kids: Sequence[str]) -> dict[str, list[dict[str, str]]]:
    """Current certificates with the given kids, grouped by country (DGCA POST update)."""
    found: dict[str, list[dict[str, str]]] = {}
    for kid in dict.fromkeys(kids):
        for country, der in conn.execute(
            "SELECT country, der FROM dscs WHERE deleted = 0 AND kid = ? ORDER BY id", (kid,)
        ):
            raw = base64.b64encode(bytes(der)).decode("ascii")
            found.setdefault(str(country), []).append({"kid": kid, "rawData": raw})
    return found


def listing(conn: sqlite3.Connection) -> list[Dsc]:
    rows = conn.execute(
        "SELECT id, kid, fingerprint, country, origin, added_at, deleted, deleted_at "
        "FROM dscs ORDER BY id"
    )
    return [
        Dsc(
            id=int(row[0]),
            kid=str(row[1]),
            fingerprint=str(row[2]),
            country=str(row[3]),
            origin=str(row[4]),
            added_at=str(row[5]),
            deleted=bool(row[6]),
            deleted_at=row[7],
        )
        for row in rows
    ]


def countries(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT DISTINCT country FROM dscs WHERE deleted = 0 AND country != ''")
    return {str(r[0]) for r in rows}


def _current_id(conn: sqlite3.Connection, fingerprint: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM dscs WHERE deleted = 0 AND fingerprint = ?", (fingerprint,)
    ).fetchone()
    return None if row is None else int(row[0])
