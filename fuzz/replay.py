"""A hub that answers from the fuzzer's bytes, for running the real sync steps in-process.

The sync harnesses run the station's own sync functions (`sync_revocations`, `sync_drl`, ...)
end to end; only the transport is replaced. `ReplayHub` plays the hub's part the way the
reference hub does it: every answer is signed by the hub key the station pins (a compact JWS
for bundles, an `X-SIGNATURE` for DGCA-style lists), carries an ETag, a growing resume token and
the `X-KID` computed from the certificate it serves. So the fuzzed bytes are what a genuine,
but misbehaving, hub could send, and the station's signature checks run for real.

Each run happens inside one cache transaction that is rolled back afterwards, so no input
changes the state the next one starts from.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from fuzz.station_setup import fuzz_station
from station.adapters.clock import FixedClock
from station.cache.database import CacheDatabase, open_cache
from station.trust.certificate import compute_kid
from sync.bundle import ALGORITHM, BUNDLE_TYPE, key_id, sign_hash_string
from sync.context import SyncContext
from sync.http import HttpResponse

#: Separates the answers of one input (page 0, page 1, ...; lists, partitions, slices).
ANSWER_BREAK = b"\n\x00\x00\n"
NO_CONTENT = 204


@dataclass
class ReplayHub:
    """Serves `answers` in order to every request, then 204 No Content."""

    key: ec.EllipticCurvePrivateKey
    answers: Sequence[bytes]
    as_bundles: bool
    served: int = field(default=0)

    def get(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
    ) -> HttpResponse:
        return self.request("GET", path, params=params, headers=headers, max_bytes=max_bytes)

    def request(self, method: str, path: str, **_: Any) -> HttpResponse:
        if self.served >= len(self.answers):
            return HttpResponse(NO_CONTENT, {}, b"")
        raw = self.answers[self.served]
        self.served += 1
        body = sign_payload(self.key, raw) if self.as_bundles else raw
        headers = {
            "ETag": '"1"',
            "X-SIGNATURE": sign_hash_string(self.key, body),
            "X-RESUME-TOKEN": str(self.served),
            "X-KID": _kid_header(body),
        }
        return HttpResponse(200, headers, body)


def sign_payload(key: ec.EllipticCurvePrivateKey, payload: bytes) -> bytes:
    """A compact JWS over these exact payload bytes, as the hub signs a bundle."""
    header = {"alg": ALGORITHM, "kid": key_id(key.public_key()), "typ": BUNDLE_TYPE}
    signing_input = _b64(json.dumps(header).encode()) + "." + _b64(payload)
    r, s = decode_dss_signature(key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256())))
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return (signing_input + "." + _b64(signature)).encode("ascii")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _kid_header(body: bytes) -> str:
    """The kid of the certificate in a `signercertificateUpdate` answer (base64 DER body)."""
    try:
        der = base64.b64decode(body.strip(), validate=True)
    except (binascii.Error, ValueError):
        return ""
    return base64.b64encode(compute_kid(der)).decode("ascii")


class _Undo(Exception):
    """Raised inside the run's transaction so that it is rolled back."""


@dataclass(frozen=True)
class SyncBench:
    """The station's sync collaborators for one harness process: a cache and the pinned key."""

    cache: CacheDatabase
    key: ec.EllipticCurvePrivateKey

    def context(self, hub: ReplayHub) -> SyncContext:
        pinned = {key_id(self.key.public_key()): self.key.public_key()}
        clock = FixedClock(fuzz_station().now)
        return SyncContext(client=hub, cache=self.cache, pinned_keys=pinned, clock=clock)  # type: ignore[arg-type]

    @contextlib.contextmanager
    def rolled_back(self) -> Iterator[None]:
        """Everything written inside is undone (the sync steps' own transactions join this one)."""
        try:
            with self.cache.transaction():
                yield
                raise _Undo
        except _Undo:
            pass


@functools.cache
def sync_bench() -> SyncBench:
    """An empty station cache next to the fuzzed station's, and a hub key it pins."""
    station = fuzz_station()
    cache = open_cache(station.folder / "sync-fuzz.sqlite")
    return SyncBench(cache, ec.generate_private_key(ec.SECP256R1()))


def answers(data: bytes) -> list[bytes]:
    return data.split(ANSWER_BREAK)
