"""Protocols the core depends on; `station/store` and `station/adapters` implement them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from station.trust.certificate import TrustedCertificate

if TYPE_CHECKING:  # the scan package imports this module; annotations only need the names
    from station.scan.frames import Frame, SourceState
    from station.verify.revocation import HashType


class Clock(Protocol):
    """Source of the validation time; injected so no stage ever reads the wall clock."""

    def now(self) -> datetime: ...


class SignerLookup(Protocol):
    """Finds every trusted signer certificate that carries a kid."""

    def signers_for(self, kid: bytes) -> Sequence[TrustedCertificate]: ...


class WithdrawnSigners(Protocol):
    """Knows the kids of signer certificates the trust list once held and then withdrew, so a
    pass they signed reads "issuer key withdrawn" rather than "unknown issuer"."""

    def was_removed(self, kid: bytes) -> bool: ...


class RevocationMatch(Protocol):
    @property
    def hash_type(self) -> HashType: ...


class RevocationLookup(Protocol):
    """The synced revocation list. `available` is False until it was synced once: without it a
    pass cannot be called "not revoked", so no revocation check is reported at all."""

    @property
    def available(self) -> bool: ...

    def find(self, kid: bytes, hashes: Mapping[HashType, bytes]) -> RevocationMatch | None: ...


class DataHealth(Protocol):
    """How fresh the station's synced data is; verdicts carry it so a guard sees stale data."""

    @property
    def stale(self) -> bool: ...

    def to_json(self) -> dict[str, Any]: ...


class IssuerKeys(Protocol):
    """Allow-listed issuers of the non-EU families and their public keys (JSON objects as the
    family publishes them: JWKs, or `{"x5c": [...]}`), held locally, never fetched at scan time."""

    def keys_for(self, family: str, issuer: str, kid: str) -> Sequence[Mapping[str, Any]]: ...

    def issuers(self, family: str) -> Sequence[str]: ...

    def keys_with_kid(self, family: str, kid: str) -> Sequence[tuple[str, Mapping[str, Any]]]:
        """(issuer, key) for every issuer of `family` holding a key under `kid` (one lookup,
        for formats whose issuer is only known after the signature was checked)."""
        ...

    def is_revoked(self, family: str, issuer: str, kid: str, rid: str, issued_at: int) -> bool: ...


class StatusRecord(Protocol):
    """One person's entry on the national status list (see station/cache/status_list.py)."""

    @property
    def flags(self) -> int: ...

    @property
    def valid_until(self) -> datetime | None: ...


class StatusLookup(Protocol):
    """The synced national status list, keyed by ID number. `available` is False until the list
    was synced once; `status_of` raises ValueError for a malformed ID number."""

    @property
    def available(self) -> bool: ...

    def status_of(self, id_number: str) -> StatusRecord | None: ...


@dataclass(frozen=True, slots=True)
class TrustSources:
    """Everything a verification consults besides the pass: signers, and, on a managed
    station, the revocation list, withdrawn signers and the data's freshness."""

    signers: SignerLookup
    revocations: RevocationLookup | None = None
    withdrawn: WithdrawnSigners | None = None
    health: Callable[[], DataHealth] | None = None
    issuer_keys: IssuerKeys | None = None
    status_list: StatusLookup | None = None


class QrReader(Protocol):
    """One QR decoder: raw payloads of every code it finds in an 8-bit grayscale image."""

    def __call__(self, gray: NDArray[np.uint8]) -> list[bytes]: ...


class FrameSource(Protocol):
    """A camera, or something played as one (video file, image folder, still image).

    `read()` returns the next frame, or None when none is available now; `state` then says why.
    It never raises for a missing or vanished device: it reports DISCONNECTED and reconnects.
    `problem` says why in plain words when the state is not LIVE ("" when nothing is known).
    """

    problem: str

    @property
    def name(self) -> str: ...

    @property
    def state(self) -> SourceState: ...

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...
