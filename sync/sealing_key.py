"""The health authority's public sealing key, from the hub's signed bundle.

Every entry's identity block is sealed to this key, so the station must get it from a source it
can prove: a bundle signed by the pinned hub key, never an unsigned answer (an attacker who
swapped it would be able to read every sealed name). It is not verification data, so it does not
count towards the station's freshness; it is kept in its own file with its version, and a
rollback to an older version is refused like for every other source.
"""

from __future__ import annotations

from pathlib import Path

from station.entrylog.sealing import SealError, SealingKey
from station.entrylog.sealing_key_file import held_sealing_key_version, save_sealing_key
from sync.context import SourceResult, SyncContext, require_not_older
from sync.errors import DataInvalid, HttpStatusError

SOURCE = "sealing-key"
PATH = "station/v1/bundles/sealing-key"


def sync_sealing_key(ctx: SyncContext, base: Path) -> SourceResult:
    """Fetch, check and keep the current sealing key; unchanged when the hub has none yet."""
    held = held_sealing_key_version(base)
    try:
        token = ctx.client.get(PATH).body
    except HttpStatusError as exc:
        if exc.status == 404:  # no authority key registered yet: entries stay unsealed-free
            return SourceResult(SOURCE, held, unchanged=True)
        raise
    bundle = ctx.verified_bundle(token, SOURCE)
    require_not_older(SOURCE, bundle.version, held)
    if held == bundle.version:
        return SourceResult(SOURCE, held, unchanged=True)
    key = _key(bundle.payload.get("key"), bundle.payload.get("key_id"))
    save_sealing_key(base, key, bundle.version)
    return SourceResult(SOURCE, bundle.version, added=1)


def _key(encoded: object, announced_id: object) -> SealingKey:
    if not isinstance(encoded, str) or not isinstance(announced_id, str):
        raise DataInvalid("the sealing-key bundle lacks its key or key id")
    try:
        key = SealingKey.from_text(encoded)
    except SealError as exc:
        raise DataInvalid("the sealing key is not an X25519 public key") from exc
    if key.id.hex() != announced_id.lower():
        raise DataInvalid("the sealing key does not match its key id")
    return key
