"""Allow-listed issuers of the non-EU families (SMART Health Cards, NZCP, VDS-NC, DIVOC).

The hub keeps each issuer's public keys and, for SMART Health Cards, its revocation lists (CRLs
of `rid`s per key), and ships them all to stations as one signed `issuer-keys` bundle: the
model of the VCI directory's daily signed snapshot, so a station never contacts an issuer
itself. Keys are checked when they are added (public members only, a kid on every key, the SHC
kid equal to the key's RFC 7638 thumbprint), so a bad key is refused at the hub, not at a gate.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from station.cache.issuer_keys import PRIVATE_MEMBERS
from sync.jwk import jwk_thumbprint

FAMILIES = ("shc", "nzcp", "vds", "divoc")
MAX_KEYS = 100


def checked_keys(family: str, keys: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The keys as they will be published; ValueError naming the first problem."""
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {', '.join(FAMILIES)}")
    if not keys or len(keys) > MAX_KEYS:
        raise ValueError(f"an issuer needs 1 to {MAX_KEYS} keys")
    checked = []
    for key in keys:
        if not isinstance(key, Mapping) or not isinstance(key.get("kid"), str):
            raise ValueError("every key must be a JSON object with a 'kid'")
        if PRIVATE_MEMBERS & set(key):
            raise ValueError(f"key {key['kid']}: refused, it holds private members")
        if family == "shc" and jwk_thumbprint(key) != key["kid"]:
            raise ValueError(f"key {key['kid']}: a SMART Health Card kid must be its thumbprint")
        checked.append(dict(key))
    return checked


def checked_crls(crls: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """SHC CRL documents `{kid, method: "rid", ctr, rids: ["rid" | "rid.timestamp"]}`."""
    checked = []
    for crl in crls:
        rids = crl.get("rids") if isinstance(crl, Mapping) else None
        if not isinstance(crl, Mapping) or crl.get("method") != "rid" or not isinstance(rids, list):
            raise ValueError("a CRL must be {kid, method: 'rid', ctr, rids: [...]}")
        if not all(isinstance(rid, str) and 0 < len(rid) <= 64 for rid in rids):
            raise ValueError("CRL rids must be short strings")
        checked.append({"kid": str(crl.get("kid")), "ctr": int(crl.get("ctr", 1)), "rids": rids})
    return checked


def store_issuer(
    conn: sqlite3.Connection,
    family: str,
    issuer: str,
    keys: list[dict[str, Any]],
    crls: list[dict[str, Any]],
    now: str,
) -> int:
    before = conn.execute(
        "SELECT keys_json, crls_json FROM issuers WHERE family = ? AND issuer = ?",
        (family, issuer),
    ).fetchone()
    after = (json.dumps(keys, sort_keys=True), json.dumps(crls, sort_keys=True))
    if before is not None and tuple(before) == after:
        return 0
    conn.execute(
        "INSERT OR REPLACE INTO issuers VALUES (?, ?, ?, ?, ?)", (family, issuer, *after, now)
    )
    return 1


def delete_issuer(conn: sqlite3.Connection, family: str, issuer: str) -> int:
    cursor = conn.execute("DELETE FROM issuers WHERE family = ? AND issuer = ?", (family, issuer))
    return int(cursor.rowcount)


def all_issuers(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT family, issuer, keys_json, crls_json FROM issuers ORDER BY family, issuer"
    ).fetchall()
    return [
        {"family": row[0], "issuer": row[1], "keys": json.loads(row[2]), "crls": json.loads(row[3])}
        for row in rows
    ]
