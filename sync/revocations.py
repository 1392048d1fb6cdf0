"""The revocation list (EU DCC hashes) from the hub's signed, paged delta bundles.

A group is `{kid, hash_type, expires, hashes}` where `hashes` is the base64 of concatenated
16-byte truncated SHA-256 digests, as the EU gateway batches carry them; `UNKNOWN_KID` is the EU
pseudo-kid for entries whose signer is not known, which match a pass of any kid.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from station.cache.revocations import RevocationCache, RevocationEntry
from station.verify.revocation import HASH_BYTES, HashType
from sync.context import SourceResult, SyncContext
from sync.errors import DataInvalid
from sync.paged_bundles import PageCounts, sync_paged
from sync.wire import base64_bytes, optional_instant

SOURCE = "revocations"
PATH = "station/v1/bundles/revocations"
UNKNOWN_KID = "UNKNOWN_KID"
MAX_GROUPS_PER_PAGE = 100_000


def sync_revocations(ctx: SyncContext) -> SourceResult:
    cache = RevocationCache(ctx.cache)

    def apply_page(payload: Mapping[str, Any], first: bool) -> PageCounts:
        snapshot = bool(payload.get("snapshot")) and first
        added = list(_groups(payload.get("added")))
        removed = list(_groups(payload.get("removed")))
        counts = cache.apply(_entries(added), _entries(removed), snapshot)
        return PageCounts(*counts)

    return sync_paged(ctx, SOURCE, PATH, apply_page)


def _groups(value: Any) -> Iterator[tuple[bytes, HashType, datetime | None, bytes]]:
    """Validated groups; every check happens before the first row is written."""
    if not isinstance(value, list) or len(value) > MAX_GROUPS_PER_PAGE:
        raise DataInvalid("a revocation page has no valid group list")
    for group in value:
        if not isinstance(group, dict):
            raise DataInvalid("a revocation group is not an object")
        yield (
            _kid(group.get("kid")),
            _hash_type(group.get("hash_type")),
            optional_instant(group.get("expires"), "a revocation expiry"),
            _hashes(group.get("hashes")),
        )


def _entries(
    groups: list[tuple[bytes, HashType, datetime | None, bytes]],
) -> Iterator[RevocationEntry]:
    for kid, hash_type, expires, hashes in groups:
        for start in range(0, len(hashes), HASH_BYTES):
            yield RevocationEntry(kid, hash_type, hashes[start : start + HASH_BYTES], expires)


def _kid(value: Any) -> bytes:
    if value == UNKNOWN_KID:
        return b""
    return base64_bytes(value, "a revocation kid", length=8)


def _hash_type(value: Any) -> HashType:
    try:
        return HashType.from_wire(str(value))
    except ValueError as exc:
        raise DataInvalid(str(exc)) from exc


def _hashes(value: Any) -> bytes:
    raw = base64_bytes(value, "revocation hashes")
    if not raw or len(raw) % HASH_BYTES:
        raise DataInvalid("revocation hashes are not whole 16-byte digests")
    return raw
