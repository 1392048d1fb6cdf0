"""Business rules and value sets: signed list, then each item fetched by its hash (DGCA style).

Each list carries an `X-SIGNATURE` by a pinned key; each downloaded item must hash to the hash it
was asked for, so neither a tampered list nor a tampered rule can enter the cache. A rule whose
identifier the station already holds at a higher version is a rollback and is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from station.cache.rules_store import RulesCache, StoredRule, StoredValueSet
from station.cache.sync_state import SyncStateStore
from sync.bundle import verify_hash_string
from sync.context import SourceResult, SyncContext
from sync.errors import DataInvalid, RollbackAttempt

RULES_SOURCE = "rules"
VALUE_SETS_SOURCE = "valuesets"
MAX_ITEM_BYTES = 512 * 1024
MAX_ITEMS = 5_000
_HASH = re.compile(r"^[0-9a-f]{64}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def sync_rules(ctx: SyncContext) -> SourceResult:
    listing = _signed_list(ctx, "rules")
    held = {row["hash"]: row for row in RulesCache(ctx.cache).rule_index()}
    items: list[StoredRule] = []
    for entry in listing:
        identifier, version, country, digest = _rule_entry(entry)
        if digest in held:
            body = None
        else:
            body = _fetch_by_hash(ctx, f"rules/{country.lower()}/{digest}", digest)
        items.append(StoredRule(identifier, version, country, digest, body or b""))
    _refuse_older_versions(held.values(), items)
    return _apply(ctx, RULES_SOURCE, held.keys(), items, RulesCache(ctx.cache).replace_rules)


def sync_value_sets(ctx: SyncContext) -> SourceResult:
    listing = _signed_list(ctx, "valuesets")
    held = RulesCache(ctx.cache).value_set_hashes()
    held_hashes = set(held.values())
    items: list[StoredValueSet] = []
    for entry in listing:
        if not isinstance(entry, dict):
            raise DataInvalid("a value-set list entry is not an object")
        value_set_id, digest = str(entry.get("id") or ""), _hash_of(entry)
        body = b"" if digest in held_hashes else _fetch_by_hash(ctx, f"valuesets/{digest}", digest)
        items.append(StoredValueSet(value_set_id, digest, body))
    store = RulesCache(ctx.cache)
    return _apply(ctx, VALUE_SETS_SOURCE, held_hashes, items, store.replace_value_sets)


def _apply(
    ctx: SyncContext,
    source: str,
    held: Any,
    items: list[Any],
    replace: Callable[[list[Any]], object],
) -> SourceResult:
    held_hashes = set(held)
    new_hashes = {item.hash for item in items}
    with ctx.cache.transaction():
        replace(items)
        SyncStateStore(ctx.cache).record_success(
            source, version=None, now=ctx.now(), item_count=len(items)
        )
    added, removed = len(new_hashes - held_hashes), len(held_hashes - new_hashes)
    return SourceResult(source, None, added, removed, unchanged=not added and not removed)


def _signed_list(ctx: SyncContext, path: str) -> list[Any]:
    answer = ctx.client.get(path, max_bytes=MAX_ITEM_BYTES * 4)
    verify_hash_string(ctx.pinned_keys, answer.body, answer.header("X-SIGNATURE"))
    listing = answer.json()
    if not isinstance(listing, list) or len(listing) > MAX_ITEMS:
        raise DataInvalid(f"the {path} list is not a list of at most {MAX_ITEMS} items")
    return listing


def _fetch_by_hash(ctx: SyncContext, path: str, digest: str) -> bytes:
    body = ctx.client.get(path, max_bytes=MAX_ITEM_BYTES).body
    if hashlib.sha256(body).hexdigest() != digest:
        raise DataInvalid(f"{path} does not match its hash")
    try:
        json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise DataInvalid(f"{path} is not JSON") from exc
    return body


def _rule_entry(entry: Any) -> tuple[str, str, str, str]:
    if not isinstance(entry, dict):
        raise DataInvalid("a rule list entry is not an object")
    country = str(entry.get("country") or "").upper()
    if not _COUNTRY.match(country):
        raise DataInvalid("a rule list entry has no valid country")
    return (
        str(entry.get("identifier") or ""),
        str(entry.get("version") or ""),
        country,
        _hash_of(entry),
    )


def _hash_of(entry: dict[str, Any]) -> str:
    digest = str(entry.get("hash") or "").lower()
    if not _HASH.match(digest):
        raise DataInvalid("a list entry has no valid SHA-256 hash")
    return digest


def _refuse_older_versions(held: Any, offered: list[StoredRule]) -> None:
    newest: dict[str, tuple[int, ...]] = {}
    for row in held:
        key = _version_key(str(row["version"]))
        newest[str(row["identifier"])] = max(newest.get(str(row["identifier"]), key), key)
    for rule in offered:
        known = newest.get(rule.identifier)
        if (
            known is not None
            and _version_key(rule.version) < known
            and not _listed_too(rule.identifier, known, offered)
        ):
            raise RollbackAttempt(f"rule {rule.identifier} offered at an older version")


def _listed_too(identifier: str, version: tuple[int, ...], offered: list[StoredRule]) -> bool:
    """A future-dated newer version listed alongside the older one is normal, not a rollback."""
    return any(r.identifier == identifier and _version_key(r.version) >= version for r in offered)


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.split("."):
        parts.append(int(part) if part.isdigit() else 0)
    return tuple(parts)
