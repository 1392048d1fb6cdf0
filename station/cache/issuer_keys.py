"""Issuer keys of the non-EU credential families, and their per-credential revocations.

SMART Health Cards, NZ COVID Pass, VDS-NC and DIVOC each name their signer differently (an
issuer URL and a JWK thumbprint, a DID and a key id, a certificate), but a station needs the same
thing from all of them: the public keys an allow-listed issuer signs with, held locally and never
fetched at scan time. Keys are stored as the JSON objects their family publishes; a key holding
private members is refused, so a mistaken import can never put a signing key on a kiosk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from station.cache.database import CacheDatabase

#: JWK members that only a private key has (RFC 7518 §6.2.2, §6.3.2, §6.4).
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
ORIGINS = ("manual", "sync")


@dataclass(frozen=True, slots=True)
class SyncedIssuer:
    """One issuer as a sync delivers it: keys, CRL versions and revoked rids per kid."""

    family: str
    issuer: str
    keys: tuple[Mapping[str, Any], ...]
    crl_versions: Mapping[str, int] = field(default_factory=dict)
    rids: Mapping[str, list[tuple[str, int | None]]] = field(default_factory=dict)


class IssuerKeyCache:
    """Issuer keys and revocations in the cache; writes join an open transaction."""

    def __init__(self, cache: CacheDatabase) -> None:
        self.cache = cache

    def import_keys(
        self,
        family: str,
        issuer: str,
        keys: Iterable[Mapping[str, Any]],
        *,
        origin: str = "manual",
        crl_version: int | None = None,
    ) -> int:
        """Store (or replace) `issuer`'s keys, each under its `kid`; returns how many.

        ValueError for a key without a kid, with private members, or an unknown origin, before
        anything is written.
        """
        if origin not in ORIGINS:
            raise ValueError(f"origin must be one of {ORIGINS}")
        rows = [_row(family, issuer, key, origin, crl_version) for key in keys]
        with self.cache.transaction():
            self.cache.conn.executemany(
                "INSERT OR REPLACE INTO issuer_keys VALUES (?, ?, ?, ?, ?, ?, ?)", rows
            )
        return len(rows)

    def replace_synced(self, issuers: Iterable[SyncedIssuer]) -> tuple[int, int]:
        """Make the synced keys and rids exactly `issuers` (manual keys stay); (keys, rids).

        Joins the caller's transaction, so a whole bundle is applied or none of it.
        """
        conn = self.cache.conn
        with self.cache.transaction():
            before = conn.execute(
                "SELECT DISTINCT family, issuer FROM issuer_keys WHERE origin = 'sync'"
            ).fetchall()
            conn.execute("DELETE FROM issuer_keys WHERE origin = 'sync'")
            issuers = list(issuers)
            for family, issuer in {*map(tuple, before), *((i.family, i.issuer) for i in issuers)}:
                conn.execute(
                    "DELETE FROM issuer_revocations WHERE family = ? AND issuer = ?",
                    (family, issuer),
                )
            keys = rids = 0
            for item in issuers:
                for key in item.keys:
                    ctr = item.crl_versions.get(str(key.get("kid")))
                    keys += self.import_keys(
                        item.family, item.issuer, [key], origin="sync", crl_version=ctr
                    )
                for kid, revoked in item.rids.items():
                    rids += self.add_revocations(item.family, item.issuer, kid, revoked)
        return keys, rids

    def remove_issuer(self, family: str, issuer: str) -> int:
        """Forget an issuer: its keys and its revocations."""
        with self.cache.transaction():
            removed = self.cache.conn.execute(
                "DELETE FROM issuer_keys WHERE family = ? AND issuer = ?", (family, issuer)
            ).rowcount
            self.cache.conn.execute(
                "DELETE FROM issuer_revocations WHERE family = ? AND issuer = ?", (family, issuer)
            )
        return int(removed)

    def keys_for(self, family: str, issuer: str, kid: str) -> list[dict[str, Any]]:
        rows = self.cache.conn.execute(
            "SELECT key_json FROM issuer_keys WHERE family = ? AND issuer = ? AND kid = ?",
            (family, issuer, kid),
        ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def keys_with_kid(self, family: str, kid: str) -> list[tuple[str, dict[str, Any]]]:
        rows = self.cache.conn.execute(
            "SELECT issuer, key_json FROM issuer_keys WHERE family = ? AND kid = ? ORDER BY issuer",
            (family, kid),
        ).fetchall()
        return [(str(row[0]), json.loads(row[1])) for row in rows]

    def issuers(self, family: str) -> list[str]:
        rows = self.cache.conn.execute(
            "SELECT DISTINCT issuer FROM issuer_keys WHERE family = ? ORDER BY issuer", (family,)
        ).fetchall()
        return [str(row[0]) for row in rows]

    def rows(self) -> list[dict[str, Any]]:
        """Every key, for `station trust keys` (no key material, only who and when)."""
        cursor = self.cache.conn.execute(
            "SELECT family, issuer, kid, origin, crl_version, added_at FROM issuer_keys "
            "ORDER BY family, issuer, kid"
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def add_revocations(
        self, family: str, issuer: str, kid: str, rids: Iterable[tuple[str, int | None]]
    ) -> int:
        """Record revoked credential ids (`rid`, optional cut-off in unix seconds)."""
        rows = [(family, issuer, kid, rid, cutoff) for rid, cutoff in rids]
        with self.cache.transaction():
            self.cache.conn.executemany(
                "INSERT OR REPLACE INTO issuer_revocations VALUES (?, ?, ?, ?, ?)", rows
            )
        return len(rows)

    def is_revoked(self, family: str, issuer: str, kid: str, rid: str, issued_at: int) -> bool:
        """True when `rid` is revoked outright, or for credentials issued before its cut-off."""
        row = self.cache.conn.execute(
            "SELECT cutoff FROM issuer_revocations "
            "WHERE family = ? AND issuer = ? AND kid = ? AND rid = ?",
            (family, issuer, kid, rid),
        ).fetchone()
        if row is None:
            return False
        cutoff = row[0]
        return cutoff is None or issued_at < int(cutoff)


def _row(
    family: str, issuer: str, key: Mapping[str, Any], origin: str, crl_version: int | None
) -> tuple[Any, ...]:
    if not isinstance(key, Mapping):
        raise ValueError("an issuer key must be a JSON object")
    private = PRIVATE_MEMBERS & set(key)
    if private:
        raise ValueError(f"refused: the key holds private members ({', '.join(sorted(private))})")
    kid = key.get("kid")
    if not isinstance(kid, str) or not kid or len(kid) > 512:
        raise ValueError("an issuer key needs a 'kid'")
    if not family or not issuer:
        raise ValueError("an issuer key needs a family and an issuer")
    added = datetime.now(UTC).isoformat(timespec="seconds")
    return (family, issuer, kid, json.dumps(dict(key), sort_keys=True), origin, crl_version, added)
