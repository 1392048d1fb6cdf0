"""The national status list (identity key → status flags) from signed, paged delta bundles.

Keys are Argon2id hashes of ID numbers under the list's parameters (see
`station/cache/status_key.py`); the parameters travel with every page. New parameters (a new
salt) can only arrive as a snapshot, since every key changes with them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from station.cache.status_key import KEY_LENGTH, KdfParams
from station.cache.status_list import StatusEntry, StatusFlags, StatusListCache
from sync.context import SourceResult, SyncContext
from sync.errors import DataInvalid
from sync.paged_bundles import PageCounts, sync_paged
from sync.wire import base64_bytes, optional_instant

SOURCE = "status-list"
PATH = "station/v1/bundles/status-list"
MAX_ITEMS_PER_PAGE = 200_000
_ALL_FLAGS = int(StatusFlags(sum(StatusFlags)))


def sync_status_list(ctx: SyncContext) -> SourceResult:
    cache = StatusListCache(ctx.cache)

    def apply_page(payload: Mapping[str, Any], first: bool) -> PageCounts:
        params = _params(payload.get("kdf"))
        snapshot = bool(payload.get("snapshot")) and first
        if not payload.get("snapshot") and cache.params() not in (None, params):
            raise DataInvalid("the status-list key parameters changed without a full list")
        upserts = list(_upserts(payload.get("added")))
        removed = list(_keys(payload.get("removed")))
        try:
            cache.apply(params, upserts, removed, snapshot)
        except ValueError as exc:
            raise DataInvalid(str(exc)) from exc
        return PageCounts(len(upserts), len(removed))

    return sync_paged(ctx, SOURCE, PATH, apply_page)


def _params(value: Any) -> KdfParams:
    try:
        return KdfParams.from_json(value)
    except ValueError as exc:
        raise DataInvalid(str(exc)) from exc


def _upserts(value: Any) -> Iterator[StatusEntry]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS_PER_PAGE:
        raise DataInvalid("a status-list page has no valid entry list")
    for item in value:
        if not isinstance(item, dict):
            raise DataInvalid("a status-list entry is not an object")
        flags = item.get("flags")
        if not isinstance(flags, int) or isinstance(flags, bool) or flags & ~_ALL_FLAGS:
            raise DataInvalid("a status-list entry has unknown status flags")
        yield StatusEntry(
            _key(item.get("key")),
            StatusFlags(flags),
            optional_instant(item.get("valid_until"), "a status-list date"),
        )


def _keys(value: Any) -> Iterator[bytes]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS_PER_PAGE:
        raise DataInvalid("a status-list page has no valid removal list")
    for item in value:
        yield _key(item)


def _key(value: Any) -> bytes:
    return base64_bytes(value, "a status-list key", length=KEY_LENGTH)
