"""Issuer keys of the other families (SHC, NZCP, VDS-NC, DIVOC) from the hub's signed bundle.

One signed, versioned snapshot holds every allow-listed issuer with its public keys and, for
SMART Health Cards, its CRLs — the VCI-snapshot model, so the station never contacts an issuer
and every key it trusts came through its pinned hub. Each key is checked again here: public
members only, and a SMART Health Card kid must be the key's RFC 7638 thumbprint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from station.cache.issuer_keys import PRIVATE_MEMBERS, IssuerKeyCache, SyncedIssuer
from station.cache.sync_state import SyncStateStore
from sync.context import SourceResult, SyncContext, require_not_older
from sync.errors import DataInvalid
from sync.jwk import jwk_thumbprint

SOURCE = "issuer-keys"
PATH = "station/v1/bundles/issuer-keys"
MAX_ISSUERS = 5_000
MAX_KEYS_PER_ISSUER = 100
MAX_RIDS_PER_KEY = 1_000_000


def sync_issuer_keys(ctx: SyncContext) -> SourceResult:
    state = ctx.state(SOURCE)
    held = state.version if state else None
    bundle = ctx.verified_bundle(ctx.client.get(PATH).body, SOURCE)
    require_not_older(SOURCE, bundle.version, held)
    if held == bundle.version:
        _record(ctx, bundle.version, bundle.expires_at, state.item_count if state else None)
        return SourceResult(SOURCE, bundle.version, unchanged=True)
    issuers = [_issuer(item) for item in _list(bundle.payload.get("issuers"), MAX_ISSUERS)]
    with ctx.cache.transaction():
        keys, rids = IssuerKeyCache(ctx.cache).replace_synced(issuers)
        _record(ctx, bundle.version, bundle.expires_at, keys)
    return SourceResult(SOURCE, bundle.version, added=keys + rids)


def _record(ctx: SyncContext, version: int, expires: Any, items: int | None) -> None:
    SyncStateStore(ctx.cache).record_success(
        SOURCE, version=version, now=ctx.now(), data_expires_at=expires, item_count=items
    )


def _issuer(item: Any) -> SyncedIssuer:
    if not isinstance(item, dict):
        raise DataInvalid("an issuer entry is not an object")
    family, issuer = item.get("family"), item.get("issuer")
    if not isinstance(family, str) or not isinstance(issuer, str) or not family or not issuer:
        raise DataInvalid("an issuer entry lacks its family or name")
    keys = tuple(_key(family, key) for key in _list(item.get("keys"), MAX_KEYS_PER_ISSUER))
    versions: dict[str, int] = {}
    rids: dict[str, list[tuple[str, int | None]]] = {}
    for crl in _list(item.get("crls", []), MAX_KEYS_PER_ISSUER):
        kid, ctr, revoked = _crl(crl)
        versions[kid], rids[kid] = ctr, revoked
    return SyncedIssuer(family, issuer, keys, versions, rids)


def _key(family: str, key: Any) -> Mapping[str, Any]:
    if not isinstance(key, dict) or not isinstance(key.get("kid"), str):
        raise DataInvalid("an issuer key is not a JSON object with a kid")
    if PRIVATE_MEMBERS & set(key):
        raise DataInvalid("an issuer key holds private members")
    if family == "shc":
        try:
            thumbprint = jwk_thumbprint(key)
        except ValueError as exc:
            raise DataInvalid(f"SMART Health Card key: {exc}") from exc
        if thumbprint != key["kid"]:
            raise DataInvalid("a SMART Health Card key's kid is not its thumbprint")
    return key


def _crl(crl: Any) -> tuple[str, int, list[tuple[str, int | None]]]:
    if not isinstance(crl, dict) or not isinstance(crl.get("kid"), str):
        raise DataInvalid("a CRL is not an object with a kid")
    ctr = crl.get("ctr", 1)
    if not isinstance(ctr, int) or isinstance(ctr, bool) or ctr < 0:
        raise DataInvalid("a CRL counter is not a number")
    return crl["kid"], ctr, [_rid(rid) for rid in _list(crl.get("rids"), MAX_RIDS_PER_KEY)]


def _rid(value: Any) -> tuple[str, int | None]:
    """`rid` revokes every card; `rid.<unix seconds>` only cards issued (nbf) before then."""
    if not isinstance(value, str) or not 0 < len(value) <= 64:
        raise DataInvalid("a revoked rid is not a short string")
    rid, _, cutoff = value.partition(".")
    if not cutoff:
        return rid, None
    if not cutoff.isascii() or not cutoff.isdigit():
        raise DataInvalid("a rid's cut-off is not a unix time")
    return rid, int(cutoff)


def _list(value: Any, limit: int) -> list[Any]:
    if not isinstance(value, list) or len(value) > limit:
        raise DataInvalid(f"expected a list of at most {limit:,} items")
    return value
