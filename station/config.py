"""Frozen configuration, loaded once and passed down (no import-time globals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from station.rules.profiles import Profile


@dataclass(frozen=True, slots=True)
class VerifierConfig:
    """Bounds and tolerances of the verification pipeline."""

    #: A QR code holds at most 4,296 alphanumeric characters; anything longer is not a QR payload.
    max_input_chars: int = 4296
    #: Output cap for decompression; real credentials inflate to a few hundred bytes.
    max_inflated_bytes: int = 64 * 1024
    #: Tolerated clock difference for "issued in the future" (device clocks drift).
    clock_skew_seconds: int = 300
    #: The station's business-rule profile (checkpoint, hospital visitor, ...); None = no rules
    #: check, the verdict then says only whether the pass is authentic and in date.
    rules: Profile | None = None
    #: What stale trust data does to a verdict: "warn" keeps the verdict and marks it (details
    #: `data.stale`), "refuse" turns every verdict into CHECK_MANUALLY until a sync succeeds.
    stale_data_policy: Literal["warn", "refuse"] = "warn"
    #: NZ COVID Pass issuers accepted besides the pinned production DID (a trial or demo
    #: issuer, from the station's settings); keys still come only from synced issuer keys.
    nzcp_extra_issuers: frozenset[str] = frozenset()
