"""Business rules and value sets, stored as the exact bytes they were loaded from.

DGCA clients recompute the SHA-256 of every rule body and compare it with the hash in the URL,
so a body is never parsed-and-re-serialized on the way out: the bytes read from the admin's file
are the bytes served, and the hash is computed over exactly those.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sync.hub.store import utc_iso

COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_CONTENT_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Rule:
    """The list entry of one rule (`GET /rules`)."""

    identifier: str
    version: str
    country: str
    hash: str

    def to_json(self) -> dict[str, str]:
        return {
            "identifier": self.identifier,
            "version": self.version,
            "country": self.country,
            "hash": self.hash,
        }


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def parse_rule(body: bytes) -> Rule:
    """Read identifier, version and country out of an EU rule file; ValueError if not one."""
    document = _json_object(body, "rule")
    identifier, version, country = (document.get(k) for k in ("Identifier", "Version", "Country"))
    if not isinstance(identifier, str) or not identifier:
        raise ValueError("the rule has no Identifier")
    if not isinstance(version, str) or not version:
        raise ValueError("the rule has no Version")
    if not isinstance(country, str) or not COUNTRY.match(country):
        raise ValueError("the rule's Country is not a two-letter upper-case code")
    return Rule(identifier, version, country, sha256_hex(body))


def store_rule(conn: sqlite3.Connection, body: bytes, now: datetime) -> tuple[Rule, bool]:
    """Insert or replace the rule (identifier, version); False when it was already stored."""
    rule = parse_rule(body)
    existing = conn.execute(
        "SELECT hash FROM rules WHERE identifier = ? AND version = ?",
        (rule.identifier, rule.version),
    ).fetchone()
    if existing is not None and existing[0] == rule.hash:
        return rule, False
    conn.execute(
        "INSERT OR REPLACE INTO rules (identifier, version, country, hash, body, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (rule.identifier, rule.version, rule.country, rule.hash, body, utc_iso(now)),
    )
    return rule, True


def delete_rule(conn: sqlite3.Connection, identifier: str) -> int:
    """Remove every version of a rule; returns how many were removed."""
    return conn.execute("DELETE FROM rules WHERE identifier = ?", (identifier,)).rowcount


def rules(conn: sqlite3.Connection, country: str | None = None) -> list[Rule]:
    sql = "SELECT identifier, version, country, hash FROM rules"
    args: tuple[str, ...] = ()
    if country is not None:
        sql, args = sql + " WHERE country = ?", (country,)
    return [Rule(*row) for row in conn.execute(sql + " ORDER BY country, identifier, id", args)]


def rule_body(conn: sqlite3.Connection, country: str, digest: str) -> bytes | None:
    row = conn.execute(
        "SELECT body FROM rules WHERE country = ? AND hash = ?", (country, digest)
    ).fetchone()
    return None if row is None else bytes(row[0])


def store_valueset(conn: sqlite3.Connection, body: bytes, now: datetime) -> tuple[str, str, bool]:
    """Insert or replace a value set by its `valueSetId`: (id, hash, changed)."""
    set_id = _json_object(body, "value set").get("valueSetId")
    if not isinstance(set_id, str) or not set_id:
        raise ValueError("the value set has no valueSetId")
    digest = sha256_hex(body)
    existing = conn.execute("SELECT hash FROM valuesets WHERE id = ?", (set_id,)).fetchone()
    if existing is not None and existing[0] == digest:
        return set_id, digest, False
    conn.execute(
        "INSERT OR REPLACE INTO valuesets (id, hash, body, added_at) VALUES (?, ?, ?, ?)",
        (set_id, digest, body, utc_iso(now)),
    )
    return set_id, digest, True


def delete_valueset(conn: sqlite3.Connection, set_id: str) -> int:
    return conn.execute("DELETE FROM valuesets WHERE id = ?", (set_id,)).rowcount


def valuesets(conn: sqlite3.Connection) -> list[dict[str, str]]:
    rows = conn.execute("SELECT id, hash FROM valuesets ORDER BY id")
    return [{"id": str(r[0]), "hash": str(r[1])} for r in rows]


def valueset_body(conn: sqlite3.Connection, digest: str) -> bytes | None:
    row = conn.execute("SELECT body FROM valuesets WHERE hash = ?", (digest,)).fetchone()
    return None if row is None else bytes(row[0])


def rule_countries(conn: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT DISTINCT country FROM rules")}


def _json_object(body: bytes, what: str) -> dict[str, Any]:
    if len(body) > MAX_CONTENT_BYTES:
        raise ValueError(f"the {what} file is too large")
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValueError(f"the {what} file is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise ValueError(f"the {what} file is not a JSON object")
    return document
