"""Business rules and value sets in the cache, kept in step with the hub by content hash.

DGCA lists name each rule and value set by the SHA-256 of its body, so a sync only downloads what
it does not hold yet. A replacement therefore diffs by hash: what is unchanged stays as stored
(the caller may pass an empty body for it), what is new is inserted, what is no longer listed is
deleted. Checking that a body matches its hash is the sync client's job, before it gets here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from station.cache.database import CacheDatabase


@dataclass(frozen=True, slots=True)
class StoredRule:
    """A CertLogic rule as listed (identifier, version, country, hash) with its JSON body."""

    identifier: str
    version: str
    country: str
    hash: str
    body: bytes


@dataclass(frozen=True, slots=True)
class StoredValueSet:
    """An EU value set (`valueSetId`, its hash, its JSON body)."""

    id: str
    hash: str
    body: bytes


@dataclass(frozen=True, slots=True)
class ListDiff:
    """What a replacement changed."""

    added: int
    removed: int
    unchanged: int


class RulesCache:
    """The rules and value-set tables; every write joins an open transaction."""

    def __init__(self, cache: CacheDatabase) -> None:
        self.cache = cache

    def replace_rules(self, items: Iterable[StoredRule]) -> ListDiff:
        """Make the stored rules exactly `items`; a new rule without a body raises ValueError."""
        wanted = {item.hash: item for item in items}
        conn = self.cache.conn
        with self.cache.transaction():
            held = {row[0] for row in conn.execute("SELECT hash FROM rules")}
            new = [item for digest, item in wanted.items() if digest not in held]
            for item in new:
                if not item.body:
                    raise ValueError(f"rule {item.identifier} {item.version} has no body")
            gone = held - wanted.keys()
            conn.executemany("DELETE FROM rules WHERE hash = ?", ((d,) for d in gone))
            conn.executemany(
                "INSERT INTO rules (hash, identifier, version, country, body)"
                " VALUES (?, ?, ?, ?, ?)",
                ((r.hash, r.identifier, r.version, r.country, r.body) for r in new),
            )
        return ListDiff(len(new), len(gone), len(wanted) - len(new))

    def rule_bodies(self) -> list[bytes]:
        """Every rule's JSON body, by country, identifier and version."""
        rows = self.cache.conn.execute(
            "SELECT body FROM rules ORDER BY country, identifier, version, hash"
        )
        return [row[0] for row in rows]

    def rule_index(self) -> list[dict[str, str]]:
        """The listing of held rules (identifier, version, country, hash), without bodies."""
        rows = self.cache.conn.execute(
            "SELECT identifier, version, country, hash FROM rules"
            " ORDER BY country, identifier, version, hash"
        )
        return [{"identifier": i, "version": v, "country": c, "hash": h} for i, v, c, h in rows]

    def replace_value_sets(self, items: Iterable[StoredValueSet]) -> ListDiff:
        """Make the stored value sets exactly `items`, by id; a changed one is replaced.

        An empty body is taken from a held value set with the same hash. A body that is not an
        EU value set (a JSON object with a `valueSetValues` object) raises ValueError.
        """
        wanted = {item.id: item for item in items}
        conn = self.cache.conn
        with self.cache.transaction():
            held = self.value_set_hashes()
            changed = [item for key, item in wanted.items() if held.get(key) != item.hash]
            rows = [(item.id, item.hash, self._body_for(item)) for item in changed]
            gone = held.keys() - wanted.keys()
            conn.executemany("DELETE FROM value_sets WHERE id = ?", ((key,) for key in gone))
            conn.executemany(
                "INSERT OR REPLACE INTO value_sets (id, hash, body) VALUES (?, ?, ?)", rows
            )
        return ListDiff(len(changed), len(gone), len(wanted) - len(changed))

    def value_set_codes(self) -> dict[str, list[str]]:
        """Value-set id → its codes (the keys of `valueSetValues`), sorted."""
        rows = self.cache.conn.execute("SELECT id, body FROM value_sets ORDER BY id")
        return {key: value_set_codes(body) for key, body in rows}

    def value_set_hashes(self) -> dict[str, str]:
        rows = self.cache.conn.execute("SELECT id, hash FROM value_sets ORDER BY id")
        return {key: digest for key, digest in rows}

    def _body_for(self, item: StoredValueSet) -> bytes:
        body = item.body
        if not body:
            row = self.cache.conn.execute(
                "SELECT body FROM value_sets WHERE hash = ? LIMIT 1", (item.hash,)
            ).fetchone()
            if row is None:
                raise ValueError(f"value set {item.id} has no body")
            body = row[0]
        value_set_codes(body)
        return bytes(body)


def value_set_codes(body: bytes) -> list[str]:
    """The codes of an EU value-set document; ValueError if it is not one."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ValueError("a value set is not JSON") from exc
    values = document.get("valueSetValues") if isinstance(document, dict) else None
    if not isinstance(values, dict):
        raise ValueError("a value set has no valueSetValues object")
    return sorted(str(code) for code in values)
