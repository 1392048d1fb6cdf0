"""One entry as it is stored and uploaded: what was decided, when, where, and a sealed identity.

Only what the privacy checklist allows reaches the row: the verdict and reason code, the
credential format, the trust-data versions, the minute (never the second) and whether the clock
was trusted. The holder's name, date of birth and credential identifier are sealed to the health
authority with the entry's UUID as associated data, so the block cannot be moved to another
entry; without an authority key nothing personal is stored at all. The raw QR text, decoded
payload, signature bytes and health fields are never looked at here beyond the identifier.

Values are held to the wire's limits when the row is made, so a stored entry is always one the
hub accepts: an entry that could never be uploaded would only sit in the queue until purged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from station.entrylog.identity import identity_block
from station.entrylog.sealing import HEADER_BYTES, PAD_TO, TAG_BYTES, SealingKey, seal
from station.errors import ConfigError
from station.model import VerificationResult

DIRECTIONS = ("in", "out")
VERDICTS = ("VALID", "INVALID", "CHECK_MANUALLY")
MAX_CHECKPOINT_CHARS = 64
MAX_DATA_VERSION_CHARS = 256
#: The wire carries a sealed block as at most 2,048 base64url characters, i.e. 1,536 bytes.
MAX_SEALED_BYTES = 1536
MAX_PLAINTEXT_BYTES = (MAX_SEALED_BYTES - HEADER_BYTES - TAG_BYTES) // PAD_TO * PAD_TO - 1
MINUTE_FORMAT = "%Y-%m-%dT%H:%MZ"
_REASON = re.compile(r"[A-Z0-9_]{1,48}", re.ASCII)
_FORMAT = re.compile(r"[a-z0-9_-]{1,32}", re.ASCII)
UNKNOWN_REASON = "REASON_UNKNOWN"


@dataclass(frozen=True, slots=True)
class NewEntry:
    """A row ready to insert (everything but the sequence number, given at commit)."""

    uuid: str
    checkpoint_id: str
    direction: str
    minute: str
    clock_trusted: bool
    verdict: str
    reason: str
    format: str
    data_version: str
    sealed: bytes | None


def build_entry(
    result: VerificationResult,
    *,
    uuid: str,
    direction: str,
    checkpoint_id: str,
    clock_trusted: bool,
    now: datetime,
    sealing_key: SealingKey | None,
) -> NewEntry:
    """The row for `result`; ConfigError for a direction or checkpoint id the wire refuses."""
    check_place(direction, checkpoint_id)
    block = identity_block(result) if sealing_key is not None else None
    return NewEntry(
        uuid=uuid,
        checkpoint_id=checkpoint_id,
        direction=direction,
        minute=minute_of(now),
        clock_trusted=clock_trusted,
        verdict=str(result.status) if str(result.status) in VERDICTS else "INVALID",
        reason=_clean(str(result.reason), _REASON, UNKNOWN_REASON),
        format=_clean(result.format, _FORMAT, "unknown"),
        data_version=data_version(result),
        sealed=seal_identity(block, sealing_key, uuid) if block and sealing_key else None,
    )


def check_place(direction: str, checkpoint_id: str) -> None:
    if direction not in DIRECTIONS:
        raise ConfigError("direction must be 'in' or 'out'")
    if not 0 < len(checkpoint_id) <= MAX_CHECKPOINT_CHARS or not checkpoint_id.isprintable():
        raise ConfigError(f"checkpoint_id must be 1 to {MAX_CHECKPOINT_CHARS} printable chars")


def minute_of(now: datetime) -> str:
    """`now` in UTC, rounded down to the minute: 'YYYY-MM-DDTHH:MMZ'."""
    if now.tzinfo is None:
        raise ValueError("the entry log needs an aware datetime")
    return now.astimezone(UTC).strftime(MINUTE_FORMAT)


def data_version(result: VerificationResult) -> str:
    """'source:version,...' of the synced data the verdict used (sorted; '' when unknown)."""
    data = result.details.get("data")
    versions = data.get("versions") if isinstance(data, dict) else None
    if not isinstance(versions, dict):
        return ""
    parts = [
        f"{source}:{version}"
        for source, version in sorted(versions.items())
        if isinstance(version, int) and str(source).isprintable()
    ]
    return ",".join(parts)[:MAX_DATA_VERSION_CHARS]


def seal_identity(block: dict[str, str], key: SealingKey, uuid: str) -> bytes:
    """The block as compact sorted JSON, sealed to `key` with the entry UUID bound in."""
    return seal(key, _fit(block), uuid.encode("ascii"))


def plaintext(block: dict[str, Any]) -> bytes:
    return json.dumps(block, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _fit(block: dict[str, str]) -> bytes:
    """The plaintext, its longest field shortened until the sealed block fits the wire."""
    fitted = dict(block)
    encoded = plaintext(fitted)
    while len(encoded) > MAX_PLAINTEXT_BYTES:
        longest = max(fitted, key=lambda key: len(fitted[key]))
        fitted[longest] = fitted[longest][: len(fitted[longest]) * 3 // 4]
        encoded = plaintext(fitted)
    return encoded


def _clean(value: str, pattern: re.Pattern[str], fallback: str) -> str:
    return value if pattern.fullmatch(value) else fallback
